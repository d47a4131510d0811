"""Tables owned by the books package.

Posted rows (`journal_entry`, `posting`) are immutable: the database refuses UPDATE and
DELETE on them (triggers created by the migration); corrections are reversing entries.
`account_period` holds per-account, per-month totals maintained in the posting
transaction, so reports over a million postings add up a few thousand rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import smallbiz.crm.models  # noqa: F401  (posting.contact_id references contact)
from smallbiz.books.types import ACCOUNT_TYPES, ROLES, SOURCES  # noqa: F401  (re-exported)
from smallbiz.money import Money, UnitPrice


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    type: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="account.id")
    role: str | None = Field(default=None, max_length=32, unique=True)
    archived: bool = False
    journal_name: str | None = None  # the full name an imported journal gave it (0010)
    # a bank or cash account kept in another currency (0020): every posting to it carries
    # that currency's amount (`smallbiz.books.posting`); NULL: the book's currency
    currency: str | None = Field(default=None, max_length=3)


class JournalEntry(SQLModel, table=True):
    __tablename__ = "journal_entry"
    __table_args__ = (
        Index("ix_journal_entry_date_id", "date", "id"),
        # partial (0007): manual and imported entries have no document and reverse nothing
        Index("ix_journal_entry_source", "source", "source_id",
              sqlite_where=text("source_id IS NOT NULL"),
              postgresql_where=text("source_id IS NOT NULL")),
        Index("ix_journal_entry_reverses_id", "reverses_id",
              sqlite_where=text("reverses_id IS NOT NULL"),
              postgresql_where=text("reverses_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int
    seq: int
    date: dt.date
    memo: str = Field(default="")
    source: str = Field(default="manual", max_length=16)
    source_id: int | None = None
    reverses_id: int | None = Field(default=None, foreign_key="journal_entry.id")
    created_at: dt.datetime
    # what an imported journal carried (0010): '*'/'!', its code, comment lines, date2
    status: str | None = Field(default=None, max_length=1)
    code: str | None = None
    comment: str | None = None
    date2: dt.date | None = None


class Posting(SQLModel, table=True):
    __tablename__ = "posting"
    __table_args__ = (
        # the ledger's order; the amount too, for the reports' partial months (0008)
        Index("ix_posting_account_date", "account_id", "date", "id", "amount"),
        # partial (0006): most postings name no contact; sub-ledger queries ask for one
        Index("ix_posting_contact", "contact_id", "account_id",
              sqlite_where=text("contact_id IS NOT NULL"),
              postgresql_where=text("contact_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entry.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    date: dt.date  # the entry's date, copied so reports need no join
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))  # debit +, credit -
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    memo: str = Field(default="")
    status: str | None = Field(default=None, max_length=1)  # '*'/'!' (0010)
    comment: str | None = None  # its comment lines as the journal wrote them (0010)
    # a foreign amount (0017): its currency, the amount in it and the rate it was
    # converted at (amount = round(amount_fx * rate), `smallbiz.books.fx.to_book`)
    currency: str | None = Field(default=None, max_length=3)
    amount_fx: Decimal | None = Field(default=None, sa_type=Money)
    rate: Decimal | None = Field(default=None, sa_type=UnitPrice)


class AccountPeriod(SQLModel, table=True):
    """Sum of postings per account and month ('YYYY-MM'), kept in step by the service."""

    __tablename__ = "account_period"

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    period: str = Field(max_length=7, primary_key=True)
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False, default=0))


class FxRate(SQLModel, table=True):
    """The book's rate table (0017): book currency per one unit of `currency` from `date`."""

    __tablename__ = "fx_rate"
    __table_args__ = (UniqueConstraint("currency", "date", name="uq_fx_rate_currency_date"),)

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    date: dt.date
    rate: Decimal = Field(sa_type=UnitPrice, nullable=False)
    created_at: dt.datetime
