"""The first-run form takes the company's details; a bad one keeps the form and no
book is made."""

from __future__ import annotations

from smallbiz import settings
from smallbiz.app.book import Book
from smallbiz.db import Database
from smallbiz.screens.app import SmallBizApp
from smallbiz.screens.dashboard import DashboardScreen
from smallbiz.screens.modals.form import FormDialog
from tests.tui.conftest import SIZE, settle


def fill(form: FormDialog, **values: str) -> None:
    from textual.widgets import Input

    for name, value in values.items():
        form.query_one(f"#f-{name}", Input).value = value


async def test_first_run_with_the_company_details(another_book) -> None:
    db = Database(another_book("new.db"))
    app = SmallBizApp(Book(db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormDialog)
        fill(form, company="ჩაის სახლი", tax_id="12345")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form
        assert "Georgian tax ID" in str(form.query_one("#e-tax_id").render())
        assert not db.exists()
        fill(form, tax_id="405123456", legal_name="შპს „ჩაის სახლი“", vat_payer="yes",
             legal_address="რუსთაველის გამზ. 1, თბილისი",
             bank_accounts="TBC Bank, GE61TB7777777777777777", director="ნინო ბერიძე")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
    with db.read() as s:
        c = settings.company_details(s)
    assert (c.name, c.legal_name, c.tax_id, c.vat_payer, c.director) == (
        "ჩაის სახლი", "შპს „ჩაის სახლი“", "405123456", True, "ნინო ბერიძე")
    assert c.bank_accounts[0].iban == "GE61TB7777777777777777"
