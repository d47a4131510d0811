"""`smallbiz check`: every invariant of the book, one line per problem.

Each domain package has a list `CHECKS` of functions (transaction -> problems); the
composition root (`smallbiz.app.root`) lists them; the database's own integrity and
foreign-key checks come first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from smallbiz.db import Database
from smallbiz.sql import Tx

Check = Callable[[Tx], list[str]]


def database_integrity(s: Tx) -> list[str]:
    if s.dialect != "sqlite":
        return []
    problems = []
    for (line,) in s.execute("PRAGMA integrity_check").all():
        if line != "ok":
            problems.append(f"integrity: {line}")
    for table, rowid, parent, _fk in s.execute("PRAGMA foreign_key_check").all():
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    return problems


def run_checks(db: Database, checks: Sequence[Check] | None = None,
               write_checks: Sequence[Check] | None = None) -> list[str]:
    """All problems found in the book (empty when every invariant holds); `checks`
    default to the composition root's (`smallbiz.app.root.CHECKS`).

    A damaged file is a finding, not a crash: the database's own integrity check comes
    first, and a check the damage keeps from running is reported as `integrity:` too.
    """
    from smallbiz.failures import describe

    if checks is None or write_checks is None:
        from smallbiz.app import root

        checks = root.CHECKS if checks is None else checks
        write_checks = root.WRITE_CHECKS if write_checks is None else write_checks
    problems: list[str] = []
    try:
        with db.read() as s:
            problems.extend(_run(s, [database_integrity, *checks], describe))
        if write_checks and not any(p.startswith("integrity:") for p in problems):
            with db.transaction() as w:
                problems.extend(_run(w, write_checks, describe))
    except Exception as exc:
        line = describe(exc, reading_book=True)
        if line is None:
            raise
        problems.append(f"integrity: {line}")
    return problems


def _run(s: Tx, checks: Sequence[Check], describe: Callable[..., str | None]) -> list[str]:
    problems: list[str] = []
    for check in checks:
        try:
            with s.savepoint():  # a failed statement must not end the whole check
                problems.extend(check(s))
        except Exception as exc:
            if describe(exc, reading_book=True) is None:
                raise
            problems.append(f"integrity: {check.__name__} could not run ({exc})")
    return problems
