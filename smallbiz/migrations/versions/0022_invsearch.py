"""The invoices' search index (SQLite): `invoice_fts`.

A regular FTS5 table (trigram tokenizer, rowid = invoice.id) holding one search document
per invoice or bill: its number, the supplier's reference and its order's notes. Triggers
keep it in step in the writing transaction itself (an invoice inserted, its number,
reference or order changed, an invoice deleted, an order's notes changed); this
migration fills it for the invoices there are. The invoice list's text filter finds its
number / reference / memo matches through it (`smallbiz.orders.search`), and `check`
compares it with the documents rebuilt from the tables. Other databases: nothing (their
filter reads the tables).

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


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for sql in _CREATE:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("invoice_fts_insert", "invoice_fts_update", "invoice_fts_delete",
                    "invoice_fts_notes"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS invoice_fts")
