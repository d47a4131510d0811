"""Payments (PAY-): money in from customers, money out to suppliers.

One payment may settle several invoices (or bills) of one contact, each partly or in
full; it never pays more than a document's balance due. In the caller's transaction:

    in:  Dr Bank or Cash (total); Cr Receivable (per invoice, with the contact)
    out: Dr Payable (per bill, with the contact); Cr Bank or Cash (total)

Cancelling a payment posts the reversing entry and frees its allocations.

What a payment leaves unallocated is the contact's credit: an overpayment, an advance,
or what a credit (debit) note on a paid document released (`release_allocations`: a
negative allocation dated the note's day). A refund (`refund_credit`) pays it back: a
payment of the credit's direction with a negative amount, no allocations:

    refund to a customer ('in'):   Dr Receivable (with the contact); Cr Bank or Cash
    refund from a supplier ('out'): Dr Bank or Cash; Cr Payable (with the contact)

A contact's credit is the sum over their payments; refunds take it from the oldest
credit first, as applying it does. It is kept per currency: a foreign credit is applied
only to documents of its currency (`_apply_foreign`), released at the rate it was booked
at and settling the document at its own; the allocation's `exchange` holds the
difference of the two book amounts, which its entry (source `credit_apply`) posts as the
realised exchange gain or loss.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz import audit, records, settings
from smallbiz.books.accounts import (  # noqa: F401  (is_money_account re-exported)
    AccountRef,
    account_by_role,
    is_money_account,
    resolve_account,
)
from smallbiz.books.fx import foreign_currency, per_unit, resolve_foreign, to_book
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.books.reports import account_balance
from smallbiz.crm.service import ContactRef, resolve_contact
from smallbiz.dates import as_date, now
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor, round_amount
from smallbiz.numbering import next_number
from smallbiz.orders.common import (
    check_open,
    effect_date,
    entry_of,
    resolve_numbered,
    reverse_entry_of,
)
from smallbiz.orders.invoices import balance_due, balance_due_fx, resolve_invoice, settle
from smallbiz.orders.lists import PaymentRow, list_payments  # noqa: F401  (re-exported)
from smallbiz.orders.records import Invoice, Payment, PaymentAllocation, TradeOrder
from smallbiz.orders.service import refresh_status
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

KIND_OF = {"in": "invoice", "out": "bill"}


@dataclass(frozen=True)
class AllocationInput:
    invoice: str | int  # INV-/BILL- number, unique prefix, or id
    amount: Decimal | None = None  # None: what the payment leaves, up to the balance due


@dataclass(frozen=True)
class AllocationView:
    invoice: str
    amount: Decimal
    balance_due: Decimal  # of the document, now
    applied_on: dt.date | None = None  # the payment's day, or when credit was applied


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
    written_off: Decimal = Decimal(0)
    write_off_account: str | None = None
    credit: Decimal = Decimal(0)  # what is not (yet) allocated: the contact's credit
    refund: bool = False  # a refund of the contact's credit (amount < 0: money went back)
    #: A payment in another currency: the money moved in it, its rate, that in the book
    #: currency, and the realised exchange difference (+ gain, - loss). `amount` is what
    #: it settled, in the book currency.
    currency: str | None = None
    amount_fx: Decimal | None = None
    rate: Decimal | None = None
    moved: Decimal | None = None
    exchange_difference: Decimal | None = None
    credit_fx: Decimal | None = None  # `credit` in the payment's currency


def overdrawn(s: Tx, codes: list[str]) -> list[tuple[str, str, Decimal]]:
    """(code, name, balance) of the bank or cash accounts among `codes` whose balance
    (every posting, whatever its date) is below zero."""
    out = []
    for code in dict.fromkeys(codes):
        acc = resolve_account(s, code)
        if is_money_account(acc):
            balance = account_balance(s, acc.id)
            if balance < 0:
                out.append((acc.code, acc.name, balance))
    return out


def money_account(s: Tx, code: str | None) -> AccountRef:
    """The bank or cash account `code` names (default: the `bank` role): an asset that
    is not a receivable, payable, stock or VAT account, and not archived."""
    if code is None:
        return account_by_role(s, "bank")
    acc = resolve_account(s, code, field="--account")
    if not is_money_account(acc):
        raise ValidationError(
            _("--account: {code} {name} is not a bank or cash account").format(
                code=acc.code, name=acc.name), field="--account")
    if acc.archived:
        raise RuleViolation(_("--account: {code} is archived").format(code=acc.code),
                            field="--account")
    return acc


def _write_off_account(s: Tx, ref: str) -> AccountRef:
    acc = resolve_account(s, ref, field="--write-off")
    if acc.type not in ("expense", "income"):
        raise ValidationError(
            _("--write-off: {code} {name} is not an expense or income account").format(
                code=acc.code, name=acc.name), field="--write-off")
    if acc.archived:
        raise RuleViolation(_("--write-off: {code} is archived").format(code=acc.code),
                            field="--write-off")
    return acc


def _positive(amount: Decimal, digits: int) -> None:
    if amount <= 0:
        raise ValidationError(_("amount: {amount} must be more than 0").format(
            amount=format_amount(amount, digits)), field="amount")


def _documents(s: Tx, kind: str, allocations: list[AllocationInput]
               ) -> tuple[list[Invoice], dict[int, Decimal], set[int]]:
    """The documents named (each once, in order), the explicit amounts per document and
    the documents that take what the payment leaves (amount not given)."""
    digits = s.money_digits
    docs: list[Invoice] = []
    wanted: dict[int, Decimal] = defaultdict(lambda: from_minor(0, digits))
    fill: set[int] = set()
    for a in allocations:
        inv = resolve_invoice(s, a.invoice, kind)
        if a.amount is not None:
            _positive(a.amount, digits)
        if inv.status == "cancelled":
            raise RuleViolation(_("{n} is cancelled").format(n=inv.number), field="invoice")
        if docs and inv.contact_id != docs[0].contact_id:
            raise RuleViolation(_("{a} and {b} belong to different contacts; one payment "
                                  "settles documents of one contact").format(
                a=docs[0].number, b=inv.number), field="invoice")
        if inv.id not in wanted:
            docs.append(inv)
        wanted[inv.id] += a.amount if a.amount is not None else 0
        if a.amount is None:
            fill.add(inv.id)
    return docs, wanted, fill


def _fill(docs: list[Invoice], wanted: dict[int, Decimal], fill: set[int], left: Decimal,
          digits: int, too_much: str) -> Decimal:
    """Give the documents without an amount what is `left`, in order, each up to its
    balance due; refuse any document given more than its balance due (`too_much` says
    so). Returns what is still left."""
    for inv in docs:
        due = balance_due(inv)
        if inv.id in fill:
            take = max(left - left, min(left, due - wanted[inv.id]))
            wanted[inv.id] += take
            left -= take
        if wanted[inv.id] > due:
            raise RuleViolation(too_much.format(
                n=inv.number, amount=format_amount(wanted[inv.id], digits),
                due=format_amount(due, digits)), field="amount")
    return left


def record_payment(s: Tx, direction: str, allocations: list[AllocationInput], *,
                   on: dt.date | None = None, account: str | None = None,
                   memo: str = "", amount: Decimal | None = None,
                   contact: str | int | None = None, keep_credit: bool = False,
                   write_off: str | None = None,
                   rate: str | Decimal | None = None,
                   currency: str | None = None) -> PaymentView:
    """Record money received ('in', against invoices) or paid ('out', against bills).

    `allocations` name the documents, each with an amount or without one: those take
    what `amount` (the money moved; default: the explicit amounts plus the balance due
    of the others) leaves after the explicit amounts, in the order given, each up to its
    balance due. What is still left is the contact's credit, kept only with
    `keep_credit` (or when no document is named: an advance from `contact`), applied
    later (`apply_credit`). `write_off` (an expense or income account) writes off the
    listed documents' remainder after the payment in the same entry.

    Validates: every document exists, is of the right kind, not cancelled, and of one
    contact (and `contact`, when given); amounts > 0; no document gets more than its
    balance due; the date (default today) is not before any document's date nor on or
    before the lock date; the account (default the `bank` role) is a money account.
    Writes the payment (PAY- number), its allocations, the documents' paid amounts and
    status, the journal entry and an audit row:

        in:  Dr Bank (amount), Dr write-off account (written off);
             Cr Receivable per document (paid, and written off apart), Cr Receivable
             (credit), each with the contact
        out: the mirror image (Dr Payable ..., Cr Bank, Cr write-off account)

    Documents in another currency are paid in it (`record_foreign_payment`); so is an
    advance (no document) in `currency`, kept as the contact's credit in it. `currency`
    with documents must be theirs.
    """
    if direction not in KIND_OF:
        raise ValidationError(f"unknown payment direction {direction!r}")
    refuse_control(memo, "memo")
    digits = s.money_digits
    zero = from_minor(0, digits)
    code = foreign_currency(s, currency) if currency is not None else None
    docs, wanted, fill = _documents(s, KIND_OF[direction], allocations)
    if not docs and contact is None:
        raise ValidationError(_("a payment needs at least one invoice to settle (or a "
                                "contact, for an advance)"), field="invoice")
    party = resolve_contact(s, contact if contact is not None else docs[0].contact_id)
    if docs and party.id != docs[0].contact_id:
        raise RuleViolation(_("{n} is not {contact}'s").format(n=docs[0].number,
                                                               contact=party.name),
                            field="invoice")
    if code is not None:
        other_doc = next((d for d in docs if d.currency != code), None)
        if other_doc is not None:
            raise RuleViolation(_("--currency: {n} is in {cn}, not {code}").format(
                n=other_doc.number, cn=other_doc.currency or settings.load(s).currency,
                code=code), field="--currency")
    if code is not None or any(d.currency is not None for d in docs):
        return record_foreign_payment(s, direction, party, docs, wanted, fill,
                                      amount=amount, on=on, account=account, memo=memo,
                                      rate=rate, keep_credit=keep_credit or not docs,
                                      write_off=write_off, currency=code)
    if rate is not None:
        if not docs:
            raise ValidationError(_("--rate: give it with --currency"), field="--rate")
        raise ValidationError(_("--rate: {n} is in the book's currency").format(
            n=", ".join(d.number for d in docs)), field="--rate")
    explicit = sum(wanted.values(), zero)
    if amount is None:
        amount = explicit + sum((balance_due(d) - wanted[d.id] for d in docs
                                 if d.id in fill), zero)
    if amount < explicit:
        raise ValidationError(_("amount: {amount} is less than the amounts allocated "
                                "({allocated})").format(
            amount=format_amount(amount, digits),
            allocated=format_amount(explicit, digits)), field="amount")
    if amount < 0 or (amount == 0 and write_off is None):
        _positive(amount, digits)
    credit = _fill(docs, wanted, fill, amount - explicit, digits,
                   _("{n}: paying {amount} is more than the balance due {due}"))
    if credit > 0 and docs and not keep_credit:
        due = sum((balance_due(d) for d in docs), zero)
        raise RuleViolation(
            _("{n}: paying {amount} is more than the balance due {due}; --credit keeps "
              "the rest ({rest}) as {contact}'s credit").format(
                n=", ".join(d.number for d in docs), amount=format_amount(amount, digits),
                due=format_amount(due, digits), rest=format_amount(credit, digits),
                contact=party.name), field="amount")
    off_account, written = _remainders(s, write_off, docs, {d.id: balance_due(d)
                                                             for d in docs}, wanted, credit)
    total_off = sum(written.values(), zero)
    latest = max([d.date for d in docs], default=None)
    when = effect_date(on, not_before=latest or dt.date.min, what=_("payment date"))
    check_open(s, when, what=_("payment date"))
    acc = money_account(s, account)
    number, seq = next_number(s, "PAY", when)
    pay = Payment(direction=direction, number=number, year=when.year, seq=seq,
                  contact_id=party.id, date=when, account_id=acc.id, amount=amount,
                  memo=memo.strip(), status="posted", created_at=now(), written_off=total_off,
                  write_off_account_id=off_account.id if off_account else None)
    records.insert(s, pay)
    other = account_by_role(s, "receivable" if direction == "in" else "payable")
    sign = 1 if direction == "in" else -1
    postings = [PostingInput(acc.code, sign * amount, memo=number)] if amount else []
    if off_account is not None:
        postings.append(PostingInput(off_account.code, sign * total_off,
                                     memo=_("write-off {n}").format(n=number)))
    for inv in docs:
        paid, off = wanted[inv.id], written.get(inv.id, zero)
        records.insert(s, PaymentAllocation(payment_id=pay.id, invoice_id=inv.id,
                                            amount=paid + off, applied_on=when))
        _set_paid(s, inv, inv.paid + paid + off)
        if paid:
            postings.append(PostingInput(other.code, -sign * paid, party.id, inv.number))
        if off:
            postings.append(PostingInput(other.code, -sign * off, party.id,
                                         _("{n} written off").format(n=inv.number)))
    if credit:
        postings.append(PostingInput(other.code, -sign * credit, party.id,
                                     _("credit {n}").format(n=number)))
    text_memo = memo.strip() or (
        _("Payment {n} from {c}") if direction == "in" else _("Payment {n} to {c}")).format(
        n=number, c=party.name)
    entry = post_entry(s, when, text_memo, postings, source="payment", source_id=pay.id)
    audit.record(s, "post", "payment", number,
                 f"{number} {direction} {party.name} {format_amount(amount, digits)}"
                 + (" for " + ", ".join(d.number for d in docs) if docs else "")
                 + (f", written off {format_amount(total_off, digits)}" if total_off else "")
                 + (f", credit {format_amount(credit, digits)}" if credit else ""))
    return payment_view(s, pay, entry_number=entry.number)


def record_foreign_payment(s: Tx, direction: str, party: ContactRef, docs: list[Invoice],
                           wanted: dict[int, Decimal], fill: set[int], *,
                           amount: Decimal | None, on: dt.date | None, account: str | None,
                           memo: str, rate: str | Decimal | None, keep_credit: bool = False,
                           write_off: str | None = None,
                           currency: str | None = None) -> PaymentView:
    """A payment of documents in another currency, in it (see `record_payment` for what
    is validated; the amounts are the documents' currency), or an advance in `currency`
    (no documents: all of it is the contact's credit). The money moved is converted
    at `rate` (default: the rate table's for the day); each document's part at the
    document's own rate, and the part that settles a document takes what is left of its
    book amount (a rounding posting beside the foreign one). The difference is the
    realised exchange gain or loss (`exchange_difference`):

        in:  Dr Bank (paid × rate, with the foreign amount); Cr Receivable per document
             (its part × its rate, with the foreign amount; rounding apart);
             Cr Exchange gains or Dr Exchange losses (the difference)
        out: Dr Payable per document ...; Cr Bank; Cr Exchange gains or Dr Exchange losses

    `keep_credit`: what is left after the documents is the contact's credit in the
    currency (Cr Receivable at the payment's rate, with the foreign amount); an advance
    is all credit:

        in:  Dr Bank (amount × rate, with the foreign amount); Cr Receivable (the same,
             with the contact)
        out: Dr Payable (with the contact); Cr Bank
    `write_off`: each document's remainder after the payment is written off (Dr the
    account its book amount: the remainder at the document's rate, and what is left of
    its book balance; Cr Receivable, with the foreign amount).

    The payment's `amount` is what it settles in the book currency (the documents'
    parts, and its credit), so the contact's sub-ledger and credit read as for any
    payment; the money moved is `to_book(amount_fx, rate)`.
    """
    digits = s.money_digits
    zero = from_minor(0, digits)
    first = next((d for d in docs if d.currency is not None), None)
    currency = first.currency if first is not None else currency
    assert currency is not None
    other_currency = next((d for d in docs if d.currency != currency), None)
    if first is not None and other_currency is not None:
        raise RuleViolation(_("{a} is in {ca} and {b} in {cb}; one payment settles "
                              "documents of one currency").format(
            a=first.number, ca=currency, b=other_currency.number,
            cb=other_currency.currency or settings.load(s).currency), field="invoice")
    explicit = sum(wanted.values(), zero)
    due = {d.id: balance_due_fx(d) or zero for d in docs}
    if amount is None:
        amount = explicit + sum((due[d.id] - wanted[d.id] for d in docs if d.id in fill),
                                zero)
    if amount < explicit:
        raise ValidationError(_("amount: {amount} is less than the amounts allocated "
                                "({allocated})").format(
            amount=format_amount(amount, digits),
            allocated=format_amount(explicit, digits)), field="amount")
    if amount < 0 or (amount == 0 and write_off is None):
        _positive(amount, digits)
    left = amount - explicit
    for inv in docs:
        if inv.id in fill:
            take = max(zero, min(left, due[inv.id] - wanted[inv.id]))
            wanted[inv.id] += take
            left -= take
        if wanted[inv.id] > due[inv.id] or (left > 0 and inv is docs[-1] and not keep_credit):
            raise RuleViolation(
                _("{n}: paying {amount} {currency} is more than the balance due {due} "
                  "{currency}").format(n=inv.number, currency=currency,
                                      amount=format_amount(wanted[inv.id] + left, digits),
                                      due=format_amount(due[inv.id], digits))
                + (_("; --credit keeps the rest as {contact}'s credit").format(
                    contact=party.name) if wanted[inv.id] <= due[inv.id] else ""),
                field="amount")
    credit_fx = left
    # the remainders written off, in the currency
    off_account, written = _remainders(s, write_off, docs, due, wanted, credit_fx)
    latest = max((d.date for d in docs), default=dt.date.min)
    when = effect_date(on, not_before=latest, what=_("payment date"))
    check_open(s, when, what=_("payment date"))
    acc = money_account(s, account)
    fx = resolve_foreign(s, currency, rate, when)
    assert fx is not None
    number, seq = next_number(s, "PAY", when)
    sign = 1 if direction == "in" else -1
    other = account_by_role(s, "receivable" if direction == "in" else "payable")
    bank = to_book(amount, fx.rate, digits)
    postings = [PostingInput(acc.code, sign * bank, memo=number,
                             fx=(currency, sign * amount, fx.rate))] if amount else []
    #: (document, paid in the currency, written off in it, paid and written off in the
    #: book currency)
    parts: list[tuple[Invoice, Decimal, Decimal, Decimal, Decimal]] = []

    def receivable(book: Decimal, exact: Decimal, amount_fx: Decimal, rate_: Decimal,
                   text: str, rounding_text: str) -> None:
        postings.append(PostingInput(other.code, -sign * exact, party.id, text,
                                     fx=(currency, -sign * amount_fx, rate_)))
        if book != exact:
            postings.append(PostingInput(other.code, -sign * (book - exact), party.id,
                                         rounding_text))

    for inv in docs:
        paid_fx, off_fx = wanted[inv.id], written.get(inv.id, zero)
        assert inv.rate is not None
        at_doc = to_book(paid_fx, inv.rate, digits)
        closes = paid_fx + off_fx == due[inv.id]
        rounding_text = _("{n} rounding").format(n=inv.number)
        cleared = balance_due(inv) if closes and not off_fx else at_doc
        if paid_fx:
            receivable(cleared, at_doc, paid_fx, inv.rate, inv.number, rounding_text)
        off = balance_due(inv) - at_doc if off_fx else zero
        if off_fx:
            receivable(off, to_book(off_fx, inv.rate, digits), off_fx, inv.rate,
                       _("{n} written off").format(n=inv.number), rounding_text)
        parts.append((inv, paid_fx, off_fx, cleared, off))
    total_off = sum((p[4] for p in parts), zero)
    if off_account is not None:
        postings.append(PostingInput(off_account.code, sign * total_off,
                                     memo=_("write-off {n}").format(n=number)))
    credit = to_book(credit_fx, fx.rate, digits)
    if credit_fx:
        receivable(credit, credit, credit_fx, fx.rate, _("credit {n}").format(n=number), "")
    difference = exchange_difference(s, postings, number)
    settled = sum((p[3] for p in parts), zero) + credit
    pay = Payment(direction=direction, number=number, year=when.year, seq=seq,
                  contact_id=party.id, date=when, account_id=acc.id, amount=settled,
                  memo=memo.strip(), status="posted", created_at=now(),
                  currency=currency, rate=fx.rate, amount_fx=amount, written_off=total_off,
                  write_off_account_id=off_account.id if off_account else None,
                  written_off_fx=sum(written.values(), zero) if written else None)
    records.insert(s, pay)
    for inv, paid_fx, off_fx, cleared, off in parts:
        records.insert(s, PaymentAllocation(payment_id=pay.id, invoice_id=inv.id,
                                            amount=cleared + off, applied_on=when,
                                            amount_fx=paid_fx + off_fx))
        inv.paid_fx = (inv.paid_fx or zero) + paid_fx + off_fx
        records.save(s, inv, "paid_fx")
        _set_paid(s, inv, inv.paid + cleared + off)
    text_memo = memo.strip() or (
        _("Payment {n} from {c}") if direction == "in" else _("Payment {n} to {c}")).format(
        n=number, c=party.name)
    entry = post_entry(s, when, text_memo, postings, source="payment", source_id=pay.id)
    audit.record(s, "post", "payment", number,
                 f"{number} {direction} {party.name} {format_amount(amount, digits)} "
                 f"{currency} at {fx.rate} = {format_amount(bank, digits)}"
                 + (" for " + ", ".join(d.number for d in docs) if docs else "")
                 + (f", exchange difference {format_amount(-difference, digits)}"
                    if difference else "")
                 + (f", written off {format_amount(total_off, digits)}" if total_off else "")
                 + (f", credit {format_amount(credit_fx, digits)} {currency}"
                    if credit_fx else ""))
    return payment_view(s, pay, entry_number=entry.number)


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
    allocations = records.load(s, PaymentAllocation, "WHERE payment_id = :p ORDER BY id",
                               {"p": pay.id})
    latest = max([pay.date] + [a.applied_on for a in allocations if a.applied_on])
    when = effect_date(on, not_before=latest, what=_("cancel date"))
    check_open(s, pay.date, what=_("{n} dated").format(n=pay.number))
    check_open(s, when, what=_("cancel date"))
    if pay.amount > 0:
        _refuse_refunded(s, pay, allocations)
    for a in allocations:
        inv = records.get(s, Invoice, a.invoice_id)
        assert inv is not None
        if a.amount_fx is not None:
            inv.paid_fx = (inv.paid_fx or 0) - a.amount_fx
            records.save(s, inv, "paid_fx")
        _set_paid(s, inv, inv.paid - a.amount)
        reverse_entry_of(s, "credit_apply", a.id, when,  # its credit applied, in its currency
                         _("Cancellation of {n}").format(n=pay.number))
    reverse_entry_of(s, "payment", pay.id, when,
                     _("Cancellation of {n}").format(n=pay.number))
    pay.status = "cancelled"
    pay.cancelled_on = when
    records.save(s, pay, "status", "cancelled_on")
    audit.record(s, "cancel", "payment", pay.number, f"{pay.number} cancelled")
    return payment_view(s, pay)


def _remainders(s: Tx, write_off: str | None, docs: Sequence[Invoice],
                due: Mapping[int, Decimal], wanted: Mapping[int, Decimal],
                credit: Decimal) -> tuple[AccountRef | None, dict[int, Decimal]]:
    """The write-off account and what is written off of each document (its balance due
    less what the payment gives it, in the documents' currency), or the refusal: a
    write-off when the payment leaves a credit or nothing to write off; a document the
    payment leaves nothing for."""
    written: dict[int, Decimal] = {}
    off_account = None
    if write_off is not None:
        off_account = _write_off_account(s, write_off)
        if credit > 0:
            raise RuleViolation(_("--write-off: the payment leaves a credit of {credit}; "
                                  "nothing remains to write off").format(
                credit=format_amount(credit, s.money_digits)), field="--write-off")
        written = {d.id: due[d.id] - wanted[d.id] for d in docs
                   if due[d.id] - wanted[d.id] > 0}
        if not written:
            raise RuleViolation(_("--write-off: nothing remains of {n} to write off").format(
                n=", ".join(d.number for d in docs)), field="--write-off")
    for inv in docs:
        if wanted[inv.id] == 0 and inv.id not in written:
            raise RuleViolation(_("{n}: the payment leaves nothing for it").format(
                n=inv.number), field="invoice")
    return off_account, written


def payment_view(s: Tx, pay: Payment, *, entry_number: str | None = None) -> PaymentView:
    contact = resolve_contact(s, pay.contact_id)
    acc = s.scalar("SELECT code FROM account WHERE id = :i", {"i": pay.account_id})
    off = (s.scalar("SELECT code FROM account WHERE id = :i",
                    {"i": pay.write_off_account_id})
           if pay.write_off_account_id is not None else None)
    allocations = records.load(s, PaymentAllocation, "WHERE payment_id = :p ORDER BY id",
                               {"p": pay.id})
    views = []
    for a in allocations:
        inv = records.get(s, Invoice, a.invoice_id)
        assert inv is not None
        views.append(AllocationView(inv.number, a.amount, balance_due(inv),
                                    a.applied_on or pay.date))
    if entry_number is None:
        entry = entry_of(s, "payment", pay.id)
        entry_number = entry.number if entry else None
    allocated = sum((a.amount + a.exchange for a in allocations),
                    from_minor(0, s.money_digits))
    credit = pay.amount + pay.written_off - allocated if (
        pay.status == "posted" and pay.amount > 0) else allocated - allocated
    moved = difference = credit_fx = None
    if pay.currency is not None and pay.amount_fx is not None and pay.rate is not None:
        moved = to_book(pay.amount_fx, pay.rate, s.money_digits)
        difference = (moved - pay.amount) * (1 if pay.direction == "in" else -1)
        credit_fx = (pay.amount_fx + (pay.written_off_fx or 0)
                     - sum((a.amount_fx or 0 for a in allocations), Decimal(0))
                     if credit else credit)
    return PaymentView(pay.id, pay.number, pay.direction, pay.date, pay.contact_id,
                       contact.name, acc or "", pay.amount, pay.status, entry_number,
                       pay.memo, views, pay.written_off, off, credit, pay.amount < 0,
                       pay.currency, pay.amount_fx, pay.rate, moved, difference, credit_fx)


def show_payment(s: Tx, ref: str | int) -> PaymentView:
    return payment_view(s, resolve_payment(s, ref))


# -- credit: what a payment left unallocated -------------------------------------------------

#: Each posted payment's credit: its amount and write-off less its allocations, in the book
#: currency and (a foreign payment) in its own; `:cur` picks the currency ('': the book's).
_CREDIT = ("SELECT p.id, p.number, p.date, p.amount + p.written_off - COALESCE(("
           "SELECT SUM(a.amount + a.exchange) FROM payment_allocation a "
           "WHERE a.payment_id = p.id), 0) "
           "AS credit, COALESCE(p.amount_fx, 0) + COALESCE(p.written_off_fx, 0) - COALESCE(("
           "SELECT SUM(a.amount_fx) FROM payment_allocation a WHERE a.payment_id = p.id), 0) "
           "AS credit_fx FROM payment p WHERE p.status = 'posted' "
           "AND COALESCE(p.currency, '') = :cur")


@dataclass(frozen=True)
class CreditRow:
    payment: str
    date: dt.date
    credit: Decimal  # in the credit's currency
    currency: str | None = None  # None: the book's


def open_credits(s: Tx, direction: str, contact_id: int, currency: str | None = None
                 ) -> list[CreditRow]:
    """The contact's payments with credit left, oldest first (the order it is applied in),
    after the refunds took theirs from the oldest. A contact's credit is kept per
    currency: `currency` (None: the book's) picks the payments in it, and the credit is
    in it."""
    column = "credit" if currency is None else "credit_fx"
    rows = s.all(f"SELECT number, date, {column} FROM ({_CREDIT} AND p.contact_id = :c "
                 f"AND p.direction = :d) x WHERE {column} <> 0 ORDER BY date, number",
                 {"c": contact_id, "d": direction, "cur": currency or ""})
    digits = s.money_digits
    refunded = -sum(c for _n, _d, c in rows if c < 0)
    out = []
    for n, d, c in rows:
        if c <= 0:
            continue
        take = min(refunded, c)
        refunded -= take
        if c > take:
            out.append(CreditRow(n, as_date(d), from_minor(c - take, digits), currency))
    return out


def credit_currencies(s: Tx, direction: str, contact_id: int) -> dict[str, Decimal]:
    """The contact's credit in each other currency they have some in (code → amount)."""
    codes = [c for (c,) in s.execute(
        "SELECT DISTINCT currency FROM payment WHERE contact_id = :c AND direction = :d "
        "AND status = 'posted' AND currency IS NOT NULL ORDER BY currency",
        {"c": contact_id, "d": direction})]
    out = {code: contact_credit(s, direction, contact_id, code) for code in codes}
    return {code: amount for code, amount in out.items() if amount}


def contact_credit(s: Tx, direction: str, contact_id: int, currency: str | None = None
                   ) -> Decimal:
    """The contact's credit in `currency` (None: the book's)."""
    return sum((c.credit for c in open_credits(s, direction, contact_id, currency)),
               from_minor(0, s.money_digits))


@dataclass(frozen=True)
class CreditApplication:
    payment: str
    invoice: str
    amount: Decimal  # in the credit's currency
    balance_due: Decimal  # of the document, after this (in its currency)
    currency: str | None = None  # None: the book's
    entry: str | None = None  # a foreign credit's: the entry of its exchange difference


@dataclass(frozen=True)
class ApplyResult:
    contact: str
    date: dt.date
    applications: list[CreditApplication]
    credit_left: Decimal  # in `currency`
    currency: str | None = None  # the credit's (None: the book's)

    @property
    def applied(self) -> Decimal:
        """The applications' sum, in `currency` (as many places as `credit_left`)."""
        return sum((a.amount for a in self.applications), self.credit_left * 0)


def apply_credit(s: Tx, direction: str, contact: str | int,
                 allocations: list[AllocationInput] | None = None, *,
                 on: dt.date | None = None) -> list[ApplyResult]:
    """Apply a contact's credit (what earlier payments left) to their open documents.

    `allocations` name the documents, all of one currency (each with an amount, or
    without: as much as the credit covers, up to its balance due), and the credit in that
    currency is applied to them. None: each currency's credit, the book's first and then
    the others by code, to the contact's open documents of that currency, the earliest
    due first; a currency with credit and no open document keeps its credit (a result
    with no applications, after the applied ones). The oldest
    credit is used first. Validates as `record_payment` does; the date (default today) is
    not before the documents or the payments, nor on or before the lock date. Writes an
    allocation per payment and document, dated `on`, the documents' paid amounts and
    status, and an audit row per currency; no journal entry for the book's currency (the
    receivable or payable of the contact already holds the credit), a `credit_apply`
    entry per foreign allocation (`_apply_foreign`). Returns what was applied, one result
    per currency.
    """
    if direction not in KIND_OF:
        raise ValidationError(f"unknown payment direction {direction!r}")
    zero = from_minor(0, s.money_digits)
    party = resolve_contact(s, contact)
    kind = KIND_OF[direction]
    if allocations:
        docs, wanted, fill = _documents(s, kind, allocations)
        if docs[0].contact_id != party.id:
            raise RuleViolation(_("{n} is not {contact}'s").format(n=docs[0].number,
                                                                   contact=party.name),
                                field="invoice")
        return [_apply_to(s, direction, party, docs, wanted, fill, on)]
    held: dict[str | None, Decimal] = {None: contact_credit(s, direction, party.id),
                                       **credit_currencies(s, direction, party.id)}
    results: list[ApplyResult] = []
    kept: list[tuple[str | None, Decimal]] = []
    for currency, amount in held.items():
        if amount <= 0:
            continue
        docs = [d for d in records.load(
            s, Invoice, "WHERE contact_id = :c AND kind = :k AND status = 'open' AND "
            "COALESCE(currency, '') = :cur ORDER BY due_date, date, id",
            {"c": party.id, "k": kind, "cur": currency or ""})
            if (balance_due(d) if currency is None else balance_due_fx(d) or zero) > 0]
        if docs:
            results.append(_apply_to(s, direction, party, docs, defaultdict(lambda: zero),
                                     {d.id for d in docs}, on))
        else:  # kept: no open document in it (a result without applications says so)
            kept.append((currency, amount))
    if results:
        return results + [ApplyResult(party.name, results[0].date, [], amount, currency)
                          for currency, amount in kept]
    codes = [code or settings.load(s).currency for code, amount in held.items() if amount > 0]
    if not codes:
        raise RuleViolation(_("{contact} has no credit to apply").format(contact=party.name),
                            field="contact")
    if codes == [settings.load(s).currency]:
        raise RuleViolation(_("{contact} has no open {kind} to apply the credit to").format(
            contact=party.name, kind=_(kind)), field="invoice")
    raise RuleViolation(_("{contact} has no open {kind} in the currencies of their credit "
                          "({currencies}) to apply it to").format(
        contact=party.name, kind=_(kind), currencies=", ".join(codes)), field="invoice")


def _apply_to(s: Tx, direction: str, party: ContactRef, docs: list[Invoice],
              wanted: dict[int, Decimal], fill: set[int], on: dt.date | None
              ) -> ApplyResult:
    """Apply the contact's credit in the documents' currency to `docs` (`wanted`: the
    explicit amounts; `fill`: the documents that take what the credit covers, in order);
    see `apply_credit`."""
    digits = s.money_digits
    zero = from_minor(0, digits)
    currency = docs[0].currency
    other_currency = next((d for d in docs if d.currency != currency), None)
    if other_currency is not None:
        raise RuleViolation(_("{a} is in {ca} and {b} in {cb}; a credit is applied to "
                              "documents of one currency").format(
            a=docs[0].number, ca=currency or settings.load(s).currency,
            b=other_currency.number,
            cb=other_currency.currency or settings.load(s).currency), field="invoice")
    credits = open_credits(s, direction, party.id, currency)
    left = sum((c.credit for c in credits), zero)
    if left == 0:
        raise RuleViolation((_("{contact} has no credit to apply") if currency is None else
                             _("{contact} has no {currency} credit to apply to {n}")).format(
            contact=party.name, currency=currency, n=docs[0].number), field="contact")
    unit = f" {currency}" if currency else ""
    explicit = sum(wanted.values(), zero)
    if explicit > left:
        raise RuleViolation(_("applying {amount} is more than {contact}'s credit {credit}")
                            .format(amount=format_amount(explicit, digits) + unit,
                                    contact=party.name,
                                    credit=format_amount(left, digits) + unit),
                            field="amount")
    if currency is not None:  # `_fill` reads the book balance due; the currency's here
        for d in docs:
            d_due = balance_due_fx(d) or zero
            if wanted[d.id] > d_due:
                raise RuleViolation(_("{n}: applying {amount} is more than the balance due "
                                      "{due}").format(n=d.number, amount=format_amount(
                                          wanted[d.id], digits) + unit,
                                          due=format_amount(d_due, digits) + unit),
                                    field="amount")
        rest = left - explicit
        for d in docs:
            if d.id in fill:
                take = max(zero, min(rest, (balance_due_fx(d) or zero) - wanted[d.id]))
                wanted[d.id] += take
                rest -= take
    else:
        _fill(docs, wanted, fill, left - explicit, digits,
              _("{n}: applying {amount} is more than the balance due {due}"))
    if sum(wanted.values(), zero) == 0:
        raise RuleViolation(_("nothing of {n} is open to apply the credit to").format(
            n=", ".join(d.number for d in docs)), field="invoice")
    latest = max([d.date for d in docs] + [c.date for c in credits])
    when = effect_date(on, not_before=latest, what=_("date"))
    check_open(s, when, what=_("date"))
    pays = {c.payment: resolve_payment(s, c.payment) for c in credits}
    pool = [[c.payment, c.credit] for c in credits]
    # a foreign credit: its book amount per unit of it (what the receivable holds for it)
    pool_book, pool_fx = (from_minor(v, digits) for v in _raw_credit(
        s, direction, party.id, currency)) if currency is not None else (zero, zero)
    done = []
    for inv in docs:
        need = wanted[inv.id]
        while need > 0:
            source = next(p for p in pool if p[1] > 0)
            take = min(need, source[1])
            source[1] -= take
            need -= take
            entry = None
            if currency is None:
                records.insert(s, PaymentAllocation(payment_id=pays[source[0]].id,
                                                    invoice_id=inv.id, amount=take,
                                                    applied_on=when))
                _set_paid(s, inv, inv.paid + take)
            else:
                released = pool_book if take == pool_fx else round_amount(
                    take * pool_book / pool_fx, digits)
                pool_book, pool_fx = pool_book - released, pool_fx - take
                entry = _apply_foreign(s, direction, party, pays[source[0]], inv, take,
                                       released, when)
            done.append(CreditApplication(
                source[0], inv.number, take,
                balance_due(inv) if currency is None else balance_due_fx(inv) or zero,
                currency, entry))
    remaining = sum((p[1] for p in pool), zero)
    applied = sum((a.amount for a in done), zero)
    audit.record(s, "apply", "payment", done[0].payment if done else "",
                 f"credit of {party.name} {format_amount(applied, digits)}{unit} applied to "
                 + ", ".join(sorted({a.invoice for a in done})))
    return ApplyResult(party.name, when, done, remaining, currency)


def _apply_foreign(s: Tx, direction: str, party: ContactRef, pay: Payment, inv: Invoice,
                   amount_fx: Decimal, released: Decimal, when: dt.date) -> str:
    """Apply `amount_fx` of `pay`'s credit (its book amount `released`, at the rate the
    credit was booked at) to the foreign document `inv`, settled at its own rate (what is
    left of its book balance if this closes it). An allocation (its `exchange`: released
    less the document's part) and an entry dated `when` (source `credit_apply`, the
    allocation):

        in:  Dr Receivable (released, the credit); Cr Receivable (the document's part);
             Cr Exchange gains or Dr Exchange losses (the difference)
        out: Dr Payable (the document's part); Cr Payable (released); the difference
    """
    digits = s.money_digits
    currency = inv.currency
    assert currency is not None and inv.rate is not None
    sign = 1 if direction == "in" else -1
    other = account_by_role(s, "receivable" if direction == "in" else "payable")
    at_doc = to_book(amount_fx, inv.rate, digits)
    cleared = balance_due(inv) if amount_fx == balance_due_fx(inv) else at_doc
    booked_rate = per_unit(released, amount_fx)
    postings = [PostingInput(other.code, sign * to_book(amount_fx, booked_rate, digits),
                             party.id, _("credit {n}").format(n=pay.number),
                             fx=(currency, sign * amount_fx, booked_rate)),
                PostingInput(other.code, -sign * at_doc, party.id, inv.number,
                             fx=(currency, -sign * amount_fx, inv.rate))]
    rounding = released - to_book(amount_fx, booked_rate, digits) - (cleared - at_doc)
    if rounding:
        postings.append(PostingInput(other.code, sign * rounding, party.id,
                                     _("{n} rounding").format(n=inv.number)))
    allocation = PaymentAllocation(payment_id=pay.id, invoice_id=inv.id, amount=cleared,
                                   applied_on=when, amount_fx=amount_fx,
                                   exchange=released - cleared)
    records.insert(s, allocation)
    exchange_difference(s, postings, pay.number)
    entry = post_entry(s, when, _("Credit of {c} from {p} applied to {n}").format(
        c=party.name, p=pay.number, n=inv.number), postings, source="credit_apply",
        source_id=allocation.id)
    inv.paid_fx = (inv.paid_fx or 0) + amount_fx
    records.save(s, inv, "paid_fx")
    _set_paid(s, inv, inv.paid + cleared)
    return entry.number


# -- credit released by a note, refunds -------------------------------------------------------

def _raw_credit(s: Tx, direction: str, contact_id: int, currency: str | None = None
                ) -> tuple[int, int]:
    """The contact's credit in minor units, (book currency, `currency`'s; None: the
    book's): every posted payment's unallocated amount, refunds (negative) included."""
    row = s.execute(f"SELECT COALESCE(SUM(credit), 0), COALESCE(SUM(credit_fx), 0) FROM "
                    f"({_CREDIT} AND p.contact_id = :c AND p.direction = :d) x",
                    {"c": contact_id, "d": direction, "cur": currency or ""}).fetchone()
    book, fx = (row[0] or 0, row[1] or 0) if row else (0, 0)
    return book, fx if currency is not None else book


def _refuse_refunded(s: Tx, pay: Payment, allocations: list[PaymentAllocation]) -> None:
    """Cancelling `pay` takes its credit away; refuse when a refund paid that credit back
    (the contact's credit in its currency would fall below zero)."""
    digits = s.money_digits
    if pay.currency is None:
        allocated = sum((a.amount for a in allocations), from_minor(0, digits))
        own = pay.amount + pay.written_off - allocated
    else:
        allocated = sum((a.amount_fx or 0 for a in allocations), from_minor(0, digits))
        own = (pay.amount_fx or 0) + (pay.written_off_fx or 0) - allocated
    total = from_minor(_raw_credit(s, pay.direction, pay.contact_id, pay.currency)[1], digits)
    if own > 0 and total - own < 0:
        refund = s.scalar("SELECT number FROM payment WHERE contact_id = :c AND direction = :d "
                          "AND status = 'posted' AND amount < 0 "
                          "AND COALESCE(currency, '') = :cur ORDER BY date DESC, id DESC",
                          {"c": pay.contact_id, "d": pay.direction, "cur": pay.currency or ""})
        raise RuleViolation(_("{n}: its credit was refunded by {refund}; cancel the refund "
                              "first").format(n=pay.number, refund=refund), field="payment")


def release_allocations(s: Tx, inv: Invoice, amount: Decimal, on: dt.date, *,
                        amount_fx: Decimal | None = None) -> Decimal:
    """Free `amount` of what the payments allocated to `inv` (the latest applied first):
    a negative allocation per payment dated `on`; what is freed is the contact's credit
    (the payment's unallocated amount). Lowers `inv.paid` (the caller saves it).
    A foreign document: `amount_fx` in its currency is freed (each allocation's book part
    at the document's rate, the last takes what is left of `amount`), and `inv.paid_fx`
    falls by it: the contact's credit in that currency.
    Validates: `on` is not before the allocations it frees; none of them came from a
    payment with a write-off (cancel that payment first). Returns what was freed."""
    digits = s.money_digits
    left, left_fx = amount, amount_fx
    for pay_id, number, written_off, allocated, allocated_fx, latest in s.all(
            "SELECT p.id, p.number, p.written_off, SUM(pa.amount),"
            " COALESCE(SUM(pa.amount_fx), 0),"
            " MAX(COALESCE(pa.applied_on, p.date)) FROM payment_allocation pa"
            " JOIN payment p ON p.id = pa.payment_id WHERE pa.invoice_id = :i"
            " AND p.status = 'posted' GROUP BY p.id, p.number, p.written_off"
            " HAVING SUM(pa.amount) > 0"
            " ORDER BY MAX(COALESCE(pa.applied_on, p.date)) DESC, p.id DESC", {"i": inv.id}):
        if (left if left_fx is None else left_fx) <= 0:
            break
        if written_off:
            raise RuleViolation(_("{n} was settled with a write-off by {pay}; cancel that "
                                  "payment first").format(n=inv.number, pay=number),
                                field="invoice")
        since = as_date(latest)
        assert since is not None
        if on < since:
            raise ValidationError(_("credit date: {date} is before {pay} of {since}").format(
                date=on.isoformat(), pay=number, since=since.isoformat()), field="date")
        take_fx = None
        if left_fx is not None and inv.rate is not None:
            take_fx = min(left_fx, from_minor(allocated_fx, digits))
            take = left if take_fx == left_fx else (
                from_minor(allocated, digits) if take_fx == from_minor(allocated_fx, digits)
                else to_book(take_fx, inv.rate, digits))
            left_fx -= take_fx
        else:
            take = min(left, from_minor(allocated, digits))
        records.insert(s, PaymentAllocation(payment_id=pay_id, invoice_id=inv.id,
                                            amount=-take, applied_on=on,
                                            amount_fx=-take_fx if take_fx is not None
                                            else None))
        left -= take
    freed = amount - left
    inv.paid -= freed
    if amount_fx is not None and left_fx is not None:
        inv.paid_fx = (inv.paid_fx or 0) - (amount_fx - left_fx)
    return freed


def refund_credit(s: Tx, direction: str, contact: str | int, amount: Decimal | None = None,
                  *, on: dt.date | None = None, account: str | None = None,
                  memo: str = "", currency: str | None = None,
                  rate: str | Decimal | None = None) -> PaymentView:
    """Pay a customer's credit back ('in') or receive a supplier's back ('out').

    `currency`: the contact's credit in that currency (what a note on a paid foreign
    document freed, or a foreign overpayment kept), `amount` in it, paid at `rate`
    (default: the rate table's for the day); what the credit is booked at in the book
    currency (its book amount per unit of it) leaves the receivable (payable), the money
    moved is amount × rate, and the difference is the realised exchange gain or loss, as
    a foreign payment's.

    Validates: the contact has credit (in the currency); `amount` (default: all of it)
    > 0 and at most it; the date (default today) is not before the credit it takes (the
    oldest first: its payment and that payment's last allocation) nor on or before the
    lock date; the account (default the `bank` role) is a money account. Writes a
    payment (PAY- number, amount negative: the money went back, no allocations), its
    entry and an audit row:

        in:  Dr Receivable (with the contact); Cr Bank
        out: Dr Bank; Cr Payable (with the contact)
        (foreign: with the foreign amounts, and Dr Exchange losses or Cr Exchange gains)
    """
    if direction not in KIND_OF:
        raise ValidationError(f"unknown payment direction {direction!r}")
    refuse_control(memo, "memo")
    digits = s.money_digits
    zero = from_minor(0, digits)
    party = resolve_contact(s, contact)
    if currency is None and rate is not None:
        raise ValidationError(_("--rate: give it with --currency"), field="--rate")
    code = foreign_currency(s, currency) if currency is not None else None
    credits = open_credits(s, direction, party.id, code)
    total = sum((c.credit for c in credits), zero)
    if total == 0:
        raise RuleViolation((_("{contact} has no credit to refund") if code is None else
                             _("{contact} has no {currency} credit to refund")).format(
            contact=party.name, currency=code), field="contact")
    if amount is None:
        amount = total
    _positive(amount, digits)
    if amount > total:
        raise RuleViolation(_("refunding {amount} is more than {contact}'s credit {credit}")
                            .format(amount=format_amount(amount, digits)
                                    + (f" {code}" if code else ""), contact=party.name,
                                    credit=format_amount(total, digits)
                                    + (f" {code}" if code else "")), field="amount")
    used, need = [], amount
    for c in credits:
        if need <= 0:
            break
        used.append(c.payment)
        need -= c.credit
    latest = s.scalar("SELECT MAX(COALESCE(pa.applied_on, p.date)) FROM payment p"
                      " LEFT JOIN payment_allocation pa ON pa.payment_id = p.id"
                      " WHERE p.number IN :n", {"n": used})
    since = max([as_date(latest) or dt.date.min] + [c.date for c in credits
                                                    if c.payment in used])
    when = effect_date(on, not_before=since, what=_("refund date"))
    check_open(s, when, what=_("refund date"))
    acc = money_account(s, account)
    number, seq = next_number(s, "PAY", when)
    other = account_by_role(s, "receivable" if direction == "in" else "payable")
    sign = 1 if direction == "in" else -1
    memo_other = _("refund {n}").format(n=number)
    fx = resolve_foreign(s, code, rate, when) if code is not None else None
    if fx is None:
        book = amount
        postings = [PostingInput(other.code, sign * amount, party.id, memo_other),
                    PostingInput(acc.code, -sign * amount, memo=number)]
    else:
        # the credit's book amount per unit of it: what the receivable holds for it
        pool_book, pool_fx = (from_minor(v, digits) for v in _raw_credit(
            s, direction, party.id, fx.currency))
        book = pool_book if amount == pool_fx else round_amount(
            amount * pool_book / pool_fx, digits)
        booked_rate = per_unit(pool_book, pool_fx)
        at_credit = to_book(amount, booked_rate, digits)
        postings = [PostingInput(other.code, sign * at_credit, party.id, memo_other,
                                 fx=(fx.currency, sign * amount, booked_rate))]
        if book != at_credit:
            postings.append(PostingInput(other.code, sign * (book - at_credit), party.id,
                                         _("{n} rounding").format(n=number)))
        postings.append(PostingInput(acc.code, -sign * to_book(amount, fx.rate, digits),
                                     memo=number, fx=(fx.currency, -sign * amount, fx.rate)))
        exchange_difference(s, postings, number)
    pay = Payment(direction=direction, number=number, year=when.year, seq=seq,
                  contact_id=party.id, date=when, account_id=acc.id, amount=-book,
                  memo=memo.strip(), status="posted", created_at=now(), written_off=zero,
                  currency=fx.currency if fx else None, rate=fx.rate if fx else None,
                  amount_fx=-amount if fx else None)
    records.insert(s, pay)
    text_memo = memo.strip() or (
        _("Refund {n} to {c}") if direction == "in" else _("Refund {n} from {c}")).format(
        n=number, c=party.name)
    entry = post_entry(s, when, text_memo, postings, source="payment", source_id=pay.id)
    audit.record(s, "post", "payment", number,
                 f"{number} refund {direction} {party.name} {format_amount(amount, digits)}"
                 + (f" {fx.currency} at {fx.rate} (booked {format_amount(book, digits)})"
                    if fx else ""))
    return payment_view(s, pay, entry_number=entry.number)


def exchange_difference(s: Tx, postings: list[PostingInput], number: str) -> Decimal:
    """The realised exchange difference of a foreign payment or refund: what its postings
    leave unbalanced (the money moved at the day's rate against the documents' or the
    credit's book amounts), appended to `postings` on Exchange gains (a credit) or
    Exchange losses (a debit). Returns it as posted (+ loss, - gain; 0: none)."""
    difference = -sum((p.amount or 0 for p in postings), from_minor(0, s.money_digits))
    if difference:
        postings.append(PostingInput(exchange_account(s, difference).code, difference,
                                     memo=_("exchange difference {n}").format(n=number)))
    return difference


def exchange_account(s: Tx, difference: Decimal | int) -> AccountRef:
    """Where an exchange difference goes: Exchange gains for a credit (difference < 0),
    Exchange losses for a debit."""
    return account_by_role(s, "fx_gain" if difference < 0 else "fx_loss")
