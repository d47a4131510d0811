"""Before the book is there: the first-run form, and building the demo company."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smallbiz.app.book import Book
from smallbiz.i18n import _
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.modals.progress import ProgressDialog


def first_run_form(book: Book) -> FormDialog:
    """Company name, currency and VAT rate; saving creates the book."""

    def create(values: dict[str, str]) -> bool:
        book.create(values["company"], values["currency"], values["vat_rate"])
        return True

    fields = [
        FormField("company", _("Company name"), placeholder=_("e.g. Tbilisi Tea House")),
        FormField("currency", _("Currency (ISO 4217 code)"), value="GEL"),
        FormField("vat_rate", _("VAT rate %"), value="18"),
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
