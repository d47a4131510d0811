"""The dashboard shows the services' numbers; every report renders with its period; deals
move between stages by key; the first run creates the book."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smallbiz import settings
from smallbiz.app.book import Book
from smallbiz.books.reports import trial_balance
from smallbiz.crm.deals import add_deal, forecast, list_deals
from smallbiz.crm.interactions import log_interaction
from smallbiz.db import Database
from smallbiz.orders.reports import aging
from smallbiz.screens.app import SmallBizApp
from smallbiz.screens.dashboard import DashboardScreen
from smallbiz.screens.deals import DealsScreen
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.reports import REPORTS, ReportsScreen
from smallbiz.stock.service import stock_report
from tests.tui.conftest import SIZE, settle


async def test_dashboard_figures_equal_the_services(app, book, shop, cli) -> None:
    cli("journal", "add", "--date", "today", "--memo", "Capital", "-p", "1010=5000", "-p", "3000")
    cli("journal", "add", "--date", "today", "--memo", "Float", "-p", "1000=200", "-p", "1010")
    today = dt.date.today()
    with book.transaction() as s:
        add_deal(s, "Acme Trading", "Big order", "1000", stage="proposal")
        log_interaction(s, "Acme Trading", "Call back", follow_up=today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        with book.read() as s:
            tb = {r.code: r.balance for r in trial_balance(s, today).rows}
            receivable = aging(s, as_of=today)
            low = [r.sku for r in stock_report(s, low_only=True)]
            weighted = forecast(s).weighted_value
        f = screen.figures
        assert f["cash"] == "5,000.00" and tb["1000"] + tb["1010"] == Decimal("5000.00")
        assert f["receivable"] == "236.00" == Book(book).format(tb["1100"])
        # the invoice was due 10 days ago (40 days old, 30 days' terms)
        assert f["overdue"] == "236.00" == Book(book).format(
            receivable.total - receivable.totals["current"])
        assert f["overdue_invoices"] == "1"
        assert f["payable"] == "0.00"
        assert f["stock"] == "480.00" == Book(book).format(tb["1200"])  # 8 × 60
        assert low == [] and f["low"] == "0"
        assert f["pipeline"] == "500.00" == Book(book).format(weighted)
        assert f["followups"] == "1"
        months = screen.data.sales_by_month
        assert len(months) == 12 and months[-1].month == today.strftime("%Y-%m")
        assert sum((m.amount for m in months), Decimal(0)) == Decimal("200.00")
        assert any(i.kind == "invoice" and i.detail == "Acme Trading" for i in screen.queue)


async def test_every_report_renders_with_a_period(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f10")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        for key, _title, _period in REPORTS:
            await screen.run_action(f"show('{key}')")
            await settle(pilot, app)
            assert screen.report is not None and screen.report.columns != [""], key
        await screen.run_action("show('tb')")
        await settle(pilot, app)
        rows = screen.rows()
        assert rows[-1] == ("", "Total", "", "836.00", "836.00")
        await screen.run_action("show('pl')")
        await settle(pilot, app)
        assert ("", "Net income", "80.00") in screen.rows()  # 200 sales - 120 COGS
        # the period picker: last year holds nothing
        from textual.widgets import Select

        screen.query_one("#report-preset", Select).value = "last_year"
        await settle(pilot, app)
        assert ("", "Net income", "0.00") in screen.rows()


async def test_deals_move_between_stages_by_key(app, book, shop) -> None:
    with book.transaction() as s:
        add_deal(s, "Acme Trading", "Big order", "1000", stage="lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        assert isinstance(app.screen, DealsScreen)
        assert app.screen.current().title == "Big order"
        await pilot.press("]")
        await settle(pilot, app)
        await pilot.press("]")
        await settle(pilot, app)
        assert [d.stage for d in Book(book).deals()] == ["proposal"]
        assert app.screen.current().stage == "proposal"
        await pilot.press("w")
        await settle(pilot, app)
    with book.read() as s:
        assert [(d.stage, d.probability) for d in list_deals(s)] == [("won", Decimal("100.00"))]


async def test_first_run_asks_for_the_company_and_creates_the_book(another_book) -> None:
    db = Database(another_book("new.db"))
    app = SmallBizApp(Book(db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("f3")  # nothing to go to before the book exists
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Tea House", "tab", "ctrl+a", "ctrl+k", *"EUR", "tab", "ctrl+a",
                          "ctrl+k", *"20", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
    assert db.exists()
    with db.read() as s:
        book = settings.load(s)
    assert (book.company_name, book.currency, book.vat_rate) == ("Tea House", "EUR",
                                                                 Decimal("20.00"))


async def test_first_run_refuses_a_bad_currency_and_keeps_the_form(another_book) -> None:
    db = Database(another_book("new.db"))
    app = SmallBizApp(Book(db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press(*"Tea House", "tab", "ctrl+a", "ctrl+k", *"XYZ", "ctrl+s")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert "ISO 4217" in str(form.query_one("#e-currency").render())
        assert form.values()["company"] == "Tea House"
    assert not db.exists()


@pytest.mark.sqlite_only("the demo of `tui --demo` is a throwaway SQLite file")
async def test_demo_is_built_behind_a_progress_bar_then_opens(tmp_path) -> None:
    from smallbiz.screens.modals.progress import ProgressDialog

    path = tmp_path / "demo.db"
    app = SmallBizApp(Book(Database(path)), demo_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProgressDialog)
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.data.company == "Kavkasia Tools LLC"
        assert app.screen.data.receivable > 0


async def test_reports_open_with_one_computation_and_columns_that_fit(app, book, shop,
                                                                    monkeypatch) -> None:
    """The period picker posts its first value on mount: that is not a change (the trial
    balance of a big book used to be computed twice, the second run racing the first)."""
    shown: list[str] = []
    original = ReportsScreen.show

    def show(screen: ReportsScreen, report) -> None:
        shown.append(report.title)
        original(screen, report)

    monkeypatch.setattr(ReportsScreen, "show", show)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f10")
        await settle(pilot, app)
        screen = app.screen
        assert shown == [f"Trial balance as of {dt.date.today().isoformat()}"]
        from textual.widgets import DataTable

        table = screen.query_one("#report-table", DataTable)
        longest = [max(len(row[i]) for row in screen.rows()) for i in range(5)]
        assert [c.width for c in table.ordered_columns] == [
            max(w, len(title)) for w, title in zip(longest, screen.report.columns, strict=True)]


async def test_report_rows_show_user_text_as_typed_not_as_markup(app, book, shop,
                                                                   cli) -> None:
    """An account's name with square brackets is shown as typed in the trial balance and
    the chart of accounts: a DataTable reads a plain string cell as markup, so
    '[b]cash[/b]' would turn into a bold 'cash' (and '[' alone can fail the render)."""
    from tests.tui.test_language import screen_text

    cli("account", "add", "1015", "Petty [b]cash[/b] [red", "--type", "asset")
    cli("journal", "add", "--date", "today", "--memo", "Float", "-p", "1015=20", "-p", "1010")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f10")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        for key in ("tb", "accounts"):
            await screen.run_action(f"show('{key}')")
            await settle(pilot, app)
            assert "Petty [b]cash[/b] [red" in screen_text(app), key
