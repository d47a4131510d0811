"""Nothing lost, nothing stale: ctrl+q asks before dropping typing; an open screen shows
a write made elsewhere within a second or two; a script holding the write lock does not
freeze the app; the theme is remembered."""

from __future__ import annotations

import subprocess
import sys
import time

from smallbiz.app.book import Book
from smallbiz.db import PG_WRITE_LOCK
from smallbiz.screens.journal import JournalEntryForm
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from tests.engine import is_url
from tests.tui.conftest import SIZE, settle


async def test_ctrl_q_with_a_half_typed_entry_asks_first(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalEntryForm)
        await pilot.press(*"Office chairs")
        await pilot.press("f3")  # the entry waits in its place; quitting still asks
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.is_running
        await pilot.press("n")
        await settle(pilot, app)
        assert app.is_running and app.current_mode == "contacts"
        await pilot.press("ctrl+q", "y")
        await settle(pilot, app)
    assert app.return_code == 0


async def test_ctrl_q_with_a_half_typed_form_asks_and_without_typing_quits(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "ctrl+n")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Half typed")
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n", "escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+q")  # nothing typed anywhere: quits at once
        await settle(pilot, app)
        assert not app.is_running


async def test_a_new_order_with_a_customer_typed_asks(app, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        await pilot.press(*"Acme")
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)


async def test_an_open_order_shows_a_payment_made_by_the_cli(app, book, cli, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        state = app.screen.query_one("#order-state")
        assert "balance due 236.00" in str(state.render())
        assert cli("pay", "in", shop.invoice, "36").exit_code == 0
        deadline = time.monotonic() + 4
        while "balance due 200.00" not in str(state.render()) and time.monotonic() < deadline:
            await pilot.pause(0.2)
        assert "balance due 200.00" in str(state.render())


async def test_the_contacts_list_shows_a_contact_added_elsewhere(app, cli) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        names = lambda: [r.cells[0] for r in app.screen.table.visible_rows()]  # noqa: E731
        assert "Zed Elsewhere" not in names()
        cli("contact", "add", "Zed Elsewhere")
        deadline = time.monotonic() + 4
        while "Zed Elsewhere" not in names() and time.monotonic() < deadline:
            await pilot.pause(0.2)
        assert "Zed Elsewhere" in names()


_HOLD_SQLITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""

_HOLD_PG = """
import sys, time, psycopg
url = sys.argv[1]
scheme, sep, rest = url.partition("://")
conn = psycopg.connect("postgresql" + sep + rest)
conn.execute("SELECT pg_advisory_xact_lock(" + sys.argv[3] + ")")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.commit()
"""


def hold_write_lock(location, seconds: float) -> subprocess.Popen[str]:
    """A second process (a script) that holds the book's write lock for `seconds`."""
    code = _HOLD_PG if is_url(location) else _HOLD_SQLITE
    proc = subprocess.Popen([sys.executable, "-c", code, str(location), str(seconds),
                             str(PG_WRITE_LOCK)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


async def test_a_script_holding_the_write_lock_does_not_freeze_the_app(
        app, book, book_path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "ctrl+n")
        await settle(pilot, app)
        await pilot.press(*"Waited Co")
        holder = hold_write_lock(book_path, 10)
        try:
            start = time.monotonic()
            await pilot.press("ctrl+s")  # the save waits for the lock in a worker
            await pilot.pause(0.1)
            await pilot.press("f9")  # ... and the app goes on answering keys
            await pilot.pause(0.1)
            assert app.current_mode == "journal"
            await pilot.press("f3")
            await pilot.pause(0.1)
            assert time.monotonic() - start < 8, "the app froze behind the lock"
            assert holder.poll() is None, "the lock was still held while the app answered"
        finally:
            holder.wait(timeout=30)
        await settle(pilot, app)
    names = [c.name for c in Book(book).contacts_page("Waited", None, 5)]
    assert names == ["Waited Co"]


async def test_the_theme_is_remembered(book) -> None:
    from smallbiz.screens.app import SmallBizApp

    first = SmallBizApp(Book(book))
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot, first)
        assert first.theme != "textual-light"
        first.theme = "textual-light"
        await settle(pilot, first)
    again = SmallBizApp(Book(book))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert again.theme == "textual-light"
