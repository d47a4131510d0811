"""Stock reports.

They read the products' running totals (kept in step with the moves; `smallbiz check`
proves it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smallbiz.money import QTY_DIGITS, UNIT_PRICE_DIGITS, from_minor
from smallbiz.refs import like_prefix
from smallbiz.sql import Tx


@dataclass(frozen=True)
class ProductInfo:
    id: int
    sku: str
    name: str
    kind: str  # stock | service
    unit: str
    price: Decimal  # sale price, net of VAT
    cost: Decimal | None  # default purchase cost per unit
    vat_rate: Decimal  # percent
    reorder_level: Decimal | None
    on_hand: Decimal
    value: Decimal  # cost value of the stock on hand
    average_cost: Decimal | None  # moving average (the last one when none is on hand)
    archived: bool
    #: a service's expense account on bills (0016): its id and code; None: Other expenses
    expense_account_id: int | None = None
    expense_account: str | None = None

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def below_reorder(self) -> bool:
        """At or below the reorder level (products without a level never are)."""
        return (self.kind == "stock" and self.reorder_level is not None
                and self.on_hand <= self.reorder_level)


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    unit: str
    on_hand: Decimal
    average_cost: Decimal | None
    value: Decimal
    reorder_level: Decimal | None
    below_reorder: bool


def format_unit_cost(value: Decimal | None, digits: int) -> str:
    """A unit cost with the currency's decimals, or more when it has them: 12.00, 3.3333."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(digits, "0")
        text = f"{whole}.{frac}" if frac else whole
    elif digits:
        text += "." + "0" * digits
    return text


_STOCK_REPORT = (
    "SELECT sku, name, unit, on_hand, avg_cost, stock_value, reorder_level FROM product "
    "WHERE kind = 'stock' AND archived = :f {low} ORDER BY lower(sku)")


def stock_report(s: Tx, *, low_only: bool = False) -> list[StockRow]:
    """Every stock product (not archived): on hand, average cost, value, reorder level,
    and whether it is at or below its reorder level."""
    low = "AND reorder_level IS NOT NULL AND on_hand <= reorder_level" if low_only else ""
    digits = s.money_digits
    out = []
    for sku, name, unit, on_hand, avg, value, level in s.execute(
            _STOCK_REPORT.format(low=low), {"f": False}):
        qty = from_minor(on_hand, QTY_DIGITS)
        lvl = from_minor(level, QTY_DIGITS) if level is not None else None
        out.append(StockRow(sku, name, unit, qty,
                            from_minor(avg, UNIT_PRICE_DIGITS) if avg is not None else None,
                            from_minor(value, digits), lvl, lvl is not None and qty <= lvl))
    return out


def stock_valuation_total(s: Tx) -> Decimal:
    """The cost value of all stock (equals the Inventory account; `check` proves it)."""
    (total,) = s.execute("SELECT COALESCE(SUM(stock_value), 0) FROM product").fetchone()
    return from_minor(total, s.money_digits)


_PRODUCT_COLUMNS = ("id, sku, name, kind, unit, price, cost, vat_rate, reorder_level, on_hand, "
                    "stock_value, avg_cost, archived, expense_account_id, (SELECT a.code FROM "
                    "account a WHERE a.id = product.expense_account_id)")


def product_rows(s: Tx, *, search: str | None = None, low_only: bool = False,
                 include_archived: bool = False, kind: str | None = None,
                 after_sku: str | None = None, limit: int | None = None) -> list[ProductInfo]:
    """Products ordered by SKU (case-insensitive); `search` matches SKU or name anywhere;
    `low_only`: stock at or below its reorder level; keyset paging with `after_sku`."""
    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if not include_archived:
        where.append("archived = :f")
        params["f"] = False
    if kind is not None:
        where.append("kind = :kind")
        params["kind"] = kind
    if search and search.strip():
        where.append("(lower(sku) LIKE :pat ESCAPE '\\' OR lower(name) LIKE :pat ESCAPE '\\')")
        params["pat"] = "%" + like_prefix(search.strip().lower())
    if low_only:
        where.append("kind = 'stock' AND reorder_level IS NOT NULL "
                     "AND on_hand <= reorder_level")
    if after_sku is not None:
        where.append("lower(sku) > :after")
        params["after"] = after_sku.lower()
    sql = (f"SELECT {_PRODUCT_COLUMNS} FROM product WHERE {' AND '.join(where)} "
           "ORDER BY lower(sku)" + (f" LIMIT {int(limit)}" if limit is not None else ""))
    digits = s.money_digits

    def opt(value: Any, scale: int) -> Decimal | None:
        return None if value is None else from_minor(value, scale)

    return [ProductInfo(r[0], r[1], r[2], r[3], r[4], from_minor(r[5], digits),
                        opt(r[6], UNIT_PRICE_DIGITS), from_minor(r[7], 2), opt(r[8], QTY_DIGITS),
                        from_minor(r[9], QTY_DIGITS), from_minor(r[10], digits),
                        opt(r[11], UNIT_PRICE_DIGITS), bool(r[12]), r[13], r[14])
            for r in s.execute(sql, params)]
