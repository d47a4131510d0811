"""Moving-average cost and valuation with exact amounts, through the service API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz import settings
from smallbiz.check import run_checks
from smallbiz.errors import AmbiguousReference, NotFound, RuleViolation, ValidationError
from smallbiz.stock import service as st
from tests import engine
from tests.conftest import content_hash


@pytest.fixture
def tool(book):
    with book.transaction() as s:
        return st.add_product(s, "TOOL-01", "Hammer", price="25.00", cost="12.00",
                              reorder="10").id


def _product(book, pid):
    with book.read() as s:
        return st.get_product(s, pid)


def test_receipts_at_different_costs_then_issues_at_average(book, tool):
    with book.transaction() as s:
        r1 = st.receive_stock(s, tool, "10", "1.00", "2026-01-01", source="receipt", source_id=1)
        r2 = st.receive_stock(s, tool, "20", "1.11", "2026-01-02", source="receipt", source_id=2)
    assert (r1.value, r2.value) == (D("10.00"), D("22.20"))
    p = _product(book, tool)
    assert (p.on_hand, p.value, p.average_cost) == (D("30"), D("32.20"), D("1.073333"))
    with book.transaction() as s:
        i1 = st.issue_stock(s, tool, "7", "2026-01-03", source="shipment", source_id=3)
        i2 = st.issue_stock(s, tool, "3", "2026-01-04", source="shipment", source_id=4)
    # 7 × 32.20 / 30 = 7.5133 -> 7.51; then 3 × 24.69 / 23 = 3.2204 -> 3.22
    assert (i1.quantity, i1.value, i1.amount) == (D("-7"), D("-7.51"), D("7.51"))
    assert i2.value == D("-3.22")
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("20"), D("21.47"))
    # a later receipt moves the average
    with book.transaction() as s:
        st.receive_stock(s, tool, "10", "2.00", "2026-01-05", source="receipt", source_id=5)
    p = _product(book, tool)
    assert (p.on_hand, p.value, p.average_cost) == (D("30"), D("41.47"), D("1.382333"))


def test_emptying_the_stock_takes_exactly_what_is_left(book, tool):
    with book.transaction() as s:
        r = st.receive_stock(s, tool, "3", "3.333333", "2026-02-01", source="receipt",
                             source_id=1)
        assert r.value == D("10.00")  # 9.999999 rounds to 10.00
        a = st.issue_stock(s, tool, "1", "2026-02-02", source="shipment", source_id=2)
        b = st.issue_stock(s, tool, "1", "2026-02-03", source="shipment", source_id=3)
        c = st.issue_stock(s, tool, "1", "2026-02-04", source="shipment", source_id=4)
    # 10/3 = 3.333 -> 3.33; 6.67/2 = 3.335 -> 3.34 (half-up); the last one takes the rest
    assert [a.amount, b.amount, c.amount] == [D("3.33"), D("3.34"), D("3.33")]
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("0"), D("0.00"))
    assert p.average_cost == D("3.33")  # the last average, remembered for later issues


def test_rounding_of_receipts_is_half_up_per_move(book, tool):
    with book.transaction() as s:
        a = st.receive_stock(s, tool, "3", "0.125", "2026-01-01", source="receipt", source_id=1)
        b = st.receive_stock(s, tool, "0.5", "0.01", "2026-01-01", source="receipt",
                             source_id=2)
        c = st.receive_stock(s, tool, "3", "9.99", "2026-01-01", source="receipt", source_id=3,
                             value=D("29.00"))  # the document's line net after discount
    assert (a.value, b.value, c.value) == (D("0.38"), D("0.01"), D("29.00"))
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("6.5"), D("29.39"))


def test_oversell_is_refused_and_nothing_is_written(book, book_path, tool):
    with book.transaction() as s:
        st.receive_stock(s, tool, "5", "2", "2026-01-01", source="receipt", source_id=1)
    before = content_hash(book_path)
    with pytest.raises(RuleViolation, match=r"not enough stock of TOOL-01: 3 pcs on hand, "
                                            r"4 requested"):
        with book.transaction() as s:
            st.issue_stock(s, tool, "2", "2026-01-02", source="shipment", source_id=2)
            st.issue_stock(s, tool, "4", "2026-01-02", source="shipment", source_id=2)
    assert content_hash(book_path) == before


def test_negative_stock_when_the_book_allows_it(book, tool):
    with book.transaction() as s:
        settings.change(s, "negative_stock", "yes")
        st.receive_stock(s, tool, "2", "2.50", "2026-01-01", source="receipt", source_id=1)
        out = st.issue_stock(s, tool, "3", "2026-01-02", source="shipment", source_id=2)
    # the 2 on hand take their 5.00, the extra unit the average 2.50
    assert out.value == D("-7.50")
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("-1"), D("-2.50"))
    with book.transaction() as s:
        st.receive_stock(s, tool, "4", "3.00", "2026-01-03", source="receipt", source_id=3)
        last = st.issue_stock(s, tool, "3", "2026-01-04", source="shipment", source_id=4)
    assert last.value == D("-9.50")  # emptying carries the difference to cost
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("0"), D("0.00"))
    # nothing on hand: the last average, else the default cost
    with book.transaction() as s:
        assert st.issue_stock(s, tool, "2", "2026-01-05", source="shipment",
                              source_id=5).value == D("-6.33")  # 2 × 3.166667


def test_reverse_moves_of_a_cancelled_document(book, book_path, tool):
    with book.transaction() as s:
        st.receive_stock(s, tool, "10", "2.00", "2026-01-01", source="receipt", source_id=1)
        st.issue_stock(s, tool, "4", "2026-01-02", source="shipment", source_id=7)
    with book.transaction() as s:
        back = st.reverse_moves(s, "shipment", 7, "2026-01-03")
    assert [(m.quantity, m.value, m.source, m.source_id) for m in back] == [
        (D("4"), D("8.00"), "reversal", 7)]
    with book.transaction() as s:
        assert st.reverse_moves(s, "shipment", 7, "2026-01-03") == []  # already reversed
        assert [m.quantity for m in st.moves_of(s, "shipment", 7)] == [D("-4"), D("4")]
        st.issue_stock(s, tool, "5", "2026-01-04", source="shipment", source_id=8)
    before = content_hash(book_path)
    with pytest.raises(RuleViolation, match="TOOL-01 would go below zero"):
        with book.transaction() as s:
            st.reverse_moves(s, "receipt", 1, "2026-01-05")
    assert content_hash(book_path) == before
    p = _product(book, tool)
    assert (p.on_hand, p.value) == (D("5"), D("10.00"))


def test_moves_are_immutable_in_the_database(book, book_path, tool):
    with book.transaction() as s:
        st.receive_stock(s, tool, "1", "1", "2026-01-01", source="receipt", source_id=1)
    assert "immutable" in engine.refused(book_path, "UPDATE stock_move SET quantity = 5000")
    assert "immutable" in engine.refused(book_path, "DELETE FROM stock_move")


def test_refused_inputs(book, tool):
    with book.transaction() as s:
        svc = st.add_product(s, "SVC-01", "Installation hour", price="40", service=True)
        with pytest.raises(RuleViolation, match="SVC-01 is a service"):
            st.receive_stock(s, svc.id, "1", "1", "2026-01-01", source="receipt", source_id=1)
        with pytest.raises(ValidationError, match="more than zero"):
            st.issue_stock(s, tool, "0", "2026-01-01", source="shipment", source_id=1)
        with pytest.raises(ValidationError, match="more than 3 decimals"):
            st.receive_stock(s, tool, "1.0001", "1", "2026-01-01", source="receipt",
                             source_id=1)
        with pytest.raises(RuleViolation, match="already exists"):
            st.add_product(s, "tool-01", "Another hammer", price="1")
        with pytest.raises(ValidationError, match="sku"):
            st.add_product(s, "BAD SKU", "x", price="1")
        with pytest.raises(ValidationError, match="price"):
            st.add_product(s, "P2", "x", price="-1")
        with pytest.raises(ValidationError, match="vat"):
            st.add_product(s, "P2", "x", price="1", vat_rate="120")


def test_resolve_product_by_sku_name_prefix(book, tool):
    with book.transaction() as s:
        st.add_product(s, "TOOL-02", "Screwdriver", price="5")
        st.add_product(s, "NAIL-100", "ლურსმანი 100 ც", price="3")
        assert st.resolve_product(s, "tool-01").id == tool
        assert st.resolve_product(s, "hammer").id == tool
        assert st.resolve_product(s, "Screw").sku == "TOOL-02"
        assert st.resolve_product(s, "ლურსმანი").sku == "NAIL-100"
        with pytest.raises(AmbiguousReference, match="TOOL-01 .*TOOL-02"):
            st.resolve_product(s, "TOOL")
        with pytest.raises(NotFound):
            st.resolve_product(s, "NOPE")


def test_default_vat_is_the_books_and_product_360_has_providers(book, tool):
    def provider(s, product_id):  # registered after the orders one: its value wins
        return {"open_sales_quantity": D("3")}

    from smallbiz.app import root

    with book.read() as s:
        view = st.product_360(s, "TOOL-01", sections=(*root.PRODUCT_SECTIONS, provider))
    assert view.product.vat_rate == D("18")
    assert view.extra["open_sales_quantity"] == D("3")


def test_check_finds_a_receipt_without_its_entry(book, tool):
    with book.transaction() as s:
        st.receive_stock(s, tool, "2", "5", "2026-01-01", source="receipt", source_id=1)
    assert run_checks(book) == [
        "stock valuation 10.00 differs from the Inventory account 1200 balance 0.00"]
