"""Deals: `e` edits the highlighted deal's title, value, close date, stage or probability
in a form; the board shows the change and the book has it, with an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual.widgets import Input, Select

from smallbiz.crm.deals import add_deal, list_deals
from smallbiz.screens.deals import DealsScreen
from smallbiz.screens.modals.form import FormDialog
from tests.tui.conftest import SIZE, settle


async def _open_board(pilot, app):
    await settle(pilot, app)
    await pilot.press("f4")
    await settle(pilot, app)
    assert isinstance(app.screen, DealsScreen)


async def test_e_edits_value_title_close_and_stage(app, book, shop) -> None:
    with book.transaction() as s:
        add_deal(s, "Acme Trading", "Big order", "1000", stage="proposal",
                 expected_close="2027-01-10")
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(pilot, app)
        await pilot.press("right", "right")  # to the Proposal column
        await pilot.press("e")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#f-title", Input).value == "Big order"
        assert form.query_one("#f-value", Input).value == "1000"
        assert app.focused is form.query_one("#f-title", Input)
        form.query_one("#f-title", Input).value = "Bigger order"
        form.query_one("#f-value", Input).value = "1500.50"
        form.query_one("#f-close", Input).value = "2027-02-01"
        form.query_one("#f-stage", Select).value = "negotiation"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DealsScreen)
        shown = app.screen.current()
        assert (shown.title, shown.stage) == ("Bigger order", "negotiation")
    with book.read() as s:
        (d,) = list_deals(s)
        assert (d.title, d.value, d.expected_close, d.stage, d.probability) == (
            "Bigger order", Decimal("1500.50"), dt.date(2027, 2, 1), "negotiation",
            Decimal("75.00"))  # the new stage's probability, not the one shown before
        assert s.scalar("SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                        "AND action = 'edit'") == 1


async def test_a_bad_value_is_shown_beside_the_field_and_nothing_changes(app, book,
                                                                        shop) -> None:
    with book.transaction() as s:
        add_deal(s, "Acme Trading", "Big order", "1000")
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        form = app.screen
        form.query_one("#f-value", Input).value = "-5"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert "must not be negative" in str(form.query_one("#e-value").render())
        await pilot.press("escape")
        await settle(pilot, app)
    with book.read() as s:
        assert [d.value for d in list_deals(s)] == [Decimal("1000.00")]
