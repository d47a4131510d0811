"""The books cannot be changed behind the book's back: seals, an append-only audit log
and a lock date that the database itself enforces.

- `journal_seal`: one row per posting transaction (see `smallbiz.books.seal`); a trigger
  refuses a posting for an entry at or below the newest seal, and seals themselves are
  append-only.
- `audit_log.chain`: each row's SHA-256 over the previous row's chain and its own fields
  (`smallbiz.audit`); the log refuses UPDATE and DELETE.
- The lock date: an entry or posting dated on or before it is refused; the setting only
  moves back right after a `reopen` audit row for that very date (`smallbiz lock
  --reopen`), and cannot be deleted.
- PostgreSQL: TRUNCATE is refused on every immutable table.

Existing books get their current entries sealed and their audit rows chained.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

IMMUTABLE = ("journal_entry", "posting", "stock_move", "audit_log", "journal_seal")

_SQLITE = [
    # Postings only for entries not yet sealed.
    "CREATE TRIGGER posting_sealed BEFORE INSERT ON posting "
    "WHEN NEW.entry_id <= COALESCE((SELECT upto FROM journal_seal ORDER BY id DESC LIMIT 1), 0) "
    "BEGIN SELECT RAISE(ABORT, 'entry is sealed: a posted entry takes no more postings'); END",
    # Nothing on or before the lock date.
    "CREATE TRIGGER journal_entry_locked BEFORE INSERT ON journal_entry "
    "WHEN NEW.date <= (SELECT value FROM setting WHERE key = 'lock_date' AND value <> '') "
    "BEGIN SELECT RAISE(ABORT, 'the books are closed up to the lock date'); END",
    "CREATE TRIGGER posting_locked BEFORE INSERT ON posting "
    "WHEN NEW.date <= (SELECT value FROM setting WHERE key = 'lock_date' AND value <> '') "
    "BEGIN SELECT RAISE(ABORT, 'the books are closed up to the lock date'); END",
    # The lock date moves back only right after its `reopen` audit row.
    "CREATE TRIGGER setting_lock_back BEFORE UPDATE ON setting "
    "WHEN OLD.key = 'lock_date' AND (NEW.key <> OLD.key OR (NEW.value < OLD.value AND "
    "NOT EXISTS (SELECT 1 FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log) "
    "AND action = 'reopen' AND entity = 'lock_date' AND entity_id = NEW.value))) "
    "BEGIN SELECT RAISE(ABORT, 'the lock date only moves back with smallbiz lock --reopen'); END",
    "CREATE TRIGGER setting_lock_delete BEFORE DELETE ON setting WHEN OLD.key = 'lock_date' "
    "BEGIN SELECT RAISE(ABORT, 'the lock date cannot be deleted'); END",
    # Seals only move forward.
    "CREATE TRIGGER journal_seal_forward BEFORE INSERT ON journal_seal "
    "WHEN NEW.upto <= COALESCE((SELECT upto FROM journal_seal ORDER BY id DESC LIMIT 1), 0) "
    "BEGIN SELECT RAISE(ABORT, 'a seal only moves forward'); END",
]

_POSTGRES = [
    """CREATE OR REPLACE FUNCTION smallbiz_lock_date() RETURNS date AS $$
       SELECT NULLIF(value, '')::date FROM setting WHERE key = 'lock_date' $$
       LANGUAGE sql STABLE""",
    """CREATE OR REPLACE FUNCTION smallbiz_posting_guard() RETURNS trigger AS $$ BEGIN
       IF NEW.entry_id <= COALESCE((SELECT upto FROM journal_seal ORDER BY id DESC LIMIT 1), 0)
       THEN RAISE EXCEPTION 'entry is sealed: a posted entry takes no more postings'; END IF;
       IF NEW.date <= smallbiz_lock_date() THEN
         RAISE EXCEPTION 'the books are closed up to the lock date'; END IF;
       RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER posting_guard BEFORE INSERT ON posting "
    "FOR EACH ROW EXECUTE FUNCTION smallbiz_posting_guard()",
    """CREATE OR REPLACE FUNCTION smallbiz_entry_guard() RETURNS trigger AS $$ BEGIN
       IF NEW.date <= smallbiz_lock_date() THEN
         RAISE EXCEPTION 'the books are closed up to the lock date'; END IF;
       RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER journal_entry_guard BEFORE INSERT ON journal_entry "
    "FOR EACH ROW EXECUTE FUNCTION smallbiz_entry_guard()",
    """CREATE OR REPLACE FUNCTION smallbiz_setting_guard() RETURNS trigger AS $$ BEGIN
       IF OLD.key = 'lock_date' THEN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the lock date cannot be deleted'; END IF;
         IF NEW.key <> OLD.key OR (NEW.value < OLD.value AND NOT EXISTS (
             SELECT 1 FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)
             AND action = 'reopen' AND entity = 'lock_date' AND entity_id = NEW.value)) THEN
           RAISE EXCEPTION 'the lock date only moves back with smallbiz lock --reopen';
         END IF;
       END IF;
       IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
       RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER setting_guard BEFORE UPDATE OR DELETE ON setting "
    "FOR EACH ROW EXECUTE FUNCTION smallbiz_setting_guard()",
    """CREATE OR REPLACE FUNCTION smallbiz_seal_guard() RETURNS trigger AS $$ BEGIN
       IF NEW.upto <= COALESCE((SELECT upto FROM journal_seal ORDER BY id DESC LIMIT 1), 0)
       THEN RAISE EXCEPTION 'a seal only moves forward'; END IF;
       RETURN NEW; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER journal_seal_forward BEFORE INSERT ON journal_seal "
    "FOR EACH ROW EXECUTE FUNCTION smallbiz_seal_guard()",
    *(f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
      "FOR EACH STATEMENT EXECUTE FUNCTION smallbiz_immutable()"
      for t in IMMUTABLE),
]


def _chain_audit_rows(conn: sa.Connection) -> None:
    from smallbiz.audit import chain_hash

    previous = ""
    rows = conn.execute(sa.text(
        'SELECT id, at, "user", action, entity, entity_id, summary FROM audit_log ORDER BY id'
    )).all()
    for row in rows:
        previous = chain_hash(previous, *row[1:])
        conn.execute(sa.text("UPDATE audit_log SET chain = :c WHERE id = :i"),
                     {"c": previous, "i": row[0]})


def upgrade() -> None:
    from smallbiz.db import immutable_table_ddl

    conn = op.get_bind()
    dialect = conn.dialect.name
    op.create_table(
        "journal_seal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("upto", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.add_column("audit_log",
                  sa.Column("chain", sa.String(64), nullable=False, server_default=""))
    _chain_audit_rows(conn)
    from smallbiz.books.seal import seal_new_entries
    from smallbiz.sql import on_sqlalchemy

    seal_new_entries(on_sqlalchemy(conn), foreign=False)  # posting.currency: 0017
    for table, message in (("audit_log", "the audit log is append-only"),
                           ("journal_seal", "seals are append-only")):
        for statement in immutable_table_ddl(dialect, table, message):
            op.execute(statement)
    for statement in (_SQLITE if dialect == "sqlite" else _POSTGRES):
        op.execute(statement)


def downgrade() -> None:
    from smallbiz.db import drop_immutable_table_ddl

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("posting_sealed", "journal_entry_locked", "posting_locked",
                     "setting_lock_back", "setting_lock_delete", "journal_seal_forward"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for trigger, table in (("posting_guard", "posting"),
                               ("journal_entry_guard", "journal_entry"),
                               ("setting_guard", "setting"),
                               ("journal_seal_forward", "journal_seal"),
                               *((f"{t}_no_truncate", t) for t in IMMUTABLE)):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for table in ("audit_log", "journal_seal"):
        for statement in drop_immutable_table_ddl(dialect, table):
            op.execute(statement)
    op.drop_table("journal_seal")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("chain")
