"""The supplier's own number for a bill in the app: typed in the receive step's form,
shown in the bill's view, changed there with `r` (a key only a bill has)."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from smallbiz.app.book import Book
from smallbiz.orders.lines import LineInput
from smallbiz.screens.invoices import InvoiceDialog
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from tests.tui.conftest import SIZE, settle


def _confirmed_purchase(book) -> str:
    facade = Book(book)
    order = facade.create_order("purchase", "Parts Supply", [LineInput("WID-1", Decimal(3),
                                                                       Decimal(50))])
    facade.order_action("purchase", "confirm", order.number)
    return order.number


async def test_receive_takes_the_suppliers_number_and_the_bill_shows_it(app, book,
                                                                       shop) -> None:
    number = _confirmed_purchase(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(OrderScreen("purchase", number=number))
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#f-supplier_ref", Input).value = "F-2026/118"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        bill = app.screen.order.invoice
        assert Book(book).invoice(bill).supplier_ref == "F-2026/118"

        app.push_screen(InvoiceDialog(bill))
        await settle(pilot, app)
        dialog = app.screen
        assert "Supplier's reference: F-2026/118" in str(
            dialog.query_one("#invoice-head").render())
        await pilot.press("r")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormDialog)
        field = form.query_one("#f-supplier_ref", Input)
        assert field.value == "F-2026/118"
        field.value = "F-2026/119"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "Supplier's reference: F-2026/119" in str(
            dialog.query_one("#invoice-head").render())
    assert Book(book).invoice(bill).supplier_ref == "F-2026/119"


async def test_an_invoice_has_no_suppliers_reference_key(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(InvoiceDialog(shop.invoice))
        await settle(pilot, app)
        dialog = app.screen
        assert dialog.check_action("supplier_ref", ()) is False
        assert "Supplier's reference" not in str(dialog.query_one("#invoice-head").render())
        await pilot.press("r")
        await settle(pilot, app)
        assert app.screen is dialog
