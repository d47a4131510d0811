"""The order editor's currency: a sale priced in USD typed on the new order form (the
CLI's sale new --currency), invoiced at a rate from the invoice step's form (the CLI's
sale invoice --rate); a code that is no currency is said on the field, nothing written."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.app.book import Book
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from tests.tui.conftest import listen, settle

SMALL = (80, 24)


async def _new_sale(pilot, app, currency: str) -> None:
    """F5, n: the customer, then the currency, then 2 widgets at 50 in it, added."""
    await pilot.press("f5", "n")
    await settle(pilot, app)
    assert isinstance(app.screen, OrderScreen)
    await pilot.press(*"Acme Trading", "tab", "tab", "tab", *currency, "tab")
    assert app.focused.id == "line-product"
    await pilot.press(*"WID-1")
    await settle(pilot, app)
    await pilot.press("tab", "tab", "2", "tab", *"50")
    await settle(pilot, app)


async def test_a_usd_sale_from_the_form_is_invoiced_at_the_rate(app, book, cli, shop) -> None:
    """2 × 50 USD + 18 % VAT = 118 USD; invoiced at 2.75 (the table says 2.70):
    318.60 at the table's rate would be wrong, 118 × 2.75 = 324.50 is right."""
    cli("rate", "set", "USD", "2.70", "--date", "2020-01-01")
    facade = Book(book)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await _new_sale(pilot, app, "usd")
        preview = str(app.screen.query_one("#line-preview").render())
        assert preview.endswith("= 118.00 USD"), preview
        await pilot.press("enter")
        await settle(pilot, app)
        totals = str(app.screen.query_one("#order-totals").render())
        assert "total 118.00 USD" in totals, totals
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        number = app.screen.number
        assert number is not None
        assert "prices in USD" in str(app.screen.query_one("#order-state").render())
        # a draft's currency can still change (sale edit --currency), so its box stays
        assert not app.screen.query_one("#order-currency").disabled
        await pilot.press("escape")  # the list says the currency too
        await settle(pilot, app)
        row = app.screen.table.current_row
        assert (row.data[0], row.cells[5]) == (number, "118.00 USD")
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("y")  # confirm it
        await settle(pilot, app)
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#f-rate").value = "2.75"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    order = facade.order("sale", number)
    assert (order.currency, order.gross) == ("USD", Decimal("118.00"))
    shown = cli("sale", "show", number, "--json").json()
    assert shown["currency"] == "USD"
    inv = facade.invoice(order.invoice)
    assert (inv.currency, inv.rate, inv.gross_fx, inv.gross) == (
        "USD", Decimal("2.75"), Decimal("118.00"), Decimal("324.50"))


async def test_a_bad_currency_is_said_on_its_field_and_nothing_is_written(
        app, book, cli, shop, monkeypatch) -> None:
    facade = Book(book)
    before = [o.number for o in facade.orders("sale")]
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        said = listen(app, monkeypatch)
        await _new_sale(pilot, app, "XQZ")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen) and app.screen.number is None
        box = app.screen.query_one("#order-currency")
        assert app.focused is box and box.has_class("-error")
        assert any("'XQZ' is not an ISO 4217 currency code" in m for m in said), said
    assert [o.number for o in facade.orders("sale")] == before


async def test_a_eur_purchase_from_the_form_is_received_at_the_table_rate(
        app, book, cli, shop) -> None:
    """10 × 20 EUR + 18 % VAT = 236 EUR, received with the rate left empty: the rate
    table's 3.10 for the day, so the bill is 236 × 3.10 = 731.60."""
    cli("rate", "set", "EUR", "3.10", "--date", "2020-01-01")
    facade = Book(book)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await pilot.press("f6", "n")
        await settle(pilot, app)
        await pilot.press(*"Parts Supply", "tab", "tab", "tab", *"EUR", "tab", *"WID-1")
        await settle(pilot, app)
        await pilot.press("tab", "tab", *"10", "tab", *"20", "enter", "ctrl+s")
        await settle(pilot, app)
        number = app.screen.number
        assert "total 236.00 EUR" in str(app.screen.query_one("#order-totals").render())
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#f-rate").value == ""
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    order = facade.order("purchase", number)
    assert (order.currency, order.status) == ("EUR", "received")
    bill = facade.invoice(order.invoice)
    assert (bill.currency, bill.rate, bill.gross_fx, bill.gross) == (
        "EUR", Decimal("3.10"), Decimal("236.00"), Decimal("731.60"))
