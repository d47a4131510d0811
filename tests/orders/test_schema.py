"""Migration 0004 creates exactly what the models describe, and goes down and up again."""

from __future__ import annotations

import pytest

from smallbiz.db import Database
from smallbiz.orders import models
from tests import engine

TABLES = [models.TradeOrder, models.OrderLine, models.Shipment, models.ShipmentLine,
          models.Invoice, models.InvoiceLine, models.Payment, models.PaymentAllocation]


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__tablename__)
def test_migration_matches_the_model(book, book_path, model):
    info = {c: notnull for c, (notnull, _pk) in engine.columns(book_path,
                                                                model.__tablename__).items()}
    fks = engine.foreign_keys(book_path, model.__tablename__)
    table = model.__table__
    expected = {c.name: not c.nullable for c in table.columns}
    assert info == expected  # the same columns, NOT NULL where the model says so
    assert fks == {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}


def test_downgrade_to_0003_and_up_again(book_path, book):
    book.dispose()
    from alembic import command
    from alembic.config import Config

    from smallbiz.db import MIGRATIONS_DIR

    db = Database(book_path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    db.dispose()
    names = set(engine.tables(book_path))
    assert not names & {m.__tablename__ for m in TABLES}
    db.upgrade_to("head")
    db.dispose()
    with Database(book_path).open().read() as s:
        assert s.execute("SELECT COUNT(*) FROM payment_allocation").scalar() == 0
