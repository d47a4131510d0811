"""Per-account, per-month totals (`account_period`), kept in the posting transaction.

Reports over a million postings add up a few thousand of these rows instead. Every
posting transaction adds here (`books.posting.EntryWriter`).

Every write is checked first (`money.check_totals`): the totals it would leave must stay
within what one account can hold (`money.MAX_ACCOUNT_MINOR`), so no SQL sum of them can
overflow (SQLite would turn the sum into an inexact REAL). A write that would pass it is
refused before anything is added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from smallbiz.money import check_totals, too_large
from smallbiz.sql import Tx

_CHUNK = 500


def add_to_period_totals(s: Tx, rows: Iterable[tuple[int, str, int]]) -> None:
    """Add minor-unit amounts, (account id, period `YYYY-MM`, amount), to account_period
    (portable upsert: SQLite ≥ 3.24, PostgreSQL). Refuses (RuleViolation) amounts that
    would leave an account holding more than `money.MAX_ACCOUNT_MINOR`."""
    deltas: defaultdict[tuple[int, str], int] = defaultdict(int)
    for a, p, m in rows:
        deltas[int(a), p] += int(m)
    if not deltas:
        return
    _check(s, deltas)
    rows = [(a, p, m) for (a, p), m in deltas.items()]
    s.executemany("INSERT INTO account_period (account_id, period, amount) "
                    "VALUES (:a, :p, :m) ON CONFLICT (account_id, period) "
                    "DO UPDATE SET amount = account_period.amount + excluded.amount",
                 [{"a": a, "p": p, "m": m} for a, p, m in rows])


def _check(s: Tx, deltas: dict[tuple[int, str], int]) -> None:
    """The totals after adding `deltas`, checked before anything is written."""
    accounts = sorted({a for a, _p in deltas})
    periods = sorted({p for _a, p in deltas})
    held: dict[int, int] = defaultdict(int)  # account -> the sizes of its totals, added up
    old: dict[tuple[int, str], int] = {}
    for i in range(0, len(accounts), _CHUNK):
        ids = ", ".join(str(int(a)) for a in accounts[i:i + _CHUNK])  # ints: safe literals
        if len(periods) == 1 and _is_period(periods[0]):  # a posted entry: one query
            p = periods[0]
            for a, size, amount in s.execute("SELECT account_id, SUM(ABS(amount)), "
                       f"SUM(CASE WHEN period = '{p}' THEN amount END) FROM account_period "
                       f"WHERE account_id IN ({ids}) GROUP BY account_id"):
                held[a] = int(size or 0)
                if amount is not None:
                    old[a, p] = int(amount)
            continue
        for a, size in s.execute("SELECT account_id, SUM(ABS(amount)) FROM account_period "
                                  f"WHERE account_id IN ({ids}) GROUP BY account_id"):
            held[a] = int(size or 0)
        query = ("SELECT account_id, period, amount FROM account_period "
                 f"WHERE account_id IN ({ids})")
        if len(periods) <= _CHUNK and all(map(_is_period, periods)):  # safe literals too
            query += " AND period IN (" + ", ".join(f"'{p}'" for p in periods) + ")"
        for a, p, amount in s.execute(query):
            if (a, p) in deltas:
                old[a, p] = int(amount)
    for (a, p), delta in deltas.items():
        before = old.get((a, p), 0)
        held[a] += abs(before + delta) - abs(before)
    for (a, p), delta in sorted(deltas.items()):
        total = old.get((a, p), 0) + delta
        if too_large(total, held[a]):
            row = s.execute("SELECT code, name FROM account WHERE id = :a", {"a": a}).fetchone()
            check_totals(total, held[a], account=f"{row[0]} {row[1]}" if row else str(a),
                         period=p, digits=s.money_digits)


def _is_period(p: str) -> bool:
    return len(p) == 7 and p[:4].isdigit() and p[4] == "-" and p[5:].isdigit()
