"""What orders add to the contact 360 and product 360 views.

Importing this module registers both providers (`smallbiz.crm.service` and
`smallbiz.stock.service` keep the hook lists; they know nothing of orders).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smallbiz.money import QTY_DIGITS, from_minor
from smallbiz.orders.lists import OPEN_ORDER_SQL, list_invoices, list_orders, list_payments
from smallbiz.sql import Tx

RECENT_PAYMENTS = 20


def _invoice_json(r: Tx) -> dict[str, Any]:
    return {"number": r.number, "date": r.date, "due_date": r.due_date, "gross": r.gross,
            "paid": r.paid, "balance_due": r.balance_due, "days_overdue": r.days_overdue}


def contact_orders(s: Tx, contact_id: int) -> dict[str, Any]:
    """Open orders, invoices and bills with a balance due, what the contact owes us and we
    owe them, their unapplied credit either way, and their latest payments."""
    from smallbiz.orders.payments import contact_credit

    orders = [{"number": o.number, "kind": o.kind, "date": o.date, "status": o.status,
               "gross": o.gross}
              for kind in ("sale", "purchase")
              for o in list_orders(s, kind, contact_id=contact_id, open_only=True)]
    invoices = list_invoices(s, kind="invoice", open_only=True, contact_id=contact_id)
    bills = list_invoices(s, kind="bill", open_only=True, contact_id=contact_id)
    zero = from_minor(0, s.money_digits)
    payments = list_payments(s, contact_id=contact_id, limit=RECENT_PAYMENTS)
    return {
        "open_orders": orders,
        "open_invoices": [_invoice_json(r) for r in invoices],
        "open_bills": [_invoice_json(r) for r in bills],
        "total_owed": sum((r.balance_due for r in invoices), zero),
        "total_we_owe": sum((r.balance_due for r in bills), zero),
        "credit": contact_credit(s, "in", contact_id),  # theirs: we owe it back or apply it
        "supplier_credit": contact_credit(s, "out", contact_id),  # ours with them
        "payments": [{"number": p.number, "direction": p.direction, "date": p.date,
                      "amount": p.amount, "account": p.account, "status": p.status}
                     for p in payments],
    }


_OPEN_QTY = (
    "SELECT o.kind, COALESCE(SUM(l.quantity), 0) FROM order_line l "
    "JOIN trade_order o ON o.id = l.order_id "
    f"WHERE l.product_id = :pid AND o.status <> 'draft' AND {OPEN_ORDER_SQL} "
    "AND NOT EXISTS (SELECT 1 FROM shipment sh WHERE sh.order_id = o.id "
    "AND sh.status = 'posted') GROUP BY o.kind")


def product_orders(s: Tx, product_id: int) -> dict[str, Decimal]:
    """Quantities on confirmed orders not yet shipped (sales) or received (purchases)."""
    rows = s.execute(_OPEN_QTY, {"pid": product_id})
    qty = {kind: from_minor(q, QTY_DIGITS) for kind, q in rows}
    zero = from_minor(0, QTY_DIGITS)
    return {"open_sales_quantity": qty.get("sale", zero),
            "open_purchase_quantity": qty.get("purchase", zero)}
