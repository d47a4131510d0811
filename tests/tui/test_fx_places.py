"""Foreign currency where the CLI already has it, at 80×24 (nothing cut) and 120×36:
a draft order's currency changed in its editor (`sale edit --currency`), a new account
kept in USD (`account add --currency`) listed with its currency in the chart of
accounts, and the Bank place of a USD account in dollars (`bank list`, `bank reconcile`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smallbiz.app.book import Book
from smallbiz.orders.lines import LineInput
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from smallbiz.screens.reports import ReportsScreen
from tests.bank.conftest import fixture
from tests.conftest import content_hash
from tests.tui.conftest import SIZE, listen, settle
from tests.tui.test_snapshots import screen_text

SMALL = (80, 24)
SIZES = pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x36"])


def _draft(book, shop) -> str:
    """A lari draft sale: 2 × WID-1 at its 100.00, 236.00 with VAT."""
    order = Book(book).create_order("sale", shop.customer, [LineInput(shop.sku, Decimal(2))],
                                    on=dt.date.today())
    assert (order.currency, order.gross) == (None, Decimal("236.00"))
    return order.number


async def _open(pilot, app, number: str) -> OrderScreen:
    await settle(pilot, app)
    await app.push_screen(OrderScreen("sale", number=number))
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, OrderScreen)
    box = screen.query_one("#order-currency")
    assert not box.disabled  # a draft's currency is edited like the rest of it
    return screen


@SIZES
async def test_a_draft_sale_re_priced_in_usd(app, book, cli, shop, size) -> None:
    """USD in the currency box, the lari line removed and typed again at 40 USD:
    2 × 40 + 18 % = 94.40 USD; then back to the book's currency (the box emptied) at
    the product's price, 236.00 again."""
    cli("rate", "set", "USD", "2.70", "--date", "2020-01-01")
    number = _draft(book, shop)
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot, app, number)
        await pilot.click("#order-currency")
        await pilot.press(*"USD", "ctrl+d")  # the lari line goes
        await pilot.click("#line-product")
        await pilot.press(*"WID-1")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "2", "tab", *"40")
        await settle(pilot, app)
        assert str(screen.query_one("#line-preview").render()).endswith("= 94.40 USD")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen and screen.order.currency == "USD"
        text = screen_text(app)
        assert "prices in USD" in text and "total 94.40 USD" in text, text
        assert "USD" in screen.query_one("#order-currency").value
        await pilot.click("#order-currency")
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+s")  # emptied: the book's currency
        await settle(pilot, app)
        assert screen.order.currency is None
        assert "total 236.00" in screen_text(app)
    order = Book(book).order("sale", number)
    assert (order.currency, order.gross, order.status) == (None, Decimal("236.00"), "draft")
    assert cli("sale", "show", number, "--json").json()["lines"][0]["unit_price"] == "100.00"


async def test_a_line_left_in_lari_is_refused_and_nothing_written(
        app, book, book_path, shop, monkeypatch) -> None:
    number = _draft(book, shop)
    before = content_hash(book_path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await _open(pilot, app, number)
        said = listen(app, monkeypatch)
        await pilot.click("#order-currency")
        await pilot.press(*"USD", "ctrl+s")
        await settle(pilot, app)
        assert any("line 1: give WID-1's price in USD" in m for m in said), said
        assert screen.has_unsaved()  # the box still says USD, not saved
    assert content_hash(book_path) == before
    assert Book(book).order("sale", number).currency is None


async def _new_account(pilot, app) -> FormDialog:
    """The New account tool (ctrl+p), open."""
    await settle(pilot, app)
    await app.run_action("tool('new_account')")
    await settle(pilot, app)
    assert isinstance(app.screen, FormDialog)
    return app.screen


@SIZES
async def test_a_new_usd_account_and_the_chart_shows_its_currency(app, book, size) -> None:
    async with app.run_test(size=size) as pilot:
        form = await _new_account(pilot, app)
        await pilot.press("tab", "tab", "tab")  # code, name, type: the currency, in view
        await settle(pilot, app)
        assert app.focused is form.query_one("#f-currency")
        text = screen_text(app)
        assert "Currency (empty: the book's; a bank or cash account only)" in text, text
        for name, value in {"code": "1021", "name": "Bank USD", "type": "asset",
                            "currency": "usd"}.items():
            form.query_one(f"#f-{name}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, FormDialog)
        await pilot.press("f10")
        await settle(pilot, app)
        assert isinstance(app.screen, ReportsScreen)
        assert "Accounts " in screen_text(app)  # last in the list of reports, whole
        await pilot.press("end", "enter")  # picked by keyboard: the chart of accounts
        await settle(pilot, app)
        assert app.screen.current == "accounts"
        table = app.screen.query_one("#report-table")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        row = next(r for r in rows if r[0] == "1021")  # cells are plain Text: str() reads them
        assert row[1:] == ["Bank USD", "asset", "", "USD"]
        table.focus()
        table.move_cursor(row=[r[0] for r in rows].index("1021"))
        await settle(pilot, app)
        text = screen_text(app)
        assert any("1021" in ln and "Bank USD" in ln and "USD" in ln.split("Bank USD")[1]
                   for ln in text.splitlines()), text
    assert [a.currency for a in Book(book).accounts() if a.code == "1021"] == ["USD"]


async def test_an_expense_account_in_usd_is_refused_on_its_field(app, book) -> None:
    async with app.run_test(size=SMALL) as pilot:
        form = await _new_account(pilot, app)
        for name, value in {"code": "6150", "name": "Software", "currency": "USD"}.items():
            form.query_one(f"#f-{name}").value = value  # the type stays expense
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        said = str(form.query_one("#e-currency").render())
        assert "only a bank or cash account (an asset)" in said, said
        assert app.focused is form.query_one("#f-currency")
    assert not any(a.code == "6150" for a in Book(book).accounts())


@SIZES
async def test_the_bank_place_of_a_usd_account_is_in_dollars(app, book, cli, size) -> None:
    """The December statement of 1021 Bank USD: 1180.00 in, 12.50 out, closing 1167.50,
    nothing matched yet: as `bank list` and `bank reconcile` say it, in USD; the USD
    invoice the 1180.00 pays suggested at what it owes in USD."""
    assert cli("account", "add", "1021", "Bank USD", "--type", "asset",
               "--currency", "USD").exit_code == 0
    r = cli("bank", "import", fixture("usd-dec.ofx"), "--account", "1021")
    assert r.exit_code == 0, r.stderr
    # the USD invoice the 1180.00 line pays, issued after the import (so not matched yet)
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("rate", "set", "USD", "2.70", "--date", "2026-12-01")
    assert cli("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
               "--line", "Consulting=1@1000;vat=18").exit_code == 0
    rec = cli("bank", "reconcile", "--account", "1021", "--json").json()
    assert (rec["currency"], rec["statement_balance"], rec["unmatched"]) == (
        "USD", "1167.50", "1167.50")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await pilot.press("f11")
        await settle(pilot, app)
        table = app.screen.query_one("#bank-lines")
        assert [str(table.get_row_at(i)[2]) for i in range(table.row_count)] == [
            "-12.50 USD", "1,180.00 USD"]
        summary = str(app.screen.query_one("#bank-summary").render())
        for said in ("1021 Bank USD (USD)", "statement 1,167.50 USD", "book 0.00 USD",
                     "unmatched 1,167.50 USD (2)", "difference 0.00 USD"):
            assert said in summary, summary
        text = screen_text(app)
        assert "-12.50 USD" in text and "1,180.00 USD" in text, text
        assert "difference 0.00 USD" in " ".join(text.split()), text
        await pilot.press("down")  # the 1180.00 in: the invoice is suggested, in USD
        await settle(pilot, app)
        suggestions = str(app.screen.query_one("#bank-suggestions").render())
        assert "INV-2026-0001" in suggestions and "1,180.00 USD ·" in suggestions, suggestions
        assert "1,180.00 USD ·" in screen_text(app)
