"""Tables owned by the bank package (created by migration 0012).

- `bank_statement`: one imported file for one bank account: its format, period and the
  closing balance the bank states (when the file states one).
- `bank_line`: a statement line (money in positive, out negative), unique per account by
  `dedup_key` (OFX FITID, CAMT entry reference, else a hash of date, amount, text and the
  line's running position), with what it is matched to: a payment (PAY-) or a journal
  entry (a rule, a booking to an account, a transfer between two own accounts).
- `bank_rule`: "text contains / amount range / counterparty -> account (and contact)".
- `bank_mapping`: a named CSV/XLSX column mapping (JSON), found again by the file's header.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

import smallbiz.books.models  # noqa: F401  (account, journal_entry)
import smallbiz.orders.models  # noqa: F401  (payment)
from smallbiz.money import Money


class BankStatement(SQLModel, table=True):
    __tablename__ = "bank_statement"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    format: str = Field(max_length=16)
    file_name: str = Field(default="")
    currency: str = Field(default="", max_length=3)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    closing_date: dt.date | None = None
    closing_balance: Decimal | None = Field(default=None, sa_column=Column(Money(),
                                                                        nullable=True))
    lines: int = 0
    duplicates: int = 0
    imported_at: dt.datetime


class BankLine(SQLModel, table=True):
    __tablename__ = "bank_line"
    __table_args__ = (UniqueConstraint("account_id", "dedup_key",
                                       name="uq_bank_line_account_key"),
                      Index("ix_bank_line_account_status_date", "account_id", "status",
                            "date"),
                      Index("ix_bank_line_account_date", "account_id", "date", "id"))

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    statement_id: int = Field(foreign_key="bank_statement.id")
    date: dt.date
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))  # in +, out -
    description: str = Field(default="")
    counterparty: str = Field(default="")
    reference: str = Field(default="")
    balance: Decimal | None = Field(default=None, sa_column=Column(Money(), nullable=True))
    dedup_key: str = Field(max_length=200)
    status: str = Field(default="unmatched", max_length=16)  # unmatched|matched|ignored
    match_kind: str | None = Field(default=None, max_length=16)  # payment|entry|transfer
    payment_id: int | None = Field(default=None, foreign_key="payment.id")
    entry_id: int | None = Field(default=None, foreign_key="journal_entry.id", index=True)
    rule_id: int | None = None
    matched_at: dt.datetime | None = None


class BankRule(SQLModel, table=True):
    __tablename__ = "bank_rule"

    id: int | None = Field(default=None, primary_key=True)
    text_contains: str = Field(default="")
    counterparty: str = Field(default="")
    amount_min: Decimal | None = Field(default=None, sa_column=Column(Money(), nullable=True))
    amount_max: Decimal | None = Field(default=None, sa_column=Column(Money(), nullable=True))
    account_id: int = Field(foreign_key="account.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    memo: str = Field(default="")
    created_at: dt.datetime


class BankMapping(SQLModel, table=True):
    __tablename__ = "bank_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    spec: str  # JSON: see smallbiz.bank.tabular.Mapping
    created_at: dt.datetime
