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
