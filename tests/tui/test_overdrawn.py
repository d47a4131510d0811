"""A payment that takes the bank below zero is posted, and the app says so."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.app.book import Book
from smallbiz.orders.lines import LineInput
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import payment_form
from tests.tui.conftest import SIZE, listen, settle


async def test_the_app_warns_when_a_payment_overdraws(app, book, shop, monkeypatch) -> None:
    said = listen(app, monkeypatch)
    facade = Book(book)
    order = facade.create_order("purchase", "Parts Supply", [LineInput("WID-1", Decimal(1),
                                                                       Decimal(50))])
    facade.order_action("purchase", "confirm", order.number)
    bill = facade.order_action("purchase", "receive", order.number).reference
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(payment_form(facade, bill, Decimal("59.00")))
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert any("is below zero now: -59.00" in m for m in said), said
    assert facade.invoice(bill).status == "paid"


async def test_the_journal_form_warns_when_its_entry_overdraws(app, book,
                                                              monkeypatch) -> None:
    """The same warning as a payment's, after the entry is posted."""
    from smallbiz.screens.journal import JournalScreen
    from tests.tui.test_journal import post_entry

    said = listen(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await post_entry(pilot, app, "Wages", [("6100", "250", ""), ("1010", "", "250")])
        assert isinstance(app.screen, JournalScreen)
        assert "1010 Bank account is below zero now: -250.00" in said, said
        assert [r.cells[2] for r in app.screen.table.visible_rows()] == ["Wages"]
        said.clear()
        await post_entry(pilot, app, "Capital", [("1010", "1000", ""), ("3000", "", "1000")])
        assert isinstance(app.screen, JournalScreen)
        assert not any("below zero" in m for m in said), said
    assert Book(book).overdrawn(["1010"]) == []


async def test_reversing_an_entry_that_overdraws_warns(app, book, cli, monkeypatch) -> None:
    """The journal list's `r` posts the reversal and warns as the form does: the capital
    paid in is reversed after 200.00 of it went on rent."""
    capital = cli("journal", "add", "--date", "today", "--memo", "Capital", "-p", "1010=500",
                  "-p", "3000").stdout.strip()
    cli("journal", "add", "--date", "today", "--memo", "Rent", "-p", "6000=200", "-p", "1010")
    said = listen(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        await pilot.press("up")
        await settle(pilot, app)
        assert app.screen.table.current_row.data == capital
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "1010 Bank account is below zero now: -200.00" in said, said
    assert Book(book).overdrawn(["1010"]) == [("1010", "Bank account", Decimal("-200.00"))]

