"""The books cannot be broken, by the app or by raw SQL (issue: nothing lost, round two, C).

Raw SQL goes through the database's own driver (sqlite3 on the book file, psycopg on a
server), as an attacker or a careless script would; what the user then sees is the real CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests import engine
from tests.conftest import Run, content_hash
from tests.engine import Location


def raw(path: Location, sql: str, *, triggers: bool = True) -> None:
    engine.execute(path, sql, triggers=triggers)


def refused(path: Location, sql: str) -> str:
    return engine.refused(path, sql)


def add_entry(cli: Callable[..., Run], day: str = "2026-01-05") -> str:
    r = cli("journal", "add", "--date", day, "--memo", "Owner invests",
            "--posting", "1010=5000", "--posting", "3000")
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip()


def sold_and_paid(cli: Callable[..., Run]) -> dict[str, str]:
    """A service sold, invoiced and paid: the entries each document posted."""
    assert cli("contact", "add", "Nino", "--customer").exit_code == 0
    assert cli("product", "add", "SVC", "Consulting", "--service", "--price", "100"
               ).exit_code == 0
    r = cli("sale", "new", "Nino", "--line", "SVC=1", "--date", "2026-02-01")
    assert r.exit_code == 0, r.stderr
    order = r.stdout.strip().split()[0]
    for step in (("confirm",), ("ship", "--date", "2026-02-02"),
                 ("invoice", "--date", "2026-02-02")):
        r = cli("sale", step[0], order, *step[1:])
        assert r.exit_code == 0, r.stderr
    r = cli("--json", "invoice", "list")
    invoice = r.json()[0]["number"]
    r = cli("pay", "in", invoice, "50", "--date", "2026-02-03")
    assert r.exit_code == 0, r.stderr
    payment = r.stdout.strip().split()[0]
    return {"order": order, "invoice": invoice, "payment": payment}


def test_a_documents_entry_is_reversed_only_by_cancelling_the_document(
        cli: Callable[..., Run], book_path: Path) -> None:
    docs = sold_and_paid(cli)
    before = content_hash(book_path)
    entries = cli("--json", "journal", "list").json()
    document_entries = [e for e in entries if e["source"] != "manual"]
    assert len(document_entries) >= 2
    for e in document_entries:
        r = cli("journal", "reverse", e["number"])
        assert r.exit_code == 1
        assert r.stderr.startswith("error: ") and "cancel the document" in r.stderr, r.stderr
        assert "smallbiz" in r.stderr  # names the command that does it
    assert content_hash(book_path) == before
    assert cli("check").exit_code == 0
    r = cli("pay", "cancel", docs["payment"])
    assert r.exit_code == 0, r.stderr
    assert cli("check").exit_code == 0


def test_a_manual_entry_is_still_reversed(cli: Callable[..., Run]) -> None:
    number = add_entry(cli)
    r = cli("journal", "reverse", number, "--date", "2026-01-06")
    assert r.exit_code == 0, r.stderr
    assert cli("check").exit_code == 0


def test_raw_sql_cannot_add_postings_to_a_posted_entry(cli: Callable[..., Run],
                                                       book_path: Path) -> None:
    add_entry(cli)
    message = refused(book_path, "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                                 "VALUES (1, 1, '2026-01-05', 100, '')")
    assert "sealed" in message
    assert cli("check").exit_code == 0


def test_raw_sql_cannot_touch_the_audit_log(cli: Callable[..., Run], book_path: Path) -> None:
    add_entry(cli)
    assert "append-only" in refused(book_path, "DELETE FROM audit_log")
    assert "append-only" in refused(book_path, "UPDATE audit_log SET summary = 'nothing'")


def test_raw_sql_cannot_move_the_lock_date_back_or_post_into_a_locked_month(
        cli: Callable[..., Run], book_path: Path) -> None:
    add_entry(cli)
    assert cli("lock", "2026-01-31").exit_code == 0
    assert "reopen" in refused(book_path, "UPDATE setting SET value = '2025-12-31' "
                                          "WHERE key = 'lock_date'")
    assert "cannot be deleted" in refused(book_path,
                                          "DELETE FROM setting WHERE key = 'lock_date'")
    assert "lock date" in refused(
        book_path, "INSERT INTO journal_entry (number, year, seq, date, memo, source, "
                   "created_at) VALUES ('JE-2026-0099', 2026, 99, '2026-01-10', '', 'manual', "
                   "'2026-01-10 00:00:00')")


def test_check_finds_what_a_trigger_cannot(cli: Callable[..., Run], book_path: Path) -> None:
    """Someone drops the triggers, then changes a posting and removes an audit row: the
    seal chain and the audit chain are broken, and `check` says so."""
    add_entry(cli)
    add_entry(cli, "2026-01-06")
    assert cli("check").exit_code == 0
    raw(book_path, "UPDATE posting SET amount = amount + 1 WHERE id = 1", triggers=False)
    raw(book_path, "UPDATE posting SET amount = amount - 1 WHERE id = 2", triggers=False)
    raw(book_path, "UPDATE account_period SET amount = amount + 1 WHERE account_id = "
                   "(SELECT account_id FROM posting WHERE id = 1)")
    raw(book_path, "UPDATE account_period SET amount = amount - 1 WHERE account_id = "
                   "(SELECT account_id FROM posting WHERE id = 2)")
    r = cli("check")
    assert r.exit_code == 1
    assert "seal chain is broken" in r.stderr + r.stdout
    raw(book_path, "DELETE FROM audit_log WHERE id = 2", triggers=False)
    r = cli("check")
    assert "audit chain is broken" in r.stderr + r.stdout


def test_entries_written_outside_smallbiz_are_found(cli: Callable[..., Run],
                                                    book_path: Path) -> None:
    add_entry(cli)
    raw(book_path, "INSERT INTO journal_entry (number, year, seq, date, memo, source, "
                   "created_at) VALUES ('JE-2026-0002', 2026, 2, '2026-03-01', '', 'manual', "
                   "'2026-03-01 00:00:00')")
    raw(book_path, "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                   "VALUES (2, 1, '2026-03-01', 100, ''), (2, 2, '2026-03-01', -100, '')")
    r = cli("check")
    assert r.exit_code == 1
    assert "never sealed" in r.stderr + r.stdout


def test_entries_written_outside_smallbiz_are_checked_like_the_others(
        cli: Callable[..., Run], book_path: Path) -> None:
    """After the last seal, one pass over the journal still finds the entries that are
    not well formed: one without postings, one that does not balance, one with a posting
    on another day."""
    add_entry(cli)
    entry = ("INSERT INTO journal_entry (number, year, seq, date, memo, source, created_at) "
             "VALUES ('JE-2026-000{n}', 2026, {n}, '2026-03-01', '', 'manual', "
             "'2026-03-01 00:00:00')")
    for n in (2, 3, 4):
        raw(book_path, entry.format(n=n))
    raw(book_path, "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                   "VALUES (3, 1, '2026-03-01', 100, ''), (3, 2, '2026-03-01', -90, ''), "
                   "(4, 1, '2026-03-01', 100, ''), (4, 2, '2026-03-02', -100, '')")
    found = (cli("check").stderr).splitlines()
    assert "journal seal: 3 entries from JE-2026-0002 on were never sealed (written outside " \
           "smallbiz)" in found
    assert "entry JE-2026-0002 has 0 posting(s); at least two are required" in found
    assert "entry JE-2026-0003 does not balance (off by 0.10)" in found
    assert "entry JE-2026-0004: a posting's date differs from the entry's" in found


def test_a_lock_date_after_today_needs_future(cli: Callable[..., Run], book_path: Path) -> None:
    before = content_hash(book_path)
    typo = (dt.date.today().replace(month=1, day=31) + dt.timedelta(days=366 * 36)).isoformat()
    r = cli("lock", typo)
    assert r.exit_code == 1 and "--future" in r.stderr
    assert content_hash(book_path) == before
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert cli("lock", tomorrow, "--future").exit_code == 0


def test_a_period_is_reopened_with_a_reason_in_the_audit_log(cli: Callable[..., Run]) -> None:
    add_entry(cli)
    assert cli("lock", "2026-01-31").exit_code == 0
    r = cli("journal", "add", "--date", "2026-01-20", "--memo", "Late invoice",
            "--posting", "6000=10", "--posting", "1010")
    assert r.exit_code == 1
    r = cli("lock", "--reopen", "2026-01-01")
    assert r.exit_code == 1 and "--reason" in r.stderr
    r = cli("lock", "--reopen", "2026-01-01", "--reason", "late supplier invoice")
    assert r.exit_code == 0, r.stderr
    assert "2025-12-31" in r.stdout
    r = cli("journal", "add", "--date", "2026-01-20", "--memo", "Late invoice",
            "--posting", "6000=10", "--posting", "1010")
    assert r.exit_code == 0, r.stderr
    rows = cli("--json", "audit").json()
    reopen = [row for row in rows if row["action"] == "reopen"]
    assert reopen and "late supplier invoice" in reopen[0]["summary"]
    assert reopen[0]["user"]
    assert cli("check").exit_code == 0


def test_negative_stock_is_not_switched_off_below_zero(cli: Callable[..., Run],
                                                       book_path: Path) -> None:
    assert cli("settings", "negative_stock", "yes").exit_code == 0
    assert cli("contact", "add", "Nino", "--customer").exit_code == 0
    assert cli("product", "add", "BOLT", "Bolt", "--price", "2").exit_code == 0
    r = cli("sale", "new", "Nino", "--line", "BOLT=5")
    order = r.stdout.strip().split()[0]
    assert cli("sale", "confirm", order).exit_code == 0
    assert cli("sale", "ship", order).exit_code == 0, "negative stock is allowed"
    before = content_hash(book_path)
    r = cli("settings", "negative_stock", "no")
    assert r.exit_code == 1 and "BOLT" in r.stderr, r.stderr
    assert content_hash(book_path) == before
    assert cli("check").exit_code == 0
