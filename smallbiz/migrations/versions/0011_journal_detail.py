"""What a journal carries besides its postings: status marks, codes, comments (their tags
included), secondary dates, and the full account names of an imported chart.

- `journal_entry.status` ('*' cleared, '!' pending), `.code`, `.comment` (the lines of the
  transaction's comment, as written), `.date2` (the secondary date);
- `posting.status`, `posting.comment` (the posting's comment lines as written, when the
  memo does not say it all);
- `account.journal_name`: the full name an imported journal used (`income:Foo:Donation`),
  written back by `export journal`.

Columns only, all nullable: existing rows are untouched.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("journal_entry", sa.Column("status", sa.String(1), nullable=True))
    op.add_column("journal_entry", sa.Column("code", sa.String, nullable=True))
    op.add_column("journal_entry", sa.Column("comment", sa.String, nullable=True))
    op.add_column("journal_entry", sa.Column("date2", sa.Date, nullable=True))
    op.add_column("posting", sa.Column("status", sa.String(1), nullable=True))
    op.add_column("posting", sa.Column("comment", sa.String, nullable=True))
    op.add_column("account", sa.Column("journal_name", sa.String, nullable=True))


def downgrade() -> None:
    op.drop_column("account", "journal_name")
    op.drop_column("posting", "comment")
    op.drop_column("posting", "status")
    for column in ("date2", "comment", "code", "status"):
        op.drop_column("journal_entry", column)
