"""The file on disk is the book (issue: nothing lost, round two, B).

- After the last process that wrote closes cleanly (the TUI, a command, the demo), the
  .db file alone holds everything: a plain copy of it is the whole book.
- Creating a book (init, demo on a new file) is all or nothing, even under SIGKILL.
- init refuses another program's database and any other file in the way.
"""

from __future__ import annotations

import os
import pty
import shutil
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest

from smallbiz.db import Database
from tests.engine import execute, is_url, new_location, tables
from tests.reliability.conftest import CHILD_ENV, PYTHON, ROOT, kill_after, read_pty, smallbiz

F9, TAB, CTRL_S, CTRL_Q = "\x1b[20~", "\t", "\x13", "\x11"


def _type(fd: int, keys: str, pause: float = 0.6) -> None:
    os.write(fd, keys.encode())
    read_pty(fd, pause)


@pytest.mark.sqlite_only("a copy of the .db file is the book")
def test_a_copy_of_the_db_file_alone_holds_what_the_tui_posted(tmp_path: Path) -> None:
    book = tmp_path / "firm.db"
    assert smallbiz(book, "init", "--company", "Pty Co").returncode == 0
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real TUI in a real terminal
        os.chdir(ROOT)
        env = {**CHILD_ENV, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        os.execve(PYTHON, [PYTHON, "-m", "smallbiz", "--db", str(book)], env)
    try:
        screen = read_pty(fd, 8)
        assert screen, "the TUI drew nothing"
        _type(fd, F9, 1.5)
        _type(fd, "n", 1.5)
        # One key (or word) at a time, as a person types: the form moves focus per key.
        # In an account field the first tab takes the completion and stays, the next moves.
        for keys in ("Chairs from the pty", TAB, "6000", TAB, TAB, "120", TAB, TAB, "1010",
                     TAB, TAB, TAB, "120"):
            _type(fd, keys)
        _type(fd, CTRL_S, 2.5)
        _type(fd, CTRL_Q, 1)
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            read_pty(fd, 0.2)
        assert status is not None and os.WIFEXITED(status), "the TUI did not quit"
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    wal = book.with_name(book.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the log was not checkpointed"
    mailed = tmp_path / "mailed" / "copy.db"
    mailed.parent.mkdir()
    shutil.copyfile(book, mailed)  # the .db file alone, as people copy and e-mail it
    r = smallbiz(mailed, "--json", "journal", "list")
    assert r.returncode == 0, r.stderr
    assert "Chairs from the pty" in r.stdout, "the entry posted before quitting is in the copy"


@pytest.mark.sqlite_only("a copy of the .db file is the book")
def test_a_copy_after_a_command_is_the_whole_book(tmp_path: Path) -> None:
    book = tmp_path / "firm.db"
    assert smallbiz(book, "init").returncode == 0
    r = smallbiz(book, "journal", "add", "--date", "2026-01-05", "--memo", "Owner invests",
                 "--posting", "1010=5000", "--posting", "3000")
    assert r.returncode == 0, r.stderr
    copy = tmp_path / "copy" / "book.db"
    copy.parent.mkdir()
    shutil.copyfile(book, copy)
    r = smallbiz(copy, "--json", "journal", "list")
    assert r.returncode == 0 and "Owner invests" in r.stdout, r.stderr


INIT = ("import sys; from smallbiz.book import init_book; from smallbiz.db import Database; "
        "init_book(Database(sys.argv[1]), company='Killed Co')")
DEMO = ("import sys; from smallbiz.cli.main import main; "
        "sys.argv[1:] = ['--db', sys.argv[1], 'demo']; main()")


@pytest.mark.parametrize("code, delays", [(INIT, (0.3, 0.6, 0.9, 1.2)),
                                          (DEMO, (1.0, 2.5, 4.0))], ids=["init", "demo"])
def test_a_killed_init_or_demo_leaves_no_book_or_a_whole_one(tmp_path: Path, code: str,
                                                             delays: tuple[float, ...]) -> None:
    kills = 0
    for i, delay in enumerate(delays):
        book = new_location(tmp_path / f"k{i}.db")  # on a server: an empty database
        proc = subprocess.Popen([PYTHON, "-c", code, str(book)], cwd=ROOT, env=CHILD_ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        kills += kill_after(proc, delay)
        proc.stderr.close()
        made = Database(book).exists() if is_url(book) else book.exists()  # a file: anything
        if made:
            r = smallbiz(book, "check")
            assert r.returncode == 0, f"a half-made book after a kill at {delay}s: {r.stderr}"
        else:  # no book: init works as if nothing had happened
            r = smallbiz(book, "init")
            assert r.returncode == 0, r.stderr
            assert smallbiz(book, "check").returncode == 0
    assert kills, "no run was really killed (the machine is too fast for these delays)"


@pytest.mark.sqlite_only("another program's SQLite file")
def test_init_refuses_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    r = smallbiz(other, "init")
    assert r.returncode == 1
    assert r.stderr.startswith("error: ") and "another program's database" in r.stderr
    assert "customers" in r.stderr
    assert other.read_bytes() == before, "not one table added, journal mode unchanged"


@pytest.mark.postgresql_only("another program's tables in a server database")
def test_init_refuses_a_server_database_holding_another_programs_tables(
        tmp_path: Path) -> None:
    other = new_location(tmp_path / "other.db")
    execute(other, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
            "INSERT INTO customers VALUES (1, 'Nino')")
    r = smallbiz(other, "init")
    assert r.returncode == 1
    assert r.stderr.startswith("error: ") and "another program's database" in r.stderr
    assert "customers" in r.stderr
    assert tables(other) == ["customers"], "not one table added"
    r = smallbiz(other, "report", "tb")
    assert r.returncode == 1 and "another program's database" in r.stderr


_FILES = pytest.mark.sqlite_only("files in the way of a SQLite book")


@pytest.mark.parametrize("what", [pytest.param("text file", marks=_FILES),
                                  pytest.param("folder", marks=_FILES),
                                  pytest.param("dangling link", marks=_FILES), "book"])
def test_init_refuses_what_is_in_the_way(tmp_path: Path, what: str) -> None:
    target = new_location(tmp_path / "b.db")
    if what == "text file":
        target.write_text("root:x:0:0:root:/root:/bin/bash\n")
    elif what == "folder":
        target.mkdir()
    elif what == "dangling link":
        target.symlink_to(tmp_path / "missing.db")
    else:
        assert smallbiz(target, "init").returncode == 0
    r = smallbiz(target, "init")
    assert r.returncode == 1, r.stdout
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.sqlite_only("file mode of the book file")
def test_init_on_an_empty_file_makes_it_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    target.touch()
    os.chmod(target, 0o666)
    assert smallbiz(target, "init").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert smallbiz(target, "check").returncode == 0


@pytest.mark.sqlite_only("an in-memory SQLite database")
def test_init_in_memory_is_refused(tmp_path: Path) -> None:
    r = subprocess.run([PYTHON, "-m", "smallbiz", "--db", "sqlite:///:memory:", "init"],
                       capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV, timeout=60)
    assert r.returncode == 1 and "in-memory" in r.stderr
    assert "Created" not in r.stdout
