"""Sales and purchase orders: create, edit, confirm, ship/receive, invoice, cancel, list.

Lifecycle: draft (editable, no effects) → confirmed → shipped (sale) / received
(purchase) → invoiced → paid, or cancelled from any stage. A sale may be invoiced
before it is shipped; each happens at most once per order (a shipment has its own
lines, so partial shipments can come later). Receiving a purchase also books the
supplier's bill. Every effect happens in the caller's transaction:

    ship (sale):        stock out at average cost; Dr COGS, Cr Inventory (source shipment)
    receive (purchase): stock in at the lines' net; the bill's entry (source bill)
    invoice (sale):     the invoice's entry (source invoice)
    cancel:             reversing entries, reversal stock moves; numbers never reused

The order's status is derived from what took effect (`refresh_status`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz import audit, records
from smallbiz.books.accounts import account_by_role
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now, today
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.numbering import next_number
from smallbiz.orders.common import (
    check_open,
    effect_date,
    entry_of,
    resolve_numbered,
    reverse_entry_of,
)
from smallbiz.orders.invoices import (
    LineView,
    balance_due,
    cancel_invoice,
    issue_from_order,
    order_lines,
)
from smallbiz.orders.lines import LineInput, line_amounts, vat_code_for
from smallbiz.orders.lists import OrderRow, list_orders  # noqa: F401  (re-exported)
from smallbiz.orders.records import Invoice, OrderLine, Shipment, ShipmentLine, TradeOrder
from smallbiz.sql import Tx
from smallbiz.stock.service import (
    check_can_issue,
    issue_stock,
    receive_stock,
    resolve_product,
    reverse_moves,
)
from smallbiz.textcheck import refuse_control

PREFIX = {"sale": "SO", "purchase": "PO"}
WHAT = {"sale": "sales order", "purchase": "purchase order"}
PARTY = {"sale": "customer", "purchase": "supplier"}
DELIVERY = {"sale": "shipment", "purchase": "receipt"}


@dataclass(frozen=True)
class OrderView:
    id: int
    kind: str
    number: str
    date: dt.date
    status: str
    contact_id: int
    contact: str
    notes: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    lines: list[LineView] = field(default_factory=list)
    shipped_on: dt.date | None = None  # shipped (sale) or received (purchase)
    shipment_value: Decimal | None = None  # stock value moved
    invoice: str | None = None  # INV-/BILL- number (not cancelled)
    invoice_status: str | None = None
    balance_due: Decimal | None = None
    cancelled_on: dt.date | None = None


@dataclass(frozen=True)
class ActionResult:
    """What one action did: its reference (the order, invoice or bill number to print),
    the order's new status, the journal entries posted and the stock value moved."""

    order: str
    status: str
    reference: str
    entries: list[str] = field(default_factory=list)
    value: Decimal | None = None


# -- finding ---------------------------------------------------------------------------------

def resolve_order(s: Tx, ref: str | int, kind: str | None = None) -> TradeOrder:
    """An order by number (any case), unique number prefix, or id; `kind` narrows it."""
    what = _(WHAT[kind]) if kind else _("order")
    if kind:
        return resolve_numbered(s, TradeOrder, ref, what, "kind = :kind", {"kind": kind},
                                field="order")
    return resolve_numbered(s, TradeOrder, ref, what, field="order")


def active_shipment(s: Tx, order_id: int) -> Shipment | None:
    found = records.load(s, Shipment, "WHERE order_id = :o AND status = 'posted' "
                         "ORDER BY id LIMIT 1", {"o": order_id})
    return found[0] if found else None


def active_invoice(s: Tx, order_id: int) -> Invoice | None:
    found = records.load(s, Invoice, "WHERE order_id = :o AND status <> 'cancelled' "
                         "ORDER BY id LIMIT 1", {"o": order_id})
    return found[0] if found else None


def refresh_status(s: Tx, order: TradeOrder) -> str:
    """Derive a confirmed order's status from its shipment and invoice."""
    if order.status in ("draft", "cancelled"):
        return order.status
    assert order.id is not None
    inv = active_invoice(s, order.id)
    if inv is not None:
        status = "paid" if inv.status == "paid" else (
            "invoiced" if order.kind == "sale" else "received")
    elif active_shipment(s, order.id) is not None:
        status = "shipped" if order.kind == "sale" else "received"
    else:
        status = "confirmed"
    if status != order.status:
        order.status = status
        order.updated_at = now()
        records.save(s, order, "status", "updated_at")
    return status


# -- creating and editing drafts -------------------------------------------------------------

def _build_lines(s: Tx, kind: str, lines: list[LineInput]) -> list[dict[str, Any]]:
    if not lines:
        raise ValidationError(_("an order needs at least one line (--line SKU=QTY)"),
                              field="lines")
    digits = s.money_digits
    out = []
    for i, line in enumerate(lines, start=1):
        where = _("line {i}").format(i=i)
        product = resolve_product(s, line.product, field=where)
        if product.archived:
            raise RuleViolation(_("{where}: product {sku} is archived").format(
                where=where, sku=product.sku), field=where)
        if line.quantity <= 0:
            raise ValidationError(_("{where}: the quantity must be more than 0").format(
                where=where), field=where)
        price = line.unit_price
        if price is None:
            price = product.price if kind == "sale" else product.cost
        if price is None:
            raise ValidationError(
                _("{where}: {sku} has no default cost; give it as {sku}=QTY@COST").format(
                    where=where, sku=product.sku), field=where)
        if price < 0:
            raise ValidationError(_("{where}: a price cannot be negative").format(where=where),
                                  field=where)
        discount = line.discount if line.discount is not None else Decimal(0)
        if not 0 <= discount <= 100:
            raise ValidationError(_("{where}: a discount is between 0 and 100 %").format(
                where=where), field=where)
        rate = line.vat_rate if line.vat_rate is not None else product.vat_rate
        vat_code = vat_code_for(rate, line.vat_code, field=where)
        amounts = line_amounts(line.quantity, price, discount, rate, digits, field=where)
        out.append(dict(position=i, product_id=product.id,
                        description=(line.description or product.name).strip(),
                        is_service=product.is_service, unit=product.unit,
                        quantity=line.quantity, unit_price=price, discount=discount,
                        vat_rate=rate, vat_code=vat_code, net=amounts.net, vat=amounts.vat,
                        gross=amounts.gross))
    return out


def _write_lines(s: Tx, order: TradeOrder, rows: list[dict[str, Any]]) -> None:
    records.insert_many(s, [OrderLine(order_id=order.id, **row) for row in rows])
    zero = from_minor(0, s.money_digits)
    order.net = sum((r["net"] for r in rows), zero)
    order.vat = sum((r["vat"] for r in rows), zero)
    order.gross = order.net + order.vat
    records.save(s, order, "net", "vat", "gross")


def create_order(s: Tx, kind: str, contact: str | int, lines: list[LineInput], *,
                 on: dt.date | None = None, notes: str = "") -> OrderView:
    """Create a draft sales or purchase order and take its SO-/PO- number.

    Validates the contact (not archived), every line (known, not archived product;
    quantity > 0; a price: the product's sale price for sales, its default cost for
    purchases unless given; discount 0-100 %) and the date (not locked). Writes the
    order, its lines (net / VAT / gross half-up per line) and an audit row.
    """
    if kind not in PREFIX:
        raise ValidationError(f"unknown order kind {kind!r}")
    on = on or today()
    party = resolve_contact(s, contact, field=_(PARTY[kind]), include_archived=False)
    rows = _build_lines(s, kind, lines)
    check_open(s, on, what=_("order date"))
    refuse_control(notes, "notes")
    number, seq = next_number(s, PREFIX[kind], on)
    stamp = now()
    zero = from_minor(0, s.money_digits)
    order = TradeOrder(kind=kind, number=number, year=on.year, seq=seq, contact_id=party.id,
                       date=on, status="draft", notes=notes.strip(), net=zero, vat=zero,
                       gross=zero, created_at=stamp, updated_at=stamp)
    records.insert(s, order)
    _write_lines(s, order, rows)
    audit.record(s, "create", "order", number,
                 f"{WHAT[kind]} {number} {party.name} "
                 f"{format_amount(order.gross, s.money_digits)}")
    return order_view(s, order)


def edit_order(s: Tx, kind: str, ref: str | int, *, contact: str | int | None = None,
               lines: list[LineInput] | None = None, on: dt.date | None = None,
               notes: str | None = None) -> OrderView:
    """Change a draft order (counterparty, lines, date within the number's year, notes).
    Refuses anything but a draft: a confirmed order is cancelled instead."""
    order = resolve_order(s, ref, kind)
    if order.status != "draft":
        raise RuleViolation(_("{number} is {status}: only a draft can be edited").format(
            number=order.number, status=order.status), field="order")
    check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    changed = []
    if contact is not None:
        order.contact_id = resolve_contact(s, contact, field=_(PARTY[kind]),
                                           include_archived=False).id
        changed.append("contact")
    if on is not None:
        if on.year != order.year:
            raise ValidationError(_("date: {number} is numbered in {year}; a draft keeps its "
                                    "year").format(number=order.number, year=order.year),
                                  field="date")
        check_open(s, on, what=_("order date"))
        order.date = on
        changed.append("date")
    if notes is not None:
        order.notes = refuse_control(notes.strip(), "notes")
        changed.append("notes")
    if lines is not None:
        rows = _build_lines(s, kind, lines)
        s.execute("DELETE FROM order_line WHERE order_id = :o", {"o": order.id})
        _write_lines(s, order, rows)
        changed.append("lines")
    order.updated_at = now()
    records.save(s, order)
    audit.record(s, "update", "order", order.number, ", ".join(changed) or "no change")
    return order_view(s, order)


def confirm_order(s: Tx, kind: str, ref: str | int) -> ActionResult:
    """Draft → confirmed. No effect on stock or books yet."""
    order = resolve_order(s, ref, kind)
    if order.status != "draft":
        raise RuleViolation(_("{number} is {status}: only a draft can be confirmed").format(
            number=order.number, status=order.status), field="order")
    check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    order.status = "confirmed"
    order.updated_at = now()
    records.save(s, order, "status", "updated_at")
    audit.record(s, "confirm", "order", order.number, f"{order.number} confirmed")
    return ActionResult(order.number, order.status, order.number)


# -- effects ---------------------------------------------------------------------------------

def _require_live(order: TradeOrder, action: str) -> None:
    if order.status == "draft":
        raise RuleViolation(_("{number} is a draft: confirm it before you {action} it").format(
            number=order.number, action=action), field="order")
    if order.status == "cancelled":
        raise RuleViolation(_("{number} is cancelled").format(number=order.number),
                            field="order")


def _deliver(s: Tx, kind: str, ref: str | int, on: dt.date | None) -> ActionResult:
    """Ship a sale or receive a purchase (see the module docstring)."""
    order = resolve_order(s, ref, kind)
    verb = _("ship") if kind == "sale" else _("receive")
    _require_live(order, verb)
    done = active_shipment(s, order.id)
    if done is not None:
        raise RuleViolation(_("{number} was already {done} on {date}").format(
            number=order.number, done=_("shipped") if kind == "sale" else _("received"),
            date=done.date.isoformat()), field="order")
    when = effect_date(on, not_before=order.date, what=_("{verb} date").format(verb=verb))
    check_open(s, when, what=_("{verb} date").format(verb=verb))
    lines = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                         {"o": order.id})
    shipment = Shipment(order_id=order.id, kind=DELIVERY[kind], date=when, status="posted",
                        value=from_minor(0, s.money_digits), created_at=now())
    records.insert(s, shipment)
    total = shipment.value
    shipment_lines = []
    if kind == "sale":
        wanted: dict[int, Decimal] = defaultdict(Decimal)
        for ln in lines:
            if not ln.is_service:
                wanted[ln.product_id] += ln.quantity
        check_can_issue(s, wanted)
    for ln in lines:
        if ln.is_service:
            continue
        if kind == "sale":
            move = issue_stock(s, ln.product_id, ln.quantity, when, source="shipment",
                               source_id=shipment.id, memo=order.number)
        else:
            unit_cost = (ln.net / ln.quantity).quantize(Decimal("0.000001"))
            move = receive_stock(s, ln.product_id, ln.quantity, unit_cost, when,
                                 source="receipt", source_id=shipment.id, memo=order.number,
                                 value=ln.net)
        shipment_lines.append(_shipment_line(shipment.id, ln, move.amount))
        total += move.amount
    records.insert_many(s, shipment_lines)
    shipment.value = total
    records.save(s, shipment, "value")
    entries: list[str] = []
    reference = order.number
    if kind == "sale":
        if total != 0:
            contact = resolve_contact(s, order.contact_id)
            entries.append(post_entry(s, when, _("Shipment {n} to {c}").format(
                n=order.number, c=contact.name), [
                PostingInput(account_by_role(s, "cogs").code, total, memo=order.number),
                PostingInput(account_by_role(s, "inventory").code, -total, memo=order.number)],
                source="shipment", source_id=shipment.id).number)
    else:
        bill = issue_from_order(s, order, when)
        reference = bill.number
        entry = entry_of(s, "bill", bill.id)
        if entry is not None:
            entries.append(entry.number)
    status = refresh_status(s, order)
    audit.record(s, DELIVERY[kind], "order", order.number,
                 f"{order.number} {DELIVERY[kind]} value "
                 f"{format_amount(total, s.money_digits)}" + (
                     f" ({', '.join(entries)})" if entries else ""))
    return ActionResult(order.number, status, reference, entries, total)


def _shipment_line(shipment_id: int, ln: OrderLine, value: Decimal) -> ShipmentLine:
    return ShipmentLine(shipment_id=shipment_id, order_line_id=ln.id, product_id=ln.product_id,
                        quantity=ln.quantity, value=value)


def ship_order(s: Tx, ref: str | int, *, on: dt.date | None = None) -> ActionResult:
    """Ship a confirmed sale: each stock line leaves at average cost (refused beyond what is
    on hand unless the book allows negative stock); posts Dr COGS, Cr Inventory for the
    cost (no entry when it is zero). Refuses drafts, cancelled and already-shipped orders."""
    return _deliver(s, "sale", ref, on)


def receive_order(s: Tx, ref: str | int, *, on: dt.date | None = None) -> ActionResult:
    """Receive a confirmed purchase: stock lines come in at their net cost, and the
    supplier's bill (BILL-) is booked: Dr Inventory / COGS (services) / VAT in, Cr
    Payable. The result's reference is the bill number."""
    return _deliver(s, "purchase", ref, on)


def invoice_order(s: Tx, ref: str | int, *, on: dt.date | None = None) -> ActionResult:
    """Invoice a confirmed (shipped or not yet shipped) sale: takes the INV- number, posts
    Dr Receivable, Cr Sales / Services, Cr VAT out. Refuses drafts, cancelled orders and
    orders already invoiced. The result's reference is the invoice number."""
    order = resolve_order(s, ref, "sale")
    _require_live(order, _("invoice"))
    existing = active_invoice(s, order.id)
    if existing is not None:
        raise RuleViolation(_("{number} was already invoiced ({inv})").format(
            number=order.number, inv=existing.number), field="order")
    when = effect_date(on, not_before=order.date, what=_("invoice date"))
    check_open(s, when, what=_("invoice date"))
    inv = issue_from_order(s, order, when)
    entry = entry_of(s, "invoice", inv.id)
    status = refresh_status(s, order)
    return ActionResult(order.number, status, inv.number,
                        [entry.number] if entry is not None else [], None)


def cancel_order(s: Tx, kind: str, ref: str | int, *,
                 on: dt.date | None = None) -> ActionResult:
    """Cancel an order at any stage. A draft or confirmed order just becomes cancelled;
    an invoice or bill gets a reversing entry (refused while payments are allocated to
    it: cancel those first); a shipment or receipt gets reversal stock moves (refused
    when that would leave negative stock) and a reversing entry. The date (default
    today) may not be before any effect's date nor on or before the lock date. Numbers
    are kept, never reused."""
    order = resolve_order(s, ref, kind)
    if order.status == "cancelled":
        raise RuleViolation(_("{number} is already cancelled").format(number=order.number),
                            field="order")
    inv = active_invoice(s, order.id)
    shipment = active_shipment(s, order.id)
    latest = max([order.date] + [d.date for d in (inv, shipment) if d is not None])
    when = effect_date(on, not_before=latest, what=_("cancel date"))
    check_open(s, when, what=_("cancel date"))
    if inv is None and shipment is None:  # nothing to reverse: the order itself changes
        check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    entries: list[str] = []
    if inv is not None:
        reversal = cancel_invoice(s, inv, when)
        if reversal:
            entries.append(reversal)
    if shipment is not None:
        entries.extend(_cancel_shipment(s, order, shipment, when))
    order.status = "cancelled"
    order.cancelled_on = when
    order.updated_at = now()
    records.save(s, order, "status", "cancelled_on", "updated_at")
    audit.record(s, "cancel", "order", order.number,
                 f"{order.number} cancelled" + (f" ({', '.join(entries)})" if entries else ""))
    return ActionResult(order.number, order.status, order.number, entries, None)


def _cancel_shipment(s: Tx, order: TradeOrder, shipment: Shipment,
                     on: dt.date) -> list[str]:
    check_open(s, shipment.date, what=_("the {kind} of {n} dated").format(
        kind=shipment.kind, n=order.number))
    reverse_moves(s, shipment.kind, shipment.id, on,
                  memo=_("Cancellation of {n}").format(n=order.number))
    entries = []
    if shipment.kind == "shipment":
        reversal = reverse_entry_of(s, "shipment", shipment.id, on,
                                    _("Cancellation of shipment {n}").format(n=order.number))
        if reversal:
            entries.append(reversal)
    shipment.status = "cancelled"
    shipment.cancelled_on = on
    records.save(s, shipment, "status", "cancelled_on")
    return entries


# -- reading ---------------------------------------------------------------------------------

def order_view(s: Tx, order: TradeOrder) -> OrderView:
    contact = s.scalar("SELECT name FROM contact WHERE id = :i", {"i": order.contact_id})
    shipment = active_shipment(s, order.id)
    inv = active_invoice(s, order.id)
    return OrderView(
        order.id, order.kind, order.number, order.date, order.status, order.contact_id,
        contact or "", order.notes, order.net, order.vat, order.gross,
        order_lines(s, order.id), shipment.date if shipment else None,
        shipment.value if shipment else None, inv.number if inv else None,
        inv.status if inv else None, balance_due(inv) if inv else None, order.cancelled_on)


def show_order(s: Tx, kind: str, ref: str | int) -> OrderView:
    return order_view(s, resolve_order(s, ref, kind))
