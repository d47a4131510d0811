"""Gapless document numbers per prefix and year: JE-2026-0001, INV-2026-0001, ...

The counter is incremented inside the caller's transaction, so a rolled-back operation
never consumes a number and a committed one never shares it (writers hold the book's
write lock, one after the other). The table's model is
`smallbiz.core_models.NumberSequence`.
"""

from __future__ import annotations

import datetime as dt

from smallbiz.sql import Tx

#: printf-style: `format_number`, and SQL's printf() where rows are numbered in bulk.
NUMBER_FORMAT = "%s-%d-%04d"


def format_number(prefix: str, year: int, seq: int) -> str:
    return NUMBER_FORMAT % (prefix, year, seq)


def next_number(s: Tx, prefix: str, on: dt.date) -> tuple[str, int]:
    """Take the next number for `prefix` in the year of `on`; returns (number, seq)."""
    seq = reserve_block(s, prefix, on.year, 1)
    return format_number(prefix, on.year, seq), seq


def reserve_block(s: Tx, prefix: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers (bulk import); returns the first seq."""
    s.execute("INSERT INTO number_sequence (prefix, year, last) VALUES (:p, :y, 0) "
               "ON CONFLICT (prefix, year) DO NOTHING", {"p": prefix, "y": year})
    rows = s.execute("UPDATE number_sequence SET last = last + :n "
                      "WHERE prefix = :p AND year = :y RETURNING last",
                   {"p": prefix, "y": year, "n": count}).fetchall()
    return int(rows[0][0]) - count + 1
