"""80×24 in English and Georgian: the stock list shows its headings and every figure of
the rows on screen whole, each deal card its value and probability, and every footer all
of its keys, whole and inside the 80 columns."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from smallbiz.i18n import reset_language, set_language
from smallbiz.screens.deals import DealsScreen
from smallbiz.screens.products import ProductsScreen
from smallbiz.screens.widgets.footer import AppFooter, AppFooterKey
from tests.tui.conftest import settle
from tests.tui.test_snapshots import screen_text

SMALL = (80, 24)


@pytest.fixture(params=["en", "ka"])
def lang(request):
    set_language(request.param, explicit=True)
    yield request.param
    reset_language({})


async def _open(pilot, app, key: str) -> None:
    await settle(pilot, app)
    await pilot.press(key)
    await settle(pilot, app)


async def test_the_stock_list_fits(demo_app, lang) -> None:
    async with demo_app.run_test(size=SMALL) as pilot:
        await _open(pilot, demo_app, "f8")
        screen = demo_app.screen
        assert isinstance(screen, ProductsScreen)
        text = screen_text(demo_app).replace("\xa0", " ")
        lines = text.splitlines()
        for column in screen.table.columns:
            if not column.optional:
                assert column.label in text, (column.label, text)
        rows = screen.table.visible_rows()
        assert rows
        kept = [i for i, c in enumerate(screen.table.columns) if not c.optional and i >= 2]
        for row in rows:
            for i in kept:  # on hand, average cost, value: whole
                figure = str(row.cells[i]).strip().replace("\xa0", " ")
                if figure and any(ch.isdigit() for ch in figure) and not any(
                        figure in line for line in lines):
                    pytest.fail(f"{figure!r} cut at 80×24 ({lang}):\n{text}")


async def test_each_deal_card_shows_value_and_probability(demo_app, lang) -> None:
    async with demo_app.run_test(size=SMALL) as pilot:
        await _open(pilot, demo_app, "f4")
        screen = demo_app.screen
        assert isinstance(screen, DealsScreen)
        text = screen_text(demo_app).replace("\xa0", " ")
        for column in screen.columns():
            assert column.title.split()[0][:6] in text, (column.title, text)
            options = column.options
            if options.option_count:
                deal = screen.deals[int(options.get_option_at_index(0).id)]
                value = screen.fmt(deal.value).replace("\xa0", " ")
                pct = f"{deal.probability.normalize():f}%"
                assert value in text and pct in text, (deal.title, value, pct, text)


@pytest.mark.parametrize("place", ["f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10",
                                   "f11"])
async def test_every_footer_key_is_whole_inside_80_columns(demo_app, lang, place) -> None:
    async with demo_app.run_test(size=SMALL) as pilot:
        await _open(pilot, demo_app, place)
        keys = list(demo_app.screen.query_one(AppFooter).query(AppFooterKey))
        assert keys
        for k in keys:
            assert k.region.right <= SMALL[0], (place, lang, k.description, k.region)
            assert k.region.width >= cell_len(k.description), (place, lang, k.description)
