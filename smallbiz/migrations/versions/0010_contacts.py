"""Contact details read from vCard and CSV address books: the structured name, the main
address's region and label, birthday, title, role, department, website, nickname, the
card's UID, the card properties smallbiz does not use (kept verbatim so an export writes
them back), and further postal addresses (`contact_address`).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: The text columns added to `contact` (all NOT NULL, '' when not known).
COLUMNS = ("name_parts", "region", "address_label", "birthday", "title", "role", "department",
           "website", "nickname", "uid", "vcard_extra")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("contact", sa.Column(name, sa.String, nullable=False, server_default=""))
    op.create_index("ix_contact_uid", "contact", ["uid"])
    op.create_table(
        "contact_address",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("label", sa.String, nullable=False, server_default=""),
        sa.Column("street", sa.String, nullable=False, server_default=""),
        sa.Column("city", sa.String, nullable=False, server_default=""),
        sa.Column("region", sa.String, nullable=False, server_default=""),
        sa.Column("postcode", sa.String, nullable=False, server_default=""),
        sa.Column("country", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_contact_address_contact", "contact_address", ["contact_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_contact_address_contact", "contact_address")
    op.drop_table("contact_address")
    op.drop_index("ix_contact_uid", "contact")
    for name in reversed(COLUMNS):
        op.drop_column("contact", name)
