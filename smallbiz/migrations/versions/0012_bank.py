"""The bank: statements, statement lines, matching rules, CSV/XLSX column mappings.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_statement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String, nullable=False, server_default=""),
        sa.Column("currency", sa.String(3), nullable=False, server_default=""),
        sa.Column("start_date", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("closing_date", sa.Date, nullable=True),
        sa.Column("closing_balance", sa.BigInteger, nullable=True),
        sa.Column("lines", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duplicates", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_bank_statement_account_id", "bank_statement", ["account_id"])
    op.create_table(
        "bank_line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("bank_statement.id"),
                  nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("description", sa.String, nullable=False, server_default=""),
        sa.Column("counterparty", sa.String, nullable=False, server_default=""),
        sa.Column("reference", sa.String, nullable=False, server_default=""),
        sa.Column("balance", sa.BigInteger, nullable=True),
        sa.Column("dedup_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="unmatched"),
        sa.Column("match_kind", sa.String(16), nullable=True),
        sa.Column("payment_id", sa.Integer, sa.ForeignKey("payment.id"), nullable=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("journal_entry.id"), nullable=True),
        sa.Column("rule_id", sa.Integer, nullable=True),
        sa.Column("matched_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("account_id", "dedup_key", name="uq_bank_line_account_key"),
    )
    # few indexes: an import writes 10,000 lines at once (statement and payment ids are
    # never searched; entry ids are, by unmatch of a transfer and by check)
    op.create_index("ix_bank_line_entry_id", "bank_line", ["entry_id"])
    op.create_index("ix_bank_line_account_status_date", "bank_line",
                    ["account_id", "status", "date"])
    op.create_index("ix_bank_line_account_date", "bank_line", ["account_id", "date", "id"])
    op.create_table(
        "bank_rule",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text_contains", sa.String, nullable=False, server_default=""),
        sa.Column("counterparty", sa.String, nullable=False, server_default=""),
        sa.Column("amount_min", sa.BigInteger, nullable=True),
        sa.Column("amount_max", sa.BigInteger, nullable=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=True),
        sa.Column("memo", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "bank_mapping",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("spec", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("bank_mapping", "bank_rule", "bank_line", "bank_statement"):
        op.drop_table(table)
