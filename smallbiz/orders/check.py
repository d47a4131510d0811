"""Invariants of orders, invoices, bills and payments, one line per problem found.

- open invoices' balance due equals the Receivable account, per contact (the sub-ledger:
  postings carrying the contact); bills likewise for Payable. Postings on those accounts
  without a contact (manual or imported journal lines, e.g. opening balances) belong to
  no contact's sub-ledger and are not compared;
- SO, PO, INV, BILL and PAY numbers are gapless per year and match `number_sequence`;
- every posted document has its journal entry (and a cancelled one its reversal), and
  every document entry points to an existing document;
- an invoice's paid amount equals its live allocations, its status matches, a payment's
  allocations are at most its amount and write-off (the rest is the contact's credit,
  which the sub-ledger comparison counts; a refund, a negative payment with no
  allocations, takes from it, and no contact's credit is below zero); document totals
  equal the sums of their lines;
- the invoices' search index (SQLite) holds each invoice's current document.
"""

from __future__ import annotations

from smallbiz.money import format_amount, from_minor
from smallbiz.orders import search
from smallbiz.sql import Tx

_SUBLEDGER = (  # summed per contact first; names only for the contacts that differ
    "SELECT g.contact_id, c.name, g.due, g.booked FROM ("
    " SELECT t.contact_id, SUM(t.due) AS due, SUM(t.booked) AS booked FROM ("
    " SELECT contact_id, gross - paid - credited AS due, 0 AS booked FROM invoice"
    "  WHERE kind = :kind AND status <> 'cancelled'"
    " UNION ALL"  # a payment's credit (0010): what it left unallocated, owed back
    " SELECT p.contact_id, COALESCE((SELECT SUM(pa.amount + pa.exchange)"
    "  FROM payment_allocation pa"
    "  WHERE pa.payment_id = p.id), 0) - p.amount - p.written_off, 0 FROM payment p"
    "  WHERE p.direction = :direction AND p.status = 'posted'"
    " UNION ALL"
    " SELECT p.contact_id, 0, p.amount * :sign FROM posting p"
    "  JOIN account a ON a.id = p.account_id"
    "  WHERE a.role = :role AND p.contact_id IS NOT NULL"
    " ) t GROUP BY t.contact_id HAVING SUM(t.due) <> SUM(t.booked)"
    ") g LEFT JOIN contact c ON c.id = g.contact_id ORDER BY g.contact_id")


def _fmt(s: Tx, minor: int) -> str:
    digits = s.money_digits
    return format_amount(from_minor(minor, digits), digits)


def subledgers_match_accounts(s: Tx) -> list[str]:
    problems = []
    for kind, role, sign, label, direction in (
            ("invoice", "receivable", 1, "Receivable", "in"),
            ("bill", "payable", -1, "Payable", "out")):
        for _contact_id, name, due, booked in s.execute(
                _SUBLEDGER, {"kind": kind, "role": role, "sign": sign,
                             "direction": direction}):
            problems.append(
                f"{label} for contact {name}: open {kind}s' balance due {_fmt(s, due)} "
                f"differs from the account's {_fmt(s, booked)}")
    return problems


#: (prefix, table, filter) of every numbered document type of this package.
NUMBERED = (("SO", "trade_order", "kind = 'sale'"), ("PO", "trade_order", "kind = 'purchase'"),
            ("QT", "trade_order", "kind = 'quote'"),
            ("INV", "invoice", "kind = 'invoice'"), ("BILL", "invoice", "kind = 'bill'"),
            ("CN", "invoice", "kind = 'credit_note'"), ("DN", "invoice", "kind = 'debit_note'"),
            ("PAY", "payment", "1 = 1"))


def numbers_gapless(s: Tx) -> list[str]:
    problems = []
    for prefix, table, where in NUMBERED:
        counters = dict(s.execute(
            "SELECT year, last FROM number_sequence WHERE prefix = :p", {"p": prefix}).all())
        rows = s.execute(
            f"SELECT year, COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM {table} "
            f"WHERE {where} GROUP BY year").all()
        seen = set()
        for year, count, low, high, distinct in rows:
            seen.add(year)
            if low != 1 or high != count or distinct != count:
                problems.append(f"{prefix} numbers for {year} are not gapless "
                                f"({count} documents, numbers {low}..{high})")
            if counters.get(year, 0) != high:
                problems.append(f"{prefix} number counter for {year} is "
                                f"{counters.get(year, 0)}, the last document is {high}")
        for year, last in counters.items():
            if year not in seen and last:
                problems.append(f"{prefix} number counter for {year} is {last} "
                                f"but there is no {prefix} document that year")
        for (number,) in s.execute(
                f"SELECT number FROM {table} WHERE {where} AND NOT ("
                "substr(number, 1, :n) = :p || '-' || CAST(year AS TEXT) || '-' "
                "AND CAST(substr(number, :n + 1) AS INTEGER) = seq)",
                {"p": prefix, "n": len(prefix) + 6}):
            problems.append(f"{number} does not match its year and sequence number")
    return problems


#: (label, documents with their posting-relevant state, entry source)
_POSTED = (
    ("invoice", "SELECT id, number, status = 'cancelled' AS cancelled FROM invoice "
                "WHERE kind = 'invoice' AND gross <> 0", "invoice"),
    ("bill", "SELECT id, number, status = 'cancelled' AS cancelled FROM invoice "
             "WHERE kind = 'bill' AND gross <> 0", "bill"),
    ("shipment", "SELECT sh.id, o.number, sh.status = 'cancelled' AS cancelled FROM shipment sh "
                 "JOIN trade_order o ON o.id = sh.order_id "
                 "WHERE sh.kind = 'shipment' AND sh.value <> 0", "shipment"),
    ("payment", "SELECT id, number, status = 'cancelled' AS cancelled FROM payment", "payment"),
    ("credit note", "SELECT id, number, status = 'cancelled' AS cancelled FROM invoice "
                    "WHERE kind = 'credit_note' AND gross <> 0", "credit_note"),
    ("debit note", "SELECT id, number, status = 'cancelled' AS cancelled FROM invoice "
                   "WHERE kind = 'debit_note' AND gross <> 0", "debit_note"),
)
#: Documents whose entry is missing, doubled, or (not) reversed against their status.
_ENTRIES = (  # per document by index lookups, no grouping; numbers only for those found
    "SELECT x.number, x.cancelled, x.n, "
    "(SELECT MIN(e.number) FROM journal_entry e WHERE e.source = :src "
    " AND e.source_id = x.id AND e.reverses_id IS NULL), "
    "(SELECT MIN(r.number) FROM journal_entry e JOIN journal_entry r ON r.reverses_id = e.id "
    " WHERE e.source = :src AND e.source_id = x.id AND e.reverses_id IS NULL) "
    "FROM (SELECT d.id, d.number, d.cancelled, "
    " (SELECT COUNT(*) FROM journal_entry e WHERE e.source = :src AND e.source_id = d.id"
    "  AND e.reverses_id IS NULL) AS n, "
    " (SELECT COUNT(*) FROM journal_entry e JOIN journal_entry r ON r.reverses_id = e.id"
    "  WHERE e.source = :src AND e.source_id = d.id AND e.reverses_id IS NULL) AS reversals "
    " FROM ({docs}) d) x "
    "WHERE x.n <> 1 OR (x.cancelled AND x.reversals = 0) "
    " OR (NOT x.cancelled AND x.reversals > 0) ORDER BY x.id")
#: Whether every document of `_ENTRIES` has exactly one entry, reversed once if it is
#: cancelled and never if not, by counts instead of a lookup of each document's entries:
#: its documents and the cancelled ones; its entries that join a document, and how many
#: documents they join (as many as there are documents: one each); the entries of those
#: documents that are reversed, those reversed exactly once that belong to a cancelled
#: document, and all their reversals (both as many as the cancelled documents: theirs
#: once each, the live ones' never). Anything else hands over to `_ENTRIES`, which names
#: them (and accepts several reversals of a cancelled document's entry).
_ENTRY_COUNTS = (
    "SELECT a.documents, a.cancelled, b.entries, b.joined, c.once, c.reversals FROM"
    " (SELECT COUNT(*) AS documents,"
    "  COALESCE(SUM(CASE WHEN d.cancelled THEN 1 ELSE 0 END), 0) AS cancelled"
    "  FROM ({docs}) d) a,"
    " (SELECT COUNT(*) AS entries, COUNT(DISTINCT e.source_id) AS joined"
    "  FROM journal_entry e JOIN ({docs}) d ON d.id = e.source_id"
    "  WHERE e.source = :src AND e.reverses_id IS NULL) b,"
    " (SELECT COALESCE(SUM(CASE WHEN x.n = 1 AND x.c = 1 THEN 1 ELSE 0 END), 0) AS once,"
    "  COALESCE(SUM(x.n), 0) AS reversals FROM ("
    # per reversed entry of a document: its reversals, and 1 if the document is
    # cancelled; from the few reversals, counted first (not from the documents' entries)
    "  SELECT r.n, CASE WHEN d.cancelled THEN 1 ELSE 0 END AS c FROM"
    "  (SELECT reverses_id, COUNT(*) AS n FROM journal_entry WHERE reverses_id IS NOT NULL"
    "   GROUP BY reverses_id) r"
    "  JOIN journal_entry e ON e.id = r.reverses_id JOIN ({docs}) d ON d.id = e.source_id"
    "  WHERE e.source = :src AND e.reverses_id IS NULL) x) c")


def _entries_hold(s: Tx, docs: str, source: str) -> bool:
    documents, cancelled, entries, joined, reversed_once, reversals = (
        int(v) for v in s.first(_ENTRY_COUNTS.format(docs=docs), {"src": source}) or (0,) * 6)
    return documents == entries == joined and reversed_once == reversals == cancelled


_ORPHANS = (
    "SELECT e.number, e.source, e.source_id FROM journal_entry e WHERE e.reverses_id IS NULL "
    "AND ((e.source IN ('invoice', 'bill', 'credit_note', 'debit_note')"
    "  AND NOT EXISTS (SELECT 1 FROM invoice i "
    "      WHERE i.id = e.source_id AND i.kind = e.source))"
    " OR (e.source = 'shipment' AND NOT EXISTS (SELECT 1 FROM shipment sh "
    "      WHERE sh.id = e.source_id AND sh.kind = 'shipment'))"
    " OR (e.source = 'payment' AND NOT EXISTS (SELECT 1 FROM payment p "
    "      WHERE p.id = e.source_id)))")


def documents_have_entries(s: Tx) -> list[str]:
    problems = []
    for label, docs, source in _POSTED:
        if _entries_hold(s, docs, source):
            continue
        for number, cancelled, count, entry, reversal in s.execute(
                _ENTRIES.format(docs=docs), {"src": source}):
            if count == 0:
                problems.append(f"{label} {number} has no journal entry")
            elif count > 1:
                problems.append(f"{label} {number} has {count} journal entries")
            elif cancelled:
                problems.append(f"{label} {number} is cancelled but its entry {entry} "
                                "was not reversed")
            else:
                problems.append(f"{label} {number} is live but its entry {entry} was "
                                f"reversed by {reversal}")
    for number, source, source_id in s.execute(_ORPHANS):
        problems.append(f"entry {number} comes from {source} {source_id}, which does not exist")
    return problems


#: Invoices and bills whose paid amount, its bounds or the status are wrong: the SQL picks
#: them (the book's other rows never reach Python), the messages say what is wrong.
_PAID = (
    "SELECT number, status, gross, paid, allocated, credited, notes FROM ("
    " SELECT i.id, i.number, i.status, i.gross, i.paid, i.credited,"
    " (SELECT COALESCE(SUM(pa.amount), 0)"
    "  FROM payment_allocation pa JOIN payment p ON p.id = pa.payment_id"
    "  WHERE pa.invoice_id = i.id AND p.status = 'posted') AS allocated,"
    " (SELECT COALESCE(SUM(n.gross), 0) FROM invoice n WHERE n.credits_id = i.id"
    "  AND n.status <> 'cancelled') AS notes"
    " FROM invoice i WHERE i.kind IN ('invoice', 'bill')) AS x"
    " WHERE paid <> allocated OR credited <> notes OR paid + credited > gross OR paid < 0"
    " OR status <> CASE WHEN status = 'cancelled' THEN 'cancelled'"
    "  WHEN paid + credited = gross THEN 'paid' ELSE 'open' END"
    " ORDER BY id")


#: A payment's allocations beyond its amount and write-off (a refund, negative and
#: unallocated, is not).
_BEYOND = ("p.amount + p.written_off < COALESCE(SUM(pa.amount + pa.exchange), 0) "
           "AND (p.amount >= 0 OR COUNT(pa.id) > 0)")
_OVERALLOCATED = (
    "SELECT p.number, p.amount + p.written_off, COALESCE(SUM(pa.amount + pa.exchange), 0) "
    "FROM payment p LEFT JOIN payment_allocation pa ON pa.payment_id = p.id "
    f"GROUP BY p.id, p.number, p.amount, p.written_off HAVING {_BEYOND}")
#: Per contact and direction with a credit below zero or a payment allocated beyond it:
#: the contact's name (None if it does not exist), the credit and how many such payments.
_CREDIT = "SUM(CASE WHEN x.status = 'posted' THEN x.v ELSE 0 END)"
_PAYMENTS = (
    f"SELECT c.name, g.direction, g.credit, g.beyond FROM (SELECT x.contact_id, x.direction, "
    f"{_CREDIT} AS credit, SUM(x.beyond) AS beyond FROM ("
    " SELECT p.contact_id, p.direction, p.status,"
    "  p.amount + p.written_off - COALESCE(SUM(pa.amount + pa.exchange), 0) AS v,"
    f"  CASE WHEN {_BEYOND} THEN 1 ELSE 0 END AS beyond"
    " FROM payment p LEFT JOIN payment_allocation pa ON pa.payment_id = p.id"
    " GROUP BY p.id, p.contact_id, p.direction, p.status, p.amount, p.written_off) x"
    f" GROUP BY x.contact_id, x.direction HAVING {_CREDIT} < 0 OR SUM(x.beyond) > 0) g"
    " LEFT JOIN contact c ON c.id = g.contact_id ORDER BY g.contact_id, g.direction")


def paid_amounts_match_allocations(s: Tx) -> list[str]:
    problems = []
    for number, status, gross, paid, allocated, credited, notes in s.execute(_PAID).all():
        if paid != allocated:
            problems.append(f"{number}: paid {_fmt(s, paid)} differs from its allocations "
                            f"{_fmt(s, allocated)}")
        if credited != notes:
            problems.append(f"{number}: credited {_fmt(s, credited)} differs from its "
                            f"credit notes {_fmt(s, notes)}")
        if paid + credited > gross or paid < 0:
            problems.append(f"{number}: paid {_fmt(s, paid)} is outside "
                            f"0..{_fmt(s, gross - credited)}")
        expected = "cancelled" if status == "cancelled" else (
            "paid" if paid + credited == gross else "open")
        if status != expected:
            problems.append(f"{number} is {status} but should be {expected}")
    # per contact and direction, from one pass over the payments with their allocations:
    # its credit (its posted payments with write-offs less their allocations) and how many
    # of its payments are allocated beyond their amount and write-off; names only for the
    # contacts with a credit below zero, and the payments only when there are some
    credits, over = [], 0
    for name, direction, credit, beyond in s.execute(_PAYMENTS):
        over += beyond
        if name is not None and credit < 0:
            credits.append(f"{name}: refunds are {_fmt(s, -credit)} more than the "
                           f"{'customer' if direction == 'in' else 'supplier'}'s credit")
    if over:
        for number, amount, allocated in s.execute(_OVERALLOCATED):
            problems.append(f"payment {number}: its allocations {_fmt(s, allocated)} are "
                            f"more than its amount and write-off {_fmt(s, amount)}")
    problems.extend(credits)
    # the money account's posting holds the amount; a foreign payment's holds the money
    # moved in its currency (its `amount` is what it settled, in the book currency)
    for number, amount, booked, currency in s.execute(
            "SELECT p.number, COALESCE(p.amount_fx, p.amount), "
            "COALESCE(SUM(CASE WHEN p.currency IS NULL THEN po.amount ELSE po.amount_fx END),"
            " 0), p.currency FROM payment p "
            "JOIN journal_entry e ON e.source = 'payment' AND e.source_id = p.id "
            " AND e.reverses_id IS NULL "
            "LEFT JOIN posting po ON po.entry_id = e.id AND po.account_id = p.account_id "
            "GROUP BY p.id, p.number, p.amount, p.amount_fx, p.currency, p.direction "
            "HAVING COALESCE(p.amount_fx, p.amount) <> CASE WHEN p.direction = 'in' "
            " THEN COALESCE(SUM(CASE WHEN p.currency IS NULL THEN po.amount "
            "  ELSE po.amount_fx END), 0) "
            " ELSE -COALESCE(SUM(CASE WHEN p.currency IS NULL THEN po.amount "
            "  ELSE po.amount_fx END), 0) END"):
        shown = _fmt(s, amount) + (f" {currency}" if currency else "")
        problems.append(f"payment {number}: amount {shown} differs from its entry's "
                        f"{_fmt(s, abs(booked))}")
    return problems


def totals_match_lines(s: Tx) -> list[str]:
    problems = []
    for table, lines, key in (("trade_order", "order_line", "order_id"),
                              ("invoice", "invoice_line", "invoice_id")):
        for number, net, vat, gross, lnet, lvat in s.execute(
                f"SELECT d.number, d.net, d.vat, d.gross, COALESCE(SUM(l.net), 0), "
                f"COALESCE(SUM(l.vat), 0) FROM {table} d LEFT JOIN {lines} l ON l.{key} = d.id "
                f"GROUP BY d.id, d.number, d.net, d.vat, d.gross "
                f"HAVING d.net <> COALESCE(SUM(l.net), 0) OR d.vat <> COALESCE(SUM(l.vat), 0) "
                f"OR d.gross <> d.net + d.vat"):
            problems.append(f"{number}: totals {_fmt(s, net)} + {_fmt(s, vat)} = "
                            f"{_fmt(s, gross)} differ from its lines {_fmt(s, lnet)} + "
                            f"{_fmt(s, lvat)}")
    return problems


#: Documents in another currency: their foreign gross against their lines', their foreign
#: paid amount against their live allocations' and their credited amount against their
#: live notes' (minor units), their book gross, rate and balance due; a note: its entry's
#: rounding (the receivable or payable postings without a foreign amount, signed as its
#: gross).
_FOREIGN = (
    "SELECT i.number, i.kind, i.status, i.currency, i.rate, i.gross, i.gross_fx, i.paid_fx,"
    " i.credited_fx, i.gross - i.paid - i.credited,"
    " (SELECT COALESCE(SUM(l.net_fx + l.vat_fx), 0) FROM invoice_line l"
    "  WHERE l.invoice_id = i.id),"
    " (SELECT COALESCE(SUM(a.amount_fx), 0) FROM payment_allocation a"
    "  JOIN payment p ON p.id = a.payment_id WHERE a.invoice_id = i.id"
    "  AND p.status = 'posted'),"
    " (SELECT COALESCE(SUM(n.gross_fx), 0) FROM invoice n WHERE n.credits_id = i.id"
    "  AND n.status <> 'cancelled'),"
    " (SELECT COALESCE(SUM(po.amount), 0) FROM journal_entry e"
    "  JOIN posting po ON po.entry_id = e.id JOIN account a ON a.id = po.account_id"
    "  WHERE e.source = i.kind AND e.source_id = i.id AND e.reverses_id IS NULL"
    "  AND a.role IN ('receivable', 'payable') AND po.currency IS NULL"
    "  AND po.contact_id IS NOT NULL)"
    " FROM invoice i WHERE i.currency IS NOT NULL ORDER BY i.id")


def foreign_documents_match(s: Tx) -> list[str]:
    """A foreign document: its lines add up to its foreign gross, its book gross is that
    converted at its rate by the rule (a note's: and its rounding posting), its foreign
    paid amount is its live allocations', its foreign credited amount its live notes',
    and it is settled in its currency exactly when it is in the book's."""
    from smallbiz.books.fx import RATE_DIGITS, to_book

    digits = s.money_digits
    problems = []
    for (number, kind, status, currency, rate, gross, gross_fx, paid_fx, credited_fx, due,
         lines_fx, allocated_fx, notes_fx, rounding) in s.execute(_FOREIGN):
        note = kind in ("credit_note", "debit_note")
        if rate is None or gross_fx is None or (not note and (
                paid_fx is None or credited_fx is None)):
            problems.append(f"{number}: in {currency} without its rate or foreign amounts")
            continue
        if lines_fx != gross_fx:
            problems.append(f"{number}: its lines add up to {_fmt(s, lines_fx)} {currency}, "
                            f"its gross is {_fmt(s, gross_fx)} {currency}")
        converted = to_book(from_minor(gross_fx, digits), from_minor(rate, RATE_DIGITS), digits)
        if note:  # the rounding posting's sign: a credit note's is a credit (Receivable)
            converted += from_minor(-rounding if kind == "credit_note" else rounding, digits)
        if converted != from_minor(gross, digits):
            problems.append(f"{number}: gross {_fmt(s, gross)} is not {_fmt(s, gross_fx)} "
                            f"{currency} at its rate ({converted})"
                            + (" and its rounding" if note else ""))
        if note:
            continue
        if paid_fx != allocated_fx:
            problems.append(f"{number}: paid {_fmt(s, paid_fx)} {currency} differs from its "
                            f"allocations {_fmt(s, allocated_fx)} {currency}")
        if credited_fx != notes_fx:
            problems.append(f"{number}: credited {_fmt(s, credited_fx)} {currency} differs "
                            f"from its notes {_fmt(s, notes_fx)} {currency}")
        due_fx = gross_fx - paid_fx - credited_fx
        if status != "cancelled" and (due_fx == 0) != (due == 0):
            problems.append(f"{number}: balance due {_fmt(s, due_fx)} {currency} but "
                            f"{_fmt(s, due)} in the book's currency")
    return problems


CHECKS = [subledgers_match_accounts, numbers_gapless, documents_have_entries,
          paid_amounts_match_allocations, totals_match_lines, foreign_documents_match,
          search.index_in_step]
#: Checks that must run in a write transaction (they change nothing).
WRITE_CHECKS = [search.index_integrity]
