"""Before the book is there: the first-run form, and building the demo company."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from screens.modals.form import FormDialog, FormField
from smallbiz.api import Book
from smallbiz.i18n import _


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


class BuildDemo(ModalScreen[Any]):
    """Builds the demo company in a worker, with a progress bar; dismisses with the Book."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Building the demo company…"), classes="dialog-title")
            yield Static(_("A year of sales, purchases, payments and contacts, posted through "
                           "the same services you use. This takes a few seconds."),
                         classes="dialog-detail")
            yield ProgressBar(id="demo-progress", show_eta=False)

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True, group="demo")
    def build(self) -> None:
        from smallbiz.db import Database

        bar = self.query_one(ProgressBar)
        try:
            from smallbiz.demo import STEPS, create_demo_book
        except ImportError:
            from smallbiz.book import init_book

            db = Database(self.path)
            init_book(db, company="Demo Company", currency="GEL", vat_rate="18")
            self.app.call_from_thread(self.dismiss, (Book(db.open()), _(
                "The demo company is not available in this version; this is an empty "
                "throwaway book at {path}").format(path=self.path)))
            return
        self.app.call_from_thread(bar.update, total=STEPS, progress=0)

        def advance(n: int = 1) -> None:
            self.app.call_from_thread(bar.advance, n)

        db = create_demo_book(self.path, progress=advance)
        self.app.call_from_thread(self.dismiss, (Book(db), _(
            "Demo book (a throwaway copy) at {path}").format(path=self.path)))
