"""The Today queue's other sources: unmatched bank lines, recurring invoices due, the VAT
return due, quotes about to expire; each acted on where it stands (the bank line open in
the Bank place, the recurring invoice issued, the VAT report, the quote)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.orders.lines import LineInput
from smallbiz.screens.bank import BankScreen
from smallbiz.screens.dashboard import DashboardScreen
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.quotes import QuoteDialog
from smallbiz.screens.reports import ReportsScreen
from tests.tui.conftest import SIZE, settle


@pytest.fixture(autouse=True)
def mid_month(monkeypatch):
    """A day in the first half of this month, when last month's VAT return is due (on the
    15th): the queue shows it then."""
    real = dt.date.today()
    day = real if real.day <= 15 else real.replace(day=15)
    monkeypatch.setattr(dates, "today", lambda: day)
    return day


def _fill(book, tmp_path) -> Book:
    facade = Book(book)
    today = dates.today()
    statement = tmp_path / "s.csv"
    statement.write_text("date,amount,description,counterparty\n"
                         f"{(today - dt.timedelta(days=3)).isoformat()},-12.50,Card fee,Bank\n")
    facade.import_statement(str(statement))
    facade.add_recurring("Acme Trading", [LineInput("WID-1", Decimal(1))], every=1,
                         start=today - dt.timedelta(days=2), name="Monthly widget")
    facade.change_setting("vat_payer", "true")
    quote = facade.create_quote("Acme Trading", [LineInput("WID-1", Decimal(1))],
                                valid_until=today + dt.timedelta(days=3))
    facade.quote_action("send", quote.number)
    return facade


async def _act_on(pilot, app, screen, kind: str) -> None:
    table = screen.query_one("#today")
    await pilot.press("t")
    table.move_cursor(row=[i.kind for i in screen.queue].index(kind))
    await pilot.press("enter")
    await settle(pilot, app)


async def test_the_new_sources_are_queued_and_acted_on(app, book, shop, tmp_path) -> None:
    facade = _fill(book, tmp_path)
    line = facade.bank_lines(unmatched=True)[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        items = {i.kind: i for i in screen.queue}
        assert items["bank_line"].ref == (line.account, line.id)
        assert items["recurring"].title == "Issue recurring invoice Monthly widget"
        assert items["vat"].title.startswith("VAT return ")
        assert items["quote"].title.endswith(
            f"valid until {(dates.today() + dt.timedelta(days=3)).isoformat()}")

        await _act_on(pilot, app, screen, "bank_line")  # the line, highlighted, to match
        assert isinstance(app.screen, BankScreen)
        assert app.screen.current().id == line.id
        await pilot.press("escape")
        await settle(pilot, app)

        await _act_on(pilot, app, screen, "vat")  # the VAT report of that month
        assert isinstance(app.screen, ReportsScreen) and app.screen.current == "vat"
        start = app.screen.query_one("#report-from").value
        assert start[:7] == items["vat"].ref and start.endswith("-01")
        await pilot.press("escape")
        await settle(pilot, app)

        await _act_on(pilot, app, screen, "quote")  # the quote, to accept or let go
        assert isinstance(app.screen, QuoteDialog) and app.screen.number == items["quote"].ref
        await pilot.press("d", "y")  # declined
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert "quote" not in [i.kind for i in screen.queue]

        await _act_on(pilot, app, screen, "recurring")  # issued, after asking
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is screen
        assert "recurring" not in [i.kind for i in screen.queue]
    assert [q.status for q in facade.quotes()] == ["declined"]
    assert len(facade.invoices("invoice")) == 2  # the shop's and the recurring one


async def test_the_dashboard_lists_reminders_and_recurring_due(app, book, shop, tmp_path,
                                                              mid_month) -> None:
    late = (mid_month - _fill(book, tmp_path).invoice(shop.invoice).due_date).days
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        text = str(screen.query_one("#dashboard-reminders").render())
        assert f"Acme Trading: 1 invoice, 236.00, {late} days late" in text  # singular
        assert "1 recurring invoice due" in str(
            screen.query_one("#dashboard-recurring").render())
