"""`check` reads every page (SQLite's quick check); `check --full` also compares each
index entry with its row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import make_runner


@pytest.mark.sqlite_only("SQLite's own file checks")
def test_full_check_finds_an_index_out_of_step(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    run = make_runner(book)
    assert run("init", "--company", "Index Ltd").exit_code == 0
    assert run("contact", "add", "Nino Beridze").exit_code == 0
    assert run("check").exit_code == 0
    assert run("check", "--full").exit_code == 0
    # An index whose entries no longer follow its definition (as a damaged file can have):
    # the pages are sound, the entries are not the rows'.
    conn = sqlite3.connect(book)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_contact_name ON contact "
                 "(city)' WHERE name = 'ix_contact_name'")
    conn.commit()
    conn.close()
    quick = run("check")
    assert quick.exit_code == 0, quick.stderr
    full = run("check", "--full")
    assert full.exit_code == 1
    assert any(line.startswith("integrity:") and "ix_contact_name" in line
               for line in full.stderr.splitlines()), full.stderr


@pytest.mark.sqlite_only("SQLite keeps foreign keys only when a connection asks it to")
def test_rows_pointing_at_missing_parents_are_named(tmp_path: Path) -> None:
    """Someone with foreign keys off: a payment allocation to an invoice that is not there
    (a key with an index: counted), an invoice line on a missing account (a key without
    one: looked up), a posting to a missing contact. Each row is named."""
    book = tmp_path / "book.db"
    run = make_runner(book)
    assert run("init", "--company", "Keys Ltd").exit_code == 0
    assert run("contact", "add", "Nino", "--customer").exit_code == 0
    assert run("product", "add", "SVC", "Consulting", "--service", "--price", "100"
               ).exit_code == 0
    order = run("sale", "new", "Nino", "--line", "SVC=1", "--date", "2026-02-01"
                ).stdout.strip().split()[0]
    for step in (("confirm",), ("invoice", "--date", "2026-02-02")):
        assert run("sale", step[0], order, *step[1:]).exit_code == 0
    invoice = run("--json", "invoice", "list").json()[0]["number"]
    assert run("pay", "in", invoice, "50", "--date", "2026-02-03").exit_code == 0
    assert run("check").exit_code == 0
    conn = sqlite3.connect(book, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE payment_allocation SET invoice_id = 999 WHERE id = 1")
    conn.execute("UPDATE invoice_line SET account_id = 998 WHERE id = 1")
    conn.execute("DROP TRIGGER posting_no_update")
    conn.execute("UPDATE posting SET contact_id = 997 WHERE id = (SELECT MIN(id) FROM "
                 "posting WHERE contact_id IS NOT NULL)")
    posting = conn.execute("SELECT id FROM posting WHERE contact_id = 997").fetchone()[0]
    conn.close()
    found = run("check").stderr.splitlines()
    assert "foreign key: payment_allocation row 1 points to a missing invoice" in found
    assert "foreign key: invoice_line row 1 points to a missing account" in found
    assert f"foreign key: posting row {posting} points to a missing contact" in found
