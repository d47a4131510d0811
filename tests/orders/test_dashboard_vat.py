"""The dashboard's VAT reminder (a VAT payer) and threshold warning (a firm that is not)."""

from __future__ import annotations

from decimal import Decimal as D

from smallbiz.app.dashboard import dashboard
from smallbiz.orders.lines import LineInput
from smallbiz.orders.service import confirm_order, create_order, invoice_order
from smallbiz.settings import change
from tests.orders.conftest import day, rd, tx


def invoiced(db, sku, qty, price, on):
    order = tx(db, create_order, "sale", "Kartuli Foods LLC",
               [LineInput(sku, D(qty), D(price))], on=day(on))
    tx(db, confirm_order, "sale", order.number)
    tx(db, invoice_order, order.number, on=day(on))


def test_a_vat_payer_sees_the_next_return_and_its_due_date(shop):
    tx(shop, change, "vat_payer", "yes")
    invoiced(shop, "SVC-01", "10", "100", "2026-11-10")  # 1000 net, 180 VAT
    d = rd(shop, dashboard, day("2026-12-02"))
    assert d.vat_threshold is None
    assert (d.vat_due.month, d.vat_due.due_date, d.vat_due.days_left, d.vat_due.payable) == (
        "2026-11", day("2026-12-15"), 13, D("180.00"))
    # after the 15th the next one is this month's, due on the 15th of the next
    later = rd(shop, dashboard, day("2026-12-16"))
    assert (later.vat_due.month, later.vat_due.due_date) == ("2026-12", day("2027-01-15"))


def test_a_firm_that_is_not_a_vat_payer_is_warned_near_the_threshold(shop):
    invoiced(shop, "SVC-01", "700", "100", "2026-01-10")  # 70,000: not yet near
    assert rd(shop, dashboard, day("2026-06-30")).vat_threshold is None
    invoiced(shop, "SVC-01", "150", "100", "2026-06-30")  # 85,000 over 12 months
    t = rd(shop, dashboard, day("2026-06-30")).vat_threshold
    assert (t.turnover, t.threshold, t.exceeded) == (D("85000.00"), D("100000"), False)
    invoiced(shop, "SVC-01", "200", "100", "2026-07-01")  # 105,000
    assert rd(shop, dashboard, day("2026-07-01")).vat_threshold.exceeded
    # rolling: a year later January has dropped out (only 35,000 in the window)
    assert rd(shop, dashboard, day("2027-01-10")).vat_threshold is None
    assert rd(shop, dashboard, day("2026-07-01")).vat_due is None


def test_the_threshold_counts_sales_only_not_purchases(shop):
    """Invoices less credit notes count toward the registration threshold; the firm's own
    purchases (bills and their debit notes) never do."""
    from smallbiz.orders import service as orders
    from smallbiz.orders.credits import issue_note
    from smallbiz.orders.vat_return import taxable_turnover

    invoiced(shop, "SVC-01", "800", "100", "2026-03-10")  # 80,000 net
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D("2000"), D("12.00"))], on=day("2026-03-11"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    bill = tx(shop, orders.receive_order, po.number, on=day("2026-03-11")).reference
    # a bill of 24,000 net: 80,000 + 24,000 would be over the threshold
    tx(shop, issue_note, bill, lines={1: D("500")}, with_return=True, on=day("2026-03-12"))
    order = tx(shop, orders.create_order, "sale", "Kartuli Foods LLC",
               [LineInput("SVC-01", D("50"), D("100"))], on=day("2026-03-13"))
    tx(shop, orders.confirm_order, "sale", order.number)
    inv = tx(shop, orders.invoice_order, order.number, on=day("2026-03-13")).reference
    tx(shop, issue_note, inv, lines={1: D("20")}, on=day("2026-03-14"))
    # sales: 80,000 + 5,000 - 2,000 (the credit note) = 83,000; the bill's 24,000 and
    # its debit note's -6,000 are purchases
    assert rd(shop, taxable_turnover, day("2026-06-30")) == D("83000.00")
    t = rd(shop, dashboard, day("2026-06-30")).vat_threshold
    assert (t.turnover, t.exceeded) == (D("83000.00"), False)
