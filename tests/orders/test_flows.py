"""The flows of issue 4 through the service API, with the exact amounts a user would check
in the journal, the stock, the documents and the reports."""

from __future__ import annotations

from decimal import Decimal as D

from smallbiz.books.journal import show_entry
from smallbiz.orders import invoices as inv
from smallbiz.orders import payments as pay
from smallbiz.orders import reports
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from smallbiz.orders.views import contact_orders, product_orders
from smallbiz.stock.service import resolve_product
from tests.orders.conftest import assert_ok, balances, day, rd, stock_of, tx


def pid(db, sku):
    return rd(db, resolve_product, sku).id


def postings(db, number):
    """{account code: amount} of one journal entry, plus its source."""
    e = rd(db, show_entry, number)
    out: dict[str, D] = {}
    for p in e.postings:
        out[p.account_code] = out.get(p.account_code, D(0)) + p.amount
    return e.source, out


def buy_50_hammers(db, on="2026-01-06"):
    po = tx(db, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(50), D("12.00"))], on=day("2026-01-05"))
    tx(db, orders.confirm_order, "purchase", po.number)
    return po, tx(db, orders.receive_order, po.number, on=day(on))


def sell_30_hammers_and_2_hours(db):
    so = tx(db, orders.create_order, "sale", "Kartuli Foods LLC",
            [LineInput("TOOL-01", D(30)), LineInput("SVC-01", D(2))], on=day("2026-01-10"))
    tx(db, orders.confirm_order, "sale", so.number)
    return so


def test_purchase_received_books_stock_and_the_bill(shop):
    po, received = buy_50_hammers(shop)
    assert (po.number, po.status, po.net, po.vat, po.gross) == (
        "PO-2026-0001", "draft", D("600.00"), D("108.00"), D("708.00"))
    assert (received.reference, received.status, received.value) == (
        "BILL-2026-0001", "received", D("600.00"))
    assert postings(shop, received.entries[0]) == (
        "bill", {"1200": D("600.00"), "1300": D("108.00"), "2000": D("-708.00")})
    assert stock_of(shop, "TOOL-01") == (D(50), D("600.00"))
    bill = rd(shop, inv.show_invoice, "BILL-2026-0001")
    assert (bill.kind, bill.date, bill.due_date, bill.gross, bill.balance_due, bill.contact) == (
        "bill", day("2026-01-06"), day("2026-02-05"), D("708.00"), D("708.00"), "Batumi Supply")
    assert_ok(shop)


def test_sale_shipped_invoiced_and_partly_paid(shop):
    buy_50_hammers(shop)
    so = sell_30_hammers_and_2_hours(shop)
    assert (so.number, so.net, so.vat, so.gross) == (
        "SO-2026-0001", D("830.00"), D("149.40"), D("979.40"))
    shipped = tx(shop, orders.ship_order, so.number, on=day("2026-01-12"))
    assert (shipped.status, shipped.value) == ("shipped", D("360.00"))
    assert postings(shop, shipped.entries[0]) == (
        "shipment", {"5000": D("360.00"), "1200": D("-360.00")})
    assert stock_of(shop, "TOOL-01") == (D(20), D("240.00"))

    invoiced = tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"))
    assert (invoiced.reference, invoiced.status) == ("INV-2026-0001", "invoiced")
    assert postings(shop, invoiced.entries[0]) == ("invoice", {
        "1100": D("979.40"), "4000": D("-750.00"), "4100": D("-80.00"), "2100": D("-149.40")})
    doc = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (doc.due_date, doc.order_number, doc.balance_due) == (
        day("2026-02-11"), "SO-2026-0001", D("979.40"))

    p = tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("400.00"))],
           on=day("2026-01-20"))
    assert (p.number, p.account, p.amount) == ("PAY-2026-0001", "1010", D("400.00"))
    assert postings(shop, p.entry_number) == ("payment", {"1010": D("400.00"),
                                                          "1100": D("-400.00")})
    doc = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (doc.status, doc.paid, doc.balance_due) == ("open", D("400.00"), D("579.40"))

    assert balances(shop) == {
        "1010": D("400.00"), "1100": D("579.40"), "1200": D("240.00"), "1300": D("108.00"),
        "2000": D("-708.00"), "2100": D("-149.40"), "4000": D("-750.00"),
        "4100": D("-80.00"), "5000": D("360.00")}
    assert_ok(shop)

    # paying the rest settles the invoice and the order
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("579.40"))],
       on=day("2026-02-01"))
    assert rd(shop, orders.show_order, "sale", "SO-2026-0001").status == "paid"
    assert rd(shop, inv.show_invoice, "INV-2026-0001").status == "paid"
    assert_ok(shop)


def test_supplier_payment_settles_the_bill(shop):
    buy_50_hammers(shop)
    p = tx(shop, pay.record_payment, "out", [pay.AllocationInput("BILL-2026-0001", D("708.00"))],
           on=day("2026-01-30"), account="1000")
    assert postings(shop, p.entry_number) == ("payment", {"2000": D("708.00"),
                                                          "1000": D("-708.00")})
    assert rd(shop, orders.show_order, "purchase", "PO-2026-0001").status == "paid"
    assert balances(shop)["1000"] == D("-708.00")
    assert "2000" not in balances(shop)
    assert_ok(shop)


def test_invoice_before_shipping_then_ship(shop):
    buy_50_hammers(shop)
    so = sell_30_hammers_and_2_hours(shop)
    assert tx(shop, orders.invoice_order, so.number, on=day("2026-01-11")).status == "invoiced"
    assert rd(shop, product_orders, pid(shop, "TOOL-01"))["open_sales_quantity"] == D(30)
    shipped = tx(shop, orders.ship_order, so.number, on=day("2026-01-13"))
    assert shipped.status == "invoiced"  # still owed: invoiced, now also shipped
    view = rd(shop, orders.show_order, "sale", so.number)
    assert (view.shipped_on, view.invoice, view.shipment_value) == (
        day("2026-01-13"), "INV-2026-0001", D("360.00"))
    assert rd(shop, product_orders, pid(shop, "TOOL-01"))["open_sales_quantity"] == D(0)
    assert_ok(shop)


def test_one_payment_settles_two_invoices(shop):
    buy_50_hammers(shop)
    numbers = []
    for qty in (2, 3):
        so = tx(shop, orders.create_order, "sale", "Kartuli", [LineInput("TOOL-01", D(qty))],
                on=day("2026-03-01"))
        tx(shop, orders.confirm_order, "sale", so.number)
        numbers.append(tx(shop, orders.invoice_order, so.number, on=day("2026-03-02")).reference)
    # 2 × 25 = 50 + 9 VAT = 59.00; 3 × 25 = 75 + 13.50 = 88.50
    p = tx(shop, pay.record_payment, "in", [pay.AllocationInput(numbers[0], D("59.00")),
                                            pay.AllocationInput(numbers[1], D("40.00"))],
           on=day("2026-03-10"))
    assert p.amount == D("99.00")
    assert [(a.invoice, a.amount, a.balance_due) for a in p.allocations] == [
        ("INV-2026-0001", D("59.00"), D("0.00")), ("INV-2026-0002", D("40.00"), D("48.50"))]
    assert postings(shop, p.entry_number) == ("payment", {"1010": D("99.00"),
                                                          "1100": D("-99.00")})
    assert [r.number for r in rd(shop, inv.list_invoices, open_only=True)] == ["INV-2026-0002"]
    assert_ok(shop)


def test_payment_terms_from_the_contact_else_the_book(shop):
    buy_50_hammers(shop)
    so = tx(shop, orders.create_order, "sale", "ნინო ბერიძე", [LineInput("TOOL-01", D(1))],
            on=day("2026-04-01"))
    tx(shop, orders.confirm_order, "sale", so.number)
    tx(shop, orders.invoice_order, so.number, on=day("2026-04-02"))
    assert rd(shop, inv.show_invoice, "INV-2026-0001").due_date == day("2026-04-16")  # 14 days
    from smallbiz import settings

    tx(shop, settings.change, "payment_terms_days", "10")
    so = tx(shop, orders.create_order, "sale", "Kartuli", [LineInput("TOOL-01", D(1))],
            on=day("2026-04-01"))
    tx(shop, orders.confirm_order, "sale", so.number)
    tx(shop, orders.invoice_order, so.number, on=day("2026-04-02"))
    assert rd(shop, inv.show_invoice, "INV-2026-0002").due_date == day("2026-04-12")


def test_purchase_with_a_service_line_and_discount(shop):
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(10), D("12.00"), discount=D(10)),
             LineInput("SVC-01", D("1.5"), D("30.00"))], on=day("2026-02-01"))
    # 10 × 12 × 0.9 = 108.00 (VAT 19.44); 1.5 × 30 = 45.00 (VAT 8.10)
    assert (po.net, po.vat, po.gross) == (D("153.00"), D("27.54"), D("180.54"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    r = tx(shop, orders.receive_order, po.number, on=day("2026-02-02"))
    # a bought-in service is an expense: Other expenses (role expenses), no longer COGS
    assert postings(shop, r.entries[0]) == ("bill", {
        "1200": D("108.00"), "7900": D("45.00"), "1300": D("27.54"), "2000": D("-180.54")})
    assert stock_of(shop, "TOOL-01") == (D(10), D("108.00"))
    assert_ok(shop)


def test_reports_after_the_flow(shop):
    buy_50_hammers(shop)
    so = sell_30_hammers_and_2_hours(shop)
    tx(shop, orders.ship_order, so.number, on=day("2026-01-12"))
    tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"))
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("400.00"))],
       on=day("2026-01-20"))
    vat = rd(shop, reports.vat_report, day("2026-01-01"), day("2026-03-31"))
    assert [(r.rate, r.net, r.vat) for r in vat.output] == [(D(18), D("830.00"), D("149.40"))]
    assert [(r.rate, r.net, r.vat) for r in vat.input] == [(D(18), D("600.00"), D("108.00"))]
    assert (vat.output_vat, vat.input_vat, vat.net_vat) == (
        D("149.40"), D("108.00"), D("41.40"))
    by_customer = rd(shop, reports.sales_report, day("2026-01-01"), day("2026-01-31"))
    assert [(r.name, r.documents, r.net, r.gross) for r in by_customer.rows] == [
        ("Kartuli Foods LLC", 1, D("830.00"), D("979.40"))]
    by_product = rd(shop, reports.sales_report, day("2026-01-01"), day("2026-01-31"),
                    by="product")
    assert [(r.key, r.quantity, r.net) for r in by_product.rows] == [
        ("TOOL-01", D(30), D("750.00")), ("SVC-01", D(2), D("80.00"))]
    aging = rd(shop, reports.aging, as_of=day("2026-03-01"))  # due 02-11: 18 days late
    assert [(r.contact, r.buckets["0-30"], r.total) for r in aging.rows] == [
        ("Kartuli Foods LLC", D("579.40"), D("579.40"))]
    payables = rd(shop, reports.aging, payables=True, as_of=day("2026-01-31"))
    assert [(r.contact, r.buckets["current"]) for r in payables.rows] == [
        ("Batumi Supply", D("708.00"))]
    assert rd(shop, reports.overdue, day("2026-03-01")) == (D("579.40"), 1)


def test_contact_and_product_360_sections(shop):
    buy_50_hammers(shop)
    so = sell_30_hammers_and_2_hours(shop)
    tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"))
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("400.00"))],
       on=day("2026-01-20"))
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(5), D("11.00"))], on=day("2026-01-21"))
    tx(shop, orders.confirm_order, "purchase", po.number)

    customer = rd(shop, contact_orders, 2)
    assert [o["number"] for o in customer["open_orders"]] == ["SO-2026-0001"]  # not shipped
    assert [(i["number"], i["balance_due"]) for i in customer["open_invoices"]] == [
        ("INV-2026-0001", D("579.40"))]
    assert customer["total_owed"] == D("579.40")
    assert [(p["number"], p["amount"]) for p in customer["payments"]] == [
        ("PAY-2026-0001", D("400.00"))]
    supplier = rd(shop, contact_orders, 1)
    assert supplier["total_we_owe"] == D("708.00")
    assert [o["number"] for o in supplier["open_orders"]] == ["PO-2026-0002"]
    assert rd(shop, product_orders, pid(shop, "TOOL-01")) == {"open_sales_quantity": D(30),
                                           "open_purchase_quantity": D(5)}


def test_invoice_document_for_the_pdf(shop):
    buy_50_hammers(shop)
    so = sell_30_hammers_and_2_hours(shop)
    tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"))
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("400.00"))],
       on=day("2026-01-20"))
    doc = rd(shop, inv.invoice_document, "INV-2026-0001")
    assert (doc.number, doc.currency, doc.company.name, doc.customer.name) == (
        "INV-2026-0001", "GEL", "Test Co", "Kartuli Foods LLC")
    assert doc.customer.address == ["12 Rustaveli Ave", "Tbilisi", "Georgia"]
    assert doc.customer.tax_id == "404123456"
    assert [(ln.sku, ln.quantity, ln.net, ln.vat, ln.gross) for ln in doc.lines] == [
        ("TOOL-01", D(30), D("750.00"), D("135.00"), D("885.00")),
        ("SVC-01", D(2), D("80.00"), D("14.40"), D("94.40"))]
    assert [(t.rate, t.net, t.vat) for t in doc.vat_totals] == [(D(18), D("830.00"),
                                                                 D("149.40"))]
    assert (doc.total_gross, doc.paid, doc.balance_due, doc.due_date) == (
        D("979.40"), D("400.00"), D("579.40"), day("2026-02-11"))
