"""Foreign documents in random sequences, mixed with lari documents and payments: USD
invoices and bills at varying rates, payments of a share of their foreign balance at
another rate (realised differences; more than due kept as credit), credit and debit notes
at the document's rate (on paid documents: credit in USD), refunds of that credit,
revaluations (and their reversals), cancelled payments, USD advances before any document
and `pay apply` of every currency's credit at once. After every step every `check`
invariant holds (foreign postings hold amount × rate, sub-ledgers match, foreign paid and
credited amounts match allocations and notes) and a refused step leaves the book
byte-for-byte unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smallbiz.orders import credits, payments
from smallbiz.orders.direct import DirectLine, issue_direct
from smallbiz.orders.fx import revalue
from tests.orders.test_properties import play
from tests.orders.test_properties_payments import MINE, PARTIES, apply_mine, document, mine

RATES = ("2.6950", "2.70", "2.7333", "2.81")
party = st.sampled_from(PARTIES)
fx_ops = st.one_of(
    st.tuples(st.just("fx_doc"), party, st.sampled_from(("1", "2.5", "3")),
              st.sampled_from(("19.99", "100.01", "0.35")), st.sampled_from(RATES)),
    st.tuples(st.just("fx_pay"), party, st.sampled_from(("0.5", "0.333", "1", "1.1")),
              st.sampled_from(RATES)),
    st.tuples(st.just("fx_pay"), party, st.just("1.1"), st.sampled_from(RATES),
              st.just(True)),  # --credit: the rest is the contact's USD credit
    st.tuples(st.just("fx_note"), party, st.sampled_from(("0.5", "1", "all"))),
    st.tuples(st.just("fx_refund"), party, st.sampled_from(RATES)),
    st.tuples(st.just("fx_apply"), party),  # the USD credit to the open USD documents
    st.tuples(st.just("fx_advance"), party, st.sampled_from(("10", "33.33", "250")),
              st.sampled_from(RATES)),  # a USD advance, no document: USD credit
    st.tuples(st.just("apply_all"), party),  # each currency's credit to its documents
    st.tuples(st.just("revalue"), st.sampled_from(RATES)),
    st.tuples(st.just("fx_cancel"), st.integers(min_value=0, max_value=3)),
)
steps = st.lists(st.one_of(fx_ops, fx_ops, document, mine), min_size=4, max_size=14)


def apply_fx(s, op: tuple, on: dt.date) -> bool:
    kind = op[0]
    if kind == "fx_doc":
        (direction, contact), qty, price, rate = op[1], op[2], op[3], op[4]
        issue_direct(s, "invoice" if direction == "in" else "bill", contact,
                     [DirectLine("Consulting", D(qty), D(price), vat_rate=D(18))], on=on,
                     currency="USD", rate=rate)
        return True
    if kind == "revalue":
        return revalue(s, on, {"USD": op[1]}).entry is not None
    if kind == "fx_note":
        (direction, contact), qty = op[1], op[2]
        number = s.scalar("SELECT i.number FROM invoice i JOIN contact c ON c.id = "
                          "i.contact_id WHERE c.name = :c AND i.kind = :k AND i.status <> "
                          "'cancelled' AND i.currency = 'USD' AND i.credited_fx < i.gross_fx "
                          "ORDER BY i.id DESC", {"c": contact, "k": "invoice" if direction
                                                 == "in" else "bill"})
        if number is None:
            return False
        credits.issue_note(s, number, lines=None if qty == "all" else {1: D(qty)}, on=on)
        return True
    if kind == "fx_refund":
        (direction, contact), rate = op[1], op[2]
        payments.refund_credit(s, direction, contact, on=on, currency="USD", rate=rate)
        return True
    if kind == "fx_apply":
        direction, contact = op[1]
        docs = [n for (n,) in s.all(
            "SELECT i.number FROM invoice i JOIN contact c ON c.id = i.contact_id WHERE "
            "c.name = :c AND i.kind = :k AND i.status = 'open' AND i.currency = 'USD' "
            "ORDER BY i.due_date, i.id", {"c": contact,
                                          "k": "invoice" if direction == "in" else "bill"})]
        if not docs:
            return False
        payments.apply_credit(s, direction, contact,
                              [payments.AllocationInput(n) for n in docs], on=on)
        return True
    if kind == "fx_advance":
        (direction, contact), amount, rate = op[1], op[2], op[3]
        payments.record_payment(s, direction, [], contact=contact, amount=D(amount), on=on,
                                currency="USD", rate=rate)
        return True
    if kind == "apply_all":
        direction, contact = op[1]
        payments.apply_credit(s, direction, contact, on=on)
        return True
    if kind == "fx_cancel":
        numbers = [n for (n,) in s.all("SELECT number FROM payment WHERE currency IS NOT NULL "
                                       "AND status = 'posted' ORDER BY id")]
        if not numbers:
            return False
        payments.cancel_payment(s, numbers[op[1] % len(numbers)], on=on)
        return True
    (direction, contact), share, rate = op[1], op[2], op[3]
    docs = s.all("SELECT i.number, i.gross_fx - i.paid_fx - i.credited_fx FROM invoice i "
                 "JOIN contact c "
                 "ON c.id = i.contact_id WHERE c.name = :c AND i.kind = :k AND "
                 "i.status = 'open' AND i.currency = 'USD' ORDER BY i.due_date, i.id",
                 {"c": contact, "k": "invoice" if direction == "in" else "bill"})
    if not docs:
        return False
    due = payments.from_minor(sum(d for _n, d in docs), s.money_digits)
    amount = max(D("0.01"), (due * D(share)).quantize(D("0.01")))
    payments.record_payment(s, direction, [payments.AllocationInput(n) for n, _d in docs],
                            amount=amount, on=on, rate=rate, keep_credit=len(op) > 4)
    return True


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=steps)
@example(ops=[  # every rule at least once, whatever the draw
    ("fx_doc", PARTIES[0], "3", "100.01", "2.70"), ("fx_doc", PARTIES[1], "2.5", "0.35", "2.81"),
    ("document", PARTIES[0], "1"), ("fx_pay", PARTIES[0], "0.333", "2.81"),
    ("revalue", "2.7333"), ("fx_pay", PARTIES[1], "1", "2.6950"),
    ("fx_pay", PARTIES[0], "1", "2.6950"), ("fx_cancel", 1), ("revalue", "2.6950"),
    ("multi_pay", PARTIES[0], "1", False), ("fx_pay", PARTIES[0], "1.1", "2.70"),
    ("fx_doc", PARTIES[0], "3", "19.99", "2.7333"), ("fx_note", PARTIES[0], "1"),
    ("fx_pay", PARTIES[0], "1.1", "2.81", True),
    ("fx_doc", PARTIES[0], "1", "0.35", "2.6950"), ("fx_apply", PARTIES[0]),
    ("fx_cancel", 3), ("fx_note", PARTIES[0], "all"),
    ("fx_refund", PARTIES[0], "2.6950"), ("fx_doc", PARTIES[1], "1", "100.01", "2.70"),
    ("fx_pay", PARTIES[1], "0.5", "2.81"), ("fx_note", PARTIES[1], "all"),
    ("fx_refund", PARTIES[1], "2.70"), ("fx_advance", PARTIES[0], "250", "2.81"),
    ("advance_pay", PARTIES[0], "10.00"), ("fx_doc", PARTIES[0], "1", "19.99", "2.6950"),
    ("document", PARTIES[0], "1"), ("apply_all", PARTIES[0]),
    ("fx_advance", PARTIES[1], "33.33", "2.7333"), ("fx_doc", PARTIES[1], "3", "100.01", "2.70"),
    ("apply_all", PARTIES[1]), ("fx_refund", PARTIES[1], "2.6950"), ("fx_cancel", 0)])
def test_foreign_documents_keep_every_invariant(templates, ops):
    # two days a step: a revaluation's reversal (the next day) falls between two steps
    play(templates["shop"], ops,
         lambda s, op, on: apply_mine(s, op, on) if op[0] in MINE else apply_fx(s, op, on),
         days_per_step=2)
