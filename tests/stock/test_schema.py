"""Migration 0003 creates what the stock models describe, and goes down and up again."""

from __future__ import annotations

import pytest

from smallbiz.db import Database
from smallbiz.stock.models import Product, StockMove
from tests import engine


@pytest.mark.parametrize("model", [Product, StockMove], ids=lambda m: m.__tablename__)
def test_migration_matches_the_model(book, book_path, model):
    name = model.__tablename__
    info = {c: notnull or pk for c, (notnull, pk) in engine.columns(book_path, name).items()}
    fks = engine.foreign_keys(book_path, name)
    indexes = engine.indexes(book_path, name)
    table = model.__table__
    assert info == {c.name: not c.nullable for c in table.columns}
    assert fks == {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}
    assert {i.name for i in table.indexes} <= indexes


def test_sku_is_unique_whatever_its_case(book, book_path):
    insert = ("INSERT INTO product (sku, name, price, vat_rate, created_at, updated_at) "
              "VALUES ('{}', 'x', 100, 1800, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    engine.execute(book_path, insert.format("ab-1"))
    assert "unique" in engine.refused(book_path, insert.format("AB-1")).lower()


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
    db.dispose()
    tables = set(engine.tables(book_path))
    assert "product" not in tables and "stock_move" not in tables
    assert not engine.triggers(book_path, "stock_move")
    db.open()
    with db.transaction() as s:
        from smallbiz.stock.service import add_product

        add_product(s, "TOOL-01", "Hammer", price="1")
    db.dispose()
