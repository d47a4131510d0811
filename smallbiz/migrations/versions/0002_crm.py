"""CRM schema: name key and channel labels on contacts, further emails/phones, tags,
interactions, deals, and (SQLite) the FTS5 trigram search index.

Revision ID: 0002
Revises: 0001
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The search document of a contact, exactly as smallbiz.crm.search.DOC_SELECT builds it
# at this revision (copied, so this migration never changes when that code does).
_FTS_FILL = (
    "INSERT INTO contact_fts (rowid, doc) "
    "SELECT c.id, "
    "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
    "replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), "
    "'.', '') || ' ' || "
    "COALESCE((SELECT group_concat(ch.value, ' ') FROM contact_channel ch "
    "WHERE ch.contact_id = c.id), '') || ' ' || "
    "COALESCE((SELECT group_concat(t.name, ' ') FROM contact_tag ct JOIN tag t "
    "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') "
    "FROM contact c LEFT JOIN contact o ON o.id = c.organization_id")


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def upgrade() -> None:
    op.add_column("contact", sa.Column("name_key", sa.String(200), nullable=False,
                                       server_default=""))
    op.add_column("contact", sa.Column("email_label", sa.String(32), nullable=False,
                                       server_default=""))
    op.add_column("contact", sa.Column("phone_label", sa.String(32), nullable=False,
                                       server_default=""))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM contact")).all()
    if rows:
        bind.execute(sa.text("UPDATE contact SET name_key = :k WHERE id = :i"),
                     [{"k": _name_key(name), "i": cid} for cid, name in rows])
    op.create_index("ix_contact_name_key", "contact", ["name_key", "id"])
    # The contact list walks (archived, name_key, id) in order; an index on archived alone
    # would lead SQLite to sort every active contact instead.
    op.drop_index("ix_contact_archived", "contact")
    op.create_index("ix_contact_active_name", "contact", ["archived", "name_key", "id"])

    op.create_table(
        "contact_channel",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("label", sa.String(32), nullable=False, server_default=""),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_contact_channel_contact", "contact_channel",
                    ["contact_id", "kind", "position"])
    op.create_index("ix_contact_channel_value", "contact_channel", ["kind", "value"])

    op.create_table(
        "tag",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "contact_tag",
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tag.id"), primary_key=True),
    )
    op.create_index("ix_contact_tag_tag_id", "contact_tag", ["tag_id"])

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("summary", sa.String, nullable=False),
        sa.Column("follow_up", sa.Date, nullable=True),
        sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("done_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_interaction_contact_date", "interaction", ["contact_id", "date", "id"])
    op.create_index("ix_interaction_due", "interaction", ["done", "follow_up", "id"])

    op.create_table(
        "deal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("probability", sa.BigInteger, nullable=False),  # hundredths of a percent
        sa.Column("expected_close", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_deal_stage_close", "deal", ["stage", "expected_close"])
    op.create_index("ix_deal_contact", "deal", ["contact_id"])

    if bind.dialect.name == "sqlite":
        # A regular FTS5 table (it keeps its own copy of each search document), rowid =
        # contact.id; substring search in any script through the trigram tokenizer.
        op.execute("CREATE VIRTUAL TABLE contact_fts USING fts5(doc, tokenize='trigram')")
        op.execute(_FTS_FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS contact_fts")
    for table in ("deal", "interaction", "contact_tag", "tag", "contact_channel"):
        op.drop_table(table)
    op.drop_index("ix_contact_active_name", "contact")
    op.create_index("ix_contact_archived", "contact", ["archived"])
    op.drop_index("ix_contact_name_key", "contact")
    for column in ("phone_label", "email_label", "name_key"):
        op.drop_column("contact", column)
