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

    from smallbiz.db import Database

JSON_HELP = "Print machine-readable JSON on stdout."


@dataclass
class State:
    db_url: str | None = None
    json: bool = False
    _db: Database | None = None

    def database(self) -> Database:
        """The book, opened (and upgraded if it is older than this smallbiz)."""
        if self._db is None:
            from smallbiz.db import Database

            self._db = Database(self.db_url).open()
        return self._db

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
                fast = (_plain_table_segments(self, console, options)
                        if len(self.rows) >= LONG_TABLE_ROWS else None)
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
    """The segments Rich renders for a table made by `table()` whose cells are plain text
    and fit the width without wrapping; None when it is anything else (Rich draws it)."""
    from rich import box
    from rich.cells import cell_len
    from rich.segment import Segment
    from rich.style import Style

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
        cells = c._cells
        if not all(_plain_cell(v) for v in cells):
            return None
        widths.append(max(cell_len(c.header), max(map(cell_len, cells), default=0)))
    n = len(columns)
    last = n - 1
    pads = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(n)]
    outer = [w + left + right for w, (left, right) in zip(widths, pads, strict=True)]
    total = sum(outer) + last
    if (0 in widths or total > options.max_width
            or (t.title and cell_len(t.title) > total)):
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

    def row(values: list[str], style: Any, vertical: str) -> None:
        for i, (value, width, (left, right), c) in enumerate(
                zip(values, widths, pads, columns, strict=True)):
            if i:
                out.append(Segment(vertical, plain))
            if left:
                out.append(Segment(" " * left, style))
            gap = " " * (width - cell_len(value))
            out.append(Segment(value + gap if c.justify == "left" else gap + value, style))
            if right:
                out.append(Segment(" " * right, style))
        out.append(new_line)

    row([c.header for c in columns], header_style, frame.head_vertical)
    out += [Segment(frame.get_row(outer, "head", edge=False), plain), new_line]
    section = Segment(frame.get_row(outer, "row", edge=False), plain)
    count = len(t.rows)
    for index, cells in enumerate(zip(*(c._cells for c in columns), strict=True)):
        row(list(cells), plain,
            frame.foot_vertical if index == count - 1 else frame.mid_vertical)
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
