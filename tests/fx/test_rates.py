"""The book's rate table: `rate set|list|import` and the lookup documents use (the latest
rate on or before a date), on a real book through the real CLI."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from smallbiz.books.fx import rate_on
from smallbiz.errors import RuleViolation
from tests.orders.conftest import day, rd

DATA = Path(__file__).parent / "data"


def test_set_and_list_rates(cli):
    assert cli("rate", "set", "USD", "2.6950", "--date", "2026-12-01").stdout == (
        "USD 2026-12-01 2.6950\n")
    assert cli("rate", "set", "usd", "2.7000", "--date", "2026-12-03").exit_code == 0
    assert cli("rate", "set", "EUR", "2.91", "--date", "2026-12-02").exit_code == 0
    # the same day again replaces that day's rate
    assert cli("rate", "set", "USD", "2.7010", "--date", "2026-12-03").exit_code == 0
    assert cli("rate", "list", "--json").json() == [
        {"currency": "EUR", "date": "2026-12-02", "rate": "2.9100"},
        {"currency": "USD", "date": "2026-12-01", "rate": "2.6950"},
        {"currency": "USD", "date": "2026-12-03", "rate": "2.7010"}]
    assert [r["date"] for r in cli("rate", "list", "--currency", "USD", "--json").json()] == [
        "2026-12-01", "2026-12-03"]
    shown = cli("rate", "list").stdout
    assert "2.6950" in shown and "EUR" in shown


def test_lookup_takes_the_latest_rate_on_or_before_the_date(cli, book):
    cli("rate", "set", "USD", "2.6950", "--date", "2026-12-01")
    cli("rate", "set", "USD", "2.7000", "--date", "2026-12-03")
    assert rd(book, rate_on, "USD", day("2026-12-01")) == D("2.695")
    assert rd(book, rate_on, "USD", day("2026-12-02")) == D("2.695")
    assert rd(book, rate_on, "USD", day("2026-12-03")) == D("2.7")
    assert rd(book, rate_on, "USD", day("2027-01-15")) == D("2.7")
    with pytest.raises(RuleViolation, match="no USD rate on or before 2026-11-30"):
        rd(book, rate_on, "USD", day("2026-11-30"))
    with pytest.raises(RuleViolation, match="no EUR rate"):
        rd(book, rate_on, "EUR", day("2026-12-05"))


def test_bad_rates_are_refused(cli):
    r = cli("rate", "set", "GEL", "1", "--date", "2026-12-01")
    assert (r.exit_code, r.stderr) == (1, "error: currency: GEL is the book's own currency\n")
    assert "must be more than 0" in cli("rate", "set", "USD", "0").stderr
    assert "not an ISO 4217" in cli("rate", "set", "XYZ", "2").stderr
    assert "more than 6 decimals" in cli("rate", "set", "USD", "2.1234567").stderr
    assert cli("rate", "list", "--json").json() == []


def test_import_the_national_bank_export(cli):
    r = cli("rate", "import", str(DATA / "nbg_rates.csv"))
    assert (r.exit_code, r.stdout) == (0, "4 rates imported (AMD, EUR, JPY, USD)\n")
    assert cli("rate", "list", "--json").json() == [
        {"currency": "AMD", "date": "2026-12-01", "rate": "0.006953"},  # 6.9531 / 1000
        {"currency": "EUR", "date": "2026-12-01", "rate": "2.9125"},
        {"currency": "JPY", "date": "2026-12-01", "rate": "0.017958"},  # 1.7958 / 100
        {"currency": "USD", "date": "2026-12-01", "rate": "2.7010"}]
    assert cli("check").exit_code == 0


def test_import_the_simple_layout_replaces_a_day(cli, tmp_path):
    cli("rate", "set", "USD", "2.60", "--date", "2026-12-01")
    f = tmp_path / "rates.csv"
    f.write_text("date,currency,rate\n2026-12-01,USD,2.6950\n2026-12-02,usd,2.7\n\n"
                 "2026-12-02,EUR,2.9\n", encoding="utf-8")
    r = cli("rate", "import", str(f), "--json")
    assert r.json() == {"rates": 3, "currencies": ["EUR", "USD"], "from": "2026-12-01",
                        "to": "2026-12-02"}
    assert [(x["currency"], x["date"], x["rate"]) for x in cli("rate", "list", "--json").json()
            ] == [("EUR", "2026-12-02", "2.9000"), ("USD", "2026-12-01", "2.6950"),
                  ("USD", "2026-12-02", "2.7000")]
    f.write_text("2026-12-05,USD,2.71\n", encoding="utf-8")  # no header
    assert cli("rate", "import", str(f)).stdout == "1 rates imported (USD)\n"


def test_a_broken_file_writes_nothing_and_names_every_bad_line(cli, tmp_path):
    f = tmp_path / "rates.csv"
    f.write_text("date,currency,rate\n"
                 "2026-12-01,USD,2.6950\n"
                 "01.12.2026,USD,2.70\n"
                 "2026-12-01,DOLLARS,2.70\n"
                 "2026-12-01,EUR,zero\n"
                 "2026-12-01,GEL,1\n"
                 "2026-12-01,USD,2.71\n"
                 "2026-12-02,EUR\n", encoding="utf-8")
    r = cli("rate", "import", str(f))
    assert r.exit_code == 1
    assert r.stderr == (
        "error: rates.csv line 3: '01.12.2026' is not a date (YYYY-MM-DD)\n"
        "rates.csv line 4: 'DOLLARS' is not a currency code\n"
        "rates.csv line 5: rate 'zero' is not a number more than 0\n"
        "rates.csv line 6: GEL is the book's own currency\n"
        "rates.csv line 7: USD on 2026-12-01 has another rate on line 2\n"
        "rates.csv line 8: expected 3 fields, found 2\n"
        "nothing was imported\n")
    assert cli("rate", "list", "--json").json() == []
    f.write_text("day,what,value\n2026-12-01,USD,2\n", encoding="utf-8")
    assert "line 1: expected the columns date,currency,rate" in cli(
        "rate", "import", str(f)).stderr
    nbg = tmp_path / "nbg.csv"
    nbg.write_text("code,quantity,rate,date\nUSD,0,2.70,2026-12-01\n", encoding="utf-8")
    assert cli("rate", "import", str(nbg)).stderr == (
        "error: nbg.csv line 2: quantity '0' is not a number more than 0\n"
        "nothing was imported\n")
    assert cli("rate", "list", "--json").json() == []


def test_a_rate_file_is_read_like_every_imported_text(cli, tmp_path):
    """UTF-16 with a BOM (what a spreadsheet's 'Unicode text' saves) is read; a legacy
    code page is refused with the line of the bad byte and nothing is written."""
    f = tmp_path / "rates.csv"
    f.write_text("date,currency,rate\n2026-12-01,USD,2.6950\n", encoding="utf-16")
    assert cli("rate", "import", str(f)).exit_code == 0
    assert [r["rate"] for r in cli("rate", "list", "--json").json()] == ["2.6950"]
    f.write_bytes(b"date,currency,rate\n2026-12-02,EUR,2.90 \xb9\n")  # a cp1251 byte
    r = cli("rate", "import", str(f))
    assert (r.exit_code, r.stderr) == (1, "error: rates.csv line 2: not UTF-8 text (byte "
                                          "0xB9); save the file as UTF-8\n")
    assert len(cli("rate", "list", "--json").json()) == 1
