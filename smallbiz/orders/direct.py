"""Invoices and bills without an order: a service invoice, a supplier's bill for rent,
electricity or fuel, in one call.

A line is a service product (its price, VAT rate and name by default) or free text with a
price; either may name its own account: an income account on an invoice (default
Services), an expense account on a bill (default: the service's expense account, else
Other expenses, the `expenses` role).
Stock products are refused: goods go through an order, so that stock moves with them.
What it posts is the invoice's or bill's legs (`smallbiz.orders.lifecycle`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smallbiz import settings
from smallbiz.books.accounts import resolve_account
from smallbiz.books.fx import foreign_currency, resolve_foreign
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import today
from smallbiz.errors import AmbiguousReference, NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.orders.common import check_open
from smallbiz.orders.invoices import write_invoice
from smallbiz.orders.lines import line_amounts, parse_line_spec, vat_code_for
from smallbiz.orders.records import Invoice, InvoiceLine
from smallbiz.sql import Tx
from smallbiz.stock.service import resolve_product
from smallbiz.textcheck import refuse_control

#: The account type a line's own account must have, per document.
ACCOUNT_TYPE = {"invoice": "income", "bill": "expense"}


@dataclass(frozen=True)
class DirectLine:
    """One line of a direct invoice or bill. `what`: a service product's SKU, else the
    line's description (then `unit_price` is required). None: the product's (or the
    book's VAT rate) default."""

    what: str
    quantity: Decimal
    unit_price: Decimal | None = None
    discount: Decimal | None = None
    vat_rate: Decimal | None = None
    account: str | None = None  # code or name of the line's income / expense account
    description: str | None = None


def parse_direct_line(text: str, index: int = 1, *, option: str = "--line") -> DirectLine:
    """`WHAT=QTY[@PRICE][-DISCOUNT%][;account=CODE][;vat=PCT]`, e.g.
    `Electricity November=1@118.00;account=6200;vat=18` or `SVC-01=3`."""
    from smallbiz.money import parse_percent

    head, *options = text.split(";")
    spec = parse_line_spec(head, index, option=option)
    where = f"{option} {index} ('{text}')"
    account = vat = None
    for opt in options:
        key, eq, value = opt.partition("=")
        key = key.strip().lower()
        if not eq or key not in ("account", "vat") or not value.strip():
            raise ValidationError(
                _("{where}: after ';' give account=CODE or vat=PCT").format(where=where),
                field=f"line {index}")
        if key == "account":
            account = value.strip()
        else:
            vat = parse_percent(value, field=f"{where} vat")
    return DirectLine(str(spec.product), spec.quantity, spec.unit_price, spec.discount, vat,
                      account)


def _line(s: Tx, kind: str, line: DirectLine, position: int, vat_default: Decimal,
          currency: str | None = None) -> InvoiceLine:
    where = _("line {i}").format(i=position)
    if line.quantity <= 0:
        raise ValidationError(_("{where}: the quantity must be more than 0").format(
            where=where), field=where)
    what = line.what.strip()
    if not what:
        raise ValidationError(_("{where}: say what the line is (a service SKU or a "
                                "description)").format(where=where), field=where)
    refuse_control(what, where)
    try:
        product = resolve_product(s, what, field=where)
    except (NotFound, AmbiguousReference):
        product = None
    if product is not None and what.casefold() not in (product.sku.casefold(),
                                                       product.name.casefold()):
        product = None  # a description that happens to prefix a SKU stays a description
    if product is not None:
        if not product.is_service:
            raise RuleViolation(
                _("{where}: {sku} is a stock product; sell or buy goods with an order "
                  "(smallbiz sale new / purchase new) so the stock moves").format(
                    where=where, sku=product.sku), field=where)
        if product.archived:
            raise RuleViolation(_("{where}: product {sku} is archived").format(
                where=where, sku=product.sku), field=where)
    price = line.unit_price
    if price is None and currency is not None:
        raise ValidationError(_("{where}: give the price in {currency} as WHAT=QTY@PRICE").format(
            where=where, currency=currency), field=where)
    if price is None and product is not None:
        price = product.price if kind == "invoice" else product.cost
    if price is None:
        raise ValidationError(_("{where}: give the price as WHAT=QTY@PRICE").format(
            where=where), field=where)
    if price < 0:
        raise ValidationError(_("{where}: a price cannot be negative").format(where=where),
                              field=where)
    discount = line.discount if line.discount is not None else Decimal(0)
    if not 0 <= discount <= 100:
        raise ValidationError(_("{where}: a discount is between 0 and 100 %").format(
            where=where), field=where)
    rate = line.vat_rate if line.vat_rate is not None else (
        product.vat_rate if product is not None else vat_default)
    account_id = None
    if line.account is not None:
        acc = resolve_account(s, line.account, field=where)
        if acc.type != ACCOUNT_TYPE[kind] or acc.archived:
            raise ValidationError(
                _("{where}: {code} {name} is not an open {type} account").format(
                    where=where, code=acc.code, name=acc.name, type=_(ACCOUNT_TYPE[kind])),
                field=where)
        account_id = acc.id
    elif kind == "bill" and product is not None:
        account_id = product.expense_account_id  # the service's own, else Other expenses
    amounts = line_amounts(line.quantity, price, discount, rate, s.money_digits, field=where)
    description = (line.description or (product.name if product else what)).strip()
    return InvoiceLine(invoice_id=0, position=position,
                       product_id=product.id if product else None, description=description,
                       is_service=True, unit=product.unit if product else "",
                       quantity=line.quantity, unit_price=price, discount=discount,
                       vat_rate=rate, vat_code=vat_code_for(rate, None, field=where),
                       net=amounts.net, vat=amounts.vat, gross=amounts.gross,
                       account_id=account_id)


def issue_direct(s: Tx, kind: str, contact: str | int, lines: list[DirectLine], *,
                 on: dt.date | None = None, due: dt.date | None = None,
                 currency: str | None = None, rate: str | Decimal | None = None,
                 supplier_ref: str = "") -> Invoice:
    """Issue an invoice (we sell) or book a bill (we buy) without an order.

    Validates the contact (not archived), every line (a service SKU or a description with
    a price; quantity > 0; discount 0-100 %; the account, if named, an open income account
    on an invoice or expense account on a bill), the date (default today; not locked) and
    the due date (not before the date; default from payment terms) and a bill's
    `supplier_ref` (`invoices.clean_supplier_ref`). With `currency` the lines' prices are
    in it, converted at `rate` (default: the rate table's for the date; see
    `write_invoice`). Writes the document (INV-/BILL- number), its lines, its entry and an
    audit row.
    """
    if kind not in ACCOUNT_TYPE:
        raise ValidationError(f"unknown document kind {kind!r}")
    party = resolve_contact(s, contact, field=_("customer") if kind == "invoice"
                            else _("supplier"), include_archived=False)
    if not lines:
        raise ValidationError(_("a document needs at least one line (--line WHAT=QTY@PRICE)"),
                              field="lines")
    vat_default = settings.load(s).vat_rate
    code = foreign_currency(s, currency) if currency is not None else None
    rows = [_line(s, kind, line, i, vat_default, code)
            for i, line in enumerate(lines, start=1)]
    when = on or today()
    check_open(s, when, what=_("{kind} date").format(kind=_(kind)))
    if due is not None and due < when:
        raise ValidationError(_("due date: {due} is before the date {date}").format(
            due=due.isoformat(), date=when.isoformat()), field="due")
    fx = resolve_foreign(s, currency, rate, when)
    return write_invoice(s, kind, party, when, rows, due=due, fx=fx, supplier_ref=supplier_ref)
