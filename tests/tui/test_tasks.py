"""Everything the CLI can do, the TUI can do: the new-contact form's details, product
edit, archive, dated steps, and the palette's tools (account, setting, lock date, cancel a
payment, backup, check, audit, exports)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.screens.contacts import ContactScreen
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from tests.tui.conftest import SIZE, fill_form, settle


async def test_a_new_contact_with_tax_id_address_terms_tags_and_notes(app, book) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "ctrl+n")
        await settle(pilot, app)
        await fill_form(pilot, app, {"name": "Rustavi Metals", "street": "1 Steel St",
                                 "city": "Rustavi", "tax_id": "404123456", "terms": "45",
                                 "tags": "metal, wholesale", "notes": "Pays on time"})
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("a", "y")  # archive it (history stays)
        await settle(pilot, app)
    v = Book(book).contact_360("Rustavi Metals")
    assert (v.street, v.city, v.tax_id, v.payment_terms_days, v.notes) == (
        "1 Steel St", "Rustavi", "404123456", 45, "Pays on time")
    assert set(v.tags) == {"metal", "wholesale"} and v.archived


async def test_edit_a_products_price(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f8", "e")
        await settle(pilot, app)
        await fill_form(pilot, app, {"price": "120"})
        assert not isinstance(app.screen, FormDialog)
        assert app.screen.table.visible_rows()[0].cells[7] == "120.00"
    assert Book(book).product(shop.sku).price == Decimal("120")


async def test_a_sale_shipped_on_a_date_typed_in_the_step(app, book, shop) -> None:
    facade = Book(book)
    from smallbiz.orders.lines import LineInput

    order = facade.create_order("sale", shop.customer, [LineInput(shop.sku, Decimal(1))],
                                on=dates.today() - dt.timedelta(days=3))
    facade.order_action("sale", "confirm", order.number)
    yesterday = dates.today() - dt.timedelta(days=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.open_place("sales")
        await app.push_screen(OrderScreen("sale", number=order.number))
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        # the step opens a dated form with the lines (empty: all that is open)
        assert isinstance(app.screen, FormDialog)
        await fill_form(pilot, app, {"date": "yesterday"})
        assert not isinstance(app.screen, FormDialog)
    assert facade.order("sale", order.number).shipped_on == yesterday


async def test_the_palette_tools(app, book, cli, shop, tmp_path) -> None:
    pay = cli("pay", "in", shop.invoice, "36").stdout.split()[0]
    facade = Book(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.run_action("tool('new_account')")
        await settle(pilot, app)
        await fill_form(pilot, app, {"code": "6150", "name": "Software"})
        await app.run_action("tool('cancel_payment')")
        await settle(pilot, app)
        await fill_form(pilot, app, {"number": pay})
        await app.run_action("tool('lock')")
        await settle(pilot, app)
        await fill_form(pilot, app, {"until": "2020-12-31"})
        await app.run_action("tool('setting')")
        await settle(pilot, app)
        await fill_form(pilot, app, {"key": "payment_terms_days", "value": "21"})
        await app.run_action("tool('export_journal')")
        await settle(pilot, app)
        await fill_form(pilot, app, {"path": str(tmp_path / "all.journal")})
        if book.path is not None:  # a copy of a file (SQLite)
            await app.run_action("tool('backup')")
            await settle(pilot, app)
            await fill_form(pilot, app, {"path": str(tmp_path / "copy.db")})
        await app.run_action("tool('check')")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmDialog), "the check found problems"
        await app.run_action("tool('audit')")
        await settle(pilot, app)
        audit = app.screen.query_one("#audit")
        assert audit.row_count > 3
        assert any("cancel" in str(audit.get_row_at(i)[2]) for i in range(audit.row_count))
    assert any(a.code == "6150" for a in facade.accounts())
    assert facade.payment(pay).status == "cancelled"
    settings = facade.raw_settings()
    assert settings["lock_date"] == "2020-12-31" and settings["payment_terms_days"] == "21"
    assert (tmp_path / "all.journal").read_text(encoding="utf-8").strip()
