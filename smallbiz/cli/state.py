"""What every command shares: the chosen book, JSON or human output, and printing."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from smallbiz.app.book import Book
    from smallbiz.cli.tables import Table
    from smallbiz.db import Database

from smallbiz.i18n import N_

JSON_HELP = N_("Print machine-readable JSON on stdout.")
#: `--locale` of the imports: how the file writes numbers and dates.
LOCALE = typer.Option(None, "--locale", metavar="ka|en",
                      help="How the file writes numbers and dates: ka (1 234,56 and "
                           "01.12.2026) or en (1,234.56 and 2026-12-01). Default: the "
                           "language in force.")


@dataclass
class State:
    db_url: str | None = None
    json: bool = False
    _db: Database | None = None
    _book: Book | None = None

    def database(self) -> Database:
        """The book, opened (and upgraded if it is older than this smallbiz)."""
        if self._db is None:
            from smallbiz.db import Database

            self._db = Database(self.db_url).open()
        return self._db

    def book(self) -> Book:
        """The application layer on the book (opened as `database` opens it): every
        command's use case is one of its methods, as the terminal app's are."""
        if self._book is None:
            from smallbiz.app.book import Book
            from smallbiz.i18n import apply_book_setting

            self._book = Book(self.database())
            if self._book.exists():
                apply_book_setting(self._book.raw_settings().get("lang"))
        return self._book

    def unopened(self) -> Database:
        from smallbiz.db import Database

        return Database(self.db_url)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def want_json(ctx: typer.Context, flag: bool) -> bool:
    return flag or state(ctx).json


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(abs(value) if value == 0 else value)  # never "-0.00"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


_console: Console | None = None


def console() -> Console:
    """The Rich console on stdout. It never crops or wraps a line itself (the tables are
    fitted to its width by `smallbiz.cli.tables`) and never replaces `:name:` emoji codes."""
    global _console
    from rich.console import Console

    if _console is None or _console.file is not sys.stdout:
        _console = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False)
    return _console


def table(*columns: str, title: str | None = None, right: tuple[str, ...] = ()) -> Table:
    """A table in smallbiz's own format (`smallbiz.cli.tables`, docs/tables.md): cells are
    console markup (user text through `esc`), the `right` columns right-aligned. The
    headings are msgids, translated here (tools/i18n.py extracts the strings written in a
    `table(...)` call; give others with `N_`)."""
    from smallbiz.cli.tables import Table
    from smallbiz.i18n import _

    return Table(*(_(c) for c in columns), title=title, right=tuple(_(r) for r in right))


def details_grid() -> Table:
    """Label and value lines without header or rules (`contact show`)."""
    from smallbiz.cli.tables import grid

    return grid()


def say(message: str) -> None:
    """A line for people (stdout), never wrapped or read as markup."""
    console().print(message, markup=False, soft_wrap=True)


def esc(text: object) -> str:
    """User text for a Rich table cell: brackets stay brackets, not markup."""
    from rich.markup import escape

    return escape(str(text))


def progress(total: int | None, description: str) -> Any:
    """A Rich progress bar on a terminal; a no-op when output is piped."""
    from contextlib import nullcontext

    if not sys.stderr.isatty():
        return nullcontext(lambda n=1: None)

    from rich.console import Console
    from rich.progress import Progress

    class _Bar:
        def __enter__(self) -> Any:
            self.p = Progress(console=Console(file=sys.stderr), transient=True)
            self.p.__enter__()
            self.task = self.p.add_task(description, total=total)
            return lambda n=1: self.p.advance(self.task, n)

        def __exit__(self, *exc: Any) -> None:
            self.p.__exit__(*exc)

    return _Bar()
