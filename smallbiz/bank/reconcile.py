"""Reconciliation: the bank's closing balance against the book's balance of the account.

    difference = statement closing balance + lines outside it - unmatched lines - book balance

zero when every line the bank booked is in the book (matched) or known to be missing
(unmatched), and the book holds nothing the bank does not. A statement that states no
balance (a CSV without a balance column) claims none: its lines dated inside the period of
a statement that does state one are not in that balance, so they are added to it ("lines
outside it"); they stay lines of the account (listed, matched, counted as unmatched).
Reconciled as of a day after that statement's closing date, the lines dated after it up to
that day are not in its balance either ("lines after it"):

    difference = statement + lines outside it + lines after it - unmatched - book balance
An account kept in another currency is reconciled in it (its postings' foreign amounts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smallbiz.dates import as_date, today
from smallbiz.money import from_minor
from smallbiz.orders.payments import money_account
from smallbiz.sql import Tx


@dataclass(frozen=True)
class Reconciliation:
    account: str
    account_name: str
    as_of: dt.date
    statement_date: dt.date | None  # the closing date of the statement used
    statement_balance: Decimal | None  # None: no statement states a balance
    book_balance: Decimal  # in the account's currency (`currency`, None: the book's)
    unmatched: Decimal
    unmatched_lines: int
    difference: Decimal | None
    currency: str | None = None
    outside_lines: int = 0  # lines of statements without a balance, inside a stated period
    outside: Decimal = Decimal(0)  # their sum (ignored lines left out)
    later_lines: int = 0  # lines dated after the statement's closing date, up to as_of
    later: Decimal = Decimal(0)  # their sum (ignored lines left out)

    @property
    def reconciled(self) -> bool:
        return self.difference == 0


def latest_statement_date(s: Tx, account_id: int) -> dt.date | None:
    return as_date(s.scalar("SELECT MAX(closing_date) FROM bank_statement WHERE "
                            "account_id = :a AND closing_balance IS NOT NULL", {"a": account_id}))


def reconcile(s: Tx, account: str | None = None, as_of: dt.date | None = None
              ) -> Reconciliation:
    """The account's reconciliation as of `as_of` (default: the latest statement's closing
    date, else today): the closing balance of the latest statement up to then, the book
    balance then, and the unmatched lines dated up to then."""
    acc = money_account(s, account)
    digits = s.money_digits
    day = as_of or latest_statement_date(s, acc.id) or today()
    row = s.first("SELECT closing_date, closing_balance FROM bank_statement "
                  "WHERE account_id = :a AND closing_balance IS NOT NULL AND closing_date <= :d "
                  "ORDER BY closing_date DESC, id DESC LIMIT 1", {"a": acc.id, "d": day})
    # an account kept in another currency: its balance in that currency (the statement's)
    column = "amount" if acc.currency is None else "amount_fx"
    book = int(s.scalar(f"SELECT COALESCE(SUM({column}), 0) FROM posting "
                        "WHERE account_id = :a AND date <= :d", {"a": acc.id, "d": day}))
    count, open_sum = s.first("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM bank_line "
                              "WHERE account_id = :a AND status = 'unmatched' AND date <= :d",
                              {"a": acc.id, "d": day}) or (0, 0)
    outside_count, outside_sum = s.first(_OUTSIDE, {"a": acc.id, "d": day}) or (0, 0)
    later_count, later_sum = (s.first(_LATER, {"a": acc.id, "c": row[0], "d": day}) or (0, 0)
                              if row else (0, 0))
    statement = from_minor(row[1], digits) if row else None
    unmatched = from_minor(int(open_sum), digits)
    book_balance = from_minor(book, digits)
    outside = from_minor(int(outside_sum), digits)
    later = from_minor(int(later_sum), digits)
    difference = (statement + outside + later - unmatched - book_balance
                  if statement is not None else None)
    return Reconciliation(acc.code, acc.name, day, as_date(row[0]) if row else None,
                          statement, book_balance, unmatched, int(count), difference,
                          acc.currency, int(outside_count), outside, int(later_count), later)


#: The lines up to :d of the account's statements without a balance, dated inside the
#: period (first line to closing date) of one of its statements with a balance up to :d:
#: that balance does not hold them. Ignored lines are in neither the book nor the
#: unmatched sum, so they are left out here too.
_OUTSIDE = (
    "SELECT COUNT(*), COALESCE(SUM(l.amount), 0) FROM bank_line l"
    " JOIN bank_statement st ON st.id = l.statement_id"
    " WHERE l.account_id = :a AND l.date <= :d AND l.status <> 'ignored'"
    " AND st.closing_balance IS NULL AND EXISTS (SELECT 1 FROM bank_statement b"
    "  WHERE b.account_id = :a AND b.closing_balance IS NOT NULL AND b.closing_date <= :d"
    "  AND l.date >= COALESCE(b.start_date, b.closing_date) AND l.date <= b.closing_date)")


#: The account's lines dated after the closing date :c of the statement used, up to :d
#: (ignored ones left out): the bank booked them after that balance. None of them is in
#: `_OUTSIDE`, which only counts lines up to a stated closing date, and :c is the latest.
_LATER = ("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM bank_line WHERE account_id = :a"
          " AND date > :c AND date <= :d AND status <> 'ignored'")


def bank_accounts_with_lines(s: Tx) -> list[tuple[str, str, int]]:
    """(code, name, unmatched lines) of each account that has statement lines."""
    return [(str(c), str(n), int(u)) for c, n, u in s.execute(
        "SELECT a.code, a.name, SUM(CASE WHEN l.status = 'unmatched' THEN 1 ELSE 0 END) "
        "FROM bank_line l JOIN account a ON a.id = l.account_id "
        "GROUP BY a.code, a.name ORDER BY a.code")]
