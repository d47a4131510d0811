"""The monthly VAT return on a hand-computed month, VAT codes on lines, waybill and
Revenue Service fields."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.errors import UserError
from smallbiz.orders.lines import LineInput, parse_line_spec
from smallbiz.orders.service import (
    cancel_order,
    confirm_order,
    create_order,
    invoice_order,
    receive_order,
    ship_order,
)
from smallbiz.orders.vat_return import vat_return
from smallbiz.stock.service import adjust_stock
from tests.conftest import make_runner
from tests.orders.conftest import day, rd, tx


def stocked(db):
    for sku in ("TOOL-01", "NAIL-01"):
        tx(db, adjust_stock, sku, "500", on=day("2026-10-01"), opening=True)


def sell(db, lines, on, *, invoice_on=None):
    order = tx(db, create_order, "sale", "Kartuli Foods LLC", lines, on=day(on))
    tx(db, confirm_order, "sale", order.number)
    tx(db, ship_order, order.number, on=day(on))
    tx(db, invoice_order, order.number, on=day(invoice_on or on))
    return order.number


def november(shop):
    """October: one sale (not in November). November:
    sale 1 (3rd): 10 hammers at 25.00, 18 %      net 250.00  VAT 45.00
                  100 nails at 0.33, zero-rated  net  33.00  (export)
                  2 h installation, exempt       net  80.00
    sale 2 (20th): 4 hammers at 25.00, 18 %      net 100.00  VAT 18.00 (cancelled 2 Dec)
    purchase (10th): 20 hammers at 12.00, 18 %   net 240.00  VAT 43.20
    => taxable 350.00, output VAT 63.00, zero-rated 33.00, exempt 80.00,
       taxable purchases 240.00, input VAT 43.20, payable 19.80.
    December: sale 2 cancelled: taxable -100.00, output VAT -18.00: refundable 18.00."""
    stocked(shop)
    sell(shop, [LineInput("TOOL-01", D("1"))], "2026-10-30")
    sell(shop, [LineInput("TOOL-01", D("10")), parse_line_spec("NAIL-01=100:zero"),
                parse_line_spec("SVC-01=2:exempt")], "2026-11-03")
    po = tx(shop, create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D("20"), D("12.00"))], on=day("2026-11-10"))
    tx(shop, confirm_order, "purchase", po.number)
    tx(shop, receive_order, po.number, on=day("2026-11-10"))
    second = sell(shop, [LineInput("TOOL-01", D("4"))], "2026-11-20")
    tx(shop, cancel_order, "sale", second, on=day("2026-12-02"))


def test_the_return_of_a_hand_computed_month(shop, book_path):
    november(shop)
    r = rd(shop, vat_return, day("2026-11-01"))
    assert (r.month, r.start, r.end, r.due_date) == (
        "2026-11", day("2026-11-01"), day("2026-11-30"), day("2026-12-15"))
    assert (r.taxable_supplies, r.output_vat, r.zero_rated_supplies, r.exempt_supplies) == (
        D("350.00"), D("63.00"), D("33.00"), D("80.00"))
    assert (r.taxable_purchases, r.input_vat, r.other_purchases) == (
        D("240.00"), D("43.20"), D("0.00"))
    assert (r.payable, r.refundable) == (D("19.80"), D("0.00"))
    december = rd(shop, vat_return, day("2026-12-31"))
    assert (december.taxable_supplies, december.output_vat, december.payable,
            december.refundable) == (D("-100.00"), D("-18.00"), D("0.00"), D("18.00"))
    # the CLI says the same, JSON locale-free
    cli = make_runner(book_path)
    j = cli("report", "vat", "--month", "2026-11", "--json").json()
    assert j == {"report": "vat_return", "month": "2026-11", "from": "2026-11-01",
                 "to": "2026-11-30", "due_date": "2026-12-15", "taxable_supplies": "350.00",
                 "output_vat": "63.00", "zero_rated_supplies": "33.00",
                 "exempt_supplies": "80.00", "taxable_purchases": "240.00",
                 "input_vat": "43.20", "other_purchases": "0.00", "payable": "19.80",
                 "refundable": "0.00"}
    human = cli("report", "vat", "--month", "2026-11")
    assert "VAT return 2026-11 (due 2026-12-15)" in human.stdout and "19.80" in human.stdout
    bad = cli("report", "vat", "--month", "11/2026")
    assert bad.exit_code == 1 and "is not a month" in bad.stderr


def test_credit_and_debit_notes_count_in_their_month(shop):
    """November as above; in December a credit note for 4 of the 10 hammers of sale 1
    (net 100.00, VAT 18.00) and a debit note for 5 of the 20 hammers bought (net 60.00,
    VAT 10.80, goods returned): December's taxable supplies fall by 100.00 (and by the
    cancelled sale's 100.00), output VAT by 18.00 + 18.00, purchases by 60.00, input VAT by
    10.80."""
    from smallbiz.orders.credits import issue_note
    from smallbiz.orders.invoices import list_invoices

    november(shop)
    sale = next(r.number for r in rd(shop, list_invoices, kind="invoice")
                if r.date == day("2026-11-03"))
    bill = rd(shop, list_invoices, kind="bill")[0].number
    tx(shop, issue_note, sale, lines={1: D("4")}, on=day("2026-12-05"))
    # a debit note takes stock lines back to the supplier: with the goods
    tx(shop, issue_note, bill, lines={1: D("5")}, with_return=True, on=day("2026-12-06"))
    assert rd(shop, vat_return, day("2026-11-01")).payable == D("19.80"), "November as it was"
    december = rd(shop, vat_return, day("2026-12-01"))
    assert (december.taxable_supplies, december.output_vat) == (D("-200.00"), D("-36.00"))
    assert (december.taxable_purchases, december.input_vat) == (D("-60.00"), D("-10.80"))
    assert (december.payable, december.refundable) == (D("0.00"), D("25.20"))


def test_vat_codes_are_checked_against_the_rate(shop):
    with pytest.raises(UserError, match="VAT code 'export' is not one of"):
        parse_line_spec("TOOL-01=1:export")
    with pytest.raises(UserError, match="does not go with a 0 % rate"):
        tx(shop, create_order, "sale", "Kartuli Foods LLC",
           [LineInput("TOOL-01", D("1"), vat_rate=D("0"), vat_code="standard")])
    with pytest.raises(UserError, match="does not go with a 18 % rate"):
        tx(shop, create_order, "sale", "Kartuli Foods LLC",
           [LineInput("TOOL-01", D("1"), vat_code="zero")])


def test_waybill_and_revenue_service_fields(shop, book_path):
    stocked(shop)
    number = sell(shop, [LineInput("TOOL-01", D("2"))], "2026-11-03")
    cli = make_runner(book_path)
    j = cli("waybill", number, "--transport", "road", "--plate", "aa-123-bb", "--driver",
            "01001012345", "--start", "თბილისი, აღმაშენებლის 5", "--end", "ბათუმი",
            "--json").json()
    assert j == {"order": number, "transport_type": "road", "vehicle_plate": "AA-123-BB",
                 "driver_id": "01001012345", "start_address": "თბილისი, აღმაშენებლის 5",
                 "end_address": "ბათუმი"}
    assert cli("waybill", number, "--json").json() == j  # shows them again
    bad = cli("waybill", number, "--driver", "123")
    assert bad.exit_code == 1 and "11 digits" in bad.stderr
    assert cli("invoice", "rs", "INV-2026-0001", "--rs-number", "RS-778", "--status", "sent",
               "--json").json() == {"number": "INV-2026-0001", "rs_number": "RS-778",
                                    "rs_status": "sent"}
    bad = cli("invoice", "rs", "INV-2026-0001", "--status", "lost")
    assert bad.exit_code == 1 and "one of" in bad.stderr
    assert cli("check").exit_code == 0
