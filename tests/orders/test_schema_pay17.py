"""Migration 0010_pay17 builds what the models describe (new tables and columns)."""

from __future__ import annotations

import pytest

from smallbiz.orders import models
from tests import engine

TABLES = [models.Payment, models.PaymentAllocation, models.RecurringInvoice,
          models.RecurringLine, models.RecurringIssue]


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__tablename__)
def test_migration_matches_the_model(book, book_path, model):
    info = {c: notnull for c, (notnull, _pk) in engine.columns(book_path,
                                                                model.__tablename__).items()}
    fks = engine.foreign_keys(book_path, model.__tablename__)
    table = model.__table__
    assert info == {c.name: not c.nullable for c in table.columns}
    assert fks == {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}
