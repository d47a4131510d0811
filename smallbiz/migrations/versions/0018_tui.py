"""The supplier's own reference on a bill.

- `invoice.supplier_ref`: the number the supplier gave their bill (their invoice number),
  kept on our BILL- so a bank line that names it can be matched and the VAT return's
  purchases can be traced to the supplier's document; empty on invoices and on bills
  booked before. Indexed with the supplier, so the same reference is not booked twice.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoice", sa.Column("supplier_ref", sa.String(64), nullable=False,
                                       server_default=""))
    op.create_index("ix_invoice_supplier_ref", "invoice", ["contact_id", "supplier_ref"])


def downgrade() -> None:
    op.drop_index("ix_invoice_supplier_ref", table_name="invoice")
    # a plain DROP COLUMN (SQLite 3.35+): a batch copy of `invoice` would turn its inline
    # references into table constraints, which the older revisions' downgrades cannot drop
    op.drop_column("invoice", "supplier_ref")
