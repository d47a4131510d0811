"""The list of journal entries (`smallbiz.books.journal` re-exports it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smallbiz.dates import as_date
from smallbiz.db_util import keyset_after
from smallbiz.money import from_minor
from smallbiz.sql import Tx


@dataclass(frozen=True)
class EntryRow:
    id: int
    number: str
    date: dt.date
    memo: str
    source: str  # "reversal" on an entry that reverses another
    total: Decimal  # the sum of its debits


def list_entries(s: Tx, *, start: dt.date | None = None, end: dt.date | None = None,
                 account: str | None = None, limit: int | None = None,
                 after: tuple[dt.date, int] | None = None) -> list[EntryRow]:
    """Entries in date order (keyset paging with `after=(date, id)`), with their debit
    total. `account`: only entries with a posting to it (code, name or unique prefix)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if start is not None:
        where.append("e.date >= :start")
        params["start"] = start
    if end is not None:
        where.append("e.date <= :end")
        params["end"] = end
    if account is not None:
        from smallbiz.books.accounts import resolve_account

        where.append("e.id IN (SELECT entry_id FROM posting WHERE account_id = :acc)")
        params["acc"] = resolve_account(s, account).id
    keyset_after(where, params, "e", after)
    sql = ("SELECT e.id, e.number, e.date, e.memo, e.source, "
           "(SELECT SUM(amount) FROM posting p WHERE p.entry_id = e.id AND p.amount > 0) "
           f"FROM journal_entry e WHERE {' AND '.join(where) or '1 = 1'} ORDER BY e.date, e.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    digits = s.money_digits
    return [EntryRow(i, number, as_date(d), memo, source, from_minor(total, digits))
            for i, number, d, memo, source, total in s.execute(sql, params)]

