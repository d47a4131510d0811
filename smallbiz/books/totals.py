"""Per-account, per-month totals (`account_period`), kept in the posting transaction.

Reports over a million postings add up a few thousand of these rows instead. Plain SQL
(`run_sql_many`): posting in an ORM session and the plain-SQL journal import both add here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smallbiz.db import run_sql_many


def add_to_period_totals(s: Any, rows: Iterable[tuple[int, str, int]]) -> None:
    """Add minor-unit amounts, (account id, period `YYYY-MM`, amount), to account_period
    (portable upsert: SQLite ≥ 3.24, PostgreSQL)."""
    run_sql_many(s, "INSERT INTO account_period (account_id, period, amount) "
                    "VALUES (:a, :p, :m) ON CONFLICT (account_id, period) "
                    "DO UPDATE SET amount = account_period.amount + excluded.amount",
                 [{"a": a, "p": p, "m": m} for a, p, m in rows])
