"""CSV and XLSX statements: a column mapping says which column is what.

A mapping names the header of each column it reads (`date`, then `amount` or `debit` and
`credit`, and optionally `description`, `counterparty`, `reference`, `balance`,
`currency`), the date format (`yyyy-mm-dd`, `dd.mm.yyyy`, `dd/mm/yyyy`, `mm/dd/yyyy`) and
the decimal mark (`.` or `,`). Mappings are saved by name in the book (`bank mapping
add`); a file is matched to the first saved mapping, then preset, whose columns all appear
in its header, so the second import of a bank's file needs no `--mapping`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from smallbiz.bank.parsed import ParsedLine, ParsedStatement, clean_text
from smallbiz.dates import parse_date
from smallbiz.errors import ValidationError
from smallbiz.i18n import N_, _, reading
from smallbiz.money import UNIT_PRICE_DIGITS, parse_decimal

DATE_FORMATS = {"yyyy-mm-dd": "%Y-%m-%d", "dd.mm.yyyy": "%d.%m.%Y",
                "dd/mm/yyyy": "%d/%m/%Y", "mm/dd/yyyy": "%m/%d/%Y"}
#: The amounts a row may carry, as an error names them.
AMOUNT_NAMES = (N_("amount"), N_("debit"), N_("credit"), N_("balance"))
COLUMNS = ("date", "amount", "debit", "credit", "description", "counterparty", "reference",
           "balance", "currency")


@dataclass(frozen=True)
class Mapping:
    name: str
    date: str
    amount: str = ""
    debit: str = ""
    credit: str = ""
    description: str = ""
    counterparty: str = ""
    reference: str = ""
    balance: str = ""
    currency: str = ""
    date_format: str = "yyyy-mm-dd"
    decimal: str = "."

    def columns(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS if getattr(self, c)}

    def to_json(self) -> str:
        data = asdict(self)
        del data["name"]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, name: str, text: str) -> Mapping:
        return cls(name=name, **json.loads(text))


def validate(m: Mapping) -> Mapping:
    """Refuses a mapping without a date column, without amounts (an amount column, or
    both debit and credit), with an unknown date format or decimal mark."""
    if not m.name.strip() or len(m.name) > 64 or any(ch.isspace() for ch in m.name):
        raise ValidationError(_("mapping name: 1 to 64 characters without spaces"),
                              field="name")
    if not m.date.strip():
        raise ValidationError(_("--date: the mapping needs the date column's header"),
                              field="date")
    if not m.amount and not (m.debit and m.credit):
        raise ValidationError(_("the mapping needs --amount, or both --debit and --credit"),
                              field="amount")
    if m.date_format not in DATE_FORMATS:
        raise ValidationError(_("--date-format: one of {formats}").format(
            formats=", ".join(DATE_FORMATS)), field="date_format")
    if m.decimal not in (".", ","):
        raise ValidationError(_("--decimal: '.' or ','"), field="decimal")
    return m


#: Shipped layouts (README "Bank statements" shows how to write your own).
PRESETS = (
    Mapping("plain", date="date", amount="amount", description="description",
            counterparty="counterparty", reference="reference", balance="balance",
            currency="currency"),
    Mapping("debit-credit", date="Date", debit="Debit", credit="Credit",
            description="Details", counterparty="Partner", reference="Reference",
            balance="Balance", date_format="dd.mm.yyyy", decimal=","),
    Mapping("ka", date="თარიღი", debit="დებეტი", credit="კრედიტი",
            description="დანიშნულება", counterparty="პარტნიორი", balance="ნაშთი",
            date_format="dd.mm.yyyy", decimal=","),
)


def _norm(header: str) -> str:
    return " ".join(str(header or "").split()).casefold()


_REQUIRED = ("date", "amount", "debit", "credit")


def fits(m: Mapping, header: list[str]) -> bool:
    """The header has the mapping's date and amount columns (the others are optional)."""
    have = {_norm(h) for h in header}
    return all(_norm(col) in have for key, col in m.columns().items() if key in _REQUIRED)


def fitted(m: Mapping, header: list[str]) -> Mapping:
    """The mapping without the optional columns this header lacks."""
    have = {_norm(h) for h in header}
    return replace(m, **{key: "" for key, col in m.columns().items()
                         if key not in _REQUIRED and _norm(col) not in have})


def choose_mapping(header: list[str], saved: list[Mapping], name: str | None) -> Mapping:
    """The mapping named `name` (saved, then preset), else the first that fits `header`."""
    candidates = [*saved, *PRESETS]
    if name:
        for m in candidates:
            if m.name == name:
                if not fits(m, header):
                    missing = [c for k, c in m.columns().items() if k in _REQUIRED
                               and _norm(c) not in {_norm(h) for h in header}]
                    raise ValidationError(_("line 1: mapping '{m}' needs the column(s) {cols}, "
                                            "not in the header").format(
                        m=name, cols=", ".join(missing)), field="--mapping")
                return fitted(m, header)
        raise ValidationError(_("--mapping: no mapping '{m}' (bank mapping list)").format(
            m=name), field="--mapping")
    for m in candidates:
        if fits(m, header):
            return fitted(m, header)
    raise ValidationError(_("line 1: no saved mapping fits this header ({h}); add one with "
                            "`smallbiz bank mapping add NAME --date COL --amount COL ...`")
                          .format(h=", ".join(str(h) for h in header)[:200]),
                          field="--mapping")


def _amount(value: Any, m: Mapping, where: str, what: str,
            locale: str | None = None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))  # a spreadsheet's number (shortest repr: 12.5, not 12.4999..)
    text = str(value).strip()
    if not text:
        return None
    if locale is not None:  # the file states its locale: the one number parser reads it
        negative = text.startswith("(") and text.endswith(")")
        try:
            with reading(locale):
                amount = parse_decimal(text.strip("()"), UNIT_PRICE_DIGITS, field=_(what))
        except ValidationError as exc:
            raise ValidationError(f"{where}: {exc.message}") from None
        amount = amount.normalize()
        if amount.as_tuple().exponent > 0:  # type: ignore[operator]
            amount = amount.quantize(Decimal(1))
        return -amount if negative else amount
    if m.decimal == "." and text[-1].isdigit() and "," not in text and " " not in text:
        try:
            return Decimal(text)  # the usual case: a plain number
        except InvalidOperation:
            pass
    text = text.replace("\u00a0", "").replace(" ", "")
    if m.decimal == ",":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("{where}: {what} '{v}' is not an amount").format(
            where=where, what=what, v=str(value)[:40])) from None
    return -amount if negative else amount


def _date(value: Any, m: Mapping, where: str, locale: str | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if locale is not None:  # the file states its locale: ISO or, in Georgian, 01.12.2026
        try:
            with reading(locale):
                return parse_date(text, field=_("date"))
        except ValidationError as exc:
            raise ValidationError(f"{where}: {exc.message}") from None
    try:
        if m.date_format == "yyyy-mm-dd":
            return dt.date.fromisoformat(text[:10])
        if m.date_format in ("dd.mm.yyyy", "dd/mm/yyyy") and len(text) >= 10:
            return dt.date(int(text[6:10]), int(text[3:5]), int(text[0:2]))
        return dt.datetime.strptime(text[:10], DATE_FORMATS[m.date_format]).date()
    except ValueError:
        raise ValidationError(_("{where}: date '{v}' is not {fmt}").format(
            where=where, v=text[:30], fmt=m.date_format)) from None


def parse_rows(rows: list[list[Any]], m: Mapping, fmt: str,
               locale: str | None = None) -> ParsedStatement:
    """Rows (the header first) read with the mapping; `line N` is the file's row number.
    With `locale` (`ka`, `en`: what the file states) its amounts and dates are read in
    that locale's forms (`money.parse_decimal`, `dates.parse_date`: an amount that reads
    two ways is refused) instead of the mapping's decimal mark and date format."""
    header = [_norm(h) for h in rows[0]]
    index = {key: header.index(_norm(col)) for key, col in m.columns().items()}
    lines: list[ParsedLine] = []
    currency: str | None = None

    def cell(row: list[Any], key: str) -> Any:
        i = index.get(key)
        return row[i] if i is not None and i < len(row) else None

    before, _n, after = _("line {n}").partition("{n}")
    for n, row in enumerate(rows[1:], start=2):
        if not any(row) or not any(str(c or "").strip() for c in row):
            continue
        where = f"{before}{n}{after}"
        day = _date(cell(row, "date"), m, where, locale)
        if m.amount:
            amount = _amount(cell(row, "amount"), m, where, "amount", locale)
        else:
            debit = _amount(cell(row, "debit"), m, where, "debit", locale) or Decimal(0)
            credit = _amount(cell(row, "credit"), m, where, "credit", locale) or Decimal(0)
            amount = credit - abs(debit) if debit or credit else None
        if amount is None:
            raise ValidationError(_("{where}: no amount").format(where=where))
        ccy = clean_text(cell(row, "currency"), where, "currency").upper()
        if ccy:
            if currency and ccy != currency:
                raise ValidationError(_("{where}: currency {a}, earlier lines are in {b}")
                                      .format(where=where, a=ccy, b=currency))
            currency = ccy
        lines.append(ParsedLine(
            day, amount, clean_text(cell(row, "description"), where, "description"),
            clean_text(cell(row, "counterparty"), where, "counterparty"),
            clean_text(cell(row, "reference"), where, "reference"),
            _amount(cell(row, "balance"), m, where, "balance", locale), None, where))
    closing = closing_date = None
    with_balance = [ln for ln in lines if ln.balance is not None]
    if with_balance:
        last = max(with_balance, key=lambda ln: ln.date)  # the last of the latest day
        last = [ln for ln in with_balance if ln.date == last.date][-1]
        closing, closing_date = last.balance, last.date
    return ParsedStatement(fmt, currency, lines, closing, closing_date)


def csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValidationError(_("line {n}: not UTF-8 text").format(n=line)) from None
    sample = text[:4096]
    first = sample.splitlines()[0] if sample.strip() else ""
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        raise ValidationError(_("line 1: the file has no header row"))
    return rows


def xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("line 1: not a readable XLSX workbook ({why})").format(
            why=" ".join(str(exc).split())[:120] or type(exc).__name__)) from None
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    while rows and not any(str(c or "").strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise ValidationError(_("line 1: the sheet is empty"))
    return [[("" if c is None else c) for c in r] for r in rows]

