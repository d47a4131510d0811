"""The issue's script run end to end through the real CLI, JSON asserted; refused
operations leave the book unchanged and say why."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest

from tests.conftest import content_hash, copy_book, make_runner


def ok(run, *args):
    r = run(*args)
    assert r.exit_code == 0, (args, r.stdout, r.stderr)
    return r


def setup_script(cli):
    ok(cli, "product", "add", "TOOL-01", "Hammer", "--price", "25.00", "--cost", "12.00",
       "--vat", "18", "--reorder", "10")
    ok(cli, "product", "add", "SVC-01", "Installation hour", "--price", "40", "--service")
    ok(cli, "contact", "add", "Batumi Supply", "--org", "--supplier")
    ok(cli, "contact", "add", "Kartuli Foods LLC", "--org", "--customer")


def test_the_issue_script(cli, tmp_path):
    setup_script(cli)
    assert ok(cli, "purchase", "new", "Batumi Supply", "--line", "TOOL-01=50@12.00",
              "--date", "2026-01-05").stdout == "PO-2026-0001\n"
    assert ok(cli, "purchase", "confirm", "PO-2026-0001").stdout == "PO-2026-0001\n"
    assert ok(cli, "purchase", "receive", "PO-2026-0001", "--date", "2026-01-06"
              ).stdout == "BILL-2026-0001\n"
    assert ok(cli, "sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=30", "--line",
              "SVC-01=2", "--date", "2026-01-10").stdout == "SO-2026-0001\n"
    assert ok(cli, "sale", "confirm", "SO-2026-0001").stdout == "SO-2026-0001\n"
    shipped = ok(cli, "sale", "ship", "SO-2026-0001", "--date", "2026-01-12", "--json").json()
    assert shipped == {"number": "SO-2026-0001", "order": "SO-2026-0001", "status": "shipped",
                       "entries": ["JE-2026-0002"], "stock_value": "360.00"}
    assert ok(cli, "sale", "invoice", "SO-2026-0001", "--date", "2026-01-12"
              ).stdout == "INV-2026-0001\n"
    assert ok(cli, "pay", "in", "INV-2026-0001", "400.00", "--date", "2026-01-20"
              ).stdout == "PAY-2026-0001\n"

    aging = ok(cli, "report", "aging", "--as-of", "2026-03-01", "--json").json()
    assert aging["rows"] == [{"name": "Kartuli Foods LLC", "documents": 1, "current": "0.00",
                              "0-30": "579.40", "31-60": "0.00", "61-90": "0.00",
                              "90+": "0.00", "credit": "0.00", "total": "579.40"}]
    assert ok(cli, "report", "aging", "--as-of", "2026-06-01", "--json"
              ).json()["totals"]["90+"] == "579.40"  # due 02-11: 110 days late
    payables = ok(cli, "report", "aging", "--payables", "--as-of", "2026-01-31", "--json").json()
    assert payables["total"] == "708.00" and payables["kind"] == "payables"

    pdf = tmp_path / "inv.pdf"
    assert ok(cli, "invoice", "pdf", "INV-2026-0001", "-o", str(pdf)).stdout == f"{pdf}\n"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    assert "INV-2026-0001" in text and "Kartuli Foods LLC" in text and "979.40" in text
    assert "579.40" in text

    assert ok(cli, "product", "list", "--low", "--json").json() == []  # 20 left, reorder 10
    stock = ok(cli, "report", "stock", "--json").json()
    rows = stock["rows"] if isinstance(stock, dict) else stock
    assert [(r["sku"], r["on_hand"], r["value"]) for r in rows] == [("TOOL-01", "20", "240.00")]
    vat = ok(cli, "report", "vat", "--from", "2026-01-01", "--to", "2026-03-31", "--json").json()
    assert vat == {"report": "vat", "from": "2026-01-01", "to": "2026-03-31",
                   "output": [{"rate": "18", "net": "830.00", "vat": "149.40"}],
                   "input": [{"rate": "18", "net": "600.00", "vat": "108.00"}],
                   "output_vat": "149.40", "input_vat": "108.00", "net_vat": "41.40"}

    customer = ok(cli, "contact", "show", "Kartuli Foods LLC", "--json").json()
    assert customer["total_owed"] == "579.40"
    assert [i["number"] for i in customer["open_invoices"]] == ["INV-2026-0001"]
    assert [p["number"] for p in customer["payments"]] == ["PAY-2026-0001"]
    assert customer["open_orders"] == []  # shipped and invoiced: nothing left to do
    product = ok(cli, "product", "show", "TOOL-01", "--json").json()
    assert (product["on_hand"], product["value"]) == ("20", "240.00")
    assert (product["open_sales_quantity"], product["open_purchase_quantity"]) == ("0", "0")
    assert ok(cli, "check").exit_code == 0

    sale = ok(cli, "sale", "show", "SO-2026", "--json").json()  # a unique prefix
    assert (sale["status"], sale["gross"], sale["invoice"], sale["balance_due"]) == (
        "invoiced", "979.40", "INV-2026-0001", "579.40")
    assert [(ln["sku"], ln["quantity"], ln["unit_price"], ln["net"], ln["vat"])
            for ln in sale["lines"]] == [("TOOL-01", "30", "25.00", "750.00", "135.00"),
                                         ("SVC-01", "2", "40.00", "80.00", "14.40")]
    invoice = ok(cli, "invoice", "show", "INV-2026-0001", "--json").json()
    assert (invoice["due_date"], invoice["paid"], invoice["entry"]) == (
        "2026-02-11", "400.00", "JE-2026-0003")
    listed = ok(cli, "invoice", "list", "--open", "--json").json()
    assert [(r["number"], r["customer"], r["balance_due"]) for r in listed] == [
        ("INV-2026-0001", "Kartuli Foods LLC", "579.40")]
    assert ok(cli, "invoice", "list", "--bills", "--json").json()[0]["number"] == \
        "BILL-2026-0001"
    sales = ok(cli, "report", "sales", "--by", "product", "--from", "2026-01-01", "--to",
               "2026-01-31", "--json").json()
    assert [(r["sku"], r["quantity"], r["net"]) for r in sales["rows"]] == [
        ("TOOL-01", "30", "750.00"), ("SVC-01", "2", "80.00")]
    top = ok(cli, "report", "sales", "--by", "product", "--top", "1", "--from", "2026-01-01",
             "--to", "2026-01-31", "--json").json()
    assert ([r["sku"] for r in top["rows"]], top["net"]) == (["TOOL-01"], "830.00")
    journal = ok(cli, "journal", "list", "--json").json()
    assert [(e["number"], e["source"], e["total"]) for e in journal] == [
        ("JE-2026-0001", "bill", "708.00"), ("JE-2026-0002", "shipment", "360.00"),
        ("JE-2026-0003", "invoice", "979.40"), ("JE-2026-0004", "payment", "400.00")]

    assert ok(cli, "pay", "out", "BILL-2026-0001", "708.00", "--date", "2026-01-31",
              "--account", "1000").stdout == "PAY-2026-0002\n"
    assert ok(cli, "purchase", "list", "--json").json()[0]["status"] == "paid"
    assert ok(cli, "check").exit_code == 0


def test_the_script_without_dates_uses_today(cli):
    setup_script(cli)
    ok(cli, "purchase", "new", "Batumi Supply", "--line", "TOOL-01=50@12.00")
    ok(cli, "purchase", "confirm", "PO-2026-0001" if dt.date.today().year == 2026 else "PO-")
    ok(cli, "purchase", "receive", "PO-")
    ok(cli, "sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=30", "--line", "SVC-01=2")
    ok(cli, "sale", "confirm", "SO-")
    ok(cli, "sale", "ship", "SO-")
    number = ok(cli, "sale", "invoice", "SO-").stdout.strip()
    ok(cli, "pay", "in", number, "400.00")
    aging = ok(cli, "report", "aging", "--json").json()
    assert aging["as_of"] == dt.date.today().isoformat()
    assert aging["rows"][0]["current"] == "579.40"  # due in 30 days
    assert ok(cli, "check").exit_code == 0


@pytest.fixture(scope="module")
def ready_template(tmp_path_factory, templates):
    """The shop with 50 hammers received, a confirmed sale of 60 (SO-1), a draft (SO-2) and
    an invoiced sale (SO-3, INV-2026-0001 of 29.50), built once per module."""
    path = copy_book(templates["shop"], tmp_path_factory.mktemp("ready") / "book.db")
    run = make_runner(path)
    ok(run, "purchase", "new", "Batumi Supply", "--line", "TOOL-01=50@12.00", "--date",
       "2026-02-01")
    ok(run, "purchase", "confirm", "PO-2026-0001")
    ok(run, "purchase", "receive", "PO-2026-0001", "--date", "2026-02-01")
    ok(run, "sale", "new", "Kartuli", "--line", "TOOL-01=60", "--date", "2026-02-02")
    ok(run, "sale", "confirm", "SO-2026-0001")
    ok(run, "sale", "new", "Kartuli", "--line", "SVC-01=1", "--date", "2026-02-02")
    ok(run, "sale", "new", "Kartuli", "--line", "TOOL-01=1", "--date", "2026-02-02")
    ok(run, "sale", "confirm", "SO-2026-0003")
    ok(run, "sale", "invoice", "SO-2026-0003", "--date", "2026-02-03")
    return path


@pytest.fixture
def ready_path(ready_template, tmp_path):
    return copy_book(ready_template, tmp_path / "ready.db")


@pytest.fixture
def ready(ready_path):
    return make_runner(ready_path)


@pytest.mark.parametrize("args, message", [
    (("sale", "ship", "SO-2026-0001", "--date", "2026-02-05"),
     "not enough stock of TOOL-01: 50 pcs on hand, 60 requested"),
    (("pay", "in", "INV-2026-0001", "29.51", "--date", "2026-02-05"),
     "INV-2026-0001: paying 29.51 is more than the balance due 29.50"),
    (("sale", "ship", "SO-2026-0002"), "SO-2026-0002 is a draft: confirm it before you ship"),
    (("sale", "invoice", "SO-2026-0002"), "SO-2026-0002 is a draft"),
    (("sale", "invoice", "SO-2026-0003"), "SO-2026-0003 was already invoiced (INV-2026-0001)"),
    (("sale", "new", "Kartuli", "--line", "NOPE-1=2"), "no product matches 'NOPE-1'"),
    (("sale", "new", "Nobody Ltd", "--line", "TOOL-01=2"), "no contact matches 'Nobody Ltd'"),
    (("sale", "new", "Kartuli", "--line", "TOOL-01=2", "--line", "SVC-01"),
     "--line 2 ('SVC-01'): expected SKU=QTY"),
    (("sale", "confirm", "SO-2026-0001"), "SO-2026-0001 is confirmed: only a draft can be"),
    (("purchase", "receive", "PO-2026-0001"), "PO-2026-0001 was already received on 2026-02-01"),
    (("purchase", "receive", "SO-2026-0001"), "no purchase order matches 'SO-2026-0001'"),
    (("pay", "out", "INV-2026-0001", "1.00"), "no bill matches 'INV-2026-0001'"),
    (("pay", "in", "INV-2026-0001", "0"), "amount: 0.00 must be more than 0"),
    (("pay", "in", "INV-2026-0001", "1.00", "--date", "2026-02-01"),
     "payment date: 2026-02-01 is before 2026-02-03"),
    (("pay", "in", "INV-2026-0001", "1.00", "--account", "1100"),
     "--account: 1100 Accounts receivable is not a bank or cash account"),
    (("pay", "in", "INV-2026-0001", "1.001"), "more than 2 decimals"),
    (("sale", "ship", "SO-2026-0001", "--date", "2026-02-01"),
     "ship date: 2026-02-01 is before 2026-02-02"),
    (("sale", "ship", "SO-"), "sales order 'SO-' is ambiguous: SO-2026-0001, SO-2026-0002"),
    (("sale", "list", "--status", "lost"), "status: 'lost' is not one of"),
    (("purchase", "new", "Batumi Supply", "--line", "SVC-01=1"),
     "line 1: SVC-01 has no default cost; give it as SVC-01=QTY@COST"),
    (("sale", "list", "--customer", "Nobody"), "no contact matches 'Nobody'"),
    (("report", "vat", "--from", "2026-03-01", "--to", "2026-01-01"), "is after --to"),
    (("report", "sales", "--by", "region"), "--by: 'region' is not customer or product"),
])
def test_refused_operations_change_nothing_and_say_why(ready, ready_path, args, message):
    before = content_hash(ready_path)
    r = ready(*args)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.startswith("error: ") and message in r.stderr, r.stderr
    assert r.stdout == ""
    assert content_hash(ready_path) == before


def test_the_lock_date_applies_to_orders(ready, ready_path):
    ok(ready, "lock", "2026-02-28")
    before = content_hash(ready_path)
    for args, what in (
            (("sale", "ship", "SO-2026-0001", "--date", "2026-02-20"), "ship date 2026-02-20"),
            (("sale", "invoice", "SO-2026-0001", "--date", "2026-02-28"), "invoice date"),
            (("sale", "cancel", "SO-2026-0003"), "INV-2026-0001 dated 2026-02-03"),
            (("sale", "cancel", "SO-2026-0001"), "SO-2026-0001 dated 2026-02-02"),
            (("sale", "confirm", "SO-2026-0002"), "SO-2026-0002 dated 2026-02-02"),
            (("sale", "edit", "SO-2026-0002", "--notes", "x"), "SO-2026-0002 dated"),
            (("sale", "new", "Kartuli", "--line", "TOOL-01=1", "--date", "2026-02-10"),
             "order date 2026-02-10"),
            (("pay", "in", "INV-2026-0001", "1.00", "--date", "2026-02-20"),
             "payment date 2026-02-20")):
        r = ready(*args)
        assert r.exit_code == 1, (args, r.stdout)
        assert what in r.stderr and "lock date 2026-02-28" in r.stderr, (args, r.stderr)
    assert content_hash(ready_path) == before
    # an order taken before the books were closed is still shipped, invoiced and paid after
    ok(ready, "sale", "new", "Kartuli", "--line", "TOOL-01=1", "--date", "2026-03-01")
    ok(ready, "stock", "adjust", "TOOL-01", "20", "--cost", "12.00")
    assert ok(ready, "sale", "ship", "SO-2026-0001", "--date", "2026-03-02").stdout == \
        "SO-2026-0001\n"
    assert ok(ready, "sale", "invoice", "SO-2026-0001", "--date", "2026-03-02").stdout == \
        "INV-2026-0002\n"
    ok(ready, "pay", "in", "INV-2026-0001", "29.50", "--date", "2026-03-03")
    assert ok(ready, "check").exit_code == 0


def test_human_output(ready):
    shown = ok(ready, "sale", "show", "SO-2026-0003").stdout
    assert "INV-2026-0001" in shown and "29.50" in shown and "Hammer" in shown
    assert "SO-2026-0002" in ok(ready, "sale", "list", "--status", "draft").stdout
    assert "29.50" in ok(ready, "invoice", "list", "--open").stdout
    assert "Batumi Supply" in ok(ready, "purchase", "show", "PO-2026-0001").stdout
    assert "Balance due" in ok(ready, "invoice", "show", "INV-2026-0001").stdout
    assert "Kartuli" in ok(ready, "report", "aging", "--as-of", "2026-06-01").stdout
    assert "Output VAT" in ok(ready, "report", "vat", "--from", "2026-01-01").stdout
    assert "Kartuli" in ok(ready, "report", "sales", "--from", "2026-01-01").stdout
    ok(ready, "pay", "in", "INV-2026-0001", "10", "--date", "2026-02-10")
    assert "PAY-2026-0001" in ok(ready, "pay", "list").stdout
    assert "INV-2026-0001" in ok(ready, "pay", "show", "PAY-2026-0001").stdout
    assert ok(ready, "pay", "cancel", "PAY-2026-0001").stdout == "PAY-2026-0001\n"
    assert ok(ready, "sale", "cancel", "SO-2026-0003").stdout == "SO-2026-0003\n"
    edited = ok(ready, "sale", "edit", "SO-2026-0002", "--line", "SVC-01=3", "--customer",
                "ნინო", "--json").json()
    assert (edited["gross"], edited["customer"]) == ("141.60", "ნინო ბერიძე")  # 3 × 40 + 18 %
    assert [r["number"] for r in ok(ready, "sale", "list", "--customer", "ნინო ბერიძე",
                                    "--json").json()] == ["SO-2026-0002"]
    assert [r["number"] for r in ok(ready, "purchase", "list", "--supplier", "Batumi",
                                    "--json").json()] == ["PO-2026-0001"]
    assert [r["number"] for r in ok(ready, "sale", "list", "--open", "--json").json()] == [
        "SO-2026-0001", "SO-2026-0002"]  # SO-3 was cancelled above
    assert ok(ready, "check").exit_code == 0


def test_invoice_pdf_for_a_georgian_customer(ready, tmp_path):
    ok(ready, "sale", "new", "ნინო ბერიძე", "--line", "TOOL-01=2@25.00-10%", "--date",
       "2026-02-04")
    ok(ready, "sale", "confirm", "SO-2026-0004")
    assert ok(ready, "sale", "invoice", "SO-2026-0004", "--date", "2026-02-04"
              ).stdout == "INV-2026-0002\n"
    pdf = tmp_path / "inv.pdf"
    ok(ready, "invoice", "pdf", "INV-2026-0002", "-o", str(pdf))
    pages = pypdf.PdfReader(str(pdf)).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert len(pages) == 1
    # 2 × 25.00 − 10 % = 45.00, VAT 8.10, gross 53.10; due in the contact's 14 days
    for expected in ("INV-2026-0002", "ნინო ბერიძე", "45.00", "8.10", "53.10", "2026-02-18"):
        assert expected in text, expected
