"""The one data path: `Tx`, a transaction on the book, the same on SQLite and PostgreSQL.

Every service, report, list, import, check and the dashboard takes a `Tx` (from
`Database.transaction()` to write, `Database.read()` to read one snapshot) and speaks
plain SQL to it, written once in the portable subset both engines share. This module is
the one place (with `smallbiz.db`, which opens the connections, and the migrations) that
knows which engine is underneath.

SQL and parameters
    Parameters are `:name` in the SQL and a mapping of values. A list or tuple value is
    expanded for `IN :name` (an empty one matches nothing). Dates and datetimes may be
    passed as `datetime` objects.

What comes back (the storage formats, the same on both engines)
    Rows are tuples (`execute`, `all`, `first`) or `Row`s with attribute access (`row`,
    `rows`). Money and quantities are INTEGER minor units (see `smallbiz.money`), dates
    ISO strings `YYYY-MM-DD`, timestamps UTC strings `YYYY-MM-DD HH:MM:SS.ffffff`,
    booleans 0 or 1, sums of integers integers. PostgreSQL's own types are loaded into
    these forms (`_pg_loaders`), so no caller ever asks which engine it is on.

Only SQLite's stdlib driver is imported to read a SQLite book: a report never imports
SQLAlchemy (that is most of a short command's time); psycopg is imported only for a
PostgreSQL book.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal

__all__ = ["Tx", "Row", "Result", "Params", "Dialect", "no_cycle_collection"]

Dialect = Literal["sqlite", "postgresql"]
Params = Mapping[str, Any]

#: `:name` outside quoted text (a `::` cast is left alone).
_NAME = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_PG_SQL: dict[str, str] = {}
#: The page cache of a SQLite connection during `Tx.bulk` (KiB).
BULK_CACHE_KIB = 64 * 1024


def _pg_sql(sql: str) -> str:
    """`:name` → `%(name)s` and `%` → `%%` (psycopg's format), outside quoted text."""
    cached = _PG_SQL.get(sql)
    if cached is None:
        parts = _QUOTED.split(sql)
        for i in range(0, len(parts), 2):  # the even parts are outside quotes
            parts[i] = _NAME.sub(r"%(\1)s", parts[i].replace("%", "%%"))
        for i in range(1, len(parts), 2):
            parts[i] = parts[i].replace("%", "%%")
        cached = _PG_SQL[sql] = "".join(parts)
    return cached


#: `INSERT INTO table (columns) VALUES (?, ...)` and nothing else.
_PLAIN_INSERT = re.compile(
    r"\s*INSERT INTO (\w+) \(([\w\s,]+)\) VALUES \(\s*\?(?:\s*,\s*\?)*\s*\)\s*", re.IGNORECASE)


def _copy_sql(sql: str) -> str | None:
    """The `COPY ... FROM STDIN` that does what a plain positional INSERT does for many
    rows (defaults, constraints and row triggers alike), or None for any other SQL."""
    key = "copy:" + sql
    if key not in _PG_SQL:
        m = _PLAIN_INSERT.fullmatch(sql)
        columns = [c.strip() for c in m.group(2).split(",")] if m else []
        ok = m is not None and len(columns) == sql.count("?")
        _PG_SQL[key] = f"COPY {m.group(1)} ({', '.join(columns)}) FROM STDIN" if ok else ""
    return _PG_SQL[key] or None


def _pg_positional(sql: str) -> str:
    """`?` → `%s` (and `%` → `%%`) outside quoted text."""
    cached = _PG_SQL.get("?" + sql)
    if cached is None:
        parts = _QUOTED.split(sql)
        for i in range(len(parts)):
            parts[i] = parts[i].replace("%", "%%")
            if i % 2 == 0:
                parts[i] = parts[i].replace("?", "%s")
        cached = _PG_SQL["?" + sql] = "".join(parts)
    return cached


def _expand(sql: str, params: Params) -> tuple[str, dict[str, Any]]:
    """Each list/tuple parameter `:k` becomes `(:k_0, :k_1, ...)` (or `(NULL)`)."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, list | tuple | set | frozenset):
            values = list(value)
            del out[key]
            names = [f"{key}__{i}" for i in range(len(values))]
            out.update(zip(names, values, strict=True))
            listed = ", ".join(f":{n}" for n in names) or "NULL"
            sql = re.sub(rf"(?<![:\w]):{key}\b", f"({listed})", sql)
    return sql, out


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        raise TypeError("Decimal passed to SQL: store minor units (smallbiz.money.to_minor)")
    return value


class Row(tuple):  # type: ignore[type-arg]
    """A result row: a tuple whose columns are also attributes (`row.name`)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._fields.index(name)]
        except ValueError:
            raise AttributeError(name) from None

    def asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))


_ROW_TYPES: dict[tuple[str, ...], type[Row]] = {}


def _row_type(fields: tuple[str, ...]) -> type[Row]:
    cls = _ROW_TYPES.get(fields)
    if cls is None:
        cls = _ROW_TYPES[fields] = type("Row", (Row,), {"__slots__": (), "_fields": fields})
    return cls


class Result:
    """What `Tx.execute` returns: iterate it for tuples, or take what you need."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()  # type: ignore[no-any-return]

    first = fetchone

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        return self._cursor.fetchmany(size)  # type: ignore[no-any-return]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._cursor.fetchall())

    all = fetchall

    def scalar(self) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def scalars(self) -> list[Any]:
        return [r[0] for r in self._cursor.fetchall()]

    def rows(self) -> list[Row]:
        fields = tuple(d[0] for d in self._cursor.description)
        cls = _row_type(fields)
        return [cls(r) for r in self._cursor.fetchall()]


class Tx:
    """One transaction on the book (see the module docstring). Made by `smallbiz.db`."""

    __slots__ = ("connection", "dialect", "money_digits", "write", "_savepoints")

    def __init__(self, connection: Any, dialect: Dialect, money_digits: int, *,
                 write: bool) -> None:
        self.connection = connection
        self.dialect: Dialect = dialect
        self.money_digits = money_digits
        self.write = write
        self._savepoints = 0

    # -- running SQL --------------------------------------------------------------------------
    def execute(self, sql: str, params: Params | None = None) -> Result:
        if params:
            if any(isinstance(v, list | tuple | set | frozenset) for v in params.values()):
                sql, params = _expand(sql, params)
            if self.dialect == "sqlite":
                params = {k: _sqlite_value(v) for k, v in params.items()}
        if self.dialect == "sqlite":
            return Result(self.connection.execute(sql, params or {}))
        cur = self.connection.cursor()
        if params:
            cur.execute(_pg_sql(sql), params, prepare=False)
        else:  # without parameters psycopg reads no placeholders: a '%' stays as written
            cur.execute(sql, prepare=False)
        return Result(cur)

    def stream(self, sql: str, params: Params | None = None, *, size: int = 5000
               ) -> Iterator[tuple[Any, ...]]:
        """The rows of a long result, read `size` at a time (a server-side cursor on
        PostgreSQL), so an export of a million postings holds a page in memory."""
        if self.dialect == "sqlite":
            yield from self.execute(sql, params)
            return
        if params and any(isinstance(v, list | tuple | set | frozenset)
                          for v in params.values()):
            sql, params = _expand(sql, params)
        self._savepoints += 1
        with self.connection.cursor(name=f"stream{self._savepoints}") as cur:
            cur.itersize = size
            if params:
                cur.execute(_pg_sql(sql), params)
            else:
                cur.execute(sql)
            yield from cur

    def executemany(self, sql: str, rows: Sequence[Params] | Sequence[tuple[Any, ...]]
                    ) -> None:
        """Run `sql` once per row. Rows are mappings (`:name` parameters, converted like
        `execute`'s), or, for bulk writes, tuples already in the stored forms (ISO date
        text, integers) for `?` parameters: no work per value on either engine."""
        if not rows:
            return
        first = rows[0]
        if self.dialect == "sqlite":
            if isinstance(first, tuple):
                self.connection.executemany(sql, rows)
            else:
                self.connection.executemany(sql, (
                    {k: _sqlite_value(v) for k, v in r.items()} for r in rows))  # type: ignore[union-attr]
            return
        copy = _copy_sql(sql) if isinstance(first, tuple) else None
        with self.connection.cursor() as cur:
            if copy is not None:  # a plain INSERT of stored tuples: COPY, ~10x faster
                with cur.copy(copy) as out:
                    for row in rows:
                        out.write_row(row)
                return
            cur.executemany(_pg_positional(sql) if isinstance(first, tuple) else _pg_sql(sql),
                            rows)

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        return self.execute(sql, params).scalar()

    def first(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).fetchall()

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        return self.execute(sql, params).rows()

    def row(self, sql: str, params: Params | None = None) -> Row | None:
        rows = self.execute(sql, params).rows()
        return rows[0] if rows else None

    # -- writing rows -------------------------------------------------------------------------
    def insert(self, table: str, values: Params) -> int:
        """Insert one row; returns its new id."""
        cols = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        return int(self.scalar(f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING id",
                               values))

    def insert_many(self, table: str, rows: Sequence[Params]) -> None:
        if rows:
            cols = list(rows[0])
            self.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                             f"({', '.join(':' + c for c in cols)})", rows)

    def update(self, table: str, row_id: int, values: Params) -> None:
        """Set `values` on the row with this id."""
        if values:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            self.execute(f"UPDATE {table} SET {sets} WHERE id = :_id", {**values, "_id": row_id})

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested part of the transaction: rolled back alone when it raises."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            try:
                self.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.execute(f"RELEASE SAVEPOINT {name}")
            except Exception:  # the connection is gone: the caller's error says why
                pass
            raise
        self.execute(f"RELEASE SAVEPOINT {name}")

    # -- the few things written differently per engine -----------------------------------------
    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A bulk write (an import of 100k entries): on SQLite a page cache of
        `BULK_CACHE_KIB` while it runs, so the growing indexes stay in memory (a quarter
        of the import's time otherwise); PostgreSQL needs nothing."""
        if self.dialect != "sqlite":
            yield
            return
        size = self.scalar("PRAGMA cache_size")
        self.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            self.execute(f"PRAGMA cache_size = {int(size)}")

    def string_agg(self, expr: str, order_by: str, sep: str) -> str:
        """SQL for the values of `expr` in a group joined by `sep`, in `order_by` order.
        SQLite (before 3.44) has no ordered aggregate: its group_concat follows the order the
        rows are visited in, which for a group read through an index is that index's order."""
        if self.dialect == "sqlite":
            return f"group_concat({expr}, {sep})"
        return f"string_agg({expr}, {sep} ORDER BY {order_by})"

    def sync_sequences(self, *tables: str) -> None:
        """After rows were written with explicit ids (a bulk import): each table's id
        sequence continues after its largest id (PostgreSQL; SQLite needs nothing)."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")

    def foreign_keys_to(self, table: str) -> list[tuple[str, str]]:
        """(table, column) of every foreign key pointing at `table`, from the live schema
        (so tables other packages add later count too)."""
        if self.dialect == "sqlite":
            found = []
            for (name,) in self.all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "ORDER BY name"):
                for row in self.all(f"PRAGMA foreign_key_list(\"{name}\")"):
                    if row[2] == table:
                        found.append((str(name), str(row[3])))
            return found
        return [(str(t), str(c)) for t, c in self.all(
            "SELECT kcu.table_name, kcu.column_name "
            "FROM information_schema.referential_constraints rc "
            "JOIN information_schema.key_column_usage kcu "
            "ON kcu.constraint_name = rc.constraint_name "
            "AND kcu.constraint_schema = rc.constraint_schema "
            "JOIN information_schema.constraint_column_usage ccu "
            "ON ccu.constraint_name = rc.unique_constraint_name "
            "AND ccu.constraint_schema = rc.unique_constraint_schema "
            "WHERE ccu.table_name = :t AND kcu.table_schema = current_schema() "
            "ORDER BY kcu.table_name, kcu.column_name", {"t": table})]

    @property
    def db_user(self) -> str | None:
        """The database user (PostgreSQL), None on SQLite (which has none)."""
        if self.dialect == "postgresql":
            return str(self.scalar("SELECT current_user"))
        return None



@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for a bulk job (a journal or contacts import):
    its batches are tens of thousands of young tuples and records, whose allocation would
    start a collection every few hundred rows, and a full one of everything read so far
    every so often (a 100k-contact file kept for one transaction: most of its time). Bulk
    jobs make no cycles of their own; refcounting frees their rows as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def on_sqlalchemy(conn: Any) -> Tx:
    """A `Tx` on a SQLAlchemy connection, in its transaction: for a migration that runs a
    service function (sealing the entries already there) and the bench's bulk loader."""
    raw = conn.connection.driver_connection
    dialect: Dialect = "sqlite" if conn.dialect.name == "sqlite" else "postgresql"
    return Tx(raw, dialect, 2, write=True)


# -- PostgreSQL's types, loaded in the storage formats above ------------------------------------

def pg_loaders(conn: Any) -> None:
    """Register on a psycopg connection the loaders that give SQLite's forms back."""
    from psycopg.adapt import Loader
    from psycopg.types.numeric import NumericLoader

    class DateText(Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode()

    class TimestampText(Loader):
        def load(self, data: Any) -> str:
            text = bytes(data).decode()
            if "." not in text:
                text += ".000000"
            else:
                whole, frac = text.split(".", 1)
                text = f"{whole}.{frac.ljust(6, '0')}"
            return text

    class BoolInt(Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    class IntegralNumeric(NumericLoader):
        def load(self, data: Any) -> Any:
            value = super().load(data)
            if isinstance(value, Decimal) and value == value.to_integral_value():
                return int(value)
            return value

    adapters = conn.adapters
    adapters.register_loader("date", DateText)
    adapters.register_loader("timestamp", TimestampText)
    adapters.register_loader("bool", BoolInt)
    adapters.register_loader("numeric", IntegralNumeric)
