"""Lists of orders, invoices and payments in plain SQL.

Each function takes a `smallbiz.sql.Tx`; the CLI, the TUI and the services call the same
functions. Orders and invoices come in date order with keyset paging
(`after=(date, id)`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smallbiz.dates import as_date
from smallbiz.db_util import keyset_after
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor
from smallbiz.orders import search as search_index
from smallbiz.sql import Tx

ORDER_STATUSES = ("draft", "confirmed", "shipped", "received", "invoiced", "paid", "cancelled")

#: What of an order line is not yet shipped (received) by the live shipments.
UNSHIPPED_SQL = (
    "l.quantity - COALESCE((SELECT SUM(sl.quantity) FROM shipment_line sl JOIN shipment sh "
    "ON sh.id = sl.shipment_id WHERE sl.order_line_id = l.id AND sh.status = 'posted'), 0)")
#: An order still has something to do: not cancelled, and not both delivered and
#: invoiced in full (a purchase is billed as it is received).
OPEN_ORDER_SQL = (
    "(o.status IN ('draft', 'confirmed', 'shipped') OR (o.status IN ('invoiced', 'paid', "
    "'received') AND EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id AND "
    f"l.is_service = :no AND {UNSHIPPED_SQL} > 0)))")


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


# -- orders ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrderRow:
    id: int
    kind: str
    number: str
    date: dt.date
    contact: str
    status: str
    net: Decimal
    gross: Decimal
    shipped_on: dt.date | None  # shipped (sale) or received (purchase)
    invoice: str | None  # INV-/BILL- number, not cancelled
    currency: str | None = None  # priced in another currency than the book's


_ORDERS = (
    "SELECT o.id, o.kind, o.number, o.date, c.name, o.status, o.net, o.gross, "
    " (SELECT MIN(sh.date) FROM shipment sh WHERE sh.order_id = o.id AND sh.status = 'posted'),"
    " (SELECT MIN(i.number) FROM invoice i WHERE i.order_id = o.id AND i.status <> 'cancelled'),"
    " o.currency FROM trade_order o JOIN contact c ON c.id = o.contact_id WHERE {where} "
    "ORDER BY o.date, o.id")


def list_orders(s: Tx, kind: str, *, status: str | None = None,
                contact_id: int | None = None, open_only: bool = False,
                limit: int | None = None,
                after: tuple[dt.date, int] | None = None) -> list[OrderRow]:
    """Orders of one kind (sale, purchase) in date order. `open_only`: not cancelled and
    not yet both delivered and invoiced."""
    where = ["o.kind = :kind"]
    params: dict[str, Any] = {"kind": kind}
    if status is not None:
        if status not in ORDER_STATUSES:
            raise ValidationError(_("status: '{s}' is not one of {all}").format(
                s=status, all=", ".join(ORDER_STATUSES)), field="status")
        where.append("o.status = :status")
        params["status"] = status
    if open_only:
        where.append(OPEN_ORDER_SQL)
        params["no"] = False
    if contact_id is not None:
        where.append("o.contact_id = :cid")
        params["cid"] = contact_id
    keyset_after(where, params, "o", after)
    digits = s.money_digits
    sql = _ORDERS.format(where=" AND ".join(where)) + _limit(limit)
    return [OrderRow(r[0], r[1], r[2], as_date(r[3]), r[4], r[5], from_minor(r[6], digits),
                     from_minor(r[7], digits), as_date(r[8]), r[9], r[10])
            for r in s.execute(sql, params)]


# -- invoices and bills ----------------------------------------------------------------------

@dataclass(frozen=True)
class InvoiceRow:
    id: int
    kind: str
    number: str
    date: dt.date
    due_date: dt.date
    contact: str
    status: str
    gross: Decimal
    paid: Decimal
    balance_due: Decimal
    days_overdue: int
    currency: str | None = None  # a document in another currency: its balance due in it
    balance_due_fx: Decimal | None = None
    supplier_ref: str = ""  # a bill: the supplier's own number for it


_INVOICES = (
    "SELECT i.id, i.kind, i.number, i.date, i.due_date, c.name, i.status, i.gross, i.paid, "
    "i.credited, i.currency, i.gross_fx - COALESCE(i.paid_fx, 0) - COALESCE(i.credited_fx, 0), "
    "i.supplier_ref "
    "FROM invoice i JOIN contact c ON c.id = i.contact_id WHERE {where} ORDER BY {order}")


#: Which invoices a list shows: all, open (a balance due), overdue (open and due before
#: the day), paid.
INVOICE_WHICH = ("all", "open", "overdue", "paid")

def invoice_condition(kind: str, which: str = "all", *, as_of: dt.date, dialect: str,
                      contact_id: int | None = None, search: str | None = None,
                      walk: bool = False) -> tuple[list[str], dict[str, Any]]:
    """The one condition of an invoice list (on `invoice i`): the rows a list shows and
    the count of them. `which`: one of INVOICE_WHICH (overdue as of `as_of`);
    `contact_id`: only this customer's or supplier's; `search`: the text anywhere in the
    number, the supplier's reference, the contact's name or the memo (any case; see
    `orders.search`, whose SQL depends on the `dialect`, its matches do not); `walk`: a
    list read in date order tests each invoice against the text's matches instead of
    looking them up (for a text with many)."""
    if which not in INVOICE_WHICH:
        raise ValidationError(_("'{w}' is not one of {all}").format(
            w=which, all=", ".join(INVOICE_WHICH)), field="which")
    text = search.strip() if search else ""
    # Looking the matches up: the list's own indexes must not be chosen over them (a
    # unary + keeps SQLite from using a column's index).
    lookup = (bool(text) and search_index.indexed(dialect, text) and not walk
              and contact_id is None)
    plus = "+" if lookup else ""
    where = [f"{plus}i.kind = :kind"]
    params: dict[str, Any] = {"kind": kind}
    status = {"open": "open", "overdue": "open", "paid": "paid"}.get(which)
    if status is not None:
        where.append(f"{plus}i.status = '{status}'")
    if which == "overdue":
        where.append(f"{plus}i.due_date < :asof")
        params["asof"] = as_of
    if contact_id is not None:
        where.append("i.contact_id = :cid")
        params["cid"] = contact_id
    if text:
        where.append(search_index.search_sql(dialect, text, status))
        params.update(search_index.search_params(dialect, text))
    return where, params


def list_invoices(s: Tx, *, kind: str = "invoice", open_only: bool = False,
                  overdue_only: bool = False, contact_id: int | None = None,
                  as_of: dt.date | None = None, limit: int | None = None,
                  after: tuple[dt.date, int] | None = None,
                  search: str | None = None, which: str | None = None) -> list[InvoiceRow]:
    """Invoices (or bills) in date order; `open_only`: with a balance due; `overdue_only`:
    open and due before `as_of` (default today), which also dates `days_overdue`;
    `which` (instead of the two): all, open, overdue or paid; `search`: see
    `invoice_condition`."""
    as_of = as_of or dt.date.today()
    which = which or ("overdue" if overdue_only else "open" if open_only else "all")
    text = search.strip() if search else ""
    walk = (bool(text) and which in ("all", "paid") and contact_id is None
            and search_index.indexed(s.dialect, text)
            and search_index.many_matches(s, text, kind))
    where, params = invoice_condition(kind, which, as_of=as_of, dialect=s.dialect,
                                      contact_id=contact_id, search=search, walk=walk)
    keyset_after(where, params, "i", after)
    return _invoice_rows(s, where, params, "i.date, i.id", limit, as_of)


def count_invoices(s: Tx, kind: str = "invoice", which: str = "all", *,
                   as_of: dt.date | None = None, contact_id: int | None = None,
                   search: str | None = None) -> int:
    """How many invoices (bills) `list_invoices` lists with the same filter."""
    where, params = invoice_condition(kind, which, as_of=as_of or dt.date.today(),
                                      dialect=s.dialect, contact_id=contact_id,
                                      search=search)
    return int(s.scalar(f"SELECT COUNT(*) FROM invoice i WHERE {' AND '.join(where)}",
                        params))


def most_overdue(s: Tx, as_of: dt.date, limit: int, *,
                 kind: str = "invoice") -> list[InvoiceRow]:
    """The `limit` open invoices (or bills) longest past their due date on `as_of`, most
    days overdue first, then by number. Reads only those rows, through the
    (kind, status, due_date) index."""
    where = ["i.kind = :kind", "i.status = 'open'", "i.due_date < :asof"]
    return _invoice_rows(s, where, {"kind": kind, "asof": as_of}, "i.due_date, i.number",
                         limit, as_of)


def _invoice_rows(s: Tx, where: list[str], params: dict[str, Any], order: str,
                  limit: int | None, as_of: dt.date) -> list[InvoiceRow]:
    digits = s.money_digits
    zero = from_minor(0, digits)
    out = []
    sql = _INVOICES.format(where=" AND ".join(where), order=order) + _limit(limit)
    for r in s.execute(sql, params):
        due = as_date(r[4])
        gross, paid = from_minor(r[7], digits), from_minor(r[8], digits)
        balance = gross - paid - from_minor(r[9], digits) if r[6] != "cancelled" else zero
        late = max(0, (as_of - due).days) if r[6] == "open" else 0
        due_fx = None
        if r[10] is not None:
            due_fx = from_minor(r[11], digits) if r[6] != "cancelled" else zero
        out.append(InvoiceRow(r[0], r[1], r[2], as_date(r[3]), due, r[5], r[6], gross, paid,
                              balance, late, r[10], due_fx, r[12] or ""))
    return out


# -- payments --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PaymentRow:
    id: int
    number: str
    direction: str  # in | out
    date: dt.date
    contact: str
    account: str  # account code
    amount: Decimal
    status: str
    memo: str


def list_payments(s: Tx, *, contact_id: int | None = None, direction: str | None = None,
                  limit: int | None = None) -> list[PaymentRow]:
    """Payments, newest first."""
    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if contact_id is not None:
        where.append("p.contact_id = :cid")
        params["cid"] = contact_id
    if direction is not None:
        where.append("p.direction = :dir")
        params["dir"] = direction
    sql = ("SELECT p.id, p.number, p.direction, p.date, c.name, a.code, p.amount, p.status, "
           "p.memo FROM payment p JOIN contact c ON c.id = p.contact_id "
           "JOIN account a ON a.id = p.account_id "
           f"WHERE {' AND '.join(where)} ORDER BY p.date DESC, p.id DESC" + _limit(limit))
    digits = s.money_digits
    return [PaymentRow(r[0], r[1], r[2], as_date(r[3]), r[4], r[5], from_minor(r[6], digits),
                       r[7], r[8]) for r in s.execute(sql, params)]
