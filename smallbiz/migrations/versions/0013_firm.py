"""A Georgian firm: VAT codes on lines, waybill and Revenue Service fields, romanized names.

- `order_line.vat_code`, `invoice_line.vat_code`: `standard` (a positive rate), `zero`
  (0 %, export: zero-rated, with the right to deduct input VAT) or `exempt` (0 %, no VAT
  and outside the taxable turnover). A 0 % rate alone cannot tell the last two apart and
  the monthly VAT declaration reports them on different lines. Existing lines: a positive
  rate is `standard`, 0 % is `exempt`.
- `shipment`: what an electronic waybill (ზედნადები) needs: transport type, vehicle
  plate, driver's personal number, start and end address.
- `invoice`: the Revenue Service's number and status of the e-invoice (filled by a later
  integration; empty until then).
- `contact.name_latin`: the name (and nothing else) in the national romanization of
  Georgian, lower case, so Latin queries find Georgian names and back. The search index
  (SQLite) includes it: rebuilt here for the contacts already there. A covering index
  `ix_contact_active_latin` keeps the short (1-2 character) queries' walk fast.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from smallbiz.romanize import romanize

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_SHIPMENT = ("transport_type", "vehicle_plate", "driver_id", "start_address", "end_address")
_LIMITS = {"transport_type": 32, "vehicle_plate": 16, "driver_id": 16, "start_address": 300,
           "end_address": 300}


def _text(name: str, length: int, default: str = "") -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False, server_default=default)


def upgrade() -> None:
    for table in ("order_line", "invoice_line"):
        op.add_column(table, _text("vat_code", 16, "standard"))
        op.execute(f"UPDATE {table} SET vat_code = 'exempt' WHERE vat_rate = 0")
    for name in _SHIPMENT:
        op.add_column("shipment", _text(name, _LIMITS[name]))
    op.add_column("invoice", _text("rs_number", 64))
    op.add_column("invoice", _text("rs_status", 32))
    op.add_column("contact", _text("name_latin", 400))
    # the short-query walk in name order tests name_latin: covered, as name_key was
    op.create_index("ix_contact_active_latin", "contact",
                    ["archived", "name_key", "id", "name_latin"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM contact")).fetchall()
    if rows:
        conn.execute(sa.text("UPDATE contact SET name_latin = :v WHERE id = :i"),
                     [{"v": romanize(name), "i": cid} for cid, name in rows])
    if conn.dialect.name == "sqlite" and rows:
        # The search documents now carry the romanized names (as crm.search.DOC_SELECT
        # builds them at this revision).
        conn.execute(sa.text("DELETE FROM contact_fts"))
        conn.execute(sa.text(
            "INSERT INTO contact_fts (rowid, doc) SELECT c.id, "
            "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
            "replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), "
            "')', ''), '.', '') || ' ' || "
            "COALESCE((SELECT group_concat(ch.value, ' ') FROM contact_channel ch "
            "WHERE ch.contact_id = c.id), '') || ' ' || "
            "COALESCE((SELECT group_concat(t.name, ' ') FROM contact_tag ct JOIN tag t "
            "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || ' ' || "
            "c.name_latin || ' ' || COALESCE(o.name_latin, '') "
            "FROM contact c LEFT JOIN contact o ON o.id = c.organization_id"))


def downgrade() -> None:
    op.drop_index("ix_contact_active_latin", table_name="contact")
    with op.batch_alter_table("contact") as t:
        t.drop_column("name_latin")
    with op.batch_alter_table("invoice") as t:
        t.drop_column("rs_status")
        t.drop_column("rs_number")
    with op.batch_alter_table("shipment") as t:
        for name in reversed(_SHIPMENT):
            t.drop_column(name)
    for table in ("invoice_line", "order_line"):
        with op.batch_alter_table(table) as t:
            t.drop_column("vat_code")
