"""Document lines: what a user types for one line, and the line's amounts.

Line math (DESIGN: half-up per line):
    net   = round_half_up(quantity × unit price × (1 − discount / 100))
    VAT   = round_half_up(net × rate / 100)
    gross = net + VAT
A document's totals are the sums of its lines' amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import (
    UNIT_PRICE_DIGITS,
    check_range,
    parse_decimal,
    parse_percent,
    parse_quantity,
    round_amount,
)

HUNDRED = Decimal(100)

#: How a line's VAT counts on the monthly VAT declaration: a taxable supply at a positive
#: rate (18 %), a zero-rated one (0 %, export: input VAT stays deductible), or an exempt
#: one (no VAT). A 0 % rate without a code is exempt; `zero` is said explicitly.
VAT_CODES = ("standard", "zero", "exempt")


def vat_code_for(rate: Decimal, code: str | None, *, field: str = "line") -> str:
    """The line's VAT code, checked against its rate: `standard` needs a positive rate,
    `zero` and `exempt` a 0 % one."""
    if code is None:
        return "standard" if rate > 0 else "exempt"
    if code not in VAT_CODES:
        raise ValidationError(_("{field}: VAT code '{code}' is not one of {codes}").format(
            field=field, code=code, codes=", ".join(VAT_CODES)), field=field)
    if (code == "standard") != (rate > 0):
        raise ValidationError(
            _("{field}: VAT code '{code}' does not go with a {rate} % rate ('standard' is "
              "for a positive rate, 'zero' and 'exempt' for 0 %)").format(
                field=field, code=code, rate=f"{rate.normalize():f}"), field=field)
    return code


@dataclass(frozen=True)
class LineInput:
    """One order line as asked for. None means "the product's default"."""

    product: str | int  # SKU (or the product id)
    quantity: Decimal
    unit_price: Decimal | None = None  # sales: the product's price; purchases: its cost
    discount: Decimal | None = None  # percent
    vat_rate: Decimal | None = None  # percent; default: the product's rate
    description: str | None = None  # default: the product's name
    vat_code: str | None = None  # standard | zero | exempt; default from the rate


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal
    gross: Decimal


def part_amounts(line: Any, quantity: Decimal, done: tuple[Decimal, Decimal, Decimal],
                 digits: int) -> tuple[Decimal, Decimal]:
    """Net and VAT of `quantity` of a document line (anything with quantity, unit_price,
    discount, vat_rate, net, vat) of which (quantity, net, VAT) `done` are already taken
    (invoiced, credited): the part that takes the line to its end takes what is left, so
    the parts always add up to the line to the cent."""
    q_done, n_done, v_done = done
    if q_done + quantity == line.quantity:
        return line.net - n_done, line.vat - v_done
    amounts = line_amounts(quantity, line.unit_price, line.discount, line.vat_rate, digits)
    return amounts.net, amounts.vat


def line_amounts(quantity: Decimal, unit_price: Decimal, discount: Decimal, vat_rate: Decimal,
                 digits: int, *, field: str = "line") -> LineAmounts:
    """Net, VAT and gross of one line, each rounded half-up to the currency's minor unit.
    Refuses (ValidationError naming `field`) a line of a trillion or more."""
    check_range(quantity * unit_price, field=field)
    net = round_amount(quantity * unit_price * (1 - discount / HUNDRED), digits)
    vat = round_amount(net * vat_rate / HUNDRED, digits)
    check_range(net + vat, field=field)
    return LineAmounts(net, vat, net + vat)


def parse_unit_price(text: str, *, field: str) -> Decimal:
    value = parse_decimal(text, UNIT_PRICE_DIGITS, field=field, what=_("price"))
    if value < 0:
        raise ValidationError(_("{field}: a price cannot be negative").format(field=field),
                              field=field)
    return value


def parse_line_spec(text: str, index: int = 1, *, option: str = "--line") -> LineInput:
    """Parse `SKU=QTY[@PRICE][-DISCOUNT%][:VATCODE]`, e.g. `TOOL-01=30`,
    `TOOL-01=50@12.00`, `TOOL-01=10@25.00-5%`, `TOOL-01=10:zero` (an export at 0 %).
    Errors name the option, its position and the text."""
    where = f"{option} {index} ('{text}')"
    sku, sep, rest = text.rpartition("=")
    sku = sku.strip()
    vat_code: str | None = None
    vat_rate: Decimal | None = None
    head, colon, code = rest.rpartition(":")
    if colon:
        vat_code = code.strip().lower()
        if vat_code not in VAT_CODES:
            raise ValidationError(_("{where}: VAT code '{code}' is not one of {codes}").format(
                where=where, code=code.strip(), codes=", ".join(VAT_CODES)),
                field=f"line {index}")
        vat_rate = Decimal(0) if vat_code != "standard" else None
        rest = head
    if not sep or not sku or not rest.strip():
        raise ValidationError(
            _("{where}: expected SKU=QTY[@PRICE][-DISCOUNT%], e.g. TOOL-01=3@25.00").format(
                where=where), field=f"line {index}")
    rest = rest.strip()
    discount: Decimal | None = None
    if rest.endswith("%"):
        head, dash, pct = rest.rpartition("-")
        if not dash or not head:
            raise ValidationError(
                _("{where}: write a discount as -PCT% after the quantity or price, "
                  "e.g. TOOL-01=3@25.00-10%").format(where=where), field=f"line {index}")
        discount = parse_percent(pct, field=f"{where} discount")
        rest = head
    qty_text, at, price_text = rest.partition("@")
    quantity = parse_quantity(qty_text, field=f"{where} quantity")
    if quantity <= 0:
        raise ValidationError(_("{where}: the quantity must be more than 0").format(where=where),
                              field=f"line {index}")
    price = parse_unit_price(price_text, field=f"{where} price") if at else None
    return LineInput(sku, quantity, price, discount, vat_rate, vat_code=vat_code)
