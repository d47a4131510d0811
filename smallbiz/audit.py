"""The audit trail: one row per change — when, OS user, action, entity, id, summary."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from sqlmodel import Field, Session, SQLModel, select

from smallbiz.dates import now


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    user: str = Field(max_length=64)
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(max_length=64)
    summary: str = Field(default="")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still record something
        return "unknown"


def record(s: Session, action: str, entity: str, entity_id: object, summary: str = "") -> None:
    """Add an audit row inside the caller's transaction."""
    s.add(AuditLog(at=now(), user=_os_user(), action=action,
                   entity=entity, entity_id=str(entity_id), summary=summary))


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: str
    summary: str


def list_rows(s: Session, *, since: dt.date | None = None, entity: str | None = None,
              limit: int = 1000) -> list[AuditRow]:
    q = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)  # type: ignore[union-attr]
    if since is not None:
        q = q.where(AuditLog.at >= dt.datetime.combine(since, dt.time()))
    if entity:
        q = q.where(AuditLog.entity == entity)
    return [AuditRow(r.id or 0, r.at, r.user, r.action, r.entity, r.entity_id, r.summary)
            for r in s.exec(q)]
