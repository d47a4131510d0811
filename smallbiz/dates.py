"""ISO dates in and out; `today` accepted wherever a date is typed.

One date range everywhere: `MIN_DATE` … `MAX_DATE` (1900-01-01 … 9998-12-31). A date
outside it is refused at input (`parse_date`, the journal reader), so no computation on a
stored date (the next month, a due date, a year's end) can pass year 9999. Only ISO
calendar dates `YYYY-MM-DD` are read (not week dates such as `2026-W01-1`, nor the other
forms `date.fromisoformat` accepts).
"""

from __future__ import annotations

import datetime as dt
import re

from smallbiz.errors import ValidationError
from smallbiz.i18n import _

#: The first and the last date a book accepts.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(9998, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
#: The Georgian (and European) day-first form: `01.12.2026`, `1.12.2026`.
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
#: `today` in the languages smallbiz speaks.
_TODAY = {"today", "დღეს"}


def format_date(value: dt.date | None) -> str:
    """A date for people in the language in force: ISO `2026-12-01` in English,
    `01.12.2026` in Georgian (Babel's pattern dd.MM.yyyy for the locale); JSON and stored
    text stay ISO."""
    if value is None:
        return ""
    from smallbiz.i18n import language

    if language() == "en":
        return value.isoformat()
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_date_text(text: str) -> str:
    """Text holding an ISO date (`2026-12-01`: a prefilled field, a stored birthday) in the
    language's form (`format_date`); any other text as it is."""
    try:
        return format_date(dt.date.fromisoformat(text)) if _ISO_DATE.fullmatch(text) else text
    except ValueError:
        return text


def as_date(value: object) -> dt.date | None:
    """A date column's value as a date (raw SQL on SQLite hands back ISO text; None stays
    None)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_datetime(value: object) -> dt.datetime | None:
    """A stored timestamp (UTC, without a zone) as a naive datetime; None stays None."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def today() -> dt.date:
    return dt.date.today()


def check_date_range(value: dt.date, *, field: str = "date") -> dt.date:
    """`value`, or ValidationError naming `field` when it is outside MIN_DATE … MAX_DATE."""
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(_("{field}: {value} is outside the dates a book accepts "
                                "({first} to {last})").format(
            field=field, value=value.isoformat(), first=MIN_DATE.isoformat(),
            last=MAX_DATE.isoformat()), field=field)
    return value


def parse_date(text: str | dt.date | None, *, field: str = "date") -> dt.date:
    """Parse `YYYY-MM-DD`, `DD.MM.YYYY` (the Georgian form) or `today` (`დღეს`); raise
    ValidationError naming the field otherwise (also for a date outside MIN_DATE …
    MAX_DATE)."""
    if isinstance(text, dt.date):
        check_date_range(text.date() if isinstance(text, dt.datetime) else text, field=field)
        return text
    value = (text or "").strip()
    if not value:
        raise ValidationError(_("{field}: a date is required (YYYY-MM-DD or 'today')").format(
            field=field), field=field)
    if value.lower() in _TODAY:
        return today()
    try:
        if _DAY_FIRST.fullmatch(value) is not None:
            read = parse_day_first(value)
            if read is None:
                raise ValueError
            day = read
        elif _ISO_DATE.fullmatch(value) is None:
            raise ValueError
        else:
            day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("{field}: '{value}' is not a date (use YYYY-MM-DD or 'today')").format(
                field=field, value=value), field=field) from None
    return check_date_range(day, field=field)


def parse_day_first(text: str) -> dt.date | None:
    """The Georgian form `DD.MM.YYYY` (`1.12.2026`) as a date, or None when `text` is not
    one (or not a day of the calendar)."""
    match = _DAY_FIRST.fullmatch(text.strip())
    if match is None:
        return None
    d, m, y = (int(g) for g in match.groups())
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


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


_RELATIVE = re.compile(r"([+-])\s*(\d{1,5})\s*([dwmy]?)", re.ASCII)
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?(?:(\d{4}))?", re.ASCII)


def add_months(d: dt.date, months: int) -> dt.date:
    """`d` moved by whole months, on the same day or the month's last (31.1 + 1m = 28.2)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise OverflowError("outside the dates a book accepts")
    last = (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return dt.date(year, month, min(d.day, last.day))


def parse_typed_date(text: str | dt.date | None, *, field: str = "date",
                     base: dt.date | None = None) -> dt.date:
    """A date as a person types it in a date field: everything `parse_date` reads, and
    `tomorrow`, `yesterday`, `+7` / `-3` (days), `+2w`, `-1m`, `+1y`, `1.12` (day.month of
    this year), `1.12.2026`. Relative forms count from `base` (default: today)."""
    if isinstance(text, dt.date):
        return parse_date(text, field=field)
    value = (text or "").strip().lower()
    start = base or today()
    words = {"tomorrow": 1, "yesterday": -1}
    try:
        if value in words:
            return check_date_range(start + dt.timedelta(days=words[value]), field=field)
        if (m := _RELATIVE.fullmatch(value)) is not None:
            n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            unit = m.group(3) or "d"
            if unit in "dw":
                day = start + dt.timedelta(days=n * (7 if unit == "w" else 1))
            else:
                day = add_months(start, n * (12 if unit == "y" else 1))
            return check_date_range(day, field=field)
        if (m := _DAY_MONTH.fullmatch(value)) is not None:
            year = int(m.group(3)) if m.group(3) else start.year
            return check_date_range(dt.date(year, int(m.group(2)), int(m.group(1))),
                                    field=field)
    except (ValueError, OverflowError):
        raise ValidationError(
            _("{field}: '{value}' is not a date (use YYYY-MM-DD, 'today', +7, -1m or "
              "day.month)").format(field=field, value=value), field=field) from None
    return parse_date(text, field=field)
