"""The invoice PDF: one page, text extractable, with number, totals and a Georgian name."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pypdf
import pytest

from smallbiz.errors import UserError
from smallbiz.io.invoice_pdf import render_invoice_pdf
from smallbiz.orders.document import DocumentLine, InvoiceDocument, Party, VatTotal

GEORGIAN = "ქართული ფუდსი შპს"


def extract(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(str(path))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def sample(status: str = "open", paid: str = "400.00") -> InvoiceDocument:
    lines = [
        DocumentLine("Hammer", D("30"), "pcs", D("25.00"), D("18"), D("0"), D("750.00"),
                     D("135.00"), D("885.00"), "TOOL-01"),
        DocumentLine("Installation hour", D("2"), "h", D("40.00"), D("18"), D("10"), D("72.00"),
                     D("12.96"), D("84.96"), "SVC-01"),
        DocumentLine("წიგნი", D("1.5"), "pcs", D("3.125"), D("0"), D("0"), D("4.69"),
                     D("0.00"), D("4.69"), "BK-1"),
    ]
    gross = D("974.65")
    return InvoiceDocument(
        kind="invoice", number="INV-2026-0001", date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31), status=status, currency="GEL", digits=2,
        company=Party("Test Co", ["1 Rustaveli Ave", "0108 Tbilisi", "Georgia"], "405123456",
                      "hello@test.ge", "+995 32 200 00 00"),
        customer=Party(GEORGIAN, ["ჭავჭავაძის გამზ. 12", "0179 თბილისი"], "204567890"),
        lines=lines,
        vat_totals=[VatTotal(D("0"), D("4.69"), D("0.00"), D("4.69")),
                    VatTotal(D("18"), D("822.00"), D("147.96"), D("969.96"))],
        total_net=D("826.69"), total_vat=D("147.96"), total_gross=gross, paid=D(paid),
        balance_due=gross - D(paid), order_number="SO-2026-0001")


def test_invoice_pdf_has_everything_a_customer_checks(tmp_path):
    out = render_invoice_pdf(sample(), tmp_path / "inv.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    pages, body = extract(out)
    assert pages == 1
    for text in ("Test Co", "Tax ID: 405123456", "INVOICE", "INV-2026-0001", "2026-03-01",
                 "2026-03-31", "SO-2026-0001", GEORGIAN, "0179 თბილისი", "Tax ID: 204567890",
                 "Hammer", "TOOL-01", "pcs 30", "25.00", "885.00", "წიგნი", "pcs 1.5", "3.125",
                 "10 %", "Total net 826.69", "Total VAT 147.96", "Total GEL 974.65",
                 "Paid 400.00", "Balance due GEL 574.65", "822.00 147.96 969.96"):
        assert text in body, text


def test_paid_and_cancelled_notes(tmp_path):
    _pages, body = extract(render_invoice_pdf(sample(paid="974.65"), tmp_path / "p.pdf"))
    assert "Paid in full" in body and "Balance due GEL 0.00" in body
    _pages, body = extract(render_invoice_pdf(sample(status="cancelled"), tmp_path / "c.pdf"))
    assert "CANCELLED" in body


def test_the_note_says_when_to_pay(tmp_path):
    late = dataclasses.replace(sample(), due_date=dt.date.today() - dt.timedelta(days=10))
    _pages, body = extract(render_invoice_pdf(late, tmp_path / "late.pdf"))
    assert (f"Overdue since {late.due_date.isoformat()}: please pay 574.65 GEL now, quoting "
            "INV-2026-0001.") in body
    soon = dataclasses.replace(sample(), due_date=dt.date.today() + dt.timedelta(days=30))
    _pages, body = extract(render_invoice_pdf(soon, tmp_path / "soon.pdf"))
    assert f"Please pay 574.65 GEL by {soon.due_date.isoformat()}, quoting INV-2026-0001." in body


def test_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        render_invoice_pdf(sample(), tmp_path / "nowhere" / "inv.pdf")


def test_pdf_of_a_real_invoice(book, tmp_path):
    """Sale → ship → invoice → part payment through the orders services, then print it."""
    from smallbiz.crm.service import create_contact
    from smallbiz.orders.invoices import invoice_document
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.payments import AllocationInput, record_payment
    from smallbiz.orders.service import confirm_order, create_order, invoice_order, ship_order
    from smallbiz.stock.service import add_product, adjust_stock

    on = dt.date(2026, 3, 2)
    with book.transaction() as s:
        create_contact(s, GEORGIAN, kind="organization", customer=True, tax_id="204567890",
                       street="ჭავჭავაძის გამზ. 12", city="თბილისი", postcode="0179")
        add_product(s, "TOOL-01", "Hammer", price="25.00", cost="12.00")
        add_product(s, "SVC-01", "Installation hour", price="40", service=True, unit="h")
        adjust_stock(s, "TOOL-01", "50", on=on, opening=True)
        order = create_order(s, "sale", GEORGIAN, [LineInput("TOOL-01", D("30")),
                                                   LineInput("SVC-01", D("2"))], on=on)
        confirm_order(s, "sale", order.number)
        ship_order(s, order.number, on=on)
        number = invoice_order(s, order.number, on=on).reference
        record_payment(s, "in", [AllocationInput(number, D("400.00"))], on=on)
    with book.read() as s:
        doc = invoice_document(s, number, "en")
        auto = invoice_document(s, number)
    assert auto.languages == ("ka",)  # a Georgian book, a customer at home: Georgian
    pages, body = extract(render_invoice_pdf(doc, tmp_path / "real.pdf"))
    assert pages == 1
    # 30 × 25 + 2 × 40 = 830.00 net, 149.40 VAT, 979.40 gross; 400 paid
    for text in (number, GEORGIAN, "Test Co", "Total net 830.00", "Total VAT 149.40",
                 "Total GEL 979.40", "Paid 400.00", "Balance due GEL 579.40"):
        assert text in body, text


def georgian_sample() -> InvoiceDocument:
    from smallbiz.settings import BankAccount

    company = Party("შპს „ჩაის სახლი“", ["რუსთაველის გამზ. 1, თბილისი 0108"], "405123456",
                    "info@tea.ge", "+995 32 2 00 00 00", "GE", "შპს",
                    "აღმაშენებლის გამზ. 5, თბილისი", [
                        BankAccount("თიბისი ბანკი", "GE61TB7777777777777777"),
                        BankAccount("საქართველოს ბანკი", "GE59BG0000000123456789")],
                    "ნინო ბერიძე", True)
    lines = [
        DocumentLine("ჩაი", D("10"), "კგ", D("20.00"), D("18"), D("0"), D("200.00"),
                     D("36.00"), D("236.00"), "TEA", "standard"),
        DocumentLine("ექსპორტი", D("1"), "ც", D("100.00"), D("0"), D("0"), D("100.00"),
                     D("0.00"), D("100.00"), "EXP", "zero"),
        DocumentLine("სწავლება", D("1"), "სთ", D("50.00"), D("0"), D("0"), D("50.00"),
                     D("0.00"), D("50.00"), "EDU", "exempt"),
    ]
    return InvoiceDocument(
        kind="invoice", number="INV-2026-0042", date=dt.date(2026, 11, 5),
        due_date=dt.date(2026, 12, 5), status="open", currency="GEL", digits=2,
        company=company, customer=Party("Acme GmbH", ["Hauptstr. 1", "Berlin"], "DE136695976",
                                        country="DE"),
        lines=lines,
        vat_totals=[VatTotal(D("0"), D("50.00"), D("0.00"), D("50.00"), "exempt"),
                    VatTotal(D("0"), D("100.00"), D("0.00"), D("100.00"), "zero"),
                    VatTotal(D("18"), D("200.00"), D("36.00"), D("236.00"), "standard")],
        total_net=D("350.00"), total_vat=D("36.00"), total_gross=D("386.00"), paid=D("0"),
        balance_due=D("386.00"), languages=("ka",))


def test_a_georgian_invoice_carries_every_field_in_georgian(tmp_path):
    _pages, body = extract(render_invoice_pdf(georgian_sample(), tmp_path / "ka.pdf"))
    flat = " ".join(body.split())
    for text in ("ანგარიშ-ფაქტურა", "გამყიდველი", "მყიდველი", "შპს „ჩაის სახლი“",
                 "საიდენტიფიკაციო კოდი: 405123456", "დღგ-ის გადამხდელი",
                 "იურიდიული მისამართი: რუსთაველის გამზ. 1, თბილისი 0108",
                 "ფაქტობრივი მისამართი: აღმაშენებლის გამზ. 5",
                 "თიბისი ბანკი", "GE61 TB77 7777 7777 7777 77", "საქართველოს ბანკი",
                 "GE59 BG00 0000 0123 4567 89", "Acme GmbH", "DE136695976",
                 "INV-2026-0042", "2026-11-05", "2026-12-05", "კგ", "0 % ექსპორტი",
                 "გათავისუფლებული", "სულ დღგ-ს გარეშე 350.00", "დღგ სულ 36.00",
                 "სულ GEL 386.00", "თანხა სიტყვიერად",
                 "სამას ოთხმოცდაექვსი ლარი და 00 თეთრი", "გასცა", "დირექტორი: ნინო ბერიძე",
                 "მიიღო", "ხელმოწერა"):
        assert text in flat, text
    assert "INVOICE" not in flat and "Seller" not in flat


def test_an_english_and_a_bilingual_invoice(tmp_path):
    en = dataclasses.replace(georgian_sample(), languages=("en",))
    flat = " ".join(extract(render_invoice_pdf(en, tmp_path / "en.pdf"))[1].split())
    for text in ("INVOICE", "SELLER", "BUYER", "Tax ID: 405123456", "VAT payer", "IBAN",
                 "0 % export", "exempt", "Total GEL 386.00",
                 "Three hundred eighty-six lari and 00 tetri", "Issued by", "Received by"):
        assert text in flat, text
    assert "ანგარიშ-ფაქტურა" not in flat
    both = dataclasses.replace(georgian_sample(), languages=("ka", "en"))
    flat = " ".join(extract(render_invoice_pdf(both, tmp_path / "both.pdf"))[1].split())
    for text in ("ანგარიშ-ფაქტურა / INVOICE", "სამას ოთხმოცდაექვსი ლარი",
                 "Three hundred eighty-six lari", "სულ GEL / Total GEL 386.00"):
        assert text in flat, text
