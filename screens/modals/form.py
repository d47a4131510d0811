"""A small form in a dialog: a few fields, ctrl+s saves, escape cancels.

`submit(values)` calls the service; a `UserError` is shown beside the field it names
(or as a notification) and the dialog stays open with everything typed still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from smallbiz.errors import UserError
from smallbiz.i18n import N_, _, translate_choices
from smallbiz.screens.widgets.completing_input import Complete, CompletingInput
from smallbiz.screens.widgets.date_input import DateInput


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    complete: Complete | None = None
    choices: Sequence[tuple[str, str]] | None = None  # (label, value) for a Select
    date: bool = False  # a date field: `+7`, `tomorrow`, `1.12` ... shown resolved


def field_matches(error_field: str | None, name: str, label: str) -> bool:
    """Does a service error's `field` refer to this form field?"""
    if not error_field:
        return False
    ef = error_field.strip("-").replace("_", " ").casefold()
    return ef in (name.replace("_", " ").casefold(), label.casefold()) or \
        ef.startswith(name.replace("_", " ").casefold())


class FormDialog(ModalScreen[Any]):
    """Dismisses with what `submit` returned, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]

    def __init__(self, title: str, fields: Sequence[FormField],
                 submit: Callable[[dict[str, str]], Any], *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.submit = submit
        self.note = note
        self.saving = False  # a save is waiting for the book

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="form-fields", can_focus=False):
                # the note scrolls (and wraps) with the fields: at 80×24 the keys below
                # stay whole however long the note is
                if self.note:
                    yield Static(self.note, classes="dialog-detail", markup=False)  # user text
                for f in self.fields:
                    yield Label(f.label, classes="field-label")
                    if f.choices is not None:
                        yield Select(translate_choices(f.choices), value=f.value or Select.NULL,
                                     allow_blank=not f.value, id=f"f-{f.name}")
                    elif f.date:
                        yield DateInput(f.value, field=f.name, placeholder=f.placeholder,
                                        id=f"f-{f.name}", classes="")
                    elif f.complete is not None:
                        yield CompletingInput(f.complete, value=f.value,
                                              placeholder=f.placeholder, id=f"f-{f.name}")
                    else:
                        yield Input(value=f.value, placeholder=f.placeholder, id=f"f-{f.name}")
                    yield Static("", classes="field-error", id=f"e-{f.name}")
            yield Static(_("ctrl+s save · esc cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        holds = getattr(self.app, "holds_typing", None)
        if holds is not None:
            holds(self)
        # past what the form was opened on (a prefilled contact, product or date): the
        # focus never lands on it, so typing never replaces it
        fields = self.fields
        start = 0
        while start < len(fields) - 1 and fields[start].value and (
                fields[start].complete is not None or fields[start].date):
            start += 1
        if fields:
            self.query_one(f"#f-{fields[start].name}").focus()

    def has_unsaved(self) -> bool:
        """Anything typed that differs from what the form opened with."""
        values = self.values()
        return any(values[f.name].strip() != f.value.strip() for f in self.fields
                   if f.choices is None and not f.date)

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, DateInput):
                out[f.name] = widget.iso() if widget.value.strip() else ""
            else:
                assert isinstance(widget, Input)
                out[f.name] = widget.value
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"f-{self.fields[-1].name}":
            self.action_save()
        else:
            self.focus_next()

    def show_error(self, error: UserError) -> None:
        for f in self.fields:
            self.query_one(f"#e-{f.name}", Static).display = False
        for f in self.fields:
            if field_matches(error.field, f.name, f.label):
                beside = self.query_one(f"#e-{f.name}", Static)
                beside.update(error.message)
                beside.display = True
                self.query_one(f"#f-{f.name}").focus()
                self.app.bell()
                return
        self.notify(error.message, severity="error")

    def action_save(self) -> None:
        """Submit off the event loop (a busy book never freezes the app); one save at a
        time."""
        from smallbiz.screens.base import run_write

        if self.saving:
            return
        self.saving = True
        values = self.values()

        def saved(result: Any) -> None:
            self.saving = False
            self.dismiss(result)

        def failed(error: UserError) -> None:
            self.saving = False
            self.show_error(error)

        run_write(self, lambda: self.submit(values), saved, failed=failed)

    def action_cancel(self) -> None:
        self.dismiss(None)
