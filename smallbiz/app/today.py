"""The Today queue: what needs doing now, across modules, in one list (the dashboard shows
it; each item is acted on where it stands and the queue is read again).

Each source is a function `(book, today) -> list[TodayItem]` in `TODAY_SOURCES`; a module
that has work to queue (unmatched bank lines, recurring invoices due, quotes expiring, a
VAT return due) adds its own source there — one line, and the dashboard shows its items.
An item names what it stands for (`kind`, `ref`) so the app knows where to act on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.app.book import Book


@dataclass(frozen=True)
class TodayItem:
    """One thing to do. `kind`: follow_up, invoice, bill, reorder (or a module's own);
    `ref`: what it is about (an interaction id, a document number, a SKU); `contact_id`
    when it is about a contact; `urgency`: days late (positive) or days left (negative),
    for the order of the queue."""

    kind: str
    title: str
    detail: str
    ref: Any
    urgency: int
    contact_id: int | None = None
    amount: Decimal | None = None


def follow_ups(book: Book, today: dt.date) -> list[TodayItem]:
    return [TodayItem("follow_up", _("Follow up {name}").format(name=i.contact), i.summary,
                      i.id, (today - i.follow_up).days if i.follow_up else 0,
                      contact_id=i.contact_id)
            for i in book.due_follow_ups(today)]


def overdue_invoices(book: Book, today: dt.date) -> list[TodayItem]:
    return [TodayItem("invoice", _("{n} overdue {d} days").format(n=r.number, d=r.days_overdue),
                      r.contact, r.number, r.days_overdue, amount=r.balance_due)
            for r in book.invoices("invoice", which="overdue", as_of=today)]


def bills_due(book: Book, today: dt.date, days: int = 7) -> list[TodayItem]:
    """Bills due within a week (and those already late)."""
    until = today + dt.timedelta(days=days)
    return [TodayItem("bill", _("{n} due {d}").format(n=r.number, d=r.due_date.isoformat()),
                      r.contact, r.number, (today - r.due_date).days, amount=r.balance_due)
            for r in book.invoices("bill", which="open") if r.due_date <= until]


def reorders(book: Book, today: dt.date) -> list[TodayItem]:
    return [TodayItem("reorder", _("Reorder {sku}").format(sku=p.sku),
                      _("{name}: {q} on hand, reorder at {r}").format(
                          name=p.name, q=_qty(p.on_hand), r=_qty(p.reorder_level)),
                      p.sku, 0)
            for p in book.products(low_only=True) if p.kind == "stock"]


def _qty(value: Decimal | None) -> str:
    from smallbiz.money import format_quantity

    return "" if value is None else format_quantity(value)


Source = Callable[["Book", dt.date], list[TodayItem]]

#: Where the queue's items come from (see the module's docstring to add one).
TODAY_SOURCES: Sequence[Source] = (follow_ups, overdue_invoices, bills_due, reorders)


class TodayActions:
    def today_queue(self, today: dt.date | None = None) -> list[TodayItem]:
        """Everything the sources queue for `today`, the most urgent first."""
        from smallbiz import dates

        day = today or dates.today()
        book: Book = self  # type: ignore[assignment]
        items = [item for source in TODAY_SOURCES for item in source(book, day)]
        return sorted(items, key=lambda i: -i.urgency)
