"""Helpers every orders module shares: finding documents, their entries, dates, terms."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from smallbiz import records, settings
from smallbiz.books.journal import Entry, check_open_period, find_entry, reversal_of, reverse_entry
from smallbiz.dates import today
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.records import Record
from smallbiz.refs import as_id, choose, like_prefix
from smallbiz.sql import Tx

D = TypeVar("D", bound=Record)


def resolve_numbered(s: Tx, model: type[D], ref: str | int, what: str, where: str = "",
                     params: dict[str, Any] | None = None, *, field: str | None = None) -> D:
    """A numbered document by exact number (any case), id, or unique number prefix.

    `where` narrows the search (e.g. "kind = :kind" with `params`), so a purchase order's
    number does not resolve as a sale.
    """
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("{what}: a number is required").format(what=what),
                              field=field or what)
    narrow = f"{where} AND " if where else ""
    values = dict(params or {})
    exact = records.load(s, model, f"WHERE {narrow}upper(number) = :_n", {**values,
                                                                          "_n": text.upper()})
    if not exact and (doc_id := as_id(text)) is not None:
        exact = records.load(s, model, f"WHERE {narrow}id = :_i", {**values, "_i": doc_id})
    prefixed: list[D] = []
    if not exact:
        prefixed = records.load(s, model, f"WHERE {narrow}upper(number) LIKE :_p ESCAPE '\\' "
                                "ORDER BY number LIMIT 50",
                                {**values, "_p": like_prefix(text.upper())})
    return choose(text, what, exact, prefixed, lambda d: d.number,  # type: ignore[attr-defined]
                  field=field or what)


def entry_of(s: Tx, source: str, source_id: int) -> Entry | None:
    """The journal entry a document posted (not its reversal), if it posted one."""
    number = s.scalar("SELECT number FROM journal_entry WHERE source = :src AND "
                      "source_id = :sid AND reverses_id IS NULL ORDER BY id LIMIT 1",
                      {"src": source, "sid": source_id})
    return find_entry(s, number) if number is not None else None


def reverse_entry_of(s: Tx, source: str, source_id: int, on: dt.date,
                     memo: str) -> str | None:
    """Reverse the entry a document posted; returns the reversal's number (None if the
    document posted nothing or it was already reversed)."""
    entry = entry_of(s, source, source_id)
    if entry is None or reversal_of(s, entry.id) is not None:
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


def check_open(s: Tx, on: dt.date, *, what: str) -> None:
    """Refuse a date on or before the lock date; `what` names it in the message
    ("ship date", "SO-2026-0001 dated")."""
    check_open_period(s, on, what=what)


def terms_days(s: Tx, contact_terms: int | None) -> int:
    """The contact's payment terms, else the book's."""
    if contact_terms is not None:
        return contact_terms
    return settings.load(s).payment_terms_days
