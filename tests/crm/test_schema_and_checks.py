"""Migration 0002 on an older book, the CRM checks, the 360 hook, start-up cost."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smallbiz.check import run_checks
from smallbiz.crm.search import ContactFilter, list_contacts, store
from smallbiz.crm.service import create_contact
from smallbiz.db import Database
from tests import engine
from tests.crm.conftest import rd, tx
from tests.engine import on_postgresql


def test_upgrade_from_0001_keeps_contacts_and_indexes_them(tmp_path, another_book):
    where = another_book("old.db")
    db = Database(where)
    db.upgrade_to("0001")
    db.dispose()
    stamp = "2025-01-01 00:00:00"
    engine.execute(
        where,
        ("INSERT INTO contact (id, kind, name, email, phone, created_at, updated_at) VALUES "
         "(1, 'organization', 'Kartuli Foods LLC', '', '', ?, ?), "
         "(2, 'person', '  ნინო  ბერიძე ', 'nino@example.ge', '+995 599 00 11 22', ?, ?)",
         (stamp, stamp, stamp, stamp)),
        "UPDATE contact SET organization_id = 1 WHERE id = 2")
    db = Database(where).open()  # backs up (a SQLite file), then upgrades to head
    assert on_postgresql() or list(tmp_path.glob("old.db.rev0001-*.bak"))
    rows = rd(db, list_contacts, ContactFilter(search="ბერიძე"))
    assert [(r.name, r.organization) for r in rows] == [
        ("  ნინო  ბერიძე ", "Kartuli Foods LLC")]
    assert rows[0].name_key == "ნინო ბერიძე"
    assert [r.name for r in rd(db, list_contacts, ContactFilter(search="kartuli"))] == [
        "Kartuli Foods LLC", "  ნინო  ბერიძე "]
    assert [r.name for r in rd(db, list_contacts, ContactFilter(search="5990011"))] == [
        "  ნინო  ბერიძე "]
    assert run_checks(db) == []
    db.dispose()


def test_checks_find_a_stale_index_and_bad_rows(book, book_path):
    tx(book, create_contact, "Gela Beridze", email="gela@kfoods.ge")
    assert run_checks(book) == []
    engine.execute(
        book_path, "UPDATE contact SET email = 'changed@behind.the.back', name_key = 'x'",
        "INSERT INTO deal (contact_id, title, value, stage, probability, created_at, "
        "updated_at) VALUES (1, 'Bad', 100, 'won', 5000, '2026-01-01', '2026-01-01')")
    table, key = store("postgresql" if on_postgresql() else "sqlite")
    engine.execute(book_path, f"INSERT INTO {table} ({key}, doc) VALUES (99, 'ghost')")
    problems = run_checks(book)
    assert "search index: contacts 1 are missing or out of date (run any edit on them, " \
           "or re-import)" in problems
    assert "search index: rows 99 belong to no contact" in problems
    assert "contacts 1: name key does not match the name" in problems
    assert "deals 1: won but not at 100 %" in problems
    assert "deals 1: closed without a closed date" in problems


def test_360_extra_sections_render_generically(book, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    tx(book, create_contact, "Gela Beridze", customer=True)

    def provider(s, contact_id):
        return {"open_invoices": [{"number": "INV-2026-0001", "balance_due": "118.00"}],
                "total_owed": 118, "name": "not allowed to replace the contact's name"}

    from smallbiz.app import root

    monkeypatch.setattr(root, "CONTACT_SECTIONS", (provider,))
    data = cli("contact", "show", "Gela", "--json").json()
    assert data["open_invoices"] == [{"number": "INV-2026-0001", "balance_due": "118.00"}]
    assert data["total_owed"] == 118 and data["name"] == "Gela Beridze"
    out = cli("contact", "show", "Gela").stdout
    assert "Open invoices" in out and "INV-2026-0001" in out and "Total owed: 118" in out


@pytest.mark.sqlite_only("the stdlib-driver start-up path of a SQLite book")
def test_contact_list_loads_neither_sqlalchemy_nor_the_orm(book_path, book):
    tx(book, create_contact, "Gela Beridze")
    code = ("import sys\nfrom smallbiz.cli.main import app\n"
            f"sys.argv = ['smallbiz', '--db', {str(book_path)!r}, 'contact', 'list', "
            "'--search', 'berid', '--json']\n"
            "try:\n    app(prog_name='smallbiz')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'textual')"
            " if m in sys.modules),"
            " file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"Gela Beridze"' in r.stdout
    assert r.stderr.strip() == "[]"
