"""Where the book lives, how it is opened, and the unit of work.

- Location: an explicit path or SQLAlchemy URL, else ``SMALLBIZ_DB``, else
  ``smallbiz.db`` in the user data directory (platformdirs).
- SQLite connections get ``foreign_keys=ON``, ``journal_mode=WAL``,
  ``synchronous=FULL`` and a ``busy_timeout``; write transactions start with
  ``BEGIN IMMEDIATE`` so two writers queue instead of failing with
  "database is locked". New files are created mode 0600.
- The schema is Alembic's: a new book is migrated to head; an older book is
  upgraded on open after a backup copy is written beside it.

- Units of work: `transaction()` (write) and `read()` (one snapshot) yield a
  `smallbiz.sql.Tx` on the engine's own DB-API driver (stdlib sqlite3, psycopg 3), the one
  data path of every service. SQLAlchemy (~0.3 s to import) is used by the migrations
  only: a command on a current book never imports it.

What differs per engine is here (connections, pragmas, session settings, the write lock,
the triggers the migrations create) and in `smallbiz.sql` (parameters, result types).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from smallbiz.errors import BookDamaged, BookNotFound, UserError
from smallbiz.i18n import _
from smallbiz.sql import Tx

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

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


def revisions() -> list[str]:
    """Every migration id, oldest first, following the `down_revision` chain (read from the
    files, without importing Alembic: `smallbiz --help` and every command that opens an
    up-to-date book stay fast)."""
    parent_of: dict[str, str | None] = {}
    for f in os.listdir(MIGRATIONS_DIR / "versions"):
        if not _REVISION_FILE.match(f):
            continue
        text = (MIGRATIONS_DIR / "versions" / f).read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"', text, re.MULTILINE)
        down = re.search(r'^down_revision = "([^"]+)"', text, re.MULTILINE)
        if rev:
            parent_of[rev.group(1)] = down.group(1) if down else None
    heads = set(parent_of) - set(parent_of.values())
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    chain = [heads.pop()]
    while (parent := parent_of.get(chain[-1])) is not None:
        chain.append(parent)
    return chain[::-1]


def head_revision() -> str:
    """The newest migration id."""
    return revisions()[-1]


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
        self._engine: Engine | None = None  # SQLAlchemy's, for the migrations only
        self._money_digits = 2  # until the book is opened
        self._pool: list[Any] = []  # idle connections of this process (see `_take`)
        self._pool_pid = os.getpid()
        self._lock = threading.Lock()

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
            self._engine = engine
        return self._engine

    def set_money_digits(self, digits: int) -> None:
        self._money_digits = digits

    @property
    def money_digits(self) -> int:
        """Minor digits of the book's currency (read from its settings when opened)."""
        return self._money_digits

    def dispose(self) -> None:
        """Close every idle connection (and the migrations' engine)."""
        with self._lock:
            pool, self._pool = self._pool, []
        for conn in pool:
            with contextlib.suppress(Exception):
                conn.close()
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
        return self._pg_scalar("SELECT version_num FROM alembic_version")

    def server_tables(self) -> list[str]:
        """The tables in the server database's current schema (by name), a book's or another
        program's: what `init` must not build a book among."""
        conn = self._pg_connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema() ORDER BY table_name")
                return [r[0] for r in cur.fetchall()]
        finally:
            conn.close()

    def foreign_server(self) -> BookNotFound | None:
        """Why this server database is not a book nor free for one (None when it is empty or
        a book)."""
        return foreign_tables(self.where(), self.server_tables())

    def _pg_scalar(self, sql: str) -> Any:
        """One value from a server database (None when the table is not there yet: an empty
        database or another program's)."""
        conn = self._pg_connect()
        try:
            with conn.cursor() as cur:
                try:
                    cur.execute(sql)
                except Exception:
                    return None
                row = cur.fetchone()
            return row[0] if row else None
        finally:
            conn.close()

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
        if current is None and self.path is None and (problem := self.foreign_server()):
            raise problem
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
        currency = (self._sqlite_scalar(query) if self.path is not None
                    else self._pg_scalar(query))
        self._money_digits = minor_digits(currency) if currency else 2

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
    def transaction(self) -> Iterator[Tx]:
        """One business operation: all of it is committed, or (on any error) none of it.

        Writers queue: `BEGIN IMMEDIATE` on SQLite; on PostgreSQL the book's write lock
        (`PG_WRITE_LOCK`) first. Each writer therefore reads what the one before it
        committed: five copies of one command started at once see each other, and the
        rules refuse the four that would repeat it."""
        self._wrote()
        with self._unit(write=True) as tx:
            yield tx

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only transaction on one consistent snapshot (nothing is committed)."""
        with self._unit(write=False) as tx:
            yield tx

    @contextlib.contextmanager
    def _unit(self, *, write: bool) -> Iterator[Tx]:
        conn = self._take()
        ok = False
        try:
            if self.is_sqlite:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            elif write:
                conn.execute(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
            else:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            tx = Tx(conn, "sqlite" if self.is_sqlite else "postgresql", self.money_digits,
                    write=write)
            try:
                yield tx
            except BaseException:
                with contextlib.suppress(Exception):  # never hide the operation's error
                    conn.rollback() if not self.is_sqlite else conn.execute("ROLLBACK")
                raise
            if write:
                conn.commit() if not self.is_sqlite else conn.execute("COMMIT")
            else:
                conn.rollback() if not self.is_sqlite else conn.execute("ROLLBACK")
            ok = True
        finally:
            self._give_back(conn, ok)

    def _take(self) -> Any:
        """An idle connection of this process, or a new one (pragmas and session settings
        applied once per connection)."""
        with self._lock:
            if self._pool_pid != os.getpid():  # forked: the parent's connections are not ours
                self._pool, self._pool_pid = [], os.getpid()
            if self._pool:
                return self._pool.pop()
        if self.is_sqlite:
            if self.path is None:
                raise UserError(_("a book must be a file or a server URL, not {url}").format(
                    url=self.url))
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
            _on_connect(conn, None)
            return conn
        return self._pg_connect()

    def _pg_connect(self) -> Any:
        try:
            import psycopg
        except ModuleNotFoundError:
            raise UserError(_("the PostgreSQL driver is not installed: pip install "
                              "'smallbiz[postgres]'")) from None
        from smallbiz.sql import pg_loaders

        conn = psycopg.connect(libpq_url(self.url))
        pg_loaders(conn)
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
            cur.execute("SET DateStyle TO 'ISO, YMD'")
        conn.commit()
        return conn

    def _give_back(self, conn: Any, ok: bool) -> None:
        if ok and os.getpid() == self._pool_pid:
            with self._lock:
                if len(self._pool) < 4:
                    self._pool.append(conn)
                    return
        with contextlib.suppress(Exception):
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


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://...`) as libpq takes it (`postgresql://...`)."""
    scheme, sep, rest = url.partition("://")
    return scheme.split("+", 1)[0] + sep + rest


def foreign_tables(where: str, tables: list[str]) -> BookNotFound | None:
    """Why a database holding `tables` is not a smallbiz book nor free for one (None when it
    has no table, or the book's own)."""
    if not tables or "alembic_version" in tables:
        return None
    shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
    return BookNotFound(_("{path} holds another program's database ({n} tables: {tables}), "
                          "not a smallbiz book").format(path=where, n=len(tables),
                                                        tables=shown))


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
        from smallbiz.textcheck import visible

        # SQLite may quote a damaged schema's whole text: one line, its head only
        reason = visible(" ".join(str(exc).split()), one_line=True)
        reason = reason if len(reason) <= 160 else reason[:159] + "…"
        if damaged(str(exc)):
            return BookDamaged(_("{path} is a damaged SQLite file ({reason}); nothing was "
                                 "written; restore a backup").format(path=path, reason=reason))
        return BookNotFound(_("{path} cannot be opened ({reason}): check that you may read "
                              "and write the file and its folder, and that the disk is not "
                              "full").format(path=path, reason=reason))
    return foreign_tables(str(path), tables)


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
