"""The app's payment form on a document in another currency: the amount in its currency
and a rate (the CLI's pay in ... --rate: tests/fx)."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Label

from smallbiz.app.book import Book
from smallbiz.screens.modals.form import FormDialog
from smallbiz.screens.orders import payment_form
from tests.tui.conftest import SIZE, settle


async def test_a_usd_invoice_is_paid_in_dollars_at_a_rate_from_the_form(app, book, cli) -> None:
    """The payment form of a foreign invoice asks the amount in its currency (its balance
    due in it by default) and a rate; 118 USD at 2.75 = 324.50 in for 318.60 booked."""
    from tests.fx.test_documents_fx import postings

    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("rate", "set", "USD", "2.70", "--date", "2026-12-01")
    inv = cli("invoice", "new", "Acme Inc", "--currency", "USD", "--date", "2026-12-01",
              "--line", "Consulting=1@100;vat=18").stdout.strip()
    facade = Book(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(payment_form(facade, inv, facade.invoice(inv).balance_due))
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#f-amount").value == "118.00"  # not the 318.60 in lari
        assert any("Amount in USD" in str(w.render()) for w in dialog.query(Label))
        dialog.query_one("#f-rate").value = "2.75"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    paid = facade.invoice(inv)
    assert (paid.status, paid.balance_due_fx) == ("paid", Decimal("0.00"))
    entry = cli("pay", "show", paid.payments[0].number, "--json").json()["entry"]
    assert postings(cli, entry) == [
        ("1010", "324.50", "118.00 USD @2.7500"), ("1100", "-318.60", "-118.00 USD @2.7000"),
        ("4950", "-5.90", None)]
