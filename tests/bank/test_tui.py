"""The Bank place by keyboard: accept a suggestion, book a line to an account with
completion, ignore one; the reconciliation summary follows."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from smallbiz.app.book import Book
from tests.bank.conftest import ok

SIZE = (120, 36)


async def settle(pilot, app) -> None:
    for _i in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def bank_place(shop, book, csv_path, text):
    """The app on the book with the CSV statement imported, on the Bank place."""
    from smallbiz.screens.app import SmallBizApp

    csv_path.write_text(text)
    ok(shop, "bank", "import", str(csv_path))
    return SmallBizApp(Book(book))


async def to_bank(pilot, app) -> None:
    await settle(pilot, app)
    await pilot.press("f11")
    await settle(pilot, app)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_month_by_keyboard(shop, book, tmp_path) -> None:
    app = await bank_place(shop, book, tmp_path / "feb.csv",
                           "date,amount,description,counterparty,balance\n"
                           "2026-02-01,-40.00,Lunch,Cafe,-40.00\n"
                           "2026-02-02,-12.50,Card fee,Bank,-52.50\n"
                           "2026-02-03,350.00,thanks,Kartuli Foods,297.50\n")
    async with app.run_test(size=SIZE) as pilot:
        await to_bank(pilot, app)
        assert app.current_mode == "bank"
        table = app.screen.query_one("#bank-lines", DataTable)
        assert table.row_count == 3  # newest first
        summary = text_of(app, "#bank-summary")
        assert "statement 297.50" in summary and "unmatched 297.50 (3)" in summary
        assert "INV-2026-0001" in text_of(app, "#bank-suggestions")
        await pilot.press("1")  # accept the first suggestion: the payment of INV-2026-0001
        await settle(pilot, app)
        assert table.row_count == 2
        assert "(2)" in text_of(app, "#bank-summary")
        await pilot.press("b")
        await settle(pilot, app)
        await pilot.press(*"Bank ch")
        await settle(pilot, app)
        await pilot.press("tab", "enter")  # completes to "6800 Bank charges", posts
        await settle(pilot, app)
        await pilot.press("y")  # "Always book lines with 'Card fee' to 6800?"
        await settle(pilot, app)
        assert table.row_count == 1
        await pilot.press("i")
        await settle(pilot, app)
        assert table.row_count == 0
        assert "(0)" in text_of(app, "#bank-summary")
    rows = {r["description"]: r for r in ok(shop, "bank", "list", "--json").json()}
    assert rows["thanks"]["payment"] == "PAY-2026-0001"
    assert rows["Lunch"]["status"] == "ignored"
    fee = ok(shop, "journal", "show", rows["Card fee"]["entry"], "--json").json()
    assert {(p["account"], p["amount"]) for p in fee["postings"]} == {
        ("1010", "-12.50"), ("6800", "12.50")}
    inv = ok(shop, "invoice", "show", "INV-2026-0001", "--json").json()
    assert inv["balance_due"] == "4.00"
    rules = ok(shop, "bank", "rule", "list", "--json").json()
    assert [(r["text"], r["account"]) for r in rules] == [("Card fee", "6800")]


async def test_a_line_split_by_keyboard(shop, book, tmp_path) -> None:
    app = await bank_place(shop, book, tmp_path / "s.csv",
                           "date,amount,description,counterparty\n"
                           "2026-02-01,-100.00,supplies and lunch,Shop\n")
    async with app.run_test(size=SIZE) as pilot:
        await to_bank(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press(*"6100=60; 6800", "enter")
        await settle(pilot, app)
        assert app.screen.query_one("#bank-lines", DataTable).row_count == 0
    line = ok(shop, "bank", "list", "--json").json()[0]
    entry = ok(shop, "journal", "show", line["entry"], "--json").json()
    assert {(p["account"], p["amount"]) for p in entry["postings"]} == {
        ("1010", "-100.00"), ("6100", "60.00"), ("6800", "40.00")}


async def test_the_dashboard_counts_unmatched_lines(shop, book, tmp_path) -> None:
    app = await bank_place(shop, book, tmp_path / "x.csv",
                           "date,amount,description\n2026-02-01,-40.00,Lunch\n")
    assert Book(book).dashboard().bank_unmatched == [("1010", 1)]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "1010: 1 unmatched" in text_of(app, "#fig-cash")


async def test_m_matches_a_line_to_the_suppliers_reference(shop, book, tmp_path,
                                                          monkeypatch) -> None:
    """`m` takes a bill's number or its supplier's own reference, as `bank match --bill`;
    an ambiguous one is said and nothing is posted; `M` runs the automatic matching."""
    from tests.bank.test_supplier_ref import _two_suppliers_with_k5
    from tests.tui.conftest import listen

    _two_suppliers_with_k5(shop)
    app = await bank_place(shop, book, tmp_path / "s.csv",
                           "date,amount,description,counterparty\n"
                           "2026-02-01,-236.00,transfer,\n"
                           "2026-02-02,-59.00,wood,\n")
    said = listen(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await to_bank(pilot, app)
        table = app.screen.query_one("#bank-lines", DataTable)
        assert table.row_count == 2  # newest first: the 59.00 line is highlighted
        await pilot.press("m")
        await settle(pilot, app)
        await pilot.press(*"K-5", "enter")
        await settle(pilot, app)
        assert table.row_count == 2
        assert any("supplier's reference 'K-5' is on bills of several suppliers: "
                   "BILL-2026-0001 (Batumi Supply), BILL-2026-0003 (Kutaisi Wood)" in m
                   for m in said), said
        await pilot.press("down", "m")  # the 236.00 line
        await settle(pilot, app)
        await pilot.press(*"f-2026/118", "enter")
        await settle(pilot, app)
        assert table.row_count == 1
        assert any("Line " in m and "PAY-2026-0001" in m for m in said), said
        await pilot.press("M")  # nothing certain is left: the line stays
        await settle(pilot, app)
        assert any(m == "Matched 0 line(s)" for m in said), said
    assert ok(shop, "invoice", "show", "BILL-2026-0002", "--json").json()["status"] == "paid"
    assert ok(shop, "invoice", "show", "BILL-2026-0003", "--json").json()["status"] == "open"


async def test_the_split_takes_a_suppliers_reference(shop, book, tmp_path, monkeypatch) -> None:
    """The split dialog's documents are numbers or a bill's supplier's own reference, read
    by the same resolver as `m` and `bank match --bill`: `f-2026/118; 6800=10` pays
    BILL-2026-0002 236.00 and books 10.00 to 6800; an ambiguous reference is said and
    nothing is posted."""
    from tests.bank.test_supplier_ref import _two_suppliers_with_k5
    from tests.tui.conftest import listen

    _two_suppliers_with_k5(shop)
    app = await bank_place(shop, book, tmp_path / "s.csv",
                           "date,amount,description,counterparty\n"
                           "2026-02-01,-246.00,transfer and fee,\n")
    said = listen(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await to_bank(pilot, app)
        table = app.screen.query_one("#bank-lines", DataTable)
        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press(*"K-5; 6800=10", "enter")
        await settle(pilot, app)
        assert table.row_count == 1
        assert any("supplier's reference 'K-5' is on bills of several suppliers" in m
                   for m in said), said
        assert ok(shop, "pay", "list", "--json").json() == []
        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press(*"f-2026/118; 6800=10", "enter")
        await settle(pilot, app)
        assert table.row_count == 0
    line = ok(shop, "bank", "list", "--json").json()[0]
    assert line["payment"] == "PAY-2026-0001"
    pay = ok(shop, "pay", "show", "PAY-2026-0001", "--json").json()
    assert [(a["invoice"], a["amount"]) for a in pay["allocations"]] == [
        ("BILL-2026-0002", "236.00")]
    assert ok(shop, "invoice", "show", "BILL-2026-0002", "--json").json()["status"] == "paid"
    entry = ok(shop, "journal", "show", line["entry"], "--json").json()
    assert {(p["account"], p["amount"]) for p in entry["postings"]} == {
        ("1010", "-10.00"), ("6800", "10.00")}
