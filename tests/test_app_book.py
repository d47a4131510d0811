"""The application layer (`smallbiz.app.book.Book`) where it does more than one service
call: what the CLI and the TUI both rely on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.app.book import Book, JournalLine
from smallbiz.crm.search import ContactFilter
from smallbiz.db import Database


@pytest.fixture
def api(book: Database) -> Book:
    return Book(book)


def test_a_balancing_line_takes_what_the_others_leave(api: Book) -> None:
    entry = api.post_journal_entry(dt.date(2026, 1, 5), "Owner invests", [
        JournalLine("1010", debit=Decimal("5000.00")), JournalLine("3000", balancing=True)])
    assert [(p.account_code, p.amount) for p in entry.postings] == [
        ("1010", Decimal("5000.00")), ("3000", Decimal("-5000.00"))]


def test_the_book_sees_its_own_setting_and_lock_changes(api: Book) -> None:
    assert api.company_name == "Test Co"
    assert api.change_setting("company_name", "Tbilisi Tools") == "Tbilisi Tools"
    assert api.company_name == "Tbilisi Tools"
    assert api.raw_settings()["company_name"] == "Tbilisi Tools"
    day = dt.date.today() - dt.timedelta(days=10)
    assert api.lock_books(day) == day
    assert api.settings.lock_date == day
    assert api.reopen_books(day, "a late bill") == day - dt.timedelta(days=1)
    assert api.settings.lock_date == day - dt.timedelta(days=1)
    assert [r.action for r in api.audit_log(limit=3)] == ["reopen", "lock", "update"]
    assert [r.entity for r in api.audit_log(entity="setting")] == ["setting"]


def test_contacts_page_takes_a_whole_filter_and_pages_by_id(api: Book) -> None:
    for name in ("Ana", "Beka", "Dato"):
        api.add_contact(name, roles=["supplier"])
    api.add_contact("Ciala", roles=["customer"])
    suppliers = ContactFilter(roles=("supplier",))
    assert api.contacts_count(suppliers) == 3
    first = api.contacts_page(suppliers, limit=2)
    assert [r.name for r in first] == ["Ana", "Beka"]
    assert [r.name for r in api.contacts_page(suppliers, limit=2, after_id=first[-1].id)] == [
        "Dato"]
    assert api.contacts_count("ciala") == 1


def test_add_contact_says_what_it_made(api: Book) -> None:
    made = api.add_contact("Nino", organization="Kavkasia Tools",
                           emails=["nino@example.ge", "", "n@example.ge"], phones=[""])
    assert made.created and made.organization_created == "Kavkasia Tools"
    again = api.add_contact("Nino", organization="Kavkasia Tools", on_duplicate="merge")
    assert not again.created and again.contact.id == made.contact.id
    assert [ch.value for ch in api.contact_360(made.contact.id).emails] == [
        "nino@example.ge", "n@example.ge"]


def test_an_import_of_products_reports_its_total_first(api: Book, tmp_path: Path) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text("sku,name,price\nA-1,One,1\nA-2,Two,2\nA-3,Three,3\n", encoding="utf-8")
    calls: list[tuple[str, int | None]] = []
    count = api.import_products(str(csv), lambda n: calls.append(("total", n)),
                                lambda n=1: calls.append(("step", n)))
    assert count == 3
    assert calls[0] == ("total", 3)
    assert [p.sku for p in api.products()] == ["A-1", "A-2", "A-3"]


def test_an_invoice_pdf_says_its_number_and_file(api: Book, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from smallbiz.orders.lines import LineInput

    api.add_contact("Acme", kind="organization", roles=["customer"])
    api.add_product("SRV-1", "Consulting", price="100", service=True)
    order = api.create_order("sale", "Acme", [LineInput("SRV-1", Decimal(2))])
    api.order_action("sale", "confirm", order.number)
    invoice = api.order_action("sale", "invoice", order.number).reference
    monkeypatch.chdir(tmp_path)
    pdf = api.invoice_pdf(invoice[:-1])  # a unique prefix: the file has the whole number
    assert pdf.number == invoice and pdf.path.name == f"{invoice}.pdf"
    assert (tmp_path / pdf.path).read_bytes().startswith(b"%PDF")
    paid = api.record_payment(invoice, "10", direction="in")
    assert [a.invoice for a in paid.allocations] == [invoice]
    assert [p.number for p in api.payments(contact="Acme")] == [paid.number]
    assert api.cancel_payment(paid.number).status == "cancelled"
    assert [r.number for r in api.invoices(which="open", contact="Acme")] == [invoice]
