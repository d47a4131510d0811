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

from sqlmodel import Session, select

from smallbiz import audit, settings
from smallbiz.books.accounts import account_by_role
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.crm.models import Contact
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now, today
from smallbiz.db_util import money_digits
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
from smallbiz.orders.document import DocumentLine, InvoiceDocument, Party, VatTotal
from smallbiz.orders.lists import InvoiceRow, list_invoices  # noqa: F401  (re-exported)
from smallbiz.orders.models import (
    Invoice,
    InvoiceLine,
    OrderLine,
    Payment,
    PaymentAllocation,
    TradeOrder,
)
from smallbiz.stock.models import Product

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

def issue_from_order(s: Session, order: TradeOrder, on: dt.date) -> Invoice:
    """Create and post the invoice (sale) or bill (purchase) of an order's lines.

    The caller has validated the order's state; this takes the next INV-/BILL- number,
    copies the lines, computes the due date from payment terms, posts the entry and
    writes an audit row.
    """
    kind = "invoice" if order.kind == "sale" else "bill"
    contact = resolve_contact(s, order.contact_id)
    number, seq = next_number(s, PREFIX[kind], on)
    lines = list(s.exec(select(OrderLine).where(OrderLine.order_id == order.id)
                        .order_by(OrderLine.position)))
    zero = from_minor(0, money_digits(s))
    net = sum((ln.net for ln in lines), zero)
    vat = sum((ln.vat for ln in lines), zero)
    due = on + dt.timedelta(days=terms_days(s, contact.payment_terms_days))
    inv = Invoice(kind=kind, number=number, year=on.year, seq=seq, contact_id=contact.id,
                  order_id=order.id, date=on, due_date=due, status="open", net=net, vat=vat,
                  gross=net + vat, paid=zero, created_at=now())
    if inv.gross == 0:
        inv.status = "paid"  # nothing is owed
    s.add(inv)
    s.flush()
    assert inv.id is not None
    s.add_all([InvoiceLine(
        invoice_id=inv.id, position=ln.position, product_id=ln.product_id,
        description=ln.description, is_service=ln.is_service, unit=ln.unit,
        quantity=ln.quantity, unit_price=ln.unit_price, discount=ln.discount,
        vat_rate=ln.vat_rate, net=ln.net, vat=ln.vat, gross=ln.gross) for ln in lines])
    s.flush()
    _post(s, inv, lines, contact.name, order.number)
    audit.record(s, "post", kind, number,
                 f"{number} {contact.name} {format_amount(inv.gross, money_digits(s))} "
                 f"({order.number})")
    return inv


def _post(s: Session, inv: Invoice, lines: list[OrderLine], contact: str,
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


def cancel_invoice(s: Session, inv: Invoice, on: dt.date) -> str | None:
    """Cancel a posted invoice or bill: reversing entry, status cancelled, number kept.

    Refuses one with payments allocated (they must be cancelled first). Returns the
    reversal's entry number (None when the document posted nothing).
    """
    if inv.paid != 0:
        pays = [p.number for p, _a in live_allocations(s, inv.id or 0)]
        raise RuleViolation(
            _("{number} has payments allocated ({pays}); cancel them first with "
              "'smallbiz pay cancel'").format(number=inv.number, pays=", ".join(pays)),
            field="invoice")
    check_open(s, inv.date, what=_("{n} dated").format(n=inv.number))
    check_open(s, on, what=_("cancel date"))
    reversal = reverse_entry_of(s, inv.kind, inv.id or 0, on,
                                _("Cancellation of {n}").format(n=inv.number))
    inv.status = "cancelled"
    inv.cancelled_on = on
    s.add(inv)
    s.flush()
    audit.record(s, "cancel", inv.kind, inv.number,
                 f"{inv.number} cancelled" + (f" by {reversal}" if reversal else ""))
    return reversal


def live_allocations(s: Session, invoice_id: int) -> list[tuple[Payment, PaymentAllocation]]:
    return list(s.exec(select(Payment, PaymentAllocation)
                       .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
                       .where(PaymentAllocation.invoice_id == invoice_id,
                              Payment.status == "posted").order_by(Payment.id)).all())


# -- reading ---------------------------------------------------------------------------------

def resolve_invoice(s: Session, ref: str | int, kind: str | None = None) -> Invoice:
    """An invoice or bill by number, unique number prefix, or id."""
    filters = [Invoice.kind == kind] if kind else []
    what = _(LABEL[kind]) if kind else _("invoice or bill")
    return resolve_numbered(s, Invoice, ref, what, *filters, field="invoice")


def _line_views(s: Session, model: Any, owner_col: Any, owner_id: int) -> list[LineView]:
    rows = s.exec(select(model, Product.sku).outerjoin(Product, Product.id == model.product_id)
                  .where(owner_col == owner_id).order_by(model.position)).all()
    return [LineView(ln.position, sku or "", ln.description, ln.is_service, ln.unit,
                     ln.quantity, ln.unit_price, ln.discount, ln.vat_rate, ln.net, ln.vat,
                     ln.gross) for ln, sku in rows]


def invoice_lines(s: Session, invoice_id: int) -> list[LineView]:
    return _line_views(s, InvoiceLine, InvoiceLine.invoice_id, invoice_id)


def order_lines(s: Session, order_id: int) -> list[LineView]:
    return _line_views(s, OrderLine, OrderLine.order_id, order_id)


def invoice_view(s: Session, inv: Invoice) -> InvoiceView:
    assert inv.id is not None
    contact = s.get(Contact, inv.contact_id)
    order = s.get(TradeOrder, inv.order_id) if inv.order_id else None
    entry = entry_of(s, inv.kind, inv.id)
    pays = list(s.exec(select(Payment, PaymentAllocation)
                       .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
                       .where(PaymentAllocation.invoice_id == inv.id)
                       .order_by(Payment.date, Payment.id)).all())
    return InvoiceView(
        inv.id, inv.kind, inv.number, inv.date, inv.due_date, inv.status, inv.contact_id,
        contact.name if contact else "", order.number if order else None, inv.net, inv.vat,
        inv.gross, inv.paid, balance_due(inv), entry.number if entry else None,
        inv.cancelled_on, invoice_lines(s, inv.id),
        [PaymentLink(p.number, p.date, a.amount, p.status) for p, a in pays])


def balance_due(inv: Invoice) -> Decimal:
    return inv.gross - inv.paid if inv.status != "cancelled" else inv.gross - inv.gross


def show_invoice(s: Session, ref: str | int, kind: str | None = None) -> InvoiceView:
    return invoice_view(s, resolve_invoice(s, ref, kind))


# -- the printable document ------------------------------------------------------------------

def _party(c: Contact) -> Party:
    city = " ".join(x for x in (c.postcode, c.city) if x)
    address = [x for x in (c.street, city, c.country) if x]
    return Party(c.name, address, c.tax_id, c.email, c.phone)


def invoice_document(s: Session, number: str | int) -> InvoiceDocument:
    """Everything printed on an invoice or bill (see `smallbiz.orders.document`)."""
    inv = resolve_invoice(s, number)
    book = settings.load(s)
    contact = s.get(Contact, inv.contact_id)
    assert contact is not None and inv.id is not None
    order = s.get(TradeOrder, inv.order_id) if inv.order_id else None
    rows = s.exec(select(InvoiceLine, Product.sku)
                  .outerjoin(Product, Product.id == InvoiceLine.product_id)
                  .where(InvoiceLine.invoice_id == inv.id).order_by(InvoiceLine.position)).all()
    lines = [DocumentLine(ln.description, ln.quantity, ln.unit, ln.unit_price, ln.vat_rate,
                          ln.discount, ln.net, ln.vat, ln.gross, sku or "") for ln, sku in rows]
    per_rate: dict[Decimal, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for ln in lines:
        t = per_rate[ln.vat_rate]
        t[0], t[1], t[2] = t[0] + ln.net, t[1] + ln.vat, t[2] + ln.gross
    totals = [VatTotal(rate, *per_rate[rate]) for rate in sorted(per_rate)]
    return InvoiceDocument(
        kind=inv.kind, number=inv.number, date=inv.date, due_date=inv.due_date,
        status=inv.status, currency=book.currency, digits=book.digits,
        company=Party(book.company_name), customer=_party(contact), lines=lines,
        vat_totals=totals, total_net=inv.net, total_vat=inv.vat, total_gross=inv.gross,
        paid=inv.paid, balance_due=balance_due(inv),
        order_number=order.number if order else "")

