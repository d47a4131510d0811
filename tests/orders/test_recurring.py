"""Issue 17's recurring invoices: the schedule, issuing through the orders service with
exact postings, idempotent runs (also from several processes at once), the dashboard."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from smallbiz.app.book import Book
from smallbiz.books.journal import show_entry
from smallbiz.errors import ValidationError
from smallbiz.orders import invoices as inv
from smallbiz.orders import recurring
from smallbiz.orders.lines import LineInput
from smallbiz.orders.records import RecurringInvoice
from tests.conftest import make_runner
from tests.orders.conftest import assert_ok, balances, day, rd, tx

ROOT = Path(__file__).resolve().parents[2]


def retainer(db, **kw):
    """2 installation hours (40.00 + 18 % VAT each: 94.40 an invoice) on the 31st."""
    args = dict(every=1, day=31, start=day("2026-01-15"), end=day("2026-04-30"),
                name="Retainer")
    args.update(kw)
    return tx(db, recurring.add_template, "Kartuli Foods LLC", [LineInput("SVC-01", D(2))],
              **args)


def test_the_schedule_takes_a_short_month_s_last_day():
    t = RecurringInvoice(name="", contact_id=1, every_months=1, day=31,
                         start_date=day("2026-01-15"), end_date=day("2026-04-30"),
                         status="active", created_at=None)  # type: ignore[arg-type]
    assert [d.isoformat() for d in recurring.occurrences(t)] == [
        "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
    t.every_months, t.day, t.end_date = 3, 10, day("2027-01-09")
    assert [d.isoformat() for d in recurring.occurrences(t)] == [
        "2026-04-10", "2026-07-10", "2026-10-10"]  # 2026-01-10 is before the start


def test_run_issues_what_is_due_once(shop):
    v = retainer(shop)
    assert (v.id, v.lines, v.next_date) == (1, ["SVC-01=2"], day("2026-01-31"))
    issued = tx(shop, recurring.issue_due, 1, day("2026-03-01"))
    assert [(i.period.isoformat(), i.order, i.invoice) for i in issued] == [
        ("2026-01-31", "SO-2026-0001", "INV-2026-0001"),
        ("2026-02-28", "SO-2026-0002", "INV-2026-0002")]
    doc = rd(shop, inv.show_invoice, "INV-2026-0002")
    assert (doc.date, doc.due_date, doc.gross, doc.order_number, doc.contact) == (
        day("2026-02-28"), day("2026-03-30"), D("94.40"), "SO-2026-0002", "Kartuli Foods LLC")
    e = rd(shop, show_entry, doc.entry_number)
    assert [(p.account_code, p.amount) for p in e.postings] == [
        ("1100", D("94.40")), ("4100", D("-80.00")), ("2100", D("-14.40"))]
    assert tx(shop, recurring.issue_due, 1, day("2026-03-01")) == []  # nothing twice
    assert balances(shop)["1100"] == D("188.80")
    listed = rd(shop, recurring.list_templates, until=day("2026-12-31"))
    assert [(x.issued, x.last_issued, x.next_date, x.due) for x in listed] == [
        (2, day("2026-02-28"), day("2026-03-31"), [day("2026-03-31"), day("2026-04-30")])]
    assert_ok(shop)


def test_validation(shop):
    with pytest.raises(ValidationError, match="--every: 0 is not 1 to 120 months"):
        retainer(shop, every=0)
    with pytest.raises(ValidationError, match="--day: 32 is not 1 to 31"):
        retainer(shop, day=32)
    with pytest.raises(ValidationError, match="--end 2026-01-01 is before --start"):
        retainer(shop, end=day("2026-01-01"))


def test_book_run_reports_a_failure_and_issues_the_rest(shop):
    book = Book(shop)
    retainer(shop)
    retainer(shop, day=5, start=day("2026-03-01"), name="Late")
    book.lock_books(day("2026-01-31"))  # the first template's January is closed
    run = book.run_recurring(until=day("2026-03-10"))
    assert [(i.name, i.invoice) for i in run.issued] == [("Late", "INV-2026-0001")]
    assert len(run.failed) == 1 and run.failed[0][0] == "1 (Retainer)"
    assert "2026-01-31" in run.failed[0][1]
    book.stop_recurring("Retainer")
    assert book.run_recurring(until=day("2026-03-10")).issued == []
    assert book.dashboard(day("2026-03-10")).recurring_due == 0
    assert_ok(shop)


def test_dashboard_lists_what_is_due_and_the_reminders(shop):
    book = Book(shop)
    retainer(shop)
    board = book.dashboard(day("2026-03-01"))
    assert board.recurring_due == 2  # January's and February's
    book.run_recurring(until=day("2026-01-31"))
    board = book.dashboard(day("2026-03-15"))
    assert board.recurring_due == 1  # February's (March 31 is later)
    assert [(r.contact, r.invoices, r.balance_due, r.days_overdue) for r in board.reminders] \
        == [("Kartuli Foods LLC", 1, D("94.40"), 13)]  # INV-2026-0001 due 2026-03-02


def test_the_cli(shop, book_path):
    shop.dispose()
    run = make_runner(book_path)
    r = run("recurring", "add", "Kartuli", "--line", "SVC-01=2@45", "--every", "2",
            "--start", "2026-01-10", "--name", "Support")
    assert (r.exit_code, r.stdout) == (0, "1\n"), r.stderr
    r = run("recurring", "run", "--until", "2026-05-31")
    assert (r.exit_code, r.stdout) == (0, "INV-2026-0001\nINV-2026-0002\nINV-2026-0003\n")
    assert run("recurring", "run", "--until", "2026-05-31").stdout == ""
    data = run("recurring", "list", "--until", "2026-07-31", "--json").json()
    assert data == [{"id": 1, "name": "Support", "customer": "Kartuli Foods LLC",
                     "every_months": 2, "day": 10, "start": "2026-01-10", "end": None,
                     "status": "active", "lines": ["SVC-01=2@45"], "issued": 3,
                     "last_issued": "2026-05-10", "next": "2026-07-10",
                     "due": ["2026-07-10"]}]
    assert run("invoice", "show", "INV-2026-0003", "--json").json()["gross"] == "106.20"
    assert run("check").exit_code == 0


def test_two_processes_running_at_once_issue_nothing_twice(shop, book_path):
    for k in range(4):
        retainer(shop, day=k + 1, start=day("2026-01-01"), end=None, name=f"R{k}")
    shop.dispose()
    cmd = [sys.executable, "-m", "smallbiz", "--db", str(book_path), "recurring", "run",
           "--until", "2026-06-30"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _out, err in outputs]
    numbers = [n for out, _err in outputs for n in out.split()]
    assert sorted(numbers) == [f"INV-2026-{i:04d}" for i in range(1, 25)]  # 4 x 6, once each
    run = make_runner(book_path)
    assert run("check").exit_code == 0
    listed = run("recurring", "list", "--until", "2026-06-30", "--json").json()
    assert [(x["issued"], x["due"]) for x in listed] == [(6, [])] * 4
