"""ISO dates in and out; `today` accepted wherever a date is typed."""

from __future__ import annotations

import datetime as dt

from smallbiz.errors import ValidationError
from smallbiz.i18n import _


def as_date(value: object) -> dt.date | None:
    """A date column's value as a date (raw SQL on SQLite hands back ISO text; None stays
    None)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def today() -> dt.date:
    return dt.date.today()


def parse_date(text: str | dt.date | None, *, field: str = "date") -> dt.date:
    """Parse `YYYY-MM-DD` or `today`; raise ValidationError naming the field otherwise."""
    if isinstance(text, dt.date):
        return text
    value = (text or "").strip()
    if not value:
        raise ValidationError(_("{field}: a date is required (YYYY-MM-DD or 'today')").format(
            field=field), field=field)
    if value.lower() == "today":
        return today()
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("{field}: '{value}' is not a date (use YYYY-MM-DD or 'today')").format(
                field=field, value=value), field=field) from None


def parse_optional_date(text: str | dt.date | None, *, field: str = "date") -> dt.date | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return parse_date(text, field=field)


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def next_month(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def year_start(d: dt.date) -> dt.date:
    return d.replace(month=1, day=1)


def now() -> dt.datetime:
    """The current moment in UTC, to the second (stored timestamps are UTC)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
