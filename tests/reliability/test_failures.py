"""Every failure is one clear line, never a traceback, never a misleading one (issue:
nothing lost, round two, F)."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, make_runner, new_location
from tests.reliability.conftest import CHILD_ENV, PYTHON, ROOT, smallbiz

PAGE = 4096


@pytest.fixture(scope="module")
def busy_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book with a few hundred rows in several tables (contacts, entries, audit)."""
    path = tmp_path_factory.mktemp("busy") / "busy.db"
    run = make_runner(path)
    assert run("init").exit_code == 0
    for i in range(60):
        assert run("contact", "add", f"Contact {i}", "--email", f"c{i}@firm.ge").exit_code == 0
        assert run("journal", "add", "--date", "2026-01-05", "--memo", f"Entry {i}",
                   "--posting", f"1010={i + 1}", "--posting", "3000").exit_code == 0
    return path


def _damaged(src: Path, dest: Path, spots: list[int], data: bytes) -> Path:
    raw = bytearray(src.read_bytes())
    for spot in spots:
        raw[spot:spot + len(data)] = data
    dest.write_bytes(bytes(raw))
    return dest


def _one_clear_line(r: Run, *, check: bool = False) -> None:
    """Exit 0, or exit 1 with one `error:` line (`check`: its problem lines); never a
    traceback."""
    assert r.exit_code in (0, 1), (r.exit_code, r.stderr)
    assert "Traceback" not in r.stderr
    if r.exit_code == 1:
        lines = r.stderr.strip().splitlines()
        if check:
            assert lines, "check failed without saying why"
        else:
            assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr


@pytest.mark.sqlite_only("damaged pages of a SQLite file")
def test_damaged_pages_are_reported_by_check_and_refused_by_writes(busy_book: Path,
                                                                    tmp_path: Path) -> None:
    pages = busy_book.stat().st_size // PAGE
    book = _damaged(busy_book, tmp_path / "bad.db",
                    [p * PAGE for p in range(2, pages, max(1, pages // 6))],
                    b"\x0d" + b"\xff" * 11)
    before = book.read_bytes()
    run = make_runner(book)
    r = run("check")
    assert r.exit_code == 1
    assert any(line.startswith("integrity:") for line in r.stderr.splitlines()), r.stderr
    r = run("journal", "add", "--date", "2026-02-01", "--memo", "into a damaged book",
            "--posting", "1010=1", "--posting", "3000")
    assert r.exit_code == 1 and "damaged" in r.stderr and "nothing was written" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert book.read_bytes() == before, "nothing was written into the damaged book"


@pytest.mark.sqlite_only("bit flips in a SQLite file")
@pytest.mark.parametrize("seed", range(40))
def test_random_byte_flips_never_give_a_traceback(busy_book: Path, tmp_path: Path,
                                                  seed: int) -> None:
    rng = random.Random(seed)
    size = busy_book.stat().st_size
    book = tmp_path / "flipped.db"
    shutil.copyfile(busy_book, book)
    raw = bytearray(book.read_bytes())
    for _ in range(rng.choice((1, 5, 50))):
        spot = rng.randrange(100, size)  # the 100-byte header aside: that is "not a book"
        raw[spot] ^= 1 << rng.randrange(8)
    book.write_bytes(bytes(raw))
    run = make_runner(book)  # in-process: a traceback would fail the test
    for args in (("check",), ("report", "tb"), ("contact", "list", "--search", "Contact"),
                 ("journal", "list"), ("audit",),
                 ("journal", "add", "--date", "2026-02-01", "--memo", "after the flips",
                  "--posting", "1010=1", "--posting", "3000")):
        _one_clear_line(run(*args), check=args == ("check",))


@pytest.mark.sqlite_only("what is in a file that is not a book")
@pytest.mark.parametrize("what, expected", [
    ("empty", "is empty: no book yet"),
    ("text", "is not a SQLite database"),
    ("truncated", "damaged"),
    ("foreign", "another program's database"),
    ("missing", "no book at"),
])
def test_no_book_says_what_is_really_wrong(busy_book: Path, tmp_path: Path, what: str,
                                           expected: str) -> None:
    book = tmp_path / "b.db"
    if what == "empty":
        book.touch()
    elif what == "text":
        book.write_text("name,email\nGela,gela@firm.ge\n")
    elif what == "truncated":
        book.write_bytes(busy_book.read_bytes()[: 5 * PAGE])
    elif what == "foreign":
        conn = sqlite3.connect(book)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
    run = make_runner(book)
    for args in (("report", "tb"), ("check",)):
        r = run(*args)
        assert r.exit_code == 1
        assert expected in r.stderr, r.stderr
        if what != "missing":
            assert "create one with 'smallbiz init' (or pass --db)" not in r.stderr


def test_audit_since_a_day(cli: Callable[..., Run]) -> None:
    assert cli("journal", "add", "--date", "2026-01-05", "--memo", "Owner invests",
               "--posting", "1010=5000", "--posting", "3000").exit_code == 0
    r = cli("--json", "audit", "--since", "2026-01-01")
    assert r.exit_code == 0, r.stderr
    assert any(row["action"] == "post" for row in r.json())
    r = cli("--json", "audit", "--since", "2999-01-01")
    assert r.exit_code == 0 and r.json() == []


@pytest.mark.parametrize("url", ["postgresql://bob:s3cret@127.0.0.1:9/nobook",
                                 "bogus://somewhere/book"])
def test_a_url_that_cannot_be_used_is_one_line_without_the_password(url: str) -> None:
    for args in (("check",), ("init",), ("backup", "/tmp/never-written.db")):
        r = subprocess.run([PYTHON, "-m", "smallbiz", "--db", url, *args], capture_output=True,
                           text=True, cwd=ROOT, env=CHILD_ENV, timeout=60)
        assert r.returncode == 1, (r.stdout, r.stderr)
        assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "s3cret" not in r.stderr + r.stdout


def test_undecodable_bytes_in_arguments(tmp_path: Path) -> None:
    book = new_location(tmp_path / "b.db")
    assert smallbiz(book, "init").returncode == 0
    r = subprocess.run([PYTHON.encode(), b"-m", b"smallbiz", b"--db", str(book).encode(),
                        b"contact", b"add", b"Gela \xff\xfe"], capture_output=True, cwd=ROOT,
                       env=CHILD_ENV, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith(b"error: ") and b"not valid UTF-8" in r.stderr
    assert b"Traceback" not in r.stderr


def test_oversell_names_the_real_figures(cli: Callable[..., Run]) -> None:
    assert cli("contact", "add", "Nino", "--customer").exit_code == 0
    assert cli("product", "add", "BOLT", "Bolt", "--price", "2").exit_code == 0
    assert cli("stock", "adjust", "BOLT", "100", "--cost", "1").exit_code == 0
    order = cli("sale", "new", "Nino", "--line", "BOLT=30", "--line", "BOLT=80"
                ).stdout.strip()
    assert cli("sale", "confirm", order).exit_code == 0
    r = cli("sale", "ship", order)
    assert r.exit_code == 1
    assert "100 pcs on hand, 110 requested" in r.stderr, r.stderr


def test_a_duplicate_within_one_file_names_no_id_none(cli: Callable[..., Run],
                                                      tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,email\nAna,ana@firm.ge\nAnna,ana@firm.ge\n")
    r = cli("import", "contacts", str(f))
    assert r.exit_code == 0, r.stderr
    assert "duplicate of 'Ana'" in r.stderr and "None" not in r.stderr
