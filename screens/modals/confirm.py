"""Yes/no before anything that posts to the books."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from smallbiz.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """Ask once; `y`/enter confirms, `n`/escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes",
                tooltip=N_("Answer yes")),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no",
                tooltip=N_("Answer no")),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str | None = None,
                 date: dt.date | None = None) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes_label = yes or _("Yes")
        #: With a date: a date field (tab to it) for the day the step is dated; read
        #: `chosen_date` after a yes.
        self.date = date
        self.chosen_date = date

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # both may quote the book (a contact's name, a rule's text): shown as typed
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-detail", markup=False)
            if self.date is not None:
                from smallbiz.screens.widgets.date_input import DateInput

                with Horizontal(classes="form-row"):
                    yield Label(_("Date"), classes="field-label-inline")
                    yield DateInput(self.date, id="confirm-date")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(_("No (n)"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "yes")

    def on_input_submitted(self, event: Any) -> None:
        event.stop()
        self.action_answer(True)

    def action_answer(self, value: bool) -> None:
        if value and self.date is not None:
            from smallbiz.errors import UserError
            from smallbiz.screens.widgets.date_input import DateInput

            try:
                self.chosen_date = self.query_one("#confirm-date", DateInput).date()
            except UserError as exc:
                self.notify(exc.message, severity="error")
                return
        self.dismiss(value)
