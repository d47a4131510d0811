"""Keys that do what they say: date fields take `+7`, `1.12`, ... and show the date they
mean; the reverse dialog never defaults to a date before the entry."""

from __future__ import annotations

import datetime as dt

from smallbiz import dates
from smallbiz.screens.journal import LedgerScreen
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.widgets.date_input import DateInput
from tests.tui.conftest import SIZE, settle


async def test_a_date_field_shows_the_date_it_means_and_keeps_it(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "l")
        await settle(pilot, app)
        assert isinstance(app.screen, LedgerScreen)
        start = app.screen.query_one("#ledger-from", DateInput)
        start.focus()
        start.value = ""
        await pilot.press(*"1.12")
        await settle(pilot, app)
        day = dt.date(dates.today().year, 12, 1).isoformat()
        assert start.border_subtitle == day
        await pilot.press("tab")
        await settle(pilot, app)
        assert start.value == day and start.border_subtitle == ""
        start.focus()
        start.value = ""
        await pilot.press(*"+7")
        await settle(pilot, app)
        assert start.border_subtitle == (dates.today() + dt.timedelta(days=7)).isoformat()
        start.value = ""
        await pilot.press(*"soon")
        await settle(pilot, app)
        assert start.border_subtitle == "?"


async def test_reversing_a_future_entry_defaults_to_its_date(app, cli) -> None:
    later = dates.today() + dt.timedelta(days=10)
    cli("journal", "add", "--date", later.isoformat(), "--memo", "Rent ahead",
        "-p", "6000=100", "-p", "1010")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "r")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.values()["date"] == later.isoformat()


async def test_every_list_screen_has_the_focus_on_the_list_and_letters_filter(
        app, shop) -> None:
    from textual.widgets import Input

    from smallbiz.screens.widgets.virtual_table import VirtualTable

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key, filter_id, text in (("f3", "#contact-filter", "acme"),
                                     ("f8", "#product-filter", "wid")):
            await pilot.press(key)
            await settle(pilot, app)
            assert isinstance(app.focused, VirtualTable), key
            await pilot.press(*text)  # the first letter starts the filter
            await settle(pilot, app)
            field = app.screen.query_one(filter_id, Input)
            assert app.focused is field and field.value == text
            assert len(app.screen.table.visible_rows()) == 1
            await pilot.press("down")
            assert isinstance(app.focused, VirtualTable)
            await pilot.press("slash")
            assert app.focused is field
            field.value = ""
            await pilot.press("down")
        await pilot.press("f3", "n")  # a screen's own key still does what it says
        await settle(pilot, app)
        from smallbiz.screens.modals.form import FormDialog

        assert isinstance(app.screen, FormDialog)


async def test_completion_takes_with_tab_and_stays_and_the_preview_agrees(app, shop) -> None:
    from smallbiz.screens.orders import OrderScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        product = app.screen.query_one("#line-product")
        product.focus()
        await pilot.press(*"idget")  # inside the name: the completion offers it ...
        await settle(pilot, app)
        assert product.candidates == ["WID-1 Blue widget"]
        preview = str(app.screen.query_one("#line-preview").render())
        assert preview.startswith("Blue widget: 1 pcs × 100")  # ... and the preview agrees
        await pilot.press("tab")
        await settle(pilot, app)
        assert app.focused is product and product.value == "WID-1 Blue widget"
        await pilot.press("tab", "3")
        assert app.focused.id == "line-qty" and app.focused.value == "3"


async def test_a_form_opened_on_a_contact_starts_past_it(app, shop) -> None:
    from smallbiz.screens.contacts import ContactScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", *"acme")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("d")  # a new deal for this contact
        await settle(pilot, app)
        assert app.focused.id == "f-title"
        assert app.screen.values()["contact"] == "Acme Trading"


async def test_the_order_lists_footer_offers_the_highlighted_orders_steps(app, shop) -> None:
    from smallbiz.screens.widgets.footer import AppFooter

    def keys() -> set[str]:
        return {k.description for k in app.screen.query_one(AppFooter).query("AppFooterKey")}

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")  # the shop's sale: shipped and invoiced
        await settle(pilot, app)
        shown = keys()
        assert "Payment" in shown and "Cancel order" in shown
        assert not {"Receive", "Ship", "Confirm"} & shown
        await pilot.press("f6")  # no purchases: no steps at all
        await settle(pilot, app)
        assert not {"Ship", "Invoice", "Receive", "Confirm"} & keys()
