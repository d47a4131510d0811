"""A draft order's currency changed (`sale edit --currency`, `purchase edit --currency`):
re-priced in USD with each line's price given, back in lari at the products' prices;
refused, nothing written, when a line has no USD price or the order is past its draft."""

from __future__ import annotations

from tests.conftest import content_hash


def _ready(fx):
    """W1 (a product at 10.00 lari, cost 5.00) and a lari draft SO-2026-0001 of 3 of it."""
    assert fx("product", "add", "W1", "Widget", "--price", "10", "--cost", "5").exit_code == 0
    so = fx("sale", "new", "Acme", "--line", "W1=3", "--date", "2026-12-02", "--json").json()
    assert (so["number"], so["currency"], so["gross"]) == ("SO-2026-0001", None, "35.40")
    return so["number"]


def test_a_draft_sale_goes_to_usd_and_back_to_lari(fx, book_path):
    number = _ready(fx)
    r = fx("sale", "edit", number, "--currency", "usd", "--line", "W1=3@4.50", "--json")
    assert r.exit_code == 0, r.stderr
    so = r.json()
    # 3 × 4.50 = 13.50 + 18 % = 2.43: 15.93 USD, its line in USD too
    assert (so["currency"], so["net"], so["vat"], so["gross"]) == (
        "USD", "13.50", "2.43", "15.93")
    assert [(ln["sku"], ln["unit_price"]) for ln in so["lines"]] == [("W1", "4.50")]
    assert "USD" in fx("sale", "show", number).stdout
    # invoiced in USD at the invoice date's rate: 15.93 × 2.70 = 43.011 → 43.01
    fx("sale", "confirm", number)
    assert fx("sale", "invoice", number, "--date", "2026-12-03").stdout == "INV-2026-0001\n"
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["currency"], inv["gross_fx"], inv["rate"]) == ("USD", "15.93", "2.7000")
    assert inv["net"] == "36.45" and inv["vat"] == "6.56"  # 13.50 × 2.7, 2.43 × 2.7
    # a second draft, to USD and back to the book's currency (its code): W1's own price
    so2 = fx("sale", "new", "Acme", "--currency", "USD", "--line", "W1=2@4", "--json").json()
    back = fx("sale", "edit", so2["number"], "--currency", "GEL", "--json")
    assert back.exit_code == 0, back.stderr
    b = back.json()
    assert (b["currency"], b["gross"]) == (None, "23.60")  # 2 × 10.00 + 18 %
    assert [ln["unit_price"] for ln in b["lines"]] == ["10.00"]
    audit = fx("audit", "--json").json()
    assert any(a["action"] == "update" and a["id"] == so2["number"]
               and "currency" in a["summary"] for a in audit), audit[:3]
    assert fx("check").exit_code == 0


def test_a_draft_purchase_goes_to_usd_with_its_costs(fx):
    fx("product", "add", "W1", "Widget", "--price", "10", "--cost", "5")
    po = fx("purchase", "new", "Globex", "--line", "W1=10", "--json").json()
    r = fx("purchase", "edit", po["number"], "--currency", "USD", "--line", "W1=10@2",
           "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["currency"], r.json()["gross"]) == ("USD", "23.60")


def test_refused_and_nothing_written(fx, book_path):
    number = _ready(fx)
    before = content_hash(book_path)
    # the lines' prices are lari: in USD each needs its own, as `sale new --currency` does
    r = fx("sale", "edit", number, "--currency", "USD")
    assert (r.exit_code, r.stdout) == (1, "")
    assert "line 1: give W1's price in USD as W1=QTY@PRICE" in r.stderr, r.stderr
    r = fx("sale", "edit", number, "--currency", "USD", "--line", "W1=3@4", "--line", "W1=1")
    assert "line 2: give W1's price in USD" in r.stderr, r.stderr
    r = fx("sale", "edit", number, "--currency", "XQZ", "--line", "W1=3@4")
    assert "'XQZ' is not an ISO 4217 currency code" in r.stderr, r.stderr
    assert content_hash(book_path) == before
    # past its draft: confirmed, then shipped; the currency stays
    fx("stock", "adjust", "W1", "10", "--cost", "5")
    fx("sale", "confirm", number)
    fx("sale", "ship", number, "--date", "2026-12-03")
    before = content_hash(book_path)
    r = fx("sale", "edit", number, "--currency", "USD", "--line", "W1=3@4")
    assert r.exit_code == 1
    assert f"{number} is shipped: only a draft can be edited" in r.stderr, r.stderr
    assert content_hash(book_path) == before
    assert fx("sale", "show", number, "--json").json()["currency"] is None
