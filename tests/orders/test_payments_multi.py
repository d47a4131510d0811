"""Issue 17's payments: one payment over several invoices, overpayment kept as credit and
applied later, write-off of a small remainder, the same for bills — with the exact
postings, balances and document states a user would check (shop: a hammer is 25.00 + 18 %
VAT = 29.50; 50 hammers bought at 12.00 are a bill of 708.00)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.app.book import Book
from smallbiz.books.journal import show_entry
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.orders import invoices as inv
from smallbiz.orders import payments as pay
from smallbiz.orders import reports
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from tests.orders.conftest import assert_ok, balances, day, rd, tx

A = pay.AllocationInput


def lines(db, number):
    """(account, amount, memo) of every posting of an entry, in order."""
    return [(p.account_code, p.amount, p.memo) for p in rd(db, show_entry, number).postings]


def invoice(db, hammers, on="2026-03-02", customer="Kartuli Foods LLC"):
    so = tx(db, orders.create_order, "sale", customer,
            [LineInput("TOOL-01", D(hammers))], on=day(on))
    tx(db, orders.confirm_order, "sale", so.number)
    return tx(db, orders.invoice_order, so.number, on=day(on)).reference


def due(db, number):
    v = rd(db, inv.show_invoice, number)
    return v.status, v.paid, v.balance_due


def owed(db, as_of):
    """Kartuli's receivable per the aging report as of a day."""
    rows = rd(db, reports.aging, as_of=day(as_of)).rows
    return {r.contact: r.total for r in rows}.get("Kartuli Foods LLC", D("0.00"))


def open_and_credit(db, as_of):
    """Kartuli's aging row as of a day: the buckets' sum, the credit, the net total."""
    row = next(r for r in rd(db, reports.aging, as_of=day(as_of)).rows
               if r.contact == "Kartuli Foods LLC")
    return sum(row.buckets.values()), row.credit, row.total


@pytest.fixture
def two_invoices(shop):
    assert invoice(shop, 2) == "INV-2026-0001"  # 59.00
    assert invoice(shop, 1) == "INV-2026-0002"  # 29.50
    return shop


def test_one_payment_fills_the_invoices_in_the_order_given(two_invoices):
    db = two_invoices
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0001"), A("INV-2026-0002")],
           amount=D("70.00"), on=day("2026-03-10"))
    assert (p.number, p.amount, p.credit, p.written_off) == (
        "PAY-2026-0001", D("70.00"), D("0.00"), D("0.00"))
    assert [(a.invoice, a.amount, a.balance_due) for a in p.allocations] == [
        ("INV-2026-0001", D("59.00"), D("0.00")), ("INV-2026-0002", D("11.00"), D("18.50"))]
    assert lines(db, p.entry_number) == [
        ("1010", D("70.00"), "PAY-2026-0001"), ("1100", D("-59.00"), "INV-2026-0001"),
        ("1100", D("-11.00"), "INV-2026-0002")]
    assert due(db, "INV-2026-0001") == ("paid", D("59.00"), D("0.00"))
    assert due(db, "INV-2026-0002") == ("open", D("11.00"), D("18.50"))
    assert balances(db)["1100"] == D("18.50")
    assert_ok(db)


def test_explicit_amounts_first_then_the_rest(two_invoices):
    db = two_invoices
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0001"), A("INV-2026-0002", D("20.00"))],
           amount=D("30.00"), on=day("2026-03-10"))
    assert [(a.invoice, a.amount) for a in p.allocations] == [
        ("INV-2026-0001", D("10.00")), ("INV-2026-0002", D("20.00"))]
    with pytest.raises(ValidationError, match="amount: 10.00 is less than the amounts "
                                              r"allocated \(20.00\)"):
        tx(db, pay.record_payment, "in", [A("INV-2026-0001", D("20.00"))], amount=D("10.00"))
    # no amount: every listed invoice is paid in full
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0001"), A("INV-2026-0002")],
           on=day("2026-03-11"))
    assert (p.amount, [a.amount for a in p.allocations]) == (
        D("58.50"), [D("49.00"), D("9.50")])
    assert_ok(db)


def test_overpayment_is_refused_unless_kept_as_credit(two_invoices):
    db = two_invoices
    with pytest.raises(RuleViolation, match=r"INV-2026-0002: paying 40.00 is more than the "
                                            r"balance due 29.50; --credit keeps the rest "
                                            r"\(10.50\) as Kartuli Foods LLC's credit"):
        tx(db, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("40.00"))
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("40.00"),
           keep_credit=True, on=day("2026-03-10"))
    assert (p.amount, p.credit) == (D("40.00"), D("10.50"))
    assert lines(db, p.entry_number) == [
        ("1010", D("40.00"), "PAY-2026-0001"), ("1100", D("-29.50"), "INV-2026-0002"),
        ("1100", D("-10.50"), "credit PAY-2026-0001")]
    # Receivable of Kartuli: 59.00 open on INV-2026-0001 less the 10.50 credit
    assert balances(db)["1100"] == D("48.50")
    assert_ok(db)
    assert [(c.payment, c.credit) for c in rd(db, pay.open_credits, "in", p.contact_id)] == [
        ("PAY-2026-0001", D("10.50"))]
    extra = Book(db).contact_360("Kartuli Foods LLC").extra  # the 360 view says so too
    assert (extra["total_owed"], extra["credit"]) == (D("59.00"), D("10.50"))

    [applied] = tx(db, pay.apply_credit, "in", "Kartuli Foods LLC", on=day("2026-03-20"))
    assert [(a.payment, a.invoice, a.amount, a.balance_due) for a in applied.applications] == [
        ("PAY-2026-0001", "INV-2026-0001", D("10.50"), D("48.50"))]
    assert applied.credit_left == D("0.00")
    assert due(db, "INV-2026-0001") == ("open", D("10.50"), D("48.50"))
    assert balances(db)["1100"] == D("48.50")  # no entry: the receivable held the credit
    shown = rd(db, pay.show_payment, "PAY-2026-0001")
    assert (shown.credit, [(a.invoice, a.amount, a.applied_on) for a in shown.allocations]) == (
        D("0.00"), [("INV-2026-0002", D("29.50"), day("2026-03-10")),
                    ("INV-2026-0001", D("10.50"), day("2026-03-20"))])
    # the aging sees the application on its day, not the payment's: before it, 59.00
    # open and the 10.50 credit beside it (net 48.50); after it, 48.50 open
    assert open_and_credit(db, "2026-03-15") == (D("59.00"), D("10.50"), D("48.50"))
    assert open_and_credit(db, "2026-03-20") == (D("48.50"), D("0.00"), D("48.50"))
    assert_ok(db)
    with pytest.raises(RuleViolation, match="Kartuli Foods LLC has no credit to apply"):
        tx(db, pay.apply_credit, "in", "Kartuli Foods LLC")

    # cancelling the payment undoes the application too
    tx(db, pay.cancel_payment, "PAY-2026-0001", on=day("2026-03-25"))
    assert due(db, "INV-2026-0001") == ("open", D("0.00"), D("59.00"))
    assert due(db, "INV-2026-0002") == ("open", D("0.00"), D("29.50"))
    assert balances(db)["1100"] == D("88.50")
    assert_ok(db)


def test_an_advance_with_no_invoice_then_applied(shop):
    p = tx(shop, pay.record_payment, "in", [], contact="Kartuli Foods LLC",
           amount=D("100.00"), on=day("2026-03-01"))
    assert (p.credit, p.allocations) == (D("100.00"), [])
    assert lines(shop, p.entry_number) == [
        ("1010", D("100.00"), "PAY-2026-0001"), ("1100", D("-100.00"), "credit PAY-2026-0001")]
    assert_ok(shop)
    invoice(shop, 2, on="2026-03-02")
    [applied] = tx(shop, pay.apply_credit, "in", "Kartuli Foods LLC", on=day("2026-03-02"))
    assert (applied.credit_left, due(shop, "INV-2026-0001")) == (
        D("41.00"), ("paid", D("59.00"), D("0.00")))
    assert balances(shop)["1100"] == D("-41.00")
    assert_ok(shop)
    with pytest.raises(ValidationError, match="a payment needs at least one invoice"):
        tx(shop, pay.record_payment, "in", [], amount=D("1.00"))


def test_write_off_of_a_small_remainder(two_invoices):
    db = two_invoices
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0001")], amount=D("58.95"),
           write_off="6800", on=day("2026-03-10"))
    assert (p.amount, p.written_off, p.write_off_account) == (D("58.95"), D("0.05"), "6800")
    assert lines(db, p.entry_number) == [
        ("1010", D("58.95"), "PAY-2026-0001"), ("6800", D("0.05"), "write-off PAY-2026-0001"),
        ("1100", D("-58.95"), "INV-2026-0001"),
        ("1100", D("-0.05"), "INV-2026-0001 written off")]
    assert due(db, "INV-2026-0001") == ("paid", D("59.00"), D("0.00"))
    b = balances(db)
    assert (b["1010"], b["6800"], b["1100"]) == (D("58.95"), D("0.05"), D("29.50"))
    assert_ok(db)
    with pytest.raises(ValidationError, match="--write-off: 1010 Bank account is not an "
                                              "expense or income account"):
        tx(db, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("29.00"),
           write_off="1010")
    with pytest.raises(RuleViolation, match="nothing remains of INV-2026-0002 to write off"):
        tx(db, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("29.50"),
           write_off="6800")
    tx(db, pay.cancel_payment, "PAY-2026-0001", on=day("2026-03-11"))
    assert due(db, "INV-2026-0001") == ("open", D("0.00"), D("59.00"))
    assert "6800" not in balances(db)
    assert_ok(db)


def test_bills_mirror_it_credit_and_write_off(shop):
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(50), D("12.00"))], on=day("2026-01-05"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    tx(shop, orders.receive_order, po.number, on=day("2026-01-06"))  # BILL-2026-0001, 708.00
    p = tx(shop, pay.record_payment, "out", [A("BILL-2026-0001")], amount=D("707.98"),
           write_off="4900", on=day("2026-01-20"), account="1000")
    assert lines(shop, p.entry_number) == [
        ("1000", D("-707.98"), "PAY-2026-0001"), ("4900", D("-0.02"), "write-off PAY-2026-0001"),
        ("2000", D("707.98"), "BILL-2026-0001"),
        ("2000", D("0.02"), "BILL-2026-0001 written off")]
    assert due(shop, "BILL-2026-0001") == ("paid", D("708.00"), D("0.00"))
    assert_ok(shop)
    # a supplier's refund due: we paid 20.00 too much on the next bill
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(5), D("12.00"))], on=day("2026-02-01"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    tx(shop, orders.receive_order, po.number, on=day("2026-02-01"))  # BILL-2026-0002, 70.80
    p = tx(shop, pay.record_payment, "out", [A("BILL-2026-0002")], amount=D("90.80"),
           keep_credit=True, on=day("2026-02-02"))
    assert lines(shop, p.entry_number) == [
        ("1010", D("-90.80"), "PAY-2026-0002"), ("2000", D("70.80"), "BILL-2026-0002"),
        ("2000", D("20.00"), "credit PAY-2026-0002")]
    assert balances(shop)["2000"] == D("20.00")
    assert_ok(shop)


def test_documents_of_two_contacts_are_refused(shop):
    invoice(shop, 1)
    invoice(shop, 1, customer="ნინო ბერიძე")
    with pytest.raises(RuleViolation, match="belong to different contacts"):
        tx(shop, pay.record_payment, "in", [A("INV-2026-0001"), A("INV-2026-0002")],
           amount=D("10.00"))
    with pytest.raises(RuleViolation, match="INV-2026-0001 is not ნინო ბერიძე's"):
        tx(shop, pay.record_payment, "in", [A("INV-2026-0001")], amount=D("10.00"),
           contact="ნინო ბერიძე")


def test_the_cli(two_invoices, book_path):
    from tests.conftest import make_runner

    two_invoices.dispose()
    run = make_runner(book_path)
    r = run("pay", "in", "--invoice", "INV-2026-0001=20", "--invoice", "INV-2026-0002",
            "30", "--date", "2026-03-10")
    assert (r.exit_code, r.stdout) == (0, "PAY-2026-0001\n"), r.stderr
    r = run("pay", "in", "INV-2026-0002", "30", "--credit", "--date", "2026-03-11", "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["credit"], r.json()["allocations"]) == ("10.50", [
        {"invoice": "INV-2026-0002", "amount": "19.50", "balance_due": "0.00",
         "applied_on": "2026-03-11"}])
    assert run("pay", "credit", "Kartuli", "--json").json() == {
        "contact": "Kartuli Foods LLC", "credit": "10.50",
        "payments": [{"number": "PAY-2026-0002", "date": "2026-03-11", "credit": "10.50"}]}
    r = run("pay", "apply", "Kartuli", "--json", "--date", "2026-03-12")
    assert r.json()["applications"] == [{"payment": "PAY-2026-0002", "invoice":
                                         "INV-2026-0001", "amount": "10.50",
                                         "balance_due": "28.50", "currency": "GEL"}]
    assert (r.json()["credit_left"], r.json()["credits"]) == (
        "0.00", [{"currency": "GEL", "applied": "10.50", "credit_left": "0.00"}])
    r = run("pay", "in", "--invoice", "INV-2026-0001", "28.45", "--write-off", "6800",
            "--date", "2026-03-13")
    assert (r.exit_code, r.stdout, r.stderr) == (
        0, "PAY-2026-0003\n", "written off 0.05 to 6800\n")
    r = run("pay", "in", "INV-2026-0001", "1", "--invoice", "INV-2026-0002")
    assert (r.exit_code, r.stderr) == (
        1, "error: expected INVOICE AMOUNT, or --invoice ... [AMOUNT]\n")
    assert run("check").exit_code == 0


def test_a_write_off_alone(two_invoices):
    db = two_invoices
    p = tx(db, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("0.00"),
           write_off="7900", on=day("2026-03-31"))
    assert (p.amount, p.written_off) == (D("0.00"), D("29.50"))
    assert lines(db, p.entry_number) == [
        ("7900", D("29.50"), "write-off PAY-2026-0001"),
        ("1100", D("-29.50"), "INV-2026-0002 written off")]
    assert due(db, "INV-2026-0002") == ("paid", D("29.50"), D("0.00"))
    assert_ok(db)
    with pytest.raises(ValidationError, match="amount: 0.00 must be more than 0"):
        tx(db, pay.record_payment, "in", [A("INV-2026-0001")], amount=D("0.00"))
