"""The dashboard: the exact picture of the firm at a given moment, in one read snapshot.

Balances come from the books (`books.reports.balances_minor`, which reads the monthly
account totals); figures owned by other packages (overdue invoices, low stock, pipeline,
follow-ups) come from their services. A figure whose service is not installed is None.

Everything here is plain SQL through `smallbiz.db.run_sql`, so the dashboard runs on a
`Database.reader()` snapshot: the app's first screen needs no ORM (importing SQLAlchemy
and the models took 0.5 s of a 1 s start on a big book). The pipeline and the follow-ups
are read from the CRM's tables with the CRM's own rules (`crm.pipeline`), because its
services (`crm.deals.forecast`, `crm.interactions.due_follow_ups`) are built on the ORM;
tests/orders/test_dashboard.py proves the figures equal those services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz.crm.pipeline import DUE_FOLLOW_UPS, OPEN_SQL, WEIGHTED_MINOR
from smallbiz.dates import as_date, month_start, next_month
from smallbiz.db import run_sql
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
    return {role: acc_id for acc_id, role in run_sql(
        s, "SELECT id, role FROM account WHERE role IS NOT NULL")}


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
    """Every dashboard figure as of the end of `today` (`s`: a `Database.reader()`
    snapshot, a Core connection or a Session)."""
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
    """Open invoices past their due date: the amount, how many, and the worst few. One
    aggregate over the (kind, status, due_date) index and the few worst rows (building a
    row for every overdue invoice took 0.4-0.9 s on a book with 11k of them)."""
    from smallbiz.orders.lists import most_overdue
    from smallbiz.orders.reports import overdue

    total, count = overdue(s, today)
    return (total, count, [OverdueInvoice(r.number, r.contact, r.balance_due, r.days_overdue)
                           for r in most_overdue(s, today, TOP)])


def _low_stock(s: Any) -> list[str]:
    from smallbiz.stock.reports import stock_report

    return [r.sku for r in stock_report(s, low_only=True)]


def _weighted_pipeline(s: Any) -> Decimal:
    """Open deals' value × probability, rounded half-up per deal in minor units, summed
    (as `crm.deals.forecast(s).weighted_value`)."""
    (weighted,) = run_sql(s, f"SELECT COALESCE(SUM({WEIGHTED_MINOR}), 0) "
                             f"FROM deal WHERE stage IN {OPEN_SQL}").fetchone()
    return from_minor(weighted, money_digits(s))


def _followups(s: Any, today: dt.date) -> tuple[int, list[FollowUp]]:
    """Open follow-ups due today or earlier: how many, and the oldest few (as
    `crm.interactions.due_follow_ups(s, today)`)."""
    due = DUE_FOLLOW_UPS
    params = {"until": today}
    (count,) = run_sql(s, f"SELECT COUNT(*) FROM interaction i WHERE {due}", params).fetchone()
    first = run_sql(s, "SELECT i.id, c.name, i.summary, i.follow_up FROM interaction i "
                       f"JOIN contact c ON c.id = i.contact_id WHERE {due} "
                       f"ORDER BY i.follow_up, i.id LIMIT {TOP}", params)
    return int(count), [FollowUp(int(r[0]), r[1], r[2], as_date(r[3]) or today)
                        for r in first]
