"""Customer (or supplier) statements and overdue reminders.

A statement is the contact's sub-ledger for a period, read from the books (the postings
on the Receivable, or Payable, account that carry the contact), one line per journal
entry, with what the documents say about it:

    opening balance (before --from) + invoices − payments − write-offs − credit notes
    + refunds ± cancellations and other postings = closing balance (at --to)

and, as of --to, what is open: each document's balance due, its days overdue and aging
bucket (`reports.open_documents`, the aging's own rule), less the contact's unapplied
credit. Amounts are what the contact owes (receivables) or is owed (payables): positive
is owed to the party that issued the statement's invoices.

Reminders: the customers with open invoices past due, each invoice with its days
overdue, the most overdue customer first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz.crm.service import contact_row, resolve_contact
from smallbiz.dates import as_date, today
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor
from smallbiz.orders.reports import (
    BUCKETS,
    OpenDocument,
    bucket_of,
    credits_as_of,
    open_documents,
)
from smallbiz.sql import Tx

KINDS = ("invoice", "payment", "write_off", "credit", "refund", "cancellation", "other")


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    kind: str  # one of KINDS
    reference: str  # the document's number (the entry's when it has none)
    entry: str
    description: str
    amount: Decimal  # + raises what is owed, - lowers it
    balance: Decimal  # running
    currency: str | None = None  # a foreign document's entry: the amount in its currency
    amount_fx: Decimal | None = None


@dataclass(frozen=True)
class Statement:
    contact_id: int
    contact: str
    email: str
    address: list[str]
    payables: bool
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: list[StatementLine]
    totals: dict[str, Decimal]  # KINDS -> sum of their amounts in the period
    closing: Decimal
    open_items: list[OpenDocument]
    unapplied_credit: Decimal  # as of `end`
    aging: dict[str, Decimal] = field(default_factory=dict)  # BUCKETS -> open balance


#: The contact's postings on the account of `role` per entry in the period, with the
#: document the entry (or the entry it reverses) belongs to.
_LINES = (
    "SELECT e.date, e.number, e.memo, COALESCE(o.source, e.source), e.reverses_id,"
    " SUM(p.amount), MIN(i.number), MIN(py.number), MIN(py.written_off), MIN(py.amount),"
    " MIN(p.currency), SUM(p.amount_fx)"
    " FROM posting p JOIN account a ON a.id = p.account_id"
    " JOIN journal_entry e ON e.id = p.entry_id"
    " LEFT JOIN journal_entry o ON o.id = e.reverses_id"
    " LEFT JOIN invoice i ON COALESCE(o.source, e.source) IN ('invoice', 'bill',"
    "  'credit_note', 'debit_note')"
    "  AND i.id = e.source_id"
    " LEFT JOIN payment py ON COALESCE(o.source, e.source) = 'payment' AND py.id = e.source_id"
    " WHERE a.role = :role AND p.contact_id = :c AND e.date >= :d1 AND e.date <= :d2"
    " GROUP BY e.id, e.date, e.number, e.memo, o.source, e.source, e.reverses_id"
    " ORDER BY e.date, e.id")
#: A posting's date is its entry's (`check` verifies it): no join to the entries.
_OPENING = ("SELECT COALESCE(SUM(p.amount), 0) FROM posting p"
            " JOIN account a ON a.id = p.account_id"
            " WHERE a.role = :role AND p.contact_id = :c AND p.date < :d1")
def statement(s: Tx, contact: str | int, *, start: dt.date | None = None,
              end: dt.date | None = None, payables: bool = False) -> Statement:
    """The contact's statement from `start` (default: 1 January of `end`'s year) to
    `end` (default today)."""
    end = end or today()
    start = start or dt.date(end.year, 1, 1)
    if start > end:
        raise ValidationError(_("--from {a} is after --to {b}").format(
            a=start.isoformat(), b=end.isoformat()), field="from")
    party = resolve_contact(s, contact)
    row = contact_row(s, party.id)
    digits = s.money_digits
    zero = from_minor(0, digits)
    sign = -1 if payables else 1
    params = {"role": "payable" if payables else "receivable", "c": party.id,
              "d1": start, "d2": end}
    opening = from_minor(sign * (s.scalar(_OPENING, params) or 0), digits)
    lines: list[StatementLine] = []
    totals = dict.fromkeys(KINDS, zero)
    balance = opening

    def add(date: dt.date, kind: str, ref: str, entry: str, text: str, amount: Decimal,
            fx: tuple[str | None, Decimal | None] = (None, None)) -> None:
        nonlocal balance
        balance += amount
        totals[kind] += amount
        lines.append(StatementLine(date, kind, ref, entry, text, amount, balance, *fx))

    for (date, entry, memo, source, reverses, minor, doc, pay, written, moved, currency,
         minor_fx) in s.execute(_LINES, params):
        day = as_date(date)
        assert day is not None
        amount = from_minor(sign * minor, digits)
        fx = (currency, None if minor_fx is None else from_minor(sign * minor_fx, digits))
        ref = doc or pay or entry
        if reverses is not None:
            add(day, "cancellation", ref, entry, memo, amount, fx)
        elif source in ("invoice", "bill"):
            add(day, "invoice", ref, entry, memo, amount, fx)
        elif source in ("credit_note", "debit_note"):
            add(day, "credit", ref, entry, memo, amount, fx)
        elif source == "payment" and moved is not None and moved < 0:
            add(day, "refund", ref, entry, memo, amount, fx)
        elif source == "payment":
            off = from_minor(written or 0, digits)
            add(day, "payment", ref, entry, memo, amount + off, fx)
            if off:
                add(day, "write_off", ref, entry, _("Written off"), -off)
        else:
            add(day, "other", ref, entry, memo, amount)
    items = open_documents(s, party.id, payables=payables, as_of=end)
    aging = dict.fromkeys(BUCKETS, zero)
    for item in items:
        aging[item.bucket] += item.balance_due
    credit = credits_as_of(s, end, payables=payables, contact_id=party.id).get(party.id, zero)
    address = []
    if row is not None:
        city = " ".join(x for x in (row.postcode, row.city) if x)
        address = [x for x in (row.street, city, row.country) if x]
    return Statement(party.id, party.name, row.email if row is not None else "", address,
                     payables, start, end, opening, lines, totals, balance, items, credit,
                     aging)


# -- reminders -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    contact_id: int
    contact: str
    email: str
    invoices: list[OpenDocument]
    total: Decimal  # overdue balance
    days_overdue: int  # of the most overdue invoice


_OVERDUE = ("FROM invoice i WHERE i.kind = 'invoice' AND i.status = 'open'"
            " AND i.due_date < :asof")


def reminders(s: Tx, as_of: dt.date | None = None, *, limit: int | None = None
              ) -> list[Reminder]:
    """Customers with open invoices due before `as_of` (default today), each with those
    invoices (the earliest due first), the most overdue customer first; `limit`: the
    first few (the customers are ranked in SQL on the (kind, status, due_date) index, and
    only their invoices are read)."""
    as_of = as_of or today()
    digits = s.money_digits
    params: dict[str, object] = {"asof": as_of}
    cap = ""
    if limit is not None:
        cap, params["n"] = " LIMIT :n", limit
    ranked = s.all(
        "SELECT x.contact_id, c.name, COALESCE(c.email, ''), x.total, x.oldest FROM ("
        f" SELECT i.contact_id, SUM(i.gross - i.paid) AS total, MIN(i.due_date) AS oldest"
        f" {_OVERDUE} GROUP BY i.contact_id) x JOIN contact c ON c.id = x.contact_id"
        f" ORDER BY x.oldest, c.name, x.contact_id{cap}", params)
    if not ranked:
        return []
    items: dict[int, list[OpenDocument]] = {r[0]: [] for r in ranked}
    for contact_id, number, date, due_date, due in s.execute(
            f"SELECT i.contact_id, i.number, i.date, i.due_date, i.gross - i.paid {_OVERDUE}"
            " AND i.contact_id IN :ids ORDER BY i.due_date, i.number",
            {"asof": as_of, "ids": list(items)}):
        due_day = as_date(due_date)
        assert due_day is not None
        items[contact_id].append(OpenDocument(
            number, as_date(date) or due_day, due_day, from_minor(due, digits),
            (as_of - due_day).days, bucket_of(due_day, as_of)))
    return [Reminder(cid, name, email, items[cid], from_minor(total, digits),
                     items[cid][0].days_overdue if items[cid] else 0)
            for cid, name, email, total, _oldest in ranked]
