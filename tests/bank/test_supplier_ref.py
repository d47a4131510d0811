"""The supplier's own number for a bill (`--supplier-ref`): given when the bill is booked
(purchase receive, bill new) or later (bill edit), shown by bill and order show and lists,
searched, refused twice for one supplier, and matched on a bank statement that names it.
Real CLI on the bank tests' shop (BILL-2026-0001 Batumi Supply 118.00, no reference)."""

from __future__ import annotations

from tests import engine
from tests.bank.conftest import ok
from tests.conftest import content_hash


def _bill(cli, number):
    return ok(cli, "invoice", "show", number, "--json").json()


def _received_with_ref(cli, ref="F-2026/118", qty="2"):
    po = ok(cli, "purchase", "new", "Batumi Supply", "--line", f"TOOL={qty}@100", "--date",
            "2026-01-10").stdout.strip()
    ok(cli, "purchase", "confirm", po)
    bill = ok(cli, "purchase", "receive", po, "--date", "2026-01-10", "--supplier-ref",
              ref).stdout.strip()
    return po, bill


def test_given_on_receive_shown_listed_and_searched(shop, monkeypatch):
    cli = shop
    monkeypatch.setenv("COLUMNS", "200")
    po, bill = _received_with_ref(cli)
    assert bill == "BILL-2026-0002"
    assert _bill(cli, bill)["supplier_ref"] == "F-2026/118"
    assert _bill(cli, "BILL-2026-0001")["supplier_ref"] == ""
    order = ok(cli, "purchase", "show", po, "--json").json()
    assert order["supplier_refs"] == {bill: "F-2026/118"}
    assert "BILL-2026-0002 (F-2026/118)" in ok(cli, "purchase", "show", po).stdout
    assert "F-2026/118" in ok(cli, "invoice", "show", bill).stdout
    listed = ok(cli, "invoice", "list", "--bills", "--json").json()
    assert [(b["number"], b["supplier_ref"]) for b in listed] == [
        ("BILL-2026-0001", ""), (bill, "F-2026/118")]
    assert "F-2026/118" in ok(cli, "invoice", "list", "--bills").stdout
    found = ok(cli, "invoice", "list", "--bills", "--search", "f-2026/1", "--json").json()
    assert [b["number"] for b in found] == [bill]
    assert [b["number"] for b in ok(cli, "invoice", "list", "--bills", "--search", "batumi",
                                    "--json").json()] == ["BILL-2026-0001", bill]
    assert ok(cli, "invoice", "list", "--search", "100%", "--json").json() == []
    assert ok(cli, "check").exit_code == 0


def test_direct_bill_and_edit_later_with_an_audit_row(shop, book_path):
    cli = shop
    bill = ok(cli, "bill", "new", "Batumi Supply", "--line", "Rent January=1@500",
              "--date", "2026-01-31", "--supplier-ref", "  RENT  01/2026 ").stdout.strip()
    assert _bill(cli, bill)["supplier_ref"] == "RENT 01/2026"  # spaces folded
    r = ok(cli, "bill", "edit", "BILL-2026-0001", "--supplier-ref", "A-77", "--json").json()
    assert (r["number"], r["supplier_ref"]) == ("BILL-2026-0001", "A-77")
    ok(cli, "bill", "edit", "BILL-2026-0001", "--supplier-ref", "")
    assert _bill(cli, "BILL-2026-0001")["supplier_ref"] == ""
    summaries = [s for (s,) in engine.rows(
        book_path, "SELECT summary FROM audit_log WHERE entity = ? AND action = ? "
                   "ORDER BY id", ("bill", "update"))]
    assert summaries == ["BILL-2026-0001 supplier's reference: - -> A-77",
                         "BILL-2026-0001 supplier's reference: A-77 -> -"]
    assert ok(cli, "check").exit_code == 0


def test_refusals_write_nothing(shop, book_path):
    cli = shop
    _received_with_ref(cli, "F-1")
    before = content_hash(book_path)
    r = cli("bill", "edit", "BILL-2026-0001", "--supplier-ref", "f-1")
    assert r.exit_code == 1 and "f-1 is already on BILL-2026-0002 of this supplier" in r.stderr
    r = cli("bill", "edit", "INV-2026-0001", "--supplier-ref", "X-1")
    assert r.exit_code == 1 and "only a supplier's bill has one" in r.stderr
    r = cli("bill", "edit", "BILL-2026-0001", "--supplier-ref", "x" * 65)
    assert r.exit_code == 1 and "at most 64 characters" in r.stderr
    assert content_hash(book_path) == before
    po = ok(cli, "purchase", "new", "Batumi Supply", "--line", "TOOL=1@100").stdout.strip()
    ok(cli, "purchase", "confirm", po)
    after_po = content_hash(book_path)
    r = cli("purchase", "receive", po, "--supplier-ref", "F-1")
    assert r.exit_code == 1 and "already on BILL-2026-0002" in r.stderr
    assert content_hash(book_path) == after_po  # no receipt, no bill, no stock
    assert before != after_po


def test_the_bank_matches_a_bill_by_the_suppliers_reference(shop, tmp_path):
    cli = shop
    _received_with_ref(cli, "F-2026/118")  # BILL-2026-0002, 236.00
    ok(cli, "bill", "edit", "BILL-2026-0001", "--supplier-ref", "77")  # too short to look for
    (tmp_path / "s.csv").write_text(
        "date,amount,description,counterparty\n"
        "2026-02-01,-236.00,Invoice f-2026/118 tools,Batumi\n"  # the reference, any case
        "2026-02-02,-118.00,Invoice 77,Someone\n"  # '77' alone is never looked for
        "2026-02-03,-50.00,Invoice F-2026/1180,Batumi\n")  # not a whole word
    r = ok(cli, "bank", "import", str(tmp_path / "s.csv"), "--json").json()
    assert r["matched"]["payments"] == 1
    rows = ok(cli, "bank", "list", "--json").json()
    assert [x["status"] for x in rows] == ["matched", "unmatched", "unmatched"]
    assert _bill(cli, "BILL-2026-0002")["status"] == "paid"
    assert _bill(cli, "BILL-2026-0001")["status"] == "open"
    assert ok(cli, "check").exit_code == 0


def test_a_suggestion_ranks_the_bill_its_reference_names(shop, book, tmp_path):
    from smallbiz.app.book import Book

    cli = shop
    _received_with_ref(cli, "Z-900", qty="1")  # BILL-2026-0002, 118.00 like BILL-2026-0001
    (tmp_path / "s.csv").write_text("date,amount,description,counterparty\n"
                                    "2026-02-01,-117.00,z-900,\n")
    ok(cli, "bank", "import", str(tmp_path / "s.csv"))
    line = ok(cli, "bank", "list", "--json").json()[0]
    assert line["status"] == "unmatched"
    found = Book(book).bank_suggestions(line["id"])
    assert found[0].number == "BILL-2026-0002"


def _two_suppliers_with_k5(cli):
    """BILL-2026-0002 F-2026/118 (Batumi, 236.00); K-5 on Batumi's BILL-2026-0001 and on
    Kutaisi Wood's BILL-2026-0003 (59.00)."""
    _received_with_ref(cli, "F-2026/118")
    ok(cli, "contact", "add", "Kutaisi Wood", "--org", "--supplier")
    assert ok(cli, "bill", "new", "Kutaisi Wood", "--line", "Timber=1@50", "--date",
              "2026-01-12", "--supplier-ref", "K-5").stdout.strip() == "BILL-2026-0003"
    ok(cli, "bill", "edit", "BILL-2026-0001", "--supplier-ref", "k-5")


def test_a_line_matched_by_hand_to_the_suppliers_reference(shop, book_path, tmp_path):
    cli = shop
    _two_suppliers_with_k5(cli)
    (tmp_path / "s.csv").write_text("date,amount,description,counterparty\n"
                                    "2026-02-01,-236.00,transfer,\n"
                                    "2026-02-02,-59.00,wood,\n")
    ok(cli, "bank", "import", str(tmp_path / "s.csv"))
    first, second = (r["id"] for r in ok(cli, "bank", "list", "--json").json())
    paid = ok(cli, "bank", "match", str(first), "--bill", " f-2026/118 ", "--json").json()
    assert paid["numbers"] == ["PAY-2026-0001"]
    assert _bill(cli, "BILL-2026-0002")["status"] == "paid"
    pay = ok(cli, "pay", "show", "PAY-2026-0001", "--json").json()
    assert [(a["invoice"], a["amount"]) for a in pay["allocations"]] == [
        ("BILL-2026-0002", "236.00")]

    before = content_hash(book_path)
    r = cli("bank", "match", str(second), "--bill", "K-5")
    assert r.exit_code == 1
    assert ("supplier's reference 'K-5' is on bills of several suppliers: BILL-2026-0001 "
            "(Batumi Supply), BILL-2026-0003 (Kutaisi Wood); give the bill's number"
            ) in r.stderr
    r = cli("bank", "match", str(second), "--bill", "F-404")
    assert r.exit_code == 1
    assert "no invoice or bill has the number or supplier's reference 'F-404'" in r.stderr
    assert content_hash(book_path) == before  # nothing written by either
    ok(cli, "bank", "match", str(second), "--bill", "BILL-2026-0003")  # the number decides
    assert _bill(cli, "BILL-2026-0003")["status"] == "paid"
    assert _bill(cli, "BILL-2026-0001")["status"] == "open"
    assert ok(cli, "check").exit_code == 0
