"""Where the book lives, how it is opened, and the unit of work.

- Location: an explicit path or SQLAlchemy URL, else ``SMALLBIZ_DB``, else
  ``smallbiz.db`` in the user data directory (platformdirs).
- SQLite connections get ``foreign_keys=ON``, ``journal_mode=WAL``,
  ``synchronous=FULL`` and a ``busy_timeout``; write transactions start with
  ``BEGIN IMMEDIATE`` so two writers queue instead of failing with
  "database is locked". New files are created mode 0600.
- The schema is Alembic's: a new book is migrated to head; an older book is
  upgraded on open after a backup copy is written beside it.

Everything dialect-specific (pragmas, triggers, upserts) is isolated here.

Start-up matters (`smallbiz report tb` is a whole process): opening a SQLite book and
reading it through `Database.reader()` (or writing plain SQL through `Database.writer()`)
use the stdlib driver, so SQLAlchemy (~0.3 s to import here) is imported only by the ORM
sessions, the Core connection and migrations.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from smallbiz.errors import BookDamaged, BookNotFound, UserError
from smallbiz.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

ENV_VAR = "SMALLBIZ_DB"
BUSY_TIMEOUT_MS = 30_000
#: Up to this size a process's first write runs SQLite's quick check (about 0.2 s).
QUICK_CHECK_MAX_BYTES = 48 * 1024 * 1024
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("smallbiz", appauthor=False)) / "smallbiz.db"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL of the book: argument, else $SMALLBIZ_DB, else the default path."""
    value = str(db) if db else os.environ.get(ENV_VAR) or str(default_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def head_revision() -> str:
    """The newest migration id (files are named NNNN_slug.py with revision 'NNNN')."""
    revs = [m.group(1) for f in os.listdir(MIGRATIONS_DIR / "versions")
            if (m := _REVISION_FILE.match(f))]
    return max(revs)


def sqlite_database(url: str) -> str | None:
    """The database part of a sqlite URL, as SQLAlchemy's `make_url(url).database` reads it
    (`sqlite:////abs/book.db` → `/abs/book.db`; `sqlite://` → None), without importing it."""
    rest = url.partition("://")[2]
    _host, slash, database = rest.partition("/")
    if not slash:
        return None
    return unquote(database.split("?", 1)[0])


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start (deferred or immediate).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("smallbiz_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


#: The key of the transaction-level advisory lock every PostgreSQL write transaction takes
#: first ("smallbiz" in ASCII, as a number).
PG_WRITE_LOCK = 0x736D616C6C62


def _on_pg_connect(dbapi_conn: Any, _record: Any) -> None:
    """Every server session reads and writes times in UTC and dates as ISO, whatever the
    server's own time zone and date style."""
    with dbapi_conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute("SET DateStyle TO 'ISO, YMD'")
    dbapi_conn.commit()


def _on_pg_begin(conn: Connection) -> None:
    """A write transaction on PostgreSQL first takes the book's write lock, as SQLite's
    BEGIN IMMEDIATE does: writers queue, one after the other, and each reads (READ
    COMMITTED, after the lock) what the writer before it committed. Five copies of one
    command started at once therefore see each other: one reverses, ships, invoices or
    pays; the others are refused as they would be one after another. Readers never wait."""
    if conn.get_execution_options().get("smallbiz_write"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


#: Books this process wrote to: each is checkpointed and closed when the process ends
#: cleanly, so that the .db file alone holds everything (see `Database.close`).
_WRITTEN: weakref.WeakSet[Database] = weakref.WeakSet()
_PID = os.getpid()


@atexit.register
def _close_written() -> None:
    if os.getpid() != _PID:  # a forked child: the parent's connections are not its own
        return
    for db in list(_WRITTEN):
        with contextlib.suppress(Exception):  # never turn a clean exit into a traceback
            db.close()


class Database:
    """One book. Cheap to construct; the engine is created on first use."""

    def __init__(self, url: str | os.PathLike[str] | None = None) -> None:
        self.url = resolve_url(url)
        self._engine: Engine | None = None
        self._money_digits = 2  # until the book is opened (kept on the engine's dialect too)

    # -- location ---------------------------------------------------------------
    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for an in-memory or server database."""
        if not self.is_sqlite:
            return None
        database = sqlite_database(self.url)
        if not database or database == ":memory:":
            return None
        return Path(database)

    def __repr__(self) -> str:
        return f"Database({masked_url(self.url)!r})"

    # -- engine -------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy import create_engine, event

            if self.is_sqlite:
                engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
                event.listen(engine, "connect", _on_connect)
                event.listen(engine, "begin", _on_begin)
            else:
                engine = create_engine(self.url)
                if engine.dialect.name == "postgresql":
                    event.listen(engine, "connect", _on_pg_connect)
                    event.listen(engine, "begin", _on_pg_begin)
            engine.dialect.smallbiz_money_digits = self._money_digits  # type: ignore[attr-defined]
            self._engine = engine
        return self._engine

    def set_money_digits(self, digits: int) -> None:
        self._money_digits = digits
        self.engine.dialect.smallbiz_money_digits = digits  # type: ignore[attr-defined]

    @property
    def money_digits(self) -> int:
        if self._engine is None:
            return self._money_digits
        return int(getattr(self._engine.dialect, "smallbiz_money_digits", 2))

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def close(self) -> None:
        """Close every connection; on a SQLite file this process wrote to, first move what
        the write-ahead log holds into the .db file (a checkpoint), so that a plain copy of
        the .db file is the whole book. Every command, the TUI and the demo end with it
        (through `atexit` as well)."""
        self.dispose()
        _WRITTEN.discard(self)
        if self.path is None or not self.path.exists():
            return
        # PASSIVE: what no reader still needs goes into the .db file now, without waiting
        # for (or holding up) other processes; when the last connection to the book closes,
        # SQLite itself checkpoints the rest and removes the log.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:  # another process holds the book: its own exit checkpoints
            pass
        finally:
            conn.close()

    def _wrote(self) -> None:
        """Before this process's first write to a SQLite book: the file passes SQLite's
        quick integrity check, or nothing is written at all (a damaged book is not made
        worse); and the book is closed cleanly at exit.

        The check reads the whole file (0.4 s for a book of 100k entries, 88 MB): books
        larger than QUICK_CHECK_MAX_BYTES skip it here and rely on SQLite refusing a write
        to a damaged page it touches, and on `smallbiz check`."""
        if self.path is None or self in _WRITTEN:
            return
        if self.path.stat().st_size > QUICK_CHECK_MAX_BYTES:
            _WRITTEN.add(self)  # too big to check on every command: `smallbiz check` does
            return
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                result = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            result = [str(exc)]
        if result != ["ok"]:
            raise BookDamaged(_("{where} is damaged ({what}); nothing was written. Run "
                                "'smallbiz check', and restore a backup").format(
                where=self.where(), what=" ".join(" ".join(result).split())[:300]))
        _WRITTEN.add(self)

    # -- lifecycle ------------------------------------------------------------------
    def exists(self) -> bool:
        """True when the database holds a smallbiz book (any schema revision)."""
        if self.path is not None and not self.path.exists():
            return False
        try:
            return self.current_revision() is not None
        except sqlite3.DatabaseError:  # not a SQLite file, or a damaged one
            return False

    def current_revision(self) -> str | None:
        if self.path is not None:
            return self._sqlite_scalar("SELECT version_num FROM alembic_version")
        from sqlalchemy import text

        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except Exception:  # no table yet: an empty file or another program's database
                return None

    def _sqlite_scalar(self, sql: str) -> Any:
        """One value from the SQLite file through the stdlib driver (None when the file, the
        table or the row is missing, or the file is not a SQLite database)."""
        assert self.path is not None
        if not self.path.exists():
            return None
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            row = conn.execute(sql).fetchone()
        except sqlite3.OperationalError as exc:  # no table yet: an empty file or another
            if "no such table" in str(exc):      # program's database
                return None
            raise
        finally:
            conn.close()
        return row[0] if row else None

    def create(self) -> None:
        """Create a new, empty book at head revision (the file is made mode 0600)."""
        path = self.path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
        if self.current_revision() is not None:
            raise UserError(_("{where} already holds a book").format(where=self.where()))
        self._upgrade()

    def open(self) -> Database:
        """Check there is a book here and bring its schema up to date (backup first).

        What is wrong when there is none is said as it is: no file, an empty file, another
        kind of file, a damaged or unreadable one, another program's database."""
        current = None
        if self.path is None or self.path.exists():
            try:
                current = self.current_revision()
            except sqlite3.DatabaseError:
                current = None  # not a SQLite file, or a damaged one: said just below
        if current is None and self.path is not None and (
                self.path.exists() or self.path.is_symlink()):
            problem = foreign_file(self.path)
            raise problem or BookNotFound(_("{where} is empty: no book yet; create one with "
                                            "'smallbiz init'").format(where=self.where()))
        if current is None:
            raise BookNotFound(
                _("no book at {where}; create one with 'smallbiz init' (or pass --db)").format(
                    where=self.where()))
        head = head_revision()
        if current != head:
            if current > head:
                raise UserError(_("{where} was written by a newer smallbiz (schema {rev}); "
                                  "upgrade smallbiz").format(where=self.where(), rev=current))
            self.upgrade_backup: Path | None = None
            try:
                self._upgrade(backup=True)
            except Exception as exc:  # one transaction: rolled back, the book is as it was
                self.dispose()
                copy = self.upgrade_backup
                raise UserError(_("upgrading {where} from schema {old} to {new} failed ({err}); "
                                  "the book is unchanged{copy}").format(
                    where=self.where(), old=current, new=head, err=exc,
                    copy=_(" (a copy is at {path})").format(path=copy) if copy else "")
                ) from exc
        self._load_money_digits()
        return self

    def where(self) -> str:
        """The book's file, or its URL with the password masked."""
        return str(self.path) if self.path is not None else masked_url(self.url)

    def _load_money_digits(self) -> None:
        from smallbiz.money import minor_digits

        query = "SELECT value FROM setting WHERE key = 'currency'"
        if self.path is not None:
            currency = self._sqlite_scalar(query)
            self._money_digits = minor_digits(currency) if currency else 2
            if self._engine is not None:
                self.set_money_digits(self._money_digits)
            return
        from sqlalchemy import text

        with self.engine.connect() as conn:
            currency = conn.execute(text(query)).scalar()
        self.set_money_digits(minor_digits(currency) if currency else 2)

    def _backup_before_upgrade(self, revision: str) -> Path | None:
        if self.path is None:
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
        target = self.path.with_name(f"{self.path.name}.rev{revision}-{stamp}.bak")
        n = 1
        while target.exists():  # upgraded twice within a second (e.g. in tests)
            n += 1
            target = self.path.with_name(f"{self.path.name}.rev{revision}-{stamp}-{n}.bak")
        self.backup(target)
        return target

    def _upgrade(self, *, backup: bool = False) -> None:
        """Migrate to head in one write transaction; with `backup`, first copy the book as
        it is (when it is not at head) and remember the copy in `upgrade_backup`.

        The transaction takes the write lock before it reads the schema revision: of two
        processes opening the same old book, one backs up and upgrades, the other waits
        (busy_timeout) and then finds the book current, instead of both copying it to the
        same file and failing "locked" or with I/O errors.
        """
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        self._wrote()
        with self.engine.execution_options(smallbiz_write=True).begin() as conn:
            if backup:
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if current is None or current == head_revision():
                    return
                self.upgrade_backup = self._backup_before_upgrade(current)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def upgrade_to(self, revision: str) -> None:
        """Migrate to a given revision (tests build old books with it)."""
        from alembic import command
        from alembic.config import Config

        path = self.path
        if path is not None and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    # -- units of work ----------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One business operation: all of it is committed, or (on any error) none of it."""
        from sqlmodel import Session

        self._wrote()
        bind = self.engine.execution_options(smallbiz_write=True)
        with Session(bind, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session on one consistent snapshot (nothing is committed)."""
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
                session.rollback()

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A Core connection in a read transaction, for reports that are plain SQL."""
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def reader(self) -> Iterator[Any]:
        """A read-only snapshot for plain-SQL reports, to use with `run_sql`.

        On a SQLite file: a `SqliteReader` on the stdlib driver, so a report never imports
        SQLAlchemy (most of a short command's time). Elsewhere: a Core connection.
        Nothing is committed either way.
        """
        if self.path is None:
            with self.connect() as conn:
                yield conn
            return
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("BEGIN")
            yield SqliteReader(conn, self.money_digits)
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    @contextlib.contextmanager
    def writer(self) -> Iterator[Any]:
        """One business operation in plain SQL (`run_sql`, `run_sql_many`): all of it is
        committed, or (on any error) none of it.

        On a SQLite file: a `SqliteWriter` on the stdlib driver, with the same pragmas and
        `BEGIN IMMEDIATE` as the ORM's connections (`smallbiz import journal` writes this
        way, without importing SQLAlchemy). Elsewhere: a Core connection in a write
        transaction.
        """
        if self.path is None:
            with self.engine.execution_options(smallbiz_write=True).begin() as core:
                yield core
            return
        self._wrote()
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            _on_connect(conn, None)
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteWriter(conn, self.money_digits)
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # never hide the operation's error
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    # -- backup -------------------------------------------------------------------------
    def backup(self, target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Consistent online copy (SQLite backup API), safe while others write; mode 0600.

        The target follows `smallbiz.outfiles.check_target`: an existing file only with
        `overwrite`, never the book, its -wal/-shm/-journal or its upgrade backups; the copy
        is written to a partial file and renamed into place when complete.
        """
        from smallbiz.outfiles import atomic_path

        if self.path is None:
            raise UserError(_("backup works on SQLite books; use your server's tools for {url}")
                            .format(url=self.url))
        shown = os.fspath(target)
        with atomic_path(target, force=overwrite, book=self, allow_database=True) as tmp:
            try:
                src = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    dst = sqlite3.connect(tmp)
                    try:
                        src.backup(dst)
                        dst.execute("PRAGMA journal_mode=DELETE")
                    finally:
                        dst.close()
                finally:
                    src.close()
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise  # the CLI's "database: ..." line (another process holds the book)
                raise UserError(_("backup: cannot write {path}: {err}").format(
                    path=shown, err=exc)) from None
            os.chmod(tmp, 0o600)
        return Path(target).expanduser().absolute()


class _Dialect:
    """What `smallbiz.db_util.money_digits` and dialect checks read off a connection."""

    name = "sqlite"

    def __init__(self, money_digits: int) -> None:
        self.smallbiz_money_digits = money_digits


class SqliteReader:
    """A read transaction on a SQLite book through the stdlib driver (see `Database.reader`).

    `execute(sql, params)` takes the same plain SQL with `:name` parameters as SQLAlchemy's
    `text()`, binds dates and datetimes as the strings SQLAlchemy's Date and DateTime types
    store on SQLite, and returns a cursor of plain tuples (dates come back as strings).
    """

    def __init__(self, conn: sqlite3.Connection, money_digits: int) -> None:
        self.connection = conn
        self.dialect = _Dialect(money_digits)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> sqlite3.Cursor:
        return self.connection.execute(sql, _sqlite_params(params or {}))


class SqliteWriter(SqliteReader):
    """A write transaction on a SQLite book through the stdlib driver (see
    `Database.writer`); reads and writes like a `SqliteReader`."""


def _sqlite_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _sqlite_value(v) for k, v in params.items()}


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(sql: str, example: Mapping[str, Any]) -> Any:
    """`sql` as SQLAlchemy text, the parameters that hold a date in `example` bound as
    dates (or datetimes)."""
    from sqlalchemy import Date, DateTime, bindparam, text

    return text(sql).bindparams(*(
        bindparam(k, type_=DateTime() if isinstance(v, dt.datetime) else Date())
        for k, v in example.items() if isinstance(v, dt.date)))


def run_sql(conn: Any, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """Run plain SQL (`:name` parameters) on a `SqliteReader`, a SQLAlchemy Connection or a
    Session; date parameters are bound as dates. Iterate the result for tuples."""
    if isinstance(conn, SqliteReader):
        return conn.execute(sql, params)
    values = dict(params or {})
    return conn.execute(_text(sql, values), values)


def run_sql_many(conn: Any, sql: str, rows: list[Mapping[str, Any]]) -> None:
    """Run one plain-SQL statement for each of `rows` (like `run_sql`; the first row's dates
    decide which parameters are bound as dates)."""
    if not rows:
        return
    if isinstance(conn, SqliteReader):
        conn.connection.executemany(sql, [_sqlite_params(row) for row in rows])
        return
    conn.execute(_text(sql, rows[0]), list(rows))


def dialect_name(conn: Any) -> str:
    """"sqlite" or "postgresql": the engine under a `SqliteReader`, a Session or a
    Connection."""
    if isinstance(conn, SqliteReader):
        return "sqlite"
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    return str(bind.dialect.name)


def string_agg(conn: Any, expr: str, order_by: str, sep: str) -> str:
    """SQL for the values of `expr` in a group joined by `sep`, in `order_by` order.
    SQLite (before 3.44) has no ordered aggregate: its group_concat follows the order the
    rows are visited in, which for a group read through an index is that index's order."""
    if dialect_name(conn) == "sqlite":
        return f"group_concat({expr}, {sep})"
    return f"string_agg({expr}, {sep} ORDER BY {order_by})"


def sync_sequences(conn: Any, *tables: str) -> None:
    """After rows were written with explicit ids (a bulk import): each table's id
    sequence continues after its largest id (PostgreSQL; SQLite needs nothing)."""
    if dialect_name(conn) != "postgresql":
        return
    for table in tables:
        run_sql(conn, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                      f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")


def sqlite_driver(conn: Any) -> sqlite3.Connection | None:
    """The stdlib connection under a `SqliteReader`, a Session or a Connection on SQLite, in
    its transaction (bulk writes use its `executemany`); None on other databases."""
    if isinstance(conn, SqliteReader):
        return conn.connection
    if hasattr(conn, "get_bind"):  # a Session: its connection, in its transaction
        conn = conn.connection()
    if conn.dialect.name != "sqlite":
        return None
    driver: sqlite3.Connection = conn.connection.driver_connection
    return driver


def foreign_file(path: Path) -> BookNotFound | None:
    """Why `path` is not a smallbiz book nor free for one (None when it is missing, empty,
    an empty SQLite database, or a book).

    Named: a folder, a dangling symlink, an unreadable file, a file that is not a SQLite
    database, a damaged one, another program's database.
    """
    if path.is_symlink() and not path.exists():
        return BookNotFound(_("{path} is a symbolic link to a missing file").format(
            path=path))
    if path.is_dir():
        return BookNotFound(_("{path} is a folder, not a book file").format(path=path))
    if not path.exists():
        return None
    if not path.is_file():
        return BookNotFound(_("{path} is not a regular file").format(path=path))
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return BookNotFound(_("{path} cannot be read ({reason})").format(
            path=path, reason=exc.strerror))
    if size == 0:
        return None
    if header != b"SQLite format 3\x00":
        return BookNotFound(_("{path} is not a SQLite database (another kind of file is "
                              "there)").format(path=path))
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        from smallbiz.failures import damaged

        if damaged(str(exc)):
            return BookDamaged(_("{path} is a damaged SQLite file ({reason}); restore a "
                                 "backup").format(path=path, reason=exc))
        return BookNotFound(_("{path} cannot be opened ({reason}): check that you may read "
                              "and write the file and its folder, and that the disk is not "
                              "full").format(path=path, reason=exc))
    if not tables or "alembic_version" in tables:
        return None
    shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
    return BookNotFound(_("{path} holds another program's database ({n} tables: {tables}), "
                          "not a smallbiz book").format(path=path, n=len(tables),
                                                        tables=shown))


def masked_url(url: str) -> str:
    """`url` with its password, if any, replaced by ***: messages never show it."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


def copy_file_0600(src: Path, dest: Path) -> None:
    """Copy a closed SQLite file, keeping it owner-only."""
    os.close(os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    shutil.copyfile(src, dest)


# -- dialect-specific DDL used by migrations --------------------------------------------

def immutable_table_ddl(dialect: str, table: str, message: str | None = None) -> list[str]:
    """Statements that make the database itself refuse UPDATE and DELETE on `table`."""
    text = message or f"posted {table} rows are immutable; post a reversal"
    pg_text = message or "posted rows are immutable; post a reversal"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{text}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{text}'); END",
        ]
    if dialect == "postgresql":
        function = "smallbiz_immutable" if message is None else f"smallbiz_immutable_{table}"
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{pg_text}'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return []


def drop_immutable_table_ddl(dialect: str, table: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}"]
    return []
