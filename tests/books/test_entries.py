"""The journal list in plain SQL: the same rows on a reader snapshot as in a session, the
TUI's paging jumps, and `journal list` without SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.app.book import Book
from smallbiz.book import init_book
from smallbiz.books.entries import EntryRow, list_entries
from smallbiz.books.journal import PostingInput, post_entry, reverse_entry
from smallbiz.db import Database
from smallbiz.errors import NotFound
from tests.engine import new_location


@pytest.fixture
def kwd(tmp_path: Path) -> Database:
    """A book in Kuwaiti dinars (three decimals) with five entries and one reversal."""
    db = Database(new_location(tmp_path / "kwd.db"))
    init_book(db, company="Fils Co", currency="KWD")
    db = db.open()
    entries = [(dt.date(2026, 1, 5), "Owner invests", "1010", "5000"),
               (dt.date(2026, 1, 9), "Rent — ქირა", "6000", "800.125"),
               (dt.date(2026, 1, 9), "Office chairs", "6300", "0.005"),
               (dt.date(2026, 2, 1), "Rent", "6000", "800.125")]
    with db.transaction() as s:
        for on, memo, account, amount in entries:
            other = "3000" if account == "1010" else "1010"
            post_entry(s, on, memo, [PostingInput(account, Decimal(amount)),
                                     PostingInput(other, None)])
        reverse_entry(s, "JE-2026-0002", on=dt.date(2026, 1, 20))
    yield db
    db.dispose()


def _rows(rows: list[EntryRow]) -> list[tuple[str, str, str, str, Decimal]]:
    return [(r.number, r.date.isoformat(), r.memo, r.source, r.total) for r in rows]


def test_rows_with_the_books_decimals_and_the_reversal(kwd: Database) -> None:
    with kwd.read() as r:
        rows = list_entries(r)
    assert _rows(rows) == [
        ("JE-2026-0001", "2026-01-05", "Owner invests", "manual", Decimal("5000.000")),
        ("JE-2026-0002", "2026-01-09", "Rent — ქირა", "manual", Decimal("800.125")),
        ("JE-2026-0003", "2026-01-09", "Office chairs", "manual", Decimal("0.005")),
        ("JE-2026-0005", "2026-01-20", "Reversal of JE-2026-0002", "reversal",
         Decimal("800.125")),
        ("JE-2026-0004", "2026-02-01", "Rent", "manual", Decimal("800.125"))]
    assert [str(r.total) for r in rows] == ["5000.000", "800.125", "0.005", "800.125", "800.125"]
    assert all(isinstance(r.date, dt.date) for r in rows)


@pytest.mark.parametrize("kwargs", [
    {}, {"start": dt.date(2026, 1, 9)}, {"end": dt.date(2026, 1, 9)},
    {"start": dt.date(2026, 1, 9), "end": dt.date(2026, 1, 20)},
    {"account": "6000"}, {"account": "rent"}, {"account": "6300", "end": dt.date(2026, 1, 1)},
    {"limit": 2}, {"after": (dt.date(2026, 1, 9), 2), "limit": 2},
    {"after": (dt.date(2026, 2, 1), 99)}])
def test_a_reader_and_a_session_list_the_same_rows(kwd: Database, kwargs: dict) -> None:
    with kwd.read() as r:
        plain = list_entries(r, **kwargs)
    with kwd.read() as s:
        in_session = list_entries(s, **kwargs)
    assert plain == in_session  # frozen dataclasses: equal field by field


def test_an_unknown_account_is_refused_by_name(kwd: Database) -> None:
    with kwd.read() as r, pytest.raises(NotFound, match="no account matches 'nope'"):
        list_entries(r, account="nope")


def test_pages_and_jumps_match_the_whole_list(book: Database) -> None:
    with book.transaction() as s:
        for i in range(30):
            # dates out of posting order: the list is by date, then id
            on = dt.date(2026, 1, 1) + dt.timedelta(days=(i * 7) % 30)
            post_entry(s, on, f"e{i}", [PostingInput("6000", Decimal(i + 1)),
                                        PostingInput("1010", None)])
    app_book = Book(book)
    with book.read() as r:
        everything = list_entries(r)
    assert app_book.entries_count() == 30
    for offset in (0, 1, 7, 14, 15, 16, 25, 28, 29):  # from the start and from the end
        assert app_book.entries_page(offset, 5) == everything[offset:offset + 5], offset
    assert app_book.entries_page(30, 5) == []
    page = app_book.entries_page(0, 10)
    after = (page[-1].date, page[-1].id)
    assert app_book.entries_page(10, 10, after) == everything[10:20]
    assert app_book.entries_page(0, 5)[0].total == Decimal("1.00")
    assert [e.date for e in everything] == sorted(e.date for e in everything)


@pytest.mark.sqlite_only("the stdlib-driver start-up path of a SQLite book")
def test_journal_list_runs_without_sqlalchemy(kwd: Database) -> None:
    code = ("import sys\nfrom smallbiz.cli.main import app\n"
            f"sys.argv = ['smallbiz', '--db', {str(kwd.path)!r}, 'journal', 'list', "
            "'--from', '2026-01-09', '--to', '2026-01-31', '--account', '1010', '--json']\n"
            "try:\n    app(prog_name='smallbiz')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'textual')"
            " if m in sys.modules), file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, timeout=60)
    assert r.stderr.strip() == "[]"
    assert [(x["number"], x["date"], x["source"], x["total"]) for x in json.loads(r.stdout)] == [
        ("JE-2026-0002", "2026-01-09", "manual", "800.125"),
        ("JE-2026-0003", "2026-01-09", "manual", "0.005"),
        ("JE-2026-0005", "2026-01-20", "reversal", "800.125")]
