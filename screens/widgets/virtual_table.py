"""A table over any number of rows that loads only what is on screen.

`VirtualTable` is a `ScrollView` with the Line API: `render_line(y)` paints one row from
a small cache of pages; a missing page is fetched from the `PageSource` in a thread
worker and the rows repaint when it arrives. The source pages by keyset: when the
previous row's key is known (scrolling on), the source continues after it; a jump (end,
scrollbar drag) passes only the row number. The row count (for the scrollbar) comes from
the source too, so 100 rows and a million open alike.

Messages: `Highlighted` when the cursor moves, `Selected` on enter or a click on the
cursor row.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smallbiz.i18n import N_, _

PAGE_SIZE = 100
MAX_PAGES = 24

#: The threads that run the sources' queries. A query starts the moment it is asked for:
#: a Textual thread worker starts on the event loop's next turn, after the repaint of the
#: keystroke that asked (5-15 ms of a filter keystroke on a busy screen).
_LOADERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="virtual-table")


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None  # None: share the remaining width
    align: str = "left"  # left | right
    min_width: int = 6
    optional: bool = False  # dropped (right to left) when the table is too narrow


@dataclass(frozen=True)
class Row:
    key: Any  # the keyset key (e.g. (date, id)); also what Selected carries
    cells: tuple[str, ...]
    style: str = ""  # "", "warning", "muted", "danger", "good": a component class suffix
    data: Any = None


@dataclass(frozen=True)
class _Paint:
    """What every line of one repaint shares (worked out once per repaint, not per line:
    a widget's style walks its ancestors' styles)."""

    width: int
    widths: list[int]
    base: Style
    styles: dict[str, Style]  # component class suffix -> the base style with it added


class PageSource(Protocol):
    """Where a VirtualTable gets its rows. Called from worker threads."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int, after: Any | None) -> Sequence[Row]: ...


class ListSource:
    """A source over rows already in memory (a ledger of one period, a small report)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int, after: Any | None) -> Sequence[Row]:
        return self.rows[offset:offset + limit]


class FuncSource:
    """A source from two callables: count() and page(offset, limit, after)."""

    def __init__(self, count: Callable[[], int],
                 page: Callable[[int, int, Any | None], Sequence[Row]]) -> None:
        self._count = count
        self._page = page

    def count(self) -> int:
        return self._count()

    def page(self, offset: int, limit: int, after: Any | None) -> Sequence[Row]:
        return self._page(offset, limit, after)


class RowMessage(Message):
    def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
        super().__init__()
        self.table = table
        self.index = index
        self.row: Row = row

    @property
    def control(self) -> VirtualTable:
        return self.table


class VirtualTable(ScrollView, can_focus=True):
    """Rows from a PageSource, painted line by line, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", N_("Up"), show=False, id="table.up",
                tooltip=N_("One row up")),
        Binding("down", "cursor(1)", N_("Down"), show=False, id="table.down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="table.pageup"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="table.pagedown"),
        Binding("home", "home", N_("First"), show=False, id="table.home"),
        Binding("end", "end", N_("Last"), show=False, id="table.end"),
        Binding("enter", "select", N_("Open"), id="table.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header", "virtual-table--cursor", "virtual-table--warning",
        "virtual-table--muted", "virtual-table--danger", "virtual-table--good",
        "virtual-table--loading",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $panel-lighten-1; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    VirtualTable > .virtual-table--warning { color: $warning; }
    VirtualTable > .virtual-table--danger { color: $error; }
    VirtualTable > .virtual-table--good { color: $success; }
    VirtualTable > .virtual-table--muted { color: $text-muted; }
    VirtualTable > .virtual-table--loading { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(RowMessage):
        """The cursor moved to `row` (None while its page is loading)."""

    class Selected(RowMessage):
        """enter, or a click on the cursor row."""

    class Loaded(Message):
        """The row count and the first visible page are in (after a new source)."""

        def __init__(self, table: VirtualTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Sequence[Column], source: PageSource | None = None, *,
                 empty: str = "", start_at_end: bool = False,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.source = source
        self.empty = empty
        self.start_at_end = start_at_end
        self.row_count: int | None = None
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self.loaded_generation = -1  # the generation whose count and first page are in
        self.shown_generation = -1  # the generation whose first rows are on screen
        self.error: str | None = None
        self._paint: _Paint | None = None
        self._settling = False  # new rows in, the scroll to the cursor not done yet
        self._skipped = False  # a row was painted missing while settling

    # -- data ---------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped by every new source or reload; stale pages from older ones are dropped."""
        return self._generation

    def on_mount(self) -> None:
        if self.source is not None:
            self.reload()

    def set_source(self, source: PageSource, *, keep_cursor: bool = False) -> None:
        """Show another query's rows (a refilter): cached pages are dropped."""
        self.source = source
        self.reload(keep_cursor=keep_cursor)

    def reload(self, *, keep_cursor: bool = False) -> None:
        """Fetch the count and the visible page again (after a write)."""
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self.error = None
        generation = self._generation
        wanted = self.cursor if keep_cursor else None
        if self.source is None:
            return
        source = self.source
        self._in_thread(lambda: self._load_first(generation, source, wanted),
                        group=f"vt-reload-{id(self)}", name="virtual-table reload",
                        exclusive=True)

    def _in_thread(self, work: Callable[[], None], *, group: str, name: str,
                   exclusive: bool = False) -> None:
        """Start `work` on a loader thread now; a worker of this widget awaits it, so the
        app (and tests) see the load as running until it is done."""
        done = asyncio.wrap_future(_LOADERS.submit(work))
        self.run_worker(done, group=group, name=name, exclusive=exclusive)

    def _load_first(self, generation: int, source: PageSource, wanted: int | None) -> None:
        if generation != self._generation:  # typed on: a newer query replaces this one
            return
        try:
            if wanted is None and not self.start_at_end:
                # The first page first: a short list needs no count at all, and a long
                # one shows its rows, then the count (for the scrollbar) is taken.
                rows = list(source.page(0, PAGE_SIZE, None))
                if len(rows) < PAGE_SIZE:
                    self.app.call_from_thread(self._first_loaded, generation, len(rows), 0, 0,
                                              rows)
                    return
                painted = threading.Event()
                self.app.call_from_thread(self._first_loaded, generation, len(rows), 0, 0,
                                          rows, final=False, painted=painted)
                # Counting while the rows are painted would slow the paint (a count is
                # CPU-bound); and a count a newer keystroke has made useless is not taken.
                painted.wait(0.5)
                if generation != self._generation:
                    return
                count = source.count()
                self.app.call_from_thread(self._counted, generation, count)
                return
            count = source.count()
            cursor = max(0, min(wanted, count - 1)) if wanted is not None else max(0, count - 1)
            page_no = cursor // PAGE_SIZE
            rows = list(source.page(page_no * PAGE_SIZE, PAGE_SIZE, None)) if count else []
        except Exception as exc:  # shown in the table and as a notification; never a dead app
            self.app.call_from_thread(self._failed, generation, exc)
            return
        self.app.call_from_thread(self._first_loaded, generation, count, cursor, page_no, rows)

    def _counted(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self.row_count = count
        self.virtual_size = Size(self.size.width, count + 1)
        self.loaded_generation = generation
        self.refresh()
        self.post_message(self.Loaded(self, count))

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        self.loaded_generation = self.shown_generation = generation
        self.row_count = 0
        self.virtual_size = Size(self.size.width, 1)
        self.refresh()
        self.app.notify(self.error, severity="error")

    def _first_loaded(self, generation: int, count: int, cursor: int, page_no: int,
                      rows: list[Row], *, final: bool = True,
                      painted: threading.Event | None = None) -> None:
        if painted is not None:
            self.call_after_refresh(painted.set)
        if generation != self._generation:
            return
        if final:
            self.loaded_generation = generation
        self.shown_generation = generation
        self.row_count = count
        self._pages[page_no] = rows
        self.virtual_size = Size(self.size.width, count + 1)
        self.cursor = cursor
        # the new virtual size takes effect with the next layout: scroll after it (and
        # meanwhile fetch no page for rows painted at the old scroll position)
        self._settling = True
        self.call_after_refresh(self._settled)
        self.refresh()
        if final:
            self.post_message(self.Loaded(self, count))

    def _request_page(self, page_no: int) -> None:
        if page_no in self._pending or page_no in self._pages or self.source is None:
            return
        self._pending.add(page_no)
        generation = self._generation
        previous = self._pages.get(page_no - 1)
        after = previous[-1].key if previous and len(previous) == PAGE_SIZE else None
        source = self.source
        self._in_thread(lambda: self._load_page(generation, source, page_no, after),
                        group=f"vt-page-{id(self)}", name="virtual-table page")

    def _load_page(self, generation: int, source: PageSource, page_no: int,
                   after: Any | None) -> None:
        try:
            rows = list(source.page(page_no * PAGE_SIZE, PAGE_SIZE, after))
        except Exception as exc:
            self.app.call_from_thread(self._failed, generation, exc)
            return
        self.app.call_from_thread(self._page_loaded, generation, page_no, rows)

    def _page_loaded(self, generation: int, page_no: int, rows: list[Row]) -> None:
        self._pending.discard(page_no)
        if generation != self._generation:
            return
        self._pages[page_no] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        if page_no == self.cursor // PAGE_SIZE:
            self.post_message(self.Highlighted(self, self.cursor, self.row_at(self.cursor)))

    def row_at(self, index: int) -> Row | None:
        """The row at `index` if it is loaded (None while its page is on its way)."""
        if self.row_count is None or not 0 <= index < self.row_count:
            return None
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        self._pages.move_to_end(index // PAGE_SIZE)
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def current_row(self) -> Row | None:
        return self.row_at(self.cursor)

    def visible_rows(self) -> list[Row]:
        """The rows on screen now (tests and the benchmark read this)."""
        if not self.row_count:
            return []
        top = int(self.scroll_y)
        rows = []
        for index in range(top, min(top + self.body_height, self.row_count)):
            row = self.row_at(index)
            if row is not None:
                rows.append(row)
        return rows

    @property
    def body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- cursor ---------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if self.row_count is None:
            return
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, new, self.row_at(new)))

    def _settled(self, tries: int = 0) -> None:
        self._scroll_to_cursor(center=self.start_at_end)
        top = int(self.scroll_y)
        if not top <= self.cursor < top + self.body_height and tries < 10:
            # the scroll was cut short: the new virtual size has not been laid out yet (a
            # busy machine); seen once as a Journal opening at its first entries
            self.call_after_refresh(self._settled, tries + 1)
            return
        self._settling = False
        if self._skipped:  # paint again: fetch what is missing where the table now is
            self._skipped = False
            self.refresh()

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        top = int(self.scroll_y)
        height = self.body_height
        if center and self.cursor >= height:
            target = self.cursor - height + 1
        elif self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + height:
            target = self.cursor - height + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def move_cursor(self, index: int) -> None:
        if not self.row_count:
            return
        self.cursor = max(0, min(index, self.row_count - 1))

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor + direction * self.body_height)

    def action_home(self) -> None:
        self.move_cursor(0)

    def action_end(self) -> None:
        self.move_cursor((self.row_count or 1) - 1)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event: events.Click) -> None:
        if not self.row_count or event.y < 1:
            return
        index = int(self.scroll_y) + event.y - 1
        if index >= self.row_count:
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_select()
        else:
            self.cursor = index

    def on_resize(self, event: events.Resize) -> None:
        if self.row_count is not None:
            self.virtual_size = Size(event.size.width, self.row_count + 1)

    # -- painting ------------------------------------------------------------------------------
    def _widths(self, total: int) -> list[int]:
        """Each column's width (0: not shown). Optional columns go, right to left, until
        the flexible ones get their minimum width."""
        shown = list(self.columns)

        def room_for_flex() -> int:
            fixed = sum(c.width or 0 for c in shown)
            return total - fixed - (len(shown) - 1) - 1

        def flex_needs() -> int:
            return sum(c.min_width for c in shown if c.width is None)

        for c in reversed(self.columns):
            if room_for_flex() >= flex_needs():
                break
            if c.optional:
                shown.remove(c)
        flex = [c for c in shown if c.width is None]
        room = max(0, room_for_flex())
        widths = []
        for c in self.columns:
            if c not in shown:
                widths.append(0)
            elif c.width is not None:
                widths.append(c.width)
            else:
                widths.append(max(c.min_width, room // max(1, len(flex))))
        return widths

    def _format(self, cells: Sequence[str], widths: list[int]) -> str:
        parts = []
        for i, (column, width) in enumerate(zip(self.columns, widths, strict=False)):
            if width == 0:
                continue
            text = str(cells[i]) if i < len(cells) else ""
            if cell_len(text) > width:
                text = set_cell_size(text, max(0, width - 1)) + "…"
            elif column.align == "right":
                text = " " * (width - cell_len(text)) + text
            parts.append(set_cell_size(text, width))
        return " " + " ".join(parts)

    def _new_paint(self) -> _Paint:
        width = self.scrollable_content_region.width
        base = self.rich_style
        styles = {name: base + self.get_component_rich_style(f"virtual-table--{name}")
                  for name in ("header", "warning", "muted", "danger", "good", "loading")}
        return _Paint(width, self._widths(width), base, styles)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint = self._new_paint()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._new_paint()
        width, styles = paint.width, paint.styles
        if y == 0:
            text = self._format([c.label for c in self.columns], paint.widths)
            return Strip([Segment(set_cell_size(text, width), styles["header"])], width)
        index = int(self.scroll_y) + y - 1
        if self.row_count is None or self.error is not None or self.row_count == 0:
            if y == 1:
                message = self.error or ((self.empty or _("nothing here")) if self.row_count == 0
                                         else _("loading…"))
                return Strip([Segment(set_cell_size(" " + message, width), styles["loading"])],
                             width)
            return Strip.blank(width, paint.base)
        if index >= self.row_count:
            return Strip.blank(width, paint.base)
        row = self.row_at(index)
        if row is None:
            if self._settling:
                self._skipped = True
            else:
                self._request_page(index // PAGE_SIZE)
            return Strip([Segment(set_cell_size(" …", width), styles["loading"])], width)
        style = styles.get(row.style, paint.base) if row.style else paint.base
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        text = self._format(row.cells, paint.widths)
        return Strip([Segment(set_cell_size(text, width), style)], width)
