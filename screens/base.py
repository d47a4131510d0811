"""What every screen of the app shares: the book, going back, showing service errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from smallbiz.errors import UserError
from smallbiz.i18n import N_, _

if TYPE_CHECKING:
    from smallbiz.app.book import Book
    from smallbiz.screens.app import SmallBizApp

T = TypeVar("T")

#: A write still waiting after this many seconds says so (another program holds the book).
WAIT_NOTE_SECONDS = 0.6


def run_write(node: Any, call: Callable[[], T], done: Callable[[T], Any], *,
              failed: Callable[[UserError], Any] | None = None) -> None:
    """Run one write to the book in a worker thread, then `done(result)` on the app's
    thread: a script holding the write lock never freezes the app (the write waits for
    it, up to the busy timeout, and says it is waiting). A `UserError` goes to `failed`
    (default: an error notification), and so does a failure that is not a bug (a busy,
    damaged or read-only book) as its one line; a bug still stops the app."""
    from smallbiz.failures import describe

    app = node.app
    screen = node.screen

    def on_screen(fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn` once the screen the write came from is shown again (the user may have
        gone to another place meanwhile: a dialog closes only where it stands); nothing
        when that screen was closed meanwhile (an error is still said)."""
        def run() -> None:
            if screen.is_attached:
                fn(*args)
            elif args and isinstance(args[0], UserError):
                say(args[0].message)

        if screen.is_current or not screen.is_attached:
            run()
            return

        def look() -> None:
            if screen.is_current or not screen.is_attached:
                timer.stop()
                run()

        timer = app.set_interval(0.1, look)

    def say(message: str) -> None:
        app.notify(message, severity="error", timeout=8)

    def job() -> None:
        waiting = app.call_from_thread(app.set_timer, WAIT_NOTE_SECONDS, lambda: app.notify(
            _("Waiting for the book: another program is writing to it…"), timeout=4))
        try:
            result = call()
        except UserError as exc:
            app.call_from_thread(waiting.stop)
            app.call_from_thread(on_screen, failed or (lambda e: say(e.message)), exc)
            return
        except Exception as exc:
            app.call_from_thread(waiting.stop)
            line = describe(exc, reading_book=True)
            if line is None:
                raise
            app.call_from_thread(on_screen, failed or (lambda e: say(e.message)),
                                 UserError(line))
            return
        app.call_from_thread(waiting.stop)
        app.call_from_thread(on_screen, done, result)

    node.run_worker(job, thread=True, group="write", name="write")


class BookScreen(Screen[Any]):
    """A screen over the book. escape goes back (or home)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", N_("Back"), id="screen.back"),
    ]
    #: Shown in the top bar.
    PLACE_TITLE: ClassVar[str] = ""
    _shown = False

    def on_mount(self) -> None:
        self.book_app = self.sb_app
        if callable(getattr(self, "has_unsaved", None)):
            self.sb_app.holds_typing(self)

    def book_changed(self) -> None:
        """Another write reached the book while this screen is shown: show it as it is now
        (unless typing here is not saved yet)."""
        if not getattr(self, "has_unsaved", lambda: False)():
            self.resumed()

    def write(self, fn: Callable[..., T], *args: Any, done: Callable[[T], Any],
              failed: Callable[[UserError], Any] | None = None, **kwargs: Any) -> None:
        """`fn(*args, **kwargs)` off the event loop (see `run_write`), then `done`."""
        run_write(self, lambda: fn(*args, **kwargs), done, failed=failed)

    def type_to_filter(self, event: Any, filter_input: Any, table: Any = None) -> bool:
        """The one rule of every list screen: the list has the focus; `/` or a letter or
        digit that is no key of the screen starts a new filter with that letter; ↓ in the
        filter goes back to the list (`table`). True when the key was used."""
        if self.focused is filter_input:
            if event.key == "down" and table is not None:
                event.stop()
                table.focus()
                return True
            return False
        char = event.character or ""
        if event.key == "slash" or (len(char) == 1 and char.isalnum()
                                    and event.key not in self.active_bindings):
            event.stop()
            event.prevent_default()
            filter_input.select_on_focus = event.key == "slash"
            filter_input.focus()
            if event.key != "slash":  # a new filter, beginning with that letter
                filter_input.value = char
                filter_input.cursor_position = 1
            return True
        return False

    def on_screen_suspend(self) -> None:
        self._shown = False

    def on_screen_resume(self) -> None:
        # Textual posts ScreenResume twice on a place's first visit (from `_init_mode` and
        # from `switch_mode`): load once, not twice in two threads at once.
        if not self._shown:
            self._shown = True
            self.resumed()

    def resumed(self) -> None:
        """The screen is shown (first visit, or back from another): refresh what it lists."""

    #: The app, kept once it is found on the event loop: a thread worker that ends after
    #: its screen was closed can no longer find it through the screen's parents.
    book_app: SmallBizApp | None = None

    @property
    def sb_app(self) -> SmallBizApp:
        if self.book_app is None:
            from smallbiz.screens.app import SmallBizApp

            app = self.app
            assert isinstance(app, SmallBizApp)
            return app
        return self.book_app

    def deliver(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """From a thread worker: run `fn` on the event loop, unless the screen was closed
        meanwhile (a load that ends after its screen is gone shows nothing)."""
        def run() -> None:
            if self.is_attached:
                fn(*args, **kwargs)

        self.sb_app.call_from_thread(run)

    @property
    def book(self) -> Book:
        return self.sb_app.book

    def attempt(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call a service; a UserError, or a failure that is not a bug (a busy, damaged or
        read-only book, a full disk), becomes an error notification and None."""
        from smallbiz.failures import describe

        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return None
        except Exception as exc:
            line = describe(exc, reading_book=True)
            if line is None:
                raise
            self.notify(line, severity="error", timeout=8)
            return None

    def fmt(self, amount: Any) -> str:
        return self.book.format(amount)


def document_status(status: str | None, paid: Decimal | bool | None = None) -> str:
    """An invoice's or bill's status as a person says it: an open one with a payment on it
    is "partly paid"."""
    if status == "open" and paid:
        return _("partly paid")
    return _(status) if status else ""


def unit_amount(value: Decimal | None, digits: int = 2) -> str:
    """A unit price or cost as a table shows it: thousands grouped, the book's decimals,
    or up to four when the price has more (`25.00`, `12.3457`)."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.0001"))
    shown = digits
    while shown < 4 and q != q.quantize(Decimal(1).scaleb(-shown)):
        shown += 1
    from smallbiz.money import format_number

    return format_number(q.quantize(Decimal(1).scaleb(-shown)))  # the language's marks


def figure(text: str) -> Any:
    """A table cell that holds a number: right-aligned."""
    from rich.text import Text

    return Text(text, justify="right")


def plain(value: Decimal | None) -> str:
    """A rate, price or quantity without trailing zeros and never in exponent form."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
