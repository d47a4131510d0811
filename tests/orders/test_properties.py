"""Random sequences of operations (create, confirm, ship/receive, invoice, pay, cancel on
sales and purchases, stock adjustments): after every step every `check` invariant holds,
and a refused step leaves the book byte-for-byte unchanged."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal as D
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from smallbiz.check import run_checks
from smallbiz.db import Database
from smallbiz.errors import UserError
from smallbiz.orders import invoices, payments
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from smallbiz.stock.service import adjust_stock
from tests.conftest import content_hash
from tests.engine import copy_book, discard

SKUS = ("TOOL-01", "NAIL-01", "SVC-01")
STOCKED = ("TOOL-01", "NAIL-01")
CUSTOMERS = ("Kartuli Foods LLC", "ნინო ბერიძე")
QTYS = ("1", "2.5", "3", "7", "0.333", "12")
PRICES = (None, "0.33", "0.125", "12.00", "19.99", "7.777777")
DISCOUNTS = (None, "0", "10", "12.5")
START = dt.date(2026, 3, 1)


lines = st.lists(st.tuples(st.sampled_from(SKUS), st.sampled_from(QTYS),
                           st.sampled_from(PRICES), st.sampled_from(DISCOUNTS)),
                 min_size=1, max_size=3)
index = st.integers(min_value=0, max_value=3)  # 0: the newest
advance = st.tuples(st.just("advance"), index, st.booleans(),
                    st.sampled_from(("0.5", "1")))
operation = st.one_of(
    advance, advance, advance,  # weighted: walks documents through their lifecycle
    st.tuples(st.just("sale"), st.sampled_from(CUSTOMERS), lines),
    st.tuples(st.just("purchase"), lines),
    st.tuples(st.just("confirm"), index),
    st.tuples(st.just("deliver"), index),
    st.tuples(st.just("invoice"), index),
    st.tuples(st.just("pay"), index, st.sampled_from(("0.3", "0.5", "1", "1.2"))),
    st.tuples(st.just("cancel"), index),
    st.tuples(st.just("cancel_payment"), index),
    st.tuples(st.just("adjust"), st.sampled_from(STOCKED), st.sampled_from(("5", "-2", "20"))),
)


def _pick(items: list, i: int):
    """The i-th newest item (so consecutive steps tend to work on the same document)."""
    return items[-1 - i % len(items)] if items else None


def apply(s, op: tuple, on: dt.date, made: list[tuple[str, str]]) -> bool:
    """Do one operation; False when there was nothing to do it on."""
    kind = op[0]
    if kind in ("sale", "purchase"):
        specs = op[2] if kind == "sale" else op[1]
        inputs = [LineInput(sku, D(q), None if p is None else D(p),
                            None if d is None else D(d)) for sku, q, p, d in specs]
        if kind == "purchase":  # a purchase needs a cost; the service has none: use the price
            inputs = [LineInput(i.product, i.quantity, i.unit_price or D("9.50"), i.discount)
                      for i in inputs]
        view = orders.create_order(s, kind, op[1] if kind == "sale" else "Batumi Supply",
                                   inputs, on=on)
        made.append((kind, view.number))
        return True
    if kind == "adjust":
        adjust_stock(s, op[1], D(op[2]), cost="3.00" if D(op[2]) > 0 else None, on=on)
        return True
    if kind == "pay":
        docs = invoices.list_invoices(s, kind="invoice") + invoices.list_invoices(s, kind="bill")
        doc = _pick(docs, op[1])
        if doc is None:
            return False
        due = doc.gross - doc.paid
        amount = (due * D(op[2])).quantize(D("0.01"))
        payments.record_payment(s, "in" if doc.kind == "invoice" else "out",
                                [payments.AllocationInput(doc.number, amount)], on=on)
        return True
    if kind == "cancel_payment":
        pay = _pick(payments.list_payments(s), op[1])
        if pay is None:
            return False
        payments.cancel_payment(s, pay.number, on=on)
        return True
    order = _pick(made, op[1])
    if order is None:
        return False
    order_kind, number = order
    if kind == "advance":
        return _advance(s, order_kind, number, on, ship_first=op[2], fraction=D(op[3]))
    if kind == "confirm":
        orders.confirm_order(s, order_kind, number)
    elif kind == "deliver":
        (orders.ship_order if order_kind == "sale" else orders.receive_order)(s, number, on=on)
    elif kind == "invoice":
        orders.invoice_order(s, number, on=on)
    else:
        orders.cancel_order(s, order_kind, number, on=on)
    return True


def _advance(s, kind: str, number: str, on: dt.date, *, ship_first: bool,
             fraction: D) -> bool:
    """The next step of an order's lifecycle: confirm, ship/receive or invoice, pay."""
    view = orders.show_order(s, kind, number)
    if view.status == "draft":
        orders.confirm_order(s, kind, number)
    elif kind == "purchase" and view.status == "confirmed":
        orders.receive_order(s, number, on=on)
    elif view.shipped_on is None and (view.status != "confirmed" or ship_first):
        orders.ship_order(s, number, on=on)
    elif view.invoice is None and view.status != "cancelled":
        orders.invoice_order(s, number, on=on)
    elif view.invoice is not None and view.balance_due:
        amount = max(D("0.01"), (view.balance_due * fraction).quantize(D("0.01")))
        payments.record_payment(s, "in" if kind == "sale" else "out",
                                [payments.AllocationInput(view.invoice, amount)], on=on)
    else:
        return False
    return True


def play(template: Path, ops: list, act, *, days_per_step: int = 1, after=None) -> None:
    """Apply each operation, one transaction each, to a copy of `template` (`act(s, op,
    on)` says whether it did anything): a refused one leaves the file as it was, and
    every invariant `smallbiz check` knows holds after every step (`after(db, on)`: more
    to check then)."""
    with tempfile.TemporaryDirectory() as folder:
        path = copy_book(template, Path(folder) / "book.db")
        db = Database(path).open()
        try:
            for step, op in enumerate(ops):
                on = START + dt.timedelta(days=days_per_step * step)
                before = content_hash(path)
                try:
                    with db.transaction() as s:
                        acted = act(s, op, on)
                    event(f"{op[0]} {'done' if acted else 'skipped'}")
                except UserError:
                    event(f"{op[0]} refused")
                    assert content_hash(path) == before, op
                assert run_checks(db) == [], (step, op)
                if after is not None:
                    after(db, on)
        finally:
            db.dispose()
            discard(path)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=3, max_size=14))
def test_random_operations_keep_every_invariant(templates, ops):
    made: list[tuple[str, str]] = []
    play(templates["shop"], ops, lambda s, op, on: apply(s, op, on, made))
