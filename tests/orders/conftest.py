"""A small shop on a real book: two products, a service, a supplier and two customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from smallbiz.books.reports import trial_balance
from smallbiz.check import run_checks
from smallbiz.crm.service import create_contact
from smallbiz.db import Database
from smallbiz.stock.service import add_product, get_product, resolve_product
from tests.engine import Location, copy_book, new_location

D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def stock_shop(db: Database) -> None:
    with db.transaction() as s:
        add_product(s, "TOOL-01", "Hammer", price="25.00", cost="12.00", vat_rate="18",
                    reorder="10")
        add_product(s, "NAIL-01", "Nails (box)", price="0.33", cost="0.10", vat_rate="18")
        add_product(s, "SVC-01", "Installation hour", price="40", service=True)
        create_contact(s, "Batumi Supply", kind="organization", supplier=True)
        create_contact(s, "Kartuli Foods LLC", kind="organization", customer=True,
                       street="12 Rustaveli Ave", city="Tbilisi", country="Georgia",
                       tax_id="404123456")
        create_contact(s, "ნინო ბერიძე", customer=True, payment_terms_days=14)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              plain_template: Location) -> dict[str, Location]:
    """A new book and the shop, built once per test process and copied for each test
    (creating a book costs far more than copying one)."""
    shop_path = copy_book(plain_template, new_location(
        tmp_path_factory.mktemp("orders-templates") / "shop.db"))
    db = Database(shop_path).open()
    stock_shop(db)
    db.dispose()
    return {"plain": plain_template, "shop": shop_path}


def _copy(template: Location, where: Location) -> Iterator[Database]:
    db = Database(copy_book(template, where)).open()
    yield db
    db.dispose()


@pytest.fixture
def book(templates: dict[str, Location], book_path: Location) -> Iterator[Database]:
    """Overrides the suite's `book` (same content: Test Co, GEL, VAT 18 %), copied."""
    yield from _copy(templates["plain"], book_path)


@pytest.fixture
def shop(templates: dict[str, Location], book_path: Location) -> Iterator[Database]:
    yield from _copy(templates["shop"], book_path)


def tx(db: Database, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one service call in its own write transaction."""
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def rd(db: Database, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with db.read() as s:
        return fn(s, *args, **kwargs)


def balances(db: Database, as_of: str = "2026-12-31") -> dict[str, Decimal]:
    """Account code -> balance (debit positive), zero balances left out."""
    with db.read() as s:
        return {r.code: r.balance for r in trial_balance(s, day(as_of)).rows}


def stock_of(db: Database, sku: str) -> tuple[Decimal, Decimal]:
    """(on hand, value) of a product."""
    with db.read() as s:
        p = get_product(s, resolve_product(s, sku).id)
    return p.on_hand, p.value


def assert_ok(db: Database) -> None:
    assert run_checks(db) == []
