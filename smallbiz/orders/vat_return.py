"""The monthly VAT return: the figures of the Georgian monthly VAT declaration
(დღგ-ის ყოველთვიური დეკლარაცია), from the invoices and bills of one calendar month.

- Taxable supplies: invoice lines with VAT code `standard` (net) and their output VAT.
- Zero-rated supplies: `zero` lines (exports at 0 %: no VAT, input VAT still deductible).
- Exempt supplies: `exempt` lines (no VAT).
- Input VAT: the VAT of the month's bills (purchases), with their taxable net.
- Payable (output > input) or refundable (input > output) VAT.

A document counts in the month of its date; a cancelled one counts again, negative, in
the month it was cancelled (as its reversing entry does in the books), so a filed month
never changes afterwards. The declaration is due on the 15th of the following month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smallbiz.dates import next_month
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor
from smallbiz.sql import Tx

#: A credit note lowers the sales of its period, a supplier's debit note the purchases;
#: a cancelled document (or note) counts back in the period it was cancelled.
_KIND = ("CASE i.kind WHEN 'credit_note' THEN 'invoice' WHEN 'debit_note' THEN 'bill'"
         " ELSE i.kind END")
_SIGN = "CASE WHEN i.kind IN ('credit_note', 'debit_note') THEN -1 ELSE 1 END"
_SUMS = (
    "SELECT t.kind, t.vat_code, SUM(t.net), SUM(t.vat) FROM ("
    f" SELECT {_KIND} AS kind, l.vat_code, {_SIGN} * l.net AS net, {_SIGN} * l.vat AS vat"
    "  FROM invoice_line l"
    "  JOIN invoice i ON i.id = l.invoice_id WHERE i.date >= :d1 AND i.date <= :d2{kinds}"
    " UNION ALL"
    f" SELECT {_KIND}, l.vat_code, -{_SIGN} * l.net, -{_SIGN} * l.vat FROM invoice_line l"
    "  JOIN invoice i ON i.id = l.invoice_id WHERE i.status = 'cancelled'"
    "  AND i.cancelled_on >= :d1 AND i.cancelled_on <= :d2{kinds}"
    ") t GROUP BY t.kind, t.vat_code")
#: the sales only (invoices and credit notes): the registration threshold's turnover
_SALES = _SUMS.format(kinds=" AND i.kind IN ('invoice', 'credit_note')")
_SUMS = _SUMS.format(kinds="")


@dataclass(frozen=True)
class VatReturn:
    month: str  # YYYY-MM
    start: dt.date
    end: dt.date
    due_date: dt.date  # the 15th of the next month
    taxable_supplies: Decimal  # net of standard-rated sales
    output_vat: Decimal
    zero_rated_supplies: Decimal  # exports at 0 %
    exempt_supplies: Decimal
    taxable_purchases: Decimal  # net of purchases with VAT
    input_vat: Decimal
    other_purchases: Decimal  # purchases without VAT (zero-rated or exempt)

    @property
    def net_vat(self) -> Decimal:
        """Output minus input VAT: positive is payable, negative refundable."""
        return self.output_vat - self.input_vat

    @property
    def payable(self) -> Decimal:
        return max(self.net_vat, Decimal(0) * self.net_vat)

    @property
    def refundable(self) -> Decimal:
        return max(-self.net_vat, self.net_vat * 0)


def parse_month(text: str, *, field: str = "--month") -> dt.date:
    """`2026-11` as its first day."""
    value = (text or "").strip()
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(value)
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValidationError(_("{field}: '{value}' is not a month (YYYY-MM, e.g. 2026-11)"
                                ).format(field=field, value=value), field=field) from None


def due_date(month_first: dt.date) -> dt.date:
    """The declaration of a month is due on the 15th of the next month."""
    return next_month(month_first).replace(day=15)


def vat_return(s: Tx, month: dt.date) -> VatReturn:
    """The VAT return of the calendar month containing `month`."""
    start = month.replace(day=1)
    end = next_month(start) - dt.timedelta(days=1)
    digits = s.money_digits
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    for kind, code, net, vat in s.execute(_SUMS, {"d1": start, "d2": end}):
        sums[kind, code] = (int(net or 0), int(vat or 0))

    def net(kind: str, *codes: str) -> Decimal:
        return from_minor(sum(sums.get((kind, c), (0, 0))[0] for c in codes), digits)

    def vat(kind: str) -> Decimal:
        return from_minor(sum(v[1] for k, v in sums.items() if k[0] == kind), digits)

    return VatReturn(
        month=start.strftime("%Y-%m"), start=start, end=end, due_date=due_date(start),
        taxable_supplies=net("invoice", "standard"), output_vat=vat("invoice"),
        zero_rated_supplies=net("invoice", "zero"), exempt_supplies=net("invoice", "exempt"),
        taxable_purchases=net("bill", "standard"), input_vat=vat("bill"),
        other_purchases=net("bill", "zero", "exempt"))


def taxable_turnover(s: Tx, end: dt.date) -> Decimal:
    """Taxable turnover of the 12 months up to `end` (the VAT registration test):
    invoiced supplies, standard and zero-rated, not exempt, less credit notes; cancellations
    netted. Only sales are read: bills and debit notes are the firm's purchases."""
    start = _twelve_months_back(end)
    total = 0
    for _kind, code, net, _vat in s.execute(_SALES, {"d1": start, "d2": end}):
        if code in ("standard", "zero"):
            total += int(net or 0)
    return from_minor(total, s.money_digits)


def _twelve_months_back(end: dt.date) -> dt.date:
    """The first day of the rolling 12 months that end on `end`."""
    try:
        back = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        back = end.replace(year=end.year - 1, day=28)
    return back + dt.timedelta(days=1)
