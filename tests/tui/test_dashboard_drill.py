"""Dashboard figures lead to the list behind them: `f` moves into the figures, ↑/↓ between
them, enter opens the filtered list, escape comes back to the same figure."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Select

from smallbiz.app.book import Book
from smallbiz.crm.interactions import log_interaction
from smallbiz.screens.bank import BankScreen
from smallbiz.screens.contacts import FollowUpsScreen
from smallbiz.screens.dashboard import DashboardScreen, FigureRow
from smallbiz.screens.deals import DealsScreen
from smallbiz.screens.invoices import InvoicesScreen
from smallbiz.screens.products import ProductsScreen
from tests.tui.conftest import SIZE, settle


def _focused_figure(app) -> str:
    assert isinstance(app.focused, FigureRow), app.focused
    return app.focused.key


async def _open(pilot, app, key: str) -> None:
    """From the dashboard: into the figures, down to `key`, enter."""
    await pilot.press("f")
    await settle(pilot, app)
    while _focused_figure(app) != key:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot, app)


async def test_overdue_invoices_open_filtered_and_escape_returns(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _open(pilot, app, "overdue_invoices")
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        assert screen.query_one("#invoice-which", Select).value == "overdue"
        assert screen.table.current_row.data[0] == shop.invoice  # 40 days old, 30 days terms
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert _focused_figure(app) == "overdue_invoices"  # the same place


async def test_each_figure_opens_its_list(app, book, shop) -> None:
    with book.transaction() as s:
        log_interaction(s, "Acme Trading", "Call about the order", kind="call",
                        on=dt.date.today(), follow_up=dt.date.today())
    Book(book).adjust_stock("WID-1", "-6")  # 4 left, reorder at 5
    expected = {"payable": InvoicesScreen, "low": ProductsScreen, "stock": ProductsScreen,
                "pipeline": DealsScreen, "followups": FollowUpsScreen, "cash": BankScreen,
                "receivable": InvoicesScreen}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key, screen_type in expected.items():
            await _open(pilot, app, key)
            assert isinstance(app.screen, screen_type), key
            if key == "payable":
                assert app.screen.kind == "bill"
            if key == "low":
                assert app.screen.low_only is True
            await pilot.press("escape")
            await settle(pilot, app)
            assert isinstance(app.screen, DashboardScreen), key
            assert _focused_figure(app) == key
