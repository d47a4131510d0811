"""Journal entries' document and reversal indexes hold only entries that have one.

Manual and imported entries (every line of an imported journal) have no source document
and reverse nothing; indexing their NULLs cost a quarter of a bulk import's entry inserts
and was never read. Every lookup asks `source = ... AND source_id = ...` or
`reverses_id = ...`, which partial indexes `WHERE source_id IS NOT NULL` and
`WHERE reverses_id IS NOT NULL` answer.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PARTIAL = {
    "ix_journal_entry_source": (["source", "source_id"], "source_id IS NOT NULL"),
    "ix_journal_entry_reverses_id": (["reverses_id"], "reverses_id IS NOT NULL"),
}


def upgrade() -> None:
    for name, (columns, where) in _PARTIAL.items():
        op.drop_index(name, table_name="journal_entry")
        op.create_index(name, "journal_entry", columns, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, (columns, _where) in _PARTIAL.items():
        op.drop_index(name, table_name="journal_entry")
        op.create_index(name, "journal_entry", columns)
