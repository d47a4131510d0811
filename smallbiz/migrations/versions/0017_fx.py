"""Foreign currency: the rate table, foreign amounts on postings and documents, and the
exchange gain / loss accounts.

- `fx_rate`: the book's rate table, one rate per currency and day (book currency per
  one unit, in millionths);
- `posting.currency` / `amount_fx` / `rate`: a posting of a foreign amount keeps it and
  the rate it was converted at (NULL: a book-currency posting);
- `invoice.currency` / `rate` / `gross_fx` / `paid_fx` and `invoice_line.net_fx` /
  `vat_fx`: a document in another currency (its net / VAT / gross / paid stay in the
  book currency, converted; see `smallbiz.books.fx`); `trade_order.currency`;
- `payment.currency` / `rate` / `amount_fx`, `payment_allocation.amount_fx`;
- the roles `fx_gain` and `fx_loss`: the Georgian chart's 8120 / 8220 take them when no
  account has them; otherwise new accounts 4950 Exchange gains / 7950 Exchange losses
  (when those codes are free).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("posting", "currency", sa.String(3)), ("posting", "amount_fx", sa.BigInteger),
    ("posting", "rate", sa.BigInteger),
    ("invoice", "currency", sa.String(3)), ("invoice", "rate", sa.BigInteger),
    ("invoice", "gross_fx", sa.BigInteger), ("invoice", "paid_fx", sa.BigInteger),
    ("invoice_line", "net_fx", sa.BigInteger), ("invoice_line", "vat_fx", sa.BigInteger),
    ("trade_order", "currency", sa.String(3)),
    ("payment", "currency", sa.String(3)), ("payment", "rate", sa.BigInteger),
    ("payment", "amount_fx", sa.BigInteger),
    ("payment_allocation", "amount_fx", sa.BigInteger),
)
_ROLES = (("fx_gain", "8120", "income", "4950", "Exchange gains"),
          ("fx_loss", "8220", "expense", "7950", "Exchange losses"))


def upgrade() -> None:
    op.create_table(
        "fx_rate",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("rate", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("currency", "date", name="uq_fx_rate_currency_date"),
    )
    for table, column, type_ in _COLUMNS:  # plain ADD COLUMN (nullable) on both engines
        op.add_column(table, sa.Column(column, type_, nullable=True))
    for role, ge_code, type_, code, name in _ROLES:
        free = f"NOT EXISTS (SELECT 1 FROM account a WHERE a.role = '{role}')"
        op.execute(f"UPDATE account SET role = '{role}' WHERE code = '{ge_code}' "
                   f"AND type = '{type_}' AND role IS NULL AND {free}")
        op.execute(f"INSERT INTO account (code, name, type, role) "
                   f"SELECT '{code}', '{name}', '{type_}', '{role}' WHERE {free} "
                   f"AND NOT EXISTS (SELECT 1 FROM account a WHERE a.code = '{code}') "
                   f"AND EXISTS (SELECT 1 FROM account)")


def downgrade() -> None:
    op.execute("UPDATE account SET role = NULL WHERE role IN ('fx_gain', 'fx_loss')")
    # plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of `invoice` would
    # rewrite the references 0014 added inline, which its own downgrade then cannot drop
    for table, column, _type in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("fx_rate")
