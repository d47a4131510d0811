"""The demo company: fast, deterministic, every invariant holds, the promised contents."""

from __future__ import annotations

import time

import pytest

from smallbiz.check import run_checks
from smallbiz.dates import today
from smallbiz.demo import STEPS, create_demo_book, summary
from tests import engine
from tests.conftest import content_hash, make_runner, new_location


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = new_location(tmp_path_factory.mktemp("demo") / "demo.db")
    steps: list[int] = []
    started = time.perf_counter()
    db = create_demo_book(path, progress=steps.append)
    elapsed = time.perf_counter() - started
    assert STEPS - 1 <= sum(steps) <= STEPS  # the TUI's progress bar fills up
    yield db, path, elapsed
    db.dispose()


def scalar(where, sql: str, *params):
    return engine.scalar(where, sql, params)


def column(where, sql: str) -> set:
    return {r for (r,) in engine.rows(where, sql)}


def test_demo_is_fast_and_every_check_passes(demo):
    db, _path, elapsed = demo
    # about 5 s on an idle two-core machine; generous for a busy CI runner
    assert elapsed < 60, elapsed
    assert run_checks(db) == []


def test_demo_holds_what_it_promises(demo):
    db, path, _elapsed = demo
    counts = summary(db)
    assert 55 <= counts["customers"] + counts["leads"] <= 65
    assert counts["suppliers"] == 10
    assert (counts["products"], counts["services"]) == (32, 8)
    assert counts["sales_orders"] >= 60 and counts["purchase_orders"] >= 12
    assert counts["invoices"] >= 50 and counts["bills"] >= 12
    assert counts["payments"] >= 50 and counts["interactions"] >= 150
    anchor = today().isoformat()
    first = scalar(path, "SELECT MIN(date) FROM trade_order WHERE kind = 'sale'")
    months = scalar(path, "SELECT COUNT(DISTINCT substr(CAST(date AS TEXT), 1, 7)) "
                          "FROM trade_order WHERE kind = 'sale'")
    assert months >= 12 and str(first) < anchor
    # invoices overdue, partly paid, paid; sales still in progress; a cancelled one
    assert scalar(path, "SELECT COUNT(*) FROM invoice WHERE kind = 'invoice' "
                        "AND status = 'open' AND due_date < ?", anchor) >= 3
    assert scalar(path, "SELECT COUNT(*) FROM invoice WHERE kind = 'invoice' "
                        "AND status = 'open' AND paid > 0") >= 1
    assert scalar(path, "SELECT COUNT(*) FROM invoice WHERE status = 'paid'") >= 30
    statuses = column(path, "SELECT DISTINCT status FROM trade_order WHERE kind = 'sale'")
    assert {"draft", "confirmed", "shipped", "invoiced", "paid"} <= statuses
    # follow-ups due today, deals in every stage
    assert scalar(path, "SELECT COUNT(*) FROM interaction WHERE follow_up = ? AND NOT done",
                  anchor) >= 1
    stages = column(path, "SELECT DISTINCT stage FROM deal")
    assert stages == {"lead", "qualified", "proposal", "negotiation", "won", "lost"}
    # Georgian names among the contacts, stock worth something, some items to reorder
    assert scalar(path, "SELECT COUNT(*) FROM contact WHERE name LIKE 'ბათუმის%'") == 1
    assert scalar(path, "SELECT SUM(stock_value) FROM product") > 0


def test_cli_demo_creates_a_book_equal_to_the_service_one_and_refuses_a_full_one(
        demo, another_book):
    db, _path, _elapsed = demo
    path = another_book("cli-demo.db")
    cli = make_runner(path)
    r = cli("demo", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json() == summary(db)  # same anchor (today), same seed: the same company
    mine = cli("report", "tb", "--json").json()["rows"]
    theirs = make_runner(_path)("report", "tb", "--json").json()["rows"]
    assert mine == theirs
    assert cli("check").exit_code == 0
    before = content_hash(path)
    r = cli("demo")
    assert r.exit_code == 1 and "already has contacts" in r.stderr
    assert content_hash(path) == before


def test_demo_refuses_a_book_with_contacts(cli, book_path):
    assert cli("contact", "add", "Someone").exit_code == 0
    before = content_hash(book_path)
    r = cli("demo")
    assert r.exit_code == 1 and "fills an empty book" in r.stderr
    assert content_hash(book_path) == before


def test_the_demo_is_a_georgian_firm_whose_invoices_carry_every_field(demo, tmp_path):
    import pypdf

    _db, path, _elapsed = demo
    cli = make_runner(path)
    shown = cli("settings", "--json").json()
    assert (shown["legal_name"], shown["tax_id"], shown["vat_payer"]) == (
        "შპს „კავკასია თულსი“", "405512873", "true")

    def pdf_text(number: str, *options: str) -> str:
        out = tmp_path / f"{number}{''.join(options)}.pdf"
        r = cli("invoice", "pdf", number, "-o", str(out), *options)
        assert r.exit_code == 0, r.stderr
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
        return " ".join(text.split())

    first = cli("invoice", "list", "--json").json()[0]
    ka = pdf_text(first["number"])  # a customer in Georgia: Georgian labels
    for text in ("ანგარიშ-ფაქტურა", "გამყიდველი", "შპს „კავკასია თულსი“",
                 "საიდენტიფიკაციო კოდი: 405512873", "დღგ-ის გადამხდელი",
                 "იურიდიული მისამართი: დავით აღმაშენებლის გამზ. 154", "ფაქტობრივი მისამართი",
                 "GE61 TB77 7777 7777 7777 77", "სს „საქართველოს ბანკი“", "მყიდველი",
                 first["customer"], first["number"], first["date"], first["due_date"],
                 "გადახდის ვადა", "ერთ.", "დღგ %", "თანხა სიტყვიერად", "ლარი და",
                 "თეთრი", "გასცა", "დირექტორი: გიორგი მაისურაძე", "მიიღო"):
        assert text in ka, text
    en = pdf_text(first["number"], "--lang", "en")
    for text in ("INVOICE", "SELLER", "BUYER", "Tax ID: 405512873", "VAT payer",
                 "Legal address", "IBAN", "Due date", "Unit", "VAT rate", "Amount in words",
                 "lari and", "tetri", "Issued by", "Director: გიორგი მაისურაძე",
                 "Received by"):
        assert text in en, text
    # the export: a customer abroad gets English, and the lines are zero-rated
    export = next(i for i in cli("invoice", "list", "--json").json()
                  if i["customer"] == "Ararat Build LLC")
    text = pdf_text(export["number"])
    assert "INVOICE" in text and "0 % export" in text and "Armenia" in text
    assert "ანგარიშ-ფაქტურა" not in text
    both = pdf_text(export["number"], "--lang", "ka+en")
    assert "ანგარიშ-ფაქტურა / INVOICE" in both


def test_the_demo_in_georgian_keeps_georgian_books(another_book) -> None:
    """`smallbiz --lang ka demo` makes the demo on the Georgian chart (names in Georgian),
    its costs booked to the Georgian chart's expense accounts, every check passing."""
    import re

    where = another_book("ka.db")
    run = make_runner(where)
    made = run("--lang", "ka", "demo")
    assert made.exit_code == 0, made.stderr
    assert "მყიდველები" in made.stdout and "customers" not in made.stdout
    accounts = {a["code"]: a["name"] for a in run("--json", "account", "list").json()}
    assert accounts["1210"] == "ეროვნული ვალუტა ბანკში" and "1010" not in accounts
    assert all(re.search("[\u10d0-\u10ff]", name) for name in accounts.values())
    pl = {r["code"]: r["balance"] for r in run("--json", "report", "pl").json()["rows"]
          if r.get("code")}
    for code in ("7210", "7310", "7320", "7340"):  # salaries, rent, utilities, phones
        assert pl.get(code) not in (None, "0.00"), (code, pl)
    assert run("check").exit_code == 0
    memos = {e["memo"] for e in run("--json", "journal", "list").json()}
    assert "მაღაზიისა და საწყობის იჯარა" in memos  # the demo's own entries, in Georgian


def test_a_typed_number_in_georgian_is_read_but_a_decimal_is_plain() -> None:
    from decimal import Decimal

    from smallbiz.i18n import set_language
    from smallbiz.money import parse_quantity

    set_language("ka")
    assert parse_quantity(Decimal("60.000")) == Decimal("60.000")  # no '1.234' doubt
    with pytest.raises(Exception, match="ორაზროვანია"):
        parse_quantity("60.000")
