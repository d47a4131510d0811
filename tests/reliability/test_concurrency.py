"""Concurrent writers on one book, as a shop has them: a script looping over CLI commands,
the TUI's services (`smallbiz.app.book.Book`) in another process, and one-off `smallbiz`
processes, all at once; while a reader takes snapshots and `smallbiz backup` copies the
book.

Nothing may reach a user as "database is locked", no write may be lost, every document
number is unique and gapless, every snapshot a reader takes satisfies every invariant of
`check`, and every backup taken during the writes is a sound book. Five processes doing
the same action on one document at once: one succeeds, the others are told why.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.engine import new_location, on_postgresql
from tests.reliability.conftest import (
    CHILD_ENV,
    CLI_CHILD,
    PYTHON,
    ROOT,
    assert_book_sound,
    assert_whole,
    child,
    documents_whole,
    rows,
    scalar,
    smallbiz,
)

SALES_PER_WRITER = 30
JOURNAL_PROCESSES = 8

CLI_WRITER = CLI_CHILD + """
n = int(sys.argv[2])

for i in range(n):
    so = run('sale', 'new', 'Kartuli Foods LLC', '--line', 'NAIL-01=3', '--date', '2026-04-01')
    run('sale', 'confirm', so)
    run('sale', 'ship', so, '--date', '2026-04-01')
    inv = run('sale', 'invoice', so, '--date', '2026-04-01')
    pay = run('pay', 'in', inv, '1.77', '--date', '2026-04-02')
    print(so, inv, pay, flush=True)
"""

BOOK_WRITER = """
import datetime as dt
import sys
from smallbiz.app.book import Book
from smallbiz.db import Database

book = Book(Database(sys.argv[1]).open())
day = dt.date(2026, 4, 3)
for i in range(int(sys.argv[2])):
    line = book.line_preview('sale', 'TOOL-01', '1')
    order = book.save_order('sale', 'Nino Beridze', [line], on='2026-04-03')
    book.order_action('sale', 'confirm', order.number)
    book.order_action('sale', 'ship', order.number, on=day)
    inv = book.order_action('sale', 'invoice', order.number, on=day).reference
    pay = book.record_payment(inv, '10.00', on='2026-04-04')
    print(order.number, inv, pay.number, flush=True)
"""

READER = """
import sys, time
from decimal import Decimal
from smallbiz.app.book import Book
from smallbiz.books.reports import balance_sheet, trial_balance
from smallbiz.check import run_checks
from smallbiz.db import Database

db = Database(sys.argv[1]).open()
book = Book(db)
stop = sys.argv[2]
import os
snapshots = 0
while not os.path.exists(stop):
    problems = run_checks(db)  # every invariant, in one read snapshot
    if problems:
        print('PROBLEMS', problems, flush=True)
        sys.exit(3)
    tb = book.trial_balance()
    if sum((r.balance for r in tb.rows), Decimal(0)) != 0 or not book.balance_sheet().balanced:
        print('TB', tb, flush=True)
        sys.exit(3)
    with db.read() as snapshot:  # the plain-SQL path `smallbiz report` uses
        tb = trial_balance(snapshot)
        if sum((r.balance for r in tb.rows), Decimal(0)) != 0 or not balance_sheet(
                snapshot).balanced:
            print('REPORT', tb, flush=True)
            sys.exit(3)
    invoices = book.invoices('invoice')
    orders = book.orders('sale')
    entries = book.entries_page(0, 50)
    snapshots += 1
    time.sleep(0.02)  # leave the writers some CPU on a small machine
print('snapshots', snapshots, flush=True)
"""


def _numbers(path: Path, table: str, prefix: str, where: str = "1 = 1") -> list[int]:
    return [int(n.rsplit("-", 1)[1]) for (n,) in rows(
        path, f"SELECT number FROM {table} WHERE number LIKE ? AND {where} ORDER BY seq",
        (f"{prefix}-2026-%",))]


def test_cli_loop_tui_services_and_processes_write_at_once(shop_path: Path, tmp_path: Path):
    before = {t: int(scalar(shop_path, f"SELECT COUNT(*) FROM {t}"))
              for t in ("trade_order", "invoice", "payment", "journal_entry")}
    stop = tmp_path / "stop"
    started = time.monotonic()
    reader = child(READER, str(shop_path), str(stop))
    writers = [child(CLI_WRITER, str(shop_path), str(SALES_PER_WRITER)),
               child(BOOK_WRITER, str(shop_path), str(SALES_PER_WRITER))]
    # one-off processes too, with a backup taken while the others write
    journal_numbers = []
    backups = []
    for k in range(JOURNAL_PROCESSES):
        r = smallbiz(shop_path, "journal", "add", "--date", "2026-04-05", "--memo", f"fee {k}",
                     "--posting", "6800=2.00", "--posting", "1010")
        assert r.returncode == 0, r.stderr
        journal_numbers.append(r.stdout.strip())
        if k % 3 == 1:  # `smallbiz check` itself while others write
            r = smallbiz(shop_path, "check")
            assert r.returncode == 0, r.stdout + r.stderr
        if k % 3 == 0 and not on_postgresql():  # backup copies SQLite books
            target = tmp_path / f"backup{k}.db"
            r = smallbiz(shop_path, "backup", str(target))
            assert r.returncode == 0, r.stderr
            backups.append(target)
    results = []
    for w in writers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, (out, err)
        assert "locked" not in out + err and "Traceback" not in err, err
        results.append([line.split() for line in out.splitlines()])
    writing = time.monotonic() - started
    stop.touch()
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, (out, err)
    snapshots = int(out.split()[-1])

    # nothing lost: every reference a writer got back is in the book, no two alike
    refs = [ref for result in results for line in result for ref in line] + journal_numbers
    assert len(refs) == len(set(refs))
    for so, inv, pay in (line for result in results for line in result):
        assert scalar(shop_path, "SELECT status FROM trade_order WHERE number = ?",
                      (so,)) in ("invoiced", "paid")
        assert scalar(shop_path, "SELECT COUNT(*) FROM invoice WHERE number = ?", (inv,)) == 1
        assert scalar(shop_path, "SELECT COUNT(*) FROM payment WHERE number = ?", (pay,)) == 1
    for je in journal_numbers:
        assert scalar(shop_path, "SELECT memo FROM journal_entry WHERE number = ?",
                      (je,)).startswith("fee ")
    sales = 2 * SALES_PER_WRITER
    assert [len(r) for r in results] == [SALES_PER_WRITER, SALES_PER_WRITER]
    after = {t: int(scalar(shop_path, f"SELECT COUNT(*) FROM {t}")) for t in before}
    assert after["trade_order"] - before["trade_order"] == sales
    assert after["invoice"] - before["invoice"] == sales
    assert after["payment"] - before["payment"] == sales
    # 3 entries a sale (shipment, invoice, payment) + the fees
    assert after["journal_entry"] - before["journal_entry"] == 3 * sales + JOURNAL_PROCESSES

    # numbers unique and gapless, per document type
    for table, prefix, where in (("trade_order", "SO", "kind = 'sale'"),
                                 ("invoice", "INV", "kind = 'invoice'"),
                                 ("payment", "PAY", "1 = 1"),
                                 ("journal_entry", "JE", "1 = 1")):
        numbers = _numbers(shop_path, table, prefix, where)
        assert numbers == list(range(1, len(numbers) + 1)), prefix
    assert documents_whole(shop_path) == []
    assert_book_sound(shop_path)

    # every backup taken during the writes is a sound book of its moment
    for target in backups:
        assert_whole(target)
    print(f"concurrency: {sales} sales ({5 * sales} write transactions) by a CLI loop and "
          f"the TUI's services, {JOURNAL_PROCESSES} `smallbiz journal add` processes and "
          f"{len(backups)} backups at once in {writing:.1f} s; {snapshots} reader snapshots "
          "all consistent")
    assert snapshots >= 3


def sb(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    r = smallbiz(url, *args)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def sb_json(url: str, *args: str) -> object:
    return json.loads(sb(url, "--json", *args).stdout)


def _at_once(url: str, n: int, *args: str) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen([PYTHON, "-m", "smallbiz", "--db", url, *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, env=CHILD_ENV) for _ in range(n)]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def _sold(url: str) -> tuple[str, str]:
    """A book with a confirmed sale of one bolt; the order's number."""
    sb(url, "init")
    sb(url, "contact", "add", "Nino", "--customer")
    sb(url, "product", "add", "BOLT", "Bolt", "--price", "40")
    sb(url, "stock", "adjust", "BOLT", "100", "--cost", "10", "--date", "2026-01-02")
    order = sb(url, "sale", "new", "Nino", "--line", "BOLT=1", "--date", "2026-01-03"
               ).stdout.strip()
    sb(url, "sale", "confirm", order)
    return order, ""


@pytest.mark.parametrize("action", ["reverse", "ship", "invoice", "pay", "cancel"])
def test_five_identical_actions_at_once_one_succeeds(tmp_path: Path, action: str) -> None:
    pg = str(new_location(tmp_path / "race.db"))
    order, _ = _sold(pg)
    if action == "reverse":
        number = sb(pg, "journal", "add", "--date", "2026-01-05", "--memo", "x",
                    "--posting", "6000=10", "--posting", "1010").stdout.strip()
        results = _at_once(pg, 5, "journal", "reverse", number)
    elif action == "ship":
        results = _at_once(pg, 5, "sale", "ship", order, "--date", "2026-01-04")
    elif action == "invoice":
        results = _at_once(pg, 5, "sale", "invoice", order, "--date", "2026-01-04")
    elif action == "pay":
        sb(pg, "sale", "invoice", order, "--date", "2026-01-04")
        invoice = sb_json(pg, "invoice", "list")[0]["number"]  # 47.20 with VAT 18 %
        results = _at_once(pg, 4, "pay", "in", invoice, "40", "--date", "2026-01-06")
    else:
        sb(pg, "sale", "ship", order, "--date", "2026-01-04")
        results = _at_once(pg, 5, "sale", "cancel", order, "--date", "2026-01-07")
    ok = [r for r in results if r.returncode == 0]
    assert len(ok) == 1, [(r.stdout, r.stderr) for r in results]
    for r in results:
        if r.returncode:
            assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    sb(pg, "check")
