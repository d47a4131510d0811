"""Invariants of the books, each returning one line per problem found."""

from __future__ import annotations

from smallbiz.books import reports
from smallbiz.books.fx import check_foreign_postings
from smallbiz.books.seal import verify_seals_and_entries
from smallbiz.money import format_amount, from_minor
from smallbiz.sql import Tx


def entries_well_formed(s: Tx) -> list[str]:
    """Each entry balances, has at least two postings, all on the entry's date: one pass
    over the journal (one aggregate per entry)."""
    unbalanced, short, dated = [], [], []
    digits = s.money_digits
    for n, total, count, off_date in s.execute(
            "SELECT e.number, SUM(p.amount), COUNT(p.id), "
            "SUM(CASE WHEN p.date <> e.date THEN 1 ELSE 0 END) "
            "FROM journal_entry e LEFT JOIN posting p ON p.entry_id = e.id GROUP BY e.id "
            "HAVING SUM(p.amount) <> 0 OR COUNT(p.id) < 2 "
            "OR SUM(CASE WHEN p.date <> e.date THEN 1 ELSE 0 END) > 0"):
        if total is not None and int(total) != 0:
            unbalanced.append(f"entry {n} does not balance (off by "
                              f"{format_amount(from_minor(total, digits), digits)})")
        if count < 2:
            short.append(f"entry {n} has {count} posting(s); at least two are required")
        if off_date:
            dated.append(n)
    return unbalanced + short + [f"entry {n}: a posting's date differs from the entry's"
                                 for n in sorted(dated)]


def seals_and_entries(s: Tx) -> list[str]:
    """The seal chain (`smallbiz.books.seal.verify_seals`), then `entries_well_formed`,
    from one pass over the journal: the entries' own query runs only when that pass found
    one that is not well formed (or could not finish)."""
    problems, flagged = verify_seals_and_entries(s)
    return problems + (entries_well_formed(s) if flagged else [])


def trial_balance_zero(s: Tx) -> list[str]:
    total = s.execute("SELECT COALESCE(SUM(amount), 0) FROM posting").scalar()
    if int(total) != 0:
        digits = s.money_digits
        return [f"trial balance does not sum to zero (off by "
                f"{format_amount(from_minor(total, digits), digits)})"]
    return []


#: Per kept month (a `YYYY-MM` text), its postings' sum and count, read as one range of
#: the (account, date) index: the dates that start with the month are those from it to
#: the same text with its last character one higher (`2026-07` to `2026-08`).
_KEPT_RANGES = (
    "SELECT COUNT(*), SUM(CASE WHEN kept <> actual THEN 1 ELSE 0 END), SUM(n) FROM ("
    " SELECT COALESCE(k.amount, 0) AS kept,"
    "  (SELECT COALESCE(SUM(p.amount), 0) FROM posting p WHERE p.account_id = k.account_id"
    "   AND p.date >= k.period AND p.date < {upper}) AS actual,"
    "  (SELECT COUNT(*) FROM posting p WHERE p.account_id = k.account_id"
    "   AND p.date >= k.period AND p.date < {upper}) AS n"
    " FROM account_period k"
    " WHERE typeof(k.period) = 'text' AND k.period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]')"
).format(upper="substr(k.period, 1, 6) || char(unicode(substr(k.period, 7)) + 1)")


def _kept_totals_hold(s: Tx) -> bool:
    """True when every kept month equals its postings and every posting is in a kept
    month (SQLite): the months' ranges of the index instead of a GROUP BY over every
    posting. False (or any month not a `YYYY-MM` text) sends `period_totals_match` to
    the full comparison, which names the months."""
    if s.dialect != "sqlite":
        return False
    months, differ, covered = s.first(_KEPT_RANGES) or (0, 0, 0)
    if differ or months != s.scalar("SELECT COUNT(*) FROM account_period"):
        return False
    return int(covered or 0) == int(s.scalar("SELECT COUNT(*) FROM posting"))


def period_totals_match(s: Tx) -> list[str]:
    """account_period must equal the postings it summarises, per account and month."""
    if _kept_totals_hold(s):
        return []
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


def kept_currency_postings(s: Tx) -> list[str]:
    """Every posting to an account kept in another currency carries that currency's
    foreign amount and rate (the rule the posting writer enforces)."""
    return [f"entry {number}: a posting to {code}, kept in {kept}, "
            + (f"is in {currency}" if currency else "has no foreign amount")
            for number, code, kept, currency in s.execute(
                "SELECT e.number, a.code, a.currency, p.currency FROM posting p "
                "JOIN account a ON a.id = p.account_id "
                "JOIN journal_entry e ON e.id = p.entry_id WHERE a.currency IS NOT NULL "
                "AND (p.currency IS NULL OR p.currency <> a.currency OR p.amount_fx IS NULL "
                "OR p.rate IS NULL) ORDER BY p.id")]


CHECKS = [seals_and_entries, trial_balance_zero, period_totals_match,
          balance_sheet_balances, journal_numbers_gapless, check_foreign_postings,
          kept_currency_postings]
