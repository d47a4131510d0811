"""`smallbiz check`: every invariant of the book, one line per problem.

Each domain package contributes a list `CHECKS` of functions (session -> problems);
the database's own integrity and foreign-key checks come first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from smallbiz.db import Database
from smallbiz.extensions import import_optional

#: Domain modules with a CHECKS list; later packages append themselves here.
CHECK_MODULES = ["smallbiz.books.check", "smallbiz.crm.check", "smallbiz.stock.check",
                 "smallbiz.orders.check"]


def database_integrity(s: Any) -> list[str]:
    if s.get_bind().dialect.name != "sqlite":
        return []
    problems = []
    for (line,) in s.execute(text("PRAGMA integrity_check")).all():
        if line != "ok":
            problems.append(f"integrity: {line}")
    for table, rowid, parent, _fk in s.execute(text("PRAGMA foreign_key_check")).all():
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    return problems


def run_checks(db: Database) -> list[str]:
    """All problems found in the book (empty when every invariant holds).

    A damaged file is a finding, not a crash: the database's own integrity check comes
    first, and a check the damage keeps from running is reported as `integrity:` too.
    """
    from smallbiz.audit import verify_chain
    from smallbiz.failures import describe

    checks = [database_integrity, verify_chain]
    for module in import_optional(CHECK_MODULES):
        checks.extend(module.CHECKS)
    problems: list[str] = []
    savepoints = not db.is_sqlite
    try:
        with db.read() as s:
            for check in checks:
                try:
                    if savepoints:  # PostgreSQL: a failed statement ends the transaction
                        with s.begin_nested():
                            problems.extend(check(s))
                    else:
                        problems.extend(check(s))
                except Exception as exc:
                    if describe(exc, reading_book=True) is None:
                        raise
                    reason = getattr(exc, "orig", None) or exc
                    problems.append(f"integrity: {check.__name__} could not run ({reason})")
    except Exception as exc:
        line = describe(exc, reading_book=True)
        if line is None:
            raise
        problems.append(f"integrity: {line}")
    return problems
