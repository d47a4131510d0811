"""Foreign bank and cash accounts.

- `account.currency`: a bank or cash account kept in another currency (e.g. 1021 Bank
  USD); NULL: kept in the book's currency. Every posting to such an account carries its
  currency's foreign amount (`smallbiz.books.posting.EntryWriter`).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account", sa.Column("currency", sa.String(3), nullable=True))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+): a batch copy of `account` would rewrite the
    # references other tables hold to it
    op.drop_column("account", "currency")
