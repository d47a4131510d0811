"""The book file: location, pragmas, permissions, migrations on open, backup."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.book import init_book
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.books.reports import trial_balance
from smallbiz.check import run_checks
from smallbiz.db import Database, default_path, head_revision, resolve_url
from smallbiz.errors import BookNotFound, UserError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMALLBIZ_DB", raising=False)
    assert resolve_url(None) == "sqlite:///" + str(default_path())
    assert default_path().name == "smallbiz.db"
    monkeypatch.setenv("SMALLBIZ_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path}/env.db"
    assert resolve_url(tmp_path / "arg.db") == f"sqlite:///{tmp_path}/arg.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_new_book_is_private_and_uses_wal(book: Database, book_path: Path) -> None:
    assert mode(book_path) == 0o600
    with book.read() as conn:
        assert conn.execute("PRAGMA journal_mode").scalar() == "wal"
        assert conn.execute("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").scalar() >= 5000


def test_opening_a_missing_book_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(BookNotFound, match="smallbiz init"):
        Database(tmp_path / "none.db").open()
    assert not (tmp_path / "none.db").exists()


def test_refused_init_leaves_no_file(tmp_path: Path) -> None:
    for kwargs in ({"currency": "XXQ"}, {"vat_rate": "abc"}, {"chart": "nope"},
                   {"company": "  "}):
        with pytest.raises(UserError):
            init_book(Database(tmp_path / "bad.db"), **kwargs)
        assert not (tmp_path / "bad.db").exists()


def test_init_twice_is_refused(book: Database, book_path: Path) -> None:
    with pytest.raises(UserError, match="already holds a book"):
        init_book(Database(book_path))


def test_book_from_first_migration_is_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    old.upgrade_to("0001")
    # Fill it as the release with schema 0001 would have (plain SQL, no current models).
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO setting (key, value) VALUES ('company_name', 'Old Firm'), ('currency', 'GEL'),
            ('vat_rate', '18'), ('payment_terms_days', '30'), ('negative_stock', 'false'),
            ('chart', 'default'), ('lock_date', '');
        INSERT INTO account (id, code, name, type, archived) VALUES
            (1, '1010', 'Bank', 'asset', 0), (2, '3000', 'Equity', 'equity', 0);
        INSERT INTO contact (id, kind, name, created_at, updated_at)
            VALUES (1, 'person', 'Nino', '2025-01-01 00:00:00', '2025-01-01 00:00:00');
        INSERT INTO journal_entry (id, number, year, seq, date, memo, source, created_at)
            VALUES (1, 'JE-2025-0001', 2025, 1, '2025-03-01', 'Opening', 'manual',
                    '2025-03-01 00:00:00');
        INSERT INTO posting (entry_id, account_id, date, amount, contact_id) VALUES
            (1, 1, '2025-03-01', 123456, 1), (1, 2, '2025-03-01', -123456, NULL);
        INSERT INTO account_period (account_id, period, amount) VALUES
            (1, '2025-03', 123456), (2, '2025-03', -123456);
        INSERT INTO number_sequence (prefix, year, last) VALUES ('JE', 2025, 1);
    """)
    conn.commit()
    conn.close()
    old.dispose()
    assert head_revision() > "0001"

    db = Database(path).open()
    assert db.current_revision() == head_revision()
    backups = list(tmp_path.glob("old.db.rev0001-*.bak"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    with db.read() as s:
        rows = {r.code: r.balance for r in trial_balance(s, dt.date(2025, 12, 31)).rows}
        assert rows == {"1010": Decimal("1234.56"), "3000": Decimal("-1234.56")}
        assert s.execute("SELECT name FROM contact").scalar() == "Nino"
    assert run_checks(db) == []
    # the upgraded book keeps working: numbering continues
    with db.transaction() as s:
        e = post_entry(s, dt.date(2025, 4, 1), "more", [PostingInput("1010", Decimal("1")),
                                                        PostingInput("3000", None)])
    assert e.number == "JE-2025-0002"
    # the backup is the book as it was: still at revision 0001
    assert Database(backups[0]).current_revision() == "0001"


def test_backup_is_a_consistent_private_copy(book: Database, tmp_path: Path) -> None:
    with book.transaction() as s:
        post_entry(s, dt.date(2026, 1, 1), "x", [PostingInput("1010", Decimal("5")),
                                                  PostingInput("3000", None)])
    dest = book.backup(tmp_path / "copy.db")
    assert mode(dest) == 0o600
    copy = Database(dest).open()
    assert run_checks(copy) == []
    with copy.read() as s:
        assert len(trial_balance(s, dt.date(2026, 1, 1)).rows) == 2
    with pytest.raises(UserError, match="already exists"):
        book.backup(dest)
    assert not list(tmp_path.glob("*.partial"))


def test_newer_schema_is_refused(book: Database, book_path: Path) -> None:
    conn = sqlite3.connect(book_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="newer smallbiz"):
        Database(book_path).open()


def test_umask_does_not_widen_permissions(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        db = Database(tmp_path / "u.db")
        init_book(db)
    finally:
        os.umask(old)
    assert mode(tmp_path / "u.db") == 0o600


def _indexes(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return {name: " ".join(sql.replace('"', "").split()) for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    finally:
        conn.close()


def test_the_migrations_build_the_indexes_the_models_declare(book_path: Path,
                                                             tmp_path: Path) -> None:
    """A book made by the migrations has exactly the models' indexes (the bulk generator and
    the ORM rely on the models; a partial index must stay partial, e.g. ix_posting_contact)."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import smallbiz.core_models
    import smallbiz.orders.models
    import smallbiz.stock.models  # noqa: F401  (each registers its tables)

    Database(book_path).create()
    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    migrated, declared = _indexes(book_path), _indexes(tmp_path / "models.db")
    only_in_migrations = {"ix_product_sku_lower"}  # unique lower(sku): SQL, not a model Index
    assert set(migrated) - set(declared) == only_in_migrations
    assert {k: v for k, v in migrated.items() if k not in only_in_migrations} == declared
    assert declared["ix_posting_contact"].endswith("WHERE contact_id IS NOT NULL")


def test_a_transaction_commits_all_or_nothing(book: Database, book_path: Path) -> None:
    from smallbiz import audit, settings

    with book.transaction() as w:
        assert w.execute("PRAGMA foreign_keys").fetchone() == (1,)
        settings.put_raw(w, "company_name", "Written Co")
        audit.record(w, "update", "setting", "company_name", "Written Co")
    with pytest.raises(sqlite3.IntegrityError):
        with book.transaction() as w:
            settings.put_raw(w, "company_name", "Lost Co")
            w.execute("INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                       "VALUES (999, 999, '2026-01-01', 1, '')")  # no such entry: refused
    with book.read() as r:
        assert settings.load(r).company_name == "Written Co"
        rows = r.execute("SELECT action, entity, entity_id, summary, length(at) FROM audit_log "
                          "WHERE entity = 'setting'").fetchall()
    assert rows == [("update", "setting", "company_name", "Written Co", 26)]
