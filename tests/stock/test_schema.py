"""Migration 0003 creates what the stock models describe, and goes down and up again."""

from __future__ import annotations

import sqlite3

import pytest

from smallbiz.db import Database
from smallbiz.stock.models import Product, StockMove


@pytest.mark.parametrize("model", [Product, StockMove], ids=lambda m: m.__tablename__)
def test_migration_matches_the_model(book, book_path, model):
    conn = sqlite3.connect(book_path)
    try:
        name = model.__tablename__
        info = {r[1]: bool(r[3]) or bool(r[5]) for r in conn.execute(
            f"PRAGMA table_info({name})")}
        fks = {(r[3], r[2]) for r in conn.execute(f"PRAGMA foreign_key_list({name})")}
        indexes = {r[1] for r in conn.execute(f"PRAGMA index_list({name})")}
    finally:
        conn.close()
    table = model.__table__
    assert info == {c.name: not c.nullable for c in table.columns}
    assert fks == {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}
    assert {i.name for i in table.indexes} <= indexes


def test_sku_is_unique_whatever_its_case(book, book_path):
    conn = sqlite3.connect(book_path)
    try:
        row = ("2026-01-01 00:00:00",) * 2
        conn.execute("INSERT INTO product (sku, name, price, vat_rate, created_at, updated_at) "
                     "VALUES ('ab-1', 'x', 100, 1800, ?, ?)", row)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO product (sku, name, price, vat_rate, created_at, "
                         "updated_at) VALUES ('AB-1', 'y', 100, 1800, ?, ?)", row)
    finally:
        conn.close()


def test_downgrade_to_0002_and_up_again(book, book_path):
    from alembic import command
    from alembic.config import Config

    from smallbiz.db import MIGRATIONS_DIR

    book.dispose()
    db = Database(book_path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    conn2 = sqlite3.connect(book_path)
    tables = {r[0] for r in conn2.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    triggers = {r[0] for r in conn2.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='stock_move'")}
    conn2.close()
    assert "product" not in tables and "stock_move" not in tables and not triggers
    db.open()
    with db.transaction() as s:
        from smallbiz.stock.service import add_product

        add_product(s, "TOOL-01", "Hammer", price="1")
    db.dispose()
