"""Receivable / payable aging, the VAT report and sales by customer or product, in SQL.

- Aging (as of a day): each contact's documents dated on or before that day, less the
  payments and credit (debit) notes dated on or before it (a document, payment or note
  cancelled later still counts), bucketed by days past due = as-of day − due date:
  current (≤ 0, not yet due), 0–30 (1 to 30 days), 31–60, 61–90, 90+. A contact's
  unapplied credit as of that day (an overpayment, an advance, what a note on a paid
  document freed; less refunds) is its own column, so the contact's total is net.
- VAT (a period): output VAT from invoices and input VAT from bills dated in the period,
  per rate, less the credit notes (output) and debit notes (input) dated in it; a
  document cancelled in the period counts the other way there (as its reversing entry
  does in the books), so the report agrees with the VAT accounts.
- Sales (a period): invoices dated in the period and not cancelled, less the credit
  notes dated in it and not cancelled, net / VAT / gross per customer or per product.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz.dates import as_date
from smallbiz.errors import ValidationError
from smallbiz.i18n import N_, _
from smallbiz.money import QTY_DIGITS, from_minor
from smallbiz.sql import Tx

BUCKETS = ("current", "0-30", "31-60", "61-90", "90+")
#: What every face calls each bucket (msgids; translate where shown): days past due.
BUCKET_TITLES = {"current": N_("not due"), "0-30": "0-30", "31-60": "31-60",
                 "61-90": "61-90", "90+": "90+"}


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise ValidationError(_("--from {a} is after --to {b}").format(
            a=start.isoformat(), b=end.isoformat()), field="from")


# -- aging -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgingRow:
    contact_id: int
    contact: str
    documents: int
    buckets: dict[str, Decimal]  # BUCKETS -> balance due
    total: Decimal  # the buckets less the credit: what the contact owes, net
    credit: Decimal = Decimal(0)  # their unapplied credit (overpayments, freed by notes)
    #: What of the total is owed in other currencies: currency -> balance due in it
    foreign: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Aging:
    kind: str  # invoice (receivables) | bill (payables)
    as_of: dt.date
    rows: list[AgingRow]
    totals: dict[str, Decimal]
    total: Decimal  # the buckets' totals less the credit
    credit: Decimal = Decimal(0)


#: The documents that can have a balance as of day D, each set found by an index or one
#: pass over the payments (see `aging`): open ones, ones cancelled after D, and ones with
#: an allocation from a payment dated or cancelled after D, or applied (credit) after D.
#: `{only}` narrows the first two to one contact's (ix_invoice_contact); the others are
#: few, and the balances are summed for that contact only.
_CANDIDATES = (
    "SELECT id FROM invoice WHERE kind = :kind AND status = 'open'{only}"
    " UNION SELECT id FROM invoice WHERE kind = :kind AND status = 'cancelled'"
    "  AND cancelled_on > :asof{only}"
    " UNION SELECT pa.invoice_id FROM payment_allocation pa"
    "  CROSS JOIN payment p"  # CROSS JOIN: SQLite keeps this order (one pass, p by its key)
    "  WHERE p.id = pa.payment_id AND (p.date > :asof OR p.cancelled_on > :asof"
    "  OR pa.applied_on > :asof)"
    " UNION SELECT credits_id FROM invoice WHERE credits_id > 0"  # > 0: its index
    "  AND (date > :asof OR cancelled_on > :asof)")
#: Every document dated by D: fewer than the candidates when D is early in the book.
_DATED_BY = "SELECT id FROM invoice WHERE kind = :kind AND date <= :asof{only}"


#: Each candidate document's balance due as of D (`t`): its gross less the allocations
#: applied by D from payments not cancelled by D; dated by D and not cancelled by then.
#: A document in another currency: its currency and the same in it (`due_fx`).
_OPEN_AS_OF = (
    " t AS MATERIALIZED (SELECT i.id, i.number, i.date, i.contact_id, i.due_date,"
    "  i.gross - COALESCE(("
    "   SELECT SUM(pa.amount) FROM payment_allocation pa"
    "   JOIN payment p ON p.id = pa.payment_id"
    "   WHERE pa.invoice_id = i.id AND COALESCE(pa.applied_on, p.date) <= :asof"
    "   AND (p.status = 'posted' OR p.cancelled_on > :asof)), 0) - COALESCE(("
    "   SELECT SUM(n.gross) FROM invoice n WHERE n.credits_id = i.id AND n.date <= :asof"
    "   AND (n.status <> 'cancelled' OR n.cancelled_on > :asof)), 0) AS due,"
    "  i.currency, CASE WHEN i.currency IS NULL THEN NULL ELSE i.gross_fx - COALESCE(("
    "   SELECT SUM(pa.amount_fx) FROM payment_allocation pa"
    "   JOIN payment p ON p.id = pa.payment_id"
    "   WHERE pa.invoice_id = i.id AND COALESCE(pa.applied_on, p.date) <= :asof"
    "   AND (p.status = 'posted' OR p.cancelled_on > :asof)), 0) - COALESCE(("
    "   SELECT SUM(n.gross_fx) FROM invoice n WHERE n.credits_id = i.id AND n.date <= :asof"
    "   AND (n.status <> 'cancelled' OR n.cancelled_on > :asof)), 0) END AS due_fx"
    "  FROM cand CROSS JOIN invoice i"
    "  WHERE i.id = cand.id AND i.kind = :kind AND i.date <= :asof"
    "  AND (i.status <> 'cancelled' OR i.cancelled_on > :asof))")


#: Each contact's credit as of D: what their payments (of a direction) dated by D and not
#: cancelled by then brought (amount and write-off; a refund is negative) less what was
#: allocated by D. Only the payments with credit left are grouped (most have none): one
#: pass over the payments, each one's credit computed once (MATERIALIZED: SQLite would
#: otherwise copy the subquery into the filter and the sum).
_CREDIT_AS_OF = (
    "WITH x AS MATERIALIZED (SELECT p.contact_id, p.amount + p.written_off"
    " - COALESCE((SELECT SUM(pa.amount + pa.exchange) FROM payment_allocation pa"
    "  WHERE pa.payment_id = p.id"
    "  AND COALESCE(pa.applied_on, p.date) <= :asof), 0) AS credit"
    " FROM payment p WHERE p.direction = :dir AND p.date <= :asof"
    " AND (p.status = 'posted' OR p.cancelled_on > :asof){only})"
    " SELECT x.contact_id, SUM(x.credit) FROM x WHERE x.credit <> 0"
    " GROUP BY x.contact_id HAVING SUM(x.credit) <> 0")


def credits_as_of(s: Tx, as_of: dt.date, *, payables: bool = False,
                  contact_id: int | None = None) -> dict[int, Decimal]:
    """Contact id → their unapplied credit as of a day (customers', or with `payables`
    suppliers'): the aging's credit column and a statement's unapplied credit."""
    params: dict[str, object] = {"asof": as_of, "dir": "out" if payables else "in"}
    only = ""
    if contact_id is not None:
        only, params["c"] = " AND p.contact_id = :c", contact_id
    return {cid: from_minor(credit, s.money_digits)
            for cid, credit in s.execute(_CREDIT_AS_OF.format(only=only), params)}


def bucket_of(due_date: dt.date, as_of: dt.date) -> str:
    """The aging bucket of a document due on `due_date`, as of a day (as `aging` sums)."""
    days = (as_of - due_date).days
    if days <= 0:
        return BUCKETS[0]
    return BUCKETS[1] if days <= 30 else BUCKETS[2] if days <= 60 else (
        BUCKETS[3] if days <= 90 else BUCKETS[4])


@dataclass(frozen=True)
class OpenDocument:
    number: str
    date: dt.date
    due_date: dt.date
    balance_due: Decimal
    days_overdue: int
    bucket: str
    currency: str | None = None  # a document in another currency: its balance due in it
    balance_due_fx: Decimal | None = None


def open_documents(s: Tx, contact_id: int, *, payables: bool = False,
                   as_of: dt.date | None = None) -> list[OpenDocument]:
    """One contact's invoices (or bills) with a balance due as of a day, the earliest due
    first: the documents the aging adds up for that contact."""
    as_of = as_of or dt.date.today()
    kind = "bill" if payables else "invoice"
    candidates = _SETS[_aging_strategy(s, kind, as_of)].format(only=" AND contact_id = :c")
    rows = s.all(
        f"WITH cand(id) AS MATERIALIZED ({candidates}), {_OPEN_AS_OF}"
        " SELECT number, date, due_date, due, currency, due_fx FROM t WHERE due <> 0"
        " AND contact_id = :c ORDER BY due_date, number",
        {"c": contact_id, "kind": kind, "asof": as_of})
    out = []
    for number, date, due_date, due, currency, due_fx in rows:
        due_day = as_date(due_date)
        assert due_day is not None
        out.append(OpenDocument(number, as_date(date) or due_day, due_day,
                                from_minor(due, s.money_digits),
                                max(0, (as_of - due_day).days), bucket_of(due_day, as_of),
                                currency, None if due_fx is None else from_minor(
                                    due_fx, s.money_digits)))
    return out


def _aging_sql(candidates: str) -> str:
    """Each contact's balance due per bucket, summed over the `candidates` (invoice ids;
    any superset of the documents with a balance as of D gives the same report)."""
    return (
        f"WITH cand(id) AS MATERIALIZED ({candidates}), {_OPEN_AS_OF}"
        " SELECT t.contact_id, c.name, COUNT(*),"
        " SUM(CASE WHEN t.due_date >= :asof THEN t.due ELSE 0 END),"
        " SUM(CASE WHEN t.due_date < :asof AND t.due_date >= :d30 THEN t.due ELSE 0 END),"
        " SUM(CASE WHEN t.due_date < :d30 AND t.due_date >= :d60 THEN t.due ELSE 0 END),"
        " SUM(CASE WHEN t.due_date < :d60 AND t.due_date >= :d90 THEN t.due ELSE 0 END),"
        " SUM(CASE WHEN t.due_date < :d90 THEN t.due ELSE 0 END),"
        " SUM(t.due), MIN(t.currency), MAX(t.currency), SUM(t.due_fx)"
        " FROM t JOIN contact c ON c.id = t.contact_id WHERE t.due <> 0"
        " GROUP BY t.contact_id, c.name ORDER BY c.name, t.contact_id")


_SETS = {"candidates": _CANDIDATES, "dated_by": _DATED_BY}
_AGING = {name: _aging_sql(sql.format(only="")) for name, sql in _SETS.items()}


def _aging_strategy(s: Tx, kind: str, as_of: dt.date) -> str:
    """'dated_by' when the documents of `kind` dated by D are at most half as many as the
    documents of either kind dated after it (which stand for the payments after D,
    which `_CANDIDATES` takes one pass over), else 'candidates'. Both counts run on
    ix_invoice_kind_date; the second stops at the threshold, and on the usual as-of day
    (today) the first is zero."""
    after = next(iter(s.execute("SELECT COUNT(*) FROM invoice"
                                 " WHERE kind IN ('invoice', 'bill') AND date > :asof",
                              {"asof": as_of})))[0]
    if not after:
        return "candidates"
    before = next(iter(s.execute("SELECT COUNT(*) FROM (SELECT 1 FROM invoice"
                                  " WHERE kind = :kind AND date <= :asof LIMIT :cap) AS dated",
                               {"kind": kind, "asof": as_of, "cap": after // 2 + 1})))[0]
    return "dated_by" if before <= after // 2 else "candidates"


def aging(s: Tx, *, payables: bool = False, as_of: dt.date | None = None) -> Aging:
    """Balance due per contact in the aging buckets (receivables, or payables).

    Only the `_CANDIDATES` are summed (early in the book, all documents `_DATED_BY` D),
    which is exact: a document dated on or before D and not cancelled by then is now
    open, paid or cancelled after D. An open one and one cancelled after D are
    candidates. A paid one has its gross allocated by the posted payments (an invariant
    `smallbiz check` verifies), so its balance as of D is what payments dated after D
    add back, less what payments dated by D but cancelled after D take off: zero unless
    it has an allocation from a payment dated, applied or cancelled after D, a candidate
    too."""
    as_of = as_of or dt.date.today()
    kind = "bill" if payables else "invoice"
    digits = s.money_digits
    params = {"kind": kind, "asof": as_of, "d30": as_of - dt.timedelta(days=30),
              "d60": as_of - dt.timedelta(days=60), "d90": as_of - dt.timedelta(days=90)}
    rows = []
    zero = from_minor(0, digits)
    totals = dict.fromkeys(BUCKETS, zero)
    credits = credits_as_of(s, as_of, payables=payables)
    sql = _AGING[_aging_strategy(s, kind, as_of)]
    for contact_id, name, count, *amounts, low, high, due_fx in s.execute(sql, params):
        buckets = {b: from_minor(a, digits) if a else zero  # most buckets are empty
                   for b, a in zip(BUCKETS, amounts[:5], strict=True)}
        for b in BUCKETS:
            totals[b] += buckets[b]
        foreign: dict[str, Decimal] = {}
        if low is not None and low == high:
            foreign[low] = from_minor(due_fx, digits)
        elif low is not None:  # several currencies: rare, one contact at a time
            for doc in open_documents(s, contact_id, payables=payables, as_of=as_of):
                if doc.currency is not None and doc.balance_due_fx is not None:
                    foreign[doc.currency] = foreign.get(doc.currency, zero) + doc.balance_due_fx
        credit = credits.pop(contact_id, zero)
        rows.append(AgingRow(contact_id, name, count, buckets,
                             from_minor(amounts[5], digits) - credit, credit, foreign))
    if credits:  # contacts with credit and nothing open
        for contact_id, name in s.execute("SELECT id, name FROM contact WHERE id IN :ids",
                                          {"ids": list(credits)}):
            credit = credits[contact_id]
            rows.append(AgingRow(contact_id, name, 0, dict.fromkeys(BUCKETS, zero), -credit,
                                 credit))
        rows.sort(key=lambda r: (r.contact, r.contact_id))
    credit = sum((r.credit for r in rows), zero)
    return Aging(kind, as_of, rows, totals, sum(totals.values(), zero) - credit, credit)


# -- VAT -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class VatReport:
    start: dt.date
    end: dt.date
    output: list[VatRow]  # sales (invoices)
    input: list[VatRow]  # purchases (bills)
    output_vat: Decimal
    input_vat: Decimal

    @property
    def net_vat(self) -> Decimal:
        """Output minus input VAT: positive is owed to the tax office."""
        return self.output_vat - self.input_vat

    @property
    def net_label(self) -> str:
        """The total line's name in every face (a msgid), beside `abs(net_vat)`."""
        return N_("VAT payable") if self.net_vat >= 0 else N_("VAT refundable")


#: A document's side of the VAT report and its sign there: credit notes take output VAT
#: back, debit notes input VAT.
_SIDE = ("CASE i.kind WHEN 'credit_note' THEN 'invoice' WHEN 'debit_note' THEN 'bill' "
         "ELSE i.kind END")
_SIGN = "CASE WHEN i.kind IN ('credit_note', 'debit_note') THEN -1 ELSE 1 END"
#: The period's documents are found by ix_invoice_kind_date (every kind named, so the
#: index is used), the cancelled ones by ix_invoice_kind_status_due, their lines by
#: ix_invoice_line_invoice_id (CROSS JOIN: SQLite keeps this order): the work grows with
#: the period, not the book.
_KINDS = "i.kind IN ('invoice', 'bill', 'credit_note', 'debit_note')"
_VAT = (
    "SELECT t.kind, t.vat_rate, SUM(t.net), SUM(t.vat) FROM ("
    f" SELECT {_SIDE} AS kind, l.vat_rate, {_SIGN} * l.net AS net, {_SIGN} * l.vat AS vat"
    "  FROM invoice i CROSS JOIN invoice_line l WHERE l.invoice_id = i.id"
    f"  AND {_KINDS} AND i.date >= :d1 AND i.date <= :d2"
    " UNION ALL"
    f" SELECT {_SIDE}, l.vat_rate, -{_SIGN} * l.net, -{_SIGN} * l.vat FROM invoice i"
    f"  CROSS JOIN invoice_line l WHERE l.invoice_id = i.id AND {_KINDS}"
    "  AND i.status = 'cancelled' AND i.cancelled_on >= :d1 AND i.cancelled_on <= :d2"
    ") t GROUP BY t.kind, t.vat_rate ORDER BY t.kind, t.vat_rate")


def vat_report(s: Tx, start: dt.date, end: dt.date) -> VatReport:
    """Output VAT (invoices) and input VAT (bills) of a period, net and tax per rate."""
    _check_period(start, end)
    digits = s.money_digits
    out: dict[str, list[VatRow]] = {"invoice": [], "bill": []}
    for kind, rate, net, vat in s.execute(_VAT, {"d1": start, "d2": end}):
        if net or vat:
            out[kind].append(VatRow(from_minor(rate, 2), from_minor(net, digits),
                                    from_minor(vat, digits)))
    zero = from_minor(0, digits)
    return VatReport(start, end, out["invoice"], out["bill"],
                     sum((r.vat for r in out["invoice"]), zero),
                     sum((r.vat for r in out["bill"]), zero))


# -- sales -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SalesRow:
    key: str  # the customer's name or the product's SKU
    name: str  # the customer's name or the product's name
    documents: int  # invoices (the credit notes are not counted)
    quantity: Decimal | None  # by product only
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class SalesReport:
    by: str
    start: dt.date
    end: dt.date
    rows: list[SalesRow] = field(default_factory=list)
    net: Decimal = Decimal(0)
    vat: Decimal = Decimal(0)
    gross: Decimal = Decimal(0)


#: A sales document's sign: a credit note takes its amounts (and quantities) off.
_SALE_SIGN = "CASE WHEN i.kind = 'credit_note' THEN -1 ELSE 1 END"
_SALES_OF = ("i.kind IN ('invoice', 'credit_note') AND i.status <> 'cancelled'"
             " AND i.date >= :d1 AND i.date <= :d2")
_SALES = {
    "customer": (
        "SELECT c.name, c.name, SUM(CASE WHEN i.kind = 'invoice' THEN 1 ELSE 0 END), NULL,"
        f" SUM({_SALE_SIGN} * i.net), SUM({_SALE_SIGN} * i.vat), SUM({_SALE_SIGN} * i.gross)"
        f" FROM invoice i JOIN contact c ON c.id = i.contact_id WHERE {_SALES_OF}"
        f" GROUP BY c.id, c.name ORDER BY SUM({_SALE_SIGN} * i.net) DESC, c.name"),
    "product": (
        "SELECT COALESCE(p.sku, ''), COALESCE(p.name, l.description),"
        " COUNT(DISTINCT CASE WHEN i.kind = 'invoice' THEN i.id END),"
        f" SUM({_SALE_SIGN} * l.quantity), SUM({_SALE_SIGN} * l.net),"
        f" SUM({_SALE_SIGN} * l.vat), SUM({_SALE_SIGN} * l.gross)"
        " FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id"
        f" LEFT JOIN product p ON p.id = l.product_id WHERE {_SALES_OF}"
        " GROUP BY p.id, p.sku, COALESCE(p.name, l.description)"
        f" ORDER BY SUM({_SALE_SIGN} * l.net) DESC, COALESCE(p.sku, '')"),
}


def sales_report(s: Tx, start: dt.date, end: dt.date, *, by: str = "customer") -> SalesReport:
    """Invoiced sales of a period less the period's credit notes (cancelled documents left
    out) per customer or product; `documents` counts the invoices."""
    if by not in _SALES:
        raise ValidationError(_("--by: '{by}' is not customer or product").format(by=by),
                              field="by")
    _check_period(start, end)
    digits = s.money_digits
    rows = [SalesRow(key, name, count,
                     from_minor(qty, QTY_DIGITS) if qty is not None else None,
                     from_minor(net, digits), from_minor(vat, digits), from_minor(gross, digits))
            for key, name, count, qty, net, vat, gross in s.execute(
                    _SALES[by], {"d1": start, "d2": end})]
    zero = from_minor(0, digits)
    return SalesReport(by, start, end, rows, sum((r.net for r in rows), zero),
                       sum((r.vat for r in rows), zero), sum((r.gross for r in rows), zero))


def overdue(s: Tx, as_of: dt.date, *, payables: bool = False) -> tuple[Decimal, int]:
    """Balance due and number of open invoices (or bills) due before `as_of`."""
    total, count = next(iter(s.execute(
            "SELECT COALESCE(SUM(gross - paid - credited), 0), COUNT(*) FROM invoice "
        "WHERE kind = :kind AND status = 'open' AND due_date < :asof",
        {"kind": "bill" if payables else "invoice", "asof": as_of})))
    return from_minor(total, s.money_digits), int(count)
