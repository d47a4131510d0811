"""Quotes and recurring invoices in the terminal app, by keyboard at 80×24: from Sales, q
lists the quotes, n makes one, enter shows its lines, a accepts it and opens the sales
order it became; u lists the recurring templates, n makes one, u issues what is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.check import run_checks
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import OrderScreen
from smallbiz.screens.quotes import QuoteDialog, QuotesScreen, RecurringScreen
from tests.tui.conftest import fill_form, run_tool, settle, usd_invoice

SMALL = (80, 24)


def cells(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_quote_made_opened_and_accepted_into_a_sales_order(app, book, shop) -> None:
    facade = Book(book)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "q")
        await settle(pilot, app)
        assert isinstance(app.screen, QuotesScreen)
        assert "No quotes" in str(app.screen.query_one("#quotes-empty").render())
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Acme Trading")
        app.screen.query_one("#f-line1").value = "WID-1=3"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, QuotesScreen)
        # 3 × 100.00 = 300.00 + VAT 18 % 54.00
        rows = cells(app.screen.table)
        number = rows[0][0]
        assert number == f"QT-{dt.date.today().year}-0001"
        assert [(r[3], r[4], r[5], r[6]) for r in rows] == [
            (shop.customer, "draft", "354.00", "")]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, QuoteDialog)
        lines = cells(app.screen.query_one("#quote-lines"))
        assert [(r[0], r[2], r[6]) for r in lines] == [("WID-1", "3", "354.00")]
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, app)
        # accepting opens the draft sales order the quote became
        assert isinstance(app.screen, OrderScreen)
        order = app.screen.number
        assert order and order.startswith("SO-")
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, QuotesScreen)
        rows = cells(app.screen.table)
        assert [(r[0], r[4], r[6]) for r in rows] == [(number, "accepted", order)]
    assert facade.quote(number).status == "accepted"
    so = facade.order("sale", order)
    assert (so.status, so.quote, so.gross) == ("draft", number, Decimal("354.00"))
    assert run_checks(book) == []


async def test_a_declined_quote(app, book, shop) -> None:
    from smallbiz.orders.lines import LineInput

    facade = Book(book)
    q = facade.create_quote(shop.customer, [LineInput(shop.sku, Decimal(1))])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await app.open_place("sales", "quotes")
        await settle(pilot, app)
        assert isinstance(app.screen, QuotesScreen)
        await pilot.press("d", "y")
        await settle(pilot, app)
        assert cells(app.screen.table)[0][4] == "declined"
        # a declined quote cannot be accepted: the key is not offered
        assert app.screen.check_action("step", ("accept",)) is False
    assert facade.quote(q.number).status == "declined"


async def test_a_recurring_template_made_and_its_due_invoices_issued(app, book, shop) -> None:
    facade = Book(book)
    start = dt.date.today() - dt.timedelta(days=40)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await pilot.press("f5", "u")
        await settle(pilot, app)
        assert isinstance(app.screen, RecurringScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        form = app.screen
        form.query_one("#f-contact").value = shop.customer
        form.query_one("#f-name").value = "Widget rental"
        form.query_one("#f-line1").value = "WID-1=1@50"
        form.query_one("#f-start").value = start.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RecurringScreen)
        rows = cells(app.screen.table)
        # started 40 days ago, monthly: two occurrences are due (the start and a month on)
        # (failed once under load with the Due column 0: the message keeps what to look at)
        assert [(r[0], r[1], r[5], r[6]) for r in rows] == [
            ("Widget rental", shop.customer, "2", "active")], (rows, facade.recurring(),
                                                               dates.today(), start)
        await pilot.press("u")
        await settle(pilot, app)
        rows = cells(app.screen.table)
        assert rows[0][5] == "0"
        assert "Nothing due" in str(app.screen.query_one("#recurring-note").render())
    issued = [i for i in facade.invoices("invoice") if i.number != shop.invoice]
    # 1 × 50.00 + VAT 9.00 each
    assert [i.gross for i in issued] == [Decimal("59.00"), Decimal("59.00")]
    assert facade.run_recurring().issued == []  # nothing twice
    assert run_checks(book) == []


async def test_a_customer_credit_refunded_from_the_palette_tool(app, book, shop) -> None:
    facade = Book(book)
    # 236.00 due, 250.00 paid: 14.00 is the customer's credit
    facade.settle("in", [(shop.invoice, None)], "250.00", keep_credit=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await run_tool(pilot, app, "refund", {"contact": shop.customer})
    assert facade.credits("in", shop.customer)[2] == Decimal("0.00")
    refund = facade.payments()[0]
    assert (refund.amount, refund.contact) == (Decimal("-14.00"), shop.customer)
    assert run_checks(book) == []


async def test_a_usd_credit_refunded_from_the_palette_tool_at_a_rate(app, book, shop) -> None:
    facade = Book(book)
    day, inv = usd_invoice(facade, shop.customer, "100", rate="2.70")  # 118 USD = 318.60
    facade.settle("in", [(inv, None)], "118", on=day, rate="2.70")
    facade.credit(inv, on=day)  # all of it back: 118 USD is the customer's credit
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await run_tool(pilot, app, "refund",
                       {"contact": shop.customer, "currency": "USD", "rate": "2.80"})
    assert facade.credits("in", shop.customer, "USD")[2] == Decimal("0.00")
    refund = facade.payments()[0]
    # 118 USD x 2.80 = 330.40 paid for 318.60 booked: a loss of 11.80
    assert (refund.amount, refund.contact) == (Decimal("-318.60"), shop.customer)
    view = facade.payment(refund.number)
    assert (view.amount_fx, view.moved, view.exchange_difference) == (
        Decimal("-118.00"), Decimal("-330.40"), Decimal("-11.80"))
    assert run_checks(book) == []


async def test_a_service_with_its_expense_account_from_the_product_form(app, book, shop) -> None:
    facade = Book(book)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await pilot.press("f8", "n")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog)
        await fill_form(pilot, app, {"sku": "ELEC", "name": "Electricity", "kind": "service",
                                     "price": "0", "cost": "100",
                                     "account": "6200 Utilities"})
        assert not isinstance(app.screen, FormDialog)
    assert facade.product("ELEC").expense_account == "6200"
