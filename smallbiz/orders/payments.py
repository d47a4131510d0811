"""Payments (PAY-): money in from customers, money out to suppliers.

One payment may settle several invoices (or bills) of one contact, each partly or in
full; it never pays more than a document's balance due. In the caller's transaction:

    in:  Dr Bank or Cash (total); Cr Receivable (per invoice, with the contact)
    out: Dr Payable (per bill, with the contact); Cr Bank or Cash (total)

Cancelling a payment posts the reversing entry and frees its allocations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz import audit, records
from smallbiz.books.accounts import AccountRef, account_by_role, resolve_account
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount
from smallbiz.numbering import next_number
from smallbiz.orders.common import (
    check_open,
    effect_date,
    entry_of,
    resolve_numbered,
    reverse_entry_of,
)
from smallbiz.orders.invoices import balance_due, resolve_invoice, settle
from smallbiz.orders.lists import PaymentRow, list_payments  # noqa: F401  (re-exported)
from smallbiz.orders.records import Invoice, Payment, PaymentAllocation, TradeOrder
from smallbiz.orders.service import refresh_status
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

KIND_OF = {"in": "invoice", "out": "bill"}
#: Roles an account may not have to receive or pay money through it.
_NOT_MONEY = ("receivable", "payable", "inventory", "vat_in", "vat_out")


@dataclass(frozen=True)
class AllocationInput:
    invoice: str | int  # INV-/BILL- number, unique prefix, or id
    amount: Decimal


@dataclass(frozen=True)
class AllocationView:
    invoice: str
    amount: Decimal
    balance_due: Decimal  # of the document, after this payment


@dataclass(frozen=True)
class PaymentView:
    id: int
    number: str
    direction: str
    date: dt.date
    contact_id: int
    contact: str
    account: str
    amount: Decimal
    status: str
    entry_number: str | None
    memo: str
    allocations: list[AllocationView] = field(default_factory=list)


def money_account(s: Tx, code: str | None) -> AccountRef:
    """The bank or cash account `code` names (default: the `bank` role): an asset that
    is not a receivable, payable, stock or VAT account, and not archived."""
    if code is None:
        return account_by_role(s, "bank")
    acc = resolve_account(s, code, field="--account")
    if acc.type != "asset" or acc.role in _NOT_MONEY:
        raise ValidationError(
            _("--account: {code} {name} is not a bank or cash account").format(
                code=acc.code, name=acc.name), field="--account")
    if acc.archived:
        raise RuleViolation(_("--account: {code} is archived").format(code=acc.code),
                            field="--account")
    return acc


def record_payment(s: Tx, direction: str, allocations: list[AllocationInput], *,
                   on: dt.date | None = None, account: str | None = None,
                   memo: str = "") -> PaymentView:
    """Record money received ('in', against invoices) or paid ('out', against bills).

    Validates: at least one allocation; every document exists, is of the right kind,
    open, and of the same contact; each amount > 0; the amounts per document do not
    exceed its balance due; the date (default today) is not before any document's date
    nor on or before the lock date; the account (default the `bank` role) is a money
    account. Writes the payment (PAY- number), its allocations, the documents' paid
    amounts and status, the journal entry and an audit row.
    """
    if direction not in KIND_OF:
        raise ValidationError(f"unknown payment direction {direction!r}")
    refuse_control(memo, "memo")
    if not allocations:
        raise ValidationError(_("a payment needs at least one invoice to settle"),
                              field="invoice")
    kind = KIND_OF[direction]
    digits = s.money_digits
    docs: list[Invoice] = []
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for a in allocations:
        inv = resolve_invoice(s, a.invoice, kind)
        if a.amount <= 0:
            raise ValidationError(_("amount: {amount} must be more than 0").format(
                amount=format_amount(a.amount, digits)), field="amount")
        if inv.status == "cancelled":
            raise RuleViolation(_("{n} is cancelled").format(n=inv.number), field="invoice")
        if docs and inv.contact_id != docs[0].contact_id:
            raise RuleViolation(_("{a} and {b} belong to different contacts; one payment "
                                  "settles documents of one contact").format(
                a=docs[0].number, b=inv.number), field="invoice")
        if inv.id not in wanted:
            docs.append(inv)
        wanted[inv.id] += a.amount
    for inv in docs:
        due = balance_due(inv)
        if wanted[inv.id] > due:
            raise RuleViolation(
                _("{n}: paying {amount} is more than the balance due {due}").format(
                    n=inv.number, amount=format_amount(wanted[inv.id], digits),
                    due=format_amount(due, digits)), field="amount")
    when = effect_date(on, not_before=max(d.date for d in docs), what=_("payment date"))
    check_open(s, when, what=_("payment date"))
    acc = money_account(s, account)
    contact = resolve_contact(s, docs[0].contact_id)
    total = sum(wanted.values(), Decimal(0))
    number, seq = next_number(s, "PAY", when)
    pay = Payment(direction=direction, number=number, year=when.year, seq=seq,
                  contact_id=contact.id, date=when, account_id=acc.id, amount=total,
                  memo=memo.strip(), status="posted", created_at=now())
    records.insert(s, pay)
    other = account_by_role(s, "receivable" if direction == "in" else "payable")
    sign = 1 if direction == "in" else -1
    postings = [PostingInput(acc.code, sign * total, memo=number)]
    views = []
    for inv in docs:
        amount = wanted[inv.id]
        records.insert(s, PaymentAllocation(payment_id=pay.id, invoice_id=inv.id,
                                            amount=amount))
        _set_paid(s, inv, inv.paid + amount)
        postings.append(PostingInput(other.code, -sign * amount, contact.id, inv.number))
        views.append(AllocationView(inv.number, amount, balance_due(inv)))
    text_memo = memo.strip() or (
        _("Payment {n} from {c}") if direction == "in" else _("Payment {n} to {c}")).format(
        n=number, c=contact.name)
    entry = post_entry(s, when, text_memo, postings, source="payment", source_id=pay.id)
    audit.record(s, "post", "payment", number,
                 f"{number} {direction} {contact.name} {format_amount(total, digits)} for "
                 + ", ".join(d.number for d in docs))
    return PaymentView(pay.id, number, direction, when, contact.id, contact.name, acc.code,
                       total, pay.status, entry.number, pay.memo, views)


def _set_paid(s: Tx, inv: Invoice, paid: Decimal) -> None:
    inv.paid = paid
    settle(s, inv)
    if inv.order_id is not None:
        order = records.get(s, TradeOrder, inv.order_id)
        if order is not None:
            refresh_status(s, order)


def resolve_payment(s: Tx, ref: str | int) -> Payment:
    return resolve_numbered(s, Payment, ref, _("payment"), field="payment")


def cancel_payment(s: Tx, ref: str | int, *, on: dt.date | None = None) -> PaymentView:
    """Cancel a payment: reversing entry (dated `on`, default today, not before the
    payment), its allocations no longer count, the documents are open again."""
    pay = resolve_payment(s, ref)
    if pay.status == "cancelled":
        raise RuleViolation(_("{n} is already cancelled").format(n=pay.number),
                            field="payment")
    when = effect_date(on, not_before=pay.date, what=_("cancel date"))
    check_open(s, pay.date, what=_("{n} dated").format(n=pay.number))
    check_open(s, when, what=_("cancel date"))
    allocations = records.load(s, PaymentAllocation, "WHERE payment_id = :p ORDER BY id",
                               {"p": pay.id})
    for a in allocations:
        inv = records.get(s, Invoice, a.invoice_id)
        assert inv is not None
        _set_paid(s, inv, inv.paid - a.amount)
    reverse_entry_of(s, "payment", pay.id, when,
                     _("Cancellation of {n}").format(n=pay.number))
    pay.status = "cancelled"
    pay.cancelled_on = when
    records.save(s, pay, "status", "cancelled_on")
    audit.record(s, "cancel", "payment", pay.number, f"{pay.number} cancelled")
    return payment_view(s, pay)


def payment_view(s: Tx, pay: Payment) -> PaymentView:
    contact = resolve_contact(s, pay.contact_id)
    acc = s.scalar("SELECT code FROM account WHERE id = :i", {"i": pay.account_id})
    allocations = records.load(s, PaymentAllocation, "WHERE payment_id = :p ORDER BY id",
                               {"p": pay.id})
    views = []
    for a in allocations:
        inv = records.get(s, Invoice, a.invoice_id)
        assert inv is not None
        views.append(AllocationView(inv.number, a.amount, balance_due(inv)))
    entry = entry_of(s, "payment", pay.id)
    return PaymentView(pay.id, pay.number, pay.direction, pay.date, pay.contact_id,
                       contact.name, acc or "", pay.amount, pay.status,
                       entry.number if entry else None, pay.memo, views)


def show_payment(s: Tx, ref: str | int) -> PaymentView:
    return payment_view(s, resolve_payment(s, ref))
