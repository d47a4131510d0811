"""Orders schema: sales/purchase orders, shipments, invoices and bills, payments.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger, nullable=False, server_default="0")


def _line_amounts() -> list[sa.Column]:
    return [
        sa.Column("description", sa.String, nullable=False, server_default=""),
        sa.Column("is_service", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("unit", sa.String(16), nullable=False, server_default=""),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("unit_price", sa.BigInteger, nullable=False),
        sa.Column("discount", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("vat_rate", sa.BigInteger, nullable=False, server_default="0"),
        _money("net"), _money("vat"), _money("gross"),
    ]


def _numbered(kind: str, kind_len: int) -> list[sa.Column]:
    """The columns of a numbered document: id, kind, number (PREFIX-YYYY-NNNN), contact."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(kind, sa.String(kind_len), nullable=False),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
    ]


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("cancelled_on", sa.Date, nullable=True)]


def upgrade() -> None:
    op.create_table(
        "trade_order",
        *_numbered("kind", 16),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        sa.Column("notes", sa.String, nullable=False, server_default=""),
        _money("net"), _money("vat"), _money("gross"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("cancelled_on", sa.Date, nullable=True),
    )
    op.create_index("ix_trade_order_kind_status", "trade_order", ["kind", "status"])
    op.create_index("ix_trade_order_contact", "trade_order", ["contact_id", "status"])
    op.create_table(
        "order_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("trade_order.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("product.id"), nullable=False),
        *_line_amounts(),
    )
    op.create_index("ix_order_line_order_id", "order_line", ["order_id"])
    op.create_index("ix_order_line_product", "order_line", ["product_id", "order_id"])
    op.create_table(
        "shipment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("trade_order.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="posted"),
        _money("value"),
        *_stamps(),
    )
    op.create_index("ix_shipment_order_id", "shipment", ["order_id"])
    op.create_table(
        "shipment_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shipment_id", sa.Integer, sa.ForeignKey("shipment.id"), nullable=False),
        sa.Column("order_line_id", sa.Integer, sa.ForeignKey("order_line.id"), nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("product.id"), nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        _money("value"),
    )
    op.create_index("ix_shipment_line_shipment_id", "shipment_line", ["shipment_id"])
    op.create_index("ix_shipment_line_order_line_id", "shipment_line", ["order_line_id"])
    op.create_table(
        "invoice",
        *_numbered("kind", 16),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("trade_order.id"), nullable=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        _money("net"), _money("vat"), _money("gross"), _money("paid"),
        *_stamps(),
    )
    op.create_index("ix_invoice_contact", "invoice", ["contact_id", "kind", "status"])
    op.create_index("ix_invoice_kind_status_due", "invoice", ["kind", "status", "due_date"])
    op.create_index("ix_invoice_kind_date", "invoice", ["kind", "date"])
    op.create_index("ix_invoice_order_id", "invoice", ["order_id"])
    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("invoice_id", sa.Integer, sa.ForeignKey("invoice.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("product.id"), nullable=True),
        *_line_amounts(),
    )
    op.create_index("ix_invoice_line_invoice_id", "invoice_line", ["invoice_id"])
    op.create_index("ix_invoice_line_product", "invoice_line", ["product_id"])
    op.create_table(
        "payment",
        *_numbered("direction", 8),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        _money("amount"),
        sa.Column("memo", sa.String, nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="posted"),
        *_stamps(),
    )
    op.create_index("ix_payment_contact", "payment", ["contact_id", "date"])
    op.create_table(
        "payment_allocation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("payment_id", sa.Integer, sa.ForeignKey("payment.id"), nullable=False),
        sa.Column("invoice_id", sa.Integer, sa.ForeignKey("invoice.id"), nullable=False),
        _money("amount"),
    )
    op.create_index("ix_payment_allocation_payment_id", "payment_allocation", ["payment_id"])
    op.create_index("ix_payment_allocation_invoice_id", "payment_allocation", ["invoice_id"])


def downgrade() -> None:
    for table in ("payment_allocation", "payment", "invoice_line", "invoice", "shipment_line",
                  "shipment", "order_line", "trade_order"):
        op.drop_table(table)
