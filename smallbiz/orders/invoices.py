"""Invoices (INV-, we sell) and bills (BILL-, we buy): issue, post, cancel, list, show.

An invoice is issued from a sales order (`sale invoice`: all of it, or part of its
quantities, several times) or directly (`invoice new`, `smallbiz.orders.direct`); a bill
from a purchase order when its goods are received (`purchase receive`: each receipt acts
as the supplier's bill for what arrived) or directly (`bill new`). Either takes its number
when it is posted, in the same transaction as its journal entry; what it posts is its
kind's legs in `smallbiz.orders.lifecycle`:

    invoice: Dr Receivable (gross, with the contact); Cr Sales (net of stock lines),
             Cr Services or the line's own account (net of service lines); Cr VAT out
    bill:    Dr Inventory (net of stock lines), Dr the line's own account or Other
             expenses (net of service and expense lines); Dr VAT in; Cr Payable (gross)

Its balance due is gross − paid − credited (the live credit or debit notes against it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz import audit, records, settings
from smallbiz.books.fx import Foreign, convert_lines, resolve_foreign
from smallbiz.crm.service import ContactRef, contact_row, resolve_contact
from smallbiz.dates import now, today
from smallbiz.errors import AmbiguousReference, NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import QTY_DIGITS, format_amount, from_minor
from smallbiz.numbering import next_number
from smallbiz.orders import lifecycle
from smallbiz.orders.common import (
    check_open,
    entry_of,
    resolve_numbered,
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
from smallbiz.orders.lines import part_amounts
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
from smallbiz.textcheck import refuse_control

SUPPLIER_REF_LENGTH = 64

PREFIX = {"invoice": "INV", "bill": "BILL"}
LABEL = {"invoice": "invoice", "bill": "bill", "credit_note": "credit note",
         "debit_note": "debit note"}


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
    net_fx: Decimal | None = None  # a foreign document's line: net and VAT in its currency
    vat_fx: Decimal | None = None


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
    credited: Decimal = Decimal(0)  # by live credit (debit) notes
    notes: list[str] = field(default_factory=list)  # the CN-/DN- against it, live or not
    credits: str | None = None  # a note: the INV-/BILL- it credits
    with_return: bool = False  # a note: the goods came back
    #: A document in another currency: its currency and rate, gross, paid and balance
    #: due in it (the amounts above are the book currency's).
    currency: str | None = None
    rate: Decimal | None = None
    gross_fx: Decimal | None = None
    paid_fx: Decimal | None = None
    balance_due_fx: Decimal | None = None
    supplier_ref: str = ""  # a bill: the supplier's own number for it

    @property
    def days_overdue(self) -> int:
        if self.status != "open":
            return 0
        return max(0, (today() - self.due_date).days)


# -- issuing ---------------------------------------------------------------------------------

def issue_from_order(s: Tx, order: TradeOrder, on: dt.date,
                     quantities: dict[int, Decimal] | None = None,
                     rate: str | Decimal | None = None, *,
                     supplier_ref: str = "") -> Invoice:
    """Create and post the invoice (sale) or bill (purchase) of an order's lines:
    `quantities` (order line id → quantity; None: every line's quantity not yet invoiced).

    The caller has validated the order's state and the quantities; this takes the next
    INV-/BILL- number, writes the lines (a line invoiced to its end takes what is left of
    its amounts, so the invoices of an order add up to it exactly), computes the due date
    from payment terms, posts the entry and writes an audit row. An order in another
    currency gives a document in it, at `rate` (default: the rate table's for `on`).
    """
    kind = "invoice" if order.kind == "sale" else "bill"
    fx = resolve_foreign(s, order.currency, rate, on) if order.currency or rate else None
    contact = resolve_contact(s, order.contact_id)
    order_lines_ = records.load(s, OrderLine, "WHERE order_id = :o ORDER BY position",
                                {"o": order.id})
    done = invoiced_by_line(s, order.id)
    rows = []
    for ln in order_lines_:
        taken = done.get(ln.id, (Decimal(0), Decimal(0), Decimal(0)))
        qty = ln.quantity - taken[0] if quantities is None else quantities.get(ln.id, 0)
        if qty <= 0:
            continue
        net, vat = part_amounts(ln, qty, taken, s.money_digits)
        rows.append(InvoiceLine(
            invoice_id=0, position=len(rows) + 1, product_id=ln.product_id,
            description=ln.description, is_service=ln.is_service, unit=ln.unit,
            quantity=qty, unit_price=ln.unit_price, discount=ln.discount,
            vat_rate=ln.vat_rate, vat_code=ln.vat_code, net=net, vat=vat, gross=net + vat,
            account_id=ln.account_id, order_line_id=ln.id))
    return write_invoice(s, kind, contact, on, rows, order_id=order.id, ref=order.number,
                         fx=fx, supplier_ref=supplier_ref)


def clean_supplier_ref(s: Tx, kind: str, contact_id: int, text: str | None, *,
                       except_id: int | None = None) -> str:
    """The supplier's own number for a bill, as stored: spaces folded, at most 64
    characters, no control characters; only a bill has one; the same supplier's other
    live bill may not have it already (it would be booked twice). Empty: none."""
    ref = " ".join(refuse_control(text or "", "supplier_ref").split())
    if not ref:
        return ""
    if kind != "bill":
        raise ValidationError(_("supplier's reference: only a supplier's bill has one"),
                              field="supplier_ref")
    if len(ref) > SUPPLIER_REF_LENGTH:
        raise ValidationError(_("supplier's reference: at most {n} characters").format(
            n=SUPPLIER_REF_LENGTH), field="supplier_ref")
    twin = s.scalar("SELECT number FROM invoice WHERE contact_id = :c AND kind = 'bill' "
                    "AND status <> 'cancelled' AND lower(supplier_ref) = :r AND id <> :i "
                    "ORDER BY id LIMIT 1",
                    {"c": contact_id, "r": ref.lower(), "i": except_id or 0})
    if twin:
        raise RuleViolation(_("supplier's reference {ref} is already on {bill} of this "
                              "supplier").format(ref=ref, bill=twin), field="supplier_ref")
    return ref


def set_supplier_ref(s: Tx, bill: str | int, text: str) -> Invoice:
    """Set (or, with an empty text, clear) a bill's supplier reference. Validated by
    `clean_supplier_ref`; writes the bill and an audit row (nothing when unchanged)."""
    inv = resolve_invoice(s, bill)
    ref = clean_supplier_ref(s, inv.kind, inv.contact_id, text, except_id=inv.id)
    if ref != inv.supplier_ref:
        before, inv.supplier_ref = inv.supplier_ref, ref
        records.save(s, inv, "supplier_ref")
        audit.record(s, "update", inv.kind, inv.number,
                     f"{inv.number} supplier's reference: {before or '-'} -> {ref or '-'}")
    return inv


def write_invoice(s: Tx, kind: str, contact: ContactRef, on: dt.date,
                  lines: list[InvoiceLine], *, order_id: int | None = None, ref: str = "",
                  due: dt.date | None = None, fx: Foreign | None = None,
                  supplier_ref: str = "") -> Invoice:
    """Number, write and post an invoice or bill from its lines (their `invoice_id` is
    filled in here); `due`: default from the contact's or the book's payment terms;
    `supplier_ref`: a bill's supplier's own number (see `clean_supplier_ref`).

    `fx`: the lines are in that currency (unit prices, net, VAT); they keep those
    amounts (`net_fx`, `vat_fx`) and are converted at its rate (`books.fx.convert_lines`:
    each line by the rule, the largest line's net takes what rounding leaves), so the
    document's book gross is its foreign gross converted, and its receivable or payable
    posting carries the foreign gross and the rate."""
    theirs = clean_supplier_ref(s, kind, contact.id, supplier_ref)
    number, seq = next_number(s, lifecycle.kind(kind).prefix or "", on)
    zero = from_minor(0, s.money_digits)
    gross_fx = None
    if fx is not None:
        gross_fx = sum((ln.net + ln.vat for ln in lines), zero)
        converted = convert_lines([(ln.net, ln.vat) for ln in lines], fx.rate,
                                  s.money_digits)
        for ln, (net_, vat_) in zip(lines, converted, strict=True):
            ln.net_fx, ln.vat_fx = ln.net, ln.vat
            ln.net, ln.vat, ln.gross = net_, vat_, net_ + vat_
    net = sum((ln.net for ln in lines), zero)
    vat = sum((ln.vat for ln in lines), zero)
    due = due or on + dt.timedelta(days=terms_days(s, contact.payment_terms_days))
    inv = Invoice(kind=kind, number=number, year=on.year, seq=seq, contact_id=contact.id,
                  order_id=order_id, date=on, due_date=due, status="open", net=net, vat=vat,
                  gross=net + vat, paid=zero, created_at=now(), credited=zero,
                  currency=fx.currency if fx else None, rate=fx.rate if fx else None,
                  gross_fx=gross_fx, paid_fx=zero if fx else None,
                  credited_fx=zero if fx else None, supplier_ref=theirs)
    if inv.gross == 0:
        inv.status = "paid"  # nothing is owed
    records.insert(s, inv)
    for ln in lines:
        ln.invoice_id = inv.id
    records.insert_many(s, lines)
    lifecycle.post(s, kind, lifecycle.Posting(
        inv.id, inv.number, inv.date, contact.id, contact.name,
        f" ({ref})" if ref else "", document_amounts(s, lines),
        (fx.currency, gross_fx, fx.rate) if fx and gross_fx is not None else None))
    audit.record(s, "post", kind, number,
                 f"{number} {contact.name} {format_amount(inv.gross, s.money_digits)}"
                 + (f" ({format_amount(gross_fx, s.money_digits)} {fx.currency} at "
                    f"{fx.rate})" if fx and gross_fx is not None else "")
                 + (f" ({ref})" if ref else "") + (f" [{theirs}]" if theirs else ""))
    return inv


def document_amounts(s: Tx, lines: list[InvoiceLine]) -> dict[str, Any]:
    """A document's amounts by the lifecycle's legs: the net of stock lines, of service
    lines without an account of their own, per own account (code → net), VAT, gross."""
    zero = from_minor(0, s.money_digits)
    stock = sum((ln.net for ln in lines if not ln.is_service), zero)
    service = sum((ln.net for ln in lines if ln.is_service and ln.account_id is None), zero)
    by_account: dict[str, Decimal] = defaultdict(lambda: zero)
    for ln in lines:
        if ln.is_service and ln.account_id is not None:
            code = s.scalar("SELECT code FROM account WHERE id = :i", {"i": ln.account_id})
            by_account[code] += ln.net
    vat = sum((ln.vat for ln in lines), zero)
    return {"stock_net": stock, "service_net": service, "by_account": dict(by_account),
            "vat": vat, "gross": stock + service + sum(by_account.values(), zero) + vat}


def line_sums(s: Tx, key: str, where: str, params: dict[str, Any], *, book: bool = False
              ) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """`invoice_line.<key>` (the line a line invoices or credits) → (quantity, net, VAT)
    summed over the live documents (`i`) that `where` selects, in the documents' own
    currency (a foreign order's invoices: its currency, like the order's lines), or with
    `book` in the book currency."""
    digits = s.money_digits
    net, vat = ("l.net", "l.vat") if book else ("COALESCE(l.net_fx, l.net)",
                                                "COALESCE(l.vat_fx, l.vat)")
    return {line_id: (from_minor(q, QTY_DIGITS), from_minor(n, digits), from_minor(v, digits))
            for line_id, q, n, v in s.execute(
                f"SELECT l.{key}, SUM(l.quantity), SUM({net}), SUM({vat}) "
                "FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
                f"WHERE {where} AND i.status <> 'cancelled' AND l.{key} IS NOT NULL "
                f"GROUP BY l.{key}", params)}


def invoiced_by_line(s: Tx, order_id: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Order line id → (quantity, net, VAT) on the order's live invoices or bills."""
    return line_sums(s, "order_line_id", "i.order_id = :o", {"o": order_id})


def cancel_invoice(s: Tx, inv: Invoice, on: dt.date) -> str | None:
    """Cancel a posted invoice or bill: reversing entry, status cancelled, number kept.

    Refuses one with payments allocated or credit notes against it (they must be
    cancelled first). Returns the reversal's entry number (None when the document posted
    nothing).
    """
    lifecycle.allow(inv.kind, "cancel", inv.status, inv.number)
    if inv.paid != 0:
        pays = [p.number for p, _a in live_allocations(s, inv.id)]
        raise RuleViolation(
            _("{number} has payments allocated ({pays}); cancel them first with "
              "'smallbiz pay cancel'").format(number=inv.number, pays=", ".join(pays)),
            field="invoice")
    if inv.credited != 0:
        notes = [n for (n,) in s.execute(
            "SELECT number FROM invoice WHERE credits_id = :i AND status <> 'cancelled' "
            "ORDER BY id", {"i": inv.id})]
        raise RuleViolation(
            _("{number} has credit notes against it ({notes}); cancel them first with "
              "'smallbiz credit cancel'").format(number=inv.number, notes=", ".join(notes)),
            field="invoice")
    check_open(s, inv.date, what=_("{n} dated").format(n=inv.number))
    check_open(s, on, what=_("cancel date"))
    reversal = lifecycle.cancel(s, inv.kind, inv.id, inv.number, on)
    inv.status = "cancelled"
    inv.cancelled_on = on
    records.save(s, inv, "status", "cancelled_on")
    audit.record(s, "cancel", inv.kind, inv.number,
                 f"{inv.number} cancelled" + (f" by {reversal}" if reversal else ""))
    return reversal


def settle(s: Tx, inv: Invoice) -> None:
    """Set an invoice's or bill's status from what is paid and credited (open or paid)."""
    if inv.status != "cancelled":
        inv.status = "paid" if inv.paid + inv.credited == inv.gross else "open"
    records.save(s, inv, "paid", "credited", "status")


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


def resolve_document_ref(s: Tx, ref: str | int) -> Invoice:
    """An invoice or bill by what a user types for it: its number (any case), else the
    supplier's own reference of a live bill (any case, spaces folded), else its id or a
    unique number prefix (`resolve_invoice`). A reference on the bills of several
    suppliers is ambiguous (it names them); one that matches nothing says so."""
    text = " ".join(str(ref).split())
    exact = records.load(s, Invoice, "WHERE upper(number) = :n", {"n": text.upper()})
    if exact or not text:
        return exact[0] if exact else resolve_invoice(s, text)
    theirs = s.all("SELECT i.number, c.name FROM invoice i JOIN contact c ON c.id = "
                   "i.contact_id WHERE i.kind = 'bill' AND i.status <> 'cancelled' AND "
                   "lower(i.supplier_ref) = :r ORDER BY i.number", {"r": text.lower()})
    if len(theirs) == 1:
        return resolve_invoice(s, theirs[0][0])
    if theirs:
        names = [f"{number} ({name})" for number, name in theirs]
        raise AmbiguousReference(
            _("supplier's reference '{ref}' is on bills of several suppliers: {bills}; "
              "give the bill's number").format(ref=text, bills=", ".join(names)),
            names, field="bill")
    try:
        return resolve_invoice(s, text)
    except NotFound:
        raise NotFound(_("no invoice or bill has the number or supplier's reference "
                         "'{ref}'").format(ref=text), field="bill") from None


def lines_with_sku(s: Tx, model: type[OrderLine] | type[InvoiceLine], owner: str,
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
                     ln.gross, getattr(ln, "net_fx", None), getattr(ln, "vat_fx", None))
            for ln, sku in lines_with_sku(s, model, owner, owner_id)]


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
    notes = [n for (n,) in s.execute("SELECT number FROM invoice WHERE credits_id = :i "
                                      "ORDER BY id", {"i": inv.id})]
    return InvoiceView(
        inv.id, inv.kind, inv.number, inv.date, inv.due_date, inv.status, inv.contact_id,
        contact or "", order, inv.net, inv.vat,
        inv.gross, inv.paid, balance_due(inv), entry.number if entry else None,
        inv.cancelled_on, invoice_lines(s, inv.id),
        [PaymentLink(p.number, p.date, a.amount, p.status) for p, a in pays],
        inv.credited, notes, _number_of(s, "invoice", inv.credits_id), inv.with_return,
        inv.currency, inv.rate, inv.gross_fx, inv.paid_fx, balance_due_fx(inv),
        inv.supplier_ref)


def balance_due(inv: Invoice) -> Decimal:
    """What is still owed on an invoice or bill: gross − paid − credited (0 if cancelled)."""
    if inv.status == "cancelled":
        return inv.gross - inv.gross
    return inv.gross - inv.paid - inv.credited


def balance_due_fx(inv: Invoice) -> Decimal | None:
    """A foreign invoice's or bill's balance due in its currency: gross − paid −
    credited, in it (None: in the book's)."""
    if inv.currency is None or inv.gross_fx is None:
        return None
    if inv.status == "cancelled":
        return inv.gross_fx - inv.gross_fx
    return inv.gross_fx - (inv.paid_fx or 0) - (inv.credited_fx or 0)


def show_invoice(s: Tx, ref: str | int, kind: str | None = None) -> InvoiceView:
    return invoice_view(s, resolve_invoice(s, ref, kind))


# -- the printable document ------------------------------------------------------------------

def party_of(c: Row) -> Party:
    city = " ".join(x for x in (c.postcode, c.city) if x)
    address = [x for x in (c.street, city, c.country) if x]
    return Party(c.name, address, c.tax_id, c.email, c.phone, c.country)


def vat_totals(lines: list[DocumentLine]) -> list[VatTotal]:
    """Net, VAT and gross per VAT rate and code of a printed document's lines."""
    per_rate: dict[tuple[Decimal, str], list[Decimal]] = defaultdict(
        lambda: [Decimal(0)] * 3)
    for ln in lines:
        t = per_rate[ln.vat_rate, ln.vat_code]
        t[0], t[1], t[2] = t[0] + ln.net, t[1] + ln.vat, t[2] + ln.gross
    return [VatTotal(key[0], *per_rate[key], code=key[1]) for key in sorted(per_rate)]


def invoice_document(s: Tx, number: str | int, language: str | None = None
                     ) -> InvoiceDocument:
    """Everything printed on an invoice or bill (see `smallbiz.orders.document`)."""
    inv = resolve_invoice(s, number)
    book = settings.load(s)
    contact = contact_row(s, inv.contact_id)
    assert contact is not None
    order = _number_of(s, "trade_order", inv.order_id)
    rows = lines_with_sku(s, InvoiceLine, "invoice_id", inv.id)
    if inv.currency is not None:  # printed in its own currency, as it was priced
        zero = from_minor(0, s.money_digits)
        lines = [DocumentLine(ln.description, ln.quantity, ln.unit, ln.unit_price,
                              ln.vat_rate, ln.discount, ln.net_fx or zero, ln.vat_fx or zero,
                              (ln.net_fx or zero) + (ln.vat_fx or zero), sku, ln.vat_code)
                 for ln, sku in rows]
    else:
        lines = [DocumentLine(ln.description, ln.quantity, ln.unit, ln.unit_price,
                              ln.vat_rate, ln.discount, ln.net, ln.vat, ln.gross, sku,
                              ln.vat_code) for ln, sku in rows]
    totals = vat_totals(lines)
    foreign = inv.currency is not None
    net = sum((ln.net for ln in lines), Decimal(0)) if foreign else inv.net
    vat = sum((ln.vat for ln in lines), Decimal(0)) if foreign else inv.vat
    return InvoiceDocument(
        kind=inv.kind, number=inv.number, date=inv.date, due_date=inv.due_date,
        status=inv.status, currency=inv.currency or book.currency, digits=book.digits,
        company=seller(s), customer=party_of(contact), lines=lines,
        vat_totals=totals, total_net=net, total_vat=vat,
        total_gross=net + vat if foreign else inv.gross,
        paid=inv.paid_fx if foreign and inv.paid_fx is not None else inv.paid,
        balance_due=due_fx if (due_fx := balance_due_fx(inv)) is not None
        else balance_due(inv),
        order_number=order or "", languages=document_languages(s, contact.country, language))

