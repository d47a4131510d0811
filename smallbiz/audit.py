"""The audit trail: one row per change — when, OS user, action, entity, id, summary.

`record` is plain SQL (`run_sql`): it works in an ORM session and on a plain-SQL writer
(`Database.writer()`) alike. The table's model is `smallbiz.core_models.AuditLog`.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smallbiz.dates import now
from smallbiz.db import run_sql

if TYPE_CHECKING:
    from sqlmodel import Session


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still record something
        return "unknown"


def record(s: Any, action: str, entity: str, entity_id: object, summary: str = "") -> None:
    """Add an audit row inside the caller's transaction (a Session, a Connection or a
    plain-SQL writer)."""
    run_sql(s, 'INSERT INTO audit_log (at, "user", action, entity, entity_id, summary) '
               "VALUES (:at, :user, :action, :entity, :entity_id, :summary)",
            {"at": now(), "user": _os_user(), "action": action, "entity": entity,
             "entity_id": str(entity_id), "summary": summary})


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
    from sqlmodel import select

    from smallbiz.core_models import AuditLog

    q = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)  # type: ignore[union-attr]
    if since is not None:
        q = q.where(AuditLog.at >= dt.datetime.combine(since, dt.time()))
    if entity:
        q = q.where(AuditLog.entity == entity)
    return [AuditRow(r.id or 0, r.at, r.user, r.action, r.entity, r.entity_id, r.summary)
            for r in s.exec(q)]
