"""A product's expense account.

- `product.expense_account_id`: the expense account a bill's line for this service
  posts to when the line names none (none: Other expenses, the `expenses` role).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (a batch copy of `product` would have to drop a table that order
    # lines, stock moves and recurring lines reference).
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only inline
        op.execute("ALTER TABLE product ADD COLUMN expense_account_id INTEGER "
                   "REFERENCES account (id)")
    else:
        op.add_column("product", sa.Column("expense_account_id", sa.Integer,
                                           sa.ForeignKey("account.id"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.drop_column("expense_account_id")
