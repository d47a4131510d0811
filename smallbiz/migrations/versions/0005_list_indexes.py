"""Index for paging orders by date: the Sales and Purchases lists on a big book.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # id is the rowid, so (kind, date) orders by (kind, date, id) without a sort
    op.create_index("ix_trade_order_kind_date", "trade_order", ["kind", "date"])


def downgrade() -> None:
    op.drop_index("ix_trade_order_kind_date", table_name="trade_order")
