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
