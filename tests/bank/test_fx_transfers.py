"""Transfers between own accounts when one or both are kept in dollars: USD to USD paired
by the dollar amount, a currency exchange at the bank (USD to lari, lari to USD) by the
lari amounts at the day's rate within 2 %, its exchange difference in the same entry. The
postings are hand-computed: dollars × 2.75 (the rate table's rate from December 10th),
half-up to the tetri."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bank.conftest import ok
from tests.fx.test_documents_fx import postings

HEAD = "date,amount,description,counterparty,reference\n"


def statement(tmp_path: Path, name: str, rows: str) -> str:
    path = tmp_path / name
    path.write_text(HEAD + rows, encoding="utf-8")
    return str(path)


def by_amount(cli, account):
    return {x["amount"]: x for x in ok(cli, "bank", "list", "--account", account,
                                       "--json").json()}


@pytest.fixture
def two_usd(cli):
    """Test Co (GEL) with 1021 Bank USD and 1022 Cash USD; USD 2.70 from December 1st,
    2.75 from the 10th."""
    for code, name in (("1021", "Bank USD"), ("1022", "Cash USD")):
        ok(cli, "account", "add", code, name, "--type", "asset", "--currency", "USD")
    ok(cli, "rate", "set", "USD", "2.70", "--date", "2026-12-01")
    ok(cli, "rate", "set", "USD", "2.75", "--date", "2026-12-10")
    return cli


def test_usd_to_usd_and_exchanges_to_and_from_lari_are_paired(two_usd, tmp_path):
    cli = two_usd
    usd = statement(tmp_path, "usd.csv",
                    "2026-12-11,-500.00,To the till,,\n"
                    "2026-12-15,-1000.00,Sold USD,,\n"
                    "2026-12-16,1000.00,Bought USD,,\n"
                    "2026-12-20,-100.00,Card payment,,\n")
    r = ok(cli, "bank", "import", usd, "--account", "1021", "--json").json()
    assert r["matched"]["transfers"] == 0  # its partners are not in yet
    till = statement(tmp_path, "till.csv", "2026-12-12,500.00,From the bank,,\n")
    r = ok(cli, "bank", "import", till, "--account", "1022", "--json").json()
    assert r["matched"]["transfers"] == 1
    gel = statement(tmp_path, "gel.csv",
                    "2026-12-15,2722.50,USD sold,,\n"
                    "2026-12-16,-2730.00,USD bought,,\n"
                    "2026-12-20,300.00,Customer,,\n")
    r = ok(cli, "bank", "import", gel, "--account", "1010", "--json").json()
    assert r["matched"]["transfers"] == 2
    dollars, till_lines, lari = by_amount(cli, "1021"), by_amount(cli, "1022"), by_amount(
        cli, "1010")

    # USD to USD by the dollar amount, on the later day at its rate: 500 x 2.75 = 1375.00
    out, into = dollars["-500.00"], till_lines["500.00"]
    assert out["entry"] == into["entry"] and out["status"] == into["status"] == "matched"
    entry = ok(cli, "journal", "show", out["entry"], "--json").json()
    assert (entry["date"], entry["memo"]) == ("2026-12-12", "Transfer 1021 -> 1022")
    assert postings(cli, out["entry"]) == [("1022", "1375.00", "500.00 USD @2.7500"),
                                           ("1021", "-1375.00", "-500.00 USD @2.7500")]
    # USD sold at the bank: 1000 x 2.75 = 2750.00 out, 2722.50 in: 27.50 lost (1 %)
    out, into = dollars["-1000.00"], lari["2722.50"]
    assert out["entry"] == into["entry"]
    assert ok(cli, "journal", "show", out["entry"], "--json").json()["memo"] == \
        "Currency exchange 1021 -> 1010"
    assert postings(cli, out["entry"]) == [("1010", "2722.50", None),
                                           ("1021", "-2750.00", "-1000.00 USD @2.7500"),
                                           ("7950", "27.50", None)]
    # USD bought: 2730.00 out for 1000 USD worth 2750.00 at the day's rate: 20.00 gained
    out, into = lari["-2730.00"], dollars["1000.00"]
    assert out["entry"] == into["entry"]
    assert postings(cli, out["entry"]) == [("1021", "2750.00", "1000.00 USD @2.7500"),
                                           ("1010", "-2730.00", None),
                                           ("4950", "-20.00", None)]
    # 100 USD is 275.00: 300.00 in is 9 % more, no exchange (the tolerance is 2 %)
    assert dollars["-100.00"]["status"] == lari["300.00"]["status"] == "unmatched"
    ok(cli, "check")

    # unmatched, an exchange's entry is reversed and both lines are open again
    assert ok(cli, "bank", "unmatch", str(lari["2722.50"]["id"])).stdout.startswith("JE-")
    assert by_amount(cli, "1021")["-1000.00"]["status"] == "unmatched"
    assert by_amount(cli, "1010")["2722.50"]["status"] == "unmatched"
    tb = {row["code"]: row for row in ok(cli, "report", "tb", "--as-of", "2026-12-31",
                                         "--json").json()["rows"]}
    # what stays on 1021: -1375.00 (-500 USD) to the till, 2750.00 (1000 USD) bought
    assert (tb["1021"]["balance"], tb["1021"]["balance_fx"]) == ("1375.00", "500.00")
    assert (tb["1022"]["balance"], tb["1022"]["balance_fx"]) == ("1375.00", "500.00")
    assert tb["4950"]["balance"] == "-20.00" and tb.get("7950", {}).get("balance",
                                                                       "0.00") == "0.00"
    ok(cli, "check")


def test_an_exchange_waits_for_the_days_rate(cli, tmp_path):
    ok(cli, "account", "add", "1021", "Bank USD", "--type", "asset", "--currency", "USD")
    usd = statement(tmp_path, "usd.csv", "2026-12-15,-1000.00,Sold USD,,\n")
    gel = statement(tmp_path, "gel.csv", "2026-12-15,2722.50,USD sold,,\n")
    ok(cli, "bank", "import", usd, "--account", "1021")
    r = ok(cli, "bank", "import", gel, "--account", "1010", "--json").json()
    assert r["matched"]["transfers"] == 0  # no USD rate yet: left for later
    ok(cli, "rate", "set", "USD", "2.75", "--date", "2026-12-15")
    assert ok(cli, "bank", "match", "--auto", "--json").json()["transfers"] == 1
    entry = by_amount(cli, "1010")["2722.50"]["entry"]
    assert postings(cli, entry) == [("1010", "2722.50", None),
                                    ("1021", "-2750.00", "-1000.00 USD @2.7500"),
                                    ("7950", "27.50", None)]
    ok(cli, "check")
