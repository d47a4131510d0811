"""How fast the terminal app is on a big book: first paint and keystroke latency.

    python bench/tui_bench.py [BOOK]            # a SQLite file or a database URL
    python bench/tui_bench.py --first-paint BOOK  # only the new process's first paint

Without BOOK, makes one with bench/generate.py (100k contacts and ~1M postings) in a
temporary folder. The book is only read. Runs the real app headless
(`App.run_test()`, 120×36) and measures, each as wall time from the key press until the
rows are on screen (the page fetched by the worker and painted):

- start, as a user sees it: a new process `smallbiz --db BOOK` (the real CLI entry,
  headless) until the dashboard's figures are painted, imports included (median of 3);
- start in this process: the app up with the dashboard's figures computed;
- Contacts: F3 → first rows; then one filter keystroke at a time ("g", "ge", ..., and a
  Georgian name) until the new rows show (the count for the scrollbar may follow a
  moment later); end / home jumps through 100k rows;
- Journal: F9 → the newest entries (it opens at the end); page down, a jump to the first
  entry, back to the last;
- Sales: F5 → the newest orders; Invoices: F7 → the open invoices; then one filter
  keystroke at a time in the open invoices' text filter ("g", "ge", "gel", then "ბ",
  "ბე", "ბერ") until the new rows show.

Prints a Markdown table (bench/run.py embeds it in its report). CPU seconds are shown
too: on a busy machine wall time includes waiting for the processor.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 36)
#: Compiled bytecode is kept, as an installed package has it (bench/run.py does the same).
PYCACHE = ROOT / "bench" / "out" / "pycache"


def keep_bytecode() -> dict[str, str]:
    """Write and use .pyc files (in bench/out/pycache) in this process; the environment
    for child processes that do the same."""
    sys.dont_write_bytecode = False
    sys.pycache_prefix = sys.pycache_prefix or str(PYCACHE)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    return env


@dataclass
class Sample:
    what: str
    wall_ms: float
    cpu_ms: float
    rows: int | str
    app_ms: float | None = None  # key event in the app → rows painted


class Clock:
    """Timestamps taken inside the app: when a key event arrives, and when the table has
    painted the rows of a new query (measured without the test harness's own waits)."""

    def __init__(self) -> None:
        self.key_at = 0.0
        self.painted_at = 0.0

    def install(self) -> None:
        from textual.app import App

        from smallbiz.screens.widgets.virtual_table import VirtualTable

        clock = self
        original_post = App.post_message

        def post_message(app: Any, message: Any) -> bool:
            from textual import events

            if isinstance(message, events.Key):
                clock.key_at = time.perf_counter()
            return original_post(app, message)

        App.post_message = post_message  # type: ignore[method-assign]
        original_loaded = VirtualTable._first_loaded

        def first_loaded(table: Any, *args: Any, **kwargs: Any) -> None:
            original_loaded(table, *args, **kwargs)
            table.call_after_refresh(clock.painted)

        VirtualTable._first_loaded = first_loaded  # type: ignore[method-assign]
        original_page = VirtualTable._page_loaded

        def page_loaded(table: Any, *args: Any, **kwargs: Any) -> None:
            original_page(table, *args, **kwargs)
            table.call_after_refresh(clock.painted)

        VirtualTable._page_loaded = page_loaded  # type: ignore[method-assign]

    def painted(self) -> None:
        self.painted_at = time.perf_counter()

    def latency_ms(self) -> float | None:
        if self.painted_at < self.key_at:
            return None
        return (self.painted_at - self.key_at) * 1000


CLOCK = Clock()


def start_child(book: Path | str) -> None:
    """Run `smallbiz --db BOOK` as a user starts it, headless; once the dashboard has
    painted its figures, print this process's CPU seconds and peak RSS (MB) and quit."""
    import smallbiz.tui_launch as launcher

    def launch(state: Any, *, demo: bool) -> None:
        launcher.prefer_fast_frames()  # as the real launch does, before Textual loads
        from smallbiz.app.book import Book
        from smallbiz.screens import dashboard
        from smallbiz.screens.app import SmallBizApp

        app = SmallBizApp(Book(state.database()))
        shown = dashboard.DashboardScreen.show

        def show(screen: Any, data: Any) -> None:
            shown(screen, data)
            screen.call_after_refresh(painted)

        def painted() -> None:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"painted {time.process_time():.4f} {rss:.1f}", flush=True)
            app.exit()

        dashboard.DashboardScreen.show = show  # type: ignore[method-assign]
        app.run(headless=True, size=SIZE)

    launcher.launch = launch
    from smallbiz.cli.main import app

    app(["--db", str(book)], prog_name="smallbiz")


def measure_new_process(book: Path | str, runs: int = 3) -> tuple[Sample, float]:
    """Median wall time from starting a process to the dashboard's figures on screen (and
    that run's CPU time), and the largest peak RSS of the runs (after one run that is not
    counted: it compiles the bytecode if needed and warms the file cache)."""
    env = keep_bytecode()
    results = []
    for _i in range(runs + 1):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, __file__, "--start-child", str(book)],
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        assert child.stdout is not None
        line = child.stdout.readline()
        wall = time.perf_counter() - started
        child.communicate(timeout=60)
        if not line.startswith("painted "):
            raise RuntimeError(f"tui_bench: the app did not start: {line!r}")
        cpu, rss = (float(x) for x in line.split()[1:])
        results.append((wall, cpu, rss))
    results = results[1:]
    wall, cpu, _rss = sorted(results)[len(results) // 2]
    return (Sample("new process `smallbiz --db BOOK` → dashboard figures", wall * 1000,
                   cpu * 1000, "-"), max(r[2] for r in results))


def make_book(folder: Path) -> Path:
    """100k contacts and about a million postings, through the bench generator."""
    sys.path.insert(0, str(ROOT / "bench"))
    import datetime as dt

    from generate import Sizes, generate  # type: ignore[import-not-found]

    end = dt.date.today()
    path = folder / "tui-bench.db"
    # ~2.4 postings per entry in the generator: 420k entries ≈ 1M postings
    generate(path, Sizes(100_000, 500, 420_000, 1, end.replace(year=end.year - 3, day=1), end),
             quiet=True)
    return path


async def _until(pilot: Any, check: Any, timeout: float = 30.0) -> None:
    """Poll `check` every millisecond, leaving the app alone meanwhile (a `pilot.pause`
    makes every widget on the screen process a message and forces a repaint: a few ms of
    the event loop each time, taken from the app being measured)."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not update in time")
        await asyncio.sleep(0.001)


def _table_ready(table: Any) -> bool:
    """The table shows the current query's rows (count known, visible page loaded)."""
    return (table.loaded_generation == table.generation and table.row_count is not None
            and (table.row_count == 0 or bool(table.visible_rows())))


def _rows_shown(table: Any) -> bool:
    """The current query's first rows are on screen (the count may still be coming)."""
    return table.shown_generation == table.generation and (
        table.row_count == 0 or bool(table.visible_rows()))


async def _measure(pilot: Any, samples: list[Sample], what: str, keys: list[str],
                   ready: Any, rows: Any) -> None:
    t_wall, t_cpu = time.perf_counter(), time.process_time()
    CLOCK.painted_at = 0.0
    await pilot.press(*keys)
    await _until(pilot, ready)
    await pilot.pause()  # the repaint
    samples.append(Sample(what, (time.perf_counter() - t_wall) * 1000,
                          (time.process_time() - t_cpu) * 1000, rows(), CLOCK.latency_ms()))


async def run(book_path: Path | str) -> list[Sample]:
    from smallbiz.app.book import Book
    from smallbiz.db import Database
    from smallbiz.screens.app import SmallBizApp

    CLOCK.install()
    samples: list[Sample] = []
    t_wall, t_cpu = time.perf_counter(), time.process_time()
    app = SmallBizApp(Book(Database(book_path).open()))
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        await pilot.pause()
        samples.append(Sample("start → dashboard figures", (time.perf_counter() - t_wall) * 1000,
                              (time.process_time() - t_cpu) * 1000, "-"))

        # -- contacts ----------------------------------------------------------------------
        await _measure(pilot, samples, "Contacts: F3 → first rows", ["f3"],
                       lambda: hasattr(app.screen, "table") and _table_ready(app.screen.table),
                       lambda: app.screen.table.row_count)
        table = app.screen.table
        await _measure(pilot, samples, "(baseline: a key press that changes nothing)",
                       ["ctrl+z"], lambda: True, lambda: "-")
        for text in ("g", "ge", "gel", "gela", "gelas"):
            await _measure(pilot, samples, f"Contacts: type '{text[-1]}' (filter '{text}')",
                           [text[-1]], lambda: _rows_shown(table), lambda: table.row_count)
            await _until(pilot, lambda: _table_ready(table))
        for _i in range(5):
            await pilot.press("backspace")
        await _until(pilot, lambda: _table_ready(table) and app.screen.filter_input.value == "")
        for text in ("ბ", "ბე", "ბერ"):
            await _measure(pilot, samples, f"Contacts: type '{text[-1]}' (filter '{text}')",
                           [text[-1]], lambda: _rows_shown(table), lambda: table.row_count)
            await _until(pilot, lambda: _table_ready(table))
        for _i in range(3):
            await pilot.press("backspace")
        await _until(pilot, lambda: _table_ready(table) and app.screen.filter_input.value == "")
        await pilot.press("down")  # into the list
        for key in ("end", "home", "pagedown"):
            await _measure(pilot, samples, f"Contacts: {key}", [key],
                           lambda: table.current_row is not None and _table_ready(table),
                           lambda: f"row {table.cursor + 1:,}")

        # -- journal ------------------------------------------------------------------------
        await _measure(pilot, samples, "Journal: F9 → newest entries", ["f9"],
                       lambda: hasattr(app.screen, "table") and _table_ready(app.screen.table)
                       and app.screen.table.current_row is not None,
                       lambda: app.screen.table.row_count)
        journal = app.screen.table
        for key in ("pageup", "home", "pagedown", "end"):
            await _measure(pilot, samples, f"Journal: {key}", [key],
                           lambda: journal.current_row is not None and _table_ready(journal),
                           lambda: f"row {journal.cursor + 1:,}")

        # -- sales and invoices (bounded by what a firm sells, but the bench book is big) -----
        await _measure(pilot, samples, "Sales: F5 → newest orders", ["f5"],
                       lambda: hasattr(app.screen, "table") and _table_ready(app.screen.table)
                       and app.screen.table.current_row is not None,
                       lambda: app.screen.table.row_count)
        await _measure(pilot, samples, "Invoices: F7 → open invoices", ["f7"],
                       lambda: hasattr(app.screen, "table") and _table_ready(app.screen.table),
                       lambda: app.screen.table.row_count)
        invoices = app.screen.table
        await pilot.press("slash")  # into the text filter (number, contact, reference, memo)
        for texts in (("g", "ge", "gel"), ("ბ", "ბე", "ბერ")):
            for text in texts:
                await _measure(pilot, samples,
                               f"Invoices: type '{text[-1]}' (filter '{text}')", [text[-1]],
                               lambda: _rows_shown(invoices), lambda: invoices.row_count)
                await _until(pilot, lambda: _table_ready(invoices))
            for _i in texts:
                await pilot.press("backspace")
            await _until(pilot, lambda: _table_ready(invoices)
                         and app.screen.filter_input.value == "")
    return samples


def report(book: Path | str, samples: list[Sample], start_rss: float) -> str:
    from smallbiz.db import Database

    db = Database(book)
    with db.read() as r:
        contacts = r.scalar("SELECT COUNT(*) FROM contact")
        entries = r.scalar("SELECT COUNT(*) FROM journal_entry")
        postings = r.scalar("SELECT COUNT(*) FROM posting")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [f"Book: {contacts:,} contacts, {entries:,} journal entries, {postings:,} postings "
             f"(terminal {SIZE[0]}×{SIZE[1]}, headless; peak memory {rss:.0f} MB, "
             f"{start_rss:.0f} MB for a new process up to the dashboard).", "",
             "| step | in the app ms | wall ms | CPU ms | rows |",
             "|---|---:|---:|---:|---:|"]
    for s in samples:
        rows = f"{s.rows:,}" if isinstance(s.rows, int) else s.rows
        app_ms = f"{s.app_ms:.0f}" if s.app_ms is not None else ""
        lines.append(f"| {s.what} | {app_ms} | {s.wall_ms:.0f} | {s.cpu_ms:.0f} | {rows} |")
    lines += ["", "*in the app*: from the key event reaching the app to the new rows painted "
              "(set for keys that load a new query or jump); *wall*: the whole key press as "
              "the test harness sees it, including its own waits (see the baseline row); "
              "*CPU*: this process, all threads (for the new process: its CPU from the start, "
              "interpreter included)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--start-child"]:
        start_child(book_arg(args[1]))
        return
    first_paint = args[:1] == ["--first-paint"]
    if first_paint:
        args = args[1:]
    if args:
        book = book_arg(args[0])
        if isinstance(book, Path) and not book.exists():
            raise SystemExit(f"tui_bench: no book at {book}")
        print(measure(book, first_paint=first_paint))
        return
    with tempfile.TemporaryDirectory(prefix="smallbiz-tui-bench-") as folder:
        started = time.perf_counter()
        book = make_book(Path(folder))
        print(f"(book generated in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
        print(measure(book))


def book_arg(text: str) -> Path | str:
    """A book given on the command line: a database URL as it is, else a file path."""
    return text if "://" in text else Path(text)


def measure(book: Path | str, *, first_paint: bool = False) -> str:
    first, start_rss = measure_new_process(book)
    return report(book, [first] if first_paint else [first, *asyncio.run(run(book))],
                  start_rss)


if __name__ == "__main__":
    main()
