"""80×24 in English and Georgian: the stock list shows its headings and every figure of
the rows on screen whole, each deal card its value and probability, and every footer all
of its keys, whole and inside the 80 columns."""

from __future__ import annotations

import pytest

from smallbiz.i18n import reset_language, set_language
from smallbiz.screens.deals import DealsScreen
from smallbiz.screens.products import ProductsScreen
from smallbiz.screens.widgets.footer import footer_bindings, footer_text
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


#: Every place (its F-key) and the screens reached from them that have a footer: the place's
#: mode, then the keys (or an app action) that open the screen.
FOOTER_PLACES = [
    ("dashboard", []), ("contacts", []), ("contacts", ["enter"]), ("contacts", ["f"]),
    ("contacts", ["enter", "t"]), ("deals", []), ("sales", []), ("sales", ["enter"]),
    ("sales", ["n"]), ("sales", ["q"]), ("sales", ["u"]), ("purchases", []),
    ("purchases", ["enter"]), ("invoices", []), ("invoices", ["b"]), ("products", []),
    ("journal", []), ("journal", ["n"]), ("journal", ["l"]), ("reports", []), ("bank", []),
    ("dashboard", ["app:tool('audit')"]),
]


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=["80x24", "120x40"])
async def test_every_footer_key_is_shown_whole(demo_app, lang, size) -> None:
    """Each key the footer means to show (the screen's bindings that apply there) is in the
    footer's rendered text whole, key and label, not cut nor under the palette key; and the
    palette key is there too."""
    cut = []
    async with demo_app.run_test(size=size) as pilot:
        await settle(pilot, demo_app)
        for mode, keys in FOOTER_PLACES:
            await demo_app.open_place(mode)
            await settle(pilot, demo_app)
            for key in keys:
                if key.startswith("app:"):
                    await demo_app.run_action(key[4:])
                else:
                    await pilot.press(key)
                await settle(pilot, demo_app)
            screen = demo_app.screen
            line = footer_line(demo_app)
            shown = footer_bindings(screen)
            assert shown, (mode, keys)
            for (binding, _enabled, _tooltip), *_more in shown.values():
                label = f"{demo_app.get_key_display(binding)} {footer_text(binding.description)}"
                if label not in line:
                    cut.append(f"{type(screen).__name__} ({mode} {keys}): {label!r} "
                               f"not in {line!r}")
            if not line.rstrip().endswith("^p") and "^p " not in line:
                cut.append(f"{type(screen).__name__}: no palette key in {line!r}")
    assert not cut, "\n".join(cut)


async def test_the_places_bar_keeps_every_key_at_80_columns(demo_app, lang) -> None:
    async with demo_app.run_test(size=SMALL) as pilot:
        await settle(pilot, demo_app)
        for mode in ("products", "reports", "bank"):
            await demo_app.open_place(mode)
            await settle(pilot, demo_app)
            top = screen_text(demo_app).splitlines()[0]
            for key in ("F2", "F9", "F10", "F11"):
                assert f" {key}" in top, (mode, lang, top)
