"""Trial balance, profit & loss, balance sheet and account ledger, computed in SQL.

Balances over whole months come from `account_period` (kept in the posting
transaction); only the partial months at the edges of a range read `posting`, account by
account through the ledger index (account_id, date, id, amount), which covers the sum. So
a report costs the same on a thousand postings or a million. Amounts are debit-positive
throughout.

Every function takes a `Database.read()` snapshot, a Core connection or a Session: the
SQL is plain text run through `smallbiz.db.run_sql`, so the report commands need neither
the ORM nor, on a SQLite file, SQLAlchemy at all (that is most of their start-up time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from smallbiz.books.accounts import resolve_account
from smallbiz.dates import month_start, next_month, year_start
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor, to_minor
from smallbiz.sql import Tx

#: One index range per account (the ledger index has no date-first twin to scan).
_POSTINGS_BETWEEN = (
    "SELECT a.id, (SELECT SUM(p.amount) FROM posting p WHERE p.account_id = a.id "
    "AND p.date >= :d1 AND p.date <= :d2) FROM account a")
_PERIODS_BETWEEN = (
    "SELECT account_id, SUM(amount) FROM account_period WHERE period >= :p1 AND period < :p2 "
    "GROUP BY account_id")


def _period(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def account_balance(s: Tx, account_id: int) -> Decimal:
    """One account's balance over every posting (debit positive), from its monthly
    totals."""
    minor = s.scalar("SELECT COALESCE(SUM(amount), 0) FROM account_period "
                     "WHERE account_id = :a", {"a": account_id})
    return from_minor(int(minor or 0), s.money_digits)


def balances_minor(s: Tx, start: dt.date | None, end: dt.date) -> dict[int, int]:
    """Per-account sums (minor units) of postings dated in [start, end] (start None: ever)."""
    totals: dict[int, int] = defaultdict(int)

    def add_postings(d1: dt.date, d2: dt.date) -> None:
        for account_id, amount in s.execute(_POSTINGS_BETWEEN, {"d1": d1, "d2": d2}):
            if amount is not None:  # NULL: no posting of that account in the range
                totals[account_id] += int(amount)

    if start is not None and start > end:
        return {}
    # whole months inside [start, end] come from account_period
    if start is None:
        first_full = dt.date(1, 1, 1)
    else:
        first_full = start if start.day == 1 else next_month(start)
    end_is_month_end = next_month(end) - dt.timedelta(days=1) == end
    after_full = next_month(end) if end_is_month_end else month_start(end)
    if first_full >= after_full:  # no whole month: read the postings
        add_postings(start or dt.date(1, 1, 1), end)
        return dict(totals)
    for account_id, amount in s.execute(
            _PERIODS_BETWEEN, {"p1": _period(first_full), "p2": _period(after_full)}):
        totals[account_id] += int(amount or 0)
    if start is not None and start < first_full:
        add_postings(start, first_full - dt.timedelta(days=1))
    if after_full <= end:
        add_postings(after_full, end)
    return dict(totals)


@dataclass(frozen=True)
class AccountRow:
    code: str
    name: str
    type: str
    balance: Decimal  # debit positive
    #: An account kept in another currency: its currency and its balance in it.
    currency: str | None = None
    balance_fx: Decimal | None = None


@dataclass(frozen=True)
class ForeignBalance:
    """An account kept in another currency (a foreign bank or cash account) at the end of
    a day: its balance in that currency and in the book's."""

    id: int
    code: str
    name: str
    currency: str
    balance_fx: Decimal
    balance: Decimal


def foreign_balances(s: Tx, as_of: dt.date, account_id: int | None = None
                     ) -> list[ForeignBalance]:
    """Every account kept in another currency (or the one `account_id`), by code, with its
    foreign and book balances over the postings dated up to `as_of` (read from the
    postings, through the ledger index: such accounts are few)."""
    digits = s.money_digits
    where, params = ("", {"d": as_of}) if account_id is None else (
        "AND a.id = :a ", {"d": as_of, "a": account_id})
    return [ForeignBalance(int(i), str(code), str(name), str(currency),
                           from_minor(int(fx), digits), from_minor(int(book), digits))
            for i, code, name, currency, fx, book in s.all(
                "SELECT a.id, a.code, a.name, a.currency, "
                "COALESCE(SUM(p.amount_fx), 0), COALESCE(SUM(p.amount), 0) FROM account a "
                "LEFT JOIN posting p ON p.account_id = a.id AND p.date <= :d "
                "WHERE a.currency IS NOT NULL " + where +
                "GROUP BY a.id, a.code, a.name, a.currency ORDER BY a.code", params)]


def _accounts(s: Tx) -> dict[int, tuple[str, str, str, str | None]]:
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in
            s.execute("SELECT id, code, name, type, role FROM account")}


def _rows(s: Tx, totals: dict[int, int], types: tuple[str, ...] | None = None,
          include_zero: bool = False) -> list[AccountRow]:
    digits = s.money_digits
    accounts = _accounts(s)
    out = []
    for acc_id, (code, name, type_, _role) in accounts.items():
        if types is not None and type_ not in types:
            continue
        amount = totals.get(acc_id, 0)
        if amount == 0 and not include_zero:
            continue
        out.append(AccountRow(code, name, type_, from_minor(amount, digits)))
    out.sort(key=lambda r: r.code)
    return out


@dataclass(frozen=True)
class TrialBalance:
    as_of: dt.date
    rows: list[AccountRow]
    total_debit: Decimal
    total_credit: Decimal  # positive

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit


def trial_balance(s: Tx, as_of: dt.date | None = None) -> TrialBalance:
    """Every account's balance at the end of `as_of` in the book's currency; an account
    kept in another currency also has its balance in it (`AccountRow.balance_fx`)."""
    as_of = as_of or dt.date.today()
    rows = _rows(s, balances_minor(s, None, as_of))
    foreign = {f.code: f for f in foreign_balances(s, as_of)}
    if foreign:
        rows = [replace(r, currency=f.currency, balance_fx=f.balance_fx)
                if (f := foreign.get(r.code)) is not None else r for r in rows]
    debit = sum((r.balance for r in rows if r.balance > 0), Decimal(0))
    credit = -sum((r.balance for r in rows if r.balance < 0), Decimal(0))
    digits = s.money_digits
    return TrialBalance(as_of, rows, debit + from_minor(0, digits), credit + from_minor(0, digits))


@dataclass(frozen=True)
class ProfitAndLoss:
    start: dt.date
    end: dt.date
    income: list[AccountRow]
    expenses: list[AccountRow]
    total_income: Decimal  # positive when the firm earned
    total_expenses: Decimal  # positive when the firm spent
    net_income: Decimal


def profit_and_loss(s: Tx, start: dt.date | None = None,
                    end: dt.date | None = None) -> ProfitAndLoss:
    end = end or dt.date.today()
    start = start or year_start(end)
    if start > end:
        raise ValidationError(_("--from {a} is after --to {b}").format(
            a=start.isoformat(), b=end.isoformat()), field="from")
    totals = balances_minor(s, start, end)
    income = _rows(s, totals, ("income",))
    expenses = _rows(s, totals, ("expense",))
    digits = s.money_digits
    ti = -sum((r.balance for r in income), from_minor(0, digits))
    te = sum((r.balance for r in expenses), from_minor(0, digits))
    return ProfitAndLoss(start, end, income, expenses, ti, te, ti - te)


@dataclass(frozen=True)
class BalanceSheet:
    as_of: dt.date
    assets: list[AccountRow]
    liabilities: list[AccountRow]
    equity: list[AccountRow]  # includes the synthetic earnings rows (code "")
    total_assets: Decimal  # debit balance
    total_liabilities: Decimal  # credit balance, shown positive
    total_equity: Decimal  # credit balance, shown positive

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity


def balance_sheet(s: Tx, as_of: dt.date | None = None) -> BalanceSheet:
    """Assets = liabilities + equity, where equity includes the earnings not yet closed:
    prior years' (before 1 January of `as_of`'s year) and the current period's."""
    as_of = as_of or dt.date.today()
    digits = s.money_digits
    totals = balances_minor(s, None, as_of)
    fy_start = year_start(as_of)
    current = balances_minor(s, fy_start, as_of)
    accounts = _accounts(s)
    pl_types = ("income", "expense")
    total_pl = sum(v for k, v in totals.items() if accounts[k][2] in pl_types)
    current_pl = sum(v for k, v in current.items() if accounts[k][2] in pl_types)
    prior_pl = total_pl - current_pl
    assets = _rows(s, totals, ("asset",))
    liabilities = _rows(s, totals, ("liability",))
    equity = _rows(s, totals, ("equity",))
    if prior_pl:
        equity.append(AccountRow("", _("Earnings of prior years"), "equity",
                                 from_minor(prior_pl, digits)))
    equity.append(AccountRow("", _("Current-period earnings"), "equity",
                             from_minor(current_pl, digits)))
    zero = from_minor(0, digits)
    return BalanceSheet(
        as_of, assets, liabilities, equity,
        sum((r.balance for r in assets), zero),
        -sum((r.balance for r in liabilities), zero),
        -sum((r.balance for r in equity), zero))


@dataclass(frozen=True)
class LedgerLine:
    date: dt.date
    number: str
    memo: str
    amount: Decimal
    balance: Decimal
    contact_id: int | None
    #: An account kept in another currency: the posting's amount and the running balance
    #: in it.
    amount_fx: Decimal | None = None
    balance_fx: Decimal | None = None


@dataclass(frozen=True)
class Ledger:
    code: str
    name: str
    type: str
    start: dt.date | None
    end: dt.date
    opening: Decimal
    closing: Decimal
    lines: list[LedgerLine] = field(default_factory=list)
    #: An account kept in another currency: it, and the opening and closing in it.
    currency: str | None = None
    opening_fx: Decimal | None = None
    closing_fx: Decimal | None = None


def account_ledger(s: Tx, account: str, start: dt.date | None = None,
                   end: dt.date | None = None) -> Ledger:
    """Postings of one account in [start, end] with the running balance (debit positive);
    an account kept in another currency in both currencies."""
    end = end or dt.date.today()
    acc = resolve_account(s, account)
    digits = s.money_digits
    opening = opening_fx = 0
    if start is not None:
        opening = balances_minor(s, None, start - dt.timedelta(days=1)).get(acc.id, 0)
        if acc.currency is not None:
            opening_fx = to_minor(foreign_balances(s, start - dt.timedelta(days=1),
                                                   acc.id)[0].balance_fx, digits)
    q = ("SELECT p.date, e.number, COALESCE(NULLIF(p.memo, ''), e.memo), p.amount, "
         "p.contact_id, p.amount_fx FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
         "WHERE p.account_id = :acc AND p.date >= :d1 AND p.date <= :d2 ORDER BY p.date, p.id")
    running, running_fx = opening, opening_fx
    kept = acc.currency is not None
    lines = []
    for d, number, memo, amount, contact_id, amount_fx in s.execute(
            q, {"acc": acc.id, "d1": start or dt.date(1, 1, 1), "d2": end}):
        running += int(amount)
        running_fx += int(amount_fx or 0)
        lines.append(LedgerLine(d if isinstance(d, dt.date) else dt.date.fromisoformat(d),
                                number, memo, from_minor(amount, digits),
                                from_minor(running, digits), contact_id,
                                from_minor(amount_fx or 0, digits) if kept else None,
                                from_minor(running_fx, digits) if kept else None))
    return Ledger(acc.code, acc.name, acc.type, start, end, from_minor(opening, digits),
                  from_minor(running, digits), lines, acc.currency,
                  from_minor(opening_fx, digits) if kept else None,
                  from_minor(running_fx, digits) if kept else None)
