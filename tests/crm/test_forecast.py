"""The forecast on a pipeline whose numbers were worked out by hand."""

from __future__ import annotations

import pytest

from smallbiz.crm.deals import add_deal, move_deal
from smallbiz.crm.service import create_contact
from tests.crm.conftest import tx

#: (title, value, stage, probability, expected close, closed on)
PIPELINE = [
    ("A", "10000.00", "proposal", None, "2027-01-15", None),  # 50 % -> 5000.00
    ("B", "3333.33", "qualified", None, "2027-01-31", None),  # 25 % -> 833.3325 -> 833.33
    ("C", "1000.05", "lead", None, "2027-02-01", None),  # 10 % -> 100.005 -> 100.01 (half-up)
    ("D", "7500.00", "negotiation", "60", "2027-02-28", None),  # overridden 60 % -> 4500.00
    ("E", "2000.00", "lead", None, None, None),  # no date -> 200.00
    ("I", "999.99", "proposal", None, "2026-12-31", None),  # 50 % -> 499.995 -> 500.00
    ("F", "5000.00", "won", None, "2026-09-30", "2026-10-05"),
    ("G", "1234.56", "won", None, None, "2026-11-20"),
    ("H", "800.00", "lost", None, "2026-12-01", "2026-11-01"),
]


@pytest.fixture
def pipeline(book, cli):
    tx(book, create_contact, "Kartuli Foods LLC", kind="organization", customer=True)
    for title, value, stage, pct, close, closed in PIPELINE:
        tx(book, add_deal, "Kartuli", title, value, stage=stage, probability=pct,
           expected_close=close, on=closed)
    return cli


def test_whole_pipeline(pipeline):
    f = pipeline("report", "forecast", "--json").json()
    assert f["rows"] == [
        {"month": "2026-12", "count": 1, "value": "999.99", "weighted": "500.00"},
        {"month": "2027-01", "count": 2, "value": "13333.33", "weighted": "5833.33"},
        {"month": "2027-02", "count": 2, "value": "8500.05", "weighted": "4600.01"},
        {"month": None, "count": 1, "value": "2000.00", "weighted": "200.00"},
    ]
    assert (f["open_count"], f["open_value"], f["weighted_value"]) == (6, "24833.37",
                                                                       "11133.34")
    assert (f["won_count"], f["won_value"], f["lost_count"], f["lost_value"]) == (
        2, "6234.56", 1, "800.00")


def test_period(pipeline):
    f = pipeline("report", "forecast", "--from", "2026-11-01", "--to", "2027-01-31",
                 "--json").json()
    assert [(r["month"], r["count"], r["value"], r["weighted"]) for r in f["rows"]] == [
        ("2026-12", 1, "999.99", "500.00"), ("2027-01", 2, "13333.33", "5833.33")]
    assert (f["open_count"], f["open_value"], f["weighted_value"]) == (3, "14333.32",
                                                                       "6333.33")
    assert (f["won_count"], f["won_value"], f["lost_count"], f["lost_value"]) == (
        1, "1234.56", 1, "800.00")


def test_moves_change_the_forecast(book, pipeline):
    tx(book, move_deal, "A", "won", on="2027-01-10")
    tx(book, move_deal, "H", "qualified")  # reopened: back in the pipeline at 25 %
    f = pipeline("report", "forecast", "--json").json()
    jan = next(r for r in f["rows"] if r["month"] == "2027-01")
    assert (jan["count"], jan["value"], jan["weighted"]) == (1, "3333.33", "833.33")
    dec = next(r for r in f["rows"] if r["month"] == "2026-12")
    assert (dec["count"], dec["value"], dec["weighted"]) == (2, "1799.99", "700.00")
    assert (f["won_count"], f["won_value"], f["lost_count"]) == (3, "16234.56", 0)


def test_human_table(pipeline, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = pipeline("report", "forecast").stdout
    assert "2027-01" in out and "13,333.33" in out and "5,833.33" in out
    assert "no date" in out and "Open pipeline" in out and "24,833.37" in out
    assert "11,133.34" in out and "6,234.56" in out
