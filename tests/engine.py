"""The engine the suite runs on, and books on it: SQLite files or PostgreSQL databases.

`--engine=postgresql` (or `SMALLBIZ_TEST_ENGINE=postgresql`) runs every test that is not
marked `sqlite_only` on the PostgreSQL server of `SMALLBIZ_TEST_PG` (a SQLAlchemy URL of a
database the tests may create databases from, e.g.
`postgresql+psycopg://postgres@127.0.0.1:5433/postgres`).

A book's *location* is what `--db` takes: a file path on SQLite, a database URL on
PostgreSQL. Every helper here takes a location, so a test reads the same on both engines:
`content_hash(book_path)`, `rows(book_path, "SELECT ...")`, `make_runner(book_path)`.

On PostgreSQL each test gets its own databases (copied from a template with `CREATE
DATABASE ... TEMPLATE`, about 60 ms, where `init_book` takes about 2 s); they are dropped
when the test ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

SQLITE, POSTGRESQL = "sqlite", "postgresql"
ENGINES = (SQLITE, POSTGRESQL)

#: The engine of this run (set by tests/conftest.py from --engine).
ENGINE = os.environ.get("SMALLBIZ_TEST_ENGINE", SQLITE) or SQLITE
#: The PostgreSQL server: a SQLAlchemy URL of a database to connect to for CREATE DATABASE.
SERVER = os.environ.get("SMALLBIZ_TEST_PG", "")

Location = Path | str


def on_postgresql() -> bool:
    return ENGINE == POSTGRESQL


def is_url(location: Location) -> bool:
    return isinstance(location, str) and "://" in location


# -- PostgreSQL databases -------------------------------------------------------------------

#: Databases made during the current test (dropped when it ends) and for the session (by
#: module- and session-scoped fixtures: dropped when the session ends).
_test_databases: list[str] | None = None
_session_databases: list[str] = []
_lasting = 0


def _libpq(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://...`) as libpq takes it."""
    scheme, sep, rest = url.partition("://")
    return "postgresql" + sep + rest if scheme.startswith("postgresql") else url


def _connect(url: str, **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(_libpq(url), **kwargs)


def admin(sql: str) -> None:
    """One statement on the test server, outside a transaction (CREATE DATABASE, ...)."""
    with _connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


def database_url(name: str) -> str:
    base, _slash, _db = SERVER.partition("?")[0].rpartition("/")
    return f"{base}/{name}"


def database_name(url: str) -> str:
    return url.partition("?")[0].rpartition("/")[2]


def _register(name: str) -> None:
    if _test_databases is None or _lasting:
        _session_databases.append(name)
    else:
        _test_databases.append(name)


@contextlib.contextmanager
def lasting() -> Iterator[None]:
    """Databases made meanwhile last until the session ends (tests/conftest.py wraps the
    setup of every fixture scoped wider than a function in it)."""
    global _lasting
    _lasting += 1
    try:
        yield
    finally:
        _lasting -= 1


def new_database(hint: str = "book", *, template: str | None = None,
                 create: bool = True) -> str:
    """A new database on the test server (empty, or a copy of the database `template`);
    its URL. Dropped at the end of the test that made it (or of the session, for one made
    by a module- or session-scoped fixture). `create=False` only names it (for a
    `copy_book` to come)."""
    stem = "".join(c for c in Path(hint).stem.lower() if c.isalnum())[:16] or "book"
    name = f"sbt_{stem}_{uuid.uuid4().hex[:10]}"
    if template is not None:
        _copy_database(database_name(template), name)
    elif create:
        admin(f'CREATE DATABASE "{name}"')
    _register(name)
    return database_url(name)


def _copy_database(source: str, name: str) -> None:
    """CREATE DATABASE from a template, which no one may be connected to: connections an
    in-process command left in its pool are closed first (the source is finished)."""
    import psycopg

    with _connect(SERVER, autocommit=True) as conn:
        for attempt in range(3):
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 2:
                    raise
                import gc

                gc.collect()  # pools of unreachable Database objects close their connections
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (source,))


def drop_database(url_or_name: str) -> None:
    name = database_name(url_or_name) if "://" in url_or_name else url_or_name
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def begin_test() -> None:
    global _test_databases
    _test_databases = []


def end_test() -> None:
    global _test_databases
    names, _test_databases = _test_databases or [], None
    for name in names:
        drop_database(name)


def end_session() -> None:
    while _session_databases:
        drop_database(_session_databases.pop())


# -- books on either engine -------------------------------------------------------------------

def new_location(path: Path, *, create: bool = True) -> Location:
    """Where a new book can be made: `path` on SQLite; on PostgreSQL a new, empty database
    (named after `path`), as `smallbiz init` wants it on a server (`create=False`: named
    only, for a `copy_book` to it)."""
    if not on_postgresql():
        return path
    return new_database(path.name, create=create)


def copy_book(template: Location, dest: Location) -> Location:
    """A copy of the (closed) book at `template` at `dest`; returns where it is.

    SQLite: a file copy (the backup API) at the path `dest`. PostgreSQL: a database copied
    from the template database; `dest` a URL replaces that database, a path names a new one.
    """
    if not is_url(template):
        from smallbiz.db import Database

        return Database(template).backup(dest)
    if is_url(dest):
        assert isinstance(dest, str)
        drop_database(dest)
        _copy_database(database_name(template), database_name(dest))
        return dest
    return new_database(Path(dest).name, template=str(template))


def discard(location: Location) -> None:
    """Drop the database at `location` now (PostgreSQL; a SQLite file goes with its folder):
    for tests that make many books, e.g. one per Hypothesis example."""
    if is_url(location):
        drop_database(str(location))


# -- reading and writing a book behind smallbiz's back ---------------------------------------

def _pg_sql(sql: str, params: Sequence[Any]) -> tuple[str, Sequence[Any] | None]:
    """`?` placeholders (as sqlite3 takes them) as psycopg's `%s` (no parameters: the SQL
    as it is, `%` included)."""
    if not params:
        return sql, None
    return sql.replace("%", "%%").replace("?", "%s"), params


def rows(location: Location, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """The rows of one query (`?` parameters) on the book at `location`, outside smallbiz.
    Values are the driver's: dates are strings on SQLite, `datetime.date` on PostgreSQL."""
    if is_url(location):
        with _connect(str(location)) as conn:
            return [tuple(r) for r in conn.execute(*_pg_sql(sql, params)).fetchall()]
    conn = sqlite3.connect(location, timeout=30)
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    finally:
        conn.close()


def scalar(location: Location, sql: str, params: Sequence[Any] = ()) -> Any:
    found = rows(location, sql, params)
    return found[0][0] if found else None


def execute(location: Location, *statements: str | tuple[str, Sequence[Any]],
            triggers: bool = True) -> None:
    """Run statements (`?` parameters) in one transaction on the book at `location`, as
    someone with a database tool would. With `triggers=False` the database's own guards
    (its triggers) are off while they run, as for someone who drops them first: SQLite drops
    and recreates them in the transaction, PostgreSQL sets `session_replication_role` to
    replica (which also leaves foreign keys unchecked)."""
    items = [(s, ()) if isinstance(s, str) else s for s in statements]
    if is_url(location):
        with _connect(str(location)) as conn:
            if not triggers:
                conn.execute("SET LOCAL session_replication_role = replica")
            for sql, params in items:
                conn.execute(*_pg_sql(sql, params))
        return
    conn = sqlite3.connect(location, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN IMMEDIATE")
        guards = [] if triggers else conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in guards:
            conn.execute(f'DROP TRIGGER "{name}"')
        for sql, params in items:
            conn.execute(sql, tuple(params))
        for _name, sql in guards:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def refused(location: Location, sql: str) -> str:
    """The database's own error for a statement it refuses (nothing is written)."""
    import psycopg

    try:
        execute(location, sql)
    except (sqlite3.DatabaseError, psycopg.Error) as exc:
        return str(exc)
    raise AssertionError(f"the database accepted {sql!r}")


def tables(location: Location) -> list[str]:
    """The book's tables, by name (SQLite: its FTS index's tables too)."""
    if is_url(location):
        return [t for (t,) in rows(location, "SELECT tablename FROM pg_tables "
                                             "WHERE schemaname = current_schema() "
                                             "ORDER BY tablename")]
    return [t for (t,) in rows(location, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "ORDER BY name")]


def sync_sequences(location: Location) -> None:
    """After rows were written with explicit ids: each id sequence continues after its
    table's largest id, as if smallbiz had written them (PostgreSQL; SQLite needs nothing)."""
    if not is_url(location):
        return
    serial = rows(location, "SELECT table_name, pg_get_serial_sequence(table_name, 'id') "
                            "FROM information_schema.columns WHERE table_schema = "
                            "current_schema() AND column_name = 'id'")
    execute(location, *(f"SELECT setval('{seq}', COALESCE((SELECT MAX(id) FROM \"{t}\"), 0) "
                        "+ 1, false)" for t, seq in serial if seq))


def columns(location: Location, table: str) -> dict[str, tuple[bool, bool]]:
    """A table's columns: name -> (declared NOT NULL, part of the primary key)."""
    if is_url(location):
        pk = {c for (c,) in rows(location, """
            SELECT kcu.column_name FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
              AND tc.table_name = ?""", (table,))}
        return {c: (nullable == "NO", c in pk) for c, nullable in rows(
            location, "SELECT column_name, is_nullable FROM information_schema.columns "
                      "WHERE table_schema = current_schema() AND table_name = ? "
                      "ORDER BY ordinal_position", (table,))}
    return {r[1]: (bool(r[3]), bool(r[5]))
            for r in rows(location, f'PRAGMA table_info("{table}")')}


def foreign_keys(location: Location, table: str) -> set[tuple[str, str]]:
    """A table's foreign keys: (column, the table it refers to)."""
    if is_url(location):
        return set(rows(location, """
            SELECT kcu.column_name, ccu.table_name FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            JOIN information_schema.constraint_column_usage ccu
              ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
              AND tc.table_name = ?""", (table,)))
    return {(r[3], r[2]) for r in rows(location, f'PRAGMA foreign_key_list("{table}")')}


def indexes(location: Location, table: str) -> set[str]:
    """The names of a table's indexes."""
    if is_url(location):
        return {n for (n,) in rows(location, "SELECT indexname FROM pg_indexes WHERE "
                                             "schemaname = current_schema() AND tablename = ?",
                                   (table,))}
    return {r[1] for r in rows(location, f'PRAGMA index_list("{table}")')}


def triggers(location: Location, table: str) -> set[str]:
    """The names of the triggers on a table (PostgreSQL: not the ones of its foreign keys)."""
    if is_url(location):
        return {n for (n,) in rows(location, "SELECT t.tgname FROM pg_trigger t JOIN pg_class c "
                                             "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
                                             "AND c.relname = ?", (table,))}
    return {n for (n,) in rows(location, "SELECT name FROM sqlite_master WHERE type = "
                                         "'trigger' AND tbl_name = ?", (table,))}


def content_hash(location: Location) -> str:
    """A hash of every table's rows, each table's in the order of all its columns: equal
    before and after means nothing was written (sequences, which PostgreSQL never rolls
    back, are not rows)."""
    h = hashlib.sha256()
    if is_url(location):
        with _connect(str(location)) as conn:
            names = [t for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename")]
            for t in names:
                _hash_table(h, t, conn.execute(f'SELECT * FROM "{t}" LIMIT 0').description,
                            lambda sql: conn.execute(sql))
        return h.hexdigest()
    conn = sqlite3.connect(location)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in names:
            _hash_table(h, t, conn.execute(f'SELECT * FROM "{t}" LIMIT 0').description,
                        conn.execute)
    finally:
        conn.close()
    return h.hexdigest()


def _hash_table(h: Any, table: str, description: Iterable[Any], run: Any) -> None:
    order = ", ".join(str(i) for i in range(1, len(list(description)) + 1))
    h.update(f"table {table}\n".encode())
    for row in run(f'SELECT * FROM "{table}" ORDER BY {order}'):
        h.update(repr(tuple(row)).encode())
