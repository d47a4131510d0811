"""The lock date and posted rows: nothing on or before the lock date can be posted,
reversed or cancelled, through the CLI or the TUI's `Book` services; posted journal
entries, postings and stock moves refuse UPDATE and DELETE even from raw SQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.app.book import Book, JournalLine
from smallbiz.db import Database
from smallbiz.errors import UserError
from tests import engine
from tests.conftest import content_hash, make_runner
from tests.reliability.conftest import rows, scalar

LOCK = "2026-02-28"
SHOP = "Kartuli Foods LLC"

#: CLI commands that would post, reverse or cancel something on or before the lock date.
REFUSED = [
    ["journal", "add", "--date", "2026-02-15", "--posting", "1010=5", "--posting", "3000"],
    ["journal", "add", "--date", LOCK, "--posting", "1010=5", "--posting", "3000"],
    ["journal", "reverse", "JE-2026-0001", "--date", "2026-02-20"],
    ["journal", "reverse", "JE-2026-0001"],  # an entry of a closed period is not reversed
    ["sale", "new", SHOP, "--line", "TOOL-01=1", "--date", "2026-02-01"],
    ["sale", "edit", "SO-2026-0002", "--line", "NAIL-01=3"],
    ["sale", "confirm", "SO-2026-0002"],
    ["sale", "cancel", "SO-2026-0001", "--date", "2026-02-20"],
    ["sale", "cancel", "SO-2026-0001", "--date", LOCK],
    ["purchase", "new", "Batumi Supply", "--line", "TOOL-01=1@5", "--date", "2026-02-01"],
    ["purchase", "cancel", "PO-2026-0001", "--date", "2026-02-20"],
    ["pay", "in", "INV-2026-0001", "5", "--date", "2026-02-20"],
    ["pay", "out", "BILL-2026-0001", "5", "--date", "2026-02-20"],
    ["pay", "cancel", "PAY-2026-0001", "--date", "2026-02-20"],
    ["pay", "cancel", "PAY-2026-0001"],  # a payment of a closed period stays
    ["stock", "adjust", "TOOL-01", "5", "--date", "2026-02-10"],
    ["stock", "adjust", "TOOL-01", "-5", "--date", LOCK],
    ["lock", "2026-01-31"],  # the lock date never moves back
]


@pytest.fixture
def locked(shop_path: Path) -> Path:
    r = make_runner(shop_path)("lock", LOCK)
    assert r.exit_code == 0, r.stderr
    return shop_path


def _closed_rows(path: Path) -> list[tuple]:
    """What the books hold on or before the lock date: entries, postings, stock moves and
    payments (an invoice's paid amount and an order's status follow later payments)."""
    out = []
    for table in ("journal_entry", "posting", "stock_move", "payment"):
        out += rows(path, f"SELECT '{table}', * FROM {table} WHERE date <= ? ORDER BY id",
                    (LOCK,))
    return out


@pytest.mark.parametrize("args", REFUSED, ids=[" ".join(a[:2]) + f" {i}"
                                                for i, a in enumerate(REFUSED)])
def test_the_cli_refuses_closed_dates(locked: Path, args: list[str]) -> None:
    before = content_hash(locked)
    r = make_runner(locked)(*args)
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert r.stderr.startswith("error: ") and (
        "lock date" in r.stderr or "cannot move back" in r.stderr), r.stderr
    assert content_hash(locked) == before


def test_import_journal_refuses_closed_dates(locked: Path, tmp_path: Path) -> None:
    journal = tmp_path / "late.journal"
    journal.write_text("2026-03-01 open\n    assets:1010  5 GEL\n    equity:3000\n\n"
                       "2026-02-27 closed\n    assets:1010  5 GEL\n    equity:3000\n")
    before = content_hash(locked)
    r = make_runner(locked)("import", "journal", str(journal))
    assert r.exit_code == 1
    assert "line 5: date 2026-02-27 is on or before the lock date 2026-02-28" in r.stderr
    assert content_hash(locked) == before


def test_later_corrections_leave_the_closed_period_alone(locked: Path) -> None:
    """A document of a closed period is corrected by effects dated after the lock: the
    closed period's rows do not change."""
    closed = _closed_rows(locked)
    run = make_runner(locked)
    assert run("pay", "in", "INV-2026-0001", "5", "--date", "2026-03-02").exit_code == 0
    assert run("sale", "cancel", "SO-2026-0001", "--date", "2026-03-03").exit_code == 1  # paid
    assert run("journal", "add", "--date", "2026-03-01", "--posting", "1010=5",
               "--posting", "3000").exit_code == 0
    assert _closed_rows(locked) == closed
    assert run("check").exit_code == 0


def test_the_tui_services_refuse_closed_dates(locked: Path) -> None:
    db = Database(locked).open()
    book = Book(db)
    before = content_hash(locked)
    closed = dt.date(2026, 2, 20)
    attempts = [
        lambda: book.post_journal_entry(closed, "closed", [
            JournalLine("1010", debit=Decimal(5)), JournalLine("3000", credit=Decimal(5))]),
        lambda: book.reverse_entry("JE-2026-0001", closed),
        lambda: book.reverse_entry("JE-2026-0001", dt.date(2026, 3, 5)),
        lambda: book.order_action("sale", "cancel", "SO-2026-0001", on=closed),
        lambda: book.order_action("sale", "confirm", "SO-2026-0002"),
        lambda: book.order_action("purchase", "cancel", "PO-2026-0001", on=closed),
        lambda: book.record_payment("INV-2026-0001", "5", on="2026-02-20"),
        lambda: book.record_payment("BILL-2026-0001", "5", on="2026-02-20"),
        lambda: book.adjust_stock("TOOL-01", "5", cost="12", on="2026-02-10"),
        lambda: book.save_order("sale", SHOP, [book.line_preview("sale", "TOOL-01", "1")],
                                on="2026-02-01"),
    ]
    for i, attempt in enumerate(attempts):
        with pytest.raises(UserError, match="lock date"):
            attempt()
        assert content_hash(locked) == before, f"attempt {i} wrote something"
    db.dispose()


#: Raw SQL a user (or a buggy tool) might run on the file directly.
RAW = [
    "UPDATE journal_entry SET memo = 'changed' WHERE number = 'JE-2026-0001'",
    "UPDATE journal_entry SET date = '2026-12-31' WHERE number = 'JE-2026-0001'",
    "DELETE FROM journal_entry WHERE number = 'JE-2026-0002'",
    "UPDATE posting SET amount = amount + 1 WHERE entry_id = 1",
    "UPDATE posting SET account_id = 2 WHERE entry_id = 1",
    "DELETE FROM posting WHERE entry_id = 1",
    "DELETE FROM posting",
    "UPDATE stock_move SET quantity = 0",
    "UPDATE stock_move SET value = value * 2 WHERE id = 1",
    "DELETE FROM stock_move",
]


@pytest.mark.parametrize("sql", RAW)
def test_raw_sql_cannot_change_posted_rows(locked: Path, sql: str) -> None:
    before = content_hash(locked)
    assert "immutable" in engine.refused(locked, sql)
    assert content_hash(locked) == before
    assert scalar(locked, "SELECT COUNT(*) FROM posting") > 0
