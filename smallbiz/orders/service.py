"""Sales and purchase orders: create, edit, confirm, ship/receive, invoice, cancel, list.

Lifecycle (the table is `smallbiz.orders.lifecycle.KINDS`): draft (editable, no effects)
→ confirmed → shipped (sale) / received (purchase) → invoiced → paid, or cancelled from
any stage. A sale is shipped and invoiced in parts, several times each, in any order:
each shipment takes some of the lines' open quantities, each invoice what was shipped
and not yet invoiced (or all of it, or the quantities asked for). Each receipt of a
purchase books the supplier's bill for what arrived. Every effect happens in the
caller's transaction:

    ship (sale):        stock out at average cost; Dr COGS, Cr Inventory (source shipment)
    receive (purchase): stock in at the lines' net; the bill's entry (source bill)
    invoice (sale):     the invoice's entry (source invoice)
    cancel:             reversing entries, reversal stock moves; numbers never reused

The order's status is derived from what took effect (`refresh_status`); per line, the
view shows ordered / shipped / invoiced / open.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz import audit, records
from smallbiz.books.fx import document_currency, foreign_currency
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now, today
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import QTY_DIGITS, format_amount, format_quantity, from_minor
from smallbiz.numbering import next_number
from smallbiz.orders import lifecycle
from smallbiz.orders.common import (
    check_open,
    effect_date,
    entry_of,
    resolve_numbered,
)
from smallbiz.orders.invoices import (
    LineView,
    balance_due,
    cancel_invoice,
    invoiced_by_line,
    issue_from_order,
    lines_with_sku,
    order_lines,
)
from smallbiz.orders.lines import LineInput, line_amounts, vat_code_for
from smallbiz.orders.lists import OrderRow, list_orders  # noqa: F401  (re-exported)
from smallbiz.orders.records import (
    Invoice,
    InvoiceLine,
    OrderLine,
    Shipment,
    ShipmentLine,
    TradeOrder,
)
from smallbiz.sql import Tx
from smallbiz.stock.service import (
    check_can_issue,
    issue_stock,
    receive_stock,
    resolve_product,
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
    balance_due: Decimal | None = None  # of all its live invoices
    cancelled_on: dt.date | None = None
    progress: list[LineProgress] = field(default_factory=list)
    invoices: list[str] = field(default_factory=list)  # every live INV-/BILL-
    deliveries: list[dt.date] = field(default_factory=list)  # every live shipment's date
    quote: str | None = None  # the QT- it was accepted from (a quote: None)
    valid_until: dt.date | None = None  # a quote's
    currency: str | None = None  # priced in another currency than the book's
    #: a purchase's bills' supplier references, by bill number (those that have one)
    supplier_refs: dict[str, str] = field(default_factory=dict)


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


def live_shipments(s: Tx, order_id: int) -> list[Shipment]:
    return records.load(s, Shipment, "WHERE order_id = :o AND status = 'posted' ORDER BY id",
                        {"o": order_id})


def live_invoices(s: Tx, order_id: int) -> list[Invoice]:
    return records.load(s, Invoice, "WHERE order_id = :o AND status <> 'cancelled' "
                        "ORDER BY id", {"o": order_id})


def shipped_by_line(s: Tx, order_id: int) -> dict[int, Decimal]:
    """Order line id → quantity shipped (received) by the order's live shipments."""
    return {line_id: from_minor(q, QTY_DIGITS) for line_id, q in s.execute(
        "SELECT sl.order_line_id, SUM(sl.quantity) FROM shipment_line sl "
        "JOIN shipment sh ON sh.id = sl.shipment_id WHERE sh.order_id = :o "
        "AND sh.status = 'posted' GROUP BY sl.order_line_id", {"o": order_id})}


@dataclass(frozen=True)
class LineProgress:
    """How far one order line has come."""

    position: int
    sku: str
    is_service: bool
    ordered: Decimal
    shipped: Decimal  # shipped (sale) or received (purchase); services: as invoiced
    invoiced: Decimal
    open_to_ship: Decimal
    open_to_invoice: Decimal


def progress(s: Tx, order_id: int) -> list[LineProgress]:
    shipped = shipped_by_line(s, order_id)
    invoiced = invoiced_by_line(s, order_id)
    out = []
    for ln, sku in lines_with_sku(s, OrderLine, "order_id", order_id):
        inv = invoiced.get(ln.id, (Decimal(0),))[0]
        done = inv if ln.is_service else shipped.get(ln.id, Decimal(0))
        out.append(LineProgress(ln.position, sku, ln.is_service, ln.quantity, done, inv,
                                ln.quantity - done, ln.quantity - inv))
    return out


def refresh_status(s: Tx, order: TradeOrder) -> str:
    """Derive a confirmed order's status from its shipments and invoices: paid when all
    of it is invoiced and paid; invoiced when all of it is invoiced (a purchase: received
    when anything is); shipped when anything is shipped; invoiced when anything is."""
    if order.status in ("draft", "cancelled") or order.kind == "quote":
        return order.status
    assert order.id is not None
    invoices = live_invoices(s, order.id)
    lines = progress(s, order.id)
    all_invoiced = bool(lines) and all(p.open_to_invoice == 0 for p in lines)
    if order.kind == "purchase":
        if all_invoiced and all(i.status == "paid" for i in invoices):
            status = "paid"
        elif invoices or live_shipments(s, order.id):
            status = "received"
        else:
            status = "confirmed"
    elif invoices and all_invoiced:
        status = "paid" if all(i.status == "paid" for i in invoices) else "invoiced"
    elif live_shipments(s, order.id):
        status = "shipped"
    elif invoices:
        status = "invoiced"
    else:
        status = "confirmed"
    if status != order.status:
        order.status = status
        order.updated_at = now()
        records.save(s, order, "status", "updated_at")
    return status


# -- creating and editing drafts -------------------------------------------------------------

def price_in_currency_needed(where: str, sku: str, currency: str) -> ValidationError:
    """The error for a line of an order in another currency that names no price (the
    product's prices are the book currency's)."""
    return ValidationError(
        _("{where}: give {sku}'s price in {currency} as {sku}=QTY@PRICE").format(
            where=where, sku=sku, currency=currency), field=where)


def build_lines(s: Tx, kind: str, lines: list[LineInput], currency: str | None = None
                ) -> list[dict[str, Any]]:
    """The lines' rows; with `currency` (an order in another currency) every line names
    its price in it (the product's prices are the book currency's)."""
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
        if price is None and currency is not None:
            raise price_in_currency_needed(where, product.sku, currency)
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
                        gross=amounts.gross,
                        # a service bought posts to its expense account (else Other expenses)
                        account_id=product.expense_account_id
                        if kind == "purchase" and product.is_service else None))
    return out


def write_lines(s: Tx, order: TradeOrder, rows: list[dict[str, Any]]) -> None:
    records.insert_many(s, [OrderLine(order_id=order.id, **row) for row in rows])
    zero = from_minor(0, s.money_digits)
    order.net = sum((r["net"] for r in rows), zero)
    order.vat = sum((r["vat"] for r in rows), zero)
    order.gross = order.net + order.vat
    records.save(s, order, "net", "vat", "gross")


def create_order(s: Tx, kind: str, contact: str | int, lines: list[LineInput], *,
                 on: dt.date | None = None, notes: str = "",
                 currency: str | None = None) -> OrderView:
    """Create a draft sales or purchase order and take its SO-/PO- number.

    Validates the contact (not archived), every line (known, not archived product;
    quantity > 0; a price: the product's sale price for sales, its default cost for
    purchases unless given; discount 0-100 %) and the date (not locked). Writes the
    order, its lines (net / VAT / gross half-up per line) and an audit row. `currency`:
    the order is priced in it (each line's price given); its invoices or bills are in
    it, converted at their own date's rate.
    """
    if kind not in PREFIX:
        raise ValidationError(f"unknown order kind {kind!r}")
    on = on or today()
    party = resolve_contact(s, contact, field=_(PARTY[kind]), include_archived=False)
    code = foreign_currency(s, currency) if currency is not None else None
    rows = build_lines(s, kind, lines, code)
    check_open(s, on, what=_("order date"))
    refuse_control(notes, "notes")
    number, seq = next_number(s, PREFIX[kind], on)
    stamp = now()
    zero = from_minor(0, s.money_digits)
    order = TradeOrder(kind=kind, number=number, year=on.year, seq=seq, contact_id=party.id,
                       date=on, status="draft", notes=notes.strip(), net=zero, vat=zero,
                       gross=zero, created_at=stamp, updated_at=stamp, currency=code)
    records.insert(s, order)
    write_lines(s, order, rows)
    audit.record(s, "create", "order", number,
                 f"{WHAT[kind]} {number} {party.name} "
                 f"{format_amount(order.gross, s.money_digits)}")
    return order_view(s, order)


def edit_order(s: Tx, kind: str, ref: str | int, *, contact: str | int | None = None,
               lines: list[LineInput] | None = None, on: dt.date | None = None,
               notes: str | None = None, currency: str | None = None) -> OrderView:
    """Change a draft order (counterparty, lines, date within the number's year, notes,
    currency). Refuses anything but a draft: a confirmed order is cancelled instead.

    `currency` (empty or the book's own code: back to the book's) re-prices the order:
    its lines follow the create rule in the new currency, so a foreign one needs each
    line's price given (`lines`); without `lines`, the order's own lines are taken
    without their prices (in the old currency), so back in the book's currency they take
    their products' prices and in a foreign one they are refused."""
    order = resolve_order(s, ref, kind)
    lifecycle.allow(kind, "edit", order.status, order.number)
    check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    changed = []
    if currency is not None:
        code = document_currency(s, currency)
        if code != order.currency:
            if lines is None:
                lines = [LineInput(ln.product_id, ln.quantity, None, ln.discount, ln.vat_rate,
                                   ln.description, ln.vat_code)
                         for ln, _sku in lines_with_sku(s, OrderLine, "order_id", order.id)]
            order.currency = code
            changed.append("currency")
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
        rows = build_lines(s, kind, lines, order.currency)
        s.execute("DELETE FROM order_line WHERE order_id = :o", {"o": order.id})
        write_lines(s, order, rows)
        changed.append("lines")
    order.updated_at = now()
    records.save(s, order)
    audit.record(s, "update", "order", order.number, ", ".join(changed) or "no change")
    return order_view(s, order)


def confirm_order(s: Tx, kind: str, ref: str | int) -> ActionResult:
    """Draft → confirmed. No effect on stock or books yet."""
    order = resolve_order(s, ref, kind)
    status = lifecycle.allow(kind, "confirm", order.status, order.number)
    check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    order.status = status or "confirmed"
    order.updated_at = now()
    records.save(s, order, "status", "updated_at")
    audit.record(s, "confirm", "order", order.number, f"{order.number} confirmed")
    return ActionResult(order.number, order.status, order.number)


# -- effects ---------------------------------------------------------------------------------

#: Quantities asked for: order line position → quantity (None: everything open).
Quantities = Mapping[int, Decimal] | None


def _wanted(order: TradeOrder, lines: list[OrderLine], open_qty: dict[int, Decimal],
            asked: Quantities, *, services: bool) -> dict[int, Decimal]:
    """Order line id → quantity for one shipment, receipt or invoice: what is open, or
    the quantities asked for (each > 0 and at most what is open on its line)."""
    if asked is None:
        return {ln.id: open_qty[ln.id] for ln in lines if open_qty[ln.id] > 0}
    by_position = {ln.position: ln for ln in lines}
    out: dict[int, Decimal] = {}
    for position, qty in asked.items():
        where = _("line {i}").format(i=position)
        ln = by_position.get(position)
        if ln is None:
            raise ValidationError(_("{where}: {number} has no line {i}").format(
                where=where, number=order.number, i=position), field=where)
        if ln.is_service and not services:
            raise RuleViolation(_("{where}: {sku} is a service; nothing is shipped").format(
                where=where, sku=ln.description), field=where)
        if qty <= 0:
            raise ValidationError(_("{where}: the quantity must be more than 0").format(
                where=where), field=where)
        if qty > open_qty[ln.id]:
            raise RuleViolation(_("{where}: {qty} is more than the {open} still open").format(
                where=where, qty=format_quantity(qty), open=format_quantity(open_qty[ln.id])),
                field=where)
        out[ln.id] = qty
    return out


def _deliver(s: Tx, kind: str, ref: str | int, on: dt.date | None,
             asked: Quantities, rate: str | Decimal | None = None,
             supplier_ref: str = "") -> ActionResult:
    """Ship (part of) a sale or receive (part of) a purchase (see the module docstring)."""
    order = resolve_order(s, ref, kind)
    action = "ship" if kind == "sale" else "receive"
    verb = _(action)
    lifecycle.allow(kind, action, order.status, order.number)
    lines = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                         {"o": order.id})
    shipped = shipped_by_line(s, order.id)
    invoiced = invoiced_by_line(s, order.id)
    open_qty = {ln.id: ln.quantity - (invoiced.get(ln.id, (Decimal(0),))[0] if ln.is_service
                                      else shipped.get(ln.id, Decimal(0))) for ln in lines}
    if kind == "sale":  # services are not shipped
        open_qty.update({ln.id: Decimal(0) for ln in lines if ln.is_service})
    wanted = _wanted(order, lines, open_qty, asked, services=kind == "purchase")
    done = live_shipments(s, order.id)
    if not wanted and (done or any(not ln.is_service for ln in lines)):
        last = max((d.date for d in done), default=order.date)
        raise RuleViolation(_("{number} was already {done} on {date}").format(
            number=order.number, done=_("shipped") if kind == "sale" else _("received"),
            date=last.isoformat()), field="order")
    when = effect_date(on, not_before=order.date, what=_("{verb} date").format(verb=verb))
    check_open(s, when, what=_("{verb} date").format(verb=verb))
    shipment = Shipment(order_id=order.id, kind=DELIVERY[kind], date=when, status="posted",
                        value=from_minor(0, s.money_digits), created_at=now())
    records.insert(s, shipment)
    stock_lines = [ln for ln in lines if not ln.is_service and ln.id in wanted]
    if kind == "sale":
        need: dict[int, Decimal] = defaultdict(Decimal)
        for ln in stock_lines:
            need[ln.product_id] += wanted[ln.id]
        check_can_issue(s, need)
    entries: list[str] = []
    reference = order.number
    bill = None
    if kind == "purchase":  # the bill first: its lines' net is the stock's value
        bill = issue_from_order(s, order, when, wanted, rate, supplier_ref=supplier_ref)
        reference = bill.number
        bill_net = {ln.order_line_id: ln.net for ln in records.load(
            s, InvoiceLine, "WHERE invoice_id = :i", {"i": bill.id})}
    total = shipment.value
    shipment_lines = []
    for ln in stock_lines:
        qty = wanted[ln.id]
        if kind == "sale":
            move = issue_stock(s, ln.product_id, qty, when, source="shipment",
                               source_id=shipment.id, memo=order.number)
        else:
            value = bill_net[ln.id]
            unit_cost = (value / qty).quantize(Decimal("0.000001"))
            move = receive_stock(s, ln.product_id, qty, unit_cost, when, source="receipt",
                                 source_id=shipment.id, memo=order.number, value=value)
        shipment_lines.append(ShipmentLine(shipment_id=shipment.id, order_line_id=ln.id,
                                           product_id=ln.product_id, quantity=qty,
                                           value=move.amount))
        total += move.amount
    records.insert_many(s, shipment_lines)
    shipment.value = total
    records.save(s, shipment, "value")
    if kind == "sale":
        contact = resolve_contact(s, order.contact_id)
        entry = lifecycle.post(s, "shipment", lifecycle.Posting(
            shipment.id, order.number, when, contact.id, contact.name, order.number,
            {"cost": total}))
        entries += [entry] if entry else []
    elif bill is not None and (entry_ := entry_of(s, "bill", bill.id)) is not None:
        entries.append(entry_.number)
    status = refresh_status(s, order)
    audit.record(s, DELIVERY[kind], "order", order.number,
                 f"{order.number} {DELIVERY[kind]} value "
                 f"{format_amount(total, s.money_digits)}" + (
                     f" ({', '.join(entries)})" if entries else ""))
    return ActionResult(order.number, status, reference, entries, total)


def ship_order(s: Tx, ref: str | int, *, on: dt.date | None = None,
               lines: Quantities = None) -> ActionResult:
    """Ship a confirmed sale: every stock line's open quantity, or `lines` (position →
    quantity, at most what is open). Each leaves at average cost (refused beyond what is
    on hand unless the book allows negative stock); posts Dr COGS, Cr Inventory for the
    cost (no entry when it is zero). Refuses drafts, cancelled and fully shipped orders."""
    return _deliver(s, "sale", ref, on, lines)


def receive_order(s: Tx, ref: str | int, *, on: dt.date | None = None,
                  lines: Quantities = None, rate: str | Decimal | None = None,
                  supplier_ref: str = "") -> ActionResult:
    """Receive a confirmed purchase: every line's open quantity, or `lines` (position →
    quantity). Stock lines come in at their net cost, and the supplier's bill (BILL-) is
    booked for what arrived: Dr Inventory / the line's account or Other expenses
    (services) / VAT in, Cr Payable; `supplier_ref`: the supplier's own number for that
    bill. The result's reference is the bill number. A foreign order's bill is converted
    at `rate` (default: the rate table's)."""
    return _deliver(s, "purchase", ref, on, lines, rate, supplier_ref)


def invoice_order(s: Tx, ref: str | int, *, on: dt.date | None = None,
                  lines: Quantities = None, everything: bool = False,
                  rate: str | Decimal | None = None) -> ActionResult:
    """Invoice a confirmed sale: takes the INV- number, posts Dr Receivable, Cr Sales /
    Services, Cr VAT out. What it invoices: `lines` (position → quantity, at most what
    is not yet invoiced); else, once anything was shipped, what was shipped and not yet
    invoiced (and the service lines not yet invoiced); else (nothing shipped yet, or
    `everything`) all that is not yet invoiced. Refuses drafts, cancelled orders and
    orders with nothing left to invoice. The result's reference is the invoice number. A
    foreign order's invoice is converted at `rate` (default: the rate table's)."""
    order = resolve_order(s, ref, "sale")
    lifecycle.allow("sale", "invoice", order.status, order.number)
    lines_ = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                          {"o": order.id})
    invoiced = invoiced_by_line(s, order.id)
    left = {ln.id: ln.quantity - invoiced.get(ln.id, (Decimal(0),))[0] for ln in lines_}
    if lines is None and not everything and live_shipments(s, order.id):
        shipped = shipped_by_line(s, order.id)
        open_qty = {ln.id: left[ln.id] if ln.is_service else max(
            Decimal(0), shipped.get(ln.id, Decimal(0)) - (ln.quantity - left[ln.id]))
            for ln in lines_}
    else:
        open_qty = left
    wanted = _wanted(order, lines_, open_qty if lines is None else left, lines,
                     services=True)
    if not wanted:
        existing = live_invoices(s, order.id)
        if existing and not any(left.values()):
            raise RuleViolation(_("{number} was already invoiced ({inv})").format(
                number=order.number, inv=existing[0].number), field="order")
        raise RuleViolation(_("{number}: nothing shipped is left to invoice; invoice all "
                              "of it with --all, or name the lines").format(
            number=order.number), field="order")
    when = effect_date(on, not_before=order.date, what=_("invoice date"))
    check_open(s, when, what=_("invoice date"))
    inv = issue_from_order(s, order, when, wanted, rate)
    entry = entry_of(s, "invoice", inv.id)
    status = refresh_status(s, order)
    return ActionResult(order.number, status, inv.number,
                        [entry.number] if entry is not None else [], None)


def cancel_order(s: Tx, kind: str, ref: str | int, *,
                 on: dt.date | None = None) -> ActionResult:
    """Cancel an order at any stage. A draft or confirmed order just becomes cancelled;
    each invoice or bill gets a reversing entry (refused while payments or credit notes
    are against it: cancel those first); each shipment or receipt gets reversal stock
    moves (refused when that would leave negative stock) and a reversing entry. The date
    (default today) may not be before any effect's date nor on or before the lock date.
    Numbers are kept, never reused."""
    order = resolve_order(s, ref, kind)
    lifecycle.allow(kind, "cancel", order.status, order.number)
    invoices = live_invoices(s, order.id)
    shipments = live_shipments(s, order.id)
    latest = max([order.date] + [d.date for d in (*invoices, *shipments)])
    when = effect_date(on, not_before=latest, what=_("cancel date"))
    check_open(s, when, what=_("cancel date"))
    if not invoices and not shipments:  # nothing to reverse: the order itself changes
        check_open(s, order.date, what=_("{n} dated").format(n=order.number))
    entries: list[str] = []
    for inv in invoices:
        reversal = cancel_invoice(s, inv, when)
        if reversal:
            entries.append(reversal)
    for shipment in shipments:
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
    lifecycle.allow(shipment.kind, "cancel", shipment.status, order.number)
    reversal = lifecycle.cancel(s, shipment.kind, shipment.id, order.number, on)
    shipment.status = "cancelled"
    shipment.cancelled_on = on
    records.save(s, shipment, "status", "cancelled_on")
    return [reversal] if reversal else []


# -- reading ---------------------------------------------------------------------------------

def order_view(s: Tx, order: TradeOrder) -> OrderView:
    contact = s.scalar("SELECT name FROM contact WHERE id = :i", {"i": order.contact_id})
    shipments = live_shipments(s, order.id)
    invoices = live_invoices(s, order.id)
    inv = invoices[0] if invoices else None
    zero = from_minor(0, s.money_digits)
    quote = s.scalar("SELECT number FROM trade_order WHERE id = :i",
                     {"i": order.quote_id}) if order.quote_id else None
    return OrderView(
        order.id, order.kind, order.number, order.date, order.status, order.contact_id,
        contact or "", order.notes, order.net, order.vat, order.gross,
        order_lines(s, order.id), shipments[0].date if shipments else None,
        sum((sh.value for sh in shipments), zero) if shipments else None,
        inv.number if inv else None, inv.status if inv else None,
        sum((balance_due(i) for i in invoices), zero) if inv else None, order.cancelled_on,
        progress(s, order.id),
        [i.number for i in invoices], [sh.date for sh in shipments], quote,
        order.valid_until, order.currency,
        {i.number: i.supplier_ref for i in invoices if i.supplier_ref})


def show_order(s: Tx, kind: str, ref: str | int) -> OrderView:
    return order_view(s, resolve_order(s, ref, kind))
