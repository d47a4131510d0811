"""Invariants of the stock, each returning one line per problem found."""

from __future__ import annotations

from smallbiz.money import QTY_DIGITS, format_amount, format_quantity, from_minor
from smallbiz.sql import Tx


def running_totals_match_moves(s: Tx) -> list[str]:
    """Each product's on_hand and stock_value equal the sums of its moves."""
    rows = s.execute(
        "SELECT p.sku, p.on_hand, p.stock_value, COALESCE(m.qty, 0), COALESCE(m.value, 0) "
        "FROM product p LEFT JOIN (SELECT product_id, SUM(quantity) AS qty, SUM(value) AS value "
        "FROM stock_move GROUP BY product_id) m ON m.product_id = p.id "
        "WHERE p.on_hand <> COALESCE(m.qty, 0) OR p.stock_value <> COALESCE(m.value, 0)").all()
    digits = s.money_digits
    return [f"product {sku}: kept totals {format_quantity(from_minor(q, QTY_DIGITS))} on hand, "
            f"value {format_amount(from_minor(v, digits), digits)} differ from its moves "
            f"({format_quantity(from_minor(mq, QTY_DIGITS))}, "
            f"{format_amount(from_minor(mv, digits), digits)})"
            for sku, q, v, mq, mv in rows]


def valuation_equals_inventory_account(s: Tx) -> list[str]:
    """The sum of all stock move values equals the balance of the Inventory account."""
    inventory = s.execute("SELECT id, code FROM account WHERE role = 'inventory'").first()
    stock = int(s.execute("SELECT COALESCE(SUM(value), 0) FROM stock_move").scalar())
    if inventory is None:
        return [] if stock == 0 else ["stock has a value but no account has the role inventory"]
    balance = int(s.execute("SELECT COALESCE(SUM(amount), 0) FROM posting "
                                 "WHERE account_id = :a", {"a": inventory[0]}).scalar())
    if balance == stock:
        return []
    digits = s.money_digits
    return [f"stock valuation {format_amount(from_minor(stock, digits), digits)} differs from "
            f"the Inventory account {inventory[1]} balance "
            f"{format_amount(from_minor(balance, digits), digits)}"]


def no_negative_stock(s: Tx) -> list[str]:
    """No product below zero, unless the book allows negative stock."""
    allowed = s.execute("SELECT value FROM setting WHERE key = 'negative_stock'").scalar()
    if allowed == "true":
        return []
    rows = s.execute("SELECT sku, on_hand FROM product WHERE on_hand < 0").all()
    return [f"product {sku} has negative stock ({format_quantity(from_minor(q, QTY_DIGITS))}) "
            "but the book does not allow negative stock" for sku, q in rows]


def services_have_no_moves(s: Tx) -> list[str]:
    rows = s.execute(
        "SELECT p.sku, COUNT(*) FROM stock_move m JOIN product p ON p.id = m.product_id "
        "WHERE p.kind <> 'stock' GROUP BY p.sku").all()
    return [f"service {sku} has {n} stock move(s)" for sku, n in rows]


CHECKS = [running_totals_match_moves, valuation_equals_inventory_account, no_negative_stock,
          services_have_no_moves]
