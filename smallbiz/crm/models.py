"""Tables owned by the CRM package (created by migrations 0001 and 0002).

- `contact`: people and organizations. `name_key` is the case-folded name, kept by the
  service, so exact-name lookups, prefix search and the list's keyset order
  (`name_key, id`) use one index. The first email and phone live on the row; further
  ones are `contact_channel` rows; the first postal address too, further ones are
  `contact_address` rows (migration 0010 adds them and the address-book
  details: structured name, birthday, title, ...).
- `tag` / `contact_tag`: tags, many-to-many.
- `interaction`: calls, emails, meetings, notes and tasks, with optional follow-ups.
- `deal`: the sales pipeline.
- `contact_fts` (SQLite only, not a model): the FTS5 trigram index the search uses,
  kept in step by `smallbiz.crm.search.reindex`; on PostgreSQL `contact_search`
  (contact_id, doc; not a model either, migration 0024), kept by the same functions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from smallbiz.money import Money, Percent


class Contact(SQLModel, table=True):
    """A person or an organization the firm deals with (customer, supplier, lead)."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_name_key", "name_key", "id"),
                      Index("ix_contact_active_name", "archived", "name_key", "id"),
                      Index("ix_contact_active_latin", "archived", "name_key", "id",
                            "name_latin"))  # 0013

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="person", max_length=16)  # person | organization
    name: str = Field(max_length=200, index=True)
    name_key: str = Field(default="", max_length=200)  # casefolded name (service keeps it)
    # the name romanized (smallbiz.romanize), the search's Latin key; crm.search keeps it
    name_latin: str = Field(default="", max_length=400,
                            sa_column_kwargs={"server_default": ""})
    organization_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    is_customer: bool = False
    is_supplier: bool = False
    is_lead: bool = False
    email: str = Field(default="", max_length=200, index=True)
    email_label: str = Field(default="", max_length=32)
    phone: str = Field(default="", max_length=64)
    phone_label: str = Field(default="", max_length=32)
    street: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    postcode: str = Field(default="", max_length=32)
    country: str = Field(default="", max_length=100)
    tax_id: str = Field(default="", max_length=64)
    notes: str = Field(default="")
    payment_terms_days: int | None = None  # None: the book's default terms
    archived: bool = False
    created_at: dt.datetime
    updated_at: dt.datetime
    # Details read from address books (migration 0010; see crm.details).
    name_parts: str = ""  # the structured name (vCard N) as JSON, '' when FN gives it
    region: str = ""
    address_label: str = ""
    birthday: str = ""
    title: str = ""
    role: str = ""
    department: str = ""
    website: str = ""
    nickname: str = ""
    uid: str = Field(default="", index=True)
    vcard_extra: str = ""  # card properties kept verbatim for export, one a line


class ContactAddress(SQLModel, table=True):
    """A further postal address of a contact (the first is on the contact)."""

    __tablename__ = "contact_address"
    __table_args__ = (Index("ix_contact_address_contact", "contact_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    position: int = 0
    label: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""


class ContactChannel(SQLModel, table=True):
    """A further email address or phone number of a contact (the first is on the contact)."""

    __tablename__ = "contact_channel"
    __table_args__ = (Index("ix_contact_channel_contact", "contact_id", "kind", "position"),
                      Index("ix_contact_channel_value", "kind", "value"))

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    kind: str = Field(max_length=8)  # email | phone
    label: str = Field(default="", max_length=32)  # work, home, cell, ...
    value: str = Field(max_length=200)
    position: int = 0


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    name_key: str = Field(max_length=64, unique=True)


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True)


class Interaction(SQLModel, table=True):
    """A call, email, meeting, note or task on a contact, maybe with a follow-up date."""

    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_contact_date", "contact_id", "date", "id"),
                      Index("ix_interaction_due", "done", "follow_up", "id"))

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    kind: str = Field(max_length=16)
    date: dt.date
    summary: str
    follow_up: dt.date | None = None
    done: bool = False
    done_at: dt.datetime | None = None
    created_at: dt.datetime


class Deal(SQLModel, table=True):
    """An opportunity: value, stage and probability, expected close date."""

    __tablename__ = "deal"
    __table_args__ = (Index("ix_deal_stage_close", "stage", "expected_close"),
                      Index("ix_deal_contact", "contact_id"))

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    title: str = Field(max_length=200)
    value: Decimal = Field(sa_column=Column(Money(), nullable=False))
    stage: str = Field(max_length=16)
    probability: Decimal = Field(sa_column=Column(Percent(), nullable=False))
    expected_close: dt.date | None = None
    closed_on: dt.date | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
