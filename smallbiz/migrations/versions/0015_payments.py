"""Payments over several documents with credit and write-off; recurring invoices.

- `payment.written_off` / `payment.write_off_account_id`: the small remainder of the
  payment's documents written off to an account in the same entry;
- `payment_allocation.applied_on`: the day an allocation took effect (the payment's day,
  or later when a customer's credit is applied to an invoice); filled for existing rows;
- `recurring_invoice` + `recurring_line`: templates (customer, lines, every N months on
  day D, from a start to an optional end); `recurring_issue`: one row per occurrence
  issued, unique per template and day, so no occurrence is ever issued twice.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines (a batch copy of `payment` would have to drop a
    # table that payment_allocation references).
    op.add_column("payment", sa.Column("written_off", sa.BigInteger, nullable=False,
                                       server_default="0"))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only inline
        op.execute("ALTER TABLE payment ADD COLUMN write_off_account_id INTEGER "
                   "REFERENCES account (id)")
    else:
        op.add_column("payment", sa.Column("write_off_account_id", sa.Integer,
                                           sa.ForeignKey("account.id"), nullable=True))
    op.add_column("payment_allocation", sa.Column("applied_on", sa.Date, nullable=True))
    op.execute("UPDATE payment_allocation SET applied_on = (SELECT p.date FROM payment p "
               "WHERE p.id = payment_allocation.payment_id)")
    op.create_table(
        "recurring_invoice",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, server_default=""),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("every_months", sa.Integer, nullable=False),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_recurring_invoice_contact", "recurring_invoice", ["contact_id"])
    op.create_table(
        "recurring_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("recurring_invoice.id"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("product.id"), nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("unit_price", sa.BigInteger, nullable=True),
        sa.Column("discount", sa.BigInteger, nullable=True),
        sa.Column("description", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_recurring_line_template_id", "recurring_line", ["template_id"])
    op.create_table(
        "recurring_issue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("recurring_invoice.id"),
                  nullable=False),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("trade_order.id"), nullable=False),
        sa.Column("invoice_id", sa.Integer, sa.ForeignKey("invoice.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("template_id", "period", name="uq_recurring_issue_period"),
    )


def downgrade() -> None:
    op.drop_table("recurring_issue")
    op.drop_index("ix_recurring_line_template_id", table_name="recurring_line")
    op.drop_table("recurring_line")
    op.drop_index("ix_recurring_invoice_contact", table_name="recurring_invoice")
    op.drop_table("recurring_invoice")
    with op.batch_alter_table("payment_allocation") as batch:
        batch.drop_column("applied_on")
    with op.batch_alter_table("payment") as batch:
        batch.drop_column("write_off_account_id")
        batch.drop_column("written_off")
