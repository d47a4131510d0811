"""Time contact import/export at scale (wall and CPU seconds: the CPU time says more on
a shared machine): a CSV of N rows (Google layout or smallbiz's own
columns) imported, then exported as vCard and CSV, and (on SQLite) the vCard export
imported into a new book.

    python bench/contacts_io.py [N] [--layout google|smallbiz] [--db URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from smallbiz.app.book import Book
from smallbiz.book import init_book
from smallbiz.db import Database

GOOGLE = ("Name,Given Name,Family Name,Nickname,Birthday,Notes,Group Membership,"
          "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
          "Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - Street,"
          "Address 1 - City,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
          "Organization 1 - Name,Organization 1 - Title\n")


def make_csv(path: Path, n: int, layout: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        if layout == "google":
            out.write(GOOGLE)
            for i in range(n):
                out.write(f"Given{i} Family{i},Given{i},Family{i},nick{i},1980-01-{i % 28 + 1:02d},"
                          f"note {i},* myContacts ::: Group{i % 50},* Work,p{i}@example.ge,"
                          f"Mobile,+995 555 {i:06d},Work,+995 32 {i:06d},Home,{i} Rustaveli Ave,"
                          f"Tbilisi,Tbilisi,0108,Georgia,Org {i % 1000},Manager\n")
        else:
            out.write("name,email,phone,city,tags\n")
            for i in range(n):
                out.write(f"Person {i},p{i}@example.ge,+995 555 {i:06d},Tbilisi,t{i % 50}\n")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int, nargs="?", default=100_000)
    p.add_argument("--layout", default="google")
    p.add_argument("--db")
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp())
    where = a.db or str(tmp / "bench.db")
    init_book(Database(where), company="Bench", currency="GEL")
    book = Book(Database(where).open())
    src = tmp / "in.csv"
    make_csv(src, a.n, a.layout)
    t, c = time.perf_counter(), time.process_time()
    report = book.import_contacts(str(src), skip_invalid=True)
    print(f"import {a.n} rows ({a.layout}): {time.perf_counter() - t:.2f} s "
          f"({time.process_time() - c:.2f} s CPU), created {report.created}")
    for fmt, name in (("vcard", "out.vcf"), ("csv", "out.csv")):
        t, c = time.perf_counter(), time.process_time()
        count = book.export_contacts(str(tmp / name), fmt=fmt)
        print(f"export {fmt}: {time.perf_counter() - t:.2f} s "
              f"({time.process_time() - c:.2f} s CPU), {count} contacts")
    if a.db is None:  # the vCard export read back into a new book
        again = str(tmp / "again.db")
        init_book(Database(again), company="Bench", currency="GEL")
        t, c = time.perf_counter(), time.process_time()
        report = Book(Database(again).open()).import_contacts(str(tmp / "out.vcf"))
        print(f"import the vCard export: {time.perf_counter() - t:.2f} s "
              f"({time.process_time() - c:.2f} s CPU), created {report.created}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
