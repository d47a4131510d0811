"""Nothing the user did not ask for is overwritten (issue 12, class A).

Every command that writes a file (export contacts, export journal, invoice pdf, backup)
goes through `smallbiz.outfiles`: an existing file is replaced only with --force; the
open book, its -wal/-shm/-journal files and its backups never, even with --force, also
through a symbolic or a hard link; a folder, a missing folder, a dangling link, a full
disk are one `error:` line; a write is a partial file renamed into place, and what a
killed run left behind is removed by the next one. `tui --demo` removes its folder.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import pty
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from smallbiz.book import init_book
from smallbiz.db import Database
from tests.conftest import Run, content_hash, make_runner
from tests.engine import on_postgresql
from tests.reliability.conftest import CHILD_ENV, PYTHON, ROOT, child, read_pty, smallbiz

INVOICE = "INV-2026-0001"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def writers(target: Path | str) -> dict[str, list[str]]:
    """Every command that writes a file, aimed at `target` (without --force); `backup` on
    SQLite only (it copies SQLite files: a server's book is refused before any target)."""
    commands = {
        "export contacts csv": ["export", "contacts", str(target), "--format", "csv"],
        "export contacts vcard": ["export", "contacts", str(target), "--format", "vcard"],
        "export journal": ["export", "journal", str(target)],
        "invoice pdf": ["invoice", "pdf", INVOICE, "-o", str(target)],
    }
    if not on_postgresql():
        commands["backup"] = ["backup", str(target)]
    return commands


#: A parameter for `backup`, which copies SQLite files.
BACKUP = pytest.param("backup", marks=pytest.mark.sqlite_only("smallbiz backup copies SQLite "
                                                              "files"))


def one_error_line(r: Run) -> str:
    assert r.exit_code == 1, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


def partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


@pytest.fixture
def run(shop_path: Path) -> Callable[..., Run]:
    return make_runner(shop_path)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# -- the book and its companions: never, even with --force ---------------------------------

@pytest.mark.sqlite_only("the book file itself")
def test_no_command_writes_over_the_book_even_with_force(shop_path: Path, run) -> None:
    """The issue's examples: `export contacts b.db --format csv`, `invoice pdf N -o b.db`,
    `export journal b.db --force` replaced the book."""
    before = content_hash(shop_path)
    for name, args in writers(shop_path).items():
        for extra in ([], ["--force"]):
            line = one_error_line(run(*args, *extra))
            assert "the target is the book itself" in line, (name, extra, line)
            assert "even with --force" in line
    assert content_hash(shop_path) == before
    assert shop_path.read_bytes().startswith(b"SQLite format 3\x00")
    assert partials(shop_path.parent) == []


@pytest.mark.sqlite_only("the book file's companions")
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_the_books_companion_files_are_refused(shop_path: Path, run, suffix: str) -> None:
    """SQLite reads NAME-wal, NAME-shm and NAME-journal as part of the book: writing one
    (even a new one) would corrupt it."""
    side = Path(str(shop_path) + suffix)
    before = content_hash(shop_path)
    for name, args in writers(side).items():
        line = one_error_line(run(*args, "--force"))
        assert f"the book's {suffix} file" in line, (name, line)
    # SQLite itself makes -wal and -shm while the book is open; none is our output
    assert not side.exists() or b"exported by smallbiz" not in side.read_bytes()
    assert not Path(str(shop_path) + "-journal").exists()
    assert content_hash(shop_path) == before
    assert smallbiz(shop_path, "check").returncode == 0


@pytest.mark.sqlite_only("links to the book file")
def test_links_to_the_book_are_caught(shop_path: Path, run, out: Path) -> None:
    symlink, hardlink, wal_link = out / "link.db", out / "hard.db", out / "wal-link"
    symlink.symlink_to(shop_path)
    os.link(shop_path, hardlink)
    wal_link.symlink_to(Path(str(shop_path) + "-wal"))  # dangling unless a WAL exists
    before = content_hash(shop_path)
    for target in (symlink, hardlink, wal_link):
        for name, args in writers(target).items():
            line = one_error_line(run(*args, "--force"))
            assert "the target is the book" in line, (target.name, name, line)
    # relative paths and '..' detours resolve to the book too
    detour = out / ".." / shop_path.name
    assert "the book itself" in one_error_line(run("export", "journal", str(detour), "--force"))
    assert content_hash(shop_path) == before and symlink.is_symlink()
    assert os.stat(hardlink).st_ino == os.stat(shop_path).st_ino


@pytest.mark.sqlite_only("the copies written beside a SQLite book before an upgrade")
def test_the_books_upgrade_backups_are_refused(shop_path: Path, run, out: Path) -> None:
    """`<book>.rev*.bak` are the copies written before a schema upgrade."""
    bak = shop_path.with_name(shop_path.name + ".rev0001-20260101120000.bak")
    shutil.copyfile(shop_path, bak)
    alias = out / "alias.bak"
    alias.symlink_to(bak)
    raw = file_hash(bak)
    for target in (bak, alias):
        for name, args in writers(target).items():
            line = one_error_line(run(*args, "--force"))
            assert "a backup of the book" in line, (name, line)
    assert file_hash(bak) == raw


def test_an_export_never_replaces_a_sqlite_database(shop_path: Path, run, out: Path) -> None:
    """A backup made with `smallbiz backup` can be anywhere under any name: an export (not
    a backup) refuses any SQLite database, even with --force; `backup --force` rotates it."""
    copy = out / "monday.db"
    if on_postgresql():  # a SQLite book made here (backup copies SQLite books only)
        init_book(Database(copy))
    else:
        assert run("backup", str(copy)).exit_code == 0
    raw = file_hash(copy)
    for name, args in writers(copy).items():
        if name == "backup":
            continue
        line = one_error_line(run(*args, "--force"))
        assert "is a SQLite database" in line, (name, line)
    assert file_hash(copy) == raw
    if on_postgresql():
        return
    assert run("backup", str(copy), "--force").exit_code == 0
    assert copy.read_bytes().startswith(b"SQLite format 3\x00")
    assert make_runner(copy)("check").exit_code == 0


# -- existing files: only with --force --------------------------------------------------

def test_an_existing_file_is_refused_without_force_and_replaced_with_it(run, out: Path) -> None:
    for i, name in enumerate(writers(out)):
        target = out / f"target-{i}"
        args = writers(target)[name]
        target.write_text("precious\n")
        os.chmod(target, 0o644)
        line = one_error_line(run(*args))
        assert line == f"error: {target} already exists (use --force to replace it)", line
        assert target.read_text() == "precious\n"
        r = run(*args, "--force")
        assert r.exit_code == 0, (name, r.stderr)
        assert target.read_bytes() != b"precious\n"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, name
        target.unlink()
    assert partials(out) == []


def test_invoice_pdf_default_name_is_not_overwritten(run, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    r = run("invoice", "pdf", INVOICE)
    assert r.exit_code == 0, r.stderr
    written = work / r.stdout.strip()
    written.write_bytes(b"my own notes")
    assert "already exists" in one_error_line(run("invoice", "pdf", INVOICE))
    assert written.read_bytes() == b"my own notes"
    assert run("invoice", "pdf", INVOICE, "--force").exit_code == 0
    assert written.read_bytes().startswith(b"%PDF")


def test_a_symlink_to_a_file_replaces_the_file_it_names(run, out: Path) -> None:
    real = out / "real.journal"
    real.write_text("old\n")
    link = out / "link.journal"
    link.symlink_to(real)
    assert "already exists" in one_error_line(run("export", "journal", str(link)))
    assert run("export", "journal", str(link), "--force").exit_code == 0
    assert link.is_symlink() and "exported by smallbiz" in real.read_text()


# -- bad targets: one clear line ----------------------------------------------------------

def test_bad_targets_give_one_error_line(shop_path: Path, run, out: Path) -> None:
    folder = out / "somedir"
    folder.mkdir()
    (out / "dangling").symlink_to(out / "nowhere")
    fifo = out / "fifo"
    os.mkfifo(fifo)
    cases: dict[Path | str, str] = {
        folder: "is a folder",
        str(out / "newdir") + "/": "does not exist",
        out / "missing" / "x.out": f"folder {out / 'missing'} does not exist",
        out / "dangling": "is a symbolic link to",
        fifo: "is not a plain file",
    }
    before = content_hash(shop_path)
    for target, message in cases.items():
        for name, args in writers(target).items():
            line = one_error_line(run(*args, "--force"))
            assert message in line, (target, name, line)
    assert content_hash(shop_path) == before
    assert sorted(p.name for p in out.iterdir()) == ["dangling", "fifo", "somedir"]
    assert list(folder.iterdir()) == []


def test_backup_onto_a_folder_is_one_line_in_a_real_process(shop_path: Path, out: Path
                                                            ) -> None:
    """`backup somedir --force` was an IsADirectoryError traceback."""
    for args in ([] if on_postgresql() else [["backup", str(out), "--force"]]) + [
            ["export", "journal", str(out), "--force"],
            ["export", "contacts", str(out), "--format", "csv", "--force"]]:
        r = smallbiz(shop_path, *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert r.stderr.startswith("error: ") and len(r.stderr.splitlines()) == 1, r.stderr
        assert "is a folder" in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_folder_is_one_line(run, out: Path) -> None:
    locked = out / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        for name, args in writers(locked / "x").items():
            assert "permission denied" in one_error_line(run(*args)), name
    finally:
        os.chmod(locked, 0o700)


@pytest.mark.parametrize("command", ["export journal", "export contacts csv", "invoice pdf",
                                     BACKUP])
def test_a_full_disk_is_one_line_and_leaves_nothing(run, out: Path, command: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC (here at the flush to disk) gives one line; the old file is as it was and
    no partial is left."""
    import smallbiz.outfiles as outfiles

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = out / "target"
    target.write_text("yesterday's\n")
    monkeypatch.setattr(outfiles.os, "fsync", full)
    line = one_error_line(run(*writers(target)[command], "--force"))
    assert "No space left on device" in line and str(target) in line, line
    assert target.read_text() == "yesterday's\n"
    assert partials(out) == []


# -- partial files ------------------------------------------------------------------------

def test_stale_partials_are_removed_and_live_ones_kept(run, out: Path) -> None:
    target = out / "books.journal"
    stale = [out / "books.journal.partial",  # the name earlier versions used
             out / "books.journal.0123abcd.partial",
             out / "books.journal.0123abcd.partial-journal"]
    for p in stale:
        p.write_text("half")
    live = out / "books.journal.89abcdef.partial"
    other = out / "other.journal.0123abcd.partial"  # another target's: not ours to touch
    live.write_text("being written")
    other.write_text("half")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a process still writing holds its partial's lock
    try:
        r = run("export", "journal", str(target))
        assert r.exit_code == 0, r.stderr
    finally:
        os.close(fd)
    assert not any(p.exists() for p in stale)
    assert live.exists() and other.exists()
    assert "exported by smallbiz" in target.read_text()
    # the lock gone (its process died), the next run removes it
    assert run("export", "journal", str(target), "--force").exit_code == 0
    assert partials(out) == ["other.journal.0123abcd.partial"]


_KILLED_WRITER = """
import sys, time
import smallbiz.outfiles as outfiles
def stall(fd):  # everything is written: stop just before the rename, and be killed
    print("ready", flush=True)
    time.sleep(120)
outfiles.os.fsync = stall
from smallbiz.cli.main import app
app(sys.argv[1:], prog_name="smallbiz")
"""


@pytest.mark.parametrize("command", ["export journal", "export contacts vcard", BACKUP])
def test_a_killed_write_leaves_the_target_alone_and_its_partial_is_cleaned(
        shop_path: Path, out: Path, command: str) -> None:
    target = out / "target"
    target.write_text("the previous export\n")
    args = [*writers(target)[command], "--force"]
    proc = child(_KILLED_WRITER, "--db", str(shop_path), *args)
    line = proc.stdout.readline()
    assert line == "ready\n", proc.stderr.read() if proc.poll() is not None else line
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert target.read_text() == "the previous export\n"  # never half-replaced
    assert partials(out)  # the kill left the partial behind ...
    r = smallbiz(shop_path, *args)
    assert r.returncode == 0, r.stderr
    assert partials(out) == []  # ... and the next run removed it
    assert target.read_bytes() != b"the previous export\n"


# -- tui --demo ---------------------------------------------------------------------------

@pytest.mark.sqlite_only("the demo of `tui --demo` is a throwaway SQLite file")
def test_tui_demo_removes_its_folder_when_the_app_exits(tmp_path: Path) -> None:
    """The real `smallbiz tui --demo` in a pseudo-terminal: its demo folder exists while
    it runs and is gone after ctrl+q."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**CHILD_ENV, "TMPDIR": str(tmp), "TERM": "xterm-256color", "COLUMNS": "120",
           "LINES": "40"}
    master, slave = pty.openpty()
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen([PYTHON, "-m", "smallbiz", "tui", "--demo"], cwd=ROOT, env=env,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    try:
        deadline = time.monotonic() + 90
        folders: list[Path] = []
        while time.monotonic() < deadline and proc.poll() is None:
            read_pty(master, 0.5)
            folders = [p for p in tmp.iterdir() if p.name.startswith("smallbiz-demo-")]
            if folders and (folders[0] / "demo.db").exists():
                break
        assert folders and proc.poll() is None, "the demo did not start"
        read_pty(master, 3)  # let the demo company be built
        os.write(master, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            read_pty(master, 0.5)
            if proc.poll() is None and time.monotonic() > deadline - 50:
                os.write(master, b"\x11")
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        os.close(master)
    assert list(tmp.iterdir()) == [], list(tmp.iterdir())


def test_a_killed_demos_folder_is_removed_by_the_next_demo(tmp_path: Path) -> None:
    from smallbiz.demo import demo_folder, remove_stale_demo_folders

    with demo_folder(tmp_path) as running:
        (running / "demo.db").write_bytes(b"x")
        assert remove_stale_demo_folders(tmp_path) == []  # a live demo's folder stays
        killed = tmp_path / "smallbiz-demo-killed"
        killed.mkdir()
        (killed / ".in-use").write_bytes(b"")  # its lock died with its process
        (killed / "demo.db").write_bytes(b"x")
        foreign = tmp_path / "smallbiz-demo-not-ours"  # no lock file: left alone
        foreign.mkdir()
        assert remove_stale_demo_folders(tmp_path) == [killed]
        assert running.is_dir() and foreign.is_dir()
    assert not running.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["smallbiz-demo-not-ours"]


def test_the_demo_folder_is_removed_when_the_app_fails(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    import smallbiz.screens.app
    from smallbiz.tui_launch import launch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def crash(self: object) -> None:
        assert any(p.name.startswith("smallbiz-demo-") for p in tmp_path.iterdir())
        raise RuntimeError("boom")

    monkeypatch.setattr(smallbiz.screens.app.SmallBizApp, "run", crash)
    with pytest.raises(RuntimeError, match="boom"):
        launch(None, demo=True)
    assert list(tmp_path.iterdir()) == []
