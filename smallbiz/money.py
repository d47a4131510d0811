"""Exact amounts and quantities.

Amounts are `Decimal` in Python and INTEGER minor units of the book's currency in the
database (the `Money` column type converts), so SQL sums are exact and fast.
Quantities are exact to three decimals (`Quantity`: integer thousandths).
Unit prices and average costs may carry more precision than the currency
(`UnitPrice`: integer millionths of the currency unit).

The currency's minor digits live on the engine's dialect (set by `smallbiz.db` when a
book is opened), so a column type never guesses them. The column types are built on
first use (module `__getattr__`): the money helpers alone do not import SQLAlchemy, which
would be most of the start-up time of a report.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _

#: ISO 4217 codes whose minor unit is not 2 digits.
_MINOR_DIGITS = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}
#: ISO 4217 active codes (so a typo such as "GLE" is refused at init).
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYI UYU UYW UZS VES VND VUV WST XAF XCD XOF XPF
YER ZAR ZMW ZWL
""".split())

QTY_DIGITS = 3
UNIT_PRICE_DIGITS = 6
#: Typed numbers and computed amounts stay below 10**12 (a trillion): every column stores
#: at most millionths in a 64-bit integer, and sums of many such amounts still fit.
MAX_WHOLE_DIGITS = 12
_LIMIT = Decimal(10) ** MAX_WHOLE_DIGITS
#: What one account may hold, in minor units: the sizes of its monthly totals
#: (`account_period`) added up stay at or below 10**18 (10**16 GEL; under int64's 9.2e18),
#: so no SQL sum of an account's totals or balances, over any months, can overflow. With
#: amounts below 10**12 units, that is at least 10,000 postings of the largest amount (of a
#: two-decimal currency) to one account, and any number of smaller ones. `check_totals` is
#: called where the totals are written (`books.totals`), for every write: a posted entry,
#: a whole journal import.
MAX_ACCOUNT_MINOR = 10 ** 18
#: A typed number in English: plain, or grouped with ',' (`1,234.50`).
_AMOUNT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: A typed number once its grouping and decimal marks are known: digits, one '.'.
_PLAIN_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break and thin space
_GROUPED = re.compile(r"^\d{1,3}(?:G\d{3})+$")


class _Ambiguous(ValueError):
    pass


def _canonical(raw: str) -> str | None:
    """A number typed in Georgian, as plain text (`-1234.56`), or None when it is not a
    number. The forms: plain (`1234.56`), Georgian (`1234,56`, `1 234,56` with a space or
    a no-break space), and grouped with '.' or ',' before the other mark (`1.234,56`,
    `1,234.56`). One mark alone is the decimal mark; but a `.` before exactly three digits
    reads two ways (`1.234`: Georgians also group thousands with dots): _Ambiguous."""
    sign = raw[0] if raw[:1] in "+-" else ""
    body = raw[len(sign):]
    for space in _SPACES:
        body = body.replace(space, "G")
    if body.count(",") and body.count("."):
        mark = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if mark == "," else ","
        if "G" in body:
            return None
        body = body.replace(group, "G")
    elif body.count(",") > 1 or body.count(".") > 1:  # one mark, repeated: groups
        if "G" in body:
            return None
        body = body.replace(",", "G").replace(".", "G")
        mark = None
    elif "," in body or "." in body:
        mark = "," if "," in body else "."
        whole, _, part = body.partition(mark)
        if (mark == "." and len(part) == 3 and 1 <= len(whole) <= 3 and whole.isdigit()
                and not whole.startswith("0")):
            raise _Ambiguous
    else:
        mark = None
    whole, _, part = body.partition(mark) if mark else (body, "", "")
    if "G" in whole:
        if not _GROUPED.match(whole):
            return None
        whole = whole.replace("G", "")
    text = sign + whole + ("." + part if mark else "")
    return text if _PLAIN_RE.match(text) else None


def _symbols() -> tuple[str, str]:
    """The decimal mark and the thousands separator of the language in force (Babel's
    locale data: Georgian `,` and a no-break space; English `.` and `,`)."""
    from smallbiz.i18n import language

    code = language()
    if code not in _SYMBOLS:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        _SYMBOLS[code] = (get_decimal_symbol(code), get_group_symbol(code))
    return _SYMBOLS[code]


_SYMBOLS: dict[str, tuple[str, str]] = {"en": (".", ",")}


def minor_digits(currency: str) -> int:
    """Minor unit digits of an ISO 4217 currency (2 unless listed otherwise)."""
    return _MINOR_DIGITS.get(currency.upper(), 2)


#: Currency symbols journals write, and the ISO code each is read as ('$' is also the sign
#: of other dollars: `import journal --commodity '$=CAD'` says so).
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₾": "GEL", "₽": "RUB",
                    "₴": "UAH", "₺": "TRY", "₹": "INR", "₪": "ILS", "₩": "KRW", "₼": "AZN",
                    "֏": "AMD", "zł": "PLN"}


def validate_currency(code: str) -> str:
    """An ISO 4217 code, or a currency symbol (`$`, `€`, `₾`, ...) read as its code."""
    value = (code or "").strip()
    value = CURRENCY_SYMBOLS.get(value, value).upper()
    if value not in CURRENCIES:
        raise ValidationError(
            _("currency: '{code}' is not an ISO 4217 currency code (e.g. GEL, USD, EUR)").format(
                code=code), field="currency")
    return value


def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def parse_decimal(text: str | int | Decimal, digits: int, *, field: str = "amount",
                  what: str = "amount") -> Decimal:
    """Parse a typed number: `1234.5`, `1,234.50`, `-12`; in Georgian also `1234,5`,
    `1 234,50`, `1.234,50`. The forms are those of `i18n.input_language()`: the language in
    force, or the locale a file being read states (`i18n.reading`).

    Refuses (ValidationError naming the field) empty input, words, exponents, NaN and
    infinities, more decimals than `digits`, and a number that reads two ways (`1.234`:
    a thousand, or one point two three four?). Returns a Decimal quantized to `digits`.
    """
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ValidationError(_("{field}: {what} must be a finite number").format(
                field=field, what=what), field=field)
        raw = format(text, "f")
    elif isinstance(text, int) and not isinstance(text, bool):
        raw = str(text)
    elif isinstance(text, str):
        raw = text.strip()
    else:
        raise ValidationError(_("{field}: {what} must be a number").format(field=field, what=what),
                              field=field)
    if not raw:
        raise ValidationError(_("{field}: {what} is required").format(field=field, what=what),
                              field=field)
    from smallbiz.i18n import input_language

    typed = isinstance(text, str)  # a Decimal or int is no typed text: plain, in any language
    try:
        if input_language() == "en" or not typed:  # plain, or grouped with ',' (`1,234.50`)
            plain = raw.replace(",", "") if _AMOUNT_RE.match(raw) else None
        else:
            plain = _canonical(raw)
    except _Ambiguous:
        whole, part = re.split(r"[.,]", raw.lstrip("+-"), maxsplit=1)
        raise ValidationError(
            _("{field}: '{value}' is ambiguous: is it {thousand} or {small}? Write {thousand} "
              "for the first, {small} for the second").format(
                field=field, value=raw, thousand=whole + part,
                small=format_number(Decimal(f"{whole}.{part}"))), field=field) from None
    if plain is None:
        raise ValidationError(
            _("{field}: '{value}' is not a valid {what} (use digits like 1234.50 or 1,234.50)")
            .format(field=field, value=raw, what=what), field=field)
    try:
        value = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the regex already guards
        raise ValidationError(_("{field}: '{value}' is not a valid {what}").format(
            field=field, value=raw, what=what), field=field) from None
    check_range(value, field=field, shown=raw)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > digits and value != value.quantize(_quantum(digits)):
        raise ValidationError(
            _("{field}: '{value}' has more than {digits} decimals").format(
                field=field, value=raw, digits=digits), field=field)
    return value.quantize(_quantum(digits))


def check_range(value: Decimal, *, field: str, shown: str | None = None) -> Decimal:
    """Refuse a number (typed or computed, e.g. quantity × price) of a trillion or more."""
    if abs(value) >= _LIMIT:
        raise ValidationError(
            _("{field}: '{value}' is too large (at most {n} digits before the decimal point)")
            .format(field=field, value=shown or format(value.normalize(), "f"),
                    n=MAX_WHOLE_DIGITS),
            field=field)
    return value


def too_large(total: int, held: int) -> bool:
    """Whether an account's monthly total `total`, or the sizes of all its monthly totals
    added up (`held`), in minor units, pass MAX_ACCOUNT_MINOR."""
    return abs(total) > MAX_ACCOUNT_MINOR or held > MAX_ACCOUNT_MINOR


def check_totals(total: int, held: int, *, account: str, period: str, digits: int) -> None:
    """Refuse (RuleViolation) a write that would make an account's `period` total `total`
    and the sizes of all its monthly totals add up to `held` (minor units), when either
    passes MAX_ACCOUNT_MINOR: nothing is written then."""
    if too_large(total, held):
        raise RuleViolation(
            _("account {account}: its total for {period} would be {total} and its totals "
              "would add up to {held}, more than one account can hold ({limit}); nothing "
              "was written").format(account=account, period=period,
                                    total=minor_text(total, digits),
                                    held=minor_text(held, digits),
                                    limit=minor_text(MAX_ACCOUNT_MINOR, digits)),
            field="amount")


def parse_amount(text: str | int | Decimal, digits: int = 2, *, field: str = "amount") -> Decimal:
    """Parse a money amount with at most the currency's minor digits."""
    return parse_decimal(text, digits, field=field, what=_("amount"))


def parse_quantity(text: str | int | Decimal, *, field: str = "quantity") -> Decimal:
    """Parse a quantity, exact to three decimals."""
    return parse_decimal(text, QTY_DIGITS, field=field, what=_("quantity"))


def parse_percent(text: str | int | Decimal, *, field: str = "percent") -> Decimal:
    """Parse a percentage between 0 and 100 with up to two decimals (`18`, `7.5`)."""
    raw = text.strip().rstrip("%") if isinstance(text, str) else text
    value = parse_decimal(raw, 2, field=field, what=_("percentage"))
    if value < 0 or value > 100:
        raise ValidationError(_("{field}: {value} is not between 0 and 100").format(
            field=field, value=value), field=field)
    return value


def round_amount(value: Decimal, digits: int = 2) -> Decimal:
    """Round half-up to the minor unit (used once per document line)."""
    return value.quantize(_quantum(digits), rounding=ROUND_HALF_UP)


def to_minor(value: Decimal, digits: int) -> int:
    """Exact conversion to integer minor units; refuses to round silently."""
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {digits} decimals")
    return int(scaled)


def from_minor(value: int | None, digits: int) -> Decimal:
    """Integer minor units (e.g. an SQL SUM) back to a Decimal with fixed decimals."""
    return Decimal(int(value or 0)).scaleb(-digits).quantize(_quantum(digits))


def minor_text(minor: int, digits: int) -> str:
    """Integer minor units as a plain number with the currency's decimals: -123456 → -1234.56."""
    whole, part = divmod(abs(minor), 10 ** digits)
    sign = "-" if minor < 0 else ""
    return f"{sign}{whole}.{part:0{digits}d}" if digits else f"{sign}{whole}"


def format_amount(value: Decimal, digits: int = 2, *, grouping: bool = False) -> str:
    """`1234.5` → `1234.50`: fixed decimals, no float. Without grouping the plain form,
    the same in every language (stored text, audit rows, messages of record); with
    grouping the display form of the language in force: `1,234.50` in English,
    `1 234,50` in Georgian."""
    q = value.quantize(_quantum(digits))
    return format_number(q) if grouping else f"{q:.{digits}f}"


def format_number(value: Decimal) -> str:
    """A number for people, with its own decimals, in the language in force: `1,234.5`
    (English), `1 234,5` (Georgian); never `-0`."""
    if value == 0:
        value = abs(value)
    text = f"{value:,}"
    decimal, group = _symbols()
    if (decimal, group) == (".", ","):
        return text
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_money(value: Decimal, digits: int, currency: str) -> str:
    """An amount with its currency, as the language writes it: `1,234.56 GEL` (English),
    `1 234,56 ₾` (Georgian; Babel's currency symbol for the locale)."""
    from smallbiz.i18n import language

    code = language()
    number = format_amount(value, digits, grouping=True)
    if code == "en":
        return f"{number} {currency}"
    from babel.numbers import get_currency_symbol

    return f"{number}\u00a0{get_currency_symbol(currency, locale=code)}"


def shown_rate(rate: Decimal) -> Decimal:
    """A rate as people write it: at least four decimals, no trailing zeros past them
    (2.695000 → 2.6950, 0.017958 stays)."""
    four = rate.quantize(Decimal("0.0001"))
    return four if four == rate else rate.normalize()


def format_quantity(value: Decimal) -> str:
    """Quantities print without trailing zeros: `30`, `2.5`, `0.125`."""
    q = value.quantize(_quantum(QTY_DIGITS))
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


_COLUMN_TYPES = ("Money", "_FixedScale", "Quantity", "UnitPrice", "Percent")


def __getattr__(name: str) -> Any:
    if name in _COLUMN_TYPES:
        _define_column_types()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _define_column_types() -> None:
    """Define Money, Quantity, UnitPrice, Percent (and their base _FixedScale) once."""
    from sqlalchemy.types import BigInteger, TypeDecorator

    class Money(TypeDecorator[Decimal]):
        """Decimal ↔ INTEGER minor units of the book currency (digits read off the dialect)."""

        impl = BigInteger
        cache_ok = True

        def process_bind_param(self, value, dialect):  # type: ignore[override]
            if value is None:
                return None
            return to_minor(Decimal(value), getattr(dialect, "smallbiz_money_digits", 2))

        def process_result_value(self, value, dialect):  # type: ignore[override]
            if value is None:
                return None
            return from_minor(value, getattr(dialect, "smallbiz_money_digits", 2))

    class _FixedScale(TypeDecorator[Decimal]):
        impl = BigInteger
        cache_ok = True
        digits = 0

        def process_bind_param(self, value, dialect):  # type: ignore[override]
            if value is None:
                return None
            return to_minor(Decimal(value), self.digits)

        def process_result_value(self, value, dialect):  # type: ignore[override]
            if value is None:
                return None
            return from_minor(value, self.digits)

    class Quantity(_FixedScale):
        """Decimal quantity ↔ INTEGER thousandths."""

        cache_ok = True  # SQLAlchemy reads it off each class, not its base
        digits = QTY_DIGITS

    class UnitPrice(_FixedScale):
        """Unit price / average cost ↔ INTEGER millionths of the currency unit."""

        cache_ok = True
        digits = UNIT_PRICE_DIGITS

    class Percent(_FixedScale):
        """A percentage (VAT rate, discount, probability) ↔ INTEGER hundredths of a percent."""

        cache_ok = True
        digits = 2

    for cls in (Money, _FixedScale, Quantity, UnitPrice, Percent):
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
        globals()[cls.__name__] = cls
