"""Products and stock: the catalogue, stock moves at moving-average cost, valuation.

Every function takes the caller's transaction, so a document (a shipment, a receipt)
moves its stock inside the same transaction that posts its journal entry. Only
`adjust_stock` is a business operation of its own and posts its entry itself.

Costing (moving average, in the order moves are recorded):
- a receipt adds its quantity at its cost: value = round(qty × unit cost), or the value
  the document already fixed (its line net);
- an issue takes value = round(qty × value on hand / qty on hand), except that an issue
  that empties the stock takes exactly the value that is left; so the stock value is
  always the exact sum of the amounts posted to Inventory;
- with the book setting `negative_stock` on, an issue beyond what is on hand takes the
  remaining value plus the excess at the current average (when nothing is on hand: the
  last average, else the product's default cost, else zero). A receipt into negative
  stock adds its own cost; the difference stays in the stock value until an issue
  next empties the stock and carries it to cost of goods sold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from smallbiz import audit, settings
from smallbiz.books.accounts import resolve_account
from smallbiz.books.journal import PostingInput, check_open_period, post_entry
from smallbiz.dates import as_date, now, parse_date, today
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import (
    QTY_DIGITS,
    UNIT_PRICE_DIGITS,
    check_range,
    format_amount,
    format_quantity,
    from_minor,
    parse_amount,
    parse_decimal,
    parse_percent,
    parse_quantity,
    round_amount,
    to_minor,
)
from smallbiz.refs import as_id, choose, like_prefix
from smallbiz.sql import Tx
from smallbiz.stock.reports import (  # noqa: F401  (part of this module's API)
    ProductInfo,
    StockRow,
    format_unit_cost,
    product_rows,
    stock_report,
    stock_valuation_total,
)
from smallbiz.stock.types import MOVE_SOURCES
from smallbiz.textcheck import refuse_control

SKU_MAX = 64
_SKU_FORBIDDEN = set("=@,;\"'")


# -- what the services return --------------------------------------------------------------

@dataclass(frozen=True)
class MoveInfo:
    id: int
    product_id: int
    sku: str
    date: dt.date
    quantity: Decimal  # signed: + in, - out
    value: Decimal  # signed cost value, in the currency's minor unit
    source: str
    source_id: int | None
    memo: str
    reverses_id: int | None = None

    @property
    def amount(self) -> Decimal:
        """The cost value as a positive amount (e.g. the COGS of a shipment)."""
        return abs(self.value)


@dataclass(frozen=True)
class AdjustmentResult:
    move: MoveInfo
    entry_number: str | None  # None when the move's value is zero (nothing to post)
    product: ProductInfo


@dataclass(frozen=True)
class Product360:
    product: ProductInfo
    recent_moves: list[MoveInfo]
    extra: dict[str, Any] = field(default_factory=dict)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# -- parsing ---------------------------------------------------------------------------------

def parse_unit_cost(value: str | int | Decimal, *, field: str = "cost") -> Decimal:
    """A unit cost: up to six decimals (average costs need more than the currency has)."""
    cost = parse_decimal(value, UNIT_PRICE_DIGITS, field=field, what=_("unit cost"))
    if cost < 0:
        raise ValidationError(_("{field}: a cost cannot be negative").format(field=field),
                              field=field)
    return cost


def _validate_sku(sku: str) -> str:
    value = refuse_control((sku or "").strip(), "sku")
    if not value:
        raise ValidationError(_("sku: must not be empty"), field="sku")
    if (len(value) > SKU_MAX or any(ch.isspace() for ch in value)
            or any(ch in _SKU_FORBIDDEN for ch in value)):
        raise ValidationError(
            _("sku: '{sku}' must be at most {n} characters without spaces or any of "
              "= @ , ; quotes").format(sku=value, n=SKU_MAX), field="sku")
    return value


def _validate_name(name: str) -> str:
    value = refuse_control((name or "").strip(), "name")
    if not value:
        raise ValidationError(_("name: must not be empty"), field="name")
    if len(value) > 200:
        raise ValidationError(_("name: at most 200 characters"), field="name")
    return value


def _validate_unit(unit: str) -> str:
    value = refuse_control((unit or "").strip(), "unit")
    if not value or len(value) > 16 or any(ch.isspace() for ch in value):
        raise ValidationError(_("unit: '{unit}' must be 1-16 characters without spaces")
                              .format(unit=unit), field="unit")
    return value


def _parse_price(value: str | int | Decimal, digits: int) -> Decimal:
    price = parse_amount(value, digits, field="price")
    if price < 0:
        raise ValidationError(_("price: a price cannot be negative"), field="price")
    return price


def _parse_reorder(value: str | int | Decimal | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    level = parse_quantity(value, field="reorder")
    if level < 0:
        raise ValidationError(_("reorder: a reorder level cannot be negative"), field="reorder")
    return level


def _parse_positive_qty(value: str | int | Decimal, field: str = "quantity") -> Decimal:
    qty = parse_quantity(value, field=field)
    if qty <= 0:
        raise ValidationError(_("{field}: must be more than zero (got {qty})").format(
            field=field, qty=format_quantity(qty)), field=field)
    return qty


# -- products --------------------------------------------------------------------------------

@dataclass
class Product:
    """A product's row, amounts decoded (money, quantities, unit prices as Decimals)."""

    id: int
    sku: str
    name: str
    kind: str
    unit: str
    price: Decimal
    cost: Decimal | None
    vat_rate: Decimal
    reorder_level: Decimal | None
    on_hand: Decimal
    stock_value: Decimal
    avg_cost: Decimal | None
    archived: bool
    expense_account_id: int | None = None
    expense_account: str | None = None  # its code


_PRODUCT = ("SELECT id, sku, name, kind, unit, price, cost, vat_rate, reorder_level, on_hand, "
            "stock_value, avg_cost, archived, expense_account_id, (SELECT a.code FROM account a"
            " WHERE a.id = product.expense_account_id) FROM product ")


def _opt(value: int | None, digits: int) -> Decimal | None:
    return None if value is None else from_minor(value, digits)


def _products(s: Tx, where: str, params: dict[str, Any] | None = None) -> list[Product]:
    digits = s.money_digits
    return [Product(i, sku, name, kind, unit, from_minor(price, digits),
                    _opt(cost, UNIT_PRICE_DIGITS), from_minor(vat, 2), _opt(level, QTY_DIGITS),
                    from_minor(on_hand, QTY_DIGITS), from_minor(value, digits),
                    _opt(avg, UNIT_PRICE_DIGITS), bool(archived), account_id, account)
            for (i, sku, name, kind, unit, price, cost, vat, level, on_hand, value, avg, archived,
                 account_id, account) in s.execute(_PRODUCT + where, params)]


def _product(s: Tx, product_id: int) -> Product | None:
    found = _products(s, "WHERE id = :i", {"i": product_id})
    return found[0] if found else None


#: How each product column is stored (see smallbiz.money): its minor digits, or None for
#: the currency's.
_STORED: dict[str, int | None] = {"price": None, "stock_value": None, "cost": UNIT_PRICE_DIGITS,
                                  "avg_cost": UNIT_PRICE_DIGITS, "vat_rate": 2,
                                  "reorder_level": QTY_DIGITS, "on_hand": QTY_DIGITS}


def stored_values(s: Tx, values: dict[str, Any]) -> dict[str, Any]:
    """Product column values as stored (Decimals in their minor units)."""
    out = {}
    for k, v in values.items():
        if k in _STORED and v is not None:
            digits = _STORED[k]
            v = to_minor(v, s.money_digits if digits is None else digits)
        out[k] = v
    return out


def _info(p: Product) -> ProductInfo:
    return ProductInfo(p.id, p.sku, p.name, p.kind, p.unit, p.price, p.cost, p.vat_rate,
                       p.reorder_level, p.on_hand, p.stock_value, p.avg_cost, p.archived,
                       p.expense_account_id, p.expense_account)


def _expense_account(s: Tx, ref: str | None, kind: str) -> tuple[int | None, str | None]:
    """The (id, code) of the expense account `ref` names for a product of `kind` (None or
    empty: none). Refuses an account that is not an open expense account, and any on a
    stock product (its purchases go to Inventory)."""
    if ref is None or not ref.strip():
        return None, None
    if kind != "service":
        raise ValidationError(_("--expense-account: a stock product is bought into "
                                "Inventory; only a service names an expense account"),
                              field="--expense-account")
    acc = resolve_account(s, ref, field="--expense-account")
    if acc.type != "expense" or acc.archived:
        raise ValidationError(_("--expense-account: {code} {name} is not an open expense "
                                "account").format(code=acc.code, name=acc.name),
                              field="--expense-account")
    return acc.id, acc.code


def _sku_taken(s: Tx, sku: str, *, except_id: int | None = None) -> bool:
    return s.first("SELECT id FROM product WHERE lower(sku) = :k AND id <> :x",
                   {"k": sku.lower(), "x": -1 if except_id is None else except_id}) is not None


@dataclass(frozen=True)
class ProductFields:
    """A validated new product (shared by `add_product` and the CSV import)."""

    sku: str
    name: str
    kind: str
    unit: str
    price: Decimal
    cost: Decimal | None
    vat_rate: Decimal
    reorder_level: Decimal | None


def validate_product(sku: str, name: str, *, price: str | int | Decimal,
                     cost: str | int | Decimal | None, unit: str,
                     vat_rate: str | int | Decimal | None, reorder: str | int | Decimal | None,
                     service: bool, digits: int, default_vat: Decimal) -> ProductFields:
    """Check every field of a new product (not yet its SKU's uniqueness)."""
    sku = _validate_sku(sku)
    name = _validate_name(name)
    price_d = _parse_price(price, digits)
    cost_d = None if cost is None or (isinstance(cost, str) and not cost.strip()) \
        else parse_unit_cost(cost)
    unit = _validate_unit(unit)
    vat = default_vat if vat_rate is None or (isinstance(vat_rate, str) and not vat_rate.strip()) \
        else parse_percent(vat_rate, field="vat")
    level = _parse_reorder(reorder)
    if service and level is not None:
        raise ValidationError(_("reorder: a service has no stock, so no reorder level"),
                              field="reorder")
    return ProductFields(sku, name, "service" if service else "stock", unit, price_d, cost_d,
                         vat, level)


def add_product(s: Tx, sku: str, name: str, *, price: str | int | Decimal,
                cost: str | int | Decimal | None = None, unit: str = "pcs",
                vat_rate: str | int | Decimal | None = None,
                reorder: str | int | Decimal | None = None,
                service: bool = False, expense_account: str | None = None) -> ProductInfo:
    """Create a product or service.

    Validates the SKU (unique case-insensitively, no spaces or = @ , ;), the name, the
    price (not negative, at most the currency's decimals), the cost (up to six
    decimals), the unit, the VAT rate (0-100, default: the book's), the reorder level
    and the expense account (a service's, an open expense account: its lines on bills
    post there). Writes the product and an audit row.
    """
    fields = validate_product(sku, name, price=price, cost=cost, unit=unit, vat_rate=vat_rate,
                              reorder=reorder, service=service, digits=s.money_digits,
                              default_vat=settings.load(s).vat_rate)
    if _sku_taken(s, fields.sku):
        raise RuleViolation(_("product {sku} already exists").format(sku=fields.sku),
                            field="sku")
    account_id, account = _expense_account(s, expense_account, fields.kind)
    stamp = now()
    values = dict(sku=fields.sku, name=fields.name, kind=fields.kind, unit=fields.unit,
                  price=fields.price, cost=fields.cost, vat_rate=fields.vat_rate,
                  reorder_level=fields.reorder_level, on_hand=from_minor(0, QTY_DIGITS),
                  stock_value=from_minor(0, s.money_digits), avg_cost=None, archived=False)
    product_id = s.insert("product", {**stored_values(s, values), "created_at": stamp,
                                      "updated_at": stamp, "expense_account_id": account_id})
    audit.record(s, "create", "product", fields.sku,
                 f"{fields.sku} {fields.name} ({fields.kind})"
                 + (f", expense account {account}" if account else ""))
    return _info(Product(id=product_id, **values, expense_account_id=account_id,
                         expense_account=account))


def _resolve(s: Tx, ref: str | int, *, field: str = "product") -> Product:
    value = str(ref).strip()
    if not value:
        raise ValidationError(_("{field}: a product is required").format(field=field),
                              field=field)
    low = value.lower()
    exact = _products(s, "WHERE lower(sku) = :low OR lower(name) = :low LIMIT 20",
                      {"low": low})
    by_sku = [p for p in exact if p.sku.lower() == low]
    if by_sku:
        exact = by_sku
    if not exact and (product_id := as_id(value)) is not None:
        p = _product(s, product_id)
        exact = [p] if p is not None else []
    prefixed: list[Product] = []
    if not exact:
        prefixed = _products(s, "WHERE lower(sku) LIKE :p ESCAPE '\\' OR lower(name) LIKE :p "
                             "ESCAPE '\\' ORDER BY sku LIMIT 50", {"p": like_prefix(low)})
    return choose(value, _("product"), exact, prefixed, lambda p: f"{p.sku} ({p.name})",
                  field=field)


def resolve_product(s: Tx, ref: str | int, *, field: str = "product") -> ProductInfo:
    """A product by exact SKU (any case), exact name, id, or unique SKU/name prefix."""
    return _info(_resolve(s, ref, field=field))


def get_product(s: Tx, product_id: int) -> ProductInfo:
    p = _product(s, product_id)
    if p is None:
        from smallbiz.errors import NotFound

        raise NotFound(_("no product with id {id}").format(id=product_id), field="product")
    return _info(p)


def edit_product(s: Tx, ref: str | int, *, sku: str | None = None,
                 name: str | None = None, price: str | Decimal | None = None,
                 cost: str | Decimal | None = UNSET, unit: str | None = None,
                 vat_rate: str | Decimal | None = None,
                 reorder: str | Decimal | None = UNSET,
                 expense_account: str | None = UNSET) -> ProductInfo:
    """Change a product's master data (never its stock: that is what moves are for).

    `cost=None` / `reorder=None` / `expense_account=None` (or "") clear them; leaving them
    out keeps them. Validates like `add_product`; writes the product and an audit row
    listing what changed.
    """
    p = _resolve(s, ref)
    digits = s.money_digits
    changes: dict[str, Any] = {}
    if sku is not None:
        new_sku = _validate_sku(sku)
        if new_sku != p.sku and _sku_taken(s, new_sku, except_id=p.id):
            raise RuleViolation(_("product {sku} already exists").format(sku=new_sku),
                                field="sku")
        changes["sku"] = new_sku
    if name is not None:
        changes["name"] = _validate_name(name)
    if price is not None:
        changes["price"] = _parse_price(price, digits)
    if cost is not UNSET:
        changes["cost"] = None if cost is None or (isinstance(cost, str) and not cost.strip()) \
            else parse_unit_cost(cost)
    if unit is not None:
        changes["unit"] = _validate_unit(unit)
    if vat_rate is not None:
        changes["vat_rate"] = parse_percent(vat_rate, field="vat")
    if reorder is not UNSET:
        level = _parse_reorder(reorder)
        if p.kind == "service" and level is not None:
            raise ValidationError(_("reorder: a service has no stock, so no reorder level"),
                                  field="reorder")
        changes["reorder_level"] = level
    if expense_account is not UNSET:
        changes["expense_account_id"], p.expense_account = _expense_account(
            s, expense_account, p.kind)
    changed = {k: v for k, v in changes.items() if getattr(p, k) != v}
    if not changed:
        return _info(p)
    summary = ", ".join(f"{k}: {getattr(p, k)} -> {v}" for k, v in changed.items())
    for k, v in changed.items():
        setattr(p, k, v)
    s.update("product", p.id, {**stored_values(s, changed), "updated_at": now()})
    audit.record(s, "update", "product", p.sku, summary)
    return _info(p)


def archive_product(s: Tx, ref: str | int, *, archived: bool = True) -> ProductInfo:
    """Hide a product from lists and new documents (or bring it back with archived=False).

    Refuses to archive a product that still has stock (its value would vanish from
    view while it stays in the Inventory account): count it out first.
    """
    p = _resolve(s, ref)
    if archived and p.on_hand != 0:
        raise RuleViolation(
            _("product {sku} still has {qty} {unit} on hand; adjust the stock to zero before "
              "archiving it").format(sku=p.sku, qty=format_quantity(p.on_hand), unit=p.unit),
            field="product")
    if p.archived != archived:
        p.archived = archived
        s.update("product", p.id, {"archived": archived, "updated_at": now()})
        audit.record(s, "archive" if archived else "unarchive", "product", p.sku, p.name)
    return _info(p)


def list_products(s: Tx, *, search: str | None = None, low_only: bool = False,
                  include_archived: bool = False, kind: str | None = None,
                  after_sku: str | None = None, limit: int | None = None) -> list[ProductInfo]:
    """Products ordered by SKU; `search` matches SKU or name anywhere (case-insensitive);
    keyset paging with `after_sku`. (Plain SQL: `smallbiz.stock.reports.product_rows`.)"""
    return product_rows(s, search=search, low_only=low_only, include_archived=include_archived,
                        kind=kind, after_sku=after_sku, limit=limit)


# -- stock moves -----------------------------------------------------------------------------

#: A move with its product's SKU, in MoveInfo's order (amounts in minor units).
_MOVE = ("SELECT m.id, m.product_id, p.sku, m.date, m.quantity, m.value, m.source, "
         "m.source_id, m.memo, m.reverses_id FROM stock_move m "
         "JOIN product p ON p.id = m.product_id ")


def _moves(s: Tx, where: str, params: dict[str, Any]) -> list[MoveInfo]:
    digits = s.money_digits
    return [MoveInfo(i, pid, sku, as_date(day), from_minor(qty, QTY_DIGITS),  # type: ignore[arg-type]
                     from_minor(value, digits), source, source_id, memo, reverses_id)
            for i, pid, sku, day, qty, value, source, source_id, memo, reverses_id
            in s.execute(_MOVE + where, params)]


def _stock_product(s: Tx, product_id: int) -> Product:
    p = _product(s, product_id)
    if p is None:
        from smallbiz.errors import NotFound

        raise NotFound(_("no product with id {id}").format(id=product_id), field="product")
    if p.kind != "stock":
        raise RuleViolation(_("{sku} is a service: it has no stock").format(sku=p.sku),
                            field="product")
    return p


def products_below_zero(s: Tx) -> list[str]:
    """The SKUs of products with less than nothing on hand (possible only while the book
    allows negative stock)."""
    return [sku for (sku,) in s.all("SELECT sku FROM product WHERE on_hand < 0 ORDER BY sku")]


def refuse_negative_stock_off(s: Tx) -> None:
    """Negative stock cannot be switched off while some product is below zero: the stock
    value would no longer be a valuation `check` accepts."""
    skus = products_below_zero(s)
    if skus:
        shown = ", ".join(skus[:10]) + (" …" if len(skus) > 10 else "")
        raise RuleViolation(_("negative_stock: {n} products are below zero ({skus}); count or "
                              "receive them first").format(n=len(skus), skus=shown),
                            field="negative_stock")


def _negative_allowed(s: Tx) -> bool:
    return settings.load(s).negative_stock


def _check_source(source: str) -> None:
    if source not in MOVE_SOURCES:
        raise ValidationError(f"unknown stock move source {source!r}")


def _average(value: Decimal, on_hand: Decimal) -> Decimal:
    return round_amount(value / on_hand, UNIT_PRICE_DIGITS)


def _apply(s: Tx, p: Product, on: dt.date, qty: Decimal, value: Decimal, *, source: str,
           source_id: int | None, memo: str, reverses_id: int | None = None,
           unit_cost: Decimal | None = None) -> MoveInfo:
    """Write one move and keep the product's running totals in step."""
    digits = s.money_digits
    move_id = s.insert("stock_move", {
        "product_id": p.id, "date": on, "quantity": to_minor(qty, QTY_DIGITS),
        "value": to_minor(value, digits), "source": source, "source_id": source_id,
        "reverses_id": reverses_id, "memo": memo.strip(), "created_at": now()})
    p.on_hand = p.on_hand + qty
    p.stock_value = p.stock_value + value
    if p.on_hand > 0:
        p.avg_cost = _average(p.stock_value, p.on_hand)
    elif unit_cost is not None:
        p.avg_cost = unit_cost
    stored = stored_values(s, {"on_hand": p.on_hand, "stock_value": p.stock_value,
                               "avg_cost": p.avg_cost})
    s.update("product", p.id, {**stored, "updated_at": now()})
    audit.record(s, "move", "stock_move", move_id,
                 f"{p.sku} {format_quantity(qty)} {source}"
                 + (f" {source_id}" if source_id is not None else ""))
    return MoveInfo(move_id, p.id, p.sku, on, qty, value, source, source_id, memo.strip(),
                    reverses_id)


def receive_stock(s: Tx, product_id: int, qty: str | Decimal, unit_cost: str | Decimal,
                  on: dt.date | str, *, source: str, source_id: int | None,
                  memo: str = "", value: Decimal | None = None) -> MoveInfo:
    """Add `qty` of a stock product at `unit_cost` (moving average updated).

    The move's value is round(qty × unit_cost) to the currency's minor unit, or `value`
    when the document already fixed it (e.g. a purchase line's net after discount).
    Refuses services, quantities ≤ 0, negative costs and dates on or before the lock
    date. Does not post a journal entry: the caller posts Dr Inventory for the
    returned `value`.
    """
    _check_source(source)
    on = parse_date(on)
    check_open_period(s, on)
    p = _stock_product(s, product_id)
    quantity = _parse_positive_qty(qty)
    cost = parse_unit_cost(unit_cost)
    digits = s.money_digits
    if value is None:
        amount = round_amount(check_range(quantity * cost, field=_("value (quantity × cost)")),
                              digits)
    else:
        amount = parse_amount(value, digits, field="value")
        if amount < 0:
            raise ValidationError(_("value: a receipt's value cannot be negative"),
                                  field="value")
    return _apply(s, p, on, quantity, amount, source=source, source_id=source_id, memo=memo,
                  unit_cost=cost)


def _refuse_oversell(p: Product, requested: Decimal) -> None:
    raise RuleViolation(
        _("not enough stock of {sku}: {on_hand} {unit} on hand, {qty} requested").format(
            sku=p.sku, on_hand=format_quantity(p.on_hand), unit=p.unit,
            qty=format_quantity(requested)), field="quantity")


def check_can_issue(s: Tx, wanted: dict[int, Decimal]) -> None:
    """Before a document takes several lines out of stock: the total per product is on
    hand (unless the book allows negative stock), so a refusal gives the real figures,
    not those left after the first lines."""
    if _negative_allowed(s):
        return
    for product_id, quantity in wanted.items():
        p = _product(s, product_id)
        if p is not None and p.kind == "stock" and quantity > p.on_hand:
            _refuse_oversell(p, quantity)


def issue_cost(p: Product | ProductInfo, qty: Decimal, digits: int) -> Decimal:
    """The (positive) cost value of taking `qty` out of stock now (see the module doc)."""
    on_hand = p.on_hand
    value = p.stock_value if isinstance(p, Product) else p.value
    if on_hand > 0:
        if qty == on_hand:
            return value
        if qty < on_hand:
            return round_amount(qty * value / on_hand, digits)
        return value + round_amount((qty - on_hand) * value / on_hand, digits)
    unit = p.avg_cost if isinstance(p, Product) else p.average_cost
    if unit is None:
        unit = p.cost
    return round_amount(qty * (unit or Decimal(0)), digits)


def issue_stock(s: Tx, product_id: int, qty: str | Decimal, on: dt.date | str, *,
                source: str, source_id: int | None, memo: str = "",
                value: Decimal | None = None) -> MoveInfo:
    """Take `qty` of a stock product out at moving-average cost, or at `value` when the
    document fixed it (goods returned to a supplier leave at the cost they came in at).

    Refuses services, quantities ≤ 0, dates on or before the lock date, and more than is
    on hand (RuleViolation naming the SKU, on hand and requested) unless the book allows
    negative stock. Returns the move; its `amount` is the cost value for COGS. Does not
    post a journal entry.
    """
    _check_source(source)
    on = parse_date(on)
    check_open_period(s, on)
    p = _stock_product(s, product_id)
    quantity = _parse_positive_qty(qty)
    if quantity > p.on_hand and not _negative_allowed(s):
        _refuse_oversell(p, quantity)
    cost = issue_cost(p, quantity, s.money_digits) if value is None else value
    return _apply(s, p, on, -quantity, -cost, source=source, source_id=source_id, memo=memo)


def moves_of(s: Tx, source: str, source_id: int) -> list[MoveInfo]:
    """The moves a document made (its reversals included), oldest first."""
    return _moves(s, "WHERE m.source_id = :sid AND (m.source = :src OR m.reverses_id IN "
                     "(SELECT id FROM stock_move WHERE source = :src AND source_id = :sid)) "
                     "ORDER BY m.id", {"src": source, "sid": source_id})


def reverse_moves(s: Tx, source: str, source_id: int, on: dt.date | str | None = None,
                  *, memo: str = "") -> list[MoveInfo]:
    """Post the opposite of every not-yet-reversed move of a cancelled document.

    Each reversal has the same quantity and value with the opposite sign (so the
    reversing journal entry of the document matches), source `reversal`, the original
    `source_id`, and points to the move it reverses. Refuses (nothing written) when it
    would leave a product with negative stock, unless the book allows it, and dates on
    or before the lock date. Returns the reversal moves (empty if there was nothing).
    """
    _check_source(source)
    when = parse_date(on) if on is not None else today()
    check_open_period(s, when)
    originals = _moves(s, "WHERE m.source = :src AND m.source_id = :sid AND m.id NOT IN "
                          "(SELECT reverses_id FROM stock_move WHERE reverses_id IS NOT NULL) "
                          "ORDER BY m.id", {"src": source, "sid": source_id})
    if not originals:
        return []
    delta: dict[int, Decimal] = defaultdict(Decimal)
    for m in originals:
        delta[m.product_id] -= m.quantity
    products = {pid: _product(s, pid) for pid in delta}
    if not _negative_allowed(s):
        for pid, d in delta.items():
            p = products[pid]
            assert p is not None
            if p.on_hand + d < 0:
                raise RuleViolation(
                    _("cannot reverse: {sku} would go below zero ({on_hand} {unit} on hand, "
                      "{qty} to take back)").format(sku=p.sku, on_hand=format_quantity(p.on_hand),
                                                   unit=p.unit, qty=format_quantity(-d)),
                    field="quantity")
    text_memo = memo or _("reversal of {source} {id}").format(source=source, id=source_id)
    out = []
    for m in originals:
        p = products[m.product_id]
        assert p is not None
        out.append(_apply(s, p, when, -m.quantity, -m.value, source="reversal",
                          source_id=source_id, memo=text_memo, reverses_id=m.id))
    return out


# -- adjustments -----------------------------------------------------------------------------

def adjust_stock(s: Tx, sku: str | int, qty: str | Decimal, *,
                 cost: str | Decimal | None = None, reason: str = "",
                 on: dt.date | str | None = None, opening: bool = False) -> AdjustmentResult:
    """Correct a count (+/- qty) or enter opening stock, and post its journal entry.

    A positive adjustment adds stock at `cost` (default: the current average, else the
    product's default cost; one of them is required); a negative one takes stock out at
    average cost (refused beyond what is on hand unless negative stock is allowed).
    Posts Dr/Cr Inventory against the Stock adjustment account, or for opening stock
    (positive only) Dr Inventory, Cr the opening-equity account. Source `adjustment` or
    `opening`; the entry's source_id is the move's id. A zero-value move posts no entry.
    """
    from smallbiz.books.accounts import account_by_role

    when = parse_date(on) if on is not None else today()
    check_open_period(s, when)
    info = resolve_product(s, sku)
    p = _stock_product(s, info.id)
    quantity = parse_quantity(qty, field="quantity")
    if quantity == 0:
        raise ValidationError(_("quantity: an adjustment must not be zero"), field="quantity")
    if opening and quantity < 0:
        raise ValidationError(_("quantity: opening stock must be positive"), field="quantity")
    if cost is not None and quantity < 0:
        raise ValidationError(_("cost: a negative adjustment is taken out at average cost; "
                                "leave --cost out"), field="cost")
    digits = s.money_digits
    inventory = account_by_role(s, "inventory")
    other = account_by_role(s, "opening_equity" if opening else "stock_adjustment")
    source = "opening" if opening else "adjustment"
    memo = refuse_control(reason.strip(), "reason") or (_("Opening stock {sku}") if opening
                              else _("Stock adjustment {sku}")).format(sku=p.sku)
    if quantity > 0:
        unit = parse_unit_cost(cost) if cost is not None else (
            p.stock_value / p.on_hand if p.on_hand > 0 else p.avg_cost
            if p.avg_cost is not None else p.cost)
        if unit is None:
            raise ValidationError(_("cost: {sku} has no average or default cost yet; give the "
                                    "unit cost (--cost)").format(sku=p.sku), field="cost")
        unit = round_amount(unit, UNIT_PRICE_DIGITS)
        move = receive_stock(s, p.id, quantity, unit, when, source=source, source_id=None,
                             memo=memo)
    else:
        move = issue_stock(s, p.id, -quantity, when, source=source, source_id=None,
                           memo=memo)
    number = None
    if move.value != 0:
        entry = post_entry(s, when, memo, [
            PostingInput(inventory.code, move.value, memo=f"{p.sku} {format_quantity(quantity)}"),
            PostingInput(other.code, -move.value)], source=source, source_id=move.id)
        number = entry.number
    audit.record(s, "adjust", "product", p.sku,
                 f"{source} {format_quantity(quantity)} {p.unit}, value "
                 f"{format_amount(move.value, digits)}" + (f" ({number})" if number else ""))
    return AdjustmentResult(move, number, _info(p))


# -- reports (plain SQL in smallbiz.stock.reports, re-exported here) ------------------------

def recent_moves(s: Tx, product_id: int, limit: int = 20) -> list[MoveInfo]:
    return _moves(s, f"WHERE m.product_id = :pid ORDER BY m.date DESC, m.id DESC "
                     f"LIMIT {int(limit)}", {"pid": product_id})


#: A section of the product 360 view another package adds (orders: open sales and
#: purchase quantities): (transaction, product id) -> JSON-able values for `extra`.
Section = Callable[[Tx, int], dict[str, Any]]


def product_360(s: Tx, ref: str | int, *, moves: int = 20,
                sections: Sequence[Section] = ()) -> Product360:
    """A product with its stock, average cost, value, recent moves and the `sections`
    the composition root passes (`smallbiz.app.root`)."""
    info = resolve_product(s, ref)
    extra: dict[str, Any] = {}
    for section in sections:
        extra.update(section(s, info.id))
    return Product360(info, recent_moves(s, info.id, moves), extra)
