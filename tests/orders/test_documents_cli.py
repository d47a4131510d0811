"""Issue 17's documents through the real CLI: partial receipts, shipments and invoices,
direct invoices and bills, credit notes with a return, quotes; JSON asserted, refusals
change nothing, `check` holds at the end."""

from __future__ import annotations

import pypdf

from tests.conftest import content_hash
from tests.orders.test_cli import ok, setup_script


def test_the_month_of_paperwork(cli, book_path, tmp_path):
    setup_script(cli)
    ok(cli, "purchase", "new", "Batumi Supply", "--line", "TOOL-01=50@12.00", "--date",
       "2026-01-05")
    ok(cli, "purchase", "confirm", "PO-2026-0001")
    assert ok(cli, "purchase", "receive", "PO-2026-0001", "--line", "1=20", "--date",
              "2026-01-06").stdout == "BILL-2026-0001\n"
    assert ok(cli, "purchase", "receive", "PO-2026-0001", "--date", "2026-01-07"
              ).stdout == "BILL-2026-0002\n"

    ok(cli, "sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=30", "--line", "SVC-01=2",
       "--date", "2026-01-10")
    ok(cli, "sale", "confirm", "SO-2026-0001")
    shipped = ok(cli, "sale", "ship", "SO-2026-0001", "--line", "1=10", "--date",
                 "2026-01-12", "--json").json()
    assert (shipped["status"], shipped["stock_value"]) == ("shipped", "120.00")
    assert ok(cli, "sale", "invoice", "SO-2026-0001", "--date", "2026-01-12"
              ).stdout == "INV-2026-0001\n"
    order = ok(cli, "sale", "show", "SO-2026-0001", "--json").json()
    assert order["progress"] == [
        {"line": 1, "sku": "TOOL-01", "ordered": "30", "shipped": "10", "invoiced": "10",
         "open": "20", "open_to_invoice": "20"},
        {"line": 2, "sku": "SVC-01", "ordered": "2", "shipped": "2", "invoiced": "2",
         "open": "0", "open_to_invoice": "0"}]
    assert "Progress" in ok(cli, "sale", "show", "SO-2026-0001").stdout
    # the rest of it, invoiced before it ships
    assert ok(cli, "sale", "invoice", "SO-2026-0001", "--all", "--date", "2026-01-13"
              ).stdout == "INV-2026-0002\n"

    direct = ok(cli, "invoice", "new", "Kartuli Foods LLC", "--line", "SVC-01=3", "--line",
                "Consulting=2@100.00;account=4900", "--date", "2026-02-02", "--json").json()
    assert (direct["number"], direct["gross"], direct["order"]) == (
        "INV-2026-0003", "377.60", None)
    bill = ok(cli, "bill", "new", "Batumi Supply", "--line",
              "Electricity November=1@100.00;account=6200", "--line",
              "Rent November=1@500.00;account=6000;vat=0", "--date", "2026-11-30",
              "--json").json()
    assert (bill["number"], bill["gross"], bill["supplier"]) == (
        "BILL-2026-0003", "618.00", "Batumi Supply")
    ledger = ok(cli, "report", "ledger", "6200", "--json").json()
    assert ledger["rows"][-1]["balance"] == "100.00"

    note = ok(cli, "credit", "new", "INV-2026-0001", "--line", "1=3", "--return", "--date",
              "2026-01-20", "--json").json()
    assert (note["number"], note["kind"], note["gross"], note["credits"], note["with_return"]
            ) == ("CN-2026-0001", "credit_note", "88.50", "INV-2026-0001", True)
    shown = ok(cli, "invoice", "show", "INV-2026-0001", "--json").json()
    # 389.40 invoiced, 88.50 credited
    assert (shown["credited"], shown["balance_due"], shown["notes"]) == (
        "88.50", "300.90", ["CN-2026-0001"])
    assert [r["number"] for r in ok(cli, "credit", "list", "--json").json()] == [
        "CN-2026-0001"]
    stock = ok(cli, "product", "show", "TOOL-01", "--json").json()
    assert stock["on_hand"] == "43"  # 50 in, 10 out, 3 back

    before = content_hash(book_path)
    r = cli("credit", "new", "CN-2026-0001")
    assert r.exit_code == 1 and "credit the invoice or bill itself" in r.stderr
    r = cli("sale", "ship", "SO-2026-0001", "--line", "1=21")
    assert r.exit_code == 1 and "21 is more than the 20 still open" in r.stderr
    r = cli("sale", "ship", "SO-2026-0001", "--line", "one=2")
    assert r.exit_code == 1 and "expected POS=QTY" in r.stderr
    assert content_hash(book_path) == before

    assert ok(cli, "quote", "new", "Kartuli Foods LLC", "--line", "TOOL-01=10", "--date",
              "2026-01-03", "--valid-until", "2026-02-03").stdout == "QT-2026-0001\n"
    assert ok(cli, "quote", "send", "QT-2026-0001").stdout == "QT-2026-0001\n"
    pdf = tmp_path / "quote.pdf"
    ok(cli, "quote", "pdf", "QT-2026-0001", "-o", str(pdf))
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    assert "QUOTE" in text and "QT-2026-0001" in text and "295.00" in text
    assert "Valid until" in text and "2026-02-03" in text
    accepted = ok(cli, "quote", "accept", "QT-2026-0001", "--date", "2026-01-20",
                  "--json").json()
    assert accepted == {"number": "SO-2026-0002", "quote": "QT-2026-0001",
                        "status": "accepted"}
    assert ok(cli, "sale", "show", "SO-2026-0002", "--json").json()["quote"] == "QT-2026-0001"
    rows = ok(cli, "quote", "list", "--json").json()
    assert [(q["number"], q["status"], q["order"]) for q in rows] == [
        ("QT-2026-0001", "accepted", "SO-2026-0002")]
    seen = ok(cli, "contact", "show", "Kartuli Foods LLC", "--json").json()
    assert [q["number"] for q in seen["quotes"]] == ["QT-2026-0001"]
    assert ok(cli, "check").exit_code == 0
