"""Before the book is there: the first-run form, and building the demo company."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smallbiz.app.book import Book
from smallbiz.i18n import _
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.modals.progress import ProgressDialog


def details_fields() -> tuple[tuple[str, str], ...]:
    """The company's details the first-run form asks for (all optional; `settings`
    changes them later): (setting key, label)."""
    return (
        ("legal_name", _("Legal name (as registered)")),
        ("legal_form", _("Legal form (e.g. LLC / შპს)")),
        ("tax_id", _("Tax ID (identification code, 9 or 11 digits)")),
        ("vat_payer", _("VAT payer (yes/no)")),
        ("vat_registered_on", _("VAT registration date (YYYY-MM-DD)")),
        ("legal_address", _("Legal address")),
        ("actual_address", _("Actual address (if different)")),
        ("phone", _("Phone")),
        ("email", _("E-mail")),
        ("bank_accounts", _("Bank accounts: Bank name, IBAN; ...")),
        ("director", _("Director")),
    )


def first_run_form(book: Book) -> FormDialog:
    """Company name, currency, VAT rate, chart and the company's details; saving creates
    the book."""

    details = details_fields()

    def create(values: dict[str, str]) -> bool:
        book.create(values["company"], values["currency"], values["vat_rate"],
                    chart=values.get("chart") or "default",
                    details={key: values.get(key, "") for key, _label in details})
        return True

    fields = [
        FormField("company", _("Company name"), placeholder=_("e.g. Tbilisi Tea House")),
        FormField("currency", _("Currency (ISO 4217 code)"), value="GEL"),
        FormField("vat_rate", _("VAT rate %"), value="18"),
        FormField("chart", _("Chart of accounts"), value="default",
                  choices=[(_("Standard (English)"), "default"),
                           (_("Georgian (ქართული)"), "ge")]),
        *(FormField(key, label) for key, label in details),
    ]
    note = _("No book at {where} yet. Tell smallbiz about your firm to create it.").format(
        where=book.where())
    return FormDialog(_("Welcome to smallbiz"), fields, create, note=note)


def build_demo(path: Path) -> ProgressDialog:
    """Build the demo company at `path`; the dialog dismisses with (Book, note)."""

    def job(set_total: Any, advance: Any) -> tuple[Book, str]:
        from smallbiz.db import Database

        try:
            from smallbiz.demo import STEPS, create_demo_book
        except ImportError:
            from smallbiz.book import init_book

            db = Database(path)
            init_book(db, company="Demo Company", currency="GEL", vat_rate="18")
            return Book(db.open()), _("The demo company is not available in this version; "
                                      "this is an empty throwaway book at {path}").format(
                path=path)
        set_total(STEPS)
        db = create_demo_book(path, progress=advance)
        return Book(db), _("Demo book (a throwaway copy) at {path}").format(path=path)

    return ProgressDialog(_("Building the demo company…"), _(
        "A year of sales, purchases, payments and contacts, posted through the same "
        "services you use. This takes a few seconds."), job)
