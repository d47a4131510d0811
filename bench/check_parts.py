"""Time each of `smallbiz check`'s checks alone, one after another, on one book.

    python bench/check_parts.py BOOK [--only NAME ...] [--runs N]

Each check runs in a read snapshot of its own, as `smallbiz check` runs it (but not
side by side): the thread's CPU time and the wall time per check, the slowest first,
and the problems it found (a passing book finds none). The machine is shared: read
the CPU column.
"""

from __future__ import annotations

import argparse
import time

from smallbiz.check import database_integrity
from smallbiz.db import Database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("book")
    parser.add_argument("--only", nargs="*", default=None, help="check function names")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    from smallbiz.app import root

    db = Database(args.book)
    checks = [database_integrity, *root.CHECKS]
    if args.only:
        checks = [c for c in checks if c.__name__ in args.only]
    rows = []
    for check in checks:
        cpu = wall = 0.0
        found = 0
        for _ in range(args.runs):
            with db.read() as s:
                c0, w0 = time.thread_time(), time.perf_counter()
                found = len(check(s))
                cpu += time.thread_time() - c0
                wall += time.perf_counter() - w0
        rows.append((cpu / args.runs, wall / args.runs, check.__module__, check.__name__,
                     found))
    rows.sort(reverse=True)
    print(f"{'CPU s':>7} {'wall s':>7}  check (problems)")
    for cpu, wall, module, name, found in rows:
        print(f"{cpu:7.2f} {wall:7.2f}  {module}.{name} ({found})")
    print(f"{sum(r[0] for r in rows):7.2f} {sum(r[1] for r in rows):7.2f}  total")


if __name__ == "__main__":
    main()
