"""Line math: half-up per line, totals are sums of lines; the entries carry the same cents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.errors import ValidationError
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput, line_amounts, parse_line_spec
from tests.orders.conftest import assert_ok, balances, day, tx


@pytest.mark.parametrize("qty, price, discount, rate, net, vat", [
    ("3", "0.33", "0", "18", "0.99", "0.18"),        # 0.1782 -> 0.18
    ("1", "0.25", "0", "18", "0.25", "0.05"),        # 0.045 -> 0.05 (half-up, not to even)
    ("1", "0.99", "15", "18", "0.84", "0.15"),       # 0.8415 -> 0.84; 0.1512 -> 0.15
    ("3", "25.00", "10", "18", "67.50", "12.15"),
    ("2.5", "0.333333", "0", "18", "0.83", "0.15"),  # 0.8333325 -> 0.83; 0.1494 -> 0.15
    ("1", "0.125", "0", "0", "0.13", "0.00"),        # 0.125 -> 0.13
    ("7", "1.15", "0", "5", "8.05", "0.40"),         # 0.4025 -> 0.40
])
def test_line_amounts_half_up(qty, price, discount, rate, net, vat):
    a = line_amounts(D(qty), D(price), D(discount), D(rate), 2)
    assert (a.net, a.vat, a.gross) == (D(net), D(vat), D(net) + D(vat))


def test_totals_are_sums_of_rounded_lines_not_rounded_sums(shop):
    # two lines of 1 × 0.25 at 18 %: VAT 0.05 each = 0.10, where 0.50 × 18 % would be 0.09
    tx(shop, orders.create_order, "purchase", "Batumi Supply",
       [LineInput("NAIL-01", D(100), D("0.10"))], on=day("2026-06-01"))
    so = tx(shop, orders.create_order, "sale", "Kartuli",
            [LineInput("NAIL-01", D(1), D("0.25")), LineInput("NAIL-01", D(1), D("0.25"))],
            on=day("2026-06-01"))
    assert (so.net, so.vat, so.gross) == (D("0.50"), D("0.10"), D("0.60"))


def test_three_nails_at_33_tetri_in_the_books(shop):
    po = tx(shop, orders.create_order, "purchase", "Batumi Supply",
            [LineInput("NAIL-01", D(10), D("0.10"))], on=day("2026-06-01"))
    tx(shop, orders.confirm_order, "purchase", po.number)
    tx(shop, orders.receive_order, po.number, on=day("2026-06-01"))
    so = tx(shop, orders.create_order, "sale", "Kartuli", [LineInput("NAIL-01", D(3))],
            on=day("2026-06-02"))
    assert (so.net, so.vat, so.gross) == (D("0.99"), D("0.18"), D("1.17"))
    tx(shop, orders.confirm_order, "sale", so.number)
    tx(shop, orders.ship_order, so.number, on=day("2026-06-02"))
    tx(shop, orders.invoice_order, so.number, on=day("2026-06-02"))
    b = balances(shop)
    assert (b["1100"], b["4000"], b["2100"], b["5000"]) == (
        D("1.17"), D("-0.99"), D("-0.18"), D("0.30"))
    # the bill: 10 × 0.10 = 1.00 + VAT 0.18; stock left 7 at 0.70
    assert (b["1200"], b["1300"], b["2000"]) == (D("0.70"), D("0.18"), D("-1.18"))
    assert_ok(shop)


@pytest.mark.parametrize("text, expected", [
    ("TOOL-01=30", LineInput("TOOL-01", D(30))),
    ("TOOL-01=50@12.00", LineInput("TOOL-01", D(50), D("12.00"))),
    ("TOOL-01=2.5@0.333333-7.5%", LineInput("TOOL-01", D("2.5"), D("0.333333"), D("7.5"))),
    ("TOOL-01=3-10%", LineInput("TOOL-01", D(3), None, D(10))),
])
def test_line_specs(text, expected):
    assert parse_line_spec(text) == expected


@pytest.mark.parametrize("text, message", [
    ("TOOL-01", "expected SKU=QTY"),
    ("=3", "expected SKU=QTY"),
    ("TOOL-01=0", "the quantity must be more than 0"),
    ("TOOL-01=-2", "quantity"),
    ("TOOL-01=x", "'x' is not a valid quantity"),
    ("TOOL-01=1.0001", "more than 3 decimals"),
    ("TOOL-01=3@abc", "'abc' is not a valid price"),
    ("TOOL-01=3@1.1234567", "more than 6 decimals"),
    ("TOOL-01=3@10-150%", "discount: 150.00 is not between 0 and 100"),
])
def test_bad_line_specs_say_what_and_where(text, message):
    with pytest.raises(ValidationError, match=message) as err:
        parse_line_spec(text, 2)
    assert f"--line 2 ('{text}')" in str(err.value)
