"""The CLI and the app use the same words for the same things (the aging's "not due", the
VAT total line), and counts agree with their noun ("1 document", "2 documents")."""

from __future__ import annotations

import datetime as dt

from smallbiz.app.book import Book
from smallbiz.i18n import set_language
from smallbiz.screens.reports import report_functions
from tests.tui.conftest import SIZE, settle


def test_aging_and_vat_say_the_same_in_the_cli_and_the_app(cli, book, shop, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    set_language("en")
    aging = cli("report", "aging").stdout
    assert "not due" in aging and "Current" not in aging
    assert "VAT payable" in cli("report", "vat").stdout
    facade = Book(book)
    today = dt.date.today()
    app_aging = report_functions()["aging"](facade, None, today)
    assert "not due" in app_aging.columns
    app_vat = report_functions()["vat"](facade, dt.date(today.year, 1, 1), today)
    total = app_vat.rows[-1]
    assert total[0] == "VAT payable" and total[-1] == "36.00"  # 18 % of 200.00


async def test_counts_agree_with_their_noun(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert str(app.screen.query_one("#invoice-summary").render()) == "1 document"
        await pilot.press("f5")
        await settle(pilot, app)
        assert str(app.screen.query_one("#order-count").render()) == "1 order"
