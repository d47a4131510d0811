"""A quick guard against speed regressions, for CI (`.ci/run` runs it after the tests).

    python bench/guard.py [--runs 3] [--slack 2.0]

On a generated book of 10k transactions (and 10k contacts) it times whole commands as a
user runs them, each against a yardstick measured in the same run: a raw `sqlite3`
process that loads the same exported journal with one `executemany` in one transaction
(Python's start-up, reading the file and SQLite's writes: what no smallbiz command can do
without). Rounds alternate the commands and the yardstick (A/B), each figure is a median.

The absolute figures are printed, not asserted (a CI machine's speed is unknown); the
guard fails (exit 1) only when a command's ratio of CPU time to the yardstick's is more
than `--slack` (2) times the ratio expected below, measured on the development machine
(CPU time: on a shared machine the wall time follows the neighbours). When a change
makes a command faster for good, lower its expected ratio here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import contacts_io  # noqa: E402  (bench/ scripts, not a package)
import generate  # noqa: E402
from run import OUT, measure, output, smallbiz_cmd  # noqa: E402

#: command -> its expected CPU time / the yardstick's (medians of two runs on the development
#: machine, one quiet, one under a load of 6 on its 2 cores).
#: CPU time, not wall time: on a shared machine the wall time follows the neighbours.
EXPECTED = {
    "report tb": 2.6,
    "check": 8.0,
    "contact list --search beridze": 3.0,
    "import journal (new book)": 7.3,
    # The contacts (2026-12-04, the export written from the query's rows): the mean of a
    # guard run under a load of ~8 (import 18.8, vCard 5.06, CSV 4.80) and the ratios
    # before scaled by the 100k A/B pairs (import 0.98, vCard 0.71, CSV 0.79).
    "import contacts CSV 10k": 19.0,
    "export contacts vCard": 4.9,
    "export contacts CSV": 4.5,
    "bank import + auto-match 2k lines": 13.0,
}

#: The yardstick: the exported journal's postings loaded raw, one executemany.
RAW_LOAD = r"""
import sqlite3, sys
rows, entry = [], 0
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        if line[:1].isdigit():
            entry += 1
        elif line.startswith("    "):
            account, _sep, amount = line.strip().partition("  ")
            rows.append((entry, account, amount.strip().split(" ")[0]))
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS posting (entry INTEGER, account TEXT, amount TEXT)")
db.execute("BEGIN")
db.execute("DELETE FROM posting")
db.executemany("INSERT INTO posting VALUES (?, ?, ?)", rows)
db.execute("COMMIT")
"""


@dataclass
class Item:
    name: str
    argv: list[str]
    prepare: Callable[[], None] | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slack", type=float, default=2.0)
    a = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="guard-", dir=OUT))
    try:
        return guard(work, a.runs, a.slack)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def guard(work: Path, runs: int, slack: float) -> int:
    sb = smallbiz_cmd()
    book = work / "book.db"
    end = dt.date(2026, 11, 30)
    generate.generate(book, generate.Sizes(contacts=10_000, products=200,
                                           transactions=10_000, seed=1,
                                           start=end.replace(year=end.year - 2), end=end),
                      quiet=True)
    journal = work / "book.journal"
    output([*sb, "--db", str(book), "export", "journal", str(journal)])
    output([*sb, "--db", str(book), "check"])  # correctness first: the book is sound
    people = work / "people.csv"
    contacts_io.make_csv(people, 10_000, "google")
    imported, fresh = work / "imported.db", work / "fresh.db"

    def new_book(path: Path) -> Callable[[], None]:
        def make() -> None:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            output([*sb, "--db", str(path), "init", "--company", "Guard", "--currency",
                    "GEL", "--vat-rate", "18"])
        return make

    items = [
        Item("raw sqlite3 load (yardstick)",
             [sys.executable, "-c", RAW_LOAD, str(journal), str(work / "raw.db")]),
        Item("report tb", [*sb, "--db", str(book), "report", "tb"]),
        Item("check", [*sb, "--db", str(book), "check"]),
        Item("contact list --search beridze",
             [*sb, "--db", str(book), "contact", "list", "--search", "beridze"]),
        Item("import journal (new book)",
             [*sb, "--db", str(imported), "import", "journal", str(journal)],
             new_book(imported)),
        Item("import contacts CSV 10k",
             [*sb, "--db", str(fresh), "import", "contacts", str(people), "--skip-invalid"],
             new_book(fresh)),
        Item("export contacts vCard",
             [*sb, "--db", str(book), "export", "contacts", str(work / "out.vcf"), "--force"]),
        Item("export contacts CSV",
             [*sb, "--db", str(book), "export", "contacts", str(work / "out.csv"), "--force"]),
        Item("bank import + auto-match 2k lines",
             [sys.executable, str(BENCH / "bank_bench.py"), "--lines", "2000",
              "--invoices", "60"]),
    ]
    for r in range(runs):
        for it in items[r % len(items):] + items[:r % len(items)]:
            if it.prepare:
                it.prepare()
            sample = measure(it.argv)
            it.walls.append(sample.wall)
            it.cpus.append(sample.cpu)
    base = statistics.median(items[0].cpus)
    failed = []
    print(f"{'command':<36} {'median s':>9} {'CPU s':>7} {'CPU ratio':>9} {'expected':>9}")
    for it in items:
        wall = statistics.median(it.walls)
        ratio = statistics.median(it.cpus) / base
        expected = EXPECTED.get(it.name)
        bad = expected is not None and ratio > slack * expected
        print(f"{it.name:<36} {wall:>9.3f} {statistics.median(it.cpus):>7.3f} {ratio:>9.2f} "
              f"{'' if expected is None else f'{expected:.2f}':>9}{'  SLOWER' if bad else ''}")
        if bad:
            failed.append(it.name)
    if failed:
        print(f"bench guard: {', '.join(failed)} more than {slack:g}x the expected ratio "
              "to the yardstick", file=sys.stderr)
        return 1
    print("bench guard: every ratio within bounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
