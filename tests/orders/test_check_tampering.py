"""`smallbiz check` finds invoices whose paid amount, status or totals were changed behind
the application's back (the orders checks pick those rows in SQL), and nothing else."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.orders import payments as pay
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from tests import engine
from tests.conftest import make_runner
from tests.orders.conftest import assert_ok, day


@pytest.fixture
def paid_and_open(shop, book_path):
    """INV-2026-0001 (2 hammers, 59.00) paid in full; INV-2026-0002 (1 hammer, 29.50)
    paid 10.00 of."""
    with shop.transaction() as s:
        for quantity, amount in ((2, "59.00"), (1, "10.00")):
            so = orders.create_order(s, "sale", "Kartuli Foods LLC",
                                     [LineInput("TOOL-01", D(quantity), D("25.00"))],
                                     on=day("2026-03-02"))
            orders.confirm_order(s, "sale", so.number)
            inv = orders.invoice_order(s, so.number, on=day("2026-03-02")).reference
            pay.record_payment(s, "in", [pay.AllocationInput(inv, D(amount))],
                               on=day("2026-03-05"))
    assert_ok(shop)
    return make_runner(book_path)


def tamper(path, *statements):
    engine.execute(path, *statements)


def problems(cli):
    r = cli("check")
    assert r.exit_code == 1
    return r.stderr.splitlines()


def test_paid_amounts_and_status_changed_behind_its_back(paid_and_open, book_path):
    tamper(book_path,
           "UPDATE invoice SET paid = 4900 WHERE number = 'INV-2026-0001'",  # 49.00 of 59.00
           "UPDATE invoice SET status = 'paid' WHERE number = 'INV-2026-0002'",  # only that
           "UPDATE payment SET amount = 1200 WHERE number = 'PAY-2026-0002'")
    found = problems(paid_and_open)
    assert "INV-2026-0001: paid 49.00 differs from its allocations 59.00" in found
    assert "INV-2026-0001 is paid but should be open" in found
    assert "INV-2026-0002 is paid but should be open" in found
    assert "payment PAY-2026-0002: amount 12.00 differs from its entry's 10.00" in found
    assert not [p for p in found if p.startswith("INV-2026-0002: paid")]


def test_paid_above_the_gross_even_when_the_allocations_say_so(paid_and_open, book_path):
    tamper(book_path,
           "UPDATE invoice SET paid = 6000, status = 'open' WHERE number = 'INV-2026-0001'",
           "UPDATE payment_allocation SET amount = 6000 WHERE id = 1")
    found = problems(paid_and_open)
    assert "INV-2026-0001: paid 60.00 is outside 0..59.00" in found
    assert not [p for p in found if p.startswith("INV-2026-0001") and "outside" not in p]


def test_totals_that_differ_from_the_lines(paid_and_open, book_path):
    tamper(book_path,
           "UPDATE invoice SET vat = 500, gross = 3000 WHERE number = 'INV-2026-0002'",
           "UPDATE trade_order SET gross = 6000 WHERE number = 'SO-2026-0001'")
    found = problems(paid_and_open)
    assert "INV-2026-0002: totals 25.00 + 5.00 = 30.00 differ from its lines 25.00 + 4.50" \
        in found
    assert "SO-2026-0001: totals 50.00 + 9.00 = 60.00 differ from its lines 50.00 + 9.00" \
        in found
    assert not [p for p in found if p.startswith(("SO-2026-0002", "INV-2026-0001: totals"))]


def test_a_contacts_credit_below_zero(paid_and_open, book_path):
    """A write-off of -10.00 on PAY-2026-0001 (59.00, all allocated): its payments now
    leave the customer owing 10.00 more than they paid, which no refund may make."""
    tamper(book_path, "UPDATE payment SET written_off = -1000 WHERE number = 'PAY-2026-0001'")
    found = problems(paid_and_open)
    assert "Kartuli Foods LLC: refunds are 10.00 more than the customer's credit" in found
    assert "payment PAY-2026-0001: its allocations 59.00 are more than its amount and " \
           "write-off 49.00" in found


def _invoice_entry(book_path, number):
    return engine.rows(book_path, "SELECT e.id, e.number FROM journal_entry e JOIN invoice i "
                       "ON e.source = 'invoice' AND e.source_id = i.id WHERE i.number = ?",
                       (number,))


def test_a_documents_entries_against_its_status(paid_and_open, book_path):
    """INV-2026-0001's entry moved to INV-2026-0002 (none for one, two for the other);
    then, put back, INV-2026-0002 cancelled without a reversal and INV-2026-0001's entry
    reversed while it stays live."""
    (first_id, _first), = _invoice_entry(book_path, "INV-2026-0001")
    (_second_id, second), = _invoice_entry(book_path, "INV-2026-0002")
    moved = ("UPDATE journal_entry SET source_id = (SELECT id FROM invoice WHERE number = "
             f"'{{}}') WHERE id = {first_id}")
    engine.execute(book_path, moved.format("INV-2026-0002"), triggers=False)
    found = problems(paid_and_open)
    assert "invoice INV-2026-0001 has no journal entry" in found
    assert "invoice INV-2026-0002 has 2 journal entries" in found
    engine.execute(book_path, moved.format("INV-2026-0001"), triggers=False)
    tamper(book_path, "UPDATE invoice SET status = 'cancelled' WHERE number = 'INV-2026-0002'")
    engine.execute(book_path,
                   "INSERT INTO journal_entry (number, year, seq, date, memo, source, "
                   "reverses_id, created_at) VALUES ('JE-2026-0099', 2026, 99, '2026-03-06', "
                   f"'', 'manual', {first_id}, '2026-03-06 00:00:00')", triggers=False)
    found = problems(paid_and_open)
    assert f"invoice INV-2026-0002 is cancelled but its entry {second} was not reversed" \
        in found
    assert f"invoice INV-2026-0001 is live but its entry {_first} was reversed by " \
           "JE-2026-0099" in found
    assert not [p for p in found if p.startswith("invoice INV-2026-000") and "journal entr"
                in p]


def test_a_cancelled_invoices_reversal(paid_and_open, shop, book_path):
    """A cancelled invoice with its entry reversed passes (the counts agree); its
    reversal unlinked from the entry (the reversal's source is `reversal`) is found."""
    with shop.transaction() as s:
        so = orders.create_order(s, "sale", "Kartuli Foods LLC",
                                 [LineInput("TOOL-01", D(1), D("25.00"))], on=day("2026-03-02"))
        orders.confirm_order(s, "sale", so.number)
        number = orders.invoice_order(s, so.number, on=day("2026-03-02")).reference
        orders.cancel_order(s, "sale", so.number, on=day("2026-03-06"))
    assert number == "INV-2026-0003"
    assert_ok(shop)
    (entry_id, entry), = engine.rows(
        book_path, "SELECT e.id, e.number FROM journal_entry e JOIN invoice i "
        "ON e.source = 'invoice' AND e.source_id = i.id AND e.reverses_id IS NULL "
        "WHERE i.number = 'INV-2026-0003'")
    engine.execute(book_path, f"UPDATE journal_entry SET reverses_id = NULL "
                              f"WHERE reverses_id = {entry_id}", triggers=False)
    found = problems(paid_and_open)
    assert [p for p in found if p.startswith("invoice ")] == [
        f"invoice INV-2026-0003 is cancelled but its entry {entry} was not reversed"]
