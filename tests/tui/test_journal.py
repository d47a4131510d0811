"""The journal entry form: the difference shows as you type, ctrl+s refuses an unbalanced
entry (the book is unchanged) and posts a balanced one; reversing from the list; the list
opens without the ORM."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.books.journal import list_entries, show_entry
from smallbiz.books.reports import trial_balance
from smallbiz.screens.journal import EntryDialog, JournalEntryForm, JournalScreen, LedgerScreen
from tests.conftest import content_hash
from tests.tui.conftest import SIZE, settle


async def _type_entry(pilot, app, memo: str, rows: list[tuple[str, str, str]]) -> None:
    await pilot.press("f9", "n")
    await settle(pilot, app)
    assert isinstance(app.screen, JournalEntryForm)
    await pilot.press(*memo)
    for i, (account, debit, credit) in enumerate(rows):
        if i >= 2:
            await pilot.press("ctrl+n")
            await settle(pilot, app)
        else:
            await pilot.press("tab")
        await pilot.press(*account)
        await settle(pilot, app)
        await pilot.press("tab")  # takes the completion and stays; the next tab moves on
        if app.focused is app.screen.lines[i].account:
            await pilot.press("tab")
        await pilot.press(*debit, "tab", *credit)
        await settle(pilot, app)


async def post_entry(pilot, app, memo: str, rows: list[tuple[str, str, str]]) -> None:
    """Type the entry in a new form and press ctrl+s."""
    await _type_entry(pilot, app, memo, rows)
    await pilot.press("ctrl+s")
    await settle(pilot, app)


def _status(app) -> str:
    return str(app.screen.query_one("#entry-status").render())


async def test_unbalanced_entry_is_refused_and_nothing_is_written(app, book, book_path) -> None:
    before = content_hash(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _type_entry(pilot, app, "Office chairs",
                          [("6300", "630", ""), ("1010", "", "600")])
        assert "difference 30.00" in _status(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalEntryForm), "the form stays open"
        assert "does not balance" in _status(app) and "30.00" in _status(app)
        # nothing typed is lost
        assert app.screen.lines[0].debit.value == "630"
        assert app.screen.query_one("#entry-memo").value == "Office chairs"
    assert content_hash(book_path) == before


async def test_balanced_entry_posts_and_shows_in_journal_and_trial_balance(app, book) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _type_entry(pilot, app, "Office chairs",
                          [("offi", "630", ""), ("1010", "", "600"), ("6800", "", "30")])
        assert "balanced" in _status(app)
        # completion turned "offi" into the account's code and name
        assert app.screen.lines[0].account.value == "6300 Office supplies"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalScreen)
        table = app.screen.table
        assert [r.cells[2] for r in table.visible_rows()] == ["Office chairs"]
    with book.read() as s:
        (row,) = list_entries(s)
        entry = show_entry(s, row.number)
        tb = {r.code: r.balance for r in trial_balance(s).rows}
    assert entry.memo == "Office chairs"
    assert [(p.account_code, p.amount) for p in entry.postings] == [
        ("6300", Decimal("630.00")), ("1010", Decimal("-600.00")), ("6800", Decimal("-30.00"))]
    assert tb == {"6300": Decimal("630.00"), "1010": Decimal("-600.00"),
                  "6800": Decimal("-30.00")}


async def test_ctrl_b_puts_the_balancing_amount_on_the_line(app, book) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _type_entry(pilot, app, "Rent", [("6000", "1200", ""), ("1010", "", "")])
        await pilot.press("ctrl+b")
        await settle(pilot, app)
        assert app.screen.lines[1].credit.value == "1200.00"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    with book.read() as s:
        assert len(list_entries(s)) == 1


async def test_a_service_error_shows_and_keeps_the_form(app, book, book_path) -> None:
    before = content_hash(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _type_entry(pilot, app, "Typo", [("9999", "10", ""), ("1010", "", "10")])
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalEntryForm)
        assert "9999" in _status(app)
        assert app.focused is app.screen.lines[0].account
    assert content_hash(book_path) == before


async def test_reverse_from_the_list(app, book, cli) -> None:
    number = cli("journal", "add", "--date", "today", "--memo", "Rent",
                 "-p", "6000=1200", "-p", "1010").stdout.strip()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        assert app.screen.table.current_row.data == number
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("ctrl+s")  # the reversal's date defaults to today
        await settle(pilot, app)
        assert [r.cells[2] for r in app.screen.table.visible_rows()] == [
            "Rent", f"Reversal of {number}"]
        await pilot.press("up", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EntryDialog)
    with book.read() as s:
        assert show_entry(s, number).reversed_by is not None
        assert all(r.balance == 0 for r in trial_balance(s).rows)


async def test_ledger_shows_the_running_balance(app, book, cli) -> None:
    cli("journal", "add", "--date", "today", "--memo", "Capital", "-p", "1010=5000", "-p", "3000")
    cli("journal", "add", "--date", "today", "--memo", "Rent", "-p", "6000=1200", "-p", "1010")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "l")
        await settle(pilot, app)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press(*"bank")
        await settle(pilot, app)
        await pilot.press("enter", "enter")  # take the completion, then show
        await settle(pilot, app)
        rows = app.screen.query_one("#ledger-lines").visible_rows()
        assert [(r.cells[2], r.cells[3], r.cells[4]) for r in rows] == [
            ("Capital", "5,000.00", "5,000.00"), ("Rent", "-1,200.00", "3,800.00")]
        assert "closing 3,800.00" in str(app.screen.query_one("#ledger-summary").render())


@pytest.mark.sqlite_only("the stdlib-driver path of a SQLite book")
def test_the_journal_place_opens_without_sqlalchemy(book, cli, book_path) -> None:
    """F9 pages through `Database.reader()`: the first visit does not import the ORM."""
    cli("journal", "add", "--date", "2026-01-05", "--memo", "Capital", "-p", "1010=5000",
        "-p", "3000")
    number = cli("journal", "add", "--date", "2026-01-09", "--memo", "Rent", "-p", "6000=1200",
                 "-p", "1010").stdout.strip()
    cli("journal", "reverse", number, "--date", "2026-01-10")
    code = ("import asyncio, sys\n"
            "from smallbiz.screens.app import SmallBizApp\nfrom smallbiz.app.book import Book\n"
            "from smallbiz.db import Database\nfrom tests.tui.conftest import SIZE, settle\n"
            "async def main():\n"
            f"    app = SmallBizApp(Book(Database({str(book_path)!r}).open()))\n"
            "    async with app.run_test(size=SIZE) as pilot:\n"
            "        await settle(pilot, app)\n"
            "        await pilot.press('f9')\n"
            "        await settle(pilot, app)\n"
            "        for r in app.screen.table.visible_rows():\n"
            "            print('|'.join((*r.cells, r.style)))\n"
            "asyncio.run(main())\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert r.stdout.splitlines() == [
        "JE-2026-0001|2026-01-05|Capital|manual|5,000.00|",
        "JE-2026-0002|2026-01-09|Rent|manual|1,200.00|",
        "JE-2026-0003|2026-01-10|Reversal of JE-2026-0002|reversal|1,200.00|muted",
        "[]"]
