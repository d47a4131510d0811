"""The posting-by-contact index holds only postings that name a contact.

Most postings (every imported journal line, bank, VAT, stock and expense lines) have no
contact; indexing them cost a fifth of a bulk import's inserts and was never read: the
sub-ledger queries ask for `contact_id = ...` or `contact_id IS NOT NULL`, which a partial
index `WHERE contact_id IS NOT NULL` answers (so does the foreign-key check on deleting a
contact).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_WHERE = sa.text("contact_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_posting_contact", table_name="posting")
    op.create_index("ix_posting_contact", "posting", ["contact_id", "account_id"],
                    sqlite_where=_WHERE, postgresql_where=_WHERE)


def downgrade() -> None:
    op.drop_index("ix_posting_contact", table_name="posting")
    op.create_index("ix_posting_contact", "posting", ["contact_id", "account_id"])
