"""How each figure grows with the book: a log-log plot and a table, from bench/run.py's JSON.

    python bench/plot.py bench/out/results-A.json [B.json ...] [--png bench/growth.png]

Takes the results of one or more runs (a later file's size replaces an earlier one's),
draws CPU time (user + system of the process, and on PostgreSQL the server's too: on a
machine shared with other work the wall time follows the neighbours) against the book's
size (journal entries) per command, smallbiz on SQLite and
on PostgreSQL and the peers (hledger and ledger, which read the whole journal for the
same totals, in the `report tb` and `import journal` panels), and prints a Markdown table
of the median CPU times with the ratios 100k/10k and 1M/100k (of CPU and of wall time).
A figure that does not grow with the book has ratios near 1; one that grows linearly,
near 10.
Needs matplotlib (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ORDER = ["10k", "100k", "1M"]
#: panel title -> the command's name in the results (a prefix), and the peers drawn in it.
PANELS: list[tuple[str, str, tuple[str, ...]]] = [
    ("report tb", "report tb", ("hledger -f FILE bal", "ledger -f FILE bal")),
    ("report pl", "report pl", ()),
    ("report bs", "report bs", ()),
    ("report ledger 1010 (this month)", "report ledger", ()),
    ("report aging", "report aging", ()),
    ("contact list --search", "contact list", ()),
    ("check", "check", ()),
    ("import journal (new book)", "import journal",
     ("hledger -f FILE bal", "ledger -f FILE bal")),
    ("TUI: new process → dashboard", "TUI: new process", ()),
]
STYLE = {"sqlite": ("smallbiz, SQLite", "tab:blue", "o", "-"),
         "postgresql": ("smallbiz, PostgreSQL", "tab:orange", "s", "-"),
         "hledger -f FILE bal": ("hledger bal", "tab:green", "^", "--"),
         "ledger -f FILE bal": ("ledger bal", "tab:red", "v", "--")}
ENGINE_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "": "-"}


def load(paths: list[Path]) -> dict[str, dict[str, Any]]:
    by_size: dict[str, dict[str, Any]] = {}
    for path in paths:
        for result in json.loads(path.read_text(encoding="utf-8")):
            by_size[result["size"]] = result
    return {s: by_size[s] for s in ORDER if s in by_size}


def figure(results: dict[str, dict[str, Any]], name: str, engine: str,
           what: str = "median") -> dict[str, float]:
    """size -> median wall seconds (or `what`: cpu; work: the client's CPU and the
    PostgreSQL server's) of the command `name` (a prefix) on `engine`."""
    out = {}
    for size, r in results.items():
        for b in r["benches"]:
            if (b["name"].startswith(name) and "median" in b
                    and b.get("engine", "sqlite") == engine):
                out[size] = (b["cpu"] + (b.get("server_cpu") or 0) if what == "work"
                             else b[what])
                break
    return out


def plot(results: dict[str, dict[str, Any]], png: Path, note: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    entries = {s: r["entries"] for s, r in results.items()}
    fig, axes = plt.subplots(3, 3, figsize=(13, 11.5), dpi=100)
    for ax, (title, name, peers) in zip(axes.flat, PANELS, strict=True):
        series = [(e, figure(results, name, e, "work")) for e in ("sqlite", "postgresql")]
        series += [(p, figure(results, p, "", "work")) for p in peers]
        values = [v for _key, data in series for v in data.values() if v > 0]
        for key, data in series:
            if not data:
                continue
            label, color, marker, line = STYLE[key]
            xs = [entries[s] for s in data]
            ax.plot(xs, list(data.values()), marker=marker, linestyle=line, color=color,
                    label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        if values:  # at least a factor of 30 tall: a flat line looks flat
            lo, hi = min(values) / 1.5, max(values) * 1.5
            if hi / lo < 30:
                middle = (lo * hi) ** 0.5
                lo, hi = middle / 30 ** 0.5, middle * 30 ** 0.5
            ax.set_ylim(lo, hi)
        ax.set_title(title, fontsize=11)
        ax.set_xticks([entries[s] for s in results], [f"{s}" for s in results])
        ax.xaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.grid(True, which="major", alpha=0.3)
        ax.set_ylabel("CPU seconds (median)", fontsize=9)
        ax.legend(fontsize=8, loc="best")
    for ax in axes[-1]:
        ax.set_xlabel("journal entries in the book", fontsize=9)
    fig.suptitle("smallbiz: CPU time against book size (log-log; PostgreSQL: client + server)"
                 + (f"\n{note}" if note else ""), fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(png)


def table(results: dict[str, dict[str, Any]]) -> str:
    sizes = list(results)
    head = "| command | engine | " + " | ".join(f"{s} CPU s" for s in sizes)
    ratios = [(a, b) for a, b in zip(sizes, sizes[1:], strict=False)]
    head += "".join(f" | CPU {b}/{a}" for a, b in ratios)
    head += "".join(f" | wall {b}/{a}" for a, b in ratios) + " |"
    lines = [head, "|---|---|" + "---:|" * (len(sizes) + 2 * len(ratios))]
    commands: list[str] = []
    for r in results.values():
        for b in r["benches"]:
            if b["name"] not in commands and b["name"] != "smallbiz --help":
                commands.append(b["name"])
    for name in commands:
        for engine in ("sqlite", "postgresql", ""):
            wall = figure(results, name, engine)
            if not wall:
                continue
            cpu = figure(results, name, engine, "work")
            cells = [f"{cpu[s]:.3f}" if s in cpu and cpu[s] < 10 else
                     (f"{cpu[s]:.1f}" if s in cpu else "") for s in sizes]
            grow = [f"{d[b] / d[a]:.1f}" if a in d and b in d and d[a] else ""
                    for d in (cpu, wall) for a, b in ratios]
            shown = f"`{name}`" if engine else f"**{name}**"
            lines.append(f"| {shown} | {ENGINE_NAME.get(engine, engine)} | "
                         + " | ".join(cells) + "".join(f" | {g}" for g in grow) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="+", type=Path, help="bench/run.py's JSON files")
    ap.add_argument("--png", type=Path, default=BENCH / "growth.png")
    ap.add_argument("--note", default="", help="a line for the title (machine, load)")
    args = ap.parse_args(argv)
    results = load(args.results)
    plot(results, args.png, args.note)
    print(table(results))


if __name__ == "__main__":
    main()
