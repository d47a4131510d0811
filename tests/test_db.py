"""The book file: location, pragmas, permissions, migrations on open, backup."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.book import init_book
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.books.reports import trial_balance
from smallbiz.check import run_checks
from smallbiz.db import Database, default_path, head_revision, resolve_url
from smallbiz.errors import BookNotFound, UserError
from tests import engine
from tests.engine import Location, on_postgresql


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


@pytest.mark.sqlite_only("file mode and pragmas of the book file")
def test_new_book_is_private_and_uses_wal(book: Database, book_path: Path) -> None:
    assert mode(book_path) == 0o600
    with book.read() as conn:
        assert conn.execute("PRAGMA journal_mode").scalar() == "wal"
        assert conn.execute("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").scalar() >= 5000


def test_opening_a_missing_book_says_how_to_create_one(
        another_book: Callable[[str], Location]) -> None:
    where = another_book("none.db")  # no file; on a server, an empty database
    with pytest.raises(BookNotFound, match="smallbiz init"):
        Database(where).open()
    assert not Database(where).exists()
    if isinstance(where, Path):
        assert not where.exists()


def test_refused_init_leaves_no_file(another_book: Callable[[str], Location]) -> None:
    where = another_book("bad.db")
    for kwargs in ({"currency": "XXQ"}, {"vat_rate": "abc"}, {"chart": "nope"},
                   {"company": "  "}):
        with pytest.raises(UserError):
            init_book(Database(where), **kwargs)
        if isinstance(where, Path):
            assert not where.exists()
        else:
            assert engine.tables(where) == []


def test_init_twice_is_refused(book: Database, book_path: Path) -> None:
    with pytest.raises(UserError, match="already holds a book"):
        init_book(Database(book_path))


def test_book_from_first_migration_is_upgraded_with_nothing_lost(
        tmp_path: Path, another_book: Callable[[str], Location]) -> None:
    path = another_book("old.db")
    old = Database(path)
    old.upgrade_to("0001")
    old.dispose()
    # Fill it as the release with schema 0001 would have (plain SQL, no current models).
    engine.execute(
        path,
        "INSERT INTO setting (key, value) VALUES ('company_name', 'Old Firm'), "
        "('currency', 'GEL'), ('vat_rate', '18'), ('payment_terms_days', '30'), "
        "('negative_stock', 'false'), ('chart', 'default'), ('lock_date', '')",
        "INSERT INTO account (id, code, name, type, archived) VALUES "
        "(1, '1010', 'Bank', 'asset', FALSE), (2, '3000', 'Equity', 'equity', FALSE)",
        "INSERT INTO contact (id, kind, name, created_at, updated_at) "
        "VALUES (1, 'person', 'Nino', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
        "INSERT INTO journal_entry (id, number, year, seq, date, memo, source, created_at) "
        "VALUES (1, 'JE-2025-0001', 2025, 1, '2025-03-01', 'Opening', 'manual', "
        "'2025-03-01 00:00:00')",
        "INSERT INTO posting (entry_id, account_id, date, amount, contact_id) VALUES "
        "(1, 1, '2025-03-01', 123456, 1), (1, 2, '2025-03-01', -123456, NULL)",
        "INSERT INTO account_period (account_id, period, amount) VALUES "
        "(1, '2025-03', 123456), (2, '2025-03', -123456)",
        "INSERT INTO number_sequence (prefix, year, last) VALUES ('JE', 2025, 1)")
    engine.sync_sequences(path)  # ids go on after these rows, as if smallbiz wrote them
    assert head_revision() > "0001"

    db = Database(path).open()
    assert db.current_revision() == head_revision()
    backups = list(tmp_path.glob("old.db.rev0001-*.bak"))
    if on_postgresql():
        assert backups == []  # on a server: pg_dump first (README)
    else:
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
    db.dispose()
    # the backup is the book as it was: still at revision 0001
    if backups:
        assert Database(backups[0]).current_revision() == "0001"


@pytest.mark.sqlite_only("smallbiz backup copies SQLite files")
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


def test_newer_schema_is_refused(book: Database, book_path: Location) -> None:
    engine.execute(book_path, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(UserError, match="newer smallbiz"):
        Database(book_path).open()


@pytest.mark.sqlite_only("file mode of the book file")
def test_umask_does_not_widen_permissions(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        db = Database(tmp_path / "u.db")
        init_book(db)
    finally:
        os.umask(old)
    assert mode(tmp_path / "u.db") == 0o600


def _indexes(where: Location) -> dict[str, str]:
    """Each index of the book and its definition, blanks and quotes aside."""
    if on_postgresql():  # those made by CREATE INDEX, not by a key or unique constraint
        found = engine.rows(where, "SELECT indexname, indexdef FROM pg_indexes i "
                                   "WHERE schemaname = current_schema() AND NOT EXISTS "
                                   "(SELECT 1 FROM pg_constraint c "
                                   "WHERE c.conname = i.indexname)")
    else:
        found = engine.rows(where, "SELECT name, sql FROM sqlite_master "
                                   "WHERE type = 'index' AND sql IS NOT NULL")
    return {name: " ".join(sql.replace('"', "").replace("public.", "").split())
            for name, sql in found}


def test_the_migrations_build_the_indexes_the_models_declare(
        book_path: Location, another_book: Callable[[str], Location]) -> None:
    """A book made by the migrations has exactly the models' indexes (the bulk generator and
    the ORM rely on the models; a partial index must stay partial, e.g. ix_posting_contact)."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import smallbiz.bank.models
    import smallbiz.core_models
    import smallbiz.orders.models
    import smallbiz.stock.models  # noqa: F401  (each registers its tables)

    db = Database(book_path)
    db.create()
    db.dispose()
    models = another_book("models.db")
    engine_ = create_engine(Database(models).url)
    SQLModel.metadata.create_all(engine_)
    engine_.dispose()
    migrated, declared = _indexes(book_path), _indexes(models)
    only_in_migrations = {"ix_product_sku_lower"}  # unique lower(sku): SQL, not a model Index
    if on_postgresql():  # 0022's and 0024's trigram indexes, made when pg_trgm can be
        from smallbiz.crm.search import TRIGRAM_INDEX  # created
        from smallbiz.orders.search import TRIGRAM_INDEXES

        only_in_migrations |= TRIGRAM_INDEXES | {TRIGRAM_INDEX}
    assert set(migrated) - set(declared) == only_in_migrations
    assert {k: v for k, v in migrated.items() if k not in only_in_migrations} == declared
    partial = declared["ix_posting_contact"].split(" WHERE ")[1]
    assert partial.strip("()") == "contact_id IS NOT NULL"  # PostgreSQL adds the brackets


def test_a_transaction_commits_all_or_nothing(book: Database, book_path: Path) -> None:
    from smallbiz import audit, settings

    with book.transaction() as w:
        settings.put_raw(w, "company_name", "Written Co")
        audit.record(w, "update", "setting", "company_name", "Written Co")
    with pytest.raises(Exception, match="(?i)foreign key"):
        with book.transaction() as w:
            settings.put_raw(w, "company_name", "Lost Co")
            w.execute("INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                       "VALUES (999, 999, '2026-01-01', 1, '')")  # no such entry: refused
    with book.read() as r:
        assert settings.load(r).company_name == "Written Co"
        rows = r.execute("SELECT action, entity, entity_id, summary, at FROM audit_log "
                          "WHERE entity = 'setting'").fetchall()
    assert [row[:4] for row in rows] == [("update", "setting", "company_name", "Written Co")]
    assert len(rows[0][4]) == 26  # YYYY-MM-DD HH:MM:SS.ffffff on either engine
