"""Date fields in the language's form: in Georgian a date is shown, prefilled and completed
as 01.12.2026, in English as 2026-12-01; either form is read in either language, and the
form hands the book ISO dates."""

from __future__ import annotations

import datetime as dt

import pytest

from smallbiz import dates
from smallbiz.i18n import set_language
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.date_input import DateInput
from tests.tui.conftest import SIZE, settle

SAVED: list[dict[str, str]] = []


def _form() -> FormDialog:
    return FormDialog("Dates", [
        FormField("date", "Date", "2026-12-01", date=True),
        FormField("follow_up", "Follow up", date=True),
        FormField("memo", "Memo"),
    ], lambda values: SAVED.append(values))


@pytest.mark.parametrize(("lang", "shown", "typed", "resolved"), [
    ("ka", "01.12.2026", "2026-03-05", "05.03.2026"),
    ("en", "2026-12-01", "05.03.2026", "2026-03-05"),
])
async def test_a_date_field_speaks_the_language(app, lang, shown, typed, resolved) -> None:
    set_language(lang)
    SAVED.clear()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        form = _form()
        app.push_screen(form)
        await settle(pilot, app)
        prefilled = form.query_one("#f-date", DateInput)
        assert prefilled.value == shown  # prefilled in the language's form
        follow = form.query_one("#f-follow_up", DateInput)
        follow.focus()
        await pilot.press(*typed)
        await settle(pilot, app)
        assert follow.border_subtitle == resolved  # the other form: shown as the language's
        await pilot.press("tab")  # leaving the field: the text becomes that date
        await settle(pilot, app)
        assert follow.value == resolved
        follow.value = ""
        follow.focus()
        await pilot.press(*"+7")
        await settle(pilot, app)
        week = dates.today() + dt.timedelta(days=7)
        assert follow.border_subtitle == dates.format_date(week)
        assert form.values()["follow_up"] == week.isoformat()  # the book gets ISO
        assert form.values()["date"] == "2026-12-01"


async def test_report_dates_are_prefilled_in_georgian(app) -> None:
    set_language("ka")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f10")
        await settle(pilot, app)
        fields = list(app.screen.query(DateInput))
        assert fields, "the reports place has date fields"
        today = dates.today()
        assert fields[-1].value == dates.format_date(today)
        assert all("-" not in f.value for f in fields if f.value)
