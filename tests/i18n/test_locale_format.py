"""Numbers, dates and money in the language in force (Babel's locale data): Georgian
`1 234,56 ₾` and `01.12.2026`, English `1,234.56 GEL` and ISO dates; input in the
language's form or the plain/ISO form; ambiguous input refused; JSON locale-free."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smallbiz.dates import format_date, parse_date
from smallbiz.errors import ValidationError
from smallbiz.i18n import set_language
from smallbiz.money import format_amount, format_money, parse_amount, parse_quantity

NBSP = "\u00a0"


def test_english_display() -> None:
    set_language("en")
    assert format_amount(Decimal("1234.56"), 2, grouping=True) == "1,234.56"
    assert format_money(Decimal("1234.56"), 2, "GEL") == "1,234.56 GEL"
    assert format_date(dt.date(2026, 12, 1)) == "2026-12-01"


def test_georgian_display() -> None:
    set_language("ka")
    assert format_amount(Decimal("1234.56"), 2, grouping=True) == f"1{NBSP}234,56"
    assert format_amount(Decimal("-1234567.5"), 2, grouping=True) == f"-1{NBSP}234{NBSP}567,50"
    assert format_money(Decimal("1234.56"), 2, "GEL") == f"1{NBSP}234,56{NBSP}₾"
    assert format_date(dt.date(2026, 12, 1)) == "01.12.2026"


def test_stored_text_stays_plain_in_every_language() -> None:
    set_language("ka")
    assert format_amount(Decimal("1234.5"), 2) == "1234.50"  # audit rows, memos


@pytest.mark.parametrize("text", ["1234.56", "1234,56", "1 234,56", f"1{NBSP}234,56",
                                  "1.234,56", "1,234.56"])
def test_georgian_input_forms(text: str) -> None:
    set_language("ka")
    assert parse_amount(text, 2) == Decimal("1234.56")


@pytest.mark.parametrize("text", ["1234.56", "1,234.56"])
def test_english_input_forms(text: str) -> None:
    set_language("en")
    assert parse_amount(text, 2) == Decimal("1234.56")


def test_english_keeps_its_one_reading_of_a_comma() -> None:
    set_language("en")
    assert parse_amount("1,234", 2) == Decimal("1234")
    with pytest.raises(ValidationError):
        parse_amount("12,34", 2)  # not English: refused as before


@pytest.mark.parametrize("parse", [parse_amount, parse_quantity])
def test_ambiguous_georgian_input_is_refused_clearly(parse) -> None:
    set_language("en")
    set_language("ka")
    with pytest.raises(ValidationError) as err:
        parse("1.234", field="price")
    assert "1.234" in err.value.message and "1234" in err.value.message
    assert "1,234" in err.value.message  # the other reading, as Georgian writes it
    assert err.value.field == "price"
    assert parse_quantity("1,234") == Decimal("1.234")  # the Georgian decimal mark
    assert parse_quantity("0.500") == Decimal("0.5")  # no thousands group starts with 0


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_dates_in_both_forms(lang: str) -> None:
    set_language(lang)
    assert parse_date("2026-12-01") == dt.date(2026, 12, 1)
    assert parse_date("01.12.2026") == dt.date(2026, 12, 1)
    assert parse_date("1.12.2026") == dt.date(2026, 12, 1)
    assert parse_date("დღეს") == parse_date("today")
    with pytest.raises(ValidationError):
        parse_date("31.02.2026")


def test_cli_in_georgian_reads_georgian_numbers_and_json_stays_plain(cli) -> None:
    r = cli("--lang", "ka", "product", "add", "TOOL-01", "Drill", "--price", "1 234,50")
    assert r.exit_code == 0, r.stderr
    shown = cli("--lang", "ka", "product", "list")
    assert f"1{NBSP}234,50" in shown.stdout, shown.stdout
    data = cli("--lang", "ka", "--json", "product", "show", "TOOL-01").json()
    assert data["price"] == "1234.50"
    bad = cli("--lang", "ka", "product", "add", "TOOL-02", "Saw", "--price", "1.234")
    assert bad.exit_code == 1 and "1.234" in bad.stderr
