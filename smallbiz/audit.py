"""The audit trail: one row per change — when, OS user, action, entity, id, summary.

`record` writes in the caller's transaction. The table's model is
`smallbiz.core_models.AuditLog`.

The log is append-only: the database refuses UPDATE and DELETE (migration 0009), and each
row carries `chain`, the SHA-256 of the previous row's chain and its own fields, so
`check` (`verify_chain`) finds a row changed, removed or inserted with the triggers
dropped.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from dataclasses import dataclass

from smallbiz.dates import now
from smallbiz.sql import Tx


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still record something
        return "unknown"


def _user(s: Tx) -> str:
    """Who makes the change: the database user on a server (several people share one
    book there), the OS user on a SQLite file."""
    if s.dialect == "postgresql":
        return str(s.execute("SELECT current_user").fetchone()[0])
    return _os_user()


def _stamp(at: object) -> str:
    """A stored timestamp in one form whatever the driver hands back (text or datetime)."""
    if isinstance(at, dt.datetime):
        return at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
    return str(at)[:19].replace("T", " ")


def chain_hash(previous: str, at: object, user: str, action: str, entity: str,
               entity_id: str, summary: str) -> str:
    """The chain value of an audit row whose predecessor's chain is `previous`."""
    fields = (previous, _stamp(at), user, action, entity, entity_id, summary)
    return hashlib.sha256(repr(fields).encode()).hexdigest()


def record(s: Tx, action: str, entity: str, entity_id: object, summary: str = "") -> None:
    """Add an audit row inside the caller's transaction."""
    row = s.execute("SELECT chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    values = {"at": now().replace(tzinfo=None), "user": _user(s)[:64], "action": action,
              "entity": entity, "entity_id": str(entity_id)[:64], "summary": summary}
    values["chain"] = chain_hash(row[0] if row else "", values["at"], values["user"], action,
                                 entity, values["entity_id"], summary)
    s.execute('INSERT INTO audit_log (at, "user", action, entity, entity_id, summary, chain) '
               "VALUES (:at, :user, :action, :entity, :entity_id, :summary, :chain)", values)


def verify_chain(s: Tx) -> list[str]:
    """`check`: the audit rows are all there, unchanged, in order."""
    previous = ""
    for row_id, at, user, action, entity, entity_id, summary, chain in s.execute(
            'SELECT id, at, "user", action, entity, entity_id, summary, chain '
               "FROM audit_log ORDER BY id"):
        expected = chain_hash(previous, at, user, action, entity, entity_id, summary)
        if chain != expected:
            return [f"audit log: row {row_id} was changed, or a row before it removed or "
                    "inserted (the audit chain is broken)"]
        previous = chain
    return []


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: str
    summary: str


def list_rows(s: Tx, *, since: dt.date | None = None, entity: str | None = None,
              limit: int = 1000) -> list[AuditRow]:
    """The newest rows first; `since` a day (times are stored in UTC, without a zone)."""
    where, params = [], {"limit": int(limit)}
    if since is not None:
        where.append("at >= :since")
        params["since"] = dt.datetime.combine(since, dt.time())
    if entity:
        where.append("entity = :entity")
        params["entity"] = entity
    sql = ('SELECT id, at, "user", action, entity, entity_id, summary FROM audit_log '
           f"WHERE {' AND '.join(where) or '1 = 1'} ORDER BY id DESC LIMIT :limit")
    return [AuditRow(i, _as_datetime(at), user, action, ent, ent_id, summary)
            for i, at, user, action, ent, ent_id, summary in s.execute(sql, params)]


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(value)[:19])
