"""Credit notes on paid invoices (debit notes on paid bills) and the refund of what the
contact is then owed, with the exact postings a user would check (hand-computed in the
comments): the note frees what it credits beyond the balance due from the payments, the
contact holds that as credit, `refund_credit` pays it back from the bank."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.orders import credits, reports, statements
from smallbiz.orders import invoices as inv
from smallbiz.orders import payments as pay
from smallbiz.orders.direct import DirectLine, issue_direct
from tests.orders.conftest import assert_ok, balances, day, rd, tx
from tests.orders.test_flows import postings


def three_hours(db, on="2026-02-02"):
    """INV-2026-0001: 3 installation hours × 40.00 = 120.00, VAT 21.60, gross 141.60."""
    return tx(db, issue_direct, "invoice", "Kartuli Foods LLC", [DirectLine("SVC-01", D(3))],
              on=day(on))


def credit_of(db, direction="in", contact="Kartuli Foods LLC"):
    with db.read() as s:
        from smallbiz.crm.service import resolve_contact

        return pay.contact_credit(s, direction, resolve_contact(s, contact).id)


def test_a_credit_note_on_a_paid_invoice_is_refunded(shop):
    three_hours(shop)
    paid = tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001")],
              on=day("2026-02-05"))
    assert (paid.number, paid.amount) == ("PAY-2026-0001", D("141.60"))
    # one hour back: 40.00 + VAT 18 % 7.20 = 47.20, all of it beyond the balance due 0.00
    note = tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(1)},
              on=day("2026-02-10"))
    assert postings(shop, rd(shop, inv.show_invoice, note.number).entry_number) == (
        "credit_note", {"4100": D("40.00"), "2100": D("7.20"), "1100": D("-47.20")})
    invoice = rd(shop, inv.show_invoice, "INV-2026-0001")
    # paid 141.60 - 47.20 freed = 94.40, credited 47.20: nothing due, the invoice is paid
    assert (invoice.paid, invoice.credited, invoice.balance_due, invoice.status) == (
        D("94.40"), D("47.20"), D("0.00"), "paid")
    assert credit_of(shop) == D("47.20")
    view = rd(shop, pay.show_payment, "PAY-2026-0001")
    assert [(a.invoice, a.amount, a.applied_on) for a in view.allocations] == [
        ("INV-2026-0001", D("141.60"), day("2026-02-05")),
        ("INV-2026-0001", D("-47.20"), day("2026-02-10"))]
    assert view.credit == D("47.20")
    # the aging: nothing open, the credit beside it, the customer's total net
    aging = rd(shop, reports.aging, as_of=day("2026-02-10"))
    assert [(r.contact, r.documents, sum(r.buckets.values()), r.credit, r.total)
            for r in aging.rows] == [("Kartuli Foods LLC", 0, D("0.00"), D("47.20"),
                                      D("-47.20"))]
    assert (aging.credit, aging.total) == (D("47.20"), D("-47.20"))
    assert rd(shop, reports.aging, as_of=day("2026-02-09")).rows == []
    # the sales of February: 120.00 (VAT 21.60) invoiced less 40.00 (7.20) credited
    sales = rd(shop, reports.sales_report, day("2026-02-01"), day("2026-02-28"))
    assert [(r.key, r.documents, r.net, r.vat, r.gross) for r in sales.rows] == [
        ("Kartuli Foods LLC", 1, D("80.00"), D("14.40"), D("94.40"))]
    by_product = rd(shop, reports.sales_report, day("2026-02-01"), day("2026-02-28"),
                    by="product")
    assert [(r.key, r.documents, r.quantity, r.net) for r in by_product.rows] == [
        ("SVC-01", 1, D(2), D("80.00"))]
    # a note counts in its own period: January's sales do not see it
    assert rd(shop, reports.sales_report, day("2026-02-01"), day("2026-02-09")).net == D(
        "120.00")
    assert_ok(shop)

    with pytest.raises(RuleViolation, match="more than Kartuli Foods LLC's credit 47.20"):
        tx(shop, pay.refund_credit, "in", "Kartuli Foods LLC", D("50.00"))
    with pytest.raises(ValidationError, match="refund date: 2026-02-09 is before 2026-02-10"):
        tx(shop, pay.refund_credit, "in", "Kartuli Foods LLC", on=day("2026-02-09"))
    refund = tx(shop, pay.refund_credit, "in", "Kartuli Foods LLC", on=day("2026-02-12"))
    # Dr Receivable 47.20 (the customer), Cr Bank 47.20
    assert (refund.number, refund.amount, refund.refund, refund.credit) == (
        "PAY-2026-0002", D("-47.20"), True, D("0.00"))
    assert postings(shop, refund.entry_number) == ("payment", {
        "1100": D("47.20"), "1010": D("-47.20")})
    assert credit_of(shop) == D("0.00")
    b = balances(shop)
    # bank: 141.60 in, 47.20 out; revenue 120.00 - 40.00; VAT 21.60 - 7.20; receivable 0
    assert (b["1010"], b["4100"], b["2100"], b.get("1100", D(0))) == (
        D("94.40"), D("-80.00"), D("-14.40"), D("0.00"))
    with pytest.raises(RuleViolation, match="has no credit to refund"):
        tx(shop, pay.refund_credit, "in", "Kartuli Foods LLC")
    # the payment's credit went back to the customer: it cannot be cancelled before it
    with pytest.raises(RuleViolation, match="refunded by PAY-2026-0002; cancel the refund"):
        tx(shop, pay.cancel_payment, "PAY-2026-0001", on=day("2026-02-13"))
    st = rd(shop, statements.statement, "Kartuli Foods LLC", start=day("2026-02-01"),
            end=day("2026-02-28"))
    assert [(ln.kind, ln.reference, ln.amount, ln.balance) for ln in st.lines] == [
        ("invoice", "INV-2026-0001", D("141.60"), D("141.60")),
        ("payment", "PAY-2026-0001", D("-141.60"), D("0.00")),
        ("credit", "CN-2026-0001", D("-47.20"), D("-47.20")),
        ("refund", "PAY-2026-0002", D("47.20"), D("0.00"))]
    assert (st.closing, st.unapplied_credit) == (D("0.00"), D("0.00"))
    assert_ok(shop)

    # cancelling the refund gives the customer the credit again
    tx(shop, pay.cancel_payment, "PAY-2026-0002", on=day("2026-02-14"))
    assert credit_of(shop) == D("47.20")
    assert_ok(shop)


def test_a_partial_credit_note_on_a_partly_paid_invoice_and_a_partial_refund(shop):
    three_hours(shop)
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("100.00"))],
       on=day("2026-02-05"))
    # two hours back: 80.00 + VAT 14.40 = 94.40; the balance due is 41.60, so 52.80 of
    # the payment is freed: paid 47.20, credited 94.40, together the gross 141.60
    note = tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(2)},
              on=day("2026-02-10"))
    assert postings(shop, rd(shop, inv.show_invoice, note.number).entry_number) == (
        "credit_note", {"4100": D("80.00"), "2100": D("14.40"), "1100": D("-94.40")})
    invoice = rd(shop, inv.show_invoice, "INV-2026-0001")
    assert (invoice.paid, invoice.credited, invoice.status) == (
        D("47.20"), D("94.40"), "paid")
    assert credit_of(shop) == D("52.80")
    refund = tx(shop, pay.refund_credit, "in", "Kartuli Foods LLC", D("50.00"),
                on=day("2026-02-11"), account="1000")
    assert postings(shop, refund.entry_number) == ("payment", {
        "1100": D("50.00"), "1000": D("-50.00")})
    assert credit_of(shop) == D("2.80")
    assert [(c.payment, c.credit) for c in rd(
        shop, pay.open_credits, "in", invoice.contact_id)] == [("PAY-2026-0001", D("2.80"))]
    # the 2.80 left goes to the next invoice
    three_hours(shop, on="2026-02-15")
    [applied] = tx(shop, pay.apply_credit, "in", "Kartuli Foods LLC", on=day("2026-02-15"))
    assert [(a.payment, a.invoice, a.amount, a.balance_due) for a in applied.applications] == [
        ("PAY-2026-0001", "INV-2026-0002", D("2.80"), D("138.80"))]
    assert credit_of(shop) == D("0.00")
    assert_ok(shop)


def test_a_debit_note_on_a_paid_bill_and_the_supplier_refund(shop):
    bill = tx(shop, issue_direct, "bill", "Batumi Supply",
              [DirectLine("Electricity January", D(1), D("200.00"), account="6200")],
              on=day("2026-02-01"))
    # 200.00 + VAT 36.00 = 236.00
    tx(shop, pay.record_payment, "out", [pay.AllocationInput(bill.number)],
       on=day("2026-02-03"))
    # the supplier credits a quarter of it: 50.00 + VAT 9.00 = 59.00, beyond the
    # balance due 0.00: the supplier owes it back
    note = tx(shop, credits.issue_note, bill.number, lines={1: D("0.25")},
              on=day("2026-02-06"))
    assert (note.number, note.gross) == ("DN-2026-0001", D("59.00"))
    assert postings(shop, rd(shop, inv.show_invoice, note.number).entry_number) == (
        "debit_note", {"2000": D("59.00"), "6200": D("-50.00"), "1300": D("-9.00")})
    assert credit_of(shop, "out", "Batumi Supply") == D("59.00")
    payables = rd(shop, reports.aging, payables=True, as_of=day("2026-02-06"))
    assert [(r.contact, r.credit, r.total) for r in payables.rows] == [
        ("Batumi Supply", D("59.00"), D("-59.00"))]
    assert_ok(shop)
    back = tx(shop, pay.refund_credit, "out", "Batumi Supply", on=day("2026-02-08"))
    # Dr Bank 59.00, Cr Payable 59.00 (the supplier)
    assert postings(shop, back.entry_number) == ("payment", {
        "1010": D("59.00"), "2000": D("-59.00")})
    b = balances(shop)
    # bank: 236.00 out, 59.00 back; expense 150.00; input VAT 27.00; payable 0
    assert (b["1010"], b["6200"], b["1300"], b.get("2000", D(0))) == (
        D("-177.00"), D("150.00"), D("27.00"), D("0.00"))
    assert credit_of(shop, "out", "Batumi Supply") == D("0.00")
    aging = rd(shop, reports.aging, payables=True, as_of=day("2026-02-28"))
    assert aging.total == D("0.00")
    assert_ok(shop)


def test_a_note_cannot_free_a_payment_dated_after_it_nor_a_write_off(shop):
    three_hours(shop)
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0001", D("141.55"))],
       on=day("2026-02-05"), write_off="6800")
    with pytest.raises(RuleViolation, match="settled with a write-off by PAY-2026-0001"):
        tx(shop, credits.issue_note, "INV-2026-0001", lines={1: D(1)}, on=day("2026-02-06"))
    three_hours(shop, on="2026-02-02")
    tx(shop, pay.record_payment, "in", [pay.AllocationInput("INV-2026-0002")],
       on=day("2026-02-09"))
    with pytest.raises(ValidationError, match="before PAY-2026-0002 of 2026-02-09"):
        tx(shop, credits.issue_note, "INV-2026-0002", lines={1: D(1)}, on=day("2026-02-08"))
    assert_ok(shop)


def test_the_cli(shop, book_path, tmp_path):
    from tests.conftest import make_runner

    three_hours(shop)
    shop.dispose()
    run = make_runner(book_path)
    assert run("pay", "in", "--invoice", "INV-2026-0001", "--date", "2026-02-05").exit_code == 0
    r = run("credit", "new", "INV-2026-0001", "--date", "2026-02-10")
    assert r.exit_code == 0, r.stderr
    assert run("pay", "credit", "Kartuli", "--json").json()["credit"] == "141.60"
    r = run("report", "aging", "--as-of", "2026-02-10")
    assert r.exit_code == 0, r.stderr
    assert "Credit" in r.stdout and "-141.60" in r.stdout
    r = run("pay", "refund", "Kartuli", "100", "--date", "2026-02-11")
    assert (r.exit_code, r.stdout) == (0, "PAY-2026-0002\n"), r.stderr
    r = run("pay", "refund", "Kartuli", "--date", "2026-02-12", "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["amount"], r.json()["refund"], r.json()["allocations"]) == (
        "-41.60", True, [])
    r = run("pay", "refund", "Kartuli")
    assert (r.exit_code, r.stderr) == (
        1, "error: Kartuli Foods LLC has no credit to refund\n")
    # the statement (its PDF too) lists the credit note and both refunds
    r = run("report", "statement", "Kartuli", "--from", "2026-02-01", "--to", "2026-02-28",
            "--json")
    assert [ln["kind"] for ln in r.json()["lines"]] == [
        "invoice", "payment", "credit", "refund", "refund"]
    pdf = tmp_path / "statement.pdf"
    r = run("report", "statement", "Kartuli", "--from", "2026-02-01", "--to", "2026-02-28",
            "--pdf", str(pdf))
    assert r.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF"), r.stderr
    assert run("check").exit_code == 0
