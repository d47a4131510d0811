"""What every statement parser returns: the lines of one statement, in file order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz.errors import ValidationError
from smallbiz.textcheck import control_character, visible

FORMATS = ("ofx", "camt053", "mt940", "csv", "xlsx")


@dataclass(frozen=True)
class ParsedLine:
    """One statement line. `key`: the bank's own id for it (OFX FITID, CAMT entry
    reference), None when the file has none (then a hash is the key); `where`: "line 12"
    or "entry 3", how errors name it."""

    date: dt.date
    amount: Decimal  # money in +, out -
    description: str = ""
    counterparty: str = ""
    reference: str = ""
    balance: Decimal | None = None
    key: str | None = None
    where: str = ""


@dataclass(frozen=True)
class ParsedStatement:
    format: str
    currency: str | None  # None: the file does not say
    lines: list[ParsedLine] = field(default_factory=list)
    closing_balance: Decimal | None = None
    closing_date: dt.date | None = None
    bank_account: str = ""  # the bank's account number (IBAN), when the file gives it


def clean_text(value: object, where: str, what: str) -> str:
    """Text from a file: stripped, one line; a control character is refused with `where`."""
    if isinstance(value, str) and value.isprintable() and "  " not in value:
        return value.strip()  # the usual case: nothing to fold, no control character
    text = " ".join(str(value or "").split())
    if (bad := control_character(text)) is not None:
        raise ValidationError(f"{where}: {what}: control character U+{ord(bad.group()):04X} "
                              f"is not allowed ({visible(text, one_line=True)[:60]})")
    return text
