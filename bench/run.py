"""Time smallbiz against hledger and ledger on generated books, as a user runs them.

    python bench/run.py                      # books of 10k, 100k and 1M transactions
    python bench/run.py --sizes 10k --runs 3 # a quick look

For each size the book is generated once (bench/generate.py, cached in bench/out/) and
checked (`smallbiz check` must pass). Then whole commands run as subprocesses, in
rounds that alternate between them (A/B: smallbiz, hledger, ledger, ... so a busy
moment hits all of them alike): `report tb|pl|bs|ledger|aging`, `contact list
--search`, `export journal`, `import journal` of the exported file into a new book,
and `hledger -f FILE bal` and `ledger -f FILE bal` on the exported journal; plus
`smallbiz --help`. Each gets its median, min, max, CPU time and peak memory (the
child's max RSS from wait4). Commands slower than --budget seconds get fewer runs.

Correctness first: before any timing, smallbiz's trial balance (`report tb --json`)
must equal hledger's per-account totals on the exported journal, and after the import
the new book's trial balance must equal the original's.

`--engine sqlite,postgresql` runs the same commands on PostgreSQL too, beside the SQLite
figures in the same tables: bench/pg.py starts a server of its own on 127.0.0.1 (initdb
into bench/out/, a free port, fsync off), copies each generated book into it (COPY of
every table, then `smallbiz check` must pass there and its trial balance equal the SQLite
book's) and imports the exported journal into a new PostgreSQL book; the server's CPU
time per command is measured too (the client's CPU is only part of the work there).
The TUI's first paint (a new process to the dashboard's figures, bench/tui_bench.py
--first-paint) is timed on every book and engine.

The report (Markdown) is printed and written to bench/out/results-DATE.md, the raw
numbers to bench/out/results-DATE.json. If bench/tui_bench.py exists (the TUI timings)
it is run on the largest book and its output included.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
#: label -> (transactions, contacts)
SIZES = {"10k": (10_000, 10_000), "100k": (100_000, 100_000), "1M": (1_000_000, 100_000)}
SEARCH = "beridze"  # a surname the generator gives to about one person in sixty
BUSY_ACCOUNT = "1010"  # the bank: every payment, wage and overhead goes through it
EMPTY_PG_BOOK = "empty_book"  # PostgreSQL: `smallbiz init` once, the template of new books


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    server_cpu: float | None = None  # PostgreSQL: the server's CPU time over the command


@dataclass
class Bench:
    name: str  # what the table shows
    tool: str  # smallbiz | hledger | ledger
    argv: list[str]
    engine: str = "sqlite"  # the book's: sqlite | postgresql ("" for the peers)
    server: Any = None  # bench/pg.py's Server, for the server's CPU time
    prepare: Callable[[], None] | None = None  # untimed, before each run
    warm_up: bool = True
    samples: list[Sample] = field(default_factory=list)
    wanted: int = 0
    error: str = ""

    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    def summary(self) -> dict[str, object]:
        if not self.samples:
            return {"name": self.name, "tool": self.tool, "engine": self.engine,
                    "error": self.error}
        walls = [s.wall for s in self.samples]
        server = [s.server_cpu for s in self.samples if s.server_cpu is not None]
        return {"name": self.name, "tool": self.tool, "engine": self.engine,
                "runs": len(walls),
                "median": statistics.median(walls), "min": min(walls), "max": max(walls),
                "cpu": statistics.median(s.cpu for s in self.samples),
                "server_cpu": statistics.median(server) if server else None,
                "rss_mb": max(s.rss_mb for s in self.samples), "error": self.error}

    def run(self) -> Sample:
        """One timed run (the server's CPU time too, on PostgreSQL)."""
        if self.server is None:
            return measure(self.argv)
        before = self.server.cpu_seconds()
        sample = measure(self.argv)
        time.sleep(0.05)  # the command's backend ends with its connection; let it be reaped
        sample.server_cpu = self.server.cpu_seconds() - before
        return sample


COLUMNS = "120"  # the terminal width tables are laid out for (set by --columns)


def child_env() -> dict[str, str]:
    """The environment of a user's shell: compiled bytecode is kept (an installed package
    has it), in bench/out/ so the source tree stays clean; output goes to /dev/null, laid
    out for a terminal COLUMNS wide (Rich would assume 80 columns for a pipe)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["COLUMNS"] = COLUMNS
    return env


def measure(argv: Sequence[str], *, timeout: float = 1800) -> Sample:
    """Run one command to completion: wall time, CPU time and peak RSS of the child."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err, env=child_env(), cwd=OUT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise RuntimeError(f"{' '.join(argv)}: no result after {timeout:.0f} s")
            time.sleep(0.002)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: "
                               f"{err.read().decode(errors='replace')[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def output(argv: Sequence[str]) -> str:
    done = subprocess.run(list(argv), capture_output=True, text=True, env=child_env(),
                          cwd=OUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def smallbiz_cmd() -> list[str]:
    script = Path(sys.executable).with_name("smallbiz")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smallbiz"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- books -------------------------------------------------------------------------------------

def book_for(label: str, end: dt.date, results: dict[str, object]) -> Path:
    """The generated book of this size (cached), checked with `smallbiz check`."""
    transactions, contacts = SIZES[label]
    path = OUT / f"book-{label}-{end.isoformat()}.db"
    if not path.exists():
        say(f"[{label}] generating {transactions} transactions, {contacts} contacts ...")
        sample = measure([sys.executable, str(BENCH / "generate.py"), str(path),
                          "--contacts", str(contacts), "--products", "500",
                          "--transactions", str(transactions), "--end", end.isoformat(),
                          "--quiet"], timeout=3600)
        results["generate"] = asdict(sample)
        say(f"[{label}] generated in {sample.wall:.1f} s, peak {sample.rss_mb:.0f} MB")
    say(f"[{label}] smallbiz check ...")
    sample = measure([*smallbiz_cmd(), "--db", str(path), "check"], timeout=3600)
    results["check"] = asdict(sample)
    say(f"[{label}] check passed in {sample.wall:.1f} s")
    conn = sqlite3.connect(path)
    try:
        results["postings"] = conn.execute("SELECT COUNT(*) FROM posting").fetchone()[0]
        results["entries"] = conn.execute("SELECT COUNT(*) FROM journal_entry").fetchone()[0]
        results["contacts"] = conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0]
    finally:
        conn.close()
    results["book_mb"] = path.stat().st_size / 2**20
    return path


# -- correctness -------------------------------------------------------------------------------

def smallbiz_tb(book: Path | str) -> dict[str, Decimal]:
    data = json.loads(output([*smallbiz_cmd(), "--db", str(book), "report", "tb", "--json"]))
    return {r["code"]: Decimal(r["balance"]) for r in data["rows"] if Decimal(r["balance"])}


def hledger_totals(journal: Path) -> dict[str, Decimal]:
    """Per-account totals from `hledger bal -O csv`, keyed by the account code."""
    rows = csv.reader(io.StringIO(output(["hledger", "-f", str(journal), "bal", "-O", "csv",
                                          "--flat", "--no-total"])))
    totals: dict[str, Decimal] = {}
    for account, *amounts in rows:
        if ":" not in account:
            continue  # the header
        code = account.split(":", 1)[1].split(" ", 1)[0]
        value = Decimal(amounts[-1].split()[0]) if amounts[-1].strip() else Decimal(0)
        if value:
            totals[code] = value
    return totals


def assert_equal(what: str, ours: dict[str, Decimal], theirs: dict[str, Decimal]) -> None:
    if ours != theirs:
        diff = {k: (ours.get(k), theirs.get(k)) for k in sorted(set(ours) | set(theirs))
                if ours.get(k) != theirs.get(k)}
        raise SystemExit(f"correctness: {what} differ: {diff}")


# -- the benchmarks ----------------------------------------------------------------------------

def imported_book(label: str, server: Any = None) -> str:
    """Where `import journal` writes: a new SQLite file, or a new PostgreSQL database."""
    return (str(OUT / f"import-{label}.db") if server is None
            else server.url(f"import_{label.lower()}"))


def benches(label: str, book: str, journal: Path, end: dt.date, peers: bool,
            server: Any = None) -> list[Bench]:
    """The timed commands on `book` (a SQLite file, or a PostgreSQL URL on `server`)."""
    sb = [*smallbiz_cmd(), "--db", book]
    month = end.replace(day=1).isoformat()
    imported = imported_book(label, server)

    def fresh_book() -> None:
        if server is not None:  # a copy of the empty book made once (pg.init_book)
            server.new_database(f"import_{label.lower()}", template=EMPTY_PG_BOOK)
            return
        path = Path(imported)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        output([*smallbiz_cmd(), "--db", imported, "init", "--company", "Imported",
                "--currency", "GEL", "--vat-rate", "18"])

    engine = "sqlite" if server is None else "postgresql"
    out = [
        Bench("report tb", "smallbiz", [*sb, "report", "tb"]),
        Bench("report pl", "smallbiz", [*sb, "report", "pl"]),
        Bench("report bs", "smallbiz", [*sb, "report", "bs"]),
        Bench(f"report ledger {BUSY_ACCOUNT} --from {month}", "smallbiz",
              [*sb, "report", "ledger", BUSY_ACCOUNT, "--from", month]),
        Bench("report aging", "smallbiz", [*sb, "report", "aging"]),
        Bench("check", "smallbiz", [*sb, "check"], warm_up=False),  # its first run: run_size
        Bench(f"contact list --search {SEARCH}", "smallbiz",
              [*sb, "contact", "list", "--search", SEARCH]),
        Bench("import journal (new book)", "smallbiz",
              [*smallbiz_cmd(), "--db", imported, "import", "journal", str(journal)],
              prepare=fresh_book, warm_up=False),
    ]
    if server is None:  # the journal the peers read is exported from the SQLite book
        out.insert(-1, Bench("export journal", "smallbiz",
                             [*sb, "export", "journal", str(journal), "--force"],
                             warm_up=False))
    for b in out:
        b.engine, b.server = engine, server
    if peers and server is None:
        out += [Bench("hledger -f FILE bal", "hledger", ["hledger", "-f", str(journal), "bal"],
                      engine="", warm_up=False),
                Bench("ledger -f FILE bal", "ledger", ["ledger", "-f", str(journal), "bal"],
                      engine="", warm_up=False)]
    return out


def run_rounds(items: list[Bench], runs: int, budget: float) -> None:
    """A/B rounds: each round runs every command once, in a rotating order; a command
    whose first run took more than budget/runs seconds gets fewer runs (at least one)."""
    for b in items:
        b.wanted = runs
        if b.samples:  # a run already made (the check before the timings)
            b.wanted = max(1, min(runs, int(budget // max(b.samples[0].wall, 1e-3))))
        if b.warm_up:
            try:
                if b.prepare:
                    b.prepare()
                b.run()
            except RuntimeError as exc:
                b.error, b.wanted = str(exc), 0
    for r in range(runs):
        order = items[r % len(items):] + items[:r % len(items)]
        for b in order:
            if len(b.samples) >= b.wanted:
                continue
            try:
                if b.prepare:
                    b.prepare()
                sample = b.run()
            except RuntimeError as exc:
                b.error, b.wanted = str(exc), 0
                say(f"  FAILED {b.name}: {exc}")
                continue
            b.samples.append(sample)
            if len(b.samples) == 1:
                b.wanted = max(1, min(runs, int(budget // max(sample.wall, 1e-3))))
            where = " [PostgreSQL]" if b.engine == "postgresql" else ""
            say(f"  {b.name}{where}: {sample.wall:.3f} s, {sample.rss_mb:.0f} MB")


def run_size(label: str, end: dt.date, runs: int, budget: float, peers: bool,
             help_bench: Bench | None, server: Any = None,
             first_paint: bool = True) -> dict[str, object]:
    results: dict[str, object] = {"size": label}
    book = book_for(label, end, results)
    journal = OUT / f"book-{label}.journal"
    items = benches(label, str(book), journal, end, peers)
    # the check that must pass before any timing is the first timed run of `check`
    next(b for b in items if b.name == "check").samples.append(Sample(**results["check"]))
    export = next(b for b in items if b.name == "export journal")
    say(f"[{label}] exporting the journal ...")
    export.samples.append(measure(export.argv))
    if peers:
        say(f"[{label}] correctness: report tb against hledger bal ...")
        assert_equal("smallbiz report tb and hledger bal", smallbiz_tb(book),
                     hledger_totals(journal))
        results["tb_equals_hledger"] = True
    tb = smallbiz_tb(book)
    books = {"sqlite": str(book)}
    if server is not None:
        import pg

        say(f"[{label}] copying the book into PostgreSQL ...")
        started = time.perf_counter()
        books["postgresql"] = pg.copy_book(book, server, f"book_{label.lower()}")
        results["pg_copy_s"] = time.perf_counter() - started
        say(f"[{label}] copied in {results['pg_copy_s']:.1f} s; smallbiz check there ...")
        on_pg = benches(label, books["postgresql"], journal, end, False, server)
        check = next(b for b in on_pg if b.name == "check")
        check.samples.append(check.run())  # must pass; the first timed run too
        results["pg_check"] = asdict(check.samples[0])
        say(f"[{label}] check passed on PostgreSQL in {check.samples[0].wall:.1f} s")
        assert_equal("the PostgreSQL copy's trial balance and the SQLite book's",
                     smallbiz_tb(books["postgresql"]), tb)
        results["pg_tb_equal"] = True
        items += on_pg
    if help_bench is not None:
        items.append(help_bench)
    say(f"[{label}] timing {len(items)} commands, {runs} rounds ...")
    run_rounds(items, runs, budget)
    for b in items:
        if b.name.startswith("import journal") and b.samples:
            assert_equal(f"the imported book's trial balance ({b.engine}) and the original's",
                         smallbiz_tb(imported_book(label, b.server)), tb)
            results["import_round_trip"] = True
    results["benches"] = [b.summary() for b in items]
    if first_paint:
        for engine, where in books.items():
            say(f"[{label}] TUI first paint ({engine}) ...")
            results["benches"].append(tui_first_paint(where, engine))  # type: ignore[union-attr]
    return results


def tui_first_paint(book: str, engine: str) -> dict[str, object]:
    """bench/tui_bench.py --first-paint: a new process to the dashboard's figures painted
    (median of 3 after one not counted), as a row of the size's table."""
    name = "TUI: new process → dashboard figures"
    try:
        text = output([sys.executable, str(BENCH / "tui_bench.py"), "--first-paint", book])
    except RuntimeError as exc:
        return {"name": name, "tool": "smallbiz", "engine": engine, "error": str(exc)}
    row = next(line for line in text.splitlines() if line.startswith("| new process"))
    wall, cpu = (float(x) / 1000 for x in row.split("|")[3:5])
    rss = re.search(r"([0-9.]+) MB for a new process", text)
    return {"name": name, "tool": "smallbiz", "engine": engine, "runs": 3, "median": wall,
            "min": wall, "max": wall, "cpu": cpu, "server_cpu": None,
            "rss_mb": float(rss.group(1)) if rss else 0.0, "error": ""}


# -- the report --------------------------------------------------------------------------------

def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def find(results: dict[str, object], name: str,
         engine: str = "sqlite") -> dict[str, object] | None:
    """The figures of the command `name` (a prefix) on `engine` (the peers' on any)."""
    for b in results.get("benches", []):  # type: ignore[union-attr]
        if (b["name"].startswith(name) and "median" in b
                and b.get("engine", "sqlite") in (engine, "")):
            return b
    return None


def size_table(results: dict[str, object]) -> list[str]:
    tb = find(results, "report tb")
    all_benches: list[dict[str, Any]] = results["benches"]  # type: ignore[assignment]
    on_pg = any(b.get("engine") == "postgresql" for b in all_benches)
    lines = [
        f"### {results['size']} transactions: {results['entries']:,} entries, "
        f"{results['postings']:,} postings, {results['contacts']:,} contacts "
        f"({results['book_mb']:.0f} MB book)",
        "",
    ]

    def cells(b: dict[str, Any] | None, server: bool) -> str:
        if b is None:
            return " | | | |" + (" |" if server else "")
        if "median" not in b:
            return f" failed: {b['error'][:60]} | | | |" + (" |" if server else "")
        text = (f" {fmt_s(b['median'])} | {fmt_s(b['min'])}–{fmt_s(b['max'])} "
                f"| {fmt_s(b['cpu'])} |")
        if server:
            text += f" {fmt_s(b['server_cpu'])} |" if b.get("server_cpu") is not None else " |"
        return text + f" {b['rss_mb']:.0f} |"

    if on_pg:
        lines += ["| command | SQLite s | min–max s | CPU s | peak MB | PostgreSQL s | min–max s "
                  "| client CPU s | server CPU s | peak MB | PG ÷ SQLite | runs | × `report tb` |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    else:
        lines += ["| command | median s | min–max s | CPU s | peak MB | runs | × `report tb` |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
    names = list(dict.fromkeys(b["name"] for b in all_benches))
    for n in names:
        mine = {b.get("engine", "sqlite"): b for b in all_benches if b["name"] == n}
        lite = mine.get("sqlite") or mine.get("")
        post = mine.get("postgresql")
        peer = any(b["tool"] != "smallbiz" for b in mine.values())
        name = f"**{n}**" if peer else f"`{n}`"
        ratio = ""
        if peer and tb is not None and lite and "median" in lite:
            ratio = f"{lite['median'] / tb['median']:.1f}×"
        runs = "/".join(str(b["runs"]) for b in (lite, post) if b and "runs" in b)
        if on_pg:
            versus = ""
            if lite and post and "median" in lite and "median" in post:
                versus = f"{post['median'] / lite['median']:.1f}×"
            lines.append(f"| {name} |{cells(lite, False)}{cells(post, True)} {versus} | {runs} "
                         f"| {ratio} |")
        else:
            text = cells(lite, False)
            lines.append(f"| {name} |{text} {runs} | {ratio} |")
    extra = []
    if "generate" in results:
        g = results["generate"]
        extra.append(f"generated in {g['wall']:.1f} s (peak {g['rss_mb']:.0f} MB)")
    c = results["check"]
    extra.append(f"`smallbiz check` passed in {c['wall']:.1f} s")
    if results.get("tb_equals_hledger"):
        extra.append("`report tb` equals hledger's per-account totals")
    if results.get("pg_tb_equal"):
        extra.append(f"copied into PostgreSQL in {results['pg_copy_s']:.1f} s (bench/pg.py), "
                     f"where `check` passed in {results['pg_check']['wall']:.1f} s "  # type: ignore[index]
                     "and the trial balance equals SQLite's")
    if results.get("import_round_trip"):
        extra.append("the imported book's trial balance equals the original's")
    out = [*lines, "", "; ".join(extra) + ".", ""]
    if on_pg:
        out += ["PostgreSQL: the client's CPU is the smallbiz process; the server's is the "
                "PostgreSQL server's over the command (its backends), on this machine's same "
                "2 cores.", ""]
    return out


def targets(all_results: list[dict[str, object]]) -> list[str]:
    by = {r["size"]: r for r in all_results}
    rows = []

    def row(target: str, value: str, ok: bool | None) -> None:
        mark = "n/a" if ok is None else ("met" if ok else "**missed**")
        rows.append(f"| {target} | {value} | {mark} |")

    if "100k" in by:
        tb, led = find(by["100k"], "report tb"), find(by["100k"], "ledger -f")
        if tb and led:
            ratio = led["median"] / tb["median"]
            row("`report tb` on 100k ≥ 3× faster than `ledger bal`",
                f"{fmt_s(tb['median'])} s vs {fmt_s(led['median'])} s: {ratio:.1f}× "
                f"(CPU {fmt_s(tb['cpu'])} s vs {fmt_s(led['cpu'])} s)", ratio >= 3)
        imp = find(by["100k"], "import journal")
        if imp:
            row("`import journal` 100k < 3 s and < 300 MB",
                f"{fmt_s(imp['median'])} s (CPU {fmt_s(imp['cpu'])} s), {imp['rss_mb']:.0f} MB",
                imp["median"] < 3 and imp["rss_mb"] < 300)
        search = find(by["100k"], "contact list")
        if search:
            row("`contact list --search` on 100k contacts < 0.3 s",
                f"{fmt_s(search['median'])} s (CPU {fmt_s(search['cpu'])} s)",
                search["median"] < 0.3)
    if "1M" in by:
        tb = find(by["1M"], "report tb")
        if tb:
            row("`report tb` on 1M < 0.5 s",
                f"{fmt_s(tb['median'])} s (CPU {fmt_s(tb['cpu'])} s)", tb["median"] < 0.5)
        imp = find(by["1M"], "import journal")
        if imp:
            small = find(by.get("100k", {}), "import journal")
            flat = small is None or imp["rss_mb"] < 1.5 * small["rss_mb"]
            row("`import journal` 1M < 40 s, memory flat",
                f"{fmt_s(imp['median'])} s (CPU {fmt_s(imp['cpu'])} s), {imp['rss_mb']:.0f} MB"
                + (f" (100k: {small['rss_mb']:.0f} MB)" if small else ""),
                imp["median"] < 40 and flat)
    for r in all_results:
        reports = [b for b in (find(r, name, "postgresql") for name in
                               ("report tb", "report pl", "report bs", "report ledger",
                                "report aging")) if b]
        if reports and r["size"] == "1M":
            worst = max(reports, key=lambda b: b["median"])
            row("PostgreSQL: reports on 1M ≤ 0.5 s each",
                f"slowest `{worst['name']}` {fmt_s(worst['median'])} s "
                f"(client CPU {fmt_s(worst['cpu'])} s)", worst["median"] <= 0.5)
        imp = find(r, "import journal", "postgresql")
        if imp and r["size"] == "100k":
            row("PostgreSQL: `import journal` 100k ≤ 5 s",
                f"{fmt_s(imp['median'])} s (client CPU {fmt_s(imp['cpu'])} s, server CPU "
                f"{fmt_s(imp['server_cpu'] or 0)} s)", imp["median"] <= 5)
    for r in all_results:
        h = find(r, "smallbiz --help")
        if h:
            row("`smallbiz --help` < 0.25 s",
                f"{fmt_s(h['median'])} s (CPU {fmt_s(h['cpu'])} s)", h["median"] < 0.25)
    return ["| target (issues 7, 19) | measured (median) | |", "|---|---|---|", *rows, ""]


def versions(server: Any = None) -> str:
    def first_line(argv: list[str]) -> str:
        try:
            return output(argv).splitlines()[0]
        except (RuntimeError, FileNotFoundError, IndexError):
            return "not installed"

    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False).stdout.strip()
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"smallbiz {rev}, Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}; {first_line(['hledger', '--version'])}; "
            f"{first_line(['ledger', '--version'])}; {cpu}, {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}"
            + (f"; PostgreSQL {server.version} (a local server of the run's own on 127.0.0.1, "
               "fsync off)" if server is not None else ""))


def tui_section(book: Path) -> list[str]:
    script = BENCH / "tui_bench.py"
    if not script.exists():
        return ["TUI: bench/tui_bench.py is not there yet; no TUI timings.", ""]
    say("TUI: bench/tui_bench.py ...")
    try:
        text = output([sys.executable, str(script), str(book)])
    except RuntimeError as exc:
        return [f"TUI: bench/tui_bench.py failed: {exc}", ""]
    return ["### TUI (bench/tui_bench.py)", "", text.strip(), ""]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M",
                    help=f"comma-separated, of {', '.join(SIZES)}")
    ap.add_argument("--runs", type=int, default=5, help="rounds of A/B runs (default 5)")
    ap.add_argument("--budget", type=float, default=120.0,
                    help="seconds a command may take over all its runs (default 120)")
    ap.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today(),
                    help="last day of the generated books (default: today)")
    ap.add_argument("--engine", default="sqlite",
                    help="comma-separated: sqlite, postgresql (default sqlite); "
                    "PostgreSQL runs on a server of its own (bench/pg.py), beside SQLite")
    ap.add_argument("--name", default="",
                    help="results file name (default results-DATE): bench/out/NAME.md, .json")
    ap.add_argument("--no-peers", action="store_true", help="skip hledger and ledger")
    ap.add_argument("--no-tui", action="store_true", help="skip bench/tui_bench.py")
    ap.add_argument("--first-paint-only", action="store_true",
                    help="of bench/tui_bench.py, only the first paint on each book")
    ap.add_argument("--columns", type=int, default=120,
                    help="terminal width the human output is laid out for (default 120)")
    args = ap.parse_args(argv)
    global COLUMNS
    COLUMNS = str(args.columns)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        ap.error(f"unknown sizes {unknown} (one of {', '.join(SIZES)})")
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    if set(engines) - set(ENGINES) or "sqlite" not in engines:
        ap.error(f"--engine: sqlite, optionally with postgresql (not {args.engine})")
    peers = not args.no_peers
    if peers and not (shutil.which("hledger") and shutil.which("ledger")):
        ap.error("hledger and ledger must be installed (or pass --no-peers)")
    OUT.mkdir(exist_ok=True)
    started = time.time()
    load_before = os.getloadavg()
    help_bench = Bench("smallbiz --help", "smallbiz", [*smallbiz_cmd(), "--help"], engine="")
    all_results = []
    server = None
    if "postgresql" in engines:
        import signal

        import pg

        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on a kill too

        say("starting a PostgreSQL server of our own ...")
        server = pg.Server().start()
    try:
        if server is not None:
            pg.init_book(server, EMPTY_PG_BOOK)
        for i, label in enumerate(labels):
            all_results.append(run_size(label, args.end, args.runs, args.budget, peers,
                                        help_bench if i == 0 else None, server,
                                        not args.no_tui))
        load_after = os.getloadavg()
        version_line = versions(server)
    finally:
        if server is not None:
            server.stop()
    today = dt.date.today().isoformat()
    name = args.name or f"results-{today}"
    report = [
        f"## Results {today}", "",
        version_line + ".", "",
        f"Load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{(time.time() - started) / 60:.0f} minutes in all. Output to /dev/null, laid out "
        f"for {COLUMNS} columns. Wall times are medians of A/B rounds; CPU is user + system "
        "time of the process (less sensitive to other load on the machine).", "",
        *targets(all_results),
    ]
    for r in all_results:
        report += size_table(r)
    if not args.no_tui and not args.first_paint_only:
        report += tui_section(OUT / f"book-{labels[-1]}-{args.end.isoformat()}.db")
    text = "\n".join(report)
    (OUT / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    (OUT / f"{name}.json").write_text(json.dumps(all_results, indent=2, default=str),
                                      encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
