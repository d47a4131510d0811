"""Foreign currency: the book's rate table and the one conversion rule.

A rate is book currency per one unit of the foreign currency (USD 2.6950: one dollar is
2.6950 lari), kept to six decimals, one per currency and day (`fx_rate`). The rate for a
date is the latest on or before it. The National Bank of Georgia quotes some currencies
per 10, 100 or 1000 units: its file's rate divided by its quantity, rounded half-up to six
decimals, is the rate per unit.

The conversion rule, used by every document, payment, revaluation and `check`: a foreign
amount × rate, rounded half-up to the book's minor unit (`to_book`). A posting that
carries a foreign amount always holds exactly `to_book(amount_fx, rate)`; whatever the
rounding leaves over goes to postings without a foreign amount (a document's largest
line, a payment's exchange difference or its rounding line). One exception: revaluing an
account kept in another currency moves its book value only, a posting of foreign amount 0
at the day's rate (`holds`), in the revaluation's entry and its reversal (and in an
imported journal's entry, where the export wrote such a posting, `journal_export`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from smallbiz import audit, settings
from smallbiz.dates import as_date, now
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import (
    UNIT_PRICE_DIGITS,
    from_minor,
    minor_digits,
    parse_decimal,
    round_amount,
    shown_rate,
    to_minor,
    validate_currency,
)
from smallbiz.sql import Tx
from smallbiz.textcheck import read_text

RATE_DIGITS = UNIT_PRICE_DIGITS  # stored in millionths, like unit prices
_RATE_QUANTUM = Decimal(1).scaleb(-RATE_DIGITS)
MAX_ERRORS = 20


@dataclass(frozen=True)
class Foreign:
    """A document's or payment's currency and the rate it is converted at."""

    currency: str
    rate: Decimal


@dataclass(frozen=True)
class RateView:
    currency: str
    date: dt.date
    rate: Decimal


@dataclass(frozen=True)
class RateImport:
    rates: int  # rows written (a day's rate already in the book is replaced)
    currencies: list[str]
    first: dt.date | None
    last: dt.date | None


def to_book(amount_fx: Decimal, rate: Decimal, digits: int) -> Decimal:
    """The book-currency amount of a foreign amount: amount × rate, half-up to the minor
    unit (the one rule; see the module docstring)."""
    return round_amount(amount_fx * rate, digits)


def holds(amount: Decimal, amount_fx: Decimal, rate: Decimal, digits: int, *,
          revaluation: bool = False) -> bool:
    """Whether a posting's book `amount` is its foreign amount converted by the rule; in a
    revaluation (or its reversal) a foreign amount of 0 may carry any book amount: the
    difference the revaluation books on an account kept in another currency."""
    return to_book(amount_fx, rate, digits) == amount or (revaluation and amount_fx == 0)


def per_unit(rate: Decimal, quantity: Decimal = Decimal(1)) -> Decimal:
    """A rate quoted per `quantity` units, per one unit (six decimals, half-up)."""
    return (rate / quantity).quantize(_RATE_QUANTUM, rounding=ROUND_HALF_UP)


def parse_rate(text: str | Decimal, *, field: str = "rate") -> Decimal:
    """A rate typed by a person: a number > 0 with at most six decimals."""
    value = parse_decimal(text, RATE_DIGITS, field=field, what=_("rate"))
    if value <= 0:
        raise ValidationError(_("{field}: a rate must be more than 0").format(field=field),
                              field=field)
    return value


def foreign_currency(s: Tx, code: str, *, field: str = "--currency") -> str:
    """A currency other than the book's, whose amounts fit the book's minor unit."""
    try:
        value = validate_currency(code)
    except ValidationError as exc:
        raise ValidationError(str(exc), field=field) from None
    book = settings.load(s).currency
    if value == book:
        raise ValidationError(_("{field}: {code} is the book's own currency").format(
            field=field, code=value), field=field)
    if minor_digits(value) > s.money_digits:
        raise ValidationError(
            _("{field}: {code} has {n} decimals, more than the book's currency {book}").format(
                field=field, code=value, n=minor_digits(value), book=book), field=field)
    return value


def document_currency(s: Tx, code: str, *, field: str = "--currency") -> str | None:
    """A document's currency as asked for a change: None for the book's
    (`is_book_currency`), else `foreign_currency`'s code."""
    if is_book_currency(code, settings.load(s).currency):
        return None
    return foreign_currency(s, code.strip(), field=field)


def is_book_currency(code: str, book: str) -> bool:
    """Does `code`, as typed, name the book's currency `book`: empty, its code or its
    symbol? (A document's currency field: empty is the book's.)"""
    value = (code or "").strip()
    return not value or validate_currency_or_none(value) == book


def validate_currency_or_none(code: str) -> str | None:
    """`validate_currency`'s code, or None when `code` is no currency."""
    try:
        return validate_currency(code)
    except ValidationError:
        return None


def rate_on(s: Tx, currency: str, on: dt.date) -> Decimal:
    """The rate of `currency` for `on`: the latest in the rate table on or before it."""
    row = s.first("SELECT rate FROM fx_rate WHERE currency = :c AND date <= :d "
                  "ORDER BY date DESC LIMIT 1", {"c": currency, "d": on.isoformat()})
    if row is None:
        raise RuleViolation(
            _("no {code} rate on or before {date}: add one (smallbiz rate set {code} RATE "
              "--date {date}) or give --rate").format(code=currency, date=on.isoformat()),
            field="rate")
    return from_minor(row[0], RATE_DIGITS)


def resolve_foreign(s: Tx, currency: str | None, rate: str | Decimal | None, on: dt.date
                    ) -> Foreign | None:
    """The currency and rate a document or payment dated `on` is converted at: None for
    the book's currency; the rate given, else the rate table's."""
    if currency is None:
        if rate is not None:
            raise ValidationError(_("--rate: give it with --currency"), field="--rate")
        return None
    code = foreign_currency(s, currency)
    value = parse_rate(rate, field="--rate") if rate is not None else rate_on(s, code, on)
    return Foreign(code, value)


def _write(s: Tx, currency: str, on: dt.date, rate: Decimal) -> None:
    s.execute("DELETE FROM fx_rate WHERE currency = :c AND date = :d",
              {"c": currency, "d": on.isoformat()})
    s.insert("fx_rate", {"currency": currency, "date": on.isoformat(),
                         "rate": to_minor(rate, RATE_DIGITS),
                         "created_at": now().replace(tzinfo=None)})


def set_rate(s: Tx, currency: str, rate: str | Decimal, on: dt.date) -> RateView:
    """Set `currency`'s rate from `on` (replacing that day's rate). Validates the currency
    (not the book's) and the rate (> 0, six decimals at most); writes it and an audit row."""
    code = foreign_currency(s, currency, field="currency")
    value = parse_rate(rate)
    _write(s, code, on, value)
    audit.record(s, "set", "fx_rate", f"{code} {on.isoformat()}",
                 f"{code} {on.isoformat()} {value}")
    return RateView(code, on, value)


def list_rates(s: Tx, currency: str | None = None) -> list[RateView]:
    """The rate table, by currency and date (one currency with `currency`)."""
    where, params = "", {}
    if currency is not None:
        where, params = "WHERE currency = :c", {"c": validate_currency(currency)}
    return [RateView(c, as_date(d), from_minor(r, RATE_DIGITS))  # type: ignore[arg-type]
            for c, d, r in s.all(f"SELECT currency, date, rate FROM fx_rate {where} "
                                 "ORDER BY currency, date", params)]


# -- import -----------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]*Z?)?$")
#: The simple layout's columns, and the National Bank of Georgia's (its export's names).
SIMPLE = ("date", "currency", "rate")
NBG = ("code", "quantity", "rate", "date")


def _day(text: str, where: str) -> dt.date:
    m = _ISO_DAY.match(text)
    try:
        if m is None:
            raise ValueError
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise ValidationError(_("{where}: '{value}' is not a date (YYYY-MM-DD)").format(
            where=where, value=text), field="file") from None


def _number(text: str, where: str, what: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise ValidationError(_("{where}: {what} '{value}' is not a number more than 0").format(
            where=where, what=what, value=text), field="file")
    return value


def _rows(text: str, name: str) -> tuple[list[list[str]], int, tuple[int, ...], bool]:
    """The file's rows, the line the data starts on, the columns' positions (date,
    currency, rate, quantity or -1) and whether it is the NBG layout."""
    sample = text[:4096]
    delimiter = max(",;\t", key=sample.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise ValidationError(_("{path}: the file is empty").format(path=name), field="file")
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    if all(c in header for c in NBG):
        return rows[1:], 2, (header.index("date"), header.index("code"),
                             header.index("rate"), header.index("quantity")), True
    if all(c in header for c in SIMPLE):
        return rows[1:], 2, (header.index("date"), header.index("currency"),
                             header.index("rate"), -1), False
    if len(header) == 3 and _ISO_DAY.match(header[0]):  # date,currency,rate without header
        return rows, 1, (0, 1, 2, -1), False
    raise ValidationError(
        _("{path} line 1: expected the columns date,currency,rate or the National Bank of "
          "Georgia's code,quantity,rate,date").format(path=name), field="file")


def read_rates(s: Tx, path: str | Path) -> list[RateView]:
    """Read a rate file (see `import_rates`); every problem with its line number."""
    file = Path(path)
    text = read_text(file)
    rows, first, (i_date, i_code, i_rate, i_qty), _nbg = _rows(text, file.name)
    book = settings.load(s).currency
    out: dict[tuple[str, dt.date], tuple[int, RateView]] = {}
    errors: list[str] = []
    width = max(i_date, i_code, i_rate, i_qty) + 1
    for n, row in enumerate(rows, start=first):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        where = _("{path} line {n}").format(path=file.name, n=n)
        try:
            if len(cells) < width:
                raise ValidationError(_("{where}: expected {n} fields, found {m}").format(
                    where=where, n=width, m=len(cells)), field="file")
            day = _day(cells[i_date], where)
            try:
                code = validate_currency(cells[i_code])
            except ValidationError:
                raise ValidationError(_("{where}: '{code}' is not a currency code").format(
                    where=where, code=cells[i_code]), field="file") from None
            if code == book:
                raise ValidationError(_("{where}: {code} is the book's own currency").format(
                    where=where, code=code), field="file")
            rate = _number(cells[i_rate], where, _("rate"))
            qty = _number(cells[i_qty], where, _("quantity")) if i_qty >= 0 else Decimal(1)
            value = per_unit(rate, qty)
            if value == 0:
                raise ValidationError(_("{where}: the rate per unit rounds to 0").format(
                    where=where), field="file")
            earlier = out.get((code, day))
            if earlier is not None and earlier[1].rate != value:
                raise ValidationError(
                    _("{where}: {code} on {date} has another rate on line {m}").format(
                        where=where, code=code, date=day.isoformat(), m=earlier[0]),
                    field="file")
            out[(code, day)] = (n, RateView(code, day, value))
        except ValidationError as exc:
            errors.append(str(exc))
    if errors:
        more = len(errors) - MAX_ERRORS
        raise ValidationError("\n".join(errors[:MAX_ERRORS]) + (
            "\n" + _("... and {m} more").format(m=more) if more > 0 else "")
            + "\n" + _("nothing was imported"), field="file")
    if not out:
        raise ValidationError(_("{path}: no rates in the file").format(path=file.name),
                              field="file")
    return [view for _n, view in out.values()]


def import_rates(s: Tx, path: str | Path) -> RateImport:
    """Import a rate file: CSV `date,currency,rate` (header optional), or the National
    Bank of Georgia's daily rates export (columns code, quantity, rate, date; others are
    left alone; rate per unit = rate / quantity). Refuses the whole file on any bad line
    (each problem with its line number; nothing is written). Writes every rate (a day's
    rate already in the book is replaced) and one audit row."""
    rates = read_rates(s, path)
    for r in rates:
        _write(s, r.currency, r.date, r.rate)
    currencies = sorted({r.currency for r in rates})
    days = [r.date for r in rates]
    audit.record(s, "import", "fx_rate", Path(path).name,
                 f"{len(rates)} rates ({', '.join(currencies)}) "
                 f"{min(days).isoformat()}..{max(days).isoformat()}")
    return RateImport(len(rates), currencies, min(days), max(days))


def check_foreign_postings(s: Tx) -> list[str]:
    """`check`: every posting of a foreign amount holds exactly amount_fx × rate, rounded
    per the rule (`to_book`; a revaluation's posting of foreign amount 0 apart, `holds`)."""
    digits = s.money_digits
    problems = []
    for number, code, amount, currency, amount_fx, rate, source, reversed_source in s.execute(
            "SELECT e.number, a.code, p.amount, p.currency, p.amount_fx, p.rate, e.source, "
            "r.source FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
            "LEFT JOIN journal_entry r ON r.id = e.reverses_id "
            "JOIN account a ON a.id = p.account_id WHERE p.currency IS NOT NULL "
            "ORDER BY p.id"):
        if amount_fx is None or rate is None:
            problems.append(f"entry {number}: a {currency} posting to {code} has no foreign "
                            "amount or rate")
            continue
        fx, r = from_minor(amount_fx, digits), from_minor(rate, RATE_DIGITS)
        book = from_minor(amount, digits)
        # a revaluation's, or one read back from a journal (`revalued:`, journal_parse)
        if not holds(book, fx, r, digits,
                     revaluation="revaluation" in (source, reversed_source)
                     or source == "import"):
            problems.append(f"entry {number}: the posting to {code} holds {book} but "
                            f"{fx} {currency} x {shown_rate(r)} is {to_book(fx, r, digits)}")
    return problems


def convert_lines(amounts: Sequence[tuple[Decimal, Decimal]], rate: Decimal, digits: int
                  ) -> list[tuple[Decimal, Decimal]]:
    """A foreign document's lines (net, VAT in its currency) in the book currency: each
    converted by the rule; then the largest line's net takes what rounding left over, so
    the lines add up to exactly the document's gross converted (its receivable or
    payable posting, which carries the foreign gross)."""
    out = [[to_book(net, rate, digits), to_book(vat, rate, digits)] for net, vat in amounts]
    gross_fx = sum((net + vat for net, vat in amounts), Decimal(0))
    left = to_book(gross_fx, rate, digits) - sum((n + v for n, v in out), Decimal(0))
    if left and out:
        largest = max(range(len(out)), key=lambda i: abs(amounts[i][0]))
        out[largest][0] += left
    return [(n, v) for n, v in out]


def split_to_book(parts: Sequence[Decimal], rate: Decimal, digits: int, *,
                  fixed: Sequence[bool] = ()) -> list[Decimal]:
    """The parts of one foreign amount (a bank line split across accounts) in the book
    currency, adding up to exactly the whole converted (`to_book` of their sum), by the
    largest remainder: each part is converted by the rule, then what the rounding left
    over (a minor unit or a few, either way) goes one minor unit at a time to the parts
    whose own rounding moved them furthest the other way (ties: the earlier part).

    A `fixed` part (one posted with its foreign amount, to an account kept in that
    currency) holds the rule exactly and takes none; when every part is fixed, what is
    left over stays unallocated (the caller books it as an exchange difference)."""
    quantum = Decimal(1).scaleb(-digits)
    out = [to_book(p, rate, digits) for p in parts]
    left = to_book(sum(parts, Decimal(0)), rate, digits) - sum(out, Decimal(0))
    free = [i for i in range(len(parts)) if not (i < len(fixed) and fixed[i])]
    if not left or not free:
        return out
    step = quantum if left > 0 else -quantum
    # furthest the other way first: the most rounded down when units are added, the
    # most rounded up when they are taken
    remainder = {i: parts[i] * rate - out[i] for i in free}
    behind = sorted(free, key=lambda i: (-remainder[i] if step > 0 else remainder[i], i))
    for k in range(int(abs(left) / quantum)):
        out[behind[k % len(behind)]] += step
    return out
