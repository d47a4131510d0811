"""The invoice list's text filter on a big book, as the TUI asks for it: the count and the
first page of 40 rows (`Book.invoices_count`, `Book.invoices_page`), per list and text.

    .venv/bin/python bench/invoice_search.py BOOK.db [--runs 3]

Prints, per (list, text), the best of `--runs` wall and CPU (this process) times of the
count and of the page, the count itself and the first page's numbers' digest (equal
before and after a change: the same matches). Opening the book upgrades it (a copy!).
"""

from __future__ import annotations

import argparse
import hashlib
import time

from smallbiz.app.book import Book
from smallbiz.db import Database

CASES = (("open", ""), ("open", "gel"), ("open", "ბერ"), ("open", "INV-2025-00"),
         ("open", "g"), ("all", "gel"), ("all", "ბერ"), ("all", "INV-2025-00"),
         ("all", "g"))


def _best(fn, runs: int) -> tuple[float, float, object]:
    wall, cpu, out = [], [], None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return min(wall) * 1000, min(cpu) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("book")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    book = Book(Database(args.book).open())
    book.invoices_count("invoice", "all")  # open (and upgrade) the book first
    print("| list, text | count ms (CPU) | first page ms (CPU) | count+page ms | matches | "
          "page digest |")
    print("|---|---:|---:|---:|---:|---|")
    for which, text in CASES:
        cw, cc, n = _best(lambda w=which, t=text: book.invoices_count("invoice", w, search=t),
                          args.runs)
        pw, pc, rows = _best(lambda w=which, t=text: book.invoices_page("invoice", w, 0, 40,
                                                                        search=t), args.runs)
        digest = hashlib.sha1(" ".join(r.number for r in rows).encode()).hexdigest()[:8]
        print(f"| {which}, `{text or '(none)'}` | {cw:,.1f} ({cc:,.0f}) | {pw:,.1f} "
              f"({pc:,.0f}) | {cw + pw:,.1f} | {n:,} | {digest} |")


if __name__ == "__main__":
    main()
