"""Aging buckets on hand-computed dates, the VAT report against the VAT accounts, sales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from smallbiz.books.reports import balances_minor
from smallbiz.crm.service import create_contact
from smallbiz.money import from_minor
from smallbiz.orders import payments as pay
from smallbiz.orders import reports
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from tests.orders.conftest import assert_ok, day, rd


def invoice(s, customer, price, on, *, rate="0", sku="SVC-01"):
    """Invoice 1 × SKU at `price` (VAT `rate`) on `on`; returns the INV number."""
    so = orders.create_order(s, "sale", customer, [LineInput(sku, D(1), D(price),
                                                             vat_rate=D(rate))], on=day(on))
    orders.confirm_order(s, "sale", so.number)
    return orders.invoice_order(s, so.number, on=day(on)).reference, so.number


@pytest.fixture
def aged(shop):
    """Invoices of a customer with terms 0 (due the day they are dated), on the days
    around each bucket boundary for 2026-06-30."""
    with shop.transaction() as s:
        create_contact(s, "Cash Customer", customer=True, payment_terms_days=0)
        made = {}
        for price, on in (("1", "2026-06-30"),     # due today: current
                          ("2", "2026-06-29"),     # 1 day late: 0-30
                          ("4", "2026-05-31"),     # 30 days: 0-30
                          ("8", "2026-05-30"),     # 31: 31-60
                          ("16", "2026-05-01"),    # 60: 31-60
                          ("32", "2026-04-30"),    # 61: 61-90
                          ("64", "2026-04-01"),    # 90: 61-90
                          ("128", "2026-03-31"),   # 91: 90+
                          ("256", "2026-07-01"),   # after the as-of day: not yet there
                          ("512", "2026-06-01")):  # 29 days, cancelled on 07-02
            made[price] = invoice(s, "Cash Customer", price, on)
        pay.record_payment(s, "in", [pay.AllocationInput(made["64"][0], D("0.50"))],
                           on=day("2026-06-15"))
        pay.record_payment(s, "in", [pay.AllocationInput(made["128"][0], D("1.00"))],
                           on=day("2026-07-05"))
        orders.cancel_order(s, "sale", made["512"][1], on=day("2026-07-02"))
    return shop


def buckets(db, as_of, *, payables=False):
    report = rd(db, reports.aging, payables=payables, as_of=day(as_of))
    rows = {r.contact: r for r in report.rows}
    return report, rows


def test_aging_buckets_on_the_boundaries(aged):
    report, rows = buckets(aged, "2026-06-30")
    row = rows["Cash Customer"]
    assert row.buckets == {"current": D("1.00"), "0-30": D("518.00"), "31-60": D("24.00"),
                           "61-90": D("95.50"), "90+": D("128.00")}
    assert (row.documents, row.total) == (9, D("766.50"))
    assert report.total == D("766.50") and report.totals == row.buckets
    assert_ok(aged)


def test_aging_as_of_a_later_day_sees_later_documents_payments_and_cancellations(aged):
    _report, rows = buckets(aged, "2026-07-10")
    # 10 days later every invoice is 10 days older; 256 (07-01) is 9 days late; 512 was
    # cancelled on 07-02; 1.00 of 128 was paid on 07-05
    assert rows["Cash Customer"].buckets == {
        "current": D("0.00"), "0-30": D("259.00"), "31-60": D("12.00"), "61-90": D("48.00"),
        "90+": D("190.50")}


def test_aging_before_anything_was_invoiced_is_empty(aged):
    report, _rows = buckets(aged, "2026-03-30")
    assert report.rows == [] and report.total == D("0.00")


def test_payables_aging_uses_the_bills(shop):
    with shop.transaction() as s:
        po = orders.create_order(s, "purchase", "Batumi Supply",
                                 [LineInput("TOOL-01", D(10), D("12.00"))], on=day("2026-01-02"))
        orders.confirm_order(s, "purchase", po.number)
        orders.receive_order(s, po.number, on=day("2026-01-02"))  # 141.60, due 02-01
    _report, rows = buckets(shop, "2026-03-15", payables=True)  # 42 days late
    assert rows["Batumi Supply"].buckets["31-60"] == D("141.60")
    report, _rows = buckets(shop, "2026-03-15")
    assert report.rows == []  # no receivables


def test_vat_report_per_rate_with_a_cancellation_in_the_next_period(shop):
    with shop.transaction() as s:
        po = orders.create_order(s, "purchase", "Batumi Supply",
                                 [LineInput("TOOL-01", D(20), D("12.00")),
                                  LineInput("SVC-01", D(1), D("50.00"), vat_rate=D(0))],
                                 on=day("2026-01-05"))
        orders.confirm_order(s, "purchase", po.number)
        orders.receive_order(s, po.number, on=day("2026-01-05"))   # 240 @18 %, 50 @0 %
        so = orders.create_order(s, "sale", "Kartuli",
                                 [LineInput("TOOL-01", D(3), D("0.33")),   # 0.99, VAT 0.18
                                  LineInput("NAIL-01", D(1), D("0.25")),   # 0.25, VAT 0.05
                                  LineInput("SVC-01", D(2), D("40.00"), vat_rate=D(0))],
                                 on=day("2026-02-10"))
        orders.confirm_order(s, "sale", so.number)
        orders.invoice_order(s, so.number, on=day("2026-02-10"))
        invoice(s, "Kartuli", "100.00", "2026-03-20", rate="18")  # 18.00 VAT, cancelled in Q2
        orders.cancel_order(s, "sale", "SO-2026-0002", on=day("2026-04-02"))
    q1 = rd(shop, reports.vat_report, day("2026-01-01"), day("2026-03-31"))
    assert [(r.rate, r.net, r.vat) for r in q1.output] == [
        (D(0), D("80.00"), D("0.00")), (D(18), D("101.24"), D("18.23"))]
    assert [(r.rate, r.net, r.vat) for r in q1.input] == [
        (D(0), D("50.00"), D("0.00")), (D(18), D("240.00"), D("43.20"))]
    assert (q1.output_vat, q1.input_vat, q1.net_vat) == (D("18.23"), D("43.20"), D("-24.97"))
    q2 = rd(shop, reports.vat_report, day("2026-04-01"), day("2026-06-30"))
    assert [(r.rate, r.net, r.vat) for r in q2.output] == [(D(18), D("-100.00"), D("-18.00"))]
    assert q2.input == []

    # the report agrees with the VAT accounts, period by period
    def account_movement(start: str, end: str) -> tuple[D, D]:
        with shop.read() as s:
            ids = dict(s.execute(
                "SELECT role, id FROM account WHERE role IN ('vat_out', 'vat_in')").all())
            moved = balances_minor(s, day(start), day(end))
        return (-from_minor(moved.get(ids["vat_out"], 0), 2),
                from_minor(moved.get(ids["vat_in"], 0), 2))

    assert account_movement("2026-01-01", "2026-03-31") == (q1.output_vat, q1.input_vat)
    assert account_movement("2026-04-01", "2026-06-30") == (q2.output_vat, q2.input_vat)
    assert_ok(shop)


def test_sales_by_customer_and_product_leave_cancelled_invoices_out(shop):
    with shop.transaction() as s:
        invoice(s, "Kartuli", "10.00", "2026-05-02", rate="18")
        invoice(s, "Kartuli", "20.00", "2026-05-03", rate="18")
        invoice(s, "ნინო ბერიძე", "5.00", "2026-05-04", rate="18", sku="NAIL-01")
        invoice(s, "ნინო ბერიძე", "99.00", "2026-05-05", rate="18")
        orders.cancel_order(s, "sale", "SO-2026-0004", on=day("2026-05-06"))
        invoice(s, "Kartuli", "1000.00", "2026-06-01", rate="18")  # outside the period
    r = rd(shop, reports.sales_report, day("2026-05-01"), day("2026-05-31"))
    assert [(x.name, x.documents, x.net, x.vat, x.gross) for x in r.rows] == [
        ("Kartuli Foods LLC", 2, D("30.00"), D("5.40"), D("35.40")),
        ("ნინო ბერიძე", 1, D("5.00"), D("0.90"), D("5.90"))]
    assert (r.net, r.gross) == (D("35.00"), D("41.30"))
    p = rd(shop, reports.sales_report, day("2026-05-01"), day("2026-05-31"), by="product")
    assert [(x.key, x.quantity, x.documents, x.net) for x in p.rows] == [
        ("SVC-01", D(2), 2, D("30.00")), ("NAIL-01", D(1), 1, D("5.00"))]


def test_overdue_summary_for_the_dashboard(aged):
    total, count = rd(aged, reports.overdue, dt.date(2026, 6, 30))
    # open invoices due before 06-30, as they stand now: 2 + 4 + 8 + 16 + 32 + 63.50
    # (0.50 paid) + 127 (1.00 paid); 512 is cancelled
    assert (total, count) == (D("252.50"), 7)
