"""The footer of every screen: looks like Textual's `Footer`, built from public API only.

Textual's own keys (`FooterKey`) are not public (they live in a private module), and they
start compact and are then data-bound to the footer's (not compact) style; each change of
their class re-applies the whole stylesheet to them, 50-100 ms of every first visit to a
place with a dozen keys. Here each key is a small widget of our own, made with the
footer's style from the start, so neither change happens. It looks the same as Textual's
footer (the same design variables, padding and docking of the palette key on the right);
the footer itself is still Textual's `Footer`, for its docking, scrolling and its
subscription to the screen's bindings.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

from smallbiz.i18n import N_, NP_, _, pgettext

#: Textual's own words in the footer (its command palette key), for the catalogs.
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))
#: Keys whose description has a shorter form in the footer (context "footer"), where a
#: language's words are longer than the footer has room for at 80 columns.
SHORT = (NP_("footer", "New deal"), NP_("footer", "Next stage"),
         NP_("footer", "Previous stage"), NP_("footer", "Invoice"),
         NP_("footer", "Cancel order"), NP_("footer", "Status filter"),
         NP_("footer", "Record payment"), NP_("footer", "Overdue"),
         NP_("footer", "New product"), NP_("footer", "Adjust stock"),
         NP_("footer", "Low only"), NP_("footer", "New entry"), NP_("footer", "Confirm"),
         NP_("footer", "Follow-ups due"), NP_("footer", "Edit"))


def footer_text(description: str) -> str:
    """A key's description in the footer: its short form where the catalog has one."""
    short = pgettext("footer", description)
    return short if short != description else _(description)


class AppFooterKey(Widget):
    """One key and what it does; a click presses the key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    AppFooterKey {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }
        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover {
            pointer: pointer;
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &.-disabled {
            text-style: dim;
        }
        &.-compact {
            .footer-key--key {
                padding: 0;
            }
            .footer-key--description {
                padding: 0 0 0 1;
            }
        }
    }
    """

    def __init__(self, key: str, key_display: str, description: str, action: str, *,
                 compact: bool, disabled: bool = False, tooltip: str = "",
                 classes: str = "") -> None:
        self.key = key
        self.key_display = key_display
        self.description = description
        self.action = action
        self.key_disabled = disabled
        classes += " -compact" * compact + " -disabled" * disabled
        super().__init__(classes=classes)
        self.set_reactive(Widget.shrink, False)
        if tooltip:
            self.tooltip = tooltip

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        if self.description:
            key_pad = self.get_component_styles("footer-key--key").padding
            text_pad = self.get_component_styles("footer-key--description").padding
            text = Text.assemble(
                (" " * key_pad.left + self.key_display + " " * key_pad.right, key_style),
                (" " * text_pad.left + self.description + " " * text_pad.right,
                 description_style))
        else:
            text = Text.assemble((self.key_display, key_style))
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self) -> None:
        if self.key_disabled:
            self.app.bell()
        else:
            self.app.simulate_key(self.key)


class AppKeyGroup(HorizontalGroup):
    """The keys of one binding group, shown together before the group's description."""

    DEFAULT_CSS = """
    AppKeyGroup {
        width: auto;
    }
    """


class AppFooterLabel(Label):
    """A binding group's description."""


class AppFooter(Footer):
    DEFAULT_CSS = """
    AppFooter {
        &.-compact {
            AppFooterLabel {
                margin: 0;
            }
            AppFooterKey {
                margin-right: 1;
            }
            AppFooterKey.-grouped {
                margin: 0 1;
            }
            AppFooterKey.-command-palette {
                padding-right: 0;
            }
        }
        AppFooterKey.-command-palette {
            dock: right;
            padding-right: 1;
            border-left: vkey $foreground 20%;
        }
        AppKeyGroup.-compact {
            AppFooterKey.-grouped {
                margin: 0;
            }
            margin: 0 1 0 0;
            padding-left: 1;
        }
        AppFooterKey.-grouped {
            margin: 0 1;
        }
        AppFooterLabel {
            margin: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    #: False until the screen first says its bindings are settled (as Textual's footer).
    keys_ready = False

    def bindings_changed(self, screen: Screen) -> None:
        self.keys_ready = True
        super().bindings_changed(screen)

    def watch_compact(self, old: bool, new: bool) -> None:
        if old != new and self.is_mounted:
            self.refresh(recompose=True)  # the keys take the footer's style when made

    def compose(self) -> ComposeResult:
        if not self.keys_ready:
            return
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        for group, in_group in groupby(by_action.values(), lambda b: b[0][0].group):
            actions = list(in_group)
            if group is not None and len(actions) > 1:
                with AppKeyGroup(classes="-compact" if group.compact else ""):
                    for (binding, enabled, tooltip), *_more in actions:
                        yield AppFooterKey(binding.key, self.app.get_key_display(binding),
                                           "", binding.action, compact=self.compact,
                                           disabled=not enabled,
                                           tooltip=_(tooltip or binding.description),
                                           classes="-grouped")
                yield AppFooterLabel(_(group.description))
            else:
                for (binding, enabled, tooltip), *_more in actions:
                    yield AppFooterKey(binding.key, self.app.get_key_display(binding),
                                       footer_text(binding.description), binding.action,
                                       compact=self.compact, disabled=not enabled,
                                       tooltip=_(tooltip))
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, _tooltip = palette
                # compact, as Textual's palette key (not bound to the footer's style)
                yield AppFooterKey(binding.key, self.app.get_key_display(binding),
                                   footer_text(binding.description), binding.action,
                                   compact=True,
                                   disabled=not enabled,
                                   tooltip=_(binding.tooltip or binding.description),
                                   classes="-command-palette")
