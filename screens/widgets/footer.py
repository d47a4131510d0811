"""The footer of every screen: Textual's `Footer`, minus two style recalculations per key.

Textual's `FooterKey` starts compact and is then data-bound to the footer's (not compact)
style; each change of its class re-applies the whole stylesheet to it. With a dozen keys
that cost 50-100 ms of every first visit to a place, and again whenever the footer
recomposes (the focus moves, the keys change). Here each key gets the footer's style
before it is mounted, so neither change happens; it looks exactly the same.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # textual 8.x (pinned)


class AppFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # the keys bound to the footer's style take it; the palette key stays
                # compact (FooterKey's default)
                bound = "compact" in (getattr(widget, "_reactive_connect", None) or {})
                compact = self.compact if bound else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
