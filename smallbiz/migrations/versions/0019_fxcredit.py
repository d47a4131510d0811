"""Credit and debit notes on documents in another currency.

- `invoice.credited_fx`: a foreign invoice's or bill's amount credited by its live notes,
  in its currency (its balance due in it is gross_fx - paid_fx - credited_fx); NULL on a
  book-currency document;
- `payment.written_off_fx`: a foreign payment's write-off in the documents' currency
  (so its foreign credit is amount_fx + written_off_fx less its allocations').

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoice", sa.Column("credited_fx", sa.BigInteger, nullable=True))
    op.add_column("payment", sa.Column("written_off_fx", sa.BigInteger, nullable=True))
    op.execute("UPDATE invoice SET credited_fx = 0 WHERE currency IS NOT NULL "
               "AND kind IN ('invoice', 'bill')")


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+), as 0018's downgrade
    op.drop_column("payment", "written_off_fx")
    op.drop_column("invoice", "credited_fx")
