"""A shorter search document: the contacts' search index rebuilt (SQLite).

The document of a contact (`crm.search.doc_sql`) no longer repeats what a
case-insensitive substring match of the rest already finds: the romanized name when it
is the name lower-cased (a Latin name), the same for its organization, and the phone's
digits when they are the phone as written. Every search finds what it found; the FTS5
trigram index (SQLite) has a fifth fewer trigrams to write and keep for Latin books.
Existing books are re-indexed here; PostgreSQL stored no document at this revision (it
matched the same expression with ILIKE), so nothing changes there (0024 adds its
`contact_search` table).

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_DIGITS = ("replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), "
           "')', ''), '.', '')")
_ORG_LATIN = "COALESCE(o.name_latin, '')"


def _documents(short: bool) -> str:
    """The documents as `crm.search.DOC_SELECT` builds them at this revision (`short`)
    and at the one before."""
    def unless(part: str, same: str) -> str:
        return f"COALESCE(NULLIF({part}, {same}), '')" if short else part

    return (
        "INSERT INTO contact_fts (rowid, doc) SELECT c.id, "
        "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
        f"{unless(_DIGITS, 'c.phone')} || ' ' || "
        "COALESCE((SELECT group_concat(ch.value, ' ') FROM contact_channel ch "
        "WHERE ch.contact_id = c.id), '') || ' ' || "
        "COALESCE((SELECT group_concat(t.name, ' ') FROM contact_tag ct JOIN tag t "
        "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || ' ' || "
        f"{unless('c.name_latin', 'lower(c.name)')} || ' ' || "
        f"{unless('o.name_latin', 'lower(o.name)') if short else _ORG_LATIN} "
        "FROM contact c LEFT JOIN contact o ON o.id = c.organization_id")


def _reindex(short: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.execute(sa.text("DELETE FROM contact_fts"))
    conn.execute(sa.text(_documents(short)))


def upgrade() -> None:
    _reindex(short=True)


def downgrade() -> None:
    _reindex(short=False)
