"""The invoices list filters by text as the other lists do: the focus is on the list, `/`
or a letter that is no key of the screen starts the filter, ↓ goes back to the list; the
rows and the count follow the number, the contact's name, a bill's supplier's reference
and the memo (the order's notes)."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Select, Static

from smallbiz.app.book import Book
from smallbiz.orders.lines import LineInput
from smallbiz.screens.invoices import InvoicesScreen
from smallbiz.screens.widgets.virtual_table import VirtualTable
from tests.tui.conftest import SIZE, settle


def _more(book) -> tuple[str, str]:
    """Nino's invoice (order notes 'Wedding flowers') and Parts Supply's bill F-77/2026."""
    facade = Book(book)
    facade.add_contact("Nino Beridze", roles=["customer"])
    order = facade.create_order("sale", "Nino Beridze", [LineInput("WID-1", Decimal(1))],
                                notes="Wedding flowers")
    facade.order_action("sale", "confirm", order.number)
    facade.ship(order.number)
    invoice = facade.order_action("sale", "invoice", order.number).reference
    purchase = facade.create_order("purchase", "Parts Supply",
                                   [LineInput("WID-1", Decimal(1), Decimal(50))])
    facade.order_action("purchase", "confirm", purchase.number)
    bill = facade.receive(purchase.number, supplier_ref="F-77/2026").reference
    return invoice, bill


def _numbers(screen: InvoicesScreen) -> list[str]:
    return [row.data[0] for row in screen.table.visible_rows()]


def _summary(screen: InvoicesScreen) -> str:
    return str(screen.query_one("#invoice-summary", Static).render())


async def test_typing_filters_the_invoices_and_the_count(app, book, shop) -> None:
    nino, bill = _more(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        assert isinstance(app.focused, VirtualTable)
        assert _numbers(screen) == [shop.invoice, nino]
        field = screen.query_one("#invoice-filter", Input)

        await pilot.press(*"wedd")  # w is no key here: it starts the filter
        await settle(pilot, app)
        assert app.focused is field and field.value == "wedd"
        assert _numbers(screen) == [nino]
        assert _summary(screen) == "1 document"

        await pilot.press("down")  # back to the list, the filter stays
        assert isinstance(app.focused, VirtualTable)
        await pilot.press("slash")  # `/` edits the filter (its text selected)
        assert app.focused is field
        field.value = ""
        await pilot.press(*"acme")
        await settle(pilot, app)
        assert _numbers(screen) == [shop.invoice]

        field.value = "beridze"  # the contact's name
        await settle(pilot, app)
        assert _numbers(screen) == [nino]

        field.value = "nothing like it"
        await settle(pilot, app)
        assert _numbers(screen) == [] and _summary(screen) == "0 documents"

        field.value = "f-77"  # a bill's reference: found among the bills
        await pilot.press("enter")
        assert isinstance(app.focused, VirtualTable)
        screen.query_one("#invoice-kind", Select).value = "bill"
        await settle(pilot, app)
        assert _numbers(screen) == [bill]
        await pilot.press("b")  # a key of the screen is still its key: back to invoices
        await settle(pilot, app)
        assert _numbers(screen) == [] and field.value == "f-77"

        field.value = ""
        await settle(pilot, app)
        assert _numbers(screen) == [shop.invoice, nino]
        assert _summary(screen) == "2 documents"
