"""The dashboard: the exact picture of the firm at a given moment, in one read snapshot.

Balances come from the books (`books.reports.balances_minor`, which reads the monthly
account totals); figures owned by other packages (overdue invoices, low stock, pipeline,
follow-ups) come from their services. A figure whose service is not installed is None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz.dates import month_start, next_month
from smallbiz.db_util import money_digits
from smallbiz.money import from_minor


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


def _role_ids(s: Any) -> dict[str, int]:
    from sqlalchemy import text

    return {role: acc_id for acc_id, role in s.execute(
        text("SELECT id, role FROM account WHERE role IS NOT NULL"))}


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = month_start(today)
    months = [first]
    for _i in range(count - 1):
        first = month_start(first - dt.timedelta(days=1))
        months.append(first)
    return list(reversed(months))


def sales_by_month(s: Any, today: dt.date, months: int = 12) -> list[MonthSales]:
    """Net sales (sales + services income accounts) per month, the last `months` months."""
    from smallbiz.books.reports import balances_minor

    roles = _role_ids(s)
    ids = [roles[r] for r in ("sales", "services") if r in roles]
    digits = money_digits(s)
    out = []
    for start in _months_back(today, months):
        end = min(next_month(start) - dt.timedelta(days=1), today)
        totals = balances_minor(s, start, end)
        out.append(MonthSales(f"{start.year:04d}-{start.month:02d}",
                              from_minor(-sum(totals.get(i, 0) for i in ids), digits)))
    return out


def _optional(fn: Any, *args: Any) -> Any:
    """Call a figure from another package; None when that package is not installed."""
    try:
        return fn(*args)
    except ImportError:
        return None


def dashboard(s: Any, today: dt.date) -> Dashboard:
    """Every dashboard figure as of the end of `today`."""
    from smallbiz import settings
    from smallbiz.books.reports import balances_minor

    digits = money_digits(s)
    book = settings.load(s)
    balances = balances_minor(s, None, today)
    roles = _role_ids(s)

    def balance(*names: str) -> Decimal:
        return from_minor(sum(balances.get(roles[n], 0) for n in names if n in roles), digits)

    overdue = _optional(_receivable_overdue, s, today)
    followups = _optional(_followups, s, today)
    return Dashboard(
        today=today,
        company=book.company_name,
        currency=book.currency,
        cash_and_bank=balance("cash", "bank"),
        receivable=balance("receivable"),
        payable=-balance("payable"),
        stock_value=balance("inventory"),
        receivable_overdue=overdue[0] if overdue else None,
        overdue_invoices=overdue[1] if overdue else None,
        low_stock=_optional(_low_stock, s),
        weighted_pipeline=_optional(_weighted_pipeline, s),
        followups_today=followups[0] if followups else None,
        sales_by_month=sales_by_month(s, today),
        worst_overdue=overdue[2] if overdue else [],
        next_followups=followups[1] if followups else [],
    )


# -- figures from other packages' services ------------------------------------------------
# Each imports its service inside, so a missing package makes the figure None.

def _receivable_overdue(s: Any, today: dt.date) -> tuple[Decimal, int, list[OverdueInvoice]]:
    """Open invoices past their due date: the amount, how many, and the worst few.
    (The orders' list of overdue invoices, summed: an aging report over every invoice
    ever issued cost a second on a big book; this reads only the overdue ones.)"""
    from smallbiz.orders.invoices import list_invoices

    overdue = list_invoices(s, kind="invoice", overdue_only=True, as_of=today)
    worst = sorted(overdue, key=lambda r: (-r.days_overdue, r.number))[:TOP]
    total = sum((r.balance_due for r in overdue), from_minor(0, money_digits(s)))
    return (total, len(overdue),
            [OverdueInvoice(r.number, r.contact, r.balance_due, r.days_overdue) for r in worst])


def _low_stock(s: Any) -> list[str]:
    from smallbiz.stock.service import stock_report

    return [r.sku for r in stock_report(s, low_only=True)]


def _weighted_pipeline(s: Any) -> Decimal:
    from smallbiz.crm.deals import forecast

    return forecast(s).weighted_value


def _followups(s: Any, today: dt.date) -> tuple[int, list[FollowUp]]:
    from smallbiz.crm.interactions import due_follow_ups

    due = due_follow_ups(s, today)
    return len(due), [FollowUp(i.id, i.contact, i.summary, i.follow_up or today)
                      for i in due[:TOP]]
