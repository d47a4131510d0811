"""A foreign credit applied to a document of its currency.

- `payment_allocation.exchange`: the book amount of the credit released beyond the
  allocation's `amount` (the credit at the rate it was booked at, less the document's
  part at its own rate: the realised exchange difference of applying it); 0 otherwise.
  The payment's credit is `amount + written_off - SUM(allocation.amount + exchange)`.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payment_allocation", sa.Column("exchange", sa.BigInteger(), nullable=False,
                                                  server_default="0"))


def downgrade() -> None:
    op.drop_column("payment_allocation", "exchange")
