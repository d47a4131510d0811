"""A place whose service is not in this installation yet says so, instead of failing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from screens.base import BookScreen
from screens.widgets.navbar import NavBar
from smallbiz.i18n import _


class PlaceholderScreen(BookScreen):
    NEEDS = ""

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Static(_("{title}: this part of smallbiz ({needs}) is not available yet.").format(
            title=self.PLACE_TITLE, needs=self.NEEDS), classes="placeholder")
        yield Footer()
