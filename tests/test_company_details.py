"""The firm's own details in settings: validated, shown, printed on its invoices."""

from __future__ import annotations

from smallbiz.app.book import Book
from smallbiz.db import Database


def test_company_details_through_the_cli(cli, book: Database) -> None:
    for key, value in (("legal_name", "შპს „ჩაის სახლი“"), ("legal_form", "შპს"),
                       ("tax_id", "405 123 456"), ("vat_payer", "yes"),
                       ("vat_registered_on", "2024-03-01"),
                       ("legal_address", "რუსთაველის გამზ. 1, თბილისი"),
                       ("email", "info@tea.ge"), ("director", "ნინო ბერიძე"),
                       ("bank_accounts", "TBC Bank, GE61 TB77 7777 7777 7777 77; "
                                         "Bank of Georgia, GE59BG0000000123456789")):
        r = cli("settings", key, value)
        assert r.exit_code == 0, (key, r.stderr)
    shown = cli("settings", "--json").json()
    assert shown["tax_id"] == "405123456"
    assert shown["bank_accounts"] == ("TBC Bank, GE61TB7777777777777777; Bank of Georgia, "
                                      "GE59BG0000000123456789")
    details = Book(book).company_details()
    assert (details.printed_name, details.vat_payer, str(details.vat_registered_on),
            [a.bank for a in details.bank_accounts]) == (
        "შპს „ჩაის სახლი“", True, "2024-03-01", ["TBC Bank", "Bank of Georgia"])
    for key, value, message in (
            ("tax_id", "12345", "is not a Georgian tax ID: expected 9 digits"),
            ("bank_accounts", "TBC, GE00TB7777777777777777", "is not a valid IBAN"),
            ("bank_accounts", "GE61TB7777777777777777", "write 'Bank name, IBAN'"),
            ("email", "not-an-address", "is not an e-mail address"),
            ("vat_registered_on", "soon", "vat_registered_on"),
            ("logo", "/nowhere/logo.png", "is not a PNG or JPEG file"),
            ("invoice_language", "fr", "one of auto, ka, en, ka+en")):
        r = cli("settings", key, value)
        assert r.exit_code == 1 and message in r.stderr, (key, r.stderr)
    # a foreign firm's tax ID is checked by python-stdnum for its country
    assert cli("settings", "country", "DE").exit_code == 0
    assert cli("settings", "tax_id", "DE136695976").exit_code == 0
    r = cli("settings", "tax_id", "DE136695977")
    assert r.exit_code == 1 and "not a valid tax ID for DE" in r.stderr


def test_several_settings_at_once_are_all_or_nothing(book: Database) -> None:
    b = Book(book)
    import pytest

    from smallbiz.errors import UserError

    with pytest.raises(UserError, match="IBAN"):
        b.change_settings({"legal_name": "Lost LLC", "bank_accounts": "X, GE00"})
    assert b.company_details().legal_name == ""
    b.change_settings({"legal_name": "Kept LLC", "tax_id": "01001012345"})
    assert (b.company_details().legal_name, b.company_details().tax_id) == (
        "Kept LLC", "01001012345")
