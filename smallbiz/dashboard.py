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
    followups_today: int | None = None
    sales_by_month: list[MonthSales] = field(default_factory=list)


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
        followups_today=_optional(_followups_today, s, today),
        sales_by_month=sales_by_month(s, today),
    )


# -- figures from other packages' services ------------------------------------------------
# Each imports its service inside, so a missing package makes the figure None.

def _receivable_overdue(s: Any, today: dt.date) -> tuple[Decimal, int] | None:
    from smallbiz.orders import service as orders  # noqa: F401

    return None


def _low_stock(s: Any) -> list[str] | None:
    from smallbiz.stock import service as stock  # noqa: F401

    return None


def _weighted_pipeline(s: Any) -> Decimal | None:
    from smallbiz.crm import deals  # noqa: F401

    return None


def _followups_today(s: Any, today: dt.date) -> int | None:
    from smallbiz.crm import interactions  # noqa: F401

    return None
