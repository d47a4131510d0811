"""The orders package's rows as records (`smallbiz.records`); the schema is in models.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from smallbiz.records import BOOL, DATE, DATETIME, MONEY, PERCENT, QTY, UNIT_PRICE, Record

_TOTALS = {"net": MONEY, "vat": MONEY, "gross": MONEY}
_LINE = {**_TOTALS, "is_service": BOOL, "quantity": QTY, "unit_price": UNIT_PRICE,
         "discount": PERCENT, "vat_rate": PERCENT}
_NUMBERED = {"date": DATE, "created_at": DATETIME, "cancelled_on": DATE}


@dataclass
class TradeOrder(Record):
    __table__: ClassVar[str] = "trade_order"
    __stored__: ClassVar[dict[str, str]] = {**_TOTALS, **_NUMBERED, "updated_at": DATETIME,
                                            "valid_until": DATE}

    number: str
    year: int
    seq: int
    contact_id: int
    date: dt.date
    kind: str  # sale | purchase
    status: str
    notes: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    created_at: dt.datetime
    updated_at: dt.datetime
    cancelled_on: dt.date | None = None
    valid_until: dt.date | None = None  # quotes
    quote_id: int | None = None  # the quote an order was accepted from
    deal_id: int | None = None  # the deal a quote belongs to
    currency: str | None = None  # priced in another currency than the book's
    id: int = 0


@dataclass
class _Line(Record):
    """What an order line and an invoice line hold (their own columns follow)."""

    __stored__: ClassVar[dict[str, str]] = _LINE

    position: int
    description: str
    is_service: bool
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass
class OrderLine(_Line):
    __table__: ClassVar[str] = "order_line"

    order_id: int
    product_id: int
    vat_code: str = "standard"  # standard | zero | exempt (orders.lines.VAT_CODES)
    account_id: int | None = None  # the line's own income or expense account
    id: int = 0


@dataclass
class Shipment(Record):
    __table__: ClassVar[str] = "shipment"
    __stored__: ClassVar[dict[str, str]] = {"date": DATE, "value": MONEY,
                                            "created_at": DATETIME, "cancelled_on": DATE}

    order_id: int
    kind: str  # shipment | receipt
    date: dt.date
    status: str  # posted | cancelled
    value: Decimal
    created_at: dt.datetime
    cancelled_on: dt.date | None = None
    # waybill (ზედნადები) fields
    transport_type: str = ""
    vehicle_plate: str = ""
    driver_id: str = ""
    start_address: str = ""
    end_address: str = ""
    id: int = 0


@dataclass
class ShipmentLine(Record):
    __table__: ClassVar[str] = "shipment_line"
    __stored__: ClassVar[dict[str, str]] = {"quantity": QTY, "value": MONEY}

    shipment_id: int
    order_line_id: int
    product_id: int
    quantity: Decimal
    value: Decimal
    id: int = 0


@dataclass
class Invoice(Record):
    __table__: ClassVar[str] = "invoice"
    __stored__: ClassVar[dict[str, str]] = {**_TOTALS, **_NUMBERED, "due_date": DATE,
                                            "paid": MONEY, "credited": MONEY,
                                            "with_return": BOOL, "rate": UNIT_PRICE,
                                            "gross_fx": MONEY, "paid_fx": MONEY,
                                            "credited_fx": MONEY}

    number: str
    year: int
    seq: int
    kind: str  # invoice | bill | credit_note | debit_note
    contact_id: int
    order_id: int | None
    date: dt.date
    due_date: dt.date
    status: str  # open | paid | cancelled; a note: posted | cancelled
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    created_at: dt.datetime
    cancelled_on: dt.date | None = None
    rs_number: str = ""  # the Revenue Service's e-invoice number and status
    rs_status: str = ""
    credited: Decimal = Decimal(0)  # live notes against this invoice or bill
    credits_id: int | None = None  # a note: the invoice or bill it credits
    with_return: bool = False  # a note: the goods come back
    currency: str | None = None  # a foreign document: its currency (amounts above: book's)
    rate: Decimal | None = None
    gross_fx: Decimal | None = None
    paid_fx: Decimal | None = None
    credited_fx: Decimal | None = None  # a foreign document: by its live notes, in it
    supplier_ref: str = ""  # a bill: the supplier's own number for it
    id: int = 0


@dataclass
class InvoiceLine(_Line):
    __table__: ClassVar[str] = "invoice_line"
    __stored__: ClassVar[dict[str, str]] = {**_LINE, "net_fx": MONEY, "vat_fx": MONEY}

    invoice_id: int
    product_id: int | None
    vat_code: str = "standard"
    account_id: int | None = None  # the line's own income or expense account
    order_line_id: int | None = None  # the order line it invoices
    credited_line_id: int | None = None  # a note's line: the line it credits
    net_fx: Decimal | None = None  # a foreign document's line, in its currency
    vat_fx: Decimal | None = None
    id: int = 0


@dataclass
class Payment(Record):
    __table__: ClassVar[str] = "payment"
    __stored__: ClassVar[dict[str, str]] = {**_NUMBERED, "amount": MONEY,
                                            "written_off": MONEY, "rate": UNIT_PRICE,
                                            "amount_fx": MONEY, "written_off_fx": MONEY}

    number: str
    year: int
    seq: int
    direction: str  # in | out
    contact_id: int
    account_id: int
    date: dt.date
    amount: Decimal
    memo: str
    status: str  # posted | cancelled
    created_at: dt.datetime
    cancelled_on: dt.date | None = None
    written_off: Decimal = Decimal(0)
    write_off_account_id: int | None = None
    currency: str | None = None  # a foreign payment: amount_fx at rate (amount: book's)
    rate: Decimal | None = None
    amount_fx: Decimal | None = None
    written_off_fx: Decimal | None = None  # a foreign payment's write-off, in its currency
    id: int = 0


@dataclass
class PaymentAllocation(Record):
    __table__: ClassVar[str] = "payment_allocation"
    __stored__: ClassVar[dict[str, str]] = {"amount": MONEY, "applied_on": DATE,
                                            "amount_fx": MONEY, "exchange": MONEY}

    payment_id: int
    invoice_id: int
    amount: Decimal
    applied_on: dt.date | None = None
    amount_fx: Decimal | None = None  # a foreign payment's allocation, in its currency
    #: the credit's book amount released beyond `amount` (a foreign credit applied at
    #: another rate than the document's); the payment's credit falls by amount + exchange
    exchange: Decimal = Decimal(0)
    id: int = 0


@dataclass
class RecurringInvoice(Record):
    __table__: ClassVar[str] = "recurring_invoice"
    __stored__: ClassVar[dict[str, str]] = {"start_date": DATE, "end_date": DATE,
                                            "created_at": DATETIME}

    name: str
    contact_id: int
    every_months: int
    day: int
    start_date: dt.date
    end_date: dt.date | None
    status: str  # active | stopped
    created_at: dt.datetime
    id: int = 0


@dataclass
class RecurringLine(Record):
    __table__: ClassVar[str] = "recurring_line"
    __stored__: ClassVar[dict[str, str]] = {"quantity": QTY, "unit_price": UNIT_PRICE,
                                            "discount": PERCENT}

    template_id: int
    position: int
    product_id: int
    quantity: Decimal
    unit_price: Decimal | None
    discount: Decimal | None
    description: str
    id: int = 0


@dataclass
class RecurringIssue(Record):
    __table__: ClassVar[str] = "recurring_issue"
    __stored__: ClassVar[dict[str, str]] = {"period": DATE, "created_at": DATETIME}

    template_id: int
    period: dt.date
    order_id: int
    invoice_id: int
    created_at: dt.datetime
    id: int = 0
