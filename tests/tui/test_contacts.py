"""Contacts: typing filters the list; enter opens the 360 view with the invoice balance;
one key each to log an interaction, add a deal and edit the contact."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.crm.deals import list_deals
from smallbiz.crm.interactions import interactions_of
from smallbiz.crm.service import ContactData, add_contact, resolve_contact
from smallbiz.screens.contacts import ContactScreen, ContactsScreen
from tests.tui.conftest import SIZE, settle


def _names(app) -> list[str]:
    return [r.cells[0] for r in app.screen.table.visible_rows()]


async def test_typing_filters_the_list_and_enter_opens_the_360_view(app, book, shop) -> None:
    with book.transaction() as s:
        for name in ("Nino Beridze", "Giorgi Beridze", "Tamar Kapanadze"):
            add_contact(s, ContactData(name))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactsScreen)
        assert _names(app) == ["Acme Trading", "Giorgi Beridze", "Nino Beridze", "Parts Supply",
                               "Tamar Kapanadze"]
        await pilot.press(*"berid")
        await settle(pilot, app)
        assert _names(app) == ["Giorgi Beridze", "Nino Beridze"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"acme")
        await settle(pilot, app)
        assert _names(app) == ["Acme Trading"]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        view = app.screen.view
        assert view.name == "Acme Trading"
        assert view.extra["total_owed"] == Decimal("236.00")
        balance = str(app.screen.query_one("#contact-balance").render())
        assert "Owes us      236.00" in balance
        invoices = app.screen.query_one("#c-invoices")
        assert invoices.row_count == 1
        assert str(invoices.get_row_at(0)[0]) == shop.invoice


async def test_360_keys_log_an_interaction_add_a_deal_and_edit(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", *"acme", "enter")
        await settle(pilot, app)
        await pilot.press("l")
        await settle(pilot, app)
        # kind (a select: keep "call"), then the summary
        await pilot.press("tab", *"Asked for a quote", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("d")
        await settle(pilot, app)
        # the form starts past the contact it was opened on: title, then value
        await pilot.press(*"Workshop tools", "tab", *"5000", "ctrl+s")
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("tab", "tab", "tab", "tab", *"office@acme.ge", "ctrl+s")
        await settle(pilot, app)
        assert app.screen.view.email == "office@acme.ge"
    with book.read() as s:
        acme = resolve_contact(s, "Acme Trading")
        assert [i.summary for i in interactions_of(s, acme.id)] == ["Asked for a quote"]
        assert [(d.title, d.value, d.stage) for d in list_deals(s)] == [
            ("Workshop tools", Decimal("5000.00"), "lead")]


async def test_new_contact_from_the_list(app, book) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "ctrl+n")
        await settle(pilot, app)
        await pilot.press(*"Lela Tsereteli", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.view.roles == ("customer",)
    with book.read() as s:
        assert resolve_contact(s, "Lela Tsereteli").is_customer


async def test_a_refused_contact_keeps_what_was_typed(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "ctrl+n")
        await settle(pilot, app)
        form = app.screen
        await pilot.press(*"Lela", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"boss", "ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert "boss" in str(form.query_one("#e-roles").render())
        assert form.values()["name"] == "Lela"


async def test_import_contacts_from_the_list(app, book, tmp_path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("name,email,roles\nNino Beridze,nino@example.ge,customer\n"
                   "Giorgi Beridze,giorgi@example.ge,lead\nNo Email,,\n", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "down", "i")
        await settle(pilot, app)
        await pilot.press(*str(csv), "ctrl+s")  # runs in a worker behind a progress bar
        await settle(pilot, app)
        assert isinstance(app.screen, ContactsScreen)
        assert _names(app) == ["Giorgi Beridze", "Nino Beridze", "No Email"]
    with book.read() as s:
        assert resolve_contact(s, "Nino Beridze").is_customer


async def test_user_text_in_tables_is_shown_as_typed_not_read_as_markup(app, book) -> None:
    """A summary or a name with square brackets is shown as it was typed: a DataTable
    reads a plain string cell as markup, so '[b]…[/b]' would vanish into bold."""
    import datetime as dt

    from smallbiz.crm.interactions import log_interaction
    from tests.tui.test_language import screen_text

    with book.transaction() as s:
        add_contact(s, ContactData("Tamar [b]VIP[/b]"))
        log_interaction(s, "Tamar", "Call about [red]prices[/red]", kind="call",
                        follow_up=dt.date.today())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", "f")
        await settle(pilot, app)
        text = screen_text(app)
        assert "Tamar [b]VIP[/b]" in text and "Call about [red]prices[/red]" in text, text
