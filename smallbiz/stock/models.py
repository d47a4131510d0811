"""Tables owned by the stock package: products and stock moves.

A product row carries running totals (`on_hand`, `stock_value`, `avg_cost`) kept in
step with its moves in the same transaction, so lists and reports read one row per
product; `smallbiz check` proves the totals equal the sums of the moves. Posted
moves are immutable (database triggers): a cancelled document gets reversal moves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

import smallbiz.books.models  # noqa: F401  (product.expense_account_id references account)
from smallbiz.money import Money, Percent, Quantity, UnitPrice
from smallbiz.stock.types import MOVE_SOURCES  # noqa: F401  (re-exported)

KINDS = ("stock", "service")


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (Index("ix_product_name", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64)  # unique case-insensitively (index on lower(sku))
    name: str = Field(max_length=200)
    kind: str = Field(default="stock", max_length=16)  # stock | service
    unit: str = Field(default="pcs", max_length=16)
    price: Decimal = Field(sa_column=Column(Money(), nullable=False))
    cost: Decimal | None = Field(default=None, sa_column=Column(UnitPrice(), nullable=True))
    vat_rate: Decimal = Field(sa_column=Column(Percent(), nullable=False))
    reorder_level: Decimal | None = Field(default=None,
                                          sa_column=Column(Quantity(), nullable=True))
    on_hand: Decimal = Field(default=Decimal(0), sa_column=Column(Quantity(), nullable=False))
    stock_value: Decimal = Field(default=Decimal(0), sa_column=Column(Money(), nullable=False))
    #: the last moving average (kept when stock runs out, to cost later issues)
    avg_cost: Decimal | None = Field(default=None, sa_column=Column(UnitPrice(), nullable=True))
    archived: bool = False
    created_at: dt.datetime
    updated_at: dt.datetime
    #: a service's expense account on a bill (0016; none: Other expenses)
    expense_account_id: int | None = Field(default=None, foreign_key="account.id")


class StockMove(SQLModel, table=True):
    __tablename__ = "stock_move"
    __table_args__ = (Index("ix_stock_move_product_date", "product_id", "date", "id"),
                      Index("ix_stock_move_source", "source", "source_id"))

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    date: dt.date
    quantity: Decimal = Field(sa_column=Column(Quantity(), nullable=False))  # + in, - out
    value: Decimal = Field(sa_column=Column(Money(), nullable=False))  # signed cost value
    source: str = Field(max_length=16)
    source_id: int | None = None
    reverses_id: int | None = Field(default=None, foreign_key="stock_move.id", index=True)
    memo: str = Field(default="")
    created_at: dt.datetime
