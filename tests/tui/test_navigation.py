"""Every place is one key away (also from inside an input), F1 lists every key, and the
palette finds places and actions."""

from __future__ import annotations

from textual.widgets import Input

from smallbiz.screens.help import HelpScreen
from smallbiz.screens.journal import JournalEntryForm
from smallbiz.screens.nav import PLACES
from tests.tui.conftest import SIZE, settle


async def test_each_place_by_its_key_from_the_dashboard(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.current_mode == "dashboard"
        for place in PLACES:
            await pilot.press(place.key)
            await settle(pilot, app)
            assert app.current_mode == place.mode, place
            await pilot.press("f2")
            await settle(pilot, app)
            assert app.current_mode == "dashboard"


async def test_each_place_by_its_key_from_inside_an_input(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for place in PLACES:
            await pilot.press("f3", "slash")  # Contacts: / puts the focus in the filter
            await settle(pilot, app)
            assert isinstance(app.focused, Input)
            await pilot.press("a", "b")
            await pilot.press(place.key)
            await settle(pilot, app)
            assert app.current_mode == place.mode


async def test_function_keys_work_inside_the_journal_form(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalEntryForm)
        await pilot.press("tab")  # memo -> first account field
        assert isinstance(app.focused, Input)
        await pilot.press("f10")
        await settle(pilot, app)
        assert app.current_mode == "reports"
        await pilot.press("f9")  # back to the journal: the half-typed entry is still there
        await settle(pilot, app)
        assert app.current_mode == "journal"
        assert isinstance(app.screen, JournalEntryForm)


async def test_escape_goes_back_then_home(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9", "l")
        await settle(pilot, app)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(app.screen_stack) == 1 and app.current_mode == "journal"
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.current_mode == "dashboard"


async def test_f1_lists_every_binding_with_its_id(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows()
        ids = {r[3] for r in rows}
        for place in PLACES:
            assert f"app.goto.{place.mode}" in ids
        for expected in ("app.help", "entry_form.save", "entry_form.add_line", "contacts.new",
                         "order.confirm", "orders.new", "invoices.pay", "deals.next_stage",
                         "products.adjust", "reports.refresh", "journal.reverse"):
            assert expected in ids
        assert all(r[3] for r in rows), "every binding has an id"
        assert any(r[1] == "F9" and "Journal" in r[2] for r in rows)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, HelpScreen)


async def _palette(pilot, app, query: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot, app)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)


async def test_palette_finds_places(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, "go to invoices")
        assert app.current_mode == "invoices"


async def test_palette_runs_actions(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, "new journal entry")
        assert app.current_mode == "journal"
        assert isinstance(app.screen, JournalEntryForm)


async def test_palette_goes_to_a_contact(app, shop) -> None:
    from smallbiz.screens.contacts import ContactScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _palette(pilot, app, "acme")
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.view.name == "Acme Trading"


async def test_every_place_survives_80x24_and_resizing(app, shop) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for place in PLACES:
            await pilot.press(place.key)
            await settle(pilot, app)
            await pilot.resize_terminal(60, 20)
            await settle(pilot, app)
            await pilot.resize_terminal(80, 24)
            await settle(pilot, app)
            assert app.current_mode == place.mode


async def test_every_place_renders_in_a_light_theme(app, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await settle(pilot, app)
        for place in PLACES:
            await pilot.press(place.key)
            await settle(pilot, app)
            assert app.screen.is_current


async def test_a_place_loads_once_per_visit(app, shop, monkeypatch) -> None:
    """Textual posts ScreenResume twice on a place's first visit; the screen loads once
    (the dashboard's figures, the sales count) and again each time it is shown."""
    from smallbiz.app.book import Book

    calls: list[str] = []
    for name in ("dashboard", "orders_count"):
        real = getattr(Book, name)
        monkeypatch.setattr(Book, name, lambda self, *a, _n=name, _f=real, **k: (
            calls.append(_n), _f(self, *a, **k))[1])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert calls == ["dashboard"]
        assert app.screen.figures["receivable"] == "236.00"
        await pilot.press("f5")
        await settle(pilot, app)
        assert calls == ["dashboard", "orders_count"]
        assert app.screen.table.row_count == 1
        await pilot.press("f2")
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        assert calls == ["dashboard", "orders_count", "dashboard", "orders_count"]
