"""Initial schema: settings, audit trail, numbering, contacts, accounts, journal.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from smallbiz.db import drop_immutable_table_ddl, immutable_table_ddl

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String, nullable=False, server_default=""),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("summary", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity"])
    op.create_table(
        "number_sequence",
        sa.Column("prefix", sa.String(8), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False, server_default="person"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("organization_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=True),
        sa.Column("is_customer", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_supplier", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_lead", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(64), nullable=False, server_default=""),
        sa.Column("street", sa.String(200), nullable=False, server_default=""),
        sa.Column("city", sa.String(100), nullable=False, server_default=""),
        sa.Column("postcode", sa.String(32), nullable=False, server_default=""),
        sa.Column("country", sa.String(100), nullable=False, server_default=""),
        sa.Column("tax_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("notes", sa.String, nullable=False, server_default=""),
        sa.Column("payment_terms_days", sa.Integer, nullable=True),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_contact_name", "contact", ["name"])
    op.create_index("ix_contact_email", "contact", ["email"])
    op.create_index("ix_contact_organization_id", "contact", ["organization_id"])
    op.create_index("ix_contact_archived", "contact", ["archived"])
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("account.id"), nullable=True),
        sa.Column("role", sa.String(32), nullable=True, unique=True),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("memo", sa.String, nullable=False, server_default=""),
        sa.Column("source", sa.String(16), nullable=False, server_default="manual"),
        sa.Column("source_id", sa.Integer, nullable=True),
        sa.Column("reverses_id", sa.Integer, sa.ForeignKey("journal_entry.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_journal_entry_date_id", "journal_entry", ["date", "id"])
    op.create_index("ix_journal_entry_source", "journal_entry", ["source", "source_id"])
    op.create_index("ix_journal_entry_reverses_id", "journal_entry", ["reverses_id"])
    op.create_table(
        "posting",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("journal_entry.id"), nullable=False),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=True),
        sa.Column("memo", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_posting_entry_id", "posting", ["entry_id"])
    op.create_index("ix_posting_account_date", "posting", ["account_id", "date", "id"])
    op.create_index("ix_posting_date_account_amount", "posting", ["date", "account_id", "amount"])
    op.create_index("ix_posting_contact", "posting", ["contact_id", "account_id"])
    op.create_table(
        "account_period",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False, server_default="0"),
    )
    dialect = op.get_bind().dialect.name
    for table in ("journal_entry", "posting"):
        for statement in immutable_table_ddl(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in ("journal_entry", "posting"):
        for statement in drop_immutable_table_ddl(dialect, table):
            op.execute(statement)
    for table in ("account_period", "posting", "journal_entry", "account", "contact",
                  "number_sequence", "audit_log", "setting"):
        op.drop_table(table)
