"""One posting index less: the ledger index carries the amount.

A report reads `posting` only for the partial months at the edges of its range (whole
months come from `account_period`). It did so through its own covering index
(date, account_id, amount); it now sums each account's few days through the ledger
index (account_id, date, id), which carries the amount for that. Every posting written
(a bulk import above all) maintains one index less.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_posting_date_account_amount", table_name="posting")
    op.drop_index("ix_posting_account_date", table_name="posting")
    op.create_index("ix_posting_account_date", "posting", ["account_id", "date", "id", "amount"])


def downgrade() -> None:
    op.drop_index("ix_posting_account_date", table_name="posting")
    op.create_index("ix_posting_account_date", "posting", ["account_id", "date", "id"])
    op.create_index("ix_posting_date_account_amount", "posting", ["date", "account_id", "amount"])
