"""The dashboard: the exact picture of the firm at a given moment, in one read snapshot.

Balances come from the books (`books.reports.balances_minor`, which reads the monthly
account totals); figures owned by other packages (overdue invoices, low stock, pipeline,
follow-ups) come from their services: each rule exists once, in its package. The app
paints the figures first and reads the slow fields (`dashboard_later`) in a second
snapshot just after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz.crm.deals import pipeline_weighted_value
from smallbiz.crm.interactions import count_due_follow_ups, due_follow_ups
from smallbiz.dates import month_start, next_month
from smallbiz.money import from_minor
from smallbiz.sql import Tx


@dataclass(frozen=True)
class MonthSales:
    month: str  # YYYY-MM
    amount: Decimal  # net sales (income of the sales and services accounts)


@dataclass(frozen=True)
class OverdueInvoice:
    number: str
    contact: str
    balance_due: Decimal
    days_overdue: int


@dataclass(frozen=True)
class FollowUp:
    id: int
    contact: str
    summary: str
    due: dt.date


TOP = 6  # how many overdue invoices and follow-ups the dashboard lists

#: The VAT registration threshold (Georgian Tax Code: taxable supplies over any 12
#: months), and the share of it from which the dashboard warns.
VAT_THRESHOLD = Decimal(100_000)
VAT_WARN_FROM = Decimal("0.8")


@dataclass(frozen=True)
class VatDue:
    """The next monthly VAT return: which month, by when, what it says so far."""

    month: str  # YYYY-MM
    due_date: dt.date
    days_left: int
    payable: Decimal  # negative: refundable


@dataclass(frozen=True)
class VatThreshold:
    """A firm that is not a VAT payer, near the registration threshold."""

    turnover: Decimal  # taxable supplies of the last 12 months
    threshold: Decimal
    exceeded: bool


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    company: str
    currency: str
    cash_and_bank: Decimal
    receivable: Decimal
    payable: Decimal  # shown positive when the firm owes
    stock_value: Decimal
    receivable_overdue: Decimal | None = None
    overdue_invoices: int | None = None
    low_stock: list[str] | None = None  # SKUs below their reorder level
    weighted_pipeline: Decimal | None = None
    followups_today: int | None = None  # open follow-ups due today or earlier
    sales_by_month: list[MonthSales] = field(default_factory=list)
    worst_overdue: list[OverdueInvoice] = field(default_factory=list)
    next_followups: list[FollowUp] = field(default_factory=list)
    #: (account code, unmatched statement lines) of each account with statement lines
    bank_unmatched: list[tuple[str, int]] = field(default_factory=list)
    vat_due: VatDue | None = None  # VAT payers: the next return
    vat_threshold: VatThreshold | None = None  # non-payers at 80 % of the threshold or more
    recurring_due: int | None = None  # recurring invoices due and not issued yet
    reminders: list[CustomerReminder] = field(default_factory=list)  # most overdue first


@dataclass(frozen=True)
class CustomerReminder:
    contact: str
    invoices: int
    balance_due: Decimal
    days_overdue: int  # of the customer's most overdue invoice


def _role_ids(s: Tx) -> dict[str, int]:
    return {role: acc_id for acc_id, role in s.execute(
            "SELECT id, role FROM account WHERE role IS NOT NULL")}


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = month_start(today)
    months = [first]
    for _i in range(count - 1):
        first = month_start(first - dt.timedelta(days=1))
        months.append(first)
    return list(reversed(months))


def sales_by_month(s: Tx, today: dt.date, months: int = 12) -> list[MonthSales]:
    """Net sales (sales + services income accounts) per month, the last `months` months."""
    from smallbiz.books.reports import balances_minor

    roles = _role_ids(s)
    ids = [roles[r] for r in ("sales", "services") if r in roles]
    digits = s.money_digits
    out = []
    for start in _months_back(today, months):
        end = min(next_month(start) - dt.timedelta(days=1), today)
        totals = balances_minor(s, start, end)
        out.append(MonthSales(f"{start.year:04d}-{start.month:02d}",
                              from_minor(-sum(totals.get(i, 0) for i in ids), digits)))
    return out


def dashboard(s: Tx, today: dt.date, *, later: bool = True) -> Dashboard:
    """Every dashboard figure as of the end of `today`, in one read snapshot; without
    `later`, not the VAT reminder or threshold nor the customers to remind
    (`dashboard_later`: the slow ones, ~0.45 s of CPU on a 1M-entry book, which the app
    reads after painting the figures)."""
    from smallbiz import settings
    from smallbiz.books.reports import balances_minor

    digits = s.money_digits
    book = settings.load(s)
    balances = balances_minor(s, None, today)
    roles = _role_ids(s)

    def balance(*names: str) -> Decimal:
        return from_minor(sum(balances.get(roles[n], 0) for n in names if n in roles), digits)

    overdue = _receivable_overdue(s, today)
    followups = _followups(s, today)
    return Dashboard(
        today=today,
        company=book.company_name,
        currency=book.currency,
        cash_and_bank=balance("cash", "bank"),
        receivable=balance("receivable"),
        payable=-balance("payable"),
        stock_value=balance("inventory"),
        receivable_overdue=overdue[0],
        overdue_invoices=overdue[1],
        low_stock=_low_stock(s),
        weighted_pipeline=pipeline_weighted_value(s),
        followups_today=followups[0],
        sales_by_month=sales_by_month(s, today),
        worst_overdue=overdue[2],
        next_followups=followups[1],
        bank_unmatched=_bank_unmatched(s),
        recurring_due=_recurring_due(s, today),
        **(dashboard_later(s, today, book.currency) if later else {}),
    )


def dashboard_later(s: Tx, today: dt.date, currency: str) -> dict[str, Any]:
    """The dashboard's fields that take a scan of the year's documents: the VAT reminder
    (or the threshold warning) and the customers to remind."""
    return {**_vat(s, today, currency), "reminders": _reminders(s, today)}


def vat_reminder(s: Tx, today: dt.date) -> VatDue | None:
    """A VAT payer's next return: last month's until the 15th, this month's after; None
    for a firm that is not a VAT payer."""
    from smallbiz import settings
    from smallbiz.orders.vat_return import vat_return

    if settings.get_raw(s, "vat_payer") != "true":
        return None
    month = month_start(today)
    if today.day <= 15:
        month = month_start(month - dt.timedelta(days=1))
    r = vat_return(s, month)
    return VatDue(r.month, r.due_date, (r.due_date - today).days, r.net_vat)


def _vat(s: Tx, today: dt.date, currency: str) -> dict[str, object]:
    """The VAT reminder of a VAT payer (the return due on the 15th: last month's until
    then, this month's after), or the threshold warning of a firm that is not one."""
    from smallbiz import settings
    from smallbiz.orders.vat_return import taxable_turnover

    if settings.get_raw(s, "vat_payer") == "true":
        return {"vat_due": vat_reminder(s, today)}
    if currency != "GEL":
        return {}  # the threshold is in lari
    turnover = taxable_turnover(s, today)
    if turnover < VAT_THRESHOLD * VAT_WARN_FROM:
        return {}
    return {"vat_threshold": VatThreshold(turnover, VAT_THRESHOLD, turnover > VAT_THRESHOLD)}


# -- figures from the other packages' services --------------------------------------------

def _receivable_overdue(s: Tx, today: dt.date) -> tuple[Decimal, int, list[OverdueInvoice]]:
    """Open invoices past their due date: the amount, how many, and the worst few. One
    aggregate over the (kind, status, due_date) index and the few worst rows (building a
    row for every overdue invoice took 0.4-0.9 s on a book with 11k of them)."""
    from smallbiz.orders.lists import most_overdue
    from smallbiz.orders.reports import overdue

    total, count = overdue(s, today)
    return (total, count, [OverdueInvoice(r.number, r.contact, r.balance_due, r.days_overdue)
                           for r in most_overdue(s, today, TOP)])


def _bank_unmatched(s: Tx) -> list[tuple[str, int]]:
    from smallbiz.bank.reconcile import bank_accounts_with_lines

    return [(code, n) for code, _name, n in bank_accounts_with_lines(s)]


def _low_stock(s: Tx) -> list[str]:
    from smallbiz.stock.reports import stock_report

    return [r.sku for r in stock_report(s, low_only=True)]


def _followups(s: Tx, today: dt.date) -> tuple[int, list[FollowUp]]:
    """Open follow-ups due today or earlier: how many, and the oldest few."""
    return count_due_follow_ups(s, today), [
        FollowUp(i.id, i.contact, i.summary, i.follow_up or today)
        for i in due_follow_ups(s, today, limit=TOP)]


def _recurring_due(s: Tx, today: dt.date) -> int:
    from smallbiz.orders.recurring import due_count

    return due_count(s, today)


def _reminders(s: Tx, today: dt.date) -> list[CustomerReminder]:
    from smallbiz.orders.statements import reminders

    return [CustomerReminder(r.contact, len(r.invoices), r.total, r.days_overdue)
            for r in reminders(s, today, limit=TOP)]
