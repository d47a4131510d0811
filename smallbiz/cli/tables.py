"""smallbiz's own table format for the CLI (as hledger owns its table renderer).

What a table looks like (docs/tables.md has the same, for users)::

    Trial balance as of 2026-01-31                the title, on its own line (italic)
    Code ┃ Account        ┃    Debit ┃   Credit   the header (bold)
    ━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━   the header rule
    1010 │ Bank account   │ 4,200.00 │            one line per row
    ─────┼────────────────┼──────────┼─────────   a section rule (`add_section`)
         │ Total          │ 5,000.00 │ 5,000.00

- Columns are separated by `│` with one blank either side (`┃` in the header); the outer
  edges have neither a line nor a blank, and no line ends in blanks.
- Alignment: left; right for the columns named in `right=` (amounts, counts, ids), which
  never wrap either (nor do the columns a command marks `no_wrap`).
- Widths are terminal cells (`rich.cells.cell_len`): a Latin or Georgian letter is one
  cell, a CJK character or an emoji two, a combining mark none.
- A column is as wide as its widest line, header included. A table wider than the console
  (the terminal's width; on a pipe `$COLUMNS`, else 80) is narrowed in three steps:
  1. the wrapping columns give up width, the widest first, each down to the next widest,
     but never below their header, `MIN_WRAP` cells or their longest word of at most
     `MAX_WORD` cells (a code, a date, an email); a column narrower than that by nature
     keeps its width. Their cells wrap at blanks (dropped at the break); a word longer
     than the column is broken at its edge.
  2. still too wide: the blanks around the column lines go (`a│b`; a grid keeps one
     blank), and step 1 is redone.
  3. still too wide: the lines stay longer than the console. Nothing is ever cut off or
     replaced by an ellipsis: a no-wrap cell (an amount, a date, a code) is always whole.
- A cell (a header, the title) is console markup: `[b]…[/b]` bold, `[red]…[/red]`; text
  from the book goes in through `state.esc` so that its brackets stay brackets. Markup
  that does not parse is shown as written; `:name:` emoji codes are not replaced.
- A line break in a cell starts a new line in it; a tab becomes blanks up to the next
  multiple of 8 cells; any other control character and the bidi overrides are written as
  visible escapes (`\\x1b`, `\\u202e`): a cell can never act on the terminal.
- On a console that can only show ASCII the lines are `|`, `-` and `+`.
- `grid()`: no header, no rules, columns two blanks apart, the first one bold.

Drawing is line by line and cheap: a plain cell (no markup, nothing to escape) is a
string; a row of plain cells that fit is one string; consecutive such lines go out as one
segment. Only Rich's public API is used (the console protocol, `Segment`, `Text`,
`rich.cells`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, chop_cells
from rich.errors import MarkupError
from rich.segment import Segment
from rich.text import Text

from smallbiz.textcheck import visible

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

#: A wrapping column is not narrowed below this many cells, nor below its header, nor
#: below its longest word if that is at most MAX_WORD cells (a number, a date, a code).
MIN_WRAP = 10
MAX_WORD = 20
TAB_SIZE = 8

#: cell line, header line, header rule and its crossing, section rule and its crossing
_UNICODE = ("│", "┃", "━", "╇", "─", "┼")
_ASCII = ("|", "|", "-", "+", "-", "+")
_WORD = re.compile(r"[^ ]+")

#: A prepared cell: a plain one-line string, or the Text lines of anything else.
Cell = str | list[Text]


@dataclass
class Column:
    header: str
    justify: str = "left"  # or "right"
    no_wrap: bool = False
    style: str = ""  # a style for every cell of the column (the grid's first column: bold)


class Table:
    """A table in smallbiz's format (see the module docstring); print it with a Rich
    console (`console().print(t)`). The `right` columns are right-aligned and never wrap."""

    def __init__(self, *headers: str, title: str | None = None, right: tuple[str, ...] = (),
                 ruled: bool = True) -> None:
        self.columns = [Column(h, "right", no_wrap=True) if h in right else Column(h)
                        for h in headers]
        self.title = title
        self.ruled = ruled  # header, rules and column lines; a grid has none of them
        self.rows: list[list[Any]] = []
        self.section_ends: set[int] = set()  # rows after which a section rule goes

    def add_row(self, *cells: Any) -> None:
        if len(cells) > len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append([*cells, *([""] * (len(self.columns) - len(cells)))])

    def add_section(self) -> None:
        if self.rows:
            self.section_ends.add(len(self.rows) - 1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield from _render(self, console, options.max_width, options.ascii_only)


def grid(columns: int = 2) -> Table:
    """Label–value lines: no header, no rules, two blanks between columns, labels bold."""
    t = Table(*([""] * columns), ruled=False)
    t.columns[0].style = "bold"
    return t


# -- cells -------------------------------------------------------------------------------------

def _prepare(value: Any, style: str) -> tuple[Cell, int, bool]:
    """A cell ready to draw, its width in cells, and whether it is a plain string."""
    if value is None:
        return "", 0, True
    if value.__class__ is not str:
        value = str(value)
    if not style and "[" not in value and value.isprintable():  # the usual cell: as it is
        return value, (len(value) if value.isascii() else cell_len(value)), True
    lines = _lines(value, style)
    return lines, max(line.cell_len for line in lines), False


def _lines(value: str, style: Any = "") -> list[Text]:
    """A cell's Text lines: markup applied (or the text as written, if it is not markup),
    control characters made visible, tabs expanded."""
    source = visible(value.replace("\r\n", "\n"))  # controls and bidi overrides: \x1b
    text = None
    if "[" in source:
        try:
            text = Text.from_markup(source, style=style, emoji=False)
        except MarkupError:
            pass  # not markup after all: shown as written
    if text is None:
        text = Text(source, style=style)
    lines = list(text.split("\n", allow_blank=True)) if "\n" in text.plain else [text]
    for line in lines:
        if "\t" in line.plain:
            line.expand_tabs(TAB_SIZE)
    return lines


def _segments(line: Text, console: Console) -> Iterator[Segment]:
    """A Text line's segments, its own style under the styles of its spans."""
    segments = line.render(console)
    return Segment.apply_style(segments, console.get_style(line.style)) if line.style else (
        iter(segments))


def _width(cell: str | Text) -> int:
    return cell_len(cell) if isinstance(cell, str) else cell.cell_len


def _wrap(plain: str, width: int) -> list[tuple[int, int]]:
    """Where one line of text breaks to fit `width` cells: (start, end) of each piece. A
    line that fits is whole; else it breaks at blanks (dropped at the break), and a word
    wider than `width` is broken at the edge."""
    size = len if plain.isascii() else cell_len
    if size(plain) <= width:
        return [(0, len(plain))]
    out: list[tuple[int, int]] = []
    start = end = used = 0
    open_ = False
    for m in _WORD.finditer(plain):
        a, b = m.span()
        w = size(plain[a:b])
        if open_:
            if used + (a - end) + w <= width:
                end, used = b, used + (a - end) + w
                continue
            out.append((start, end))
        if w <= width:
            start, end, used = a, b, w
        else:
            pos = a
            for piece in chop_cells(plain[a:b], width):
                out.append((pos, pos + len(piece)))
                pos += len(piece)
            start, end = out.pop()
            used = size(plain[start:end])
        open_ = True
    if open_:
        out.append((start, end))
    return out or [(0, 0)]


def _fold(cell: Cell, width: int) -> list[str] | list[Text]:
    """The lines of a cell in a column `width` cells wide."""
    if isinstance(cell, str):
        return [cell[a:b] for a, b in _wrap(cell, width)]
    return [line[a:b] for line in cell for a, b in _wrap(line.plain, width)]


# -- widths ------------------------------------------------------------------------------------

def _minimum_widths(columns: list[Column], rows: list[list[Cell]], natural: list[int],
                    head_widths: list[int]) -> list[int]:
    """How narrow each column may get: a no-wrap one not at all; a wrapping one down to
    its header, `MIN_WRAP` cells and its longest word of at most `MAX_WORD` cells."""
    mins = []
    for i, (c, w, h) in enumerate(zip(columns, natural, head_widths, strict=True)):
        if c.no_wrap or w <= max(h, MIN_WRAP):
            mins.append(w)
            continue
        word = 0
        for cells in rows:
            cell = cells[i]
            for plain in ([cell] if isinstance(cell, str) else [ln.plain for ln in cell]):
                for part in plain.split():
                    size = len(part) if part.isascii() else cell_len(part)
                    if word < size <= MAX_WORD:
                        word = size
        mins.append(min(w, max(h, MIN_WRAP, word)))
    return mins


def _narrow(widths: list[int], mins: list[int], excess: int) -> list[int]:
    """Take `excess` cells from the columns above their minimum, the widest first, each
    down to the next widest (ties: from the left)."""
    widths = list(widths)
    while excess > 0:
        able = [i for i, w in enumerate(widths) if w > mins[i]]
        if not able:
            break
        top = max(widths[i] for i in able)
        tops = [i for i in able if widths[i] == top]
        level = max((widths[i] for i in able if widths[i] < top), default=0)
        step = min(top - max(level, mins[i]) for i in tops)
        if step * len(tops) >= excess:
            each, extra = divmod(excess, len(tops))
            for k, i in enumerate(tops):
                widths[i] -= each + (k < extra)
            break
        for i in tops:
            widths[i] -= step
        excess -= step * len(tops)
    return widths


def _layout(natural: list[int], mins: list[int], room: int) -> tuple[list[int], bool]:
    excess = sum(natural) - room
    if excess <= 0:
        return natural, True
    widths = _narrow(natural, mins, excess)
    return widths, sum(widths) <= room


# -- drawing -----------------------------------------------------------------------------------

def _render(t: Table, console: Console, max_width: int, ascii_only: bool
            ) -> Iterator[Segment]:
    columns = t.columns
    n = len(columns)
    if t.title:
        for line in _lines(t.title, console.get_style("table.title")):
            yield from _segments(line, console)
            yield Segment.line()
    if not n:
        return
    header_style = console.get_style("table.header")
    heads: list[Cell] = [_lines(c.header, header_style) for c in columns] if t.ruled else []
    head_widths = [max(ln.cell_len for ln in h) for h in heads] if heads else [0] * n
    styles = [c.style for c in columns]
    rows: list[list[Cell]] = []
    sizes: list[list[int]] = []
    plain_rows: list[bool] = []
    for row in t.rows:
        cells: list[Cell] = []
        ws: list[int] = []
        plain = True
        for value, style in zip(row, styles, strict=True):
            if (value.__class__ is str and not style and "[" not in value
                    and value.isprintable()):  # the usual cell (as in _prepare), inline
                cells.append(value)
                ws.append(len(value) if value.isascii() else cell_len(value))
                continue
            cell, w, is_str = _prepare(value, style)
            cells.append(cell)
            ws.append(w)
            plain = plain and is_str
        rows.append(cells)
        sizes.append(ws)
        plain_rows.append(plain)
    natural = [max(column) for column in zip(head_widths, *sizes, strict=True)]
    pad = 1 if t.ruled else 0  # blanks either side of a column line
    gap = 2 * pad + 1 if t.ruled else 2  # the width between two columns
    widths = natural
    if sum(natural) + gap * (n - 1) > max_width:  # step 1: wrapping columns give width
        mins = _minimum_widths(columns, rows, natural, head_widths)
        widths, fits = _layout(natural, mins, max_width - gap * (n - 1))
        if not fits:  # step 2: the blanks around the column lines go
            pad, gap = 0, 1
            widths, _ = _layout(natural, mins, max_width - gap * (n - 1))
    glyphs = _ASCII if ascii_only else _UNICODE
    if t.ruled:
        sep, head_sep = (" " * pad + g + " " * pad for g in glyphs[:2])
    else:
        sep = head_sep = " " * gap
    rights = [c.justify == "right" for c in columns]

    def rule(fill: str, cross: str) -> str:
        return cross.join(fill * (w + (pad if i else 0) + (pad if i < n - 1 else 0))
                          for i, w in enumerate(widths)) + "\n"

    if heads:
        yield from _styled_lines(heads, widths, rights, head_sep, console, header_style)
        yield Segment(rule(glyphs[2], glyphs[3]))
    section = rule(glyphs[4], glyphs[5])
    lines: list[str] = []  # consecutive plain lines, sent as one segment
    last = len(rows) - 1
    for index, cells in enumerate(rows):
        ws = sizes[index]
        if plain_rows[index]:
            if all(a <= b for a, b in zip(ws, widths, strict=True)):
                lines.append(sep.join([
                    " " * (width - w) + cell if right else cell + " " * (width - w)
                    for cell, w, width, right in zip(cells, ws, widths, rights, strict=True)
                ]).rstrip(" ") + "\n")
            else:
                lines.extend(_plain_lines(cells, ws, widths, rights, sep))
        else:
            if lines:
                yield Segment("".join(lines))
                lines = []
            yield from _styled_lines(cells, widths, rights, sep, console, None)
        if t.ruled and index in t.section_ends and index < last:
            lines.append(section)
    if lines:
        yield Segment("".join(lines))


def _plain_lines(cells: list[Cell], ws: list[int], widths: list[int], rights: list[bool],
                 sep: str) -> list[str]:
    """The lines of a row of plain cells some of which wrap (`ws`: the cells' widths)."""
    folded = {i: _fold(cell, width) for i, (cell, w, width)
              in enumerate(zip(cells, ws, widths, strict=True)) if w > width}
    out = []
    for k in range(max(len(f) for f in folded.values())):
        parts = []
        for i, (cell, w, width, right) in enumerate(zip(cells, ws, widths, rights,
                                                        strict=True)):
            if i in folded:
                pieces = folded[i]
                cell = pieces[k] if k < len(pieces) else ""
                w = len(cell) if cell.isascii() else cell_len(cell)
            elif k:
                cell, w = "", 0
            blank = " " * (width - w)
            parts.append(blank + cell if right else cell + blank)
        out.append(sep.join(parts).rstrip(" ") + "\n")
    return out


def _styled_lines(cells: list[Cell], widths: list[int], rights: list[bool], sep: str,
                  console: Console, base: Any) -> Iterator[Segment]:
    """The lines of a row with styled, multi-line or wrapping cells: every cell folded to
    its column; one that ends sooner is blank below."""
    folded: list[list[Any]] = [_fold(c, w) for c, w in zip(cells, widths, strict=True)]
    for k in range(max(len(f) for f in folded)):
        out: list[Segment] = []
        for i, f in enumerate(folded):
            cell = f[k] if k < len(f) else ""
            if i:
                out.append(Segment(sep))
            blank = widths[i] - _width(cell)
            if blank > 0 and rights[i]:
                out.append(Segment(" " * blank, base))
            if isinstance(cell, str):
                out.append(Segment(cell, base))
            else:
                out.extend(_segments(cell, console))
            if blank > 0 and not rights[i]:
                out.append(Segment(" " * blank, base))
        while out and not out[-1].text.strip(" "):
            out.pop()  # no trailing blanks
        if out and out[-1].text.endswith(" "):
            end = out.pop()
            out.append(Segment(end.text.rstrip(" "), end.style, end.control))
        yield from out
        yield Segment.line()
