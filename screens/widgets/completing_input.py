"""An Input that completes as you type from the book (accounts, contacts, products).

The candidates come from a plain function `complete(text) -> list[str]` that the app
runs in a thread (it opens its own read snapshot). The best candidate is shown inline
(tab or enter accepts it and stays in the field; the next tab or enter moves on); the
others are listed in the input's bottom border. Arriving in a filled field never selects
its text, so typing adds to it instead of replacing it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input

from smallbiz.i18n import N_

Complete = Callable[[str], list[str]]


class _BookSuggester(Suggester):
    def __init__(self, owner: CompletingInput, complete: Complete) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.owner = owner
        self.complete = complete

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            self.owner.show_candidates(value, [])
            return None
        try:
            matches = await asyncio.to_thread(self.complete, value)
        except Exception:  # a completion must never break typing
            matches = []
        self.owner.show_candidates(value, matches)
        for m in matches:
            if m.casefold().startswith(value.casefold()):
                return value + m[len(value):]
        return None


class CompletingInput(Input):
    """Input with book-backed completion. `candidates` holds the current matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "accept", N_("Complete"), show=False, id="input.complete"),
        Binding("ctrl+down", "cycle(1)", N_("Next match"), show=False, id="input.next_match"),
        Binding("ctrl+up", "cycle(-1)", N_("Previous match"), show=False,
                id="input.previous_match"),
    ]

    def __init__(self, complete: Complete, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value=value, **kwargs)
        self.suggester = _BookSuggester(self, complete)
        self.candidates: list[str] = []
        self._candidates_for = ""
        self._cycle = -1
        self._cycle_list: list[str] = []

    def show_candidates(self, value: str, matches: list[str]) -> None:
        if value != self.value:
            return
        self.candidates = matches
        self._candidates_for = value
        if value not in self._cycle_list:
            self._cycle = -1
        others = [m for m in matches if m != value][:4]
        self.border_subtitle = " · ".join(others) if self.has_focus else ""

    def accept_best(self) -> bool:
        """Take the best match, unless the text is one of the matches already. True when
        the text changed."""
        value = self.value
        if value.strip() and self.candidates and self._candidates_for == value \
                and value not in self.candidates:
            self.value = self.candidates[0]
            self.cursor_position = len(self.value)
            self.border_subtitle = ""
            return True
        return False

    def action_accept(self) -> None:
        """tab: take the match and stay (to check it); with nothing to take, move on."""
        if not self.accept_best():
            self.screen.focus_next()

    async def action_submit(self) -> None:
        """enter: take the match and stay; with nothing to take, submit."""
        if not self.accept_best():
            await super().action_submit()

    def action_cycle(self, step: int) -> None:
        if self._cycle == -1:
            self._cycle_list = list(self.candidates)
        if not self._cycle_list:
            return
        self._cycle = (self._cycle + step) % len(self._cycle_list)
        choice = self._cycle_list[self._cycle]
        self.value = choice
        self.cursor_position = len(choice)

    def on_blur(self) -> None:
        self.border_subtitle = ""
