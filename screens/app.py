"""The terminal app: one mode per place (F2..F10), a help screen (F1), the palette (ctrl+p).

`SmallBizApp(book)` gets its `Book` injected; `run(state, demo=...)` builds it for the
CLI (`smallbiz`, `smallbiz tui [--demo]`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from screens.commands import SmallBizCommands
from screens.nav import PLACE, PLACES
from smallbiz.api import Book
from smallbiz.errors import UserError
from smallbiz.i18n import _


def _mode_factory(mode: str) -> Any:
    def make() -> Any:
        from screens import contacts, dashboard, deals, invoices, journal, orders, products
        from screens import reports as reports_screen

        return {
            "dashboard": dashboard.DashboardScreen,
            "contacts": contacts.ContactsScreen,
            "deals": deals.DealsScreen,
            "sales": lambda: orders.OrdersScreen("sale"),
            "purchases": lambda: orders.OrdersScreen("purchase"),
            "invoices": invoices.InvoicesScreen,
            "products": products.ProductsScreen,
            "journal": journal.JournalScreen,
            "reports": reports_screen.ReportsScreen,
        }[mode]()

    return make


def _goto_bindings() -> list[BindingType]:
    return [Binding(p.key, f"goto('{p.mode}')", p.short, priority=True, show=False,
                    id=f"app.goto.{p.mode}", tooltip=p.title) for p in PLACES]


class SmallBizApp(App[None]):
    """smallbiz in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "smallbiz"
    MODES: ClassVar[dict[str, Any]] = {p.mode: _mode_factory(p.mode) for p in PLACES}
    COMMANDS = App.COMMANDS | {SmallBizCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help"), priority=True, id="app.help"),
        Binding("question_mark", "help", _("Help"), show=False, id="app.help_question"),
        *_goto_bindings(),
        Binding("ctrl+q", "quit", _("Quit"), show=False, priority=True, id="app.quit"),
    ]

    def __init__(self, book: Book, *, note: str | None = None) -> None:
        super().__init__()
        self.book = book
        self.note = note
        self.ready = False

    # -- start -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.book.exists():
            self._start()
        else:
            self._ask_first_run()

    def _ask_first_run(self) -> None:
        from screens.modals.form import FormDialog, FormField

        def create(values: dict[str, str]) -> bool:
            self.book.create(values["company"], values["currency"], values["vat_rate"])
            return True

        fields = [
            FormField("company", _("Company name"), placeholder=_("e.g. Tbilisi Tea House")),
            FormField("currency", _("Currency (ISO 4217 code)"), value="GEL"),
            FormField("vat_rate", _("VAT rate %"), value="18"),
        ]
        note = _("No book at {where} yet. Tell smallbiz about your firm to create it.").format(
            where=self.book.where())
        self.push_screen(FormDialog(_("Welcome to smallbiz"), fields, create, note=note),
                         self._first_run_done)

    def _first_run_done(self, created: bool | None) -> None:
        if not created:
            self.exit(message=_("No book created."))
            return
        self.notify(_("Book created at {where}").format(where=self.book.where()))
        self._start()

    def _start(self) -> None:
        self.ready = True
        self.title = self.book.settings.company_name
        self.sub_title = self.book.where()
        self.switch_mode("dashboard")
        if self.note:
            self.notify(self.note, timeout=10)

    # -- navigation ---------------------------------------------------------------------------
    async def action_goto(self, mode: str) -> None:
        """Go to a place; pressing its key again goes back to the place's first screen."""
        if not self.ready:
            self.bell()
            return
        if isinstance(self.screen, ModalScreen) and self.current_mode == mode:
            return
        if self.current_mode == mode:
            await self._pop_to_base()
        else:
            await self.switch_mode(mode)

    async def _pop_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def open_place(self, mode: str, action: str | None = None) -> None:
        """Go to a place's first screen and run one of its actions (palette commands)."""
        if not self.ready:
            return
        await self.switch_mode(mode)
        await self._pop_to_base()
        if action:
            await self.screen.run_action(action)

    async def open_contact(self, contact_id: int) -> None:
        """The contact's 360 view, on top of the Contacts list."""
        from screens.contacts import ContactScreen

        await self.open_place("contacts")
        await self.push_screen(ContactScreen(contact_id))

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "dashboard" and self.ready:
            self.switch_mode("dashboard")

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def place_title(self, mode: str) -> str:
        return PLACE[mode].title


def _demo_book() -> tuple[Book, str]:
    """A throwaway book in a temp folder: the demo company when available."""
    from smallbiz.db import Database

    folder = Path(tempfile.mkdtemp(prefix="smallbiz-demo-"))
    path = folder / "demo.db"
    try:
        from smallbiz.demo import create_demo_book
    except ModuleNotFoundError:
        from smallbiz.book import init_book

        db = Database(path)
        init_book(db, company="Demo Company", currency="GEL", vat_rate="18")
        return Book(db.open()), _("The demo company is not available in this version; "
                                  "this is an empty throwaway book at {path}").format(path=path)
    create_demo_book(path)
    return Book(Database(path).open()), _("Demo book (throwaway copy) at {path}").format(
        path=path)


def run(state: Any, *, demo: bool) -> None:
    """Open the app on the chosen book (or on a fresh demo book)."""
    if demo:
        book, note = _demo_book()
        SmallBizApp(book, note=note).run()
        return
    db = state.unopened()
    if db.exists():
        db = state.database()  # opens and upgrades (after a backup) if needed
    elif db.path is None:
        raise UserError(_("no book at {where}; create one with 'smallbiz init'").format(
            where=db.where()))
    SmallBizApp(Book(db)).run()
