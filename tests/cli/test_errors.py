"""What the CLI says when the database itself fails (not a bug of ours): `error: database:
...` and exit 1, from the stdlib driver and through SQLAlchemy alike."""

from __future__ import annotations

from tests import engine
from tests.engine import Location, on_postgresql

#: What each database says of a missing table.
MISSING = ('relation "account_period" does not exist' if on_postgresql() else
           "no such table: account_period")


def test_a_broken_book_is_a_database_error_not_a_crash(cli, book_path: Location) -> None:
    engine.execute(book_path, "DROP TABLE account_period")  # gone behind smallbiz's back
    read = cli("report", "tb")  # plain SQL (the stdlib driver on SQLite)
    assert (read.exit_code, read.stderr) == (1, f"error: database: {MISSING}\n")
    write = cli("journal", "add", "--date", "2026-01-05", "--memo", "Rent",
                "--posting", "6000=10", "--posting", "1010")  # the ORM, through SQLAlchemy
    assert (write.exit_code, write.stderr) == (1, f"error: database: {MISSING}\n")
