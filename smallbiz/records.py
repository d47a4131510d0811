"""Rows as typed records: a dataclass per table a service changes row by row.

A record class names its table and, for each column stored in another form than Python
holds it, how: money in the book currency's minor units, quantities in thousandths, unit
prices in millionths, percentages in hundredths (see `smallbiz.money`), dates and
timestamps as the data path returns them (`smallbiz.sql`). `load`, `get`, `insert` and
`save` convert both ways; everything else is plain SQL on the `Tx`.

    @dataclass
    class Invoice(Record):
        __table__: ClassVar[str] = "invoice"
        __stored__: ClassVar[dict[str, str]] = {"gross": MONEY, "date": DATE}
        id: int
        gross: Decimal
        date: dt.date

The SQLModel classes in each `models.py` declare the schema (for the migrations); these
records are what the services read and write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from smallbiz.dates import as_date, as_datetime
from smallbiz.money import QTY_DIGITS, UNIT_PRICE_DIGITS, from_minor, to_minor
from smallbiz.sql import Tx

MONEY = "money"  # minor units of the book's currency
QTY = "quantity"  # thousandths
UNIT_PRICE = "unit_price"  # millionths of the currency unit
PERCENT = "percent"  # hundredths of a percent
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"

_FIXED = {QTY: QTY_DIGITS, UNIT_PRICE: UNIT_PRICE_DIGITS, PERCENT: 2}

R = TypeVar("R", bound="Record")


class Record:
    """Base of the record dataclasses (see the module docstring)."""

    __table__: ClassVar[str]
    __stored__: ClassVar[dict[str, str]] = {}
    id: int


def _fields(cls: type[Record]) -> tuple[str, ...]:
    cached = cls.__dict__.get("_smallbiz_fields")
    if cached is None:
        cached = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        cls._smallbiz_fields = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]


def decode(kind: str, value: Any, digits: int) -> Any:
    if value is None:
        return None
    if kind == MONEY:
        return from_minor(value, digits)
    if kind in _FIXED:
        return from_minor(value, _FIXED[kind])
    if kind == DATE:
        return as_date(value)
    if kind == DATETIME:
        return as_datetime(value)
    if kind == BOOL:
        return bool(value)
    return value


def encode(kind: str | None, value: Any, digits: int) -> Any:
    if value is None or kind is None:
        return value
    if kind == MONEY:
        return to_minor(Decimal(value), digits)
    if kind in _FIXED:
        return to_minor(Decimal(value), _FIXED[kind])
    if kind == BOOL:
        return bool(value)
    if kind == DATETIME and isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def width(cls: type[Record]) -> int:
    """How many columns the record has."""
    return len(_fields(cls))


def columns(cls: type[Record], alias: str | None = None) -> str:
    """The record's columns for a SELECT list (`alias.col, ...`)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + f for f in _fields(cls))


def from_row(s: Tx, cls: type[R], row: Sequence[Any]) -> R:
    """A record from a row holding its columns in `columns(cls)` order."""
    stored, digits = cls.__stored__, s.money_digits
    return cls(*(decode(stored[f], v, digits) if f in stored else v  # type: ignore[call-arg]
                 for f, v in zip(_fields(cls), row, strict=True)))


def load(s: Tx, cls: type[R], where: str = "", params: Mapping[str, Any] | None = None
         ) -> list[R]:
    """The records of rows matching `where` (SQL after FROM, e.g. "WHERE order_id = :o
    ORDER BY position")."""
    sql = f"SELECT {columns(cls)} FROM {cls.__table__} {where}"
    return [from_row(s, cls, row) for row in s.execute(sql, params)]


def get(s: Tx, cls: type[R], record_id: int) -> R | None:
    found = load(s, cls, "WHERE id = :_id", {"_id": record_id})
    return found[0] if found else None


def stored(s: Tx, cls: type[Record], values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values as stored."""
    kinds, digits = cls.__stored__, s.money_digits
    return {k: encode(kinds.get(k), v, digits) for k, v in values.items()}


def insert(s: Tx, record: Record) -> int:
    """Insert a record (its `id` is ignored and set to the new row's)."""
    values = {f: getattr(record, f) for f in _fields(type(record)) if f != "id"}
    record.id = s.insert(type(record).__table__, stored(s, type(record), values))
    return record.id


def insert_many(s: Tx, records: Sequence[Record]) -> None:
    """Insert records in bulk (their ids are not read back)."""
    if records:
        cls = type(records[0])
        names = [f for f in _fields(cls) if f != "id"]
        s.insert_many(cls.__table__, [stored(s, cls, {f: getattr(r, f) for f in names})
                                      for r in records])


def save(s: Tx, record: Record, *names: str) -> None:
    """Write the named fields of a record (default: all of them) back to its row."""
    names = names or tuple(f for f in _fields(type(record)) if f != "id")
    s.update(type(record).__table__, record.id,
             stored(s, type(record), {n: getattr(record, n) for n in names}))
