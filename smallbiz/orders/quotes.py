"""Quotes (QT-): an offer to a customer, with lines like a sales order and a valid-until
date; no effect on stock or books.

A quote is a `trade_order` of kind `quote` (its lines are order lines), numbered when
created; it may belong to a deal. Its lifecycle (`smallbiz.orders.lifecycle`): draft →
sent → accepted (a draft sales order is made from its lines, linked by `quote_id`; its
deal, if open, is won), declined or expired; or cancelled while draft or sent. A quote
past its valid-until date cannot be accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smallbiz import audit, records, settings
from smallbiz.crm.deals import move_deal, resolve_deal
from smallbiz.crm.service import contact_row, resolve_contact
from smallbiz.dates import as_date, now, today
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.numbering import next_number
from smallbiz.orders import lifecycle
from smallbiz.orders.common import check_open, resolve_numbered
from smallbiz.orders.document import DocumentLine, InvoiceDocument, Party
from smallbiz.orders.invoices import lines_with_sku, party_of, vat_totals
from smallbiz.orders.lines import LineInput
from smallbiz.orders.records import OrderLine, TradeOrder
from smallbiz.orders.service import (
    ActionResult,
    OrderView,
    build_lines,
    order_view,
    write_lines,
)
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

#: A quote's validity when none is given.
VALID_DAYS = 30
STATUSES = ("draft", "sent", "accepted", "declined", "expired", "cancelled")


@dataclass(frozen=True)
class QuoteRow:
    id: int
    number: str
    date: dt.date
    valid_until: dt.date | None
    contact: str
    status: str
    net: Decimal
    gross: Decimal
    deal: str | None  # the deal's title
    order: str | None  # the sales order it became


def resolve_quote(s: Tx, ref: str | int) -> TradeOrder:
    return resolve_numbered(s, TradeOrder, ref, _("quote"), "kind = :kind", {"kind": "quote"},
                            field="quote")


def create_quote(s: Tx, contact: str | int, lines: list[LineInput], *,
                 on: dt.date | None = None, valid_until: dt.date | None = None,
                 deal: str | int | None = None, notes: str = "") -> OrderView:
    """Make a draft quote (QT- number) for a customer.

    Validates the contact (not archived), every line as a sales order's (products, prices
    default to the product's), the date (default today; not locked), the valid-until date
    (not before the date; default 30 days on) and the deal (the same contact's). Writes the
    quote, its lines and an audit row; nothing is posted.
    """
    when = on or today()
    party = resolve_contact(s, contact, field=_("customer"), include_archived=False)
    rows = build_lines(s, "sale", lines)
    check_open(s, when, what=_("quote date"))
    refuse_control(notes, "notes")
    until = valid_until or when + dt.timedelta(days=VALID_DAYS)
    if until < when:
        raise ValidationError(_("valid until: {until} is before the quote's date {date}")
                              .format(until=until.isoformat(), date=when.isoformat()),
                              field="valid_until")
    deal_id = None
    if deal is not None:
        d = resolve_deal(s, deal)
        if d.contact_id != party.id:
            raise RuleViolation(_("deal: '{title}' is {who}'s, not {name}'s").format(
                title=d.title, who=d.contact, name=party.name), field="deal")
        deal_id = d.id
    number, seq = next_number(s, lifecycle.kind("quote").prefix or "", when)
    stamp = now()
    zero = from_minor(0, s.money_digits)
    quote = TradeOrder(kind="quote", number=number, year=when.year, seq=seq,
                       contact_id=party.id, date=when, status="draft", notes=notes.strip(),
                       net=zero, vat=zero, gross=zero, created_at=stamp, updated_at=stamp,
                       valid_until=until, deal_id=deal_id)
    records.insert(s, quote)
    write_lines(s, quote, rows)
    audit.record(s, "create", "quote", number,
                 f"quote {number} {party.name} {format_amount(quote.gross, s.money_digits)}")
    return order_view(s, quote)


def quote_action(s: Tx, action: str, ref: str | int, *,
                 on: dt.date | None = None) -> ActionResult:
    """send, accept, decline, expire or cancel a quote (the lifecycle's table says from
    which statuses). Accept refuses a quote past its valid-until date (on `on`, default
    today) and makes a draft sales order of its lines, dated `on`; the result's reference
    is then the order's number."""
    quote = resolve_quote(s, ref)
    status = lifecycle.allow("quote", action, quote.status, quote.number)
    when = on or today()
    reference = quote.number
    if action == "accept":
        if quote.valid_until is not None and when > quote.valid_until:
            raise RuleViolation(_("{n} was valid until {date}; make a new quote").format(
                n=quote.number, date=quote.valid_until.isoformat()), field="quote")
        reference = _order_from(s, quote, max(when, quote.date))
    assert status is not None
    quote.status = status
    quote.updated_at = now()
    if status == "cancelled":
        quote.cancelled_on = when
    records.save(s, quote, "status", "updated_at", "cancelled_on")
    audit.record(s, action, "quote", quote.number, f"{quote.number} {status}"
                 + (f" as {reference}" if reference != quote.number else ""))
    return ActionResult(quote.number, status, reference)


def _order_from(s: Tx, quote: TradeOrder, on: dt.date) -> str:
    check_open(s, on, what=_("order date"))
    number, seq = next_number(s, lifecycle.kind("sale").prefix or "", on)
    stamp = now()
    order = TradeOrder(kind="sale", number=number, year=on.year, seq=seq,
                       contact_id=quote.contact_id, date=on, status="draft", notes=quote.notes,
                       net=quote.net, vat=quote.vat, gross=quote.gross, created_at=stamp,
                       updated_at=stamp, quote_id=quote.id)
    records.insert(s, order)
    lines = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                         {"o": quote.id})
    for ln in lines:
        ln.order_id, ln.id = order.id, 0
    records.insert_many(s, lines)
    audit.record(s, "create", "order", number, f"sales order {number} from {quote.number}")
    if quote.deal_id is not None:
        deal = resolve_deal(s, quote.deal_id)
        if deal.is_open:
            move_deal(s, deal.id, "won", on=on)
    return number


def show_quote(s: Tx, ref: str | int) -> OrderView:
    return order_view(s, resolve_quote(s, ref))


def list_quotes(s: Tx, *, status: str | None = None, contact: str | int | None = None,
                deal: str | int | None = None, limit: int | None = None) -> list[QuoteRow]:
    """Quotes in date order; `status`, `contact` and `deal` narrow the list."""
    where = ["q.kind = 'quote'"]
    params: dict[str, Any] = {}
    if status is not None:
        if status not in STATUSES:
            raise ValidationError(_("status: '{s}' is not one of {all}").format(
                s=status, all=", ".join(STATUSES)), field="status")
        where.append("q.status = :status")
        params["status"] = status
    if contact is not None:
        where.append("q.contact_id = :cid")
        params["cid"] = resolve_contact(s, contact).id
    if deal is not None:
        where.append("q.deal_id = :did")
        params["did"] = resolve_deal(s, deal).id
    sql = ("SELECT q.id, q.number, q.date, q.valid_until, c.name, q.status, q.net, q.gross, "
           "d.title, (SELECT MIN(o.number) FROM trade_order o WHERE o.quote_id = q.id) "
           "FROM trade_order q JOIN contact c ON c.id = q.contact_id "
           "LEFT JOIN deal d ON d.id = q.deal_id "
           f"WHERE {' AND '.join(where)} ORDER BY q.date, q.id"
           + (f" LIMIT {int(limit)}" if limit is not None else ""))
    digits = s.money_digits
    return [QuoteRow(r[0], r[1], as_date(r[2]), as_date(r[3]), r[4], r[5],
                     from_minor(r[6], digits), from_minor(r[7], digits), r[8], r[9])
            for r in s.execute(sql, params)]


def quote_document(s: Tx, ref: str | int) -> InvoiceDocument:
    """A quote as the invoice renderer prints it (kind 'quote'; valid until as due date)."""
    quote = resolve_quote(s, ref)
    book = settings.load(s)
    contact = contact_row(s, quote.contact_id)
    assert contact is not None
    lines = [DocumentLine(ln.description, ln.quantity, ln.unit, ln.unit_price, ln.vat_rate,
                          ln.discount, ln.net, ln.vat, ln.gross, sku)
             for ln, sku in lines_with_sku(s, OrderLine, "order_id", quote.id)]
    totals = vat_totals(lines)
    zero = from_minor(0, s.money_digits)
    return InvoiceDocument(
        kind="quote", number=quote.number, date=quote.date,
        due_date=quote.valid_until or quote.date, status=quote.status,
        currency=book.currency, digits=book.digits, company=Party(book.company_name),
        customer=party_of(contact), lines=lines, vat_totals=totals, total_net=quote.net,
        total_vat=quote.vat, total_gross=quote.gross, paid=zero, balance_due=quote.gross)
