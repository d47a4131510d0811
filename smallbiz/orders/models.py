"""Tables owned by the orders package (created by migration 0004).

- `trade_order` + `order_line`: sales orders (SO-) and purchase orders (PO-), numbered
  when created. Lines keep their computed net / VAT / gross (half-up per line).
- `shipment` + `shipment_line`: what left (sale) or arrived (purchase) for an order, with
  the stock value moved. One per order today; the lines allow partial shipments later.
- `invoice` + `invoice_line`: invoices (INV-, we sell) and bills (BILL-, we buy),
  numbered when they take effect; `paid` is the sum of live allocations.
- `payment` + `payment_allocation`: money in (PAY-, customer) or out (supplier), one
  payment may settle several documents of one contact.

Posted documents are never edited in place: cancelling sets `status = 'cancelled'`
and `cancelled_on`, and the books and stock get reversals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import smallbiz.books.models  # noqa: F401  (payment.account_id references account)
import smallbiz.crm.models  # noqa: F401  (contact_id references contact, deal_id deal)
import smallbiz.stock.models  # noqa: F401  (recurring_line.product_id references product)
from smallbiz.money import Money, Percent, Quantity, UnitPrice


def _amount() -> Any:
    return Field(default=Decimal(0), sa_type=Money, nullable=False)


def _text(length: int) -> Any:
    return Field(default="", max_length=length, sa_column_kwargs={"server_default": ""})


class _Totals(SQLModel):
    """Net, VAT and gross of a document or a line (currency minor units in the database)."""

    net: Decimal = _amount()
    vat: Decimal = _amount()
    gross: Decimal = _amount()


class _Line(_Totals):
    """What an order line and an invoice line share."""

    position: int
    description: str = Field(default="")
    is_service: bool = False
    unit: str = Field(default="", max_length=16)
    quantity: Decimal = Field(sa_type=Quantity, nullable=False)
    unit_price: Decimal = Field(sa_type=UnitPrice, nullable=False)
    discount: Decimal = Field(default=Decimal(0), sa_type=Percent, nullable=False)
    vat_rate: Decimal = Field(default=Decimal(0), sa_type=Percent, nullable=False)
    # standard | zero (export) | exempt (0013; see smallbiz.orders.lines.VAT_CODES)
    vat_code: str = Field(default="standard", max_length=16,
                          sa_column_kwargs={"server_default": "standard"})


class _Numbered(SQLModel):
    """What every numbered document has: PREFIX-YYYY-NNNN (year and seq kept for the
    gapless check), the contact, its date, and when it was made or cancelled."""

    number: str = Field(max_length=20, unique=True)
    year: int
    seq: int
    contact_id: int = Field(foreign_key="contact.id")
    date: dt.date
    created_at: dt.datetime
    cancelled_on: dt.date | None = None


class TradeOrder(_Numbered, _Totals, table=True):
    __tablename__ = "trade_order"
    __table_args__ = (Index("ix_trade_order_kind_status", "kind", "status"),
                      Index("ix_trade_order_contact", "contact_id", "status"),
                      Index("ix_trade_order_kind_date", "kind", "date"),  # 0005
                      Index("ix_trade_order_quote", "quote_id"),  # 0014
                      # partial (0022): the orders with notes, for the invoice filter's
                      # plain condition (most orders have none)
                      Index("ix_trade_order_noted", "notes", sqlite_where=text("notes <> ''"),
                            postgresql_where=text("notes <> ''")))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # sale | purchase | quote
    status: str = Field(default="draft", max_length=16)
    notes: str = Field(default="")
    updated_at: dt.datetime
    valid_until: dt.date | None = None  # quotes (0014)
    quote_id: int | None = Field(default=None, foreign_key="trade_order.id")
    deal_id: int | None = Field(default=None, foreign_key="deal.id")
    currency: str | None = Field(default=None, max_length=3)  # 0016: priced in it


class OrderLine(_Line, table=True):
    __tablename__ = "order_line"
    __table_args__ = (Index("ix_order_line_product", "product_id", "order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="trade_order.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")  # 0014


class Shipment(SQLModel, table=True):
    """Goods leaving (kind 'shipment', a sale) or arriving (kind 'receipt', a purchase)."""

    __tablename__ = "shipment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="trade_order.id", index=True)
    kind: str = Field(max_length=16)  # shipment | receipt
    date: dt.date
    status: str = Field(default="posted", max_length=16)  # posted | cancelled
    value: Decimal = _amount()  # stock value moved (cost)
    created_at: dt.datetime
    cancelled_on: dt.date | None = None
    # what an electronic waybill (ზედნადები) needs (0013)
    transport_type: str = _text(32)
    vehicle_plate: str = _text(16)
    driver_id: str = _text(16)  # the driver's personal number
    start_address: str = _text(300)
    end_address: str = _text(300)


class ShipmentLine(SQLModel, table=True):
    __tablename__ = "shipment_line"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: Decimal = Field(sa_type=Quantity, nullable=False)
    value: Decimal = _amount()


class Invoice(_Numbered, _Totals, table=True):
    """An invoice we issue (kind 'invoice') or a supplier's bill we book (kind 'bill')."""

    __tablename__ = "invoice"
    __table_args__ = (Index("ix_invoice_contact", "contact_id", "kind", "status"),
                      Index("ix_invoice_kind_status_due", "kind", "status", "due_date"),
                      Index("ix_invoice_kind_date", "kind", "date"),
                      Index("ix_invoice_credits", "credits_id"),
                      Index("ix_invoice_supplier_ref", "contact_id", "supplier_ref"))  # 0016

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # invoice | bill | credit_note | debit_note
    order_id: int | None = Field(default=None, foreign_key="trade_order.id", index=True)
    due_date: dt.date
    status: str = Field(default="open", max_length=16)  # open | paid | posted | cancelled
    paid: Decimal = _amount()
    # the Revenue Service's e-invoice number and status (0013; filled by an integration)
    rs_number: str = _text(64)
    rs_status: str = _text(32)
    credited: Decimal = _amount()  # live credit/debit notes against it (0014)
    credits_id: int | None = Field(default=None, foreign_key="invoice.id")
    with_return: bool = False  # a note that takes the goods back
    # a document in another currency (0017): its currency and rate, gross and paid in
    # it; net / VAT / gross / paid above stay in the book currency (converted)
    currency: str | None = Field(default=None, max_length=3)
    rate: Decimal | None = Field(default=None, sa_type=UnitPrice)
    gross_fx: Decimal | None = Field(default=None, sa_type=Money)
    paid_fx: Decimal | None = Field(default=None, sa_type=Money)
    credited_fx: Decimal | None = Field(default=None, sa_type=Money)  # 0019: by live notes
    supplier_ref: str = _text(64)  # a bill: the supplier's own number for it (0018)


class InvoiceLine(_Line, table=True):
    __tablename__ = "invoice_line"
    __table_args__ = (Index("ix_invoice_line_product", "product_id"),
                      Index("ix_invoice_line_order_line", "order_line_id"))

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")  # 0014
    order_line_id: int | None = Field(default=None, foreign_key="order_line.id")
    credited_line_id: int | None = Field(default=None, foreign_key="invoice_line.id")
    # a foreign document's line (0017): unit_price is in its currency, and so are these
    net_fx: Decimal | None = Field(default=None, sa_type=Money)
    vat_fx: Decimal | None = Field(default=None, sa_type=Money)


class Payment(_Numbered, table=True):
    """Money received from a customer (direction 'in') or paid to a supplier ('out')."""

    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_contact", "contact_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(max_length=8)  # in | out
    account_id: int = Field(foreign_key="account.id")
    amount: Decimal = _amount()
    memo: str = Field(default="")
    status: str = Field(default="posted", max_length=16)  # posted | cancelled
    written_off: Decimal = _amount()  # 0010: the documents' remainder written off
    write_off_account_id: int | None = Field(default=None, foreign_key="account.id")
    # a payment in another currency (0017): amount is the book currency's
    currency: str | None = Field(default=None, max_length=3)
    rate: Decimal | None = Field(default=None, sa_type=UnitPrice)
    amount_fx: Decimal | None = Field(default=None, sa_type=Money)
    written_off_fx: Decimal | None = Field(default=None, sa_type=Money)  # 0019


class PaymentAllocation(SQLModel, table=True):
    __tablename__ = "payment_allocation"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = _amount()
    applied_on: dt.date | None = None  # 0010: the payment's day, or when credit was applied
    amount_fx: Decimal | None = Field(default=None, sa_type=Money)  # 0016
    #: 0021: the credit's book amount released beyond `amount` (a foreign credit applied
    #: at another rate than the document's: the realised exchange difference)
    exchange: Decimal = Field(default=Decimal(0), sa_type=Money, nullable=False,
                              sa_column_kwargs={"server_default": "0"})


class RecurringInvoice(SQLModel, table=True):
    """A template that issues the same invoice every N months on day D (0010)."""

    __tablename__ = "recurring_invoice"
    __table_args__ = (Index("ix_recurring_invoice_contact", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="")
    contact_id: int = Field(foreign_key="contact.id")
    every_months: int
    day: int  # 1..31; a shorter month takes its last day
    start_date: dt.date
    end_date: dt.date | None = None
    status: str = Field(default="active", max_length=16)  # active | stopped
    created_at: dt.datetime


class RecurringLine(SQLModel, table=True):
    __tablename__ = "recurring_line"

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="recurring_invoice.id", index=True)
    position: int
    product_id: int = Field(foreign_key="product.id")
    quantity: Decimal = Field(sa_type=Quantity, nullable=False)
    unit_price: Decimal | None = Field(default=None, sa_type=UnitPrice)  # None: list price
    discount: Decimal | None = Field(default=None, sa_type=Percent)
    description: str = Field(default="")


class RecurringIssue(SQLModel, table=True):
    """One occurrence of a template that was issued: never twice (unique per day)."""

    __tablename__ = "recurring_issue"
    __table_args__ = (UniqueConstraint("template_id", "period",
                                       name="uq_recurring_issue_period"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="recurring_invoice.id")
    period: dt.date
    order_id: int = Field(foreign_key="trade_order.id")
    invoice_id: int = Field(foreign_key="invoice.id")
    created_at: dt.datetime
