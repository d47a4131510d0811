"""The app in Georgian: started with LANG=ka_GE.UTF-8, or switched from the palette while
it runs (no restart), and laid out so Georgian fits 80×24."""

from __future__ import annotations

import html
import re

import pytest
from rich.cells import cell_len

from smallbiz.i18n import language, reset_language
from smallbiz.screens.widgets.footer import AppFooter, AppFooterKey
from tests.tui.conftest import SIZE, settle

GEORGIAN = re.compile("[\u10d0-\u10ff]")


def screen_text(app) -> str:
    """What the terminal shows, as text (from Textual's screenshot)."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", t) for t in lines)).replace(
        "\xa0", " ")


@pytest.fixture
def georgian_env(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ka_GE.UTF-8")
    reset_language()  # as at start-up: the environment's language
    yield
    reset_language({})


async def test_started_with_lang_ka_the_app_is_georgian(app, georgian_env) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "მიმოხილვა" in text and "დახმარება" in text, text  # title, F1 in the footer
        for english in ("Dashboard", "Help", "Cash and bank", "Receivable"):
            assert english not in text, english
        await pilot.press("f3")
        await settle(pilot, app)
        text = screen_text(app)
        assert "კონტაქტები" in text and "ფილტრი" in text
        assert "Contacts" not in text and "Filter" not in text and "palette" not in text


async def test_an_orders_status_is_said_in_georgian_and_its_steps_still_follow_it(
        app, georgian_env, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        row = app.screen.table.visible_rows()[0]
        assert row.cells[3] == "ფაქტურირებული" and row.data == ("SO-2026-0001", "invoiced")
        assert "invoiced" not in screen_text(app)
        assert app.screen.check_action("pay", ()) is True  # an invoiced order can be paid


async def test_the_trial_balance_says_account_types_and_costs_in_georgian(
        app, georgian_env, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f10")
        await settle(pilot, app)
        text = screen_text(app)
        assert "აქტივი" in text and "asset" not in text and "liability" not in text
        await pilot.press("f8")
        await settle(pilot, app)
        row = app.screen.table.visible_rows()[0]
        assert re.fullmatch(r"[\d\s]+,\d{4}", str(row.cells[4])), row.cells  # average cost


async def _palette(pilot, app, query: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot, app)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    await pilot.pause(0.2)
    await settle(pilot, app)


async def test_the_palette_switches_the_language_without_a_restart(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3")
        await settle(pilot, app)
        assert "Contacts" in screen_text(app)
        await _palette(pilot, app, "language")
        assert language() == "ka"
        assert app.current_mode == "contacts"  # the same place, now in Georgian
        text = screen_text(app)
        assert "კონტაქტები" in text and "Contacts" not in text
        assert app.book.raw_settings()["lang"] == "ka"  # kept for the next start
        await pilot.press("f2")
        await settle(pilot, app)
        assert "მიმოხილვა" in screen_text(app)  # a place visited before is rebuilt too
        await _palette(pilot, app, "english")
        assert language() == "en"
        assert "Dashboard" in screen_text(app)
        assert app.book.raw_settings()["lang"] == "en"


def _footer(app) -> tuple[int, list[AppFooterKey]]:
    keys = list(app.screen.query_one(AppFooter).query(AppFooterKey))
    return max(k.region.right for k in keys), keys


@pytest.mark.parametrize("place", ["f2", "f3", "f4", "f5", "f7", "f8", "f9", "f10"])
async def test_georgian_footer_keys_fit_at_80_columns(app, georgian_env, place) -> None:
    """Each key shows its whole Georgian description; the footer fits 80 columns wherever
    the English one does, and is no wider than the English one elsewhere."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(place)
        await settle(pilot, app)
        for _i in range(20):  # a loaded machine: the footer may take a few frames to lay out
            width, keys = _footer(app)
            if keys and all(k.region.width for k in keys):
                break
            await pilot.pause(0.1)
        for k in keys:
            if k.description and k.description != "PDF":
                assert GEORGIAN.search(k.description), k.description
            assert k.region.width >= cell_len(k.description), k.description
        await app.switch_language("en")
        await settle(pilot, app)
        english, _keys = _footer(app)
        assert width <= max(80, english), [k.description for k in keys]
