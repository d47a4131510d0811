"""Helpers every orders module shares: finding documents, their entries, dates, terms."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from smallbiz import settings
from smallbiz.books.journal import check_open_period, reversal_of, reverse_entry
from smallbiz.books.models import JournalEntry
from smallbiz.dates import today
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.refs import as_id, choose, like_prefix

D = TypeVar("D", bound=SQLModel)


def resolve_numbered(s: Session, model: type[D], ref: str | int, what: str, *filters: Any,
                     field: str | None = None) -> D:
    """A numbered document by exact number (any case), id, or unique number prefix.

    `filters` narrow the search (e.g. the order kind), so a purchase order's number
    does not resolve as a sale.
    """
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("{what}: a number is required").format(what=what),
                              field=field or what)
    number = model.number  # type: ignore[attr-defined]
    base = select(model).where(*filters)
    exact = list(s.exec(base.where(func.upper(number) == text.upper())))
    if not exact and (doc_id := as_id(text)) is not None:
        exact = list(s.exec(base.where(model.id == doc_id)))  # type: ignore[attr-defined]
    prefixed: list[D] = []
    if not exact:
        prefixed = list(s.exec(base.where(func.upper(number).like(
            like_prefix(text.upper()), escape="\\")).order_by(number).limit(50)))
    return choose(text, what, exact, prefixed, lambda d: d.number,  # type: ignore[attr-defined]
                  field=field or what)


def entry_of(s: Session, source: str, source_id: int) -> JournalEntry | None:
    """The journal entry a document posted (not its reversal), if it posted one."""
    return s.exec(select(JournalEntry).where(
        JournalEntry.source == source, JournalEntry.source_id == source_id,
        JournalEntry.reverses_id.is_(None))  # type: ignore[union-attr]
        .order_by(JournalEntry.id)).first()


def reverse_entry_of(s: Session, source: str, source_id: int, on: dt.date,
                     memo: str) -> str | None:
    """Reverse the entry a document posted; returns the reversal's number (None if the
    document posted nothing or it was already reversed)."""
    entry = entry_of(s, source, source_id)
    if entry is None or entry.id is None or reversal_of(s, entry.id) is not None:
        return None
    return reverse_entry(s, entry.number, on=on, memo=memo, document=True).number


def effect_date(on: dt.date | None, *, not_before: dt.date, what: str) -> dt.date:
    """The date of an action: `on`, else today (or `not_before` if that is later).
    Refuses a date before `not_before`; the caller checks the lock date (`check_open`)."""
    when = on or max(today(), not_before)
    if when < not_before:
        raise ValidationError(_("{what}: {date} is before {earlier}").format(
            what=what, date=when.isoformat(), earlier=not_before.isoformat()), field="date")
    return when


def check_open(s: Session, on: dt.date, *, what: str) -> None:
    """Refuse a date on or before the lock date; `what` names it in the message
    ("ship date", "SO-2026-0001 dated")."""
    check_open_period(s, on, what=what)


def terms_days(s: Session, contact_terms: int | None) -> int:
    """The contact's payment terms, else the book's."""
    if contact_terms is not None:
        return contact_terms
    return settings.load(s).payment_terms_days
