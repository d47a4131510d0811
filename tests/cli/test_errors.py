"""What the CLI says when the database itself fails (not a bug of ours): `error: database:
...` and exit 1, from the stdlib driver and through SQLAlchemy alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def test_a_broken_book_is_a_database_error_not_a_crash(cli, book_path: Path) -> None:
    with sqlite3.connect(book_path) as conn:  # a table gone behind smallbiz's back
        conn.execute("DROP TABLE account_period")
    read = cli("report", "tb")  # plain SQL on the stdlib driver
    assert (read.exit_code, read.stderr) == (1, "error: database: no such table: "
                                                "account_period\n")
    write = cli("journal", "add", "--date", "2026-01-05", "--memo", "Rent",
                "--posting", "6000=10", "--posting", "1010")  # the ORM, through SQLAlchemy
    assert (write.exit_code, write.stderr) == (1, "error: database: no such table: "
                                                  "account_period\n")
