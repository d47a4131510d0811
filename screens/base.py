"""What every screen of the app shares: the book, going back, showing service errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from smallbiz.errors import UserError
from smallbiz.i18n import N_

if TYPE_CHECKING:
    from smallbiz.app.book import Book
    from smallbiz.screens.app import SmallBizApp

T = TypeVar("T")


class BookScreen(Screen[Any]):
    """A screen over the book. escape goes back (or home)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", N_("Back"), id="screen.back"),
    ]
    #: Shown in the top bar.
    PLACE_TITLE: ClassVar[str] = ""
    _shown = False

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

    @property
    def sb_app(self) -> SmallBizApp:
        from smallbiz.screens.app import SmallBizApp

        assert isinstance(self.app, SmallBizApp)
        return self.app

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


def plain(value: Decimal | None) -> str:
    """A rate, price or quantity without trailing zeros and never in exponent form."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
