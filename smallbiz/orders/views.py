"""What orders add to the contact 360 and product 360 views.

Importing this module registers both providers (`smallbiz.crm.service` and
`smallbiz.stock.service` keep the hook lists; they know nothing of orders).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smallbiz.dates import as_date
from smallbiz.money import QTY_DIGITS, from_minor
from smallbiz.orders.lists import UNSHIPPED_SQL, list_invoices, list_orders, list_payments
from smallbiz.sql import Tx

RECENT_PAYMENTS = 20


def _invoice_json(r: Tx) -> dict[str, Any]:
    return {"number": r.number, "date": r.date, "due_date": r.due_date, "gross": r.gross,
            "paid": r.paid, "balance_due": r.balance_due, "days_overdue": r.days_overdue,
            **({"currency": r.currency, "balance_due_fx": r.balance_due_fx}
               if r.currency else {})}


def contact_orders(s: Tx, contact_id: int) -> dict[str, Any]:
    """Open orders, invoices and bills with a balance due, what the contact owes us and we
    owe them, their unapplied credit either way, their latest quotes (with their deal and
    the order each became) and payments."""
    from smallbiz.orders.payments import contact_credit, credit_currencies

    orders = [{"number": o.number, "kind": o.kind, "date": o.date, "status": o.status,
               "gross": o.gross}
              for kind in ("sale", "purchase")
              for o in list_orders(s, kind, contact_id=contact_id, open_only=True)]
    invoices = list_invoices(s, kind="invoice", open_only=True, contact_id=contact_id)
    bills = list_invoices(s, kind="bill", open_only=True, contact_id=contact_id)
    zero = from_minor(0, s.money_digits)
    payments = list_payments(s, contact_id=contact_id, limit=RECENT_PAYMENTS)
    quotes = s.execute(
        "SELECT q.number, q.date, q.valid_until, q.status, q.gross, d.title, "
        "(SELECT MIN(o.number) FROM trade_order o WHERE o.quote_id = q.id) "
        "FROM trade_order q LEFT JOIN deal d ON d.id = q.deal_id "
        "WHERE q.kind = 'quote' AND q.contact_id = :c ORDER BY q.date DESC, q.id DESC "
        f"LIMIT {RECENT_PAYMENTS}", {"c": contact_id}).all()
    return {
        "open_orders": orders,
        "open_invoices": [_invoice_json(r) for r in invoices],
        "open_bills": [_invoice_json(r) for r in bills],
        "total_owed": sum((r.balance_due for r in invoices), zero),
        "total_we_owe": sum((r.balance_due for r in bills), zero),
        "quotes": [{"number": n, "date": as_date(d), "valid_until": as_date(v), "status": st,
                    "gross": from_minor(g, s.money_digits), "deal": title, "order": order}
                   for n, d, v, st, g, title, order in quotes],
        "credit": contact_credit(s, "in", contact_id),  # theirs: we owe it back or apply it
        "supplier_credit": contact_credit(s, "out", contact_id),  # ours with them
        # the same in other currencies (code → amount; only those with some)
        **({"credit_fx": fx} if (fx := credit_currencies(s, "in", contact_id)) else {}),
        **({"supplier_credit_fx": fx} if (fx := credit_currencies(s, "out", contact_id))
           else {}),
        "payments": [{"number": p.number, "direction": p.direction, "date": p.date,
                      "amount": p.amount, "account": p.account, "status": p.status}
                     for p in payments],
    }


_OPEN_QTY = (
    f"SELECT o.kind, COALESCE(SUM({UNSHIPPED_SQL}), 0) FROM order_line l "
    "JOIN trade_order o ON o.id = l.order_id "
    "WHERE l.product_id = :pid AND o.kind IN ('sale', 'purchase') "
    "AND o.status NOT IN ('draft', 'cancelled') GROUP BY o.kind")


def product_orders(s: Tx, product_id: int) -> dict[str, Decimal]:
    """Quantities on confirmed orders not yet shipped (sales) or received (purchases)."""
    rows = s.execute(_OPEN_QTY, {"pid": product_id})
    qty = {kind: from_minor(q, QTY_DIGITS) for kind, q in rows}
    zero = from_minor(0, QTY_DIGITS)
    return {"open_sales_quantity": qty.get("sale", zero),
            "open_purchase_quantity": qty.get("purchase", zero)}
