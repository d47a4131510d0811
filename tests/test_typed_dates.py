"""Dates as people type them in a date field: `+7`, `tomorrow`, `-1m`, `1.12`."""

from __future__ import annotations

import datetime as dt

import pytest

from smallbiz.dates import add_months, parse_typed_date
from smallbiz.errors import ValidationError

BASE = dt.date(2026, 1, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("+7", dt.date(2026, 2, 7)), ("-3", dt.date(2026, 1, 28)),
    ("tomorrow", dt.date(2026, 2, 1)), ("Yesterday", dt.date(2026, 1, 30)),
    ("+2w", dt.date(2026, 2, 14)), ("-1m", dt.date(2025, 12, 31)),
    ("+1m", dt.date(2026, 2, 28)), ("+1y", dt.date(2027, 1, 31)),
    ("1.12", dt.date(2026, 12, 1)), ("01.12.2025", dt.date(2025, 12, 1)),
    ("2026-03-04", dt.date(2026, 3, 4)),
])
def test_typed_forms(text: str, expected: dt.date) -> None:
    assert parse_typed_date(text, base=BASE) == expected


@pytest.mark.parametrize("text", ["31.2", "+", "next week", "1.13", "", "+99999y"])
def test_what_is_no_date_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_typed_date(text, field="from", base=BASE)
    assert err.value.field == "from"


def test_months_end_on_the_months_last_day() -> None:
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
