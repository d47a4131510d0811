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

from rich.cells import cell_len
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
         NP_("footer", "Follow-ups due"), NP_("footer", "Edit"), NP_("footer", "Log"),
         NP_("footer", "Book to account"), NP_("footer", "Save draft"),
         NP_("footer", "Add line"), NP_("footer", "Remove line"))


def footer_text(description: str) -> str:
    """A key's description in the footer: its short form where the catalog has one."""
    short = pgettext("footer", description)
    return short if short != description else _(description)


def footer_bindings(screen: Screen) -> dict[str, list[tuple[Binding, bool, str]]]:
    """What the footer shows for `screen`: its active bindings with `show`, by action (the
    first key of an action is the one shown). The footer shows only what applies there:
    keys a screen's `check_action` hides are not active, and escape's "Back" is left out
    on a place's first screen (nothing to go back to; escape there goes to the dashboard,
    as F2 does)."""
    by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
    first = not screen.is_attached or screen.app.screen_stack[:1] == [screen]
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show and not (first and binding.action == "app.back"):
            by_action[binding.action].append((binding, enabled, tooltip))
    return by_action


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

    def on_resize(self) -> None:
        if self.keys_ready and self.fit() != (self.compact, self.palette_words):
            self.refresh(recompose=True)

    #: The command palette key's description is shown (False when the keys need its room).
    palette_words = True

    def fit(self) -> tuple[bool, bool]:
        """(compact, palette words): the roomiest style in which every key fits the
        footer's width whole (Textual's footer would cut the last ones, or hide them under
        the palette key): the normal style, else compact (one column less a key), else
        compact with the palette key as `^p` alone (its tooltip and F1 say what it is)."""
        width = self.app.size.width
        keys = [(cell_len(self.app.get_key_display(b)), cell_len(footer_text(b.description)))
                for (b, _enabled, _tooltip), *_more in footer_bindings(self.screen).values()]
        palette = self.palette_binding()
        words = cell_len(footer_text(palette.description)) + 1 if palette else 0
        mark = cell_len(self.app.get_key_display(palette)) + 2 if palette else 0
        if sum(k + d + 3 for k, d in keys) + mark + words <= width:
            return False, True
        needed = sum(k + d + 2 for k, d in keys) + mark - 1
        return True, needed + words <= width

    def palette_binding(self) -> Binding | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return palette[1] if palette is not None else None

    def compose(self) -> ComposeResult:
        if not self.keys_ready:
            return
        compact, self.palette_words = self.fit()
        if compact != self.compact:  # no recompose: this is the composing
            self.set_reactive(Footer.compact, compact)
            self.set_class(compact, "-compact")
        active = self.screen.active_bindings
        by_action = footer_bindings(self.screen)
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
        binding = self.palette_binding()
        if binding is not None:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            # compact, as Textual's palette key (not bound to the footer's style)
            yield AppFooterKey(binding.key, self.app.get_key_display(binding),
                               footer_text(binding.description) if self.palette_words else "",
                               binding.action, compact=True, disabled=not enabled,
                               tooltip=_(binding.tooltip or binding.description),
                               classes="-command-palette")
