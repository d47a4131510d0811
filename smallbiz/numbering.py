"""Gapless document numbers per prefix and year: JE-2026-0001, INV-2026-0001, ...

The counter is incremented inside the caller's transaction, so a rolled-back operation
never consumes a number and a committed one never shares it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import Field, Session, SQLModel


class NumberSequence(SQLModel, table=True):
    __tablename__ = "number_sequence"

    prefix: str = Field(primary_key=True, max_length=8)
    year: int = Field(primary_key=True)
    last: int = Field(default=0)


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}-{year}-{seq:04d}"


def next_number(s: Session, prefix: str, on: dt.date) -> tuple[str, int]:
    """Take the next number for `prefix` in the year of `on`; returns (number, seq)."""
    year = on.year
    s.execute(text("INSERT INTO number_sequence (prefix, year, last) VALUES (:p, :y, 0) "
                   "ON CONFLICT (prefix, year) DO NOTHING"), {"p": prefix, "y": year})
    seq = s.execute(text("UPDATE number_sequence SET last = last + 1 "
                         "WHERE prefix = :p AND year = :y RETURNING last"),
                    {"p": prefix, "y": year}).scalar_one()
    return format_number(prefix, year, seq), seq


def reserve_block(s: Session, prefix: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers (bulk import); returns the first seq."""
    s.execute(text("INSERT INTO number_sequence (prefix, year, last) VALUES (:p, :y, 0) "
                   "ON CONFLICT (prefix, year) DO NOTHING"), {"p": prefix, "y": year})
    last = s.execute(text("UPDATE number_sequence SET last = last + :n "
                          "WHERE prefix = :p AND year = :y RETURNING last"),
                     {"p": prefix, "y": year, "n": count}).scalar_one()
    return int(last) - count + 1
