"""Cancelling at every stage leaves the books, the stock and the numbers consistent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.books.journal import list_entries
from smallbiz.errors import RuleViolation
from smallbiz.orders import invoices as inv
from smallbiz.orders import payments as pay
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from tests.conftest import content_hash
from tests.orders.conftest import assert_ok, balances, day, rd, stock_of, tx

ON = day("2026-05-04")


def received_hammers(db, qty=50):
    po = tx(db, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(qty), D("12.00"))], on=day("2026-05-01"))
    tx(db, orders.confirm_order, "purchase", po.number)
    return tx(db, orders.receive_order, po.number, on=day("2026-05-01"))


def sale(db, *, confirm=True, ship=False, invoice=False, qty=10):
    so = tx(db, orders.create_order, "sale", "Kartuli Foods LLC",
            [LineInput("TOOL-01", D(qty)), LineInput("SVC-01", D(1))], on=day("2026-05-02"))
    if confirm:
        tx(db, orders.confirm_order, "sale", so.number)
    if ship:
        tx(db, orders.ship_order, so.number, on=day("2026-05-03"))
    if invoice:
        tx(db, orders.invoice_order, so.number, on=day("2026-05-03"))
    return so.number


def entry_count(db):
    return len(rd(db, list_entries))


@pytest.mark.parametrize("stage", ["draft", "confirmed", "shipped", "invoiced",
                                   "invoiced-not-shipped"])
def test_cancel_a_sale_at_each_stage(shop, stage):
    received_hammers(shop)
    before = balances(shop)
    entries_before = entry_count(shop)
    number = sale(shop, confirm=stage != "draft", ship=stage in ("shipped", "invoiced"),
                  invoice=stage.startswith("invoiced"))
    posted = entry_count(shop) - entries_before
    result = tx(shop, orders.cancel_order, "sale", number, on=ON)
    assert result.status == "cancelled"
    assert len(result.entries) == posted  # one reversal per entry the order posted
    assert entry_count(shop) - entries_before == 2 * posted
    assert balances(shop) == before  # every effect reversed
    assert stock_of(shop, "TOOL-01") == (D(50), D("600.00"))
    view = rd(shop, orders.show_order, "sale", number)
    assert (view.status, view.cancelled_on, view.invoice, view.shipped_on) == (
        "cancelled", ON, None, None)
    assert_ok(shop)
    # numbers are never reused: the next documents take the next numbers
    again = sale(shop, ship=True, invoice=True)
    assert again == "SO-2026-0002"
    invoices = [r.number for r in rd(shop, inv.list_invoices)]
    expected = ["INV-2026-0002"] if stage.startswith("invoiced") else ["INV-2026-0001"]
    assert invoices == (["INV-2026-0001"] if stage.startswith("invoiced") else []) + expected
    assert_ok(shop)


def test_cancelled_invoice_stays_listed_with_no_balance(shop):
    received_hammers(shop)
    number = sale(shop, invoice=True)
    tx(shop, orders.cancel_order, "sale", number, on=ON)
    doc = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (doc.status, doc.balance_due, doc.cancelled_on) == ("cancelled", D("0.00"), ON)
    assert rd(shop, inv.list_invoices, open_only=True) == []


def test_a_paid_invoice_cannot_be_cancelled_until_its_payment_is(shop, book_path):
    received_hammers(shop)
    number = sale(shop, ship=True, invoice=True)
    p = tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("100.00"))],
           on=day("2026-05-03"))
    before = content_hash(book_path)
    with pytest.raises(RuleViolation, match=r"INV-2026-0001 has payments allocated "
                                            r"\(PAY-2026-0001\); cancel them first"):
        tx(shop, orders.cancel_order, "sale", number, on=ON)
    assert content_hash(book_path) == before

    cancelled = tx(shop, pay.cancel_payment, p.number, on=ON)
    assert cancelled.status == "cancelled"
    doc = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (doc.status, doc.paid, doc.balance_due) == ("open", D("0.00"), D("342.20"))
    assert rd(shop, orders.show_order, "sale", number).status == "invoiced"
    assert_ok(shop)
    tx(shop, orders.cancel_order, "sale", number, on=ON)
    assert "1100" not in balances(shop) and "1010" not in balances(shop)
    assert_ok(shop)
    # the cancelled payment keeps its number; the next one takes PAY-2026-0002
    again = sale(shop, invoice=True)
    assert again == "SO-2026-0002"
    p2 = tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0002", D("1.00"))],
            on=ON)
    assert p2.number == "PAY-2026-0002"
    assert_ok(shop)


def test_cancel_a_paid_order_needs_the_payment_cancelled_first(shop):
    received_hammers(shop)
    number = sale(shop, ship=True, invoice=True)
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("342.20"))],
       on=ON)
    assert rd(shop, orders.show_order, "sale", number).status == "paid"
    with pytest.raises(RuleViolation, match="payments allocated"):
        tx(shop, orders.cancel_order, "sale", number, on=ON)
    tx(shop, pay.cancel_payment, "PAY-2026-0001", on=ON)
    assert rd(shop, orders.show_order, "sale", number).status == "invoiced"
    tx(shop, orders.cancel_order, "sale", number, on=ON)
    assert_ok(shop)


@pytest.mark.parametrize("stage", ["draft", "confirmed", "received"])
def test_cancel_a_purchase_at_each_stage(shop, stage):
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(50), D("12.00")), LineInput("SVC-01", D(1), D("20.00"))],
            on=day("2026-05-01"))
    if stage != "draft":
        tx(shop, orders.confirm_order, "purchase", po.number)
    if stage == "received":
        tx(shop, orders.receive_order, po.number, on=day("2026-05-01"))
        assert stock_of(shop, "TOOL-01") == (D(50), D("600.00"))
    r = tx(shop, orders.cancel_order, "purchase", po.number, on=ON)
    assert len(r.entries) == (1 if stage == "received" else 0)
    assert balances(shop) == {}
    assert stock_of(shop, "TOOL-01") == (D(0), D("0.00"))
    if stage == "received":
        bill = rd(shop, inv.show_invoice, "BILL-2026-0001")
        assert (bill.status, bill.cancelled_on) == ("cancelled", ON)
    assert_ok(shop)


def test_a_receipt_whose_stock_was_sold_cannot_be_cancelled(shop, book_path):
    received = received_hammers(shop, qty=10)
    sale(shop, ship=True, qty=4)
    before = content_hash(book_path)
    with pytest.raises(RuleViolation, match="cannot reverse: TOOL-01 would go below zero"):
        tx(shop, orders.cancel_order, "purchase", received.order, on=ON)
    assert content_hash(book_path) == before


def test_cancel_twice_and_cancel_before_the_effects_are_refused(shop, book_path):
    received_hammers(shop)
    number = sale(shop, ship=True)
    before = content_hash(book_path)
    with pytest.raises(Exception, match=r"cancel date: 2026-05-02 is before 2026-05-03"):
        tx(shop, orders.cancel_order, "sale", number, on=day("2026-05-02"))
    assert content_hash(book_path) == before
    tx(shop, orders.cancel_order, "sale", number, on=ON)
    with pytest.raises(RuleViolation, match="SO-2026-0001 is already cancelled"):
        tx(shop, orders.cancel_order, "sale", number, on=ON)
    with pytest.raises(RuleViolation, match="SO-2026-0001 is cancelled"):
        tx(shop, orders.ship_order, number, on=ON)
