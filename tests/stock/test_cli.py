"""Products and stock through the real CLI, with --json and the books asserted."""

from __future__ import annotations

from tests import engine
from tests.conftest import content_hash


def tb(cli) -> dict[str, str]:
    r = cli("report", "tb", "--json")
    assert r.exit_code == 0, r.stderr
    return {row["code"]: row["balance"] for row in r.json()["rows"]}


def test_product_add_list_show_edit(cli):
    r = cli("product", "add", "TOOL-01", "Hammer", "--price", "25.00", "--cost", "12.00",
            "--vat", "18", "--reorder", "10")
    assert (r.exit_code, r.stdout) == (0, "TOOL-01\n")
    r = cli("product", "add", "SVC-01", "Installation hour", "--price", "40", "--service",
            "--unit", "h", "--json")
    assert r.exit_code == 0
    assert r.json() | {} == {
        "sku": "SVC-01", "name": "Installation hour", "kind": "service", "unit": "h",
        "price": "40.00", "cost": None, "vat_rate": "18", "reorder_level": None,
        "on_hand": "0", "average_cost": None, "value": "0.00", "below_reorder": False,
        "archived": False, "expense_account": None}
    rows = cli("product", "list", "--json").json()
    assert [p["sku"] for p in rows] == ["SVC-01", "TOOL-01"]
    assert rows[1]["below_reorder"] is True  # 0 on hand, reorder at 10
    assert [p["sku"] for p in cli("--json", "product", "list", "--low").json()] == ["TOOL-01"]
    assert [p["sku"] for p in cli("product", "list", "--search", "install",
                                  "--json").json()] == ["SVC-01"]
    r = cli("product", "edit", "tool-01", "--price", "26.50", "--name", "Claw hammer",
            "--reorder", "", "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["price"], r.json()["name"], r.json()["reorder_level"]) == (
        "26.50", "Claw hammer", None)
    shown = cli("product", "show", "Claw", "--json").json()
    assert (shown["sku"], shown["cost"], shown["recent_moves"]) == ("TOOL-01", "12.00", [])
    human = cli("product", "show", "TOOL-01")
    assert "Claw hammer" in human.stdout and "12.00" in human.stdout


def test_opening_stock_and_adjustments_post_the_right_entries(cli):
    cli("product", "add", "TOOL-01", "Hammer", "--price", "25", "--cost", "12", "--reorder", "5")
    r = cli("stock", "adjust", "TOOL-01", "20", "--opening", "--date", "2026-01-01")
    assert (r.exit_code, r.stdout) == (0, "JE-2026-0001\n")
    assert tb(cli) == {"1200": "240.00", "3000": "-240.00"}
    # a count finds 3 fewer: out at average cost against Stock adjustments
    r = cli("stock", "adjust", "TOOL-01", "-3", "--reason", "count 2026-02", "--date",
            "2026-02-01", "--json")
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert (out["number"], out["move"]["quantity"], out["move"]["value"]) == (
        "JE-2026-0002", "-3", "-36.00")
    # and 2 more found at a different cost
    r = cli("stock", "adjust", "TOOL-01", "2", "--cost", "15.50", "--date", "2026-02-02")
    assert r.stdout == "JE-2026-0003\n"
    assert tb(cli) == {"1200": "235.00", "3000": "-240.00", "5100": "5.00"}
    entry = cli("journal", "show", "JE-2026-0002", "--json").json()
    assert [(p["account"], p["amount"]) for p in entry["postings"]] == [
        ("1200", "-36.00"), ("5100", "36.00")]
    assert entry["source"] == "adjustment"
    stock = cli("report", "stock", "--json").json()
    assert stock["rows"] == [{
        "sku": "TOOL-01", "name": "Hammer", "unit": "pcs", "on_hand": "19",
        "average_cost": "12.368421", "value": "235.00", "reorder_level": "5",
        "below_reorder": False}]
    assert stock["total_value"] == "235.00"
    assert cli("check").exit_code == 0


def test_oversell_by_adjustment_is_refused_with_nothing_written(cli, book_path):
    cli("product", "add", "TOOL-01", "Hammer", "--price", "25", "--cost", "12")
    cli("stock", "adjust", "TOOL-01", "5", "--opening", "--date", "2026-01-01")
    before = content_hash(book_path)
    r = cli("stock", "adjust", "TOOL-01", "-6", "--date", "2026-01-02")
    assert r.exit_code == 1
    assert r.stderr == "error: not enough stock of TOOL-01: 5 pcs on hand, 6 requested\n"
    assert content_hash(book_path) == before


def test_refusals_say_why(cli, book_path):
    cli("product", "add", "SVC-01", "Consulting", "--price", "40", "--service")
    cli("product", "add", "NEW-01", "No cost yet", "--price", "4")
    before = content_hash(book_path)
    cases = [
        (("stock", "adjust", "SVC-01", "1", "--cost", "1"), "SVC-01 is a service"),
        (("stock", "adjust", "NEW-01", "1"), "give the unit cost (--cost)"),
        (("stock", "adjust", "NOPE", "1"), "no product matches 'NOPE'"),
        (("stock", "adjust", "NEW-01", "0", "--cost", "1"), "must not be zero"),
        (("stock", "adjust", "NEW-01", "-1", "--opening"), "opening stock must be positive"),
        (("product", "add", "new-01", "Again", "--price", "1"), "product new-01 already exists"),
        (("product", "add", "X-1", "Bad", "--price", "1.234"), "more than 2 decimals"),
    ]
    for args, message in cases:
        r = cli(*args)
        assert r.exit_code == 1, args
        assert message in r.stderr, (args, r.stderr)
    assert content_hash(book_path) == before
    cli("lock", "2026-03-31")
    r = cli("stock", "adjust", "NEW-01", "1", "--cost", "1", "--date", "2026-03-01")
    assert r.exit_code == 1 and "lock date" in r.stderr


def test_archive_needs_empty_stock(cli):
    cli("product", "add", "TOOL-01", "Hammer", "--price", "25", "--cost", "12")
    cli("stock", "adjust", "TOOL-01", "2", "--opening", "--date", "2026-01-01")
    r = cli("product", "archive", "TOOL-01")
    assert r.exit_code == 1 and "still has 2 pcs on hand" in r.stderr
    cli("stock", "adjust", "TOOL-01", "-2", "--date", "2026-01-02")
    assert cli("product", "archive", "TOOL-01").stdout == "TOOL-01\n"
    assert cli("product", "list", "--json").json() == []
    assert [p["sku"] for p in cli("product", "list", "--all", "--json").json()] == ["TOOL-01"]
    assert cli("product", "archive", "TOOL-01", "--undo", "--json").json()["archived"] is False


def test_check_detects_a_tampered_running_total(cli, book_path):
    cli("product", "add", "TOOL-01", "Hammer", "--price", "25", "--cost", "12")
    cli("stock", "adjust", "TOOL-01", "4", "--opening", "--date", "2026-01-01")
    assert cli("check").exit_code == 0
    engine.execute(book_path,
                   "UPDATE product SET on_hand = on_hand + 1000, stock_value = stock_value + 1")
    r = cli("check")
    assert r.exit_code == 1
    assert ("product TOOL-01: kept totals 5 on hand, value 48.01 differ from its moves "
            "(4, 48.00)") in r.stderr
    assert cli("check", "--json").json()["ok"] is False


def test_product_show_includes_open_orders_and_the_shipment(cli):
    cli("product", "add", "TOOL-01", "Hammer", "--price", "25", "--cost", "12")
    cli("stock", "adjust", "TOOL-01", "40", "--opening", "--date", "2026-01-01")
    cli("contact", "add", "Kartuli Foods LLC", "--org", "--customer")
    assert cli("sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=30", "--date",
               "2026-02-10").stdout == "SO-2026-0001\n"
    cli("sale", "confirm", "SO-2026-0001")
    shown = cli("product", "show", "TOOL-01", "--json").json()
    assert (shown["on_hand"], shown["open_sales_quantity"]) == ("40", "30")
    assert cli("sale", "ship", "SO-2026-0001", "--date", "2026-02-11").exit_code == 0
    shown = cli("product", "show", "TOOL-01", "--json").json()
    assert (shown["on_hand"], shown["value"], shown["open_sales_quantity"]) == (
        "10", "120.00", "0")
    assert shown["recent_moves"][0] | {"id": 0} == {
        "id": 0, "date": "2026-02-11", "sku": "TOOL-01", "quantity": "-30", "value": "-360.00",
        "source": "shipment", "source_id": 1, "memo": "SO-2026-0001"}
    assert cli("report", "tb", "--json").json()["rows"][:1] == [
        {"code": "1200", "name": "Inventory", "type": "asset", "balance": "120.00"}]
    assert cli("check").exit_code == 0


def test_brackets_in_names_are_text_not_markup(cli):
    cli("product", "add", "BR-1", "[b]Box", "--price", "5", "--reorder", "1")
    for args in (("product", "list"), ("product", "show", "BR-1"), ("report", "stock")):
        r = cli(*args)
        assert r.exit_code == 0 and "[b]Box" in r.stdout, args
