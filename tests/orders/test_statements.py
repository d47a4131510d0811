"""Issue 17's statements and reminders, with a hand-computed statement (a hammer is 25.00
+ 18 % VAT = 29.50; the book's terms are 30 days, ნინო's 14)."""

from __future__ import annotations

from decimal import Decimal as D

import pypdf
import pytest

from smallbiz.orders import payments as pay
from smallbiz.orders import statements
from tests.conftest import make_runner
from tests.orders.conftest import assert_ok, day, rd, tx
from tests.orders.test_payments_multi import invoice

A = pay.AllocationInput


@pytest.fixture
def month(shop):
    assert invoice(shop, 2, on="2026-01-10") == "INV-2026-0001"  # 59.00, due 02-09
    assert invoice(shop, 1, on="2026-02-05") == "INV-2026-0002"  # 29.50, due 03-07
    tx(shop, pay.record_payment, "in", [A("INV-2026-0001")], amount=D("58.95"),
       write_off="6800", on=day("2026-02-10"))  # PAY-2026-0001
    assert invoice(shop, 4, on="2026-03-01") == "INV-2026-0003"  # 118.00, due 03-31
    assert invoice(shop, 1, on="2026-03-01", customer="ნინო ბერიძე") == "INV-2026-0004"
    tx(shop, pay.record_payment, "in", [A("INV-2026-0002")], amount=D("40.00"),
       keep_credit=True, on=day("2026-03-05"))  # PAY-2026-0002: 10.50 credit
    assert_ok(shop)
    return shop


def test_the_statement_of_a_period(month):
    st = rd(month, statements.statement, "Kartuli Foods LLC", start=day("2026-02-01"),
            end=day("2026-04-15"))
    assert st.opening == D("59.00")
    assert [(ln.date.isoformat(), ln.kind, ln.reference, ln.amount, ln.balance)
            for ln in st.lines] == [
        ("2026-02-05", "invoice", "INV-2026-0002", D("29.50"), D("88.50")),
        ("2026-02-10", "payment", "PAY-2026-0001", D("-58.95"), D("29.55")),
        ("2026-02-10", "write_off", "PAY-2026-0001", D("-0.05"), D("29.50")),
        ("2026-03-01", "invoice", "INV-2026-0003", D("118.00"), D("147.50")),
        ("2026-03-05", "payment", "PAY-2026-0002", D("-40.00"), D("107.50"))]
    assert st.totals == {"invoice": D("147.50"), "payment": D("-98.95"),
                         "write_off": D("-0.05"), "credit": D("0.00"), "refund": D("0.00"),
                         "cancellation": D("0.00"),
                         "other": D("0.00")}
    assert st.closing == D("107.50")
    assert [(i.number, i.balance_due, i.days_overdue, i.bucket) for i in st.open_items] == [
        ("INV-2026-0003", D("118.00"), 15, "0-30")]
    assert st.unapplied_credit == D("10.50")
    assert st.closing == sum(i.balance_due for i in st.open_items) - st.unapplied_credit
    assert st.aging["0-30"] == D("118.00")

    # as of an earlier day: what was open then
    early = rd(month, statements.statement, "Kartuli", start=day("2026-01-01"),
               end=day("2026-02-07"))
    assert (early.opening, early.closing) == (D("0.00"), D("88.50"))
    assert [(i.number, i.balance_due, i.bucket) for i in early.open_items] == [
        ("INV-2026-0001", D("59.00"), "current"), ("INV-2026-0002", D("29.50"), "current")]
    assert early.unapplied_credit == D("0.00")


def test_reminders_per_customer_with_days_overdue(month):
    found = rd(month, statements.reminders, day("2026-04-15"))
    assert [(r.contact, r.days_overdue, r.total, [(i.number, i.days_overdue)
                                                  for i in r.invoices]) for r in found] == [
        ("ნინო ბერიძე", 31, D("29.50"), [("INV-2026-0004", 31)]),
        ("Kartuli Foods LLC", 15, D("118.00"), [("INV-2026-0003", 15)])]
    assert rd(month, statements.reminders, day("2026-03-15")) == []


def test_the_cli_table_json_and_pdf(month, book_path, tmp_path):
    month.dispose()
    run = make_runner(book_path)
    r = run("report", "statement", "Kartuli", "--from", "2026-02-01", "--to", "2026-04-15",
            "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert (data["opening_balance"], data["closing_balance"], data["unapplied_credit"]) == (
        "59.00", "107.50", "10.50")
    assert data["lines"][2] == {"date": "2026-02-10", "kind": "write_off",
                                "reference": "PAY-2026-0001", "entry": "JE-2026-0003",
                                "description": "Written off", "amount": "-0.05",
                                "balance": "29.50"}
    assert data["open"] == [{"number": "INV-2026-0003", "date": "2026-03-01",
                             "due_date": "2026-03-31", "balance_due": "118.00",
                             "days_overdue": 15, "bucket": "0-30"}]
    r = run("report", "statement", "Kartuli", "--from", "2026-02-01", "--to", "2026-04-15")
    assert r.exit_code == 0 and "Closing balance" in r.stdout and "107.50" in r.stdout
    out = tmp_path / "st.pdf"
    r = run("report", "statement", "Kartuli", "--from", "2026-02-01", "--to", "2026-04-15",
            "--pdf", str(out))
    assert r.exit_code == 0, r.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    for expected in ("Statement of account", "Kartuli Foods LLC", "Opening balance", "59.00",
                     "INV-2026-0003", "Closing balance", "107.50", "-10.50"):
        assert expected in text
    r = run("report", "reminders", "--as-of", "2026-04-15", "--json")
    assert [(x["contact"], x["days_overdue"]) for x in r.json()] == [
        ("ნინო ბერიძე", 31), ("Kartuli Foods LLC", 15)]
