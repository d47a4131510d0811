"""Follow every number to its source: a report row opens the account's ledger for the
period, a ledger line its entry, the entry its invoice, the invoice its contact; escape
walks back to the same row. An aging row opens the customer; a 360 line its document."""

from __future__ import annotations

from smallbiz.screens.contacts import ContactScreen
from smallbiz.screens.invoices import InvoiceDialog
from smallbiz.screens.journal import EntryDialog, LedgerScreen
from smallbiz.screens.reports import ReportsScreen
from tests.tui.conftest import SIZE, settle


async def _report(pilot, app, key: str) -> ReportsScreen:
    await pilot.press("f10")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ReportsScreen)
    await screen.run_action(f"show('{key}')")
    await settle(pilot, app)
    await pilot.press("enter")  # into the report's table
    await settle(pilot, app)
    return screen


async def test_from_the_trial_balance_to_the_customer_and_back(app, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = await _report(pilot, app, "tb")
        row = next(i for i, r in enumerate(screen.rows()) if "receivable" in r[1].lower())
        table = screen.query_one("#report-table")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot, app)
        ledger = app.screen
        assert isinstance(ledger, LedgerScreen)
        assert ledger.query_one("#ledger-account").value == screen.rows()[row][0]
        lines = ledger.query_one("#ledger-lines").visible_rows()
        assert [r.cells[3] for r in lines] == ["236.00"]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EntryDialog)
        await pilot.press("o")  # the entry's source: the invoice
        await settle(pilot, app)
        assert isinstance(app.screen, InvoiceDialog) and app.screen.number == shop.invoice
        await pilot.press("c")  # the invoice's customer
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.view.name == shop.customer
        for _i in range(4):
            await pilot.press("escape")
            await settle(pilot, app)
        assert app.screen is screen and table.cursor_row == row


async def test_an_aging_row_opens_the_customer_and_a_360_line_its_invoice(app, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = await _report(pilot, app, "aging")
        assert screen.rows()[0][0] == shop.customer
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        app.screen.query_one("#c-invoices").focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, InvoiceDialog) and app.screen.number == shop.invoice
        await pilot.press("escape", "escape")
        await settle(pilot, app)
        assert app.screen is screen


async def test_the_palette_finds_a_document_a_product_and_an_account(app, shop) -> None:
    from smallbiz.screens.products import ProductDialog

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for query, opened in ((shop.invoice, InvoiceDialog), ("blue wid", ProductDialog),
                              ("1010", LedgerScreen)):
            await pilot.press("ctrl+p")
            await settle(pilot, app)
            await pilot.press(*query)
            for _i in range(20):  # the palette searches in the background
                await pilot.pause(0.1)
            await settle(pilot, app)
            await pilot.press("down", "enter")
            await settle(pilot, app)
            assert isinstance(app.screen, opened), query
            await pilot.press("escape")
            await settle(pilot, app)
