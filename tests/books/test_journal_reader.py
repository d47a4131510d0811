"""The journal import's reader process: the same batches and errors as parsing in-process,
nothing left behind (no zombie, no orphan), the book untouched when either side fails."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smallbiz.errors import RuleViolation, UserError
from smallbiz.io.journal_parse import Batch, parsing
from tests.conftest import content_hash

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() here")

SETTINGS = {"currency": "GEL", "digits": 2, "lock_date": None}


def _journal(days: int, tail: str = "") -> str:
    """Transactions of every shape the parser reads, new accounts appearing late."""
    out = []
    for d in range(days):
        on = dt.date(2026, 1, 1) + dt.timedelta(days=d)
        out.append(f"{on:%Y/%m/%d} * (R{d}) Rent {d} ; note\n"
                   f"    expenses:6000 Rent  {d}.05 GEL  ; m{d}\n"
                   f"    assets:1010 Bank account\n\n")
        if d % 7 == 3:
            out.append(f"{on.isoformat()} Trip {d}\n    expenses:Travel {d % 3}  GEL 1,234.50\n"
                       "    assets:Petty cash  -1234.5\n\n")
    return "".join(out) + tail


def _batches(path: Path, fork: bool, size: int = 4) -> list[Batch]:
    with parsing(path, **SETTINGS, batch_size=size, fork=fork) as source:
        assert source.forked is fork
        return list(source.batches)


def _no_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_reader_process_gives_the_same_batches(tmp_path: Path) -> None:
    f = tmp_path / "mixed.journal"
    f.write_bytes(_journal(40).replace("\n", "\r\n").encode("utf-8"))
    here, there = _batches(f, fork=False), _batches(f, fork=True)
    assert there == here
    assert len(here) == 12 and here[-1].bytes_read == f.stat().st_size
    assert [name for b in here for name, _line, _kind, _kept in b.new_accounts] == [
        "expenses:6000 Rent", "assets:1010 Bank account", "expenses:Travel 0",
        "assets:Petty cash", "expenses:Travel 1", "expenses:Travel 2"]
    first = here[0]  # Rent 0 .. Rent 3; keys are the order of first use
    assert first.entries[3][:5] == (3, "2026-01-04", 2026, 4, "Rent 3")
    assert first.postings[6:] == [(3, 0, "2026-01-04", 305, "m3", None, None, None),
                                  (3, 1, "2026-01-04", -305, "", None, None, None)]
    assert first.totals == [(0, "2026-01", 620), (1, "2026-01", -620)]
    assert first.years == [(2026, 4)]
    assert here[0].new_accounts == [("expenses:6000 Rent", 2, "expense", None),
                                    ("assets:1010 Bank account", 3, "asset", None)]
    trip = here[1]  # the fifth transaction, written 2026-01-04 in ISO form
    assert trip.entries[0][:5] == (4, "2026-01-04", 2026, 5, "Trip 3")
    assert trip.postings[:2] == [(4, 2, "2026-01-04", 123450, "", None, None, None),
                                 (4, 3, "2026-01-04", -123450, "", None, None, None)]
    assert trip.new_accounts == [("expenses:Travel 0", 18, "expense", None),
                                 ("assets:Petty cash", 19, "asset", None)]
    assert sum(len(b.entries) for b in here) == 40 + 6
    assert sum(amount for b in here for _k, _p, amount in b.totals) == 0
    assert _no_children()


@pytest.mark.parametrize("bad, offset, message", [
    ("2026-03-01 x\n    expenses:6000 Rent  1 USD\n    assets:1010 Bank account\n", 2,
     "commodity 'USD' is not the book's currency GEL"),
    ("2026-03-01 x\n    expenses:6000 Rent  1 GEL\n    assets:1010 Bank account  -2\n", 1,
     "transaction does not balance"),
])
def test_a_bad_line_is_the_same_error_from_the_reader(tmp_path: Path, bad: str, offset: int,
                                                      message: str) -> None:
    f = tmp_path / "bad.journal"
    f.write_text(_journal(30, bad), encoding="utf-8")
    errors = []
    for fork in (False, True):
        with pytest.raises(UserError) as info:
            _batches(f, fork=fork)
        errors.append((type(info.value), str(info.value), info.value.field))
    assert errors[0] == errors[1]
    line = _journal(30).count("\n") + offset
    assert errors[0][1].startswith(f"{f}: line {line}: ") and message in errors[0][1]
    assert errors[0][0] is RuleViolation or "USD" in message
    assert _no_children()


def test_stopping_early_stops_the_reader(tmp_path: Path) -> None:
    f = tmp_path / "long.journal"
    f.write_text(_journal(3000), encoding="utf-8")
    with pytest.raises(KeyError):
        with parsing(f, **SETTINGS, batch_size=10, fork=True) as source:
            next(source.batches)
            raise KeyError("the importer failed")  # e.g. an account clash
    assert _no_children()


def test_the_lock_date_moving_meanwhile_imports_nothing(book, book_path: Path,
                                                        tmp_path: Path) -> None:
    from smallbiz import settings
    from smallbiz.io.journal_import import import_journal

    f = tmp_path / "jan.journal"
    f.write_text(_journal(5), encoding="utf-8")
    with parsing(f, **SETTINGS, fork=True) as source:
        with book.transaction() as s:  # someone closes 2025 meanwhile
            settings.set_lock_date(s, "2025-12-31")
        before = content_hash(book_path)
        with pytest.raises(RuleViolation, match="the lock date changed while the journal was "
                                                "read; nothing was imported"):
            with book.transaction() as s:
                import_journal(s, f, source=source)
    assert content_hash(book_path) == before
    assert _no_children()


def test_the_cli_reads_in_a_reader_process_and_an_account_clash_undoes_all(
        cli, book_path: Path, tmp_path: Path) -> None:
    """Real CLI, several batches already written when the clash comes: nothing stays.
    (In-process: the CLI forks its reader when this test process has one thread, and reads
    here when an earlier test left threads behind; the result must be the same.)"""
    f = tmp_path / "clash.journal"
    f.write_text(_journal(2 * 5000 + 400, "2030-01-01 Clash\n    liabilities:6000 Rent  1 GEL\n"
                                          "    assets:1000 Cash\n"), encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "journal", str(f))
    lines = f.read_text(encoding="utf-8").count("\n")
    assert r.exit_code != 0
    assert r.stderr == (f"error: {f}: line {lines - 1}: account 6000 is an expense account, "
                        "but 'liabilities:6000 Rent' makes it liability\n")
    assert content_hash(book_path) == before
    assert _no_children()

    ok = tmp_path / "ok.journal"
    ok.write_text(_journal(12_000), encoding="utf-8")
    r = cli("import", "journal", str(ok), "--json")
    assert r.exit_code == 0, r.stderr
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(12_000)]
    last_year = [d for d in days if d.year == days[-1].year]
    trips = sum(1 for d in range(12_000) if d % 7 == 3 and days[d].year == days[-1].year)
    assert (r.json()["entries"], r.json()["last"]) == (
        12_000 + 1714, f"JE-{days[-1].year}-{len(last_year) + trips:04d}")
    assert _no_children()


def test_killing_the_import_ends_its_reader(book, book_path: Path, tmp_path: Path) -> None:
    """SIGKILL of the importing process (`smallbiz import journal`, which forks its
    reader): the reader gets a broken pipe and exits; the book is as it was."""
    if not Path("/proc").is_dir():
        pytest.skip("no /proc to find the reader process in")
    f = tmp_path / "big.journal"
    f.write_text(_journal(60_000), encoding="utf-8")
    before = content_hash(book_path)
    book.dispose()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from smallbiz.cli.main import app; import sys; "
         "app(['--db', sys.argv[1], 'import', 'journal', sys.argv[2]], prog_name='smallbiz')",
         str(book_path), str(f)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reader = None
    deadline = time.monotonic() + 30
    while reader is None and time.monotonic() < deadline:  # the reader is its only child
        for pid in os.listdir("/proc"):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except (OSError, ValueError):
                continue
            if pid.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == proc.pid:
                reader = int(pid)
        time.sleep(0.02)
    if reader is None:
        proc.kill()
        pytest.fail("the import started no reader process")
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone = time.monotonic() + 20
    while Path(f"/proc/{reader}").exists() and time.monotonic() < gone:
        time.sleep(0.05)
    state = Path(f"/proc/{reader}/stat").read_text() if Path(f"/proc/{reader}").exists() else ""
    assert not state or state.rsplit(")", 1)[1].split()[0] == "Z", "the reader lives on"
    assert content_hash(book_path) == before


def test_no_process_to_spare_reads_in_this_one(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "small.journal"
    f.write_text(_journal(10), encoding="utf-8")
    expected = _batches(f, fork=False)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with parsing(f, **SETTINGS, batch_size=4, fork=True) as source:
        assert source.forked is False
        got = list(source.batches)
    assert got == expected
