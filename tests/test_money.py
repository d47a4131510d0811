from decimal import Decimal

import pytest

from smallbiz.errors import ValidationError
from smallbiz.money import (
    format_amount,
    format_quantity,
    from_minor,
    minor_digits,
    parse_amount,
    parse_percent,
    parse_quantity,
    round_amount,
    to_minor,
    validate_currency,
)


@pytest.mark.parametrize("text,expected", [
    ("1234.5", "1234.50"),
    ("1,234.50", "1234.50"),
    ("-12", "-12.00"),
    ("+7.1", "7.10"),
    ("0", "0.00"),
    ("  42.00 ", "42.00"),
    ("1,000,000", "1000000.00"),
    ("3.10", "3.10"),
])
def test_parse_amount_accepts(text: str, expected: str) -> None:
    assert parse_amount(text, 2) == Decimal(expected)
    assert str(parse_amount(text, 2)) == expected


@pytest.mark.parametrize("text,fragment", [
    ("abc", "not a valid amount"),
    ("1e5", "not a valid amount"),
    ("nan", "not a valid amount"),
    ("NaN", "not a valid amount"),
    ("inf", "not a valid amount"),
    ("-Infinity", "not a valid amount"),
    ("", "required"),
    ("   ", "required"),
    ("1.234", "more than 2 decimals"),
    ("12,34", "not a valid amount"),
    ("1,2345.00", "not a valid amount"),
    ("0x10", "not a valid amount"),
    ("1 000", "not a valid amount"),
    ("--1", "not a valid amount"),
])
def test_parse_amount_rejects_with_clear_message(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_amount(text, 2, field="price")
    assert fragment in err.value.message
    assert err.value.message.startswith("price:")
    assert err.value.field == "price"


def test_trailing_zero_decimals_beyond_currency_are_fine() -> None:
    assert parse_amount("5.100", 2) == Decimal("5.10")
    with pytest.raises(ValidationError):
        parse_amount("5.101", 2)


def test_zero_decimal_and_three_decimal_currencies() -> None:
    assert minor_digits("JPY") == 0 and minor_digits("KWD") == 3 and minor_digits("GEL") == 2
    assert str(parse_amount("1,500", minor_digits("JPY"))) == "1500"
    with pytest.raises(ValidationError):
        parse_amount("1.5", minor_digits("JPY"))
    assert str(parse_amount("1.125", minor_digits("KWD"))) == "1.125"


def test_decimal_and_int_inputs() -> None:
    assert parse_amount(Decimal("2.5"), 2) == Decimal("2.50")
    assert parse_amount(12, 2) == Decimal("12.00")
    with pytest.raises(ValidationError):
        parse_amount(Decimal("NaN"), 2)
    with pytest.raises(ValidationError):
        parse_amount(1.5, 2)  # type: ignore[arg-type]  # floats are refused outright


def test_quantities_are_exact_to_three_decimals() -> None:
    assert parse_quantity("2.125") == Decimal("2.125")
    assert parse_quantity("30") == Decimal("30.000")
    with pytest.raises(ValidationError):
        parse_quantity("0.0001")
    assert format_quantity(Decimal("30.000")) == "30"
    assert format_quantity(Decimal("2.500")) == "2.5"
    assert format_quantity(Decimal("0.125")) == "0.125"


def test_percent() -> None:
    assert parse_percent("18") == Decimal("18.00")
    assert parse_percent("7.5%") == Decimal("7.50")
    with pytest.raises(ValidationError):
        parse_percent("101")
    with pytest.raises(ValidationError):
        parse_percent("-1")


@pytest.mark.parametrize("value,expected", [
    ("0.005", "0.01"), ("0.004999", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"),
    ("1.125", "1.13"), ("1.135", "1.14"), ("10.0449", "10.04"),
])
def test_round_half_up(value: str, expected: str) -> None:
    assert round_amount(Decimal(value), 2) == Decimal(expected)


def test_vat_per_line_rounding_differs_from_rounding_the_total() -> None:
    # three lines of 0.03 net at 18 %: 0.0054 each rounds up to 0.01 per line, 0.03 in
    # all; rounding the total once (0.0162) would give 0.02. DESIGN rounds per line.
    lines = [Decimal("0.03")] * 3
    per_line = sum(round_amount(n * Decimal("0.18"), 2) for n in lines)
    on_total = round_amount(sum(lines) * Decimal("0.18"), 2)
    assert per_line == Decimal("0.03")
    assert on_total == Decimal("0.02")


def test_minor_units_round_trip_exactly() -> None:
    assert to_minor(Decimal("1234.56"), 2) == 123456
    assert from_minor(123456, 2) == Decimal("1234.56")
    assert str(from_minor(-5, 2)) == "-0.05"
    assert str(from_minor(None, 2)) == "0.00"
    with pytest.raises(ValueError):
        to_minor(Decimal("0.001"), 2)


def test_format_amount() -> None:
    assert format_amount(Decimal("1234.5"), 2) == "1234.50"
    assert format_amount(Decimal("1234.5"), 2, grouping=True) == "1,234.50"
    assert format_amount(Decimal("7"), 0) == "7"


def test_currency_codes() -> None:
    assert validate_currency("gel") == "GEL"
    with pytest.raises(ValidationError, match="ISO 4217"):
        validate_currency("GLE")
