"""The contacts' search documents stored on PostgreSQL: `contact_search`.

A table of one row per contact (contact_id, doc), holding the document
`crm.search.doc_sql` builds, as SQLite's FTS5 table `contact_fts` holds it; the service
code keeps it in step in the same transaction as the contact's writes
(`crm.search.reindex` and its siblings), and `check` compares it with the documents
rebuilt from the tables. The contact search's `doc ILIKE '%text%'` reads it instead of
building every contact's document per query; a trigram GIN index on it
(`ix_contact_search_doc_trgm`, the pg_trgm extension that migration 0022 created when it
could) makes that an index scan. Without the extension the book is upgraded without the
index and the search reads the table, finding the same contacts.

No foreign key to contact: `delete_contact` counts every foreign key to a contact as a
reference that refuses the delete; `crm.search.unindex` removes the row instead, as for
SQLite's `contact_fts`.

SQLite: nothing (it has `contact_fts`).

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# The document as `crm.search.doc_sql` builds it at this revision (PostgreSQL), copied so
# this migration never changes when that code does.
_DIGITS = ("replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), "
           "')', ''), '.', '')")
_FILL = (
    "INSERT INTO contact_search (contact_id, doc) SELECT c.id, "
    "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
    f"COALESCE(NULLIF({_DIGITS}, c.phone), '') || ' ' || "
    "COALESCE((SELECT string_agg(ch.value, ' ' ORDER BY ch.id) FROM contact_channel ch "
    "WHERE ch.contact_id = c.id), '') || ' ' || "
    "COALESCE((SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM contact_tag ct JOIN tag t "
    "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || ' ' || "
    "COALESCE(NULLIF(c.name_latin, lower(c.name)), '') || ' ' || "
    "COALESCE(NULLIF(o.name_latin, lower(o.name)), '') "
    "FROM contact c LEFT JOIN contact o ON o.id = c.organization_id")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    op.execute("CREATE TABLE contact_search (contact_id INTEGER PRIMARY KEY, "
               "doc TEXT NOT NULL)")
    op.execute(_FILL)
    if bind.dialect.name == "postgresql" and bind.execute(sa.text(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        op.execute("CREATE INDEX ix_contact_search_doc_trgm ON contact_search "
                   "USING gin (doc gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS contact_search")
