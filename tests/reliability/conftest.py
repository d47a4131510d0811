"""Shared helpers for the reliability suite: real books copied from templates, the real
CLI in a child process, and the invariants every scenario asserts after the fact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smallbiz.book import init_book
from smallbiz.db import Database
from tests import engine
from tests.conftest import Run, make_runner
from tests.engine import Location, copy_book, new_location

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
#: Environment of every child: the repository importable, no user book by accident.
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SMALLBIZ_DB": "/nonexistent/smallbiz.db",
             "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "1"}


def smallbiz(db: Location, *args: str, timeout: float = 120, env: dict | None = None
             ) -> subprocess.CompletedProcess[str]:
    """`smallbiz --db DB ARGS...` as a real process."""
    return subprocess.run([PYTHON, "-m", "smallbiz", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env=env or CHILD_ENV)


def child(code: str, *args: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen:
    """A Python child process running `code` (argv[1:] = args)."""
    return subprocess.Popen([PYTHON, "-c", code, *args], cwd=ROOT, env=CHILD_ENV,
                            stdout=stdout, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL `proc` after `delay` seconds; True when it was still running (a real kill)."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.005)
    alive = proc.poll() is None
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return alive


def kill_when_busy(proc: subprocess.Popen, delay: float, timeout: float = 120) -> list[str]:
    """SIGKILL `proc` `delay` seconds after it printed its first line (it is working, not
    starting up: on a busy machine start-up alone can take seconds); returns every line
    it printed."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    return lines


def read_pty(fd: int, seconds: float) -> bytes:
    """What a program in a pseudo-terminal writes to `fd` over `seconds` (less when it
    closes the terminal)."""
    import select

    data = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return data


def scalar(where: Location, sql: str, params: tuple = ()) -> object:
    return engine.scalar(where, sql, params)


def rows(where: Location, sql: str, params: tuple = ()) -> list[tuple]:
    return engine.rows(where, sql, params)


def assert_book_sound(path: Location) -> None:
    """The book opens (through the real CLI, as a user would) and `check` passes."""
    r = smallbiz(path, "check")
    assert r.returncode == 0, f"check failed on {path}:\n{r.stdout}\n{r.stderr}"
    assert "Traceback" not in r.stderr


_HAS_STOCK_LINES = ("EXISTS (SELECT 1 FROM order_line ol WHERE ol.order_id = o.id "
                    "AND NOT ol.is_service)")

#: (query for the numbers of incomplete documents, what is missing)
_INCOMPLETE = [
    ("SELECT number FROM trade_order o WHERE NOT EXISTS "
     "(SELECT 1 FROM order_line l WHERE l.order_id = o.id)", "{} has no lines"),
    ("SELECT number FROM invoice i WHERE NOT EXISTS "
     "(SELECT 1 FROM invoice_line l WHERE l.invoice_id = i.id)", "{} has no lines"),
    # an order of services only is delivered with a shipment that moves no stock
    ("SELECT o.number FROM shipment sh JOIN trade_order o ON o.id = sh.order_id "
     f"WHERE {_HAS_STOCK_LINES} AND NOT EXISTS "
     "(SELECT 1 FROM shipment_line l WHERE l.shipment_id = sh.id)",
     "shipment of {} has no lines"),
    ("SELECT o.number FROM shipment sh JOIN trade_order o ON o.id = sh.order_id "
     f"WHERE sh.kind = 'shipment' AND {_HAS_STOCK_LINES} AND NOT EXISTS "
     "(SELECT 1 FROM stock_move m WHERE m.source = 'shipment' AND m.source_id = sh.id)",
     "shipment of {} has no stock moves"),
    ("SELECT number FROM trade_order WHERE kind = 'sale' AND status IN ('shipped', "
     "'invoiced', 'paid') AND id NOT IN (SELECT order_id FROM shipment)",
     "{} is shipped but has no shipment"),
    ("SELECT number FROM payment p WHERE NOT EXISTS "
     "(SELECT 1 FROM payment_allocation a WHERE a.payment_id = p.id)", "{} has no allocations"),
    ("SELECT number FROM payment p WHERE NOT EXISTS (SELECT 1 FROM journal_entry e "
     "WHERE e.source = 'payment' AND e.source_id = p.id)", "{} has no journal entry"),
    ("SELECT number FROM journal_entry e WHERE (SELECT COUNT(*) FROM posting p "
     "WHERE p.entry_id = e.id) < 2", "{} has fewer than two postings"),
]


def documents_whole(path: Location) -> list[str]:
    """Orders-level all-or-nothing: every document present has all of its parts.

    Every order has lines; every shipped/invoiced order has its shipment with lines and
    stock moves, its invoice with lines and an entry; every payment has allocations and
    an entry. (`check` verifies totals, entries and numbering on top of this.)
    """
    return [what.format(number) for sql, what in _INCOMPLETE for (number,) in rows(path, sql)]


def assert_whole(path: Location) -> None:
    """In this process: the book opens (recovering its WAL after a crash), every `check`
    invariant holds and every document has all its parts."""
    from smallbiz.check import run_checks

    db = Database(path).open()
    try:
        assert run_checks(db) == []
    finally:
        db.dispose()
    assert documents_whole(path) == []


#: The start of a child script that runs CLI commands in-process, as a script would one
#: after the other: `run(*args)` returns the command's output, or prints FAILED and exits 3.
CLI_CHILD = """
import sys
from typer.testing import CliRunner
from smallbiz.cli.main import app

runner = CliRunner()


def run(*args):
    r = runner.invoke(app, ['--db', sys.argv[1], *args])
    if r.exit_code != 0:
        print('FAILED', args, repr(r.stderr), repr(r.exception), flush=True)
        sys.exit(3)
    return r.stdout.strip()
"""


# -- books ---------------------------------------------------------------------------------

def build_shop(path: Location) -> None:
    """A small shop, made through the real CLI: products with stock, customers, a
    supplier, one journal entry, an open invoice, an open bill, a payment, a
    follow-up and a deal."""
    db = Database(path)
    init_book(db, company="Test Co", currency="GEL", vat_rate="18")
    db.dispose()
    run = make_runner(path)

    def ok(*args: str) -> str:
        r = run(*args)
        assert r.exit_code == 0, (args, r.stdout, r.stderr)
        return r.stdout.strip()

    ok("journal", "add", "--date", "2026-01-02", "--memo", "Capital",
       "--posting", "1010=50000", "--posting", "3000")
    ok("product", "add", "TOOL-01", "Hammer", "--price", "25.00", "--cost", "12.00")
    ok("product", "add", "NAIL-01", "Nails", "--price", "0.50", "--cost", "0.20")
    ok("product", "add", "SVC-01", "Installation hour", "--price", "40", "--service")
    ok("stock", "adjust", "TOOL-01", "100000", "--cost", "12.00", "--opening",
       "--date", "2026-01-02")
    ok("stock", "adjust", "NAIL-01", "1000000", "--cost", "0.20", "--opening",
       "--date", "2026-01-02")
    ok("contact", "add", "Kartuli Foods LLC", "--org", "--customer",
       "--email", "office@kartuli.ge")
    ok("contact", "add", "Nino Beridze", "--customer", "--company", "Kartuli Foods LLC")
    ok("contact", "add", "Batumi Supply", "--org", "--supplier")
    ok("purchase", "new", "Batumi Supply", "--line", "TOOL-01=10@12.00", "--date", "2026-02-01")
    ok("purchase", "confirm", "PO-2026-0001")
    ok("purchase", "receive", "PO-2026-0001", "--date", "2026-02-02")
    ok("sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=4", "--line", "SVC-01=2",
       "--date", "2026-02-03")
    ok("sale", "confirm", "SO-2026-0001")
    ok("sale", "ship", "SO-2026-0001", "--date", "2026-02-03")
    ok("sale", "invoice", "SO-2026-0001", "--date", "2026-02-03")
    ok("pay", "in", "INV-2026-0001", "50.00", "--date", "2026-02-10")
    ok("sale", "new", "Nino Beridze", "--line", "NAIL-01=10", "--date", "2026-02-04")
    ok("log", "add", "Kartuli Foods LLC", "Call about the spring order", "--date",
       "2026-02-05", "--follow-up", "2026-03-01")
    ok("deal", "add", "Kartuli Foods LLC", "Spring order", "--value", "5000")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              plain_template: Location) -> dict[str, Location]:
    """Books built once per test process and copied for each test."""
    shop = new_location(tmp_path_factory.mktemp("reliability-templates") / "shop.db")
    build_shop(shop)
    return {"plain": plain_template, "shop": shop}


@pytest.fixture
def shop_path(templates: dict[str, Location], tmp_path: Path) -> Location:
    return copy_book(templates["shop"], tmp_path / "shop.db")


@pytest.fixture
def plain_path(templates: dict[str, Location], tmp_path: Path) -> Location:
    return copy_book(templates["plain"], tmp_path / "book.db")


@pytest.fixture
def shop_cli(shop_path: Location) -> Callable[..., Run]:
    return make_runner(shop_path)


@pytest.fixture
def opened_shop(shop_path: Location) -> Iterator[Database]:
    db = Database(shop_path).open()
    yield db
    db.dispose()
