"""Invariants of the books, each returning one line per problem found."""

from __future__ import annotations

from smallbiz.books import reports
from smallbiz.books.fx import check_foreign_postings
from smallbiz.books.seal import verify_seals
from smallbiz.money import format_amount, from_minor
from smallbiz.sql import Tx


def entries_balance(s: Tx) -> list[str]:
    rows = s.execute(
        "SELECT e.number, SUM(p.amount) FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
        "GROUP BY e.id, e.number HAVING SUM(p.amount) <> 0").all()
    digits = s.money_digits
    return [f"entry {n} does not balance (off by {format_amount(from_minor(d, digits), digits)})"
            for n, d in rows]


def entries_have_two_postings(s: Tx) -> list[str]:
    rows = s.execute(
        "SELECT e.number, COUNT(p.id) FROM journal_entry e LEFT JOIN posting p "
        "ON p.entry_id = e.id GROUP BY e.id, e.number HAVING COUNT(p.id) < 2").all()
    return [f"entry {n} has {c} posting(s); at least two are required" for n, c in rows]


def posting_dates_match_entries(s: Tx) -> list[str]:
    rows = s.execute(
        "SELECT e.number FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
        "WHERE p.date <> e.date GROUP BY e.number").all()
    return [f"entry {n}: a posting's date differs from the entry's" for (n,) in rows]


def trial_balance_zero(s: Tx) -> list[str]:
    total = s.execute("SELECT COALESCE(SUM(amount), 0) FROM posting").scalar()
    if int(total) != 0:
        digits = s.money_digits
        return [f"trial balance does not sum to zero (off by "
                f"{format_amount(from_minor(total, digits), digits)})"]
    return []


def period_totals_match(s: Tx) -> list[str]:
    """account_period must equal the postings it summarises, per account and month."""
    rows = s.execute(
        "SELECT a.code, t.period, t.kept, t.actual FROM ("
        " SELECT COALESCE(k.account_id, p.account_id) AS account_id,"
        "        COALESCE(k.period, p.period) AS period,"
        "        COALESCE(k.amount, 0) AS kept, COALESCE(p.amount, 0) AS actual"
        " FROM account_period k FULL OUTER JOIN ("
        "   SELECT account_id, substr(CAST(date AS TEXT), 1, 7) AS period, SUM(amount) AS amount"
        "   FROM posting GROUP BY account_id, substr(CAST(date AS TEXT), 1, 7)) p"
        " ON p.account_id = k.account_id AND p.period = k.period) t"
        " JOIN account a ON a.id = t.account_id WHERE t.kept <> t.actual").all()
    return [f"account {code} {period}: kept total {kept} differs from postings {actual}"
            for code, period, kept, actual in rows]


def balance_sheet_balances(s: Tx) -> list[str]:
    bs = reports.balance_sheet(s)
    if not bs.balanced:
        return [f"balance sheet does not balance: assets {bs.total_assets} vs liabilities "
                f"{bs.total_liabilities} + equity {bs.total_equity}"]
    return []


def journal_numbers_gapless(s: Tx) -> list[str]:
    problems = []
    rows = s.execute(
        "SELECT year, COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM journal_entry "
        "GROUP BY year").all()
    sequences = dict(s.execute(
        "SELECT year, last FROM number_sequence WHERE prefix = 'JE'").all())
    for year, count, low, high, distinct in rows:
        if low != 1 or high != count or distinct != count:
            problems.append(f"journal numbers for {year} are not gapless "
                            f"({count} entries, numbers {low}..{high})")
        if sequences.get(year, 0) != high:
            problems.append(f"journal number counter for {year} is {sequences.get(year, 0)}, "
                            f"last entry is {high}")
    return problems


CHECKS = [verify_seals, entries_balance, entries_have_two_postings, posting_dates_match_entries,
          trial_balance_zero, period_totals_match, balance_sheet_balances,
          journal_numbers_gapless, check_foreign_postings]
