"""Crash safety: a child process doing real work is killed with SIGKILL at random moments
(seeded), and the book must come back whole every time.

- `import journal` of a few thousand entries: after each kill the book holds all of them
  or none (the import is one transaction).
- `demo`: one transaction too; after each kill the book is empty or the complete demo.
- a burst of sales through the real CLI (new, confirm, ship, invoice, pay, some cancels
  and journal entries), killed and restarted on the same book: everything the child
  reported as done (it prints a reference only after the command returned) is in the
  book, and every document present has all its parts (lines, shipment, stock moves,
  entries, allocations).

After every kill the book opens and every `check` invariant holds.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from tests.reliability.conftest import (
    CLI_CHILD,
    assert_book_sound,
    assert_whole,
    child,
    copy_book,
    kill_after,
    kill_when_busy,
    rows,
    scalar,
)

SEED = 20261127
IMPORT_ENTRIES = 6000


def _journal(path: Path, entries: int) -> None:
    rng = random.Random(SEED)
    with path.open("w") as fh:
        for i in range(entries):
            cents = rng.randint(1, 10_000_00)
            fh.write(f"2026-{rng.randint(3, 10):02d}-{rng.randint(1, 28):02d} (X{i}) Sale {i}\n"
                     f"    assets:1010 Bank account    {cents // 100}.{cents % 100:02d} GEL\n"
                     f"    income:4000 Sales of goods\n\n")


IMPORT = ("import sys\nfrom smallbiz.cli.main import app\n"
          "app(['--db', sys.argv[1], 'import', 'journal', sys.argv[2]], prog_name='smallbiz')\n")


def test_import_journal_is_all_or_nothing_under_sigkill(templates, tmp_path):
    rng = random.Random(SEED)
    journal = tmp_path / "big.journal"
    _journal(journal, IMPORT_ENTRIES)
    # One uncut run: how long an import takes here, and what "all" looks like.
    full = copy_book(templates["plain"], tmp_path / "full.db")
    started = time.monotonic()
    proc = child(IMPORT, str(full), str(journal))
    out, err = proc.communicate(timeout=300)
    duration = time.monotonic() - started
    assert proc.returncode == 0, err
    assert f"Imported {IMPORT_ENTRIES} entries" in out
    kills = k = 0
    while kills < 8 and k < 16:  # until 8 kills hit a running import (one that ended counts
        k += 1                   # as a test of its own, not as a kill)
        book = copy_book(templates["plain"], tmp_path / f"kill{k}.db")
        proc = child(IMPORT, str(book), str(journal))
        started = time.monotonic()
        if kill_after(proc, rng.uniform(0.4, 1.0) * duration):
            kills += 1
        else:  # it finished first: the machine is faster now than when it was timed
            duration = time.monotonic() - started
        count = scalar(book, "SELECT COUNT(*) FROM journal_entry WHERE source = 'import'")
        assert count in (0, IMPORT_ENTRIES), f"kill {k}: {count} entries, a half import"
        assert_whole(book)
        if count:  # a whole import is the same import as the uncut one
            assert scalar(book, "SELECT MAX(number) FROM journal_entry") == \
                f"JE-2026-{IMPORT_ENTRIES:04d}"
    print(f"import: {kills} kills of a running import of {IMPORT_ENTRIES} entries "
          f"(a whole run takes about {duration:.1f} s)")
    assert kills == 8, f"only {kills} kills hit a running import"
    assert_book_sound(book)  # the real `smallbiz check` on the last one


DEMO = ("import sys\nfrom smallbiz.cli.main import app\n"
        "app(['--db', sys.argv[1], 'demo'], prog_name='smallbiz')\n")
DEMO_TABLES = ("contact", "product", "trade_order", "invoice", "payment", "journal_entry",
               "stock_move", "interaction", "deal", "audit_log")


def _counts(path: Path) -> dict[str, int]:
    return {t: int(scalar(path, f"SELECT COUNT(*) FROM {t}")) for t in DEMO_TABLES}


def test_demo_is_all_or_nothing_under_sigkill(templates, tmp_path):
    """The demo company is one transaction: a killed `demo` leaves the new book as it was
    (empty) or holds the complete demo, never a part of it."""
    rng = random.Random(SEED + 1)
    empty = _counts(templates["plain"])
    full = copy_book(templates["plain"], tmp_path / "full.db")
    started = time.monotonic()
    proc = child(DEMO, str(full))
    _out, err = proc.communicate(timeout=300)
    duration = time.monotonic() - started
    assert proc.returncode == 0, err
    complete = _counts(full)
    assert complete["journal_entry"] > 400 and complete["payment"] > 100
    kills = k = 0
    while kills < 2 and k < 6:
        k += 1
        book = copy_book(templates["plain"], tmp_path / f"kill{k}.db")
        proc = child(DEMO, str(book))
        started = time.monotonic()
        if kill_after(proc, rng.uniform(0.25, 0.85) * duration):
            kills += 1
        else:  # it finished first: the machine is faster now than when it was timed
            duration = time.monotonic() - started
        counts = _counts(book)
        assert counts in (empty, complete), f"kill {k}: a partial demo {counts}"
        assert_whole(book)
    print(f"demo: {kills} kills of a running demo (a whole run takes about {duration:.1f} s)")
    assert kills == 2


BURST = CLI_CHILD + """
start = int(sys.argv[2])

i = start
while True:
    i += 1
    so = run('sale', 'new', 'Kartuli Foods LLC', '--line', 'TOOL-01=2', '--line', 'SVC-01=1',
             '--date', '2026-03-01')
    print('order', so, flush=True)
    run('sale', 'confirm', so)
    print('confirmed', so, flush=True)
    run('sale', 'ship', so, '--date', '2026-03-02')
    print('shipped', so, flush=True)
    inv = run('sale', 'invoice', so, '--date', '2026-03-02')
    print('invoice', inv, flush=True)
    pay = run('pay', 'in', inv, '10.00', '--date', '2026-03-03')
    print('payment', pay, flush=True)
    if i % 4 == 0:
        run('pay', 'cancel', pay, '--date', '2026-03-04')
        print('payment-cancelled', pay, flush=True)
        run('sale', 'cancel', so, '--date', '2026-03-04')
        print('cancelled', so, flush=True)
    if i % 3 == 0:
        je = run('journal', 'add', '--date', '2026-03-05', '--memo', f'fee {i}',
                 '--posting', '6800=1.50', '--posting', '1010')
        print('entry', je, flush=True)
"""


def _assert_reported_work_is_there(book: Path, output: str) -> int:
    """Every line the child printed (after its command returned) is in the book."""
    done = 0
    for line in output.splitlines():
        what, _, ref = line.partition(" ")
        if what == "FAILED":
            raise AssertionError(line)
        if what == "order":
            assert scalar(book, "SELECT COUNT(*) FROM trade_order WHERE number = ?", (ref,)) == 1
        elif what == "confirmed":
            assert scalar(book, "SELECT status FROM trade_order WHERE number = ?",
                          (ref,)) != "draft"
        elif what == "shipped":
            assert scalar(book, "SELECT COUNT(*) FROM shipment sh JOIN trade_order o ON "
                                "o.id = sh.order_id WHERE o.number = ?", (ref,)) == 1
        elif what in ("invoice", "payment", "entry"):
            table = {"invoice": "invoice", "payment": "payment", "entry": "journal_entry"}[what]
            assert scalar(book, f"SELECT COUNT(*) FROM {table} WHERE number = ?", (ref,)) == 1
        elif what == "payment-cancelled":
            assert scalar(book, "SELECT status FROM payment WHERE number = ?",
                          (ref,)) == "cancelled"
        elif what == "cancelled":
            assert scalar(book, "SELECT status FROM trade_order WHERE number = ?",
                          (ref,)) == "cancelled"
        done += 1
    return done


def test_a_burst_of_sales_survives_sigkill(shop_path):
    """Killed and restarted ten times on the same book: nothing reported done is lost,
    nothing half done is left."""
    rng = random.Random(SEED + 2)
    kills = operations = 0
    for _ in range(10):
        start = int(scalar(shop_path, "SELECT COUNT(*) FROM trade_order"))
        proc = child(BURST, str(shop_path), str(start))
        lines = kill_when_busy(proc, rng.uniform(0.0, 1.5))
        kills += 1
        # a line the kill cut short reports nothing (unbuffered, print writes it in parts)
        reported = "".join(line for line in lines if line.endswith("\n"))
        operations += _assert_reported_work_is_there(shop_path, reported)
        assert_whole(shop_path)
    print(f"burst: {kills} kills, {operations} operations reported done and found")
    assert kills == 10
    assert operations >= 20, f"only {operations} operations completed"  # 1+ per run
    sales = rows(shop_path, "SELECT status, COUNT(*) FROM trade_order WHERE kind = 'sale' "
                            "GROUP BY status")
    assert sum(n for _s, n in sales) > 10, sales
    assert_book_sound(shop_path)
