"""The invoices' search index (SQLite): `invoice_fts`.

A regular FTS5 table (trigram tokenizer, rowid = invoice.id) holding one search document
per invoice or bill: its number, the supplier's reference and its order's notes. Triggers
keep it in step in the writing transaction itself (an invoice inserted, its number,
reference or order changed, an invoice deleted, an order's notes changed); this
migration fills it for the invoices there are. The invoice list's text filter finds its
number / reference / memo matches through it (`smallbiz.orders.search`), and `check`
compares it with the documents rebuilt from the tables.

PostgreSQL: trigram GIN indexes (the pg_trgm extension) on the lower-case texts the
filter compares (invoice number and supplier's reference, contact name and romanized
name, order notes), which its `lower(x) LIKE '%text%'` uses by itself. Where the
extension cannot be created (not installed on the server, or no right to), the book is
upgraded without them and the filter reads the tables, as before.

Every engine: `ix_trade_order_noted`, the orders that have notes (a partial index), so
the plain condition (texts under three characters on SQLite) reads only those.

Revision ID: 0022
Revises: 0021
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# Copied from smallbiz.orders.search at this revision, so this migration never changes
# when that code does.
_DOC = ("{i}.number || ' ' || {i}.supplier_ref || ' ' || COALESCE((SELECT so.notes FROM "
        "trade_order so WHERE so.id = {i}.order_id), '')")
_CREATE = (
    "CREATE VIRTUAL TABLE invoice_fts USING fts5(doc, tokenize='trigram')",
    "CREATE TRIGGER invoice_fts_insert AFTER INSERT ON invoice BEGIN "
    f"INSERT INTO invoice_fts (rowid, doc) VALUES (NEW.id, {_DOC.format(i='NEW')}); END",
    "CREATE TRIGGER invoice_fts_update AFTER UPDATE OF number, supplier_ref, order_id "
    "ON invoice BEGIN DELETE FROM invoice_fts WHERE rowid = OLD.id; "
    f"INSERT INTO invoice_fts (rowid, doc) VALUES (NEW.id, {_DOC.format(i='NEW')}); END",
    "CREATE TRIGGER invoice_fts_delete AFTER DELETE ON invoice BEGIN "
    "DELETE FROM invoice_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER invoice_fts_notes AFTER UPDATE OF notes ON trade_order BEGIN "
    "DELETE FROM invoice_fts WHERE rowid IN (SELECT i.id FROM invoice i "
    "WHERE i.order_id = NEW.id); "
    f"INSERT INTO invoice_fts (rowid, doc) SELECT i.id, {_DOC.format(i='i')} FROM invoice i "
    "WHERE i.order_id = NEW.id; END",
    f"INSERT INTO invoice_fts (rowid, doc) SELECT i.id, {_DOC.format(i='i')} FROM invoice i",
)


#: PostgreSQL's trigram indexes: (name, table, column).
_TRIGRAM = (("ix_invoice_number_trgm", "invoice", "number"),
            ("ix_invoice_supplier_ref_trgm", "invoice", "supplier_ref"),
            ("ix_contact_name_trgm", "contact", "name"),
            ("ix_contact_name_latin_trgm", "contact", "name_latin"),
            ("ix_trade_order_notes_trgm", "trade_order", "notes"))


def _trigram_extension(bind) -> bool:
    """pg_trgm there, or created now; False (and nothing changed) when it cannot be."""
    import sqlalchemy as sa

    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not bind.execute(sa.text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        return False
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:  # no right to create it
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def upgrade() -> None:
    import sqlalchemy as sa

    # Every engine: the orders that have notes (most have none), for the plain condition.
    op.create_index("ix_trade_order_noted", "trade_order", ["notes"],
                    sqlite_where=sa.text("notes <> ''"), postgresql_where=sa.text("notes <> ''"))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        if _trigram_extension(bind):
            for name, table, column in _TRIGRAM:
                op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                           f"USING gin (lower({column}) gin_trgm_ops)")
        return
    if bind.dialect.name != "sqlite":
        return
    for sql in _CREATE:
        op.execute(sql)


def downgrade() -> None:
    op.drop_index("ix_trade_order_noted", "trade_order")
    if op.get_bind().dialect.name == "postgresql":
        for name, _table, _column in _TRIGRAM:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("invoice_fts_insert", "invoice_fts_update", "invoice_fts_delete",
                    "invoice_fts_notes"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS invoice_fts")
