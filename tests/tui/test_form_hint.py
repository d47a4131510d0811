"""At 80×24 every form dialog with a note shows its whole `ctrl+s save · esc cancel` hint,
in English and Georgian: the note scrolls with the fields (and wraps), never the hint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from smallbiz.i18n import _
from smallbiz.screens.modals.form import FormDialog
from tests.tui.conftest import settle
from tests.tui.test_snapshots import screen_text


def _pushed(factory: Callable[[Any, Any], FormDialog]) -> Callable[[Any, Any], None]:
    return lambda app, shop: app.push_screen(factory(app, shop))


def _forms() -> dict[str, Callable[[Any, Any], None]]:
    from smallbiz.screens import documents, orders, products, quotes, tools

    return {
        "invoice without an order": _pushed(lambda a, s: documents.direct_form(a.book, "invoice")),
        "bill": _pushed(lambda a, s: documents.direct_form(a.book, "bill")),
        "supplier's reference": _pushed(
            lambda a, s: documents.supplier_ref_form(a.book, "BILL-2026-0001", "")),
        "credit note": _pushed(lambda a, s: documents.credit_form(a.book, s.invoice)),
        "order step": _pushed(lambda a, s: orders.step_form(
            a.book, "sale", "invoice", "SO-2026-0001", _("Invoice {n}?").format(n="SO"))),
        "payment": _pushed(lambda a, s: orders.payment_form(a.book, s.invoice, None)),
        "stock adjustment": _pushed(lambda a, s: products.adjust_form(a.book, s.sku)),
        "edit product": _pushed(lambda a, s: products.edit_product_form(
            a.book, a.book.product(s.sku))),
        "quote": _pushed(lambda a, s: quotes.quote_form(a.book)),
        "recurring invoice": _pushed(lambda a, s: quotes.recurring_form(a.book)),
        "change a setting": lambda a, s: tools.change_setting(a),
        "lock the books": lambda a, s: tools.lock_books(a),
        "cancel a payment": lambda a, s: tools.cancel_payment(a),
        "refund": lambda a, s: tools.refund(a),
        "advance": lambda a, s: tools.advance(a),
        "apply a credit": lambda a, s: tools.apply_credit(a),
    }


FORMS = list(_forms())


@pytest.mark.parametrize("lang", ["en", "ka"])
async def test_every_form_with_a_note_shows_its_hint_at_80x24(app, shop, lang) -> None:
    cut = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        if lang == "ka":
            await app.switch_language("ka")
            await settle(pilot, app)
        hint = _("ctrl+s save · esc cancel")
        for name, open_form in _forms().items():
            open_form(app, shop)
            await settle(pilot, app)
            dialog = app.screen
            assert isinstance(dialog, FormDialog), name
            assert dialog.note, name  # each of these has a note
            keys = dialog.query_one(".dialog-keys")
            box = dialog.query_one(".form-dialog").content_region
            text = screen_text(app)
            if hint not in text or not box.contains_region(keys.region):
                cut.append(f"{name}:\n{text}")
            await pilot.press("escape")
            await settle(pilot, app)
    assert cut == [], "\n".join(cut)


@pytest.mark.parametrize("lang", ["en", "ka"])
async def test_a_bills_view_names_r_for_the_suppliers_reference(app, shop, lang) -> None:
    """The invoice dialog's key line on a bill says `r` (the supplier's reference), whole
    at 80×24; an invoice's does not."""
    from decimal import Decimal

    from smallbiz.orders.direct import DirectLine
    from smallbiz.screens.invoices import InvoiceDialog

    bill = app.book.issue_direct("bill", shop.supplier, [DirectLine(
        "Electricity", Decimal(1), Decimal("100"), vat_rate=Decimal(18))]).number
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        if lang == "ka":
            await app.switch_language("ka")
            await settle(pilot, app)
        for number, keys in ((bill, _("p record payment · d PDF · c contact · r supplier's "
                                      "ref · esc close")),
                             (shop.invoice, _("p record payment · d PDF · c contact · "
                                              "esc close"))):
            app.push_screen(InvoiceDialog(number))
            await settle(pilot, app)
            text = screen_text(app)
            assert keys in text, text
            await pilot.press("escape")
            await settle(pilot, app)
