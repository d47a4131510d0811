"""A service's expense account: a bill's line for it posts to the line's own account,
else the product's, else Other expenses (7900, the `expenses` role) — never Cost of goods
sold. Exact postings, hand-computed in the comments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.errors import ValidationError
from smallbiz.orders import credits
from smallbiz.orders import invoices as inv
from smallbiz.orders import service as orders
from smallbiz.orders.direct import DirectLine, issue_direct
from smallbiz.orders.lines import LineInput
from smallbiz.stock.service import add_product, edit_product, resolve_product
from tests.orders.conftest import assert_ok, day, rd, tx
from tests.orders.test_flows import postings


def electricity(db, account="6200"):
    return tx(db, add_product, "ELEC", "Electricity", price="0", cost="100.00",
              service=True, expense_account=account)


def bill_entry(db, number):
    return postings(db, rd(db, inv.show_invoice, number).entry_number)


def test_a_direct_bill_posts_to_the_line_then_the_product_then_other_expenses(shop):
    assert electricity(shop).expense_account == "6200"
    doc = tx(shop, issue_direct, "bill", "Batumi Supply", [
        DirectLine("ELEC", D(1)),  # the product's 6200: 100.00, VAT 18.00
        DirectLine("ELEC", D(2), account="6600"),  # the line's 6600: 200.00, VAT 36.00
        DirectLine("SVC-01", D(1), D("40.00")),  # no account: 7900, VAT 7.20
    ], on=day("2026-02-01"))
    assert bill_entry(shop, doc.number) == ("bill", {
        "6200": D("100.00"), "6600": D("200.00"), "7900": D("40.00"), "1300": D("61.20"),
        "2000": D("-401.20")})
    # a debit note on the product's line reverses it from the same account:
    # 100.00 + 18.00 VAT
    note = tx(shop, credits.issue_note, doc.number, lines={1: D(1)}, on=day("2026-02-02"))
    assert bill_entry(shop, note.number) == ("debit_note", {
        "2000": D("118.00"), "6200": D("-100.00"), "1300": D("-18.00")})
    assert_ok(shop)


def test_a_purchase_order_books_a_service_to_its_expense_account(shop):
    electricity(shop)
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("TOOL-01", D(10), D("12.00")), LineInput("ELEC", D(1))],
            on=day("2026-01-05"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    r = tx(shop, orders.receive_order, po.number, on=day("2026-01-06"))
    # hammers 120.00 into Inventory, electricity 100.00 to 6200; VAT 21.60 + 18.00
    assert bill_entry(shop, r.reference) == ("bill", {
        "1200": D("120.00"), "6200": D("100.00"), "1300": D("39.60"), "2000": D("-259.60")})
    assert_ok(shop)


def test_the_account_is_an_open_expense_account_of_a_service(shop):
    with pytest.raises(ValidationError, match="4000 Sales of goods is not an open expense"):
        electricity(shop, account="4000")
    with pytest.raises(ValidationError, match="only a service names an expense account"):
        tx(shop, edit_product, "TOOL-01", expense_account="6200")
    electricity(shop)
    p = tx(shop, edit_product, "ELEC", expense_account="6600")
    assert (p.expense_account, rd(shop, resolve_product, "ELEC").expense_account) == (
        "6600", "6600")
    tx(shop, edit_product, "ELEC", expense_account="")
    assert rd(shop, resolve_product, "ELEC").expense_account is None
    doc = tx(shop, issue_direct, "bill", "Batumi Supply", [DirectLine("ELEC", D(1))],
             on=day("2026-02-01"))
    assert bill_entry(shop, doc.number)[1]["7900"] == D("100.00")


def test_the_cli(shop, book_path):
    from tests.conftest import make_runner

    shop.dispose()
    run = make_runner(book_path)
    r = run("product", "add", "RENT", "Office rent", "--price", "0", "--cost", "500",
            "--service", "--vat", "0", "--expense-account", "6000")
    assert (r.exit_code, r.stdout) == (0, "RENT\n"), r.stderr
    assert run("product", "show", "RENT", "--json").json()["expense_account"] == "6000"
    r = run("bill", "new", "Batumi Supply", "--line", "RENT=1", "--date", "2026-02-01",
            "--json")
    assert r.exit_code == 0, r.stderr
    entry = run("journal", "show", r.json()["entry"], "--json").json()
    assert [(p["account"], p["amount"]) for p in entry["postings"]] == [
        ("6000", "500.00"), ("2000", "-500.00")]
    r = run("product", "edit", "RENT", "--expense-account", "4000")
    assert (r.exit_code, r.stderr) == (
        1, "error: --expense-account: 4000 Sales of goods is not an open expense account\n")
    assert run("check").exit_code == 0
