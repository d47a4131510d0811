"""A whole sale by keyboard only — new sale, customer and product by completion, lines,
confirm, ship, invoice, payment — then the book, the dashboard and the contact agree.
Purchases, invoices (payment, PDF) and stock adjustments likewise."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.app.book import Book
from smallbiz.check import run_checks
from smallbiz.orders.invoices import list_invoices
from smallbiz.orders.service import show_order
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen, OrdersScreen
from smallbiz.stock.service import resolve_product
from tests.tui.conftest import SIZE, settle


async def _step(pilot, app, key: str) -> None:
    """One step by its key: a confirm is answered yes; a step that posts opens its form
    (dated today, all that is open), saved as it comes."""
    await pilot.press(key)
    await settle(pilot, app)
    if key == "c":
        assert isinstance(app.screen, ConfirmDialog), key
        await pilot.press("y")
    else:
        assert isinstance(app.screen, FormDialog), key
        await pilot.press("ctrl+s")
    await settle(pilot, app)


async def test_a_full_sale_by_keyboard(app, book, shop) -> None:
    facade = Book(book)
    before = facade.dashboard()
    assert before.receivable == Decimal("236.00")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        await pilot.press(*"acm")
        await settle(pilot, app)
        await pilot.press("tab")  # tab takes the customer's completion and stays
        assert app.focused.id == "order-contact" and app.focused.value == "Acme Trading"
        await pilot.press("tab", "tab", "tab", "tab")  # date; notes; currency; product
        await pilot.press(*"blue")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "2", "enter")  # take the product, qty 2, add the line
        await settle(pilot, app)
        await pilot.press(*"WID")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "1", "tab", *"90", "enter")  # a second line at 90
        await settle(pilot, app)
        assert "2 lines · net 290.00 · VAT 52.20 · total 342.20" in str(
            app.screen.query_one("#order-totals").render())
        await pilot.press("ctrl+d")  # remove the last line…
        await settle(pilot, app)
        await pilot.press(*"WID")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "1", "enter")  # …and add it at the list price
        await settle(pilot, app)
        assert "net 300.00 · VAT 54.00 · total 354.00" in str(
            app.screen.query_one("#order-totals").render())
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        number = app.screen.number
        assert app.screen.order.status == "draft"
        await _step(pilot, app, "c")
        await _step(pilot, app, "s")
        await _step(pilot, app, "i")
        order = app.screen.order
        assert (order.status, order.balance_due) == ("invoiced", Decimal("354.00"))
        assert facade.dashboard().receivable == Decimal("590.00")
        assert facade.contact_360("Acme Trading").extra["total_owed"] == Decimal("590.00")
        await pilot.press("p")
        await settle(pilot, app)
        assert app.screen.values()["amount"] == "354.00"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.order.status == "paid"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.table.current_row.data[0] == number
    with book.read() as s:
        view = show_order(s, "sale", number)
        assert [(ln.sku, ln.quantity) for ln in view.lines] == [
            ("WID-1", Decimal("2.000")), ("WID-1", Decimal("1.000"))]
        assert resolve_product(s, "WID-1").on_hand == Decimal("5.000")
    after = facade.dashboard()
    assert after.receivable == before.receivable
    assert after.cash_and_bank == before.cash_and_bank + Decimal("354.00")
    assert facade.contact_360("Acme Trading").extra["total_owed"] == Decimal("236.00")
    assert run_checks(book) == []


async def test_a_purchase_received_and_its_bill_paid(app, book, shop) -> None:
    facade = Book(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f6", "n")
        await settle(pilot, app)
        await pilot.press(*"parts")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"WID-1")
        await settle(pilot, app)
        await pilot.press("tab", "tab", *"10", "tab", *"55", "enter", "ctrl+s")
        await settle(pilot, app)
        await _step(pilot, app, "c")
        await _step(pilot, app, "r")
        order = app.screen.order
        assert order.status in ("received", "invoiced") and order.invoice.startswith("BILL-")
        assert facade.dashboard().payable == Decimal("649.00")  # 550 + 18 % VAT
        await pilot.press("p", "ctrl+s")
        await settle(pilot, app)
    assert facade.dashboard().payable == Decimal("0.00")
    assert facade.product("WID-1").on_hand == Decimal("18.000")
    assert run_checks(book) == []


async def test_a_draft_order_refused_by_the_service_keeps_its_lines(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "n")
        await settle(pilot, app)
        await pilot.press(*"Nobody at all")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "tab", "tab", *"WID-1")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "1", "enter")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert app.screen.number is None and len(app.screen.lines) == 1
        assert app.focused.id == "order-contact"


async def test_invoices_record_payment_and_pdf(app, book, shop, tmp_path) -> None:
    from smallbiz.screens.invoices import InvoicesScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
        assert [r.cells[0] for r in app.screen.table.visible_rows()] == [shop.invoice]
        await pilot.press("p")
        await settle(pilot, app)
        await pilot.press("ctrl+a", "ctrl+k", *"100", "ctrl+s")  # a partial payment
        await settle(pilot, app)
        assert [r.cells[6] for r in app.screen.table.visible_rows()] == ["136.00"]
        await pilot.press("d")
        await settle(pilot, app)
        target = tmp_path / "invoice.pdf"
        await pilot.press("ctrl+a", "ctrl+k", *str(target), "ctrl+s")
        await settle(pilot, app)
    assert target.read_bytes().startswith(b"%PDF")
    with book.read() as s:
        (inv,) = list_invoices(s)
        assert (inv.paid, inv.balance_due) == (Decimal("100.00"), Decimal("136.00"))


async def test_stock_adjustment_form(app, book, shop) -> None:
    from smallbiz.screens.products import ProductsScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8")
        await settle(pilot, app)
        assert isinstance(app.screen, ProductsScreen)
        (row,) = app.screen.table.visible_rows()
        assert row.cells[:3] == ("WID-1", "Blue widget", "8") and row.style == ""
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press(*"-4", "tab", "tab", *"count", "ctrl+s")  # product prefilled: on qty
        await settle(pilot, app)
        (row,) = app.screen.table.visible_rows()
        assert row.cells[2] == "4" and row.style == "warning"  # below the reorder level 5
    assert Book(book).product("WID-1").on_hand == Decimal("4.000")
    assert run_checks(book) == []


async def test_a_part_of_a_sale_shipped_on_a_date_by_keyboard(app, book, shop) -> None:
    """The ship form takes a date and the lines: 3 of the 5 widgets, two days ago."""
    import datetime as dt

    from smallbiz.orders.lines import LineInput
    from smallbiz.screens.orders import OrderScreen

    facade = Book(book)
    order = facade.create_order("sale", shop.customer, [LineInput(shop.sku, Decimal(5))],
                                on=dt.date.today() - dt.timedelta(days=5))
    facade.order_action("sale", "confirm", order.number)
    when = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(OrderScreen("sale", number=order.number))
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        # the date is prefilled (a date field): the focus starts on the lines
        await pilot.press(*"1=3", "shift+tab", "ctrl+a", "ctrl+k", *when, "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        shipped = app.screen.order
        assert (shipped.status, shipped.shipped_on) == ("shipped", dt.date.fromisoformat(when))
        assert [(p.shipped, p.open_to_ship) for p in shipped.progress] == [
            (Decimal(3), Decimal(2))]
    assert [(p.shipped, p.open_to_ship) for p in facade.order("sale", order.number).progress
            ] == [(Decimal(3), Decimal(2))]


async def test_a_credit_note_and_a_direct_invoice_from_the_invoices(app, book, shop) -> None:
    """k credits the highlighted invoice (one widget of two, goods back); n invoices a
    service without an order."""
    from smallbiz.screens.invoices import InvoicesScreen

    facade = Book(book)
    facade.add_product("SVC-9", "Setup hour", price="40", service=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("k")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#f-back").value = "yes"
        await pilot.press(*"1=1", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
        # 100.00 + 18.00 of 236.00 credited
        assert [r.cells[6] for r in app.screen.table.visible_rows()] == ["118.00"]
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.press(*"Acme", "tab", *"SVC-9=2", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
    invoice = facade.invoice(shop.invoice)
    assert (invoice.credited, invoice.balance_due, len(invoice.notes)) == (
        Decimal("118.00"), Decimal("118.00"), 1)
    assert facade.product(shop.sku).on_hand == Decimal(9)  # 10 - 2 shipped + 1 back
    new = facade.invoices("invoice")[-1]
    assert (new.contact, new.gross) == (shop.customer, Decimal("94.40"))


async def test_a_direct_invoice_in_dollars_from_the_invoices(app, book, shop) -> None:
    """n with a currency and a rate: the invoice is in dollars, posted in lari."""
    from smallbiz.screens.invoices import InvoicesScreen

    facade = Book(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#f-currency").value = "USD"
        app.screen.query_one("#f-rate").value = "2.70"
        await pilot.press(*"Acme", "tab", *"Consulting=1@100;vat=0", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
    new = facade.invoice(facade.invoices("invoice")[-1].number)
    assert (new.currency, new.rate, new.gross_fx, new.gross) == (
        "USD", Decimal("2.7"), Decimal("100.00"), Decimal("270.00"))
    assert run_checks(book) == []
