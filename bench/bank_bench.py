"""10,000 statement lines imported and auto-matched in one transaction.

    .venv/bin/python bench/bank_bench.py [--lines 10000] [--db URL]

The book has 300 open invoices (paid by 300 of the lines, their numbers in the text:
each a payment through the payments service) and a rule for card fees (a third of the
lines: one batch of entries); the rest stay unmatched. Prints the import's time (parse,
de-duplicate, insert, match, post: one transaction) and a re-import's.
`--invoices 0` measures the lines and the rules alone.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def main() -> None:
    from smallbiz.app.book import Book
    from smallbiz.book import init_book
    from smallbiz.crm.service import create_contact
    from smallbiz.db import Database
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.service import confirm_order, create_order, invoice_order
    from smallbiz.stock.service import add_product

    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--invoices", type=int, default=300)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bank-bench-"))
    db = Database(args.db or str(work / "bench.db"))
    init_book(db, company="Bench", currency="GEL", vat_rate="18")
    db.open()
    import datetime as dt

    day = dt.date(2026, 1, 2)
    numbers = []
    with db.transaction() as s:
        add_product(s, "SVC", "Service", price="100", service=True)
        for i in range(args.invoices):
            create_contact(s, f"Customer {i:04d}", customer=True)
            order = create_order(s, "sale", f"Customer {i:04d}",
                                 [LineInput("SVC", Decimal(1 + i % 7))], on=day)
            confirm_order(s, "sale", order.number)
            numbers.append((invoice_order(s, order.number, on=day).reference,
                            Decimal(118) * (1 + i % 7)))
    book = Book(db)
    book.add_bank_rule(account="6800", text="card fee")
    rows = ["date,amount,description,counterparty,balance"]
    balance = Decimal(0)
    for i in range(args.lines):
        d = (day + dt.timedelta(days=1 + i * 300 // args.lines)).isoformat()
        if i < len(numbers):
            number, amount = numbers[i]
            text, party = f"payment {number}", f"Customer {i:04d}"
        elif i % 3 == 0:
            amount, text, party = Decimal("-1.50"), f"card fee {i}", "Bank"
        else:
            amount, text, party = Decimal(i % 500 + 1) / 4 * (-1 if i % 2 else 1), \
                f"transfer {i}", f"Someone {i}"
        balance += amount
        rows.append(f"{d},{amount},{text},{party},{balance}")
    path = work / "statement.csv"
    path.write_text("\n".join(rows) + "\n")
    start, cpu = time.perf_counter(), time.process_time()
    r = book.import_statement(str(path))
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    rec = book.reconcile_bank()
    print(f"{args.lines} lines: {took:.2f} s ({cpu:.2f} s CPU) import + auto-match "
          f"({r.payments} payments, {r.by_rule} by rule, {r.transfers} transfers); "
          f"reconcile difference {rec.difference} on {db.where()}")
    start = time.perf_counter()
    again = book.import_statement(str(path))
    print(f"re-import: {time.perf_counter() - start:.2f} s, {again.added} added, "
          f"{again.duplicates} already there")
    db.dispose()


if __name__ == "__main__":
    main()
