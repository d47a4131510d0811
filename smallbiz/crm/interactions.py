"""Interactions (calls, emails, meetings, notes, tasks) and the follow-ups they leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smallbiz import audit
from smallbiz.crm.common import parse_choice
from smallbiz.crm.pipeline import DUE_FOLLOW_UPS
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import as_date, now, parse_date, parse_optional_date, today
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.refs import as_id
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

KINDS = ("call", "email", "meeting", "note", "task")
MAX_SUMMARY = 2000


@dataclass(frozen=True)
class InteractionView:
    id: int
    contact_id: int
    contact: str
    kind: str
    date: dt.date
    summary: str
    follow_up: dt.date | None
    done: bool

    def days_overdue(self, on: dt.date | None = None) -> int:
        """Days the follow-up is late on `on` (default today); 0 when not late or done."""
        if self.follow_up is None or self.done:
            return 0
        return max(0, ((on or today()) - self.follow_up).days)


def parse_kind(value: str, *, field: str = "kind") -> str:
    return parse_choice(value, KINDS, field=field, what=_("kind"))


_SELECT = ("SELECT i.id, i.contact_id, c.name, i.kind, i.date, i.summary, i.follow_up, i.done "
           "FROM interaction i JOIN contact c ON c.id = i.contact_id")


def _view(row: tuple) -> InteractionView:
    return InteractionView(row[0], row[1], row[2], row[3], as_date(row[4]),  # type: ignore[arg-type]
                           row[5], as_date(row[6]), bool(row[7]))


def log_interaction(s: Tx, contact: str | int, summary: str, *, kind: str = "note",
                    on: str | dt.date | None = None,
                    follow_up: str | dt.date | None = None) -> InteractionView:
    """Record an interaction with a contact. Validates the kind, the dates (a follow-up is
    not before the interaction) and a non-empty summary. A task without a follow-up date is
    due on its own date. Writes the interaction and an audit row."""
    kind = parse_kind(kind)
    text_ = refuse_control((summary or "").strip(), "text")
    if not text_:
        raise ValidationError(_("text: must not be empty"), field="text")
    if len(text_) > MAX_SUMMARY:
        raise ValidationError(_("text: longer than {n} characters").format(n=MAX_SUMMARY),
                              field="text")
    day = parse_date(on if on is not None else "today", field="date")
    follow = parse_optional_date(follow_up, field="follow-up")
    if follow is None and kind == "task":
        follow = day
    if follow is not None and follow < day:
        raise ValidationError(_("follow-up: {follow} is before the interaction's date {day}")
                              .format(follow=follow, day=day), field="follow-up")
    who = resolve_contact(s, contact)
    row_id = s.insert("interaction", {"contact_id": who.id, "kind": kind, "date": day,
                                      "summary": text_, "follow_up": follow, "done": False,
                                      "done_at": None, "created_at": now()})
    audit.record(s, "create", "interaction", row_id, f"{who.name}: {kind} {text_[:80]}")
    return InteractionView(row_id, who.id, who.name, kind, day, text_, follow, False)


def get_interaction(s: Tx, ref: str | int) -> InteractionView:
    text_ = str(ref).strip()
    interaction_id = as_id(text_)
    if interaction_id is None:
        raise ValidationError(_("interaction: '{ref}' is not an interaction number (see "
                                "'smallbiz log due')").format(ref=text_), field="interaction")
    row = s.execute(f"{_SELECT} WHERE i.id = :i", {"i": interaction_id}).first()
    if row is None:
        raise NotFound(_("no interaction {ref}").format(ref=text_), field="interaction")
    return _view(tuple(row))


def mark_done(s: Tx, ref: str | int) -> InteractionView:
    """Tick off an interaction's follow-up (or a task). Refuses one already done."""
    view = get_interaction(s, ref)
    if view.done:
        raise RuleViolation(_("interaction {id} is already done").format(id=view.id))
    s.update("interaction", view.id, {"done": True, "done_at": now()})
    audit.record(s, "done", "interaction", view.id, f"{view.contact}: {view.summary[:80]}")
    return InteractionView(view.id, view.contact_id, view.contact, view.kind, view.date,
                           view.summary, view.follow_up, True)


def count_due_follow_ups(s: Tx, until: dt.date) -> int:
    """How many open follow-ups are due on or before `until`."""
    return int(s.scalar(f"SELECT COUNT(*) FROM interaction i WHERE {DUE_FOLLOW_UPS}",
                        {"until": until}))


def due_follow_ups(s: Tx, until: str | dt.date | None = None, *,
                   limit: int | None = None) -> list[InteractionView]:
    """Open follow-ups due on or before `until` (default today), oldest (most overdue)
    first."""
    day = parse_date(until if until is not None else "today", field="--until")
    sql = f"{_SELECT} WHERE {DUE_FOLLOW_UPS} ORDER BY i.follow_up, i.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_view(tuple(r)) for r in s.execute(sql, {"until": day})]


def interactions_of(s: Tx, contact_id: int, *, limit: int = 20) -> list[InteractionView]:
    """A contact's latest interactions, newest first."""
    rows = s.execute(f"{_SELECT} WHERE i.contact_id = :c ORDER BY i.date DESC, i.id DESC "
                          "LIMIT :n", {"c": contact_id, "n": limit})
    return [_view(tuple(r)) for r in rows]


def count_interactions(s: Tx, contact_id: int) -> int:
    return int(s.execute("SELECT COUNT(*) FROM interaction WHERE contact_id = :c",
                         {"c": contact_id}).scalar())


def next_follow_up(s: Tx, contact_id: int) -> InteractionView | None:
    """The contact's earliest open follow-up (overdue ones included)."""
    row = s.execute(f"{_SELECT} WHERE i.contact_id = :c AND i.done = FALSE AND "
                         "i.follow_up IS NOT NULL ORDER BY i.follow_up, i.id LIMIT 1",
                    {"c": contact_id}).first()
    return _view(tuple(row)) if row is not None else None
