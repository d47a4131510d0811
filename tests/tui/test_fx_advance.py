"""An advance in dollars from the palette tool (Record an advance: the contact, the amount,
the shared Currency and Rate fields), then the credit applied from the palette (Apply a
credit: each currency's credit to the documents in it), at 80×24 by keyboard."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.app.book import Book
from smallbiz.check import run_checks
from smallbiz.screens.modals.form import FormDialog
from tests.tui.conftest import fill_form, run_tool, settle, usd_invoice

SMALL = (80, 24)


async def test_a_usd_advance_then_applied_from_the_palette_tools(app, book, shop) -> None:
    facade = Book(book)
    # 50 USD at 2.65 = 132.50, open: the advance does not touch it, the apply does
    _day, inv = usd_invoice(facade, shop.customer, "50", rate="2.65", vat="0")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await app.run_action("tool('advance')")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        form = app.screen
        # the shared currency and rate fields of the order and payment forms
        assert form.query_one("#f-currency").placeholder == "USD"
        await fill_form(pilot, app, {"contact": shop.customer, "amount": "100",
                                     "currency": "USD", "rate": "2.70"})
        assert not isinstance(app.screen, FormDialog)
        advance = facade.payments()[0]
        view = facade.payment(advance.number)
        # 100 USD x 2.70 = 270.00, all of it the customer's credit in dollars
        assert (view.contact, view.amount_fx, view.rate, view.amount, view.credit_fx) == (
            shop.customer, Decimal("100.00"), Decimal("2.7000"), Decimal("270.00"),
            Decimal("100.00"))
        assert facade.credits("in", shop.customer, "USD")[2] == Decimal("100.00")
        assert facade.invoice(inv).balance_due_fx == Decimal("50.00")
        assert run_checks(book) == []

        await run_tool(pilot, app, "apply_credit", {"contact": shop.customer})
    assert facade.invoice(inv).balance_due_fx == Decimal("0.00")
    assert facade.credits("in", shop.customer, "USD")[2] == Decimal("50.00")
    # 50 USD leave the credit at 2.70 (135.00) for the invoice's 132.50: 2.50 gained;
    # the lari invoice of the shop is open and there is no lari credit: left alone
    gains = [r for r in facade.trial_balance().rows if r.code == "4950"]
    assert [r.balance for r in gains] == [Decimal("-2.50")]
    assert facade.invoice(shop.invoice).balance_due == Decimal("236.00")
    assert run_checks(book) == []
