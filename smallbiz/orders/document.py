"""What an invoice (or bill) says, as plain data: the input of the PDF renderer.

`invoice_document(s, number)` in `smallbiz.orders.invoices` builds one;
`smallbiz.io.invoice_pdf.render_invoice_pdf(doc, path)` prints it. Amounts are Decimals
already rounded to the currency's `digits`; quantities are Decimals (up to 3 decimals),
VAT rates and discounts are percentages (`Decimal("18")`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz import settings
from smallbiz.sql import Tx


@dataclass(frozen=True)
class Party:
    """The seller or the buyer as printed on the document."""

    name: str
    address: list[str] = field(default_factory=list)  # street, "postcode city", country
    tax_id: str = ""
    email: str = ""
    phone: str = ""
    country: str = ""  # as written (contacts) or an ISO code (the book's own)
    legal_form: str = ""  # შპს / LLC, ...
    actual_address: str = ""  # where the firm works, when not its legal address
    banks: list[settings.BankAccount] = field(default_factory=list)
    director: str = ""
    vat_payer: bool = False
    logo: str = ""  # a PNG/JPEG path, "" for none


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal  # percent
    discount: Decimal  # percent, 0 when none
    net: Decimal
    vat: Decimal
    gross: Decimal
    sku: str = ""
    vat_code: str = "standard"  # standard | zero | exempt


@dataclass(frozen=True)
class VatTotal:
    rate: Decimal  # percent
    net: Decimal
    vat: Decimal
    gross: Decimal
    code: str = "standard"  # standard | zero | exempt


@dataclass(frozen=True)
class InvoiceDocument:
    kind: str  # "invoice" (we sell) or "bill" (we buy)
    number: str
    date: dt.date
    due_date: dt.date
    status: str  # open, paid, cancelled
    currency: str
    digits: int
    company: Party  # us
    customer: Party  # the counterparty (the supplier on a bill)
    lines: list[DocumentLine]
    vat_totals: list[VatTotal]  # one row per VAT rate
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    paid: Decimal
    balance_due: Decimal
    order_number: str = ""
    languages: tuple[str, ...] = ("en",)  # the labels' languages: ("ka",), ("en",), both


def seller(s: Tx) -> Party:
    """The book's own firm as its documents print it (settings.company_details)."""
    c = settings.company_details(s)
    return Party(c.printed_name, [c.legal_address] if c.legal_address else [], c.tax_id,
                 c.email, c.phone, c.country, c.legal_form,
                 c.actual_address if c.actual_address != c.legal_address else "",
                 c.bank_accounts, c.director, c.vat_payer, c.logo)


def document_languages(s: Tx, customer_country: str, asked: str | None = None
                       ) -> tuple[str, ...]:
    """The languages an invoice is labelled in: `asked` (ka, en, ka+en), else the
    book's `invoice_language`; `auto` is English for a customer abroad, else Georgian
    for a Georgian book (its country GE) and English otherwise."""
    from smallbiz.taxid import country_code

    choice = asked or settings.get_raw(s, "invoice_language") or "auto"
    if choice == "auto":
        home = (settings.get_raw(s, "country") or "GE").lower()
        abroad = country_code(customer_country) not in ("", home)
        choice = "en" if abroad or home != "ge" else "ka"
    return tuple(choice.split("+"))
