"""Invoices (INV-, we sell) and bills (BILL-, we buy): issue, post, cancel, list, show.

An invoice is issued from a sales order (`sale invoice`); a bill from a purchase order
when its goods are received (`purchase receive`: the receipt acts as the supplier's
bill). Either takes its number when it is posted, in the same transaction as its
journal entry:

    invoice: Dr Receivable (gross, with the contact); Cr Sales (net of stock lines),
             Cr Services (net of service lines); Cr VAT out (VAT)
    bill:    Dr Inventory (net of stock lines), Dr COGS (net of service lines: the chart
             has no per-product expense account, and a bought-in service is most often
             resold); Dr VAT in (VAT); Cr Payable (gross, with the contact)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz import audit, records, settings
from smallbiz.books.accounts import account_by_role
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.crm.service import contact_row, resolve_contact
from smallbiz.dates import now, today
from smallbiz.errors import RuleViolation
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.numbering import next_number
from smallbiz.orders.common import (
    check_open,
    entry_of,
    resolve_numbered,
    reverse_entry_of,
    terms_days,
)
from smallbiz.orders.document import (
    DocumentLine,
    InvoiceDocument,
    Party,
    VatTotal,
    document_languages,
    seller,
)
from smallbiz.orders.lists import InvoiceRow, list_invoices  # noqa: F401  (re-exported)
from smallbiz.orders.records import (
    Invoice,
    InvoiceLine,
    OrderLine,
    Payment,
    PaymentAllocation,
    TradeOrder,
)
from smallbiz.sql import Row, Tx

PREFIX = {"invoice": "INV", "bill": "BILL"}
LABEL = {"invoice": "invoice", "bill": "bill"}


@dataclass(frozen=True)
class LineView:
    """One line of an order or an invoice."""

    position: int
    sku: str
    description: str
    is_service: bool
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class PaymentLink:
    number: str
    date: dt.date
    amount: Decimal  # allocated to this document
    status: str


@dataclass(frozen=True)
class InvoiceView:
    id: int
    kind: str
    number: str
    date: dt.date
    due_date: dt.date
    status: str
    contact_id: int
    contact: str
    order_number: str | None
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    balance_due: Decimal
    entry_number: str | None
    cancelled_on: dt.date | None
    lines: list[LineView] = field(default_factory=list)
    payments: list[PaymentLink] = field(default_factory=list)

    @property
    def days_overdue(self) -> int:
        if self.status != "open":
            return 0
        return max(0, (today() - self.due_date).days)


# -- issuing ---------------------------------------------------------------------------------

def issue_from_order(s: Tx, order: TradeOrder, on: dt.date) -> Invoice:
    """Create and post the invoice (sale) or bill (purchase) of an order's lines.

    The caller has validated the order's state; this takes the next INV-/BILL- number,
    copies the lines, computes the due date from payment terms, posts the entry and
    writes an audit row.
    """
    kind = "invoice" if order.kind == "sale" else "bill"
    contact = resolve_contact(s, order.contact_id)
    number, seq = next_number(s, PREFIX[kind], on)
    lines = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                         {"o": order.id})
    zero = from_minor(0, s.money_digits)
    net = sum((ln.net for ln in lines), zero)
    vat = sum((ln.vat for ln in lines), zero)
    due = on + dt.timedelta(days=terms_days(s, contact.payment_terms_days))
    inv = Invoice(kind=kind, number=number, year=on.year, seq=seq, contact_id=contact.id,
                  order_id=order.id, date=on, due_date=due, status="open", net=net, vat=vat,
                  gross=net + vat, paid=zero, created_at=now())
    if inv.gross == 0:
        inv.status = "paid"  # nothing is owed
    records.insert(s, inv)
    records.insert_many(s, [InvoiceLine(
        invoice_id=inv.id, position=ln.position, product_id=ln.product_id,
        description=ln.description, is_service=ln.is_service, unit=ln.unit,
        quantity=ln.quantity, unit_price=ln.unit_price, discount=ln.discount,
        vat_rate=ln.vat_rate, vat_code=ln.vat_code, net=ln.net, vat=ln.vat, gross=ln.gross)
        for ln in lines])
    _post(s, inv, lines, contact.name, order.number)
    audit.record(s, "post", kind, number,
                 f"{number} {contact.name} {format_amount(inv.gross, s.money_digits)} "
                 f"({order.number})")
    return inv


def _post(s: Tx, inv: Invoice, lines: list[OrderLine], contact: str,
          order_number: str) -> None:
    stock_net = sum((ln.net for ln in lines if not ln.is_service), Decimal(0))
    service_net = sum((ln.net for ln in lines if ln.is_service), Decimal(0))
    if inv.kind == "invoice":
        memo = _("Invoice {n} {contact} ({order})")
        postings = [("receivable", inv.gross, True), ("sales", -stock_net, False),
                    ("services", -service_net, False), ("vat_out", -inv.vat, False)]
    else:
        memo = _("Bill {n} {contact} ({order})")
        postings = [("inventory", stock_net, False), ("cogs", service_net, False),
                    ("vat_in", inv.vat, False), ("payable", -inv.gross, True)]
    lines_in = [PostingInput(account_by_role(s, role).code, amount,
                             inv.contact_id if with_contact else None, inv.number)
                for role, amount, with_contact in postings if amount != 0]
    if lines_in:
        post_entry(s, inv.date, memo.format(n=inv.number, contact=contact, order=order_number),
                   lines_in, source=inv.kind, source_id=inv.id)


def cancel_invoice(s: Tx, inv: Invoice, on: dt.date) -> str | None:
    """Cancel a posted invoice or bill: reversing entry, status cancelled, number kept.

    Refuses one with payments allocated (they must be cancelled first). Returns the
    reversal's entry number (None when the document posted nothing).
    """
    if inv.paid != 0:
        pays = [p.number for p, _a in live_allocations(s, inv.id)]
        raise RuleViolation(
            _("{number} has payments allocated ({pays}); cancel them first with "
              "'smallbiz pay cancel'").format(number=inv.number, pays=", ".join(pays)),
            field="invoice")
    check_open(s, inv.date, what=_("{n} dated").format(n=inv.number))
    check_open(s, on, what=_("cancel date"))
    reversal = reverse_entry_of(s, inv.kind, inv.id, on,
                                _("Cancellation of {n}").format(n=inv.number))
    inv.status = "cancelled"
    inv.cancelled_on = on
    records.save(s, inv, "status", "cancelled_on")
    audit.record(s, "cancel", inv.kind, inv.number,
                 f"{inv.number} cancelled" + (f" by {reversal}" if reversal else ""))
    return reversal


def allocations(s: Tx, invoice_id: int, *, live_only: bool = False, order: str = "p.id"
                ) -> list[tuple[Payment, PaymentAllocation]]:
    """The payments allocated to a document, with their allocations."""
    pay, alloc = records.columns(Payment, "p"), records.columns(PaymentAllocation, "a")
    live = " AND p.status = 'posted'" if live_only else ""
    n = records.width(Payment)
    rows = s.all(f"SELECT {pay}, {alloc} FROM payment p JOIN payment_allocation a "
                 f"ON a.payment_id = p.id WHERE a.invoice_id = :i{live} ORDER BY {order}",
                 {"i": invoice_id})
    return [(records.from_row(s, Payment, r[:n]), records.from_row(s, PaymentAllocation, r[n:]))
            for r in rows]


def live_allocations(s: Tx, invoice_id: int) -> list[tuple[Payment, PaymentAllocation]]:
    return allocations(s, invoice_id, live_only=True)


# -- reading ---------------------------------------------------------------------------------

def resolve_invoice(s: Tx, ref: str | int, kind: str | None = None) -> Invoice:
    """An invoice or bill by number, unique number prefix, or id."""
    what = _(LABEL[kind]) if kind else _("invoice or bill")
    if kind:
        return resolve_numbered(s, Invoice, ref, what, "kind = :kind", {"kind": kind},
                                field="invoice")
    return resolve_numbered(s, Invoice, ref, what, field="invoice")


def _lines_with_sku(s: Tx, model: type[OrderLine] | type[InvoiceLine], owner: str,
                    owner_id: int) -> list[tuple[Any, str]]:
    cols = records.columns(model, "ln")
    rows = s.all(f"SELECT {cols}, p.sku FROM {model.__table__} ln LEFT JOIN product p "
                 f"ON p.id = ln.product_id WHERE ln.{owner} = :o ORDER BY ln.position",
                 {"o": owner_id})
    return [(records.from_row(s, model, r[:-1]), r[-1] or "") for r in rows]


def _line_views(s: Tx, model: type[OrderLine] | type[InvoiceLine], owner: str,
                owner_id: int) -> list[LineView]:
    return [LineView(ln.position, sku, ln.description, ln.is_service, ln.unit,
                     ln.quantity, ln.unit_price, ln.discount, ln.vat_rate, ln.net, ln.vat,
                     ln.gross) for ln, sku in _lines_with_sku(s, model, owner, owner_id)]


def invoice_lines(s: Tx, invoice_id: int) -> list[LineView]:
    return _line_views(s, InvoiceLine, "invoice_id", invoice_id)


def order_lines(s: Tx, order_id: int) -> list[LineView]:
    return _line_views(s, OrderLine, "order_id", order_id)


def _number_of(s: Tx, table: str, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    return s.scalar(f"SELECT number FROM {table} WHERE id = :i", {"i": row_id})


def invoice_view(s: Tx, inv: Invoice) -> InvoiceView:
    contact = s.scalar("SELECT name FROM contact WHERE id = :i", {"i": inv.contact_id})
    order = _number_of(s, "trade_order", inv.order_id)
    entry = entry_of(s, inv.kind, inv.id)
    pays = allocations(s, inv.id, order="p.date, p.id")
    return InvoiceView(
        inv.id, inv.kind, inv.number, inv.date, inv.due_date, inv.status, inv.contact_id,
        contact or "", order, inv.net, inv.vat,
        inv.gross, inv.paid, balance_due(inv), entry.number if entry else None,
        inv.cancelled_on, invoice_lines(s, inv.id),
        [PaymentLink(p.number, p.date, a.amount, p.status) for p, a in pays])


def balance_due(inv: Invoice) -> Decimal:
    return inv.gross - inv.paid if inv.status != "cancelled" else inv.gross - inv.gross


def show_invoice(s: Tx, ref: str | int, kind: str | None = None) -> InvoiceView:
    return invoice_view(s, resolve_invoice(s, ref, kind))


# -- the printable document ------------------------------------------------------------------

def _party(c: Row) -> Party:
    city = " ".join(x for x in (c.postcode, c.city) if x)
    address = [x for x in (c.street, city, c.country) if x]
    return Party(c.name, address, c.tax_id, c.email, c.phone, c.country)


def invoice_document(s: Tx, number: str | int, language: str | None = None
                     ) -> InvoiceDocument:
    """Everything printed on an invoice or bill (see `smallbiz.orders.document`)."""
    inv = resolve_invoice(s, number)
    book = settings.load(s)
    contact = contact_row(s, inv.contact_id)
    assert contact is not None
    order = _number_of(s, "trade_order", inv.order_id)
    lines = [DocumentLine(ln.description, ln.quantity, ln.unit, ln.unit_price, ln.vat_rate,
                          ln.discount, ln.net, ln.vat, ln.gross, sku, ln.vat_code)
             for ln, sku in _lines_with_sku(s, InvoiceLine, "invoice_id", inv.id)]
    per_rate: dict[tuple[Decimal, str], list[Decimal]] = defaultdict(
        lambda: [Decimal(0)] * 3)
    for ln in lines:
        t = per_rate[ln.vat_rate, ln.vat_code]
        t[0], t[1], t[2] = t[0] + ln.net, t[1] + ln.vat, t[2] + ln.gross
    totals = [VatTotal(key[0], *per_rate[key], code=key[1]) for key in sorted(per_rate)]
    return InvoiceDocument(
        kind=inv.kind, number=inv.number, date=inv.date, due_date=inv.due_date,
        status=inv.status, currency=book.currency, digits=book.digits,
        company=seller(s), customer=_party(contact), lines=lines,
        vat_totals=totals, total_net=inv.net, total_vat=inv.vat, total_gross=inv.gross,
        paid=inv.paid, balance_due=balance_due(inv),
        order_number=order or "", languages=document_languages(s, contact.country, language))

