"""A PostgreSQL server of the benchmark's own, and a generated SQLite book copied into it.

    python bench/pg.py BOOK.db        # start a server, copy BOOK into it, run `check`, stop

`Server` runs a throwaway cluster from the Debian binaries (/usr/lib/postgresql/*/bin):
`initdb` into bench/out/pg-PORT/, `pg_ctl start` on 127.0.0.1 and a free port, with
`fsync=off` (the benchmark times smallbiz, not the disk; every figure on this server says
so), stopped and removed by `stop()`. As root the binaries run as the `postgres` user, as
.ci/run does.

`copy_book` puts a generated book (bench/generate.py writes SQLite only) into a new
database on it: `smallbiz init` makes the schema (the migrations, as for any PostgreSQL
book), then every table the two have in common is emptied and copied row by row with
COPY, in one transaction, with the triggers and foreign-key checks off for the copy
(`session_replication_role = replica`: the rows are already a checked book, their
running totals included), the id sequences moved past the copied ids, and ANALYZE. It is
a benchmark tool, not a way of moving a book: `smallbiz check` on the copy (which
bench/run.py runs first) proves the copy is the same book.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from smallbiz.crm.search import doc_select, store

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
#: SQLite's own tables and the FTS5 contact index (PostgreSQL stores its own documents:
#: `DOCS`, rebuilt after the copy).
SKIP_PREFIXES = ("sqlite_", "contact_fts", "alembic_version")
DOCS = store("postgresql")


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise SystemExit("PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A local PostgreSQL cluster on 127.0.0.1, started by `start()`, gone after `stop()`."""

    def __init__(self, where: Path | None = None) -> None:
        self.port = free_port()
        self.dir = (where or OUT) / f"pg-{self.port}"
        self.bin = pg_bin()
        self.version = ""

    def _run(self, *argv: str) -> str:
        cmd = [str(a) for a in argv]
        if os.geteuid() == 0:  # the server refuses to run as root
            cmd = ["su", "postgres", "-s", "/bin/sh", "-c",
                   " ".join(f"'{a}'" for a in cmd)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr[-2000:] or done.stdout[-2000:]}")
        return done.stdout

    def start(self) -> Server:
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        self._run(self.bin / "initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
                   "-c fsync=off -c shared_buffers=256MB -c max_wal_size=4GB")
        self._run(self.bin / "pg_ctl", "-D", str(data), "-l", str(self.dir / "server.log"),
                  "-w", "-o", options, "start")
        self.version = self.scalar("postgres", "SHOW server_version")
        return self

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far: the postmaster's own, its
        finished children's (each command's backend ends with its connection) and its
        living children's. The difference over a command is the server's share of it."""
        pid = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")

        def fields(p: int | str) -> list[str]:
            text = Path(f"/proc/{p}/stat").read_text()
            return text[text.rindex(")") + 2:].split()  # from the state on

        own = fields(pid)
        total = sum(int(x) for x in own[11:15])  # utime stime cutime cstime
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) == pid:
                continue
            try:
                f = fields(entry.name)
            except (OSError, ValueError):
                continue
            if int(f[1]) == pid:
                total += int(f[11]) + int(f[12])
        return total / tick

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str, **kwargs: Any) -> Any:
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname=database, **kwargs)

    def scalar(self, database: str, sql: str) -> Any:
        with self.connect(database) as conn:
            return conn.execute(sql).fetchone()[0]

    def admin(self, sql: str) -> None:
        with self.connect("postgres", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, name: str, template: str | None = None) -> str:
        """An empty database (or a copy of `template`), replacing one of that name."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


def smallbiz_cmd() -> list[str]:
    script = Path(sys.executable).with_name("smallbiz")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smallbiz"]


def init_book(server: Server, name: str) -> str:
    """A new database with an empty smallbiz book (the migrations' schema); its URL."""
    url = server.new_database(name)
    subprocess.run([*smallbiz_cmd(), "--db", url, "init", "--company", "Imported",
                    "--currency", "GEL", "--vat-rate", "18"], check=True,
                   stdout=subprocess.DEVNULL)
    return url


def copy_book(book: Path, server: Server, name: str) -> str:
    """The SQLite book `book` copied into a new database `name`; its URL (see above)."""
    url = init_book(server, name)
    src = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        sqlite_tables = [r[0] for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not r[0].startswith(SKIP_PREFIXES)]
        with server.connect(name) as dst:
            pg_columns: dict[str, list[str]] = {}
            for table, column in dst.execute(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
                pg_columns.setdefault(table, []).append(column)
            common = [t for t in sqlite_tables if t in pg_columns]
            missing = sorted(set(pg_columns) - set(common) - {"alembic_version", DOCS[0]})
            if missing:
                raise SystemExit(f"tables of the PostgreSQL book not in {book}: {missing}")
            dst.execute("SET session_replication_role = replica")
            dst.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in common))
            for table in common:
                columns = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
                if set(columns) != set(pg_columns[table]):
                    raise SystemExit(f"{table}: columns differ: SQLite {columns}, "
                                     f"PostgreSQL {pg_columns[table]}")
                names = ", ".join(f'"{c}"' for c in columns)
                rows = src.execute(f'SELECT {names} FROM "{table}"')
                with dst.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            for table, column, sequence in dst.execute(
                    "SELECT table_name, column_name, "
                    "pg_get_serial_sequence(quote_ident(table_name), column_name) "
                    "FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND pg_get_serial_sequence(quote_ident(table_name), column_name) "
                    "IS NOT NULL").fetchall():
                dst.execute(f"SELECT setval('{sequence}', "
                            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)')
            dst.execute("SET session_replication_role = origin")
            # The contacts' stored search documents (PostgreSQL's; SQLite's are in
            # contact_fts), built from the copied rows as the CRM builds them.
            dst.execute(f"TRUNCATE {DOCS[0]}")
            dst.execute(f"INSERT INTO {DOCS[0]} ({DOCS[1]}, doc) {doc_select('postgresql')}")
        with server.connect(name, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    finally:
        src.close()
    return url


def main() -> None:
    book = Path(sys.argv[1])
    server = Server().start()
    try:
        started = time.perf_counter()
        url = copy_book(book, server, "book")
        print(f"copied in {time.perf_counter() - started:.1f} s; PostgreSQL {server.version}")
        started = time.perf_counter()
        subprocess.run([*smallbiz_cmd(), "--db", url, "check"], check=True)
        print(f"check in {time.perf_counter() - started:.1f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
