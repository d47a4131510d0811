"""The documents of issue 17 through the services, with the exact postings a user would
check (hand-computed in the comments): partial shipments, receipts and invoices, direct
invoices and bills with an account per line, credit notes with and without a return of
goods, debit notes, quotes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.orders import credits, quotes, reports
from smallbiz.orders import invoices as inv
from smallbiz.orders import service as orders
from smallbiz.orders.direct import DirectLine, issue_direct, parse_direct_line
from smallbiz.orders.lines import LineInput
from smallbiz.orders.views import contact_orders
from tests.orders.conftest import assert_ok, day, rd, stock_of, tx
from tests.orders.test_flows import buy_50_hammers, postings


def sold_and_confirmed(db, *lines, customer="Kartuli Foods LLC"):
    so = tx(db, orders.create_order, "sale", customer, list(lines), on=day("2026-01-10"))
    tx(db, orders.confirm_order, "sale", so.number)
    return so


def progress(db, number, kind="sale"):
    return [(p.ordered, p.shipped, p.invoiced, p.open_to_ship, p.open_to_invoice)
            for p in rd(db, orders.show_order, kind, number).progress]


# -- partial deliveries and invoices ---------------------------------------------------------

def test_a_sale_shipped_and_invoiced_in_parts(shop):
    buy_50_hammers(shop)
    so = sold_and_confirmed(shop, LineInput("TOOL-01", D(30)), LineInput("SVC-01", D(2)))
    first = tx(shop, orders.ship_order, so.number, on=day("2026-01-12"), lines={1: D(10)})
    # 10 of 50 hammers at 12.00 average: 120.00
    assert (first.status, first.value) == ("shipped", D("120.00"))
    assert postings(shop, first.entries[0]) == ("shipment", {"5000": D("120.00"),
                                                             "1200": D("-120.00")})
    assert stock_of(shop, "TOOL-01") == (D(40), D("480.00"))
    assert progress(shop, so.number) == [(D(30), D(10), D(0), D(20), D(30)),
                                         (D(2), D(0), D(0), D(2), D(2))]
    # what was shipped (10 × 25.00 = 250.00, VAT 45.00) and the hours (2 × 40 = 80.00,
    # VAT 14.40): 389.40
    one = tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"))
    assert (one.reference, one.status) == ("INV-2026-0001", "shipped")
    assert postings(shop, one.entries[0]) == ("invoice", {
        "1100": D("389.40"), "4000": D("-250.00"), "4100": D("-80.00"), "2100": D("-59.40")})
    with pytest.raises(RuleViolation, match="nothing shipped is left to invoice"):
        tx(shop, orders.invoice_order, so.number, on=day("2026-01-13"))
    rest = tx(shop, orders.ship_order, so.number, on=day("2026-01-15"))
    assert rest.value == D("240.00")
    two = tx(shop, orders.invoice_order, so.number, on=day("2026-01-15"))
    # the line invoiced to its end takes what is left: 750.00 - 250.00, VAT 135.00 - 45.00
    assert (two.reference, two.status) == ("INV-2026-0002", "invoiced")
    assert postings(shop, two.entries[0]) == ("invoice", {
        "1100": D("590.00"), "4000": D("-500.00"), "2100": D("-90.00")})
    assert progress(shop, so.number) == [(D(30), D(30), D(30), D(0), D(0)),
                                         (D(2), D(2), D(2), D(0), D(0))]
    view = rd(shop, orders.show_order, "sale", so.number)
    assert (view.invoices, view.balance_due, view.shipment_value) == (
        ["INV-2026-0001", "INV-2026-0002"], D("979.40"), D("360.00"))
    with pytest.raises(RuleViolation, match="was already invoiced \\(INV-2026-0001\\)"):
        tx(shop, orders.invoice_order, so.number)
    with pytest.raises(RuleViolation, match="was already shipped on 2026-01-15"):
        tx(shop, orders.ship_order, so.number)
    assert_ok(shop)


def test_partial_invoices_add_up_to_the_order_exactly(shop):
    tx(shop, lambda s: __import__("smallbiz.stock.service", fromlist=["x"]).adjust_stock(
        s, "NAIL-01", "100", cost="0.10", on="2026-01-02"))
    # 10 × 0.33 = 3.30, VAT 0.594 -> 0.59
    so = sold_and_confirmed(shop, LineInput("NAIL-01", D(10)))
    tx(shop, orders.ship_order, so.number, on=day("2026-01-11"))
    a = tx(shop, orders.invoice_order, so.number, on=day("2026-01-11"), lines={1: D(3)})
    b = tx(shop, orders.invoice_order, so.number, on=day("2026-01-11"))
    # 3 × 0.33 = 0.99, VAT 0.1782 -> 0.18; the rest 2.31 with VAT 0.59 - 0.18 = 0.41
    # (7 on its own would be 0.4158 -> 0.42: a cent more than the order)
    assert rd(shop, inv.show_invoice, a.reference).vat == D("0.18")
    second = rd(shop, inv.show_invoice, b.reference)
    assert (second.net, second.vat, second.gross) == (D("2.31"), D("0.41"), D("2.72"))
    assert_ok(shop)


def test_a_purchase_received_in_parts_books_a_bill_per_receipt(shop):
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(50), D("12.00"))], on=day("2026-01-05"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    r1 = tx(shop, orders.receive_order, po.number, on=day("2026-01-06"), lines={1: D(20)})
    # 20 × 12.00 = 240.00, VAT 43.20
    assert (r1.reference, r1.status, r1.value) == ("BILL-2026-0001", "received", D("240.00"))
    assert postings(shop, r1.entries[0]) == ("bill", {
        "1200": D("240.00"), "1300": D("43.20"), "2000": D("-283.20")})
    assert progress(shop, po.number, "purchase") == [(D(50), D(20), D(20), D(30), D(30))]
    assert [o.number for o in rd(shop, orders.list_orders, "purchase", open_only=True)] == [
        po.number]
    r2 = tx(shop, orders.receive_order, po.number, on=day("2026-01-08"))
    assert (r2.reference, r2.value) == ("BILL-2026-0002", D("360.00"))
    assert stock_of(shop, "TOOL-01") == (D(50), D("600.00"))
    assert rd(shop, orders.list_orders, "purchase", open_only=True) == []
    with pytest.raises(RuleViolation, match="was already received on 2026-01-08"):
        tx(shop, orders.receive_order, po.number)
    cancelled = tx(shop, orders.cancel_order, "purchase", po.number, on=day("2026-01-09"))
    assert len(cancelled.entries) == 2 and stock_of(shop, "TOOL-01") == (D(0), D("0.00"))
    assert_ok(shop)


def test_quantities_beyond_what_is_open_are_refused(shop):
    buy_50_hammers(shop)
    so = sold_and_confirmed(shop, LineInput("TOOL-01", D(5)), LineInput("SVC-01", D(1)))
    with pytest.raises(RuleViolation, match="line 1: 6 is more than the 5 still open"):
        tx(shop, orders.ship_order, so.number, lines={1: D(6)})
    with pytest.raises(RuleViolation, match="line 2: .* is a service"):
        tx(shop, orders.ship_order, so.number, lines={2: D(1)})
    with pytest.raises(ValidationError, match="has no line 3"):
        tx(shop, orders.ship_order, so.number, lines={3: D(1)})


# -- direct invoices and bills ---------------------------------------------------------------

def test_a_service_invoice_without_an_order(shop):
    doc = tx(shop, issue_direct, "invoice", "Kartuli Foods LLC", [
        DirectLine("SVC-01", D(3)), DirectLine("Consulting", D(2), D("100.00"),
                                               account="4900")], on=day("2026-02-02"))
    # 3 × 40 = 120.00 (VAT 21.60) to Services; 2 × 100 = 200.00 (VAT 36.00) to 4900
    view = rd(shop, inv.show_invoice, doc.number)
    assert (view.number, view.order_number, view.gross, view.due_date) == (
        "INV-2026-0001", None, D("377.60"), day("2026-03-04"))
    assert postings(shop, view.entry_number) == ("invoice", {
        "1100": D("377.60"), "4100": D("-120.00"), "4900": D("-200.00"), "2100": D("-57.60")})
    assert_ok(shop)


def test_a_supplier_bill_for_expenses_with_an_account_per_line(shop):
    doc = tx(shop, issue_direct, "bill", "Batumi Supply", [
        parse_direct_line("Electricity November=1@100.00;account=6200"),
        parse_direct_line("Rent November=1@500.00;account=Rent;vat=0"),
        parse_direct_line("Fuel=1@50.00")], on=day("2026-11-30"))
    # electricity 100.00 + VAT 18.00; rent 500.00 no VAT; fuel 50.00 + 9.00 to Other expenses
    view = rd(shop, inv.show_invoice, doc.number)
    assert (view.kind, view.number, view.gross) == ("bill", "BILL-2026-0001", D("677.00"))
    assert postings(shop, view.entry_number) == ("bill", {
        "6200": D("100.00"), "6000": D("500.00"), "7900": D("50.00"), "1300": D("27.00"),
        "2000": D("-677.00")})
    assert_ok(shop)


def test_direct_documents_refuse_goods_and_wrong_accounts(shop):
    with pytest.raises(RuleViolation, match="TOOL-01 is a stock product"):
        tx(shop, issue_direct, "invoice", "Kartuli Foods LLC", [DirectLine("TOOL-01", D(1))])
    with pytest.raises(ValidationError, match="4000 Sales of goods is not an open expense"):
        tx(shop, issue_direct, "bill", "Batumi Supply",
           [DirectLine("Paper", D(1), D(5), account="4000")])
    with pytest.raises(ValidationError, match="give the price"):
        tx(shop, issue_direct, "bill", "Batumi Supply", [DirectLine("Paper", D(1))])


# -- credit notes and debit notes ------------------------------------------------------------

def invoiced_sale(db):
    buy_50_hammers(db)
    so = sold_and_confirmed(db, LineInput("TOOL-01", D(30)), LineInput("SVC-01", D(2)))
    tx(db, orders.ship_order, so.number, on=day("2026-01-12"))
    tx(db, orders.invoice_order, so.number, on=day("2026-01-12"))
    return so


def test_a_partial_credit_note_with_the_goods_back(shop):
    so = invoiced_sale(shop)
    note = tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(3)}, with_return=True,
              on=day("2026-01-20"))
    # 3 hammers: 75.00 + VAT 13.50 = 88.50 back; they come in at the cost they left
    # with: the shipment's 360.00 for 30, 36.00
    assert (note.number, note.kind, note.gross) == ("CN-2026-0001", "credit_note", D("88.50"))
    view = rd(shop, inv.show_invoice, note.number)
    assert postings(shop, view.entry_number) == ("credit_note", {
        "4000": D("75.00"), "2100": D("13.50"), "1100": D("-88.50"), "1200": D("36.00"),
        "5000": D("-36.00")})
    assert stock_of(shop, "TOOL-01") == (D(23), D("276.00"))
    invoice = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (invoice.balance_due, invoice.status) == (D("890.90"), "open")
    vat = rd(shop, reports.vat_report, day("2026-01-01"), day("2026-01-31"))
    # output: 830.00 / 149.40 invoiced, less 75.00 / 13.50 credited
    assert [(r.rate, r.net, r.vat) for r in vat.output] == [(D(18), D("755.00"), D("135.90"))]
    aging = rd(shop, reports.aging, as_of=day("2026-01-20"))
    assert aging.total == D("890.90")
    assert rd(shop, reports.aging, as_of=day("2026-01-19")).total == D("979.40")
    assert_ok(shop)

    # the rest, without the goods: each line takes what is left of its amounts
    rest = tx(shop, credits.issue_note, "INV-2026-0001", on=day("2026-01-22"))
    assert postings(shop, rd(shop, inv.show_invoice, rest.number).entry_number) == (
        "credit_note", {"4000": D("675.00"), "4100": D("80.00"), "2100": D("135.90"),
                        "1100": D("-890.90")})
    invoice = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (invoice.balance_due, invoice.status) == (D("0.00"), "paid")
    with pytest.raises(RuleViolation, match="credited in full already"):
        tx(shop, credits.issue_note, "INV-2026-0001")
    with pytest.raises(RuleViolation, match="has credit notes against it"):
        tx(shop, orders.cancel_order, "sale", so.number, on=day("2026-01-25"))
    # cancelling the first note takes the 3 hammers out again at 36.00
    tx(shop, credits.cancel_note, "CN-2026-0001", on=day("2026-01-23"))
    assert stock_of(shop, "TOOL-01") == (D(20), D("240.00"))
    invoice = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (invoice.balance_due, invoice.status) == (D("88.50"), "open")
    assert_ok(shop)


def test_only_what_was_shipped_can_come_back(shop):
    buy_50_hammers(shop)
    so = sold_and_confirmed(shop, LineInput("TOOL-01", D(30)))
    tx(shop, orders.ship_order, so.number, on=day("2026-01-12"), lines={1: D(10)})
    tx(shop, orders.invoice_order, so.number, on=day("2026-01-12"), everything=True)
    with pytest.raises(RuleViolation, match="15 pcs cannot come back; 10 of them were"):
        tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(15)}, with_return=True)
    # without the goods it is a price reduction: stock stays
    tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(15)}, on=day("2026-01-13"))
    assert stock_of(shop, "TOOL-01") == (D(40), D("480.00"))
    assert_ok(shop)


def test_a_credit_note_beyond_the_balance_due_frees_the_payment(shop):
    from smallbiz.orders import payments as pay

    invoiced_sale(shop)
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("900.00"))],
       on=day("2026-01-15"))
    tx(shop, credits.issue_note, "INV-2026-0001", lines={2: D(1)}, on=day("2026-01-16"))
    # one hour: 40.00 + 7.20; 979.40 - 900.00 - 47.20 = 32.20 left
    assert rd(shop, inv.show_invoice, "INV-2026-0001").balance_due == D("32.20")
    # 4 hammers: 100.00 + 18.00 = 118.00, 85.80 more than the 32.20 due: freed from the
    # payment, the customer's credit (see tests/orders/test_refunds.py)
    tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(4)}, on=day("2026-01-16"))
    view = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (view.paid, view.credited, view.balance_due) == (
        D("814.20"), D("165.20"), D("0.00"))
    assert rd(shop, pay.show_payment, "PAY-2026-0001").credit == D("85.80")
    assert_ok(shop)


def test_a_debit_note_sends_goods_back_at_the_cost_they_came_in_at(shop):
    buy_50_hammers(shop)
    with pytest.raises(RuleViolation, match="a debit note for goods sends them back"):
        tx(shop, credits.issue_note, "BILL-2026-0001", lines={1: D(5)})
    note = tx(shop, credits.issue_note, "BILL-2026-0001", lines={1: D(5)}, with_return=True,
              on=day("2026-01-07"))
    # 5 × 12.00 = 60.00 + VAT 10.80
    assert (note.number, note.gross) == ("DN-2026-0001", D("70.80"))
    assert postings(shop, rd(shop, inv.show_invoice, note.number).entry_number) == (
        "debit_note", {"2000": D("70.80"), "1200": D("-60.00"), "1300": D("-10.80")})
    assert stock_of(shop, "TOOL-01") == (D(45), D("540.00"))
    assert rd(shop, inv.show_invoice, "BILL-2026-0001").balance_due == D("637.20")
    vat = rd(shop, reports.vat_report, day("2026-01-01"), day("2026-01-31"))
    assert vat.input_vat == D("97.20")  # 108.00 - 10.80
    assert_ok(shop)


# -- quotes ----------------------------------------------------------------------------------

def test_a_quote_accepted_becomes_a_sales_order(shop):
    from smallbiz.crm.deals import add_deal, resolve_deal

    deal = tx(shop, add_deal, "Kartuli Foods LLC", "Hammers for the new shop", "250",
              stage="proposal")
    q = tx(shop, quotes.create_quote, "Kartuli Foods LLC", [LineInput("TOOL-01", D(10))],
           on=day("2026-01-03"), deal=deal.id)
    assert (q.number, q.status, q.gross, q.valid_until) == (
        "QT-2026-0001", "draft", D("295.00"), day("2026-02-02"))
    assert stock_of(shop, "TOOL-01") == (D(0), D("0.00"))
    assert tx(shop, quotes.quote_action, "send", q.number).status == "sent"
    with pytest.raises(RuleViolation, match="QT-2026-0001 is sent: only a draft can be sent"):
        tx(shop, quotes.quote_action, "send", q.number)
    seen = rd(shop, contact_orders, q.contact_id)["quotes"]
    assert [(x["number"], x["status"], x["deal"]) for x in seen] == [
        ("QT-2026-0001", "sent", "Hammers for the new shop")]
    with pytest.raises(RuleViolation, match="valid until 2026-02-02"):
        tx(shop, quotes.quote_action, "accept", q.number, on=day("2026-02-03"))
    done = tx(shop, quotes.quote_action, "accept", q.number, on=day("2026-01-20"))
    assert (done.status, done.reference) == ("accepted", "SO-2026-0001")
    so = rd(shop, orders.show_order, "sale", "SO-2026-0001")
    assert (so.status, so.quote, so.gross, so.date, [ln.sku for ln in so.lines]) == (
        "draft", "QT-2026-0001", D("295.00"), day("2026-01-20"), ["TOOL-01"])
    assert rd(shop, resolve_deal, deal.id).stage == "won"
    rows = rd(shop, quotes.list_quotes, deal=deal.id)
    assert [(r.number, r.status, r.order) for r in rows] == [
        ("QT-2026-0001", "accepted", "SO-2026-0001")]
    with pytest.raises(RuleViolation, match="is accepted: it cannot be declined"):
        tx(shop, quotes.quote_action, "decline", q.number)
    assert rd(shop, orders.list_orders, "sale") and not rd(shop, reports.aging).rows
    assert_ok(shop)


def test_a_declined_quote_and_an_expired_one(shop):
    a = tx(shop, quotes.create_quote, "Kartuli Foods LLC", [LineInput("SVC-01", D(1))],
           on=day("2026-01-03"))
    b = tx(shop, quotes.create_quote, "Kartuli Foods LLC", [LineInput("SVC-01", D(2))],
           on=day("2026-01-03"), valid_until=day("2026-01-10"))
    assert tx(shop, quotes.quote_action, "decline", a.number).status == "declined"
    assert tx(shop, quotes.quote_action, "expire", b.number).status == "expired"
    with pytest.raises(RuleViolation, match="QT-2026-0001 is declined: it cannot be accepted"):
        tx(shop, quotes.quote_action, "accept", a.number)
    assert [r.status for r in rd(shop, quotes.list_quotes)] == ["declined", "expired"]
    assert_ok(shop)


def test_returned_goods_come_back_at_the_cost_they_left_with_not_todays_average(shop):
    invoiced_sale(shop)  # 30 hammers left at 12.00 (360.00); 20 stay, 240.00
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(10), D("15.00"))], on=day("2026-01-14"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    tx(shop, orders.receive_order, po.number, on=day("2026-01-15"))
    assert stock_of(shop, "TOOL-01") == (D(30), D("390.00"))  # average now 13.00
    note = tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(3)}, with_return=True,
              on=day("2026-01-20"))
    # back at 12.00 each (36.00), not at the 13.00 average (39.00)
    _source, posted = postings(shop, rd(shop, inv.show_invoice, note.number).entry_number)
    assert (posted["1200"], posted["5000"]) == (D("36.00"), D("-36.00"))
    assert stock_of(shop, "TOOL-01") == (D(33), D("426.00"))
    assert_ok(shop)
