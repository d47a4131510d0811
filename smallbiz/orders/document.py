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


@dataclass(frozen=True)
class Party:
    """The seller or the buyer as printed on the document."""

    name: str
    address: list[str] = field(default_factory=list)  # street, "postcode city", country
    tax_id: str = ""
    email: str = ""
    phone: str = ""


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


@dataclass(frozen=True)
class VatTotal:
    rate: Decimal  # percent
    net: Decimal
    vat: Decimal
    gross: Decimal


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
