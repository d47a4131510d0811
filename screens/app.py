"""The terminal app: one mode per place (F2..F10), a help screen (F1), the palette (ctrl+p).

`SmallBizApp(book)` gets its `Book` injected; `run(state, demo=...)` builds it for the
CLI (`smallbiz`, `smallbiz tui [--demo]`).
"""

from __future__ import annotations

import importlib
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import ModalScreen
from textual.widget import AwaitMount

from smallbiz.app.book import Book
from smallbiz.errors import UserError
from smallbiz.i18n import N_, _
from smallbiz.screens.commands import SmallBizCommands
from smallbiz.screens.nav import PLACE, PLACES

#: Each place's screen: (module, class, arguments). A module is imported when its place
#: is first shown, so the dashboard paints without loading every other screen.
_SCREENS: dict[str, tuple[str, str, tuple[Any, ...]]] = {
    "dashboard": ("smallbiz.screens.dashboard", "DashboardScreen", ()),
    "contacts": ("smallbiz.screens.contacts", "ContactsScreen", ()),
    "deals": ("smallbiz.screens.deals", "DealsScreen", ()),
    "sales": ("smallbiz.screens.orders", "OrdersScreen", ("sale",)),
    "purchases": ("smallbiz.screens.orders", "OrdersScreen", ("purchase",)),
    "invoices": ("smallbiz.screens.invoices", "InvoicesScreen", ()),
    "products": ("smallbiz.screens.products", "ProductsScreen", ()),
    "journal": ("smallbiz.screens.journal", "JournalScreen", ()),
    "reports": ("smallbiz.screens.reports", "ReportsScreen", ()),
    "bank": ("smallbiz.screens.bank", "BankScreen", ()),
}


def _mode_factory(mode: str) -> Any:
    def make() -> Any:
        module, name, args = _SCREENS[mode]
        return getattr(importlib.import_module(module), name)(*args)

    return make


def _goto_bindings() -> list[BindingType]:
    return [Binding(p.key, f"goto('{p.mode}')", p.short, priority=True, show=False,
                    id=f"app.goto.{p.mode}", tooltip=p.title) for p in PLACES]


#: Textual's own words in the palette (its system commands, the search placeholder) and
#: in the footer (a Select's menu key), for the catalogs; shown through `_()`.
TEXTUAL_PALETTE_WORDS = (
    N_("Theme"), N_("Change the current theme"), N_("Quit"),
    N_("Quit the application as soon as possible"), N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"), N_("Maximize"),
    N_("Maximize the focused widget"), N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"), N_("Search for commands…"),
    N_("Dismiss menu"),
)


class SmallBizApp(App[None]):
    """smallbiz in the terminal."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "smallbiz"
    MODES: ClassVar[dict[str, Any]] = {p.mode: _mode_factory(p.mode) for p in PLACES}
    COMMANDS = App.COMMANDS | {SmallBizCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), priority=True, id="app.help"),
        Binding("question_mark", "help", N_("Help"), show=False, id="app.help_question"),
        *_goto_bindings(),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
    ]
    def get_system_commands(self, screen: Any) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, keys, screenshot, ...), in the language in
        force."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """The palette, its search placeholder in the language in force."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"),
                                            id="--command-palette"))

    #: How often (seconds) the app looks whether another process wrote to the book.
    WATCH_SECONDS = 1.0

    def __init__(self, book: Book, *, note: str | None = None,
                 demo_path: Path | None = None) -> None:
        super().__init__()
        self.book = book
        self.note = note
        self.demo_path = demo_path
        self.ready = False
        self._opened_modes: set[str] = set()  # places shown at least once
        #: Screens and forms that may hold typing not saved yet (see `has_unsaved`).
        self._forms: weakref.WeakSet[Any] = weakref.WeakSet()
        self._mark: tuple[int, int] | None = None  # `Book.change_mark` last seen
        self._watching = False  # a mark is being read
        from smallbiz.screens import prefs

        theme = prefs.load().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    def watch_theme(self, theme: str) -> None:
        """The theme chosen in the app is the one it starts with next time (the theme set
        while starting is not a choice: nothing is written then)."""
        if not self.ready:
            return
        from smallbiz.screens import prefs

        prefs.remember("theme", theme)

    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's `switch_mode`, remembering which places have been shown."""
        result = super().switch_mode(mode)
        self._opened_modes.add(mode)  # after: an unknown mode raises and is not recorded
        return result

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text: it quotes names, memos and messages from the
        book, which are never read as markup (a `[` stays a `[`). Safe from a worker
        thread (a write's `submit` may say what it did)."""
        import threading

        if threading.current_thread() is not threading.main_thread():
            self.call_from_thread(self.notify, message, title=title, severity=severity,
                                  timeout=timeout)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- start -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.demo_path is not None:
            from smallbiz.screens.first_run import build_demo

            self.push_screen(build_demo(self.demo_path), self._demo_built)
        elif self.book.exists():
            self._start()
        else:
            self._ask_first_run()

    def _ask_first_run(self) -> None:
        from smallbiz.screens.first_run import first_run_form

        self.push_screen(first_run_form(self.book), self._first_run_done)

    def _first_run_done(self, created: bool | None) -> None:
        if not created:
            self.exit(message=_("No book created."))
            return
        self.notify(_("Book created at {where}").format(where=self.book.where()))
        self._start()

    def _demo_built(self, result: tuple[Book, str] | None) -> None:
        if result is None:
            self.exit(message=_("The demo book could not be built."))
            return
        self.book, self.note = result
        self._start()

    def _start(self) -> None:
        from smallbiz.i18n import apply_book_setting

        apply_book_setting(self.book.raw_settings().get("lang"))  # unless --lang said
        self.ready = True
        self.title = self.book.company_name
        # The mark the first screen is read at: a write from elsewhere even in the first
        # second then refreshes it (the watch compares against this, not its first look).
        self._mark = self.book.change_mark()
        self.switch_mode("dashboard")
        self.call_after_refresh(_quiet_gc, True)
        self.set_interval(self.WATCH_SECONDS, self.watch_book)
        if self.note:
            self.notify(self.note, timeout=10)

    # -- language ------------------------------------------------------------------------------
    async def switch_language(self, code: str) -> None:
        """The whole app in another language, without a restart: the book's setting `lang`
        changes, and every place is built again in the new language (the current one is
        shown again, the others when next visited)."""
        from smallbiz.i18n import LANGUAGE_NAMES, set_language

        try:
            self.book.change_setting("lang", code)
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        set_language(code)
        current = self.current_mode
        hop = next(m for m in self.MODES if m != current)
        for mode in self._opened_modes - {current}:
            await self.remove_mode(mode)
            self.add_mode(mode, self.MODES[mode])
        self._opened_modes = {current}
        await self.switch_mode(hop)  # the current place is rebuilt from a neighbour
        await self.remove_mode(current)
        self.add_mode(current, self.MODES[current])
        await self.switch_mode(current)
        await self.remove_mode(hop)
        self.add_mode(hop, self.MODES[hop])
        self._opened_modes = {current}
        self.refresh_bindings()
        self.notify(_("Language: {name}").format(name=LANGUAGE_NAMES[code]))

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
            first = mode not in self._opened_modes
            await self.switch_mode(mode)
            if first:
                self.call_after_refresh(_quiet_gc, False)

    async def _pop_to_base(self) -> bool:
        """Close the place's drill-down screens, but never a form with unsaved typing."""
        while len(self.screen_stack) > 1:
            if getattr(self.screen, "has_unsaved", lambda: False)():
                self.notify(_("Not saved yet: ctrl+s saves, escape discards"),
                            severity="warning")
                return False
            await self.pop_screen()
        return True

    async def open_place(self, mode: str, action: str | None = None) -> None:
        """Go to a place's first screen and run one of its actions (palette commands)."""
        if not self.ready:
            return
        await self.switch_mode(mode)
        if await self._pop_to_base() and action:
            await self.screen.run_action(action)

    async def open_contact(self, contact_id: int) -> None:
        """The contact's 360 view, on top of the Contacts list."""
        from smallbiz.screens.contacts import ContactScreen

        await self.open_place("contacts")
        if len(self.screen_stack) == 1:
            await self.push_screen(ContactScreen(contact_id))

    async def open_document(self, what: str, number: str) -> None:
        """A document found by its number (the palette), on top of its place."""
        if what == "invoice":
            from smallbiz.screens.invoices import InvoiceDialog

            await self.open_place("invoices")
            await self.push_screen(InvoiceDialog(number))
        elif what in ("sale", "purchase"):
            from smallbiz.screens.orders import OrderScreen

            await self.open_place("sales" if what == "sale" else "purchases")
            await self.push_screen(OrderScreen(what, number=number))
        elif what == "entry":
            from smallbiz.screens.journal import EntryDialog

            await self.open_place("journal")
            await self.push_screen(EntryDialog(number))
        else:
            payment = self.book.payment(number)
            if payment.allocations:
                await self.open_document("invoice", payment.allocations[0].invoice)

    async def open_product(self, sku: str) -> None:
        from smallbiz.screens.products import ProductDialog

        await self.open_place("products")
        await self.push_screen(ProductDialog(sku))

    async def open_ledger(self, code: str) -> None:
        from smallbiz.screens.journal import LedgerScreen

        await self.open_place("journal")
        await self.push_screen(LedgerScreen(code))

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            if getattr(self.screen, "has_unsaved", lambda: False)():
                from smallbiz.screens.modals.confirm import ConfirmDialog

                def answer(yes: bool | None) -> None:
                    if yes:
                        self.pop_screen()

                self.push_screen(ConfirmDialog(_("Discard what you typed?"),
                                               _("Nothing of it has been saved.")), answer)
                return
            self.pop_screen()
        elif self.current_mode != "dashboard" and self.ready:
            self.switch_mode("dashboard")

    # -- nothing lost -------------------------------------------------------------------------
    def holds_typing(self, screen: Any) -> None:
        """`screen` has a `has_unsaved()`: ctrl+q asks first while it says True."""
        self._forms.add(screen)

    def unsaved(self) -> list[Any]:
        """The open screens and forms, in any place, with typing not saved yet."""
        out = []
        for screen in list(self._forms):
            try:
                if screen.is_attached and screen.has_unsaved():
                    out.append(screen)
            except Exception:  # a screen being taken down has nothing left to lose
                continue
        return out

    async def action_quit(self) -> None:
        """Quit; with a half-typed entry, order or form anywhere, ask first."""
        if not self.unsaved():
            self.exit()
            return
        from smallbiz.screens.modals.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmDialog(_("Quit without saving?"),
                                       _("What you typed has not been saved."),
                                       yes=_("Quit")), answer)

    # -- nothing stale ------------------------------------------------------------------------
    def watch_book(self) -> None:
        """Every WATCH_SECONDS: read the book's change mark in a thread (one at a time)."""
        if not self._watching:
            self._watching = True
            self._read_mark()

    @work(thread=True, group="watch-book", exit_on_error=False)
    def _read_mark(self) -> None:
        try:
            mark = self.book.change_mark()
        except Exception:  # a busy or vanished book: look again next time
            mark = None
        self.call_from_thread(self._book_moved, mark)

    def _book_moved(self, mark: tuple[int, int] | None) -> None:
        """When another write moved the mark, the screen shows the book as it is now."""
        self._watching = False
        if mark is None:
            return
        before, self._mark = self._mark, mark
        if before is None or before == mark:
            return
        changed = getattr(self.screen, "book_changed", None)
        if changed is not None:
            changed()

    def action_tool(self, name: str) -> None:
        """A palette action with no place of its own (`smallbiz.screens.tools`)."""
        if not self.ready:
            self.bell()
            return
        from smallbiz.screens.tools import TOOLS

        TOOLS[name](self)

    def action_help(self) -> None:
        from smallbiz.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def place_title(self, mode: str) -> str:
        return _(PLACE[mode].title)


def _quiet_gc(collect: bool) -> None:
    """Move the long-lived objects (modules, the ORM, screens) out of the collector's way.

    A full garbage collection walks every object; with SQLAlchemy and Textual loaded that
    took 0.1–0.3 s, often in the middle of a key press. Frozen objects are not walked
    again, so switching places costs milliseconds instead.
    """
    import gc

    if collect:
        gc.collect()
    gc.freeze()


def run(state: Any, *, demo: bool) -> None:
    """Open the app on the chosen book (or on a fresh demo book)."""
    if demo:
        from smallbiz.db import Database

        path = Path(tempfile.mkdtemp(prefix="smallbiz-demo-")) / "demo.db"
        SmallBizApp(Book(Database(path)), demo_path=path).run()
        return
    db = state.unopened()
    if db.exists():
        db = state.database()  # opens and upgrades (after a backup) if needed
    elif db.path is None:
        raise UserError(_("no book at {where}; create one with 'smallbiz init'").format(
            where=db.where()))
    SmallBizApp(Book(db)).run()
