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

from smallbiz.i18n import _, ngettext

if TYPE_CHECKING:
    from smallbiz.app.book import Book
    from smallbiz.app.dashboard import VatDue


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


#: How many overdue invoices the queue lists (the most overdue first); one more item says
#: how many others there are and opens the list of them all (Invoices, overdue).
OVERDUE_INVOICES = 30


def overdue_invoices(book: Book, today: dt.date) -> list[TodayItem]:
    """The most overdue invoices, then "N more overdue invoices" (`kind` overdue_invoices)
    when there are more: a book with 11k of them built (and the dashboard drew) them all,
    ~2 s of the app's start on the 1M-entry book."""
    rows, count = book.most_overdue("invoice", as_of=today, limit=OVERDUE_INVOICES)
    items = [TodayItem("invoice", ngettext("{n} overdue {d} day", "{n} overdue {d} days",
                                           r.days_overdue).format(n=r.number,
                                                                  d=r.days_overdue),
                       r.contact, r.number, r.days_overdue, amount=r.balance_due)
             for r in rows]
    if count > len(rows):
        more = count - len(rows)
        items.append(TodayItem("overdue_invoices", ngettext(
            "{n} more overdue invoice", "{n} more overdue invoices", more).format(
                n=f"{more:,}"), _("enter lists them all"), None,
            rows[-1].days_overdue if rows else 0))
    return items


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


#: How many unmatched bank lines the queue lists (the oldest first; the Bank place has all).
BANK_LINES = 10
#: Days ahead the queue warns of a VAT return (due on the 15th: from the month's first day
#: on, once the month it declares has ended) or a quote's end.
VAT_WARN_DAYS = 15
QUOTE_WARN_DAYS = 7


def unmatched_bank_lines(book: Book, today: dt.date) -> list[TodayItem]:
    """The oldest unmatched statement lines (`ref`: (account code, line id))."""
    return [TodayItem("bank_line", _("Match bank line {i}").format(i=ln.id),
                      f"{ln.account} {ln.date.isoformat()} "
                      f"{ln.counterparty or ln.description}".strip(),
                      (ln.account, ln.id), (today - ln.date).days, amount=ln.amount)
            for ln in book.bank_lines(unmatched=True, limit=BANK_LINES)]


def recurring_due(book: Book, today: dt.date) -> list[TodayItem]:
    """Recurring invoices with an occurrence due and not issued (`ref`: the template)."""
    return [TodayItem("recurring",
                      _("Issue recurring invoice {name}").format(name=t.name or t.id),
                      _("{contact}: due {date}").format(contact=t.contact,
                                                       date=t.due[0].isoformat()),
                      t.id, (today - t.due[0]).days)
            for t in book.recurring(until=today) if t.due]


def vat_return_due(book: Book, today: dt.date) -> list[TodayItem]:
    """A VAT payer's next return, from `VAT_WARN_DAYS` before its due date (`ref`: the
    month it declares)."""
    due = book.vat_return_due(today)
    if due is None or due.days_left > VAT_WARN_DAYS:
        return []
    return [TodayItem("vat", _("VAT return {month} due {date}").format(
        month=due.month, date=due.due_date.isoformat()),
        _("payable") if due.payable >= 0 else _("refundable"), due.month, -due.days_left,
        amount=abs(due.payable))]


def quotes_expiring(book: Book, today: dt.date) -> list[TodayItem]:
    """Sent quotes whose validity ends within a week (or has ended: expire them)."""
    until = today + dt.timedelta(days=QUOTE_WARN_DAYS)
    return [TodayItem("quote", _("{n} valid until {d}").format(
        n=q.number, d=q.valid_until.isoformat()), q.contact, q.number,
        (today - q.valid_until).days, amount=q.gross)
            for q in book.quotes(status="sent")
            if q.valid_until is not None and q.valid_until <= until]


def _qty(value: Decimal | None) -> str:
    from smallbiz.money import format_quantity

    return "" if value is None else format_quantity(value)


Source = Callable[["Book", dt.date], list[TodayItem]]

#: Where the queue's items come from (see the module's docstring to add one).
TODAY_SOURCES: Sequence[Source] = (follow_ups, overdue_invoices, bills_due, reorders,
                                   unmatched_bank_lines, recurring_due, vat_return_due,
                                   quotes_expiring)


class TodayActions:
    def vat_return_due(self, today: dt.date | None = None) -> VatDue | None:
        """A VAT payer's next monthly return (the dashboard's reminder); None for a firm
        that is not one."""
        from smallbiz import dates
        from smallbiz.app.dashboard import vat_reminder

        book: Book = self  # type: ignore[assignment]
        with book.db.read() as s:
            return vat_reminder(s, today or dates.today())

    def today_queue(self, today: dt.date | None = None) -> list[TodayItem]:
        """Everything the sources queue for `today`, the most urgent first."""
        from smallbiz import dates

        day = today or dates.today()
        book: Book = self  # type: ignore[assignment]
        items = [item for source in TODAY_SOURCES for item in source(book, day)]
        return sorted(items, key=lambda i: -i.urgency)
