"""ORM declarations of the core's own tables: the audit trail and the number sequences.

The services write both in plain SQL (`smallbiz.audit`, `smallbiz.numbering`), so that a
write path without the ORM (`smallbiz import journal`) can use them; the models declare
the tables' columns and indexes for the ORM's metadata and `audit.list_rows`.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    user: str = Field(max_length=64)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(max_length=64)
    summary: str = Field(default="")
    chain: str = Field(default="", max_length=64)  # see smallbiz.audit.chain_hash


class NumberSequence(SQLModel, table=True):
    __tablename__ = "number_sequence"

    prefix: str = Field(primary_key=True, max_length=8)
    year: int = Field(primary_key=True)
    last: int = Field(default=0)
