"""Recurring invoices: a template (customer, lines, every N months on day D, from a start
to an optional end) that issues the same invoice when it falls due.

An occurrence falls on day D of every N-th month from the start's month (a shorter
month takes its last day), on or after the start and on or before the end. Issuing one
goes through the orders service, as a user would: a sales order of the template's lines
(notes name the template), confirmed and invoiced on the occurrence's day — so the
invoice is numbered, posted and audited by `invoice_order`, never by a copy of it. A
row in `recurring_issue` (unique per template and day) records it, in the same
transaction: running again, or in two processes at once (writers queue on the book's
write lock and then see the other's rows), issues nothing twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from smallbiz import audit, records
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now, today
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.orders.lines import LineInput
from smallbiz.orders.records import RecurringInvoice, RecurringIssue, RecurringLine
from smallbiz.orders.service import (  # build_lines: the one check of order lines
    build_lines,
    confirm_order,
    create_order,
    invoice_order,
)
from smallbiz.refs import as_id
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control


@dataclass(frozen=True)
class RecurringView:
    id: int
    name: str
    contact: str
    every_months: int
    day: int
    start: dt.date
    end: dt.date | None
    status: str
    lines: list[str]  # "SKU x QTY" as typed back
    issued: int  # occurrences issued so far
    last_issued: dt.date | None
    next_date: dt.date | None  # the first occurrence not issued yet (None: none left)
    due: list[dt.date] = field(default_factory=list)  # not issued, on or before `until`


@dataclass(frozen=True)
class IssuedInvoice:
    template: int
    name: str
    period: dt.date
    order: str
    invoice: str


@dataclass(frozen=True)
class RecurringRun:
    until: dt.date
    issued: list[IssuedInvoice]
    failed: list[tuple[str, str]]  # (template, why)


def occurrences(t: RecurringInvoice) -> Iterator[dt.date]:
    """Every occurrence of the template, in order (endless without an end date)."""
    k = 0
    while True:
        months = t.start_date.month - 1 + k * t.every_months
        year, month = t.start_date.year + months // 12, months % 12 + 1
        if year > 9998:
            return
        when = dt.date(year, month, min(t.day, calendar.monthrange(year, month)[1]))
        k += 1
        if when < t.start_date:
            continue
        if t.end_date is not None and when > t.end_date:
            return
        yield when


def _issued(s: Tx, template_id: int) -> set[dt.date]:
    return {r.period for r in records.load(s, RecurringIssue, "WHERE template_id = :t",
                                           {"t": template_id})}


def _due(t: RecurringInvoice, issued: set[dt.date], until: dt.date
         ) -> tuple[list[dt.date], dt.date | None]:
    """The occurrences not issued on or before `until`, and the first one not issued."""
    due, upcoming = [], None
    for when in occurrences(t):
        if when in issued:
            continue
        if when > until:
            upcoming = upcoming or when
            break
        due.append(when)
        upcoming = upcoming or when
    return (due if t.status == "active" else []), (upcoming if t.status == "active" else None)


def _lines(s: Tx, template_id: int) -> list[RecurringLine]:
    return records.load(s, RecurringLine, "WHERE template_id = :t ORDER BY position",
                        {"t": template_id})


def _view(s: Tx, t: RecurringInvoice, until: dt.date) -> RecurringView:
    issued = _issued(s, t.id)
    due, upcoming = _due(t, issued, until)
    contact = s.scalar("SELECT name FROM contact WHERE id = :i", {"i": t.contact_id})
    lines = []
    for ln in _lines(s, t.id):
        sku = s.scalar("SELECT sku FROM product WHERE id = :i", {"i": ln.product_id})
        lines.append(f"{sku}={ln.quantity.normalize():f}"
                     + (f"@{ln.unit_price.normalize():f}" if ln.unit_price is not None else ""))
    return RecurringView(t.id, t.name, contact or "", t.every_months, t.day, t.start_date,
                         t.end_date, t.status, lines, len(issued), max(issued, default=None),
                         upcoming, due)


def resolve_template(s: Tx, ref: str | int) -> RecurringInvoice:
    text = str(ref).strip()
    found = records.load(s, RecurringInvoice, "WHERE id = :i", {"i": as_id(text) or 0})
    if not found and text:
        found = records.load(s, RecurringInvoice, "WHERE lower(name) = :n AND name <> ''",
                             {"n": text.lower()})
    if len(found) != 1:
        raise NotFound(_("no recurring invoice matches '{ref}'").format(ref=text),
                       field="template")
    return found[0]


def add_template(s: Tx, contact: str | int, lines: list[LineInput], *, every: int,
                 day: int | None, start: dt.date, end: dt.date | None = None,
                 name: str = "") -> RecurringView:
    """Create a recurring invoice. Validates the customer (not archived), the lines as an
    order's (at least one; a known, not archived product; quantity > 0; price and
    discount: checked again when each invoice is issued), every 1..120 months, day 1..31
    (default: the start's day), end not before start. Writes the template, its lines and
    an audit row; issues nothing (`issue_due` does)."""
    refuse_control(name, "name")
    party = resolve_contact(s, contact, field=_("customer"), include_archived=False)
    if not 1 <= every <= 120:
        raise ValidationError(_("--every: {n} is not 1 to 120 months").format(n=every),
                              field="every")
    day = start.day if day is None else day
    if not 1 <= day <= 31:
        raise ValidationError(_("--day: {d} is not 1 to 31").format(d=day), field="day")
    if end is not None and end < start:
        raise ValidationError(_("--end {end} is before --start {start}").format(
            end=end.isoformat(), start=start.isoformat()), field="end")
    # the order's own line rules (known, not archived product, quantity, price, discount)
    built = build_lines(s, "sale", lines)
    rows = [(row["product_id"], line) for row, line in zip(built, lines, strict=True)]
    t = RecurringInvoice(name=name.strip(), contact_id=party.id, every_months=every, day=day,
                         start_date=start, end_date=end, status="active", created_at=now())
    records.insert(s, t)
    records.insert_many(s, [RecurringLine(template_id=t.id, position=i, product_id=pid,
                                          quantity=ln.quantity, unit_price=ln.unit_price,
                                          discount=ln.discount,
                                          description=(ln.description or "").strip())
                            for i, (pid, ln) in enumerate(rows, start=1)])
    audit.record(s, "create", "recurring", str(t.id),
                 f"recurring invoice {t.id} {party.name} every {every} month(s) on day {day} "
                 f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else ""))
    return _view(s, t, today())


def stop_template(s: Tx, ref: str | int) -> RecurringView:
    """Stop a recurring invoice: nothing more is issued (what was issued stays)."""
    t = resolve_template(s, ref)
    if t.status == "stopped":
        raise RuleViolation(_("recurring invoice {id} is already stopped").format(id=t.id),
                            field="template")
    t.status = "stopped"
    records.save(s, t, "status")
    audit.record(s, "stop", "recurring", str(t.id), f"recurring invoice {t.id} stopped")
    return _view(s, t, today())


def list_templates(s: Tx, *, until: dt.date | None = None) -> list[RecurringView]:
    """Every template, with the occurrences due by `until` (default today)."""
    until = until or today()
    return [_view(s, t, until) for t in records.load(s, RecurringInvoice, "ORDER BY id")]


def templates_due(s: Tx, until: dt.date) -> list[tuple[int, str]]:
    """(id, label) of the active templates with an occurrence due by `until`."""
    out = []
    for t in records.load(s, RecurringInvoice, "WHERE status = 'active' AND start_date <= :u "
                          "ORDER BY id", {"u": until}):
        if _due(t, _issued(s, t.id), until)[0]:
            out.append((t.id, f"{t.id}" + (f" ({t.name})" if t.name else "")))
    return out


def issue_due(s: Tx, template_id: int, until: dt.date) -> list[IssuedInvoice]:
    """Issue the template's occurrences due by `until` that were not issued yet (see the
    module docstring), oldest first, in the caller's transaction."""
    t = records.get(s, RecurringInvoice, template_id)
    if t is None:
        raise NotFound(_("no recurring invoice {id}").format(id=template_id), field="template")
    due, _next = _due(t, _issued(s, t.id), until)
    lines = [LineInput(ln.product_id, ln.quantity, ln.unit_price, ln.discount, None,
                       ln.description or None) for ln in _lines(s, t.id)]
    out = []
    for period in due:
        label = t.name or _("recurring invoice {id}").format(id=t.id)
        order = create_order(s, "sale", t.contact_id, lines, on=period,
                             notes=_("{label}, {period}").format(label=label,
                                                                 period=period.isoformat()))
        confirm_order(s, "sale", order.number)
        invoiced = invoice_order(s, order.number, on=period)
        inv_id = s.scalar("SELECT id FROM invoice WHERE number = :n",
                          {"n": invoiced.reference})
        records.insert(s, RecurringIssue(template_id=t.id, period=period, order_id=order.id,
                                         invoice_id=inv_id, created_at=now()))
        out.append(IssuedInvoice(t.id, t.name, period, order.number, invoiced.reference))
    return out


def due_count(s: Tx, until: dt.date) -> int:
    """How many occurrences are due by `until` and not issued (the dashboard's figure)."""
    return sum(len(_due(t, _issued(s, t.id), until)[0])
               for t in records.load(s, RecurringInvoice, "WHERE status = 'active' AND "
                                     "start_date <= :u", {"u": until}))
