"""`smallbiz check`: every invariant of the book, one line per problem.

Each domain package has a list `CHECKS` of functions (transaction -> problems); the
composition root (`smallbiz.app.root`) lists them; the database's own integrity and
foreign-key checks come first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from smallbiz.db import Database
from smallbiz.sql import Tx

Check = Callable[[Tx], list[str]]


def database_integrity(s: Tx, *, full: bool = False) -> list[str]:
    """SQLite's own checks of the file: every page and b-tree well formed, every row's
    NOT NULL and CHECK constraints (`quick_check`, which reads the file once), and, with
    `full`, every index entry against its row (`integrity_check`: 5-10x longer on a big
    book); then the foreign keys."""
    if s.dialect != "sqlite":
        return []
    problems = []
    pragma = "integrity_check" if full else "quick_check"
    for (line,) in s.execute(f"PRAGMA {pragma}").all():
        if line != "ok":
            problems.append(f"integrity: {line}")
    if not _foreign_keys_hold(s):
        for table, rowid, parent, _fk in s.execute("PRAGMA foreign_key_check").all():
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
    return problems


def _foreign_keys_hold(s: Tx) -> bool:
    """True when no row points to a missing parent (SQLite), found with less reading than
    SQLite's `foreign_key_check` (which looks each row's parents up: 3-4 s of the 1M
    book): a key on an indexed column by counts, its rows with a value against those
    that join their parent (the child's index and the parent's key, never the child's
    rows); a table's other keys by one pass over it. False sends `database_integrity`
    to `foreign_key_check`, which names the rows (and is the check for a key of several
    columns or one that points at anything but an integer primary key)."""
    tables = [str(n) for (n,) in s.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rowid_key = {}  # table -> its INTEGER PRIMARY KEY column (the rowid), if it has one
    for table in tables:
        pk = [(str(name), str(kind)) for _cid, name, kind, _nn, _d, pk
              in s.all(f'PRAGMA table_info("{table}")') if pk]
        if len(pk) == 1 and pk[0][1].upper() == "INTEGER":
            rowid_key[table] = pk[0][0]
    return all(_keys_hold(s, table, rowid_key) for table in tables)


def _keys_hold(s: Tx, table: str, rowid_key: dict[str, str]) -> bool:
    keys = s.all(f'PRAGMA foreign_key_list("{table}")')
    if not keys:
        return True
    if len({k[0] for k in keys}) != len(keys):
        return False  # a key of several columns
    indexed = {str(s.all(f'PRAGMA index_info("{name}")')[0][2])
               for _seq, name, *_rest in s.all(f'PRAGMA index_list("{table}")')}
    not_null = {str(name) for _cid, name, _kind, nn, _d, _pk
                in s.all(f'PRAGMA table_info("{table}")') if nn}
    rows = None
    unindexed = []
    for _id, _seq, parent, column, to, *_rest in keys:
        key = rowid_key.get(str(parent))
        if key is None or (to is not None and str(to) != key):
            return False
        if column not in indexed:
            unindexed.append(f'(c."{column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM '
                             f'"{parent}" p WHERE p.rowid = c."{column}"))')
            continue
        if column in not_null:
            if rows is None:
                rows = int(s.scalar(f'SELECT COUNT(*) FROM "{table}"'))
            with_value = rows
        else:
            with_value = int(s.scalar(
                f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" IS NOT NULL'))
        joined = int(s.scalar(f'SELECT COUNT(*) FROM "{table}" c JOIN "{parent}" p '
                              f'ON p.rowid = c."{column}"'))
        if joined != with_value:
            return False
    return not unindexed or s.first(
        f'SELECT 1 FROM "{table}" c WHERE {" OR ".join(unindexed)} LIMIT 1') is None


def run_checks(db: Database, checks: Sequence[Check] | None = None,
               write_checks: Sequence[Check] | None = None, *,
               full: bool = False) -> list[str]:
    """All problems found in the book (empty when every invariant holds); `checks`
    default to the composition root's (`smallbiz.app.root.CHECKS`); `full`: SQLite's
    full integrity check (see `database_integrity`).

    A damaged file is a finding, not a crash: the database's own integrity check comes
    first, and a check the damage keeps from running is reported as `integrity:` too.
    On SQLite the checks run side by side on the processors there are, each on a read
    snapshot of its own (SQLite works outside the GIL; no check needs another's snapshot);
    the problems are listed in the checks' order all the same.
    """
    from smallbiz.failures import describe

    if checks is None or write_checks is None:
        from smallbiz.app import root

        checks = root.CHECKS if checks is None else checks
        write_checks = root.WRITE_CHECKS if write_checks is None else write_checks

    def integrity(s: Tx) -> list[str]:
        return database_integrity(s, full=full)

    integrity.__name__ = database_integrity.__name__
    problems: list[str] = []
    try:
        problems.extend(_run_all(db, [integrity, *checks], describe))
        if write_checks and not any(p.startswith("integrity:") for p in problems):
            with db.transaction() as w:
                problems.extend(_run(w, write_checks, describe))
    except Exception as exc:
        line = describe(exc, reading_book=True)
        if line is None:
            raise
        problems.append(f"integrity: {line}")
    return problems


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _run_all(db: Database, checks: Sequence[Check],
             describe: Callable[..., str | None]) -> list[str]:
    workers = min(_workers(), 4)
    if not db.is_sqlite or workers < 2:
        with db.read() as s:
            return _run(s, checks, describe)

    def one(check: Check) -> list[str]:
        with db.read() as s:
            return _run(s, [check], describe)

    from concurrent.futures import ThreadPoolExecutor

    # The longest first (the file's own check, then the seals), so none is left alone at
    # the end; the results are read back in the checks' order.
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="smallbiz-check") as pool:
        futures = [pool.submit(one, check) for check in checks]
        return [line for f in futures for line in f.result()]


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
