"""Romanized contact search on a big book: Latin finds Georgian and Georgian finds Latin.

    .venv/bin/python bench/generate.py OUT.db --contacts 100000 --products 10 --transactions 1000
    .venv/bin/python bench/search_romanized.py OUT.db

Prints, per query, the hits and the median of five runs of one page (50 rows) and of the
count, as `contact list --search` and the TUI's list ask for them.
"""

from __future__ import annotations

import statistics
import sys
import time

from smallbiz.crm.search import ContactFilter, count_contacts, list_contacts
from smallbiz.db import Database

QUERIES = ("beridze", "ბერიძე", "nino", "ნინო", "kapanadze", "კაპანაძე", "ni", "ბე")


def main(path: str) -> None:
    db = Database(path).open()
    with db.read() as r:
        total = count_contacts(r, ContactFilter(include_archived=True))
    print(f"{total} contacts in {path}")
    for q in QUERIES:
        page_ms, count_ms = [], []
        for _ in range(5):
            with db.read() as r:
                t0 = time.perf_counter()
                rows = list_contacts(r, ContactFilter(search=q), limit=50)
                t1 = time.perf_counter()
                n = count_contacts(r, ContactFilter(search=q))
                t2 = time.perf_counter()
            page_ms.append((t1 - t0) * 1000)
            count_ms.append((t2 - t1) * 1000)
        sample = ", ".join(r.name for r in rows[:3])
        print(f"{q:>10}: {n:6} hits  page {statistics.median(page_ms):6.1f} ms  "
              f"count {statistics.median(count_ms):6.1f} ms  ({sample})")


if __name__ == "__main__":
    main(sys.argv[1])
