"""The Today queue on the dashboard: overdue invoices (with days), products under their
reorder level, follow-ups due, each acted on where it stands; the queue updates."""

from __future__ import annotations

from smallbiz.app.book import Book
from smallbiz.screens.dashboard import DashboardScreen
from smallbiz.screens.invoices import InvoiceDialog
from smallbiz.screens.orders import OrderScreen
from tests.tui.conftest import SIZE, settle


async def test_the_queue_lists_and_acts(app, book, shop) -> None:
    facade = Book(book)
    facade.edit_product(shop.sku, reorder="20")  # 8 on hand: under the level now
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        kinds = [(i.kind, i.ref) for i in screen.queue]
        assert ("invoice", shop.invoice) in kinds and ("reorder", shop.sku) in kinds
        invoice = next(i for i in screen.queue if i.kind == "invoice")
        assert "overdue" in invoice.title and "days" in invoice.title
        await pilot.press("t")
        table = screen.query_one("#today")
        assert app.focused is table
        table.move_cursor(row=[i.kind for i in screen.queue].index("invoice"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoiceDialog) and app.screen.number == shop.invoice
        await pilot.press("p", "ctrl+s")  # pay it in full where it stands
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is screen
        assert ("invoice", shop.invoice) not in [(i.kind, i.ref) for i in screen.queue]
        table.move_cursor(row=[i.kind for i in screen.queue].index("reorder"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen) and app.screen.kind == "purchase"
        assert app.screen.query_one("#line-product").value == shop.sku


async def test_the_queue_lists_the_most_overdue_and_says_how_many_more(
        app, book, shop, monkeypatch) -> None:
    """The queue lists the `OVERDUE_INVOICES` most overdue invoices, then one item saying
    how many more there are; enter on it opens all overdue invoices (a book with 11k of
    them drew them all, seconds of the app's start)."""
    import datetime as dt
    from decimal import Decimal

    from smallbiz.app import today
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.service import confirm_order, create_order, invoice_order, ship_order
    from smallbiz.screens.invoices import InvoicesScreen

    numbers = [shop.invoice]
    for days in (50, 45):  # older than the shop's invoice (40 days): more overdue
        day = dt.date.today() - dt.timedelta(days=days)
        with book.transaction() as s:
            order = create_order(s, "sale", shop.customer, [LineInput(shop.sku, Decimal(1))],
                                 on=day)
            confirm_order(s, "sale", order.number)
            ship_order(s, order.number, on=day)
            numbers.append(invoice_order(s, order.number, on=day).reference)
    monkeypatch.setattr(today, "OVERDUE_INVOICES", 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        invoices = [(i.kind, i.ref) for i in screen.queue if "invoice" in i.kind]
        assert invoices == [("invoice", numbers[1]), ("invoice", numbers[2]),
                            ("overdue_invoices", None)]
        more = next(i for i in screen.queue if i.kind == "overdue_invoices")
        assert more.title == "1 more overdue invoice"
        await pilot.press("t")
        screen.query_one("#today").move_cursor(row=screen.queue.index(more))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoicesScreen)
        assert app.screen.table.row_count == 3
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is screen
