"""The one document lifecycle: which action each kind of document allows from which
status, what each kind posts (DESIGN's posting table, as data), and one post and one
cancel for all of them.

Every kind is a `DocumentKind`: its number prefix, the journal entry source it posts
under, its transitions (action → the statuses it may start from, and the status it
leads to; None when the status is derived from what took effect, e.g. an order's) and
its legs. A leg is one line of the posting table: which amount of the document, to which
account (a system role, or the lines' own accounts), debit or credit, and whether the
posting names the contact (the receivable / payable sub-ledger). A service computes the
document's amounts and calls `post`; `allow` refuses an action the table does not list
with one message per kind of refusal; `cancel` reverses what `post` and the stock moves
did. Nothing else in the orders package posts a document's entry or reverses it.

    kind         prefix  posts (Dr +, Cr -)
    quote        QT      nothing (no effect on stock or books)
    sale         SO      nothing itself: its shipments and invoices post
    purchase     PO      nothing itself: its receipts (each with its bill) post
    shipment     -       + COGS, - Inventory (the cost that left)
    invoice      INV     + Receivable (gross, contact); - Sales (stock lines' net),
                         - Services or the line's account (service lines); - VAT out
    bill         BILL    + Inventory (stock lines' net), + the line's account or Other
                         expenses (service lines), + VAT in; - Payable (gross, contact)
    credit_note  CN      the invoice's legs reversed for what is credited, and with a
                         return + Inventory, - COGS (the cost the goods left with)
    debit_note   DN      the bill's legs reversed for what is credited (stock lines
                         only with the goods returned: they leave at the cost they came)

A note on a document in another currency carries the foreign gross on its gross leg (at
the document's rate) and its `fx_rounding` amount (its book gross less that gross
converted) on the receivable or payable without a foreign amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz.books.accounts import account_by_role
from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.errors import RuleViolation
from smallbiz.i18n import _
from smallbiz.orders.common import reverse_entry_of
from smallbiz.sql import Tx
from smallbiz.stock.service import reverse_moves

#: A leg whose amount is spread over the lines' own accounts: the document's amount for
#: it is a mapping account code → amount.
BY_LINE = None


@dataclass(frozen=True)
class Leg:
    amount: str  # the key of the document's amount
    role: str | None  # the account's system role, or BY_LINE
    sign: int  # +1 debit, -1 credit
    contact: bool = False  # the posting names the document's contact


@dataclass(frozen=True)
class DocumentKind:
    name: str
    prefix: str | None
    source: str | None  # the journal entry source (None: posts nothing)
    #: action → (statuses it may start from, status it leads to or None: derived)
    transitions: Mapping[str, tuple[tuple[str, ...], str | None]]
    legs: tuple[Leg, ...] = ()
    stock_source: str | None = None  # the stock moves' source, reversed on cancel
    memo: str = ""  # the entry's memo: {n} number, {contact}, {ref} what it came from
    verbs: Mapping[str, str] = field(default_factory=dict)  # action → past participle


_VERBS = {"confirm": "confirmed", "ship": "shipped", "receive": "received",
          "invoice": "invoiced", "cancel": "cancelled", "credit": "credited",
          "send": "sent", "accept": "accepted", "decline": "declined", "expire": "expired",
          "edit": "edited"}
_LIVE_ORDER = ("confirmed", "shipped", "received", "invoiced", "paid")
_ANY_ORDER = ("draft", *_LIVE_ORDER)
_INVOICE_LEGS = (Leg("gross", "receivable", +1, contact=True), Leg("stock_net", "sales", -1),
                 Leg("service_net", "services", -1), Leg("by_account", BY_LINE, -1),
                 Leg("vat", "vat_out", -1))
_BILL_LEGS = (Leg("stock_net", "inventory", +1), Leg("service_net", "expenses", +1),
              Leg("by_account", BY_LINE, +1), Leg("vat", "vat_in", +1),
              Leg("gross", "payable", -1, contact=True))


def _reversed(legs: tuple[Leg, ...]) -> tuple[Leg, ...]:
    return tuple(Leg(leg.amount, leg.role, -leg.sign, leg.contact) for leg in legs)


KINDS: dict[str, DocumentKind] = {k.name: k for k in (
    DocumentKind("quote", "QT", None, {
        "send": (("draft",), "sent"),
        "accept": (("draft", "sent"), "accepted"), "decline": (("draft", "sent"), "declined"),
        "expire": (("draft", "sent"), "expired"), "cancel": (("draft", "sent"), "cancelled")}),
    DocumentKind("sale", "SO", None, {
        "edit": (("draft",), None), "confirm": (("draft",), "confirmed"),
        "ship": (_LIVE_ORDER, None), "invoice": (_LIVE_ORDER, None),
        "cancel": (_ANY_ORDER, "cancelled")}),
    DocumentKind("purchase", "PO", None, {
        "edit": (("draft",), None), "confirm": (("draft",), "confirmed"),
        "receive": (_LIVE_ORDER, None), "cancel": (_ANY_ORDER, "cancelled")}),
    DocumentKind("shipment", None, "shipment", {"cancel": (("posted",), "cancelled")},
                 (Leg("cost", "cogs", +1), Leg("cost", "inventory", -1)),
                 stock_source="shipment", memo="Shipment {ref} to {contact}"),
    DocumentKind("receipt", None, None, {"cancel": (("posted",), "cancelled")},
                 stock_source="receipt"),
    DocumentKind("invoice", "INV", "invoice", {
        "credit": (("open", "paid"), None), "cancel": (("open", "paid"), "cancelled")},
        _INVOICE_LEGS, memo="Invoice {n} {contact}{ref}"),
    DocumentKind("bill", "BILL", "bill", {
        "credit": (("open", "paid"), None), "cancel": (("open", "paid"), "cancelled")},
        _BILL_LEGS, memo="Bill {n} {contact}{ref}"),
    DocumentKind("credit_note", "CN", "credit_note", {"cancel": (("posted",), "cancelled")},
                 (*_reversed(_INVOICE_LEGS), Leg("fx_rounding", "receivable", -1, contact=True),
                  Leg("returned", "inventory", +1), Leg("returned", "cogs", -1)),
                 stock_source="return", memo="Credit note {n} {contact} ({ref})"),
    DocumentKind("debit_note", "DN", "debit_note", {"cancel": (("posted",), "cancelled")},
                 (*_reversed(_BILL_LEGS), Leg("fx_rounding", "payable", +1, contact=True)),
                 stock_source="return",
                 memo="Debit note {n} {contact} ({ref})"),
)}

#: Numbered kinds by prefix (the gapless-numbers check reads it).
PREFIXES = {k.prefix: k for k in KINDS.values() if k.prefix}


def kind(name: str) -> DocumentKind:
    return KINDS[name]


def allow(kind_name: str, action: str, status: str, number: str) -> str | None:
    """The status `action` leads to from `status` (None: derived by the caller); refuses
    (RuleViolation naming the document) an action the kind's table does not allow."""
    k = KINDS[kind_name]
    if action not in k.transitions:
        raise RuleViolation(_("{number}: a {kind} cannot be {done}").format(
            number=number, kind=_(kind_name.replace("_", " ")),
            done=_(_VERBS.get(action, action))), field="document")
    starts, leads_to = k.transitions[action]
    if status in starts:
        return leads_to
    if status == "cancelled":
        text = (_("{number} is already cancelled") if action == "cancel"
                else _("{number} is cancelled"))
        raise RuleViolation(text.format(number=number), field="document")
    if status == "draft" and "confirmed" in starts:
        raise RuleViolation(_("{number} is a draft: confirm it before you {action} it").format(
            number=number, action=_(action)), field="document")
    if starts == ("draft",):
        raise RuleViolation(_("{number} is {status}: only a draft can be {done}").format(
            number=number, status=_(status), done=_(_VERBS.get(action, action))),
            field="document")
    raise RuleViolation(_("{number} is {status}: it cannot be {done}").format(
        number=number, status=_(status), done=_(_VERBS.get(action, action))),
        field="document")


@dataclass(frozen=True)
class Posting:
    """What a document posts: its identity and its amounts (keys: its kind's legs)."""

    doc_id: int
    number: str
    date: dt.date
    contact_id: int
    contact: str
    ref: str = ""  # what it came from, for the memo (an order or an invoice number)
    amounts: Mapping[str, Decimal | Mapping[str, Decimal]] = field(default_factory=dict)
    #: A document in another currency: (currency, gross in it, rate); its gross leg (the
    #: receivable or payable) carries them.
    fx: tuple[str, Decimal, Decimal] | None = None


def postings_of(s: Tx, kind_name: str, doc: Posting) -> list[PostingInput]:
    """The posting lines of a document of `kind_name` (zero amounts left out)."""
    k = KINDS[kind_name]
    out: list[PostingInput] = []
    for leg in k.legs:
        value = doc.amounts.get(leg.amount)
        if value is None:
            continue
        parts = value.items() if leg.role is BY_LINE else [(None, value)]
        for code, amount in parts:  # type: ignore[union-attr]
            assert isinstance(amount, Decimal)
            if amount == 0:
                continue
            account = code if code is not None else account_by_role(s, leg.role).code
            fx = None
            if doc.fx is not None and leg.amount == "gross":
                fx = (doc.fx[0], leg.sign * doc.fx[1], doc.fx[2])
            out.append(PostingInput(account, leg.sign * amount,
                                    doc.contact_id if leg.contact else None, doc.number, fx))
    return out


def post(s: Tx, kind_name: str, doc: Posting) -> str | None:
    """Post a document's journal entry (source: its kind's, source id: the document) from
    its kind's legs; returns the entry's number (None when every amount is zero)."""
    k = KINDS[kind_name]
    assert k.source is not None
    lines = postings_of(s, kind_name, doc)
    if not lines:
        return None
    memo = _(k.memo).format(n=doc.number, contact=doc.contact, ref=doc.ref)
    return post_entry(s, doc.date, memo, lines, source=k.source,
                      source_id=doc.doc_id).number


def cancel(s: Tx, kind_name: str, doc_id: int, number: str, on: dt.date) -> str | None:
    """Undo what a document did, dated `on`: its stock moves get their reversals (refused
    when that would leave negative stock) and its entry its reversing entry. Returns the
    reversal's entry number (None when it posted nothing). The caller has called `allow`
    and sets the status."""
    k = KINDS[kind_name]
    memo = _("Cancellation of {n}").format(n=number)
    if k.stock_source is not None:
        reverse_moves(s, k.stock_source, doc_id, on, memo=memo)
    if k.source is None:
        return None
    return reverse_entry_of(s, k.source, doc_id, on, memo)
