"""Forms for the documents of one lifecycle: a direct invoice or bill, a credit or debit
note. The invoices screen opens them (n, k); each calls one `Book` method."""

from __future__ import annotations

from typing import Any

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.i18n import _
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.orders import SUPPLIER_REF_LABEL, currency_field, rate_field


def direct_form(book: Book, kind: str) -> FormDialog:
    """A service invoice (kind 'invoice') or an expense bill ('bill') without an order:
    the contact and up to three lines `WHAT=QTY@PRICE;account=CODE`."""
    from smallbiz.orders.direct import parse_direct_line

    def save(values: dict[str, str]) -> Any:
        texts = [values[f"line{i}"].strip() for i in (1, 2, 3)]
        lines = [parse_direct_line(text, i, option=_("line"))
                 for i, text in enumerate(texts, start=1) if text]
        on = dates.parse_optional_date(values["date"], field="date")
        currency = values["currency"].strip() or None
        return book.issue_direct(kind, values["contact"], lines, on=on, currency=currency,
                                 rate=values["rate"].strip() or None,
                                 supplier_ref=values.get("supplier_ref", ""))

    who = _("Customer") if kind == "invoice" else _("Supplier")
    example = ("SVC-01=3" if kind == "invoice"
               else _("Electricity November") + "=1@100.00;account=6200")
    theirs = [FormField("supplier_ref", _(SUPPLIER_REF_LABEL),
                        placeholder=_("e.g. F-2026/118"))] if kind == "bill" else []
    return FormDialog(
        _("New invoice without an order") if kind == "invoice" else _("New bill"), [
            FormField("contact", who),
            FormField("line1", _("Line (WHAT=QTY@PRICE;account=CODE)"), placeholder=example),
            FormField("line2", _("Line")), FormField("line3", _("Line")),
            FormField("date", _("Date"), dates.today().isoformat(), date=True),
            currency_field(), rate_field(), *theirs],
        save, note=_("Posts the document to the books."))


def supplier_ref_form(book: Book, number: str, current: str) -> FormDialog:
    """Set or clear a bill's supplier reference (their own number for it)."""
    return FormDialog(_("Supplier's reference of {n}").format(n=number), [
        FormField("supplier_ref", _(SUPPLIER_REF_LABEL), current,
                  placeholder=_("e.g. F-2026/118"))],
        lambda values: book.set_supplier_ref(number, values["supplier_ref"]),
        note=_("Their own number for the bill: the bank matcher looks for it."))


def credit_form(book: Book, number: str) -> FormDialog:
    """A credit note against an invoice (a debit note against a bill): all of it, or the
    lines given (`1=3 2=1`), with or without the goods back."""

    def save(values: dict[str, str]) -> Any:
        from smallbiz.app.documents import parse_quantities

        on = dates.parse_optional_date(values["date"], field="date")
        return book.credit(number, lines=parse_quantities(values["lines"], option=_("lines")),
                           with_return=values["back"] == "yes", on=on)

    return FormDialog(_("Credit {n}").format(n=number), [
        FormField("lines", _("Lines (POS=QTY …; empty: all not yet credited)"),
                  placeholder="1=3"),
        FormField("back", _("The goods come back"), "no",
                  choices=[(_("no"), "no"), (_("yes"), "yes")]),
        FormField("date", _("Date"), dates.today().isoformat(), date=True)],
        save, note=_("Posts a credit note (CN-) or debit note (DN-) to the books."))
