"""Stock schema: products (with running totals) and immutable stock moves.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from smallbiz.db import drop_immutable_table_ddl, immutable_table_ddl

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, server_default="stock"),
        sa.Column("unit", sa.String(16), nullable=False, server_default="pcs"),
        sa.Column("price", sa.BigInteger, nullable=False),
        sa.Column("cost", sa.BigInteger, nullable=True),
        sa.Column("vat_rate", sa.BigInteger, nullable=False),
        sa.Column("reorder_level", sa.BigInteger, nullable=True),
        sa.Column("on_hand", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("stock_value", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("avg_cost", sa.BigInteger, nullable=True),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_product_sku_lower", "product", [sa.text("lower(sku)")], unique=True)
    op.create_index("ix_product_name", "product", ["name"])
    op.create_table(
        "stock_move",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("product.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Integer, nullable=True),
        sa.Column("reverses_id", sa.Integer, sa.ForeignKey("stock_move.id"), nullable=True),
        sa.Column("memo", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_stock_move_product_date", "stock_move", ["product_id", "date", "id"])
    op.create_index("ix_stock_move_source", "stock_move", ["source", "source_id"])
    op.create_index("ix_stock_move_reverses_id", "stock_move", ["reverses_id"])
    for statement in immutable_table_ddl(op.get_bind().dialect.name, "stock_move"):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_immutable_table_ddl(op.get_bind().dialect.name, "stock_move"):
        op.execute(statement)
    op.drop_table("stock_move")
    op.drop_table("product")
