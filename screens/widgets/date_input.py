"""A date field: takes `2026-12-01`, `01.12.2026`, `today`, `tomorrow`, `+7`, `-1m`, `1.12`
(see `dates.parse_typed_date`) and shows the date it means on its lower border as you type;
on leaving the field the text becomes that date, so what is saved is what was shown. Dates
are shown, prefilled and completed in the language's form (`dates.format_date`: 01.12.2026
in Georgian, ISO in English); both forms are read in either language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Input

from smallbiz.dates import format_date, format_date_text, parse_typed_date
from smallbiz.errors import ValidationError


class DateInput(Input):
    DEFAULT_CSS = """
    DateInput {
        border-subtitle-color: $text-accent;
    }
    """

    def __init__(self, value: str | dt.date = "", *, field: str = "date", **kwargs: Any) -> None:
        text = format_date(value) if isinstance(value, dt.date) else format_date_text(value)
        kwargs.setdefault("classes", "date")
        kwargs.setdefault("select_on_focus", False)  # typing never wipes the date unseen
        super().__init__(text, **kwargs)
        self.field = field

    def date(self) -> dt.date:
        """The date typed; ValidationError naming the field when it is none."""
        return parse_typed_date(self.value, field=self.field)

    def iso(self) -> str:
        """The date typed as `YYYY-MM-DD`, or the text as typed when it is no date (so
        the service names what is wrong)."""
        try:
            return self.date().isoformat()
        except ValidationError:
            return self.value

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_resolved()

    def show_resolved(self) -> None:
        text = self.value.strip()
        try:
            day = self.date()
        except ValidationError:
            self.border_subtitle = "?" if text else ""
            return
        self.border_subtitle = "" if text == format_date(day) else format_date(day)

    def on_blur(self) -> None:
        try:
            day = self.date()
        except ValidationError:
            return
        if self.value.strip() != format_date(day):
            self.value = format_date(day)


def typed_date(widget: DateInput) -> dt.date | None:
    """A date field's date, None when it is empty."""
    return widget.date() if widget.value.strip() else None
