"""What every command shares: the chosen book, JSON or human output, and printing."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from smallbiz.app.book import Book
    from smallbiz.db import Database

JSON_HELP = "Print machine-readable JSON on stdout."


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

            self._book = Book(self.database())
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
    global _console
    from rich.console import Console

    if _console is None or _console.file is not sys.stdout:
        _console = Console(file=sys.stdout, highlight=False, soft_wrap=False)
    return _console


def table(*columns: str, title: str | None = None, right: tuple[str, ...] = ()) -> Table:
    t = _long_table_class()(title=title, title_justify="left", show_edge=False,
                            pad_edge=False)
    for c in columns:
        t.add_column(c, justify="right" if c in right else "left",
                     overflow="fold")
    return t


#: From this many rows on, a table that needs no wrapping and holds plain text is drawn
#: line by line (Rich lays out every cell: ~0.4 ms a row, seconds for a long ledger).
LONG_TABLE_ROWS = 50
_LongTable: Any = None
_EMOJI_CODE = re.compile(r":\S*?:")


def _long_table_class() -> type[Table]:
    """A Rich Table that draws long plain tables itself, exactly as Rich would."""
    global _LongTable
    if _LongTable is None:
        from rich.table import Table

        class LongTable(Table):
            def __rich_console__(self, console: Any, options: Any) -> Any:
                fast = None
                if len(self.rows) >= LONG_TABLE_ROWS:
                    try:
                        fast = _plain_table_segments(self, console, options)
                    except AttributeError:  # a Rich without the internals used: Rich draws
                        fast = None
                if fast is None:
                    yield from super().__rich_console__(console, options)
                else:
                    yield from fast

        _LongTable = LongTable
    return _LongTable


def _plain_cell(value: Any) -> bool:
    """Text Rich prints as it is: no markup, emoji codes, control characters or blanks at
    either end."""
    return (isinstance(value, str) and value.isprintable() and "[" not in value
            and value == value.strip() and not (":" in value and _EMOJI_CODE.search(value)))


def _plain_table_segments(t: Any, console: Any, options: Any) -> list[Any] | None:
    """The segments Rich renders for a table made by `table()` whose cells are plain text;
    None when it is anything else (Rich draws it). A table wider than the console is
    narrowed as Rich does it (its wrapping columns give up width, widest first), and a
    cell longer than its column is wrapped by Rich's own `Text.wrap`."""
    from rich import box
    from rich.cells import cell_len
    from rich.segment import Segment
    from rich.style import Style
    from rich.text import Text

    from smallbiz.compat import collapse_widths, column_cells

    columns = t.columns
    if (not columns or t.box is not box.HEAVY_HEAD or t.show_edge or t.pad_edge
            or not t.show_header or t.show_footer or t.show_lines or t.leading or t.expand
            or t.width is not None or t.min_width is not None or t.caption or t.row_styles
            or tuple(t.padding) != (0, 1, 0, 1) or t.collapse_padding or t.highlight
            or t.style not in ("none", "", None) or t.border_style or t.safe_box is False
            or (t.title is not None and not _plain_cell(t.title))
            or any(r.style is not None for r in t.rows)):
        return None
    widths = []
    for c in columns:
        if (c.justify not in ("left", "right") or c.width is not None or c.min_width
                or c.max_width is not None or c.ratio or c.style or c.header_style
                or c.highlight or c.vertical != "top" or not _plain_cell(c.header)):
            return None
        cells = column_cells(c)
        if not all(_plain_cell(v) for v in cells):
            return None
        widths.append(max(cell_len(c.header), max(map(cell_len, cells), default=0)))
    n = len(columns)
    last = n - 1
    pads = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(n)]
    outer = [w + left + right for w, (left, right) in zip(widths, pads, strict=True)]
    if 0 in widths:
        return None
    room = options.max_width - last  # less the vertical lines
    if sum(outer) > room:  # Table._calculate_column_widths, but for its last resort
        outer = collapse_widths(t, [min(w, room) for w in outer],
                                [c.width is None and not c.no_wrap for c in columns], room)
        if sum(outer) > room:
            return None
        widths = [w - left - right for w, (left, right) in zip(outer, pads, strict=True)]
        if (min(widths) < 1
                or any(cell_len(c.header) > w for c, w in zip(columns, widths, strict=True))):
            return None
    total = sum(outer) + last
    if t.title and cell_len(t.title) > total:
        return None
    frame = t.box.substitute(options, safe=console.safe_box)
    if frame is not t.box:  # an ASCII or legacy console: Rich's own boxes
        return None
    get_style = console.get_style
    header_style = get_style(t.header_style or "")
    plain = Style.null()
    out = []
    new_line = Segment.line()
    if t.title:
        out += [Segment(t.title + " " * (total - cell_len(t.title)),
                        get_style("table.title")), new_line]

    def wrapped(value: str, width: int, c: Any) -> list[str]:
        """A cell longer than its column: its lines as Rich's Padding → Text draw them."""
        lines = Text(value).wrap(console, width, justify=c.justify, overflow=c.overflow,
                                 no_wrap=c.no_wrap, tab_size=console.tab_size or 8)
        return [Segment.adjust_line_length([Segment(ln.plain)], width)[0].text
                for ln in lines]

    def header() -> None:  # styled: a segment for each pad and text, as Rich has them
        for i, (c, width, (left, right)) in enumerate(zip(columns, widths, pads, strict=True)):
            if i:
                out.append(Segment(frame.head_vertical, plain))
            if left:
                out.append(Segment(" " * left, header_style))
            gap = " " * (width - cell_len(c.header))
            out.append(Segment(c.header + gap if c.justify == "left" else gap + c.header,
                               header_style))
            if right:
                out.append(Segment(" " * right, header_style))
        out.append(new_line)

    def row(values: tuple[str, ...], vertical: str) -> None:  # plain: a segment a line
        cells = []
        folded: dict[int, list[str]] = {}
        for i, (value, width, c) in enumerate(zip(values, widths, columns, strict=True)):
            length = cell_len(value)
            if length > width:
                folded[i] = wrapped(value, width, c)
                cells.append(folded[i][0])
            else:
                gap = " " * (width - length)
                cells.append(value + gap if c.justify == "left" else gap + value)
        lines = [cells]
        for k in range(1, max(map(len, folded.values()), default=0)):
            lines.append([folded[i][k] if i in folded and k < len(folded[i]) else " " * width
                          for i, width in enumerate(widths)])
        for texts in lines:
            out.append(Segment(vertical.join(
                [" " * left + text + " " * right
                 for text, (left, right) in zip(texts, pads, strict=True)]), plain))
            out.append(new_line)

    header()
    out += [Segment(frame.get_row(outer, "head", edge=False), plain), new_line]
    section = Segment(frame.get_row(outer, "row", edge=False), plain)
    count = len(t.rows)
    for index, cells in enumerate(zip(*(column_cells(c) for c in columns), strict=True)):
        row(cells, frame.foot_vertical if index == count - 1 else frame.mid_vertical)
        if t.rows[index].end_section and index < count - 1:
            out += [section, new_line]
    return out


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
