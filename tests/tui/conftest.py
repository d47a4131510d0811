"""TUI fixtures: the real app on a real tmp_path book, and a small shop in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.db import Database

SIZE = (120, 36)
#: The demo book's "today" in the snapshot and fit tests.
FROZEN = dt.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def own_config(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's remembered preferences (theme, language) go to the test's folder."""
    monkeypatch.setenv("SMALLBIZ_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def app(book: Database):
    from smallbiz.screens.app import SmallBizApp

    return SmallBizApp(Book(book))


async def settle(pilot, app) -> None:
    """Let messages, workers and repaints finish."""
    for _i in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def fill_form(pilot, app, values: dict[str, str]) -> None:
    """Fill the open form's fields (by name) and save it with ctrl+s."""
    from smallbiz.screens.modals.form import FormDialog

    form = app.screen
    assert isinstance(form, FormDialog)
    for name, value in values.items():
        form.query_one(f"#f-{name}").value = value
    await pilot.press("ctrl+s")
    await settle(pilot, app)


async def run_tool(pilot, app, tool: str, values: dict[str, str]) -> None:
    """Open a palette tool's form, fill and save it, and see it close (it stays open when
    the write is refused)."""
    from smallbiz.screens.modals.form import FormDialog

    await app.run_action(f"tool('{tool}')")
    await settle(pilot, app)
    await fill_form(pilot, app, values)
    assert not isinstance(app.screen, FormDialog)


def listen(app, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages the app tells the user from now on (each still shown as before)."""
    said: list[str] = []
    shown = app.notify

    def notify(message, **kwargs):
        said.append(message)
        shown(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return said


@dataclass(frozen=True)
class Shop:
    customer: str
    supplier: str
    sku: str
    invoice: str  # an open invoice of the customer (gross 236.00: 2 × 100 + 18 % VAT)


@pytest.fixture
def shop(book: Database) -> Shop:
    """A customer, a supplier, a stock product with opening stock, and one open invoice."""
    from smallbiz.crm.service import ContactData, add_contact
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.service import confirm_order, create_order, invoice_order, ship_order
    from smallbiz.stock.service import add_product, adjust_stock

    day = dt.date.today() - dt.timedelta(days=40)
    with book.transaction() as s:
        add_contact(s, ContactData("Acme Trading", kind="organization",
                                   roles=frozenset({"customer"})))
        add_contact(s, ContactData("Parts Supply", kind="organization",
                                   roles=frozenset({"supplier"})))
        add_product(s, "WID-1", "Blue widget", price="100", cost="60", reorder="5")
        adjust_stock(s, "WID-1", "10", cost="60", opening=True, on=day)
        order = create_order(s, "sale", "Acme Trading", [LineInput("WID-1", Decimal(2))],
                             on=day)
        confirm_order(s, "sale", order.number)
        ship_order(s, order.number, on=day)
        result = invoice_order(s, order.number, on=day)
    return Shop("Acme Trading", "Parts Supply", "WID-1", result.reference)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from smallbiz.demo import create_demo_book

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_book(path, anchor=FROZEN).dispose()
    return path


@pytest.fixture
def demo_app(demo_path: Path, monkeypatch: pytest.MonkeyPatch):
    from smallbiz.screens.app import SmallBizApp

    monkeypatch.setattr(dates, "today", lambda: FROZEN)
    return SmallBizApp(Book(Database(demo_path).open()))


def usd_invoice(facade: Book, customer: str, price: str, *, rate: str, vat: str = "18"
                ) -> tuple[dt.date, str]:
    """USD at `rate` from five days ago, and a USD invoice of that day to `customer`: one
    Consulting line at `price` with `vat` %. Returns (the day, the invoice number)."""
    from smallbiz.orders.direct import DirectLine

    day = dt.date.today() - dt.timedelta(days=5)
    facade.set_rate("USD", rate, day)
    inv = facade.issue_direct("invoice", customer, [DirectLine(
        "Consulting", Decimal(1), Decimal(price), vat_rate=Decimal(vat))], on=day,
        currency="USD")
    return day, inv.number
