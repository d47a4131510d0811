"""Journals with a second commodity priced in the book's (`@` / `@@`): imported as
foreign postings, exported with `@@` so hledger's `bal -B` gives the book's totals."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_runner
from tests.fx.test_documents_fx import balances, ok, postings

PRICED = """\
2026-12-01 Invoice in dollars
    assets:1100 Receivable    1180.00 USD @@ 3186.00 GEL
    income:4100 Services     -3186.00 GEL

2026-12-10 Paid
    assets:1010 Bank            100 USD @ 2.75 GEL
    assets:1100 Receivable     -100 USD @ 2.70 GEL
    income:4950 Gain
"""


def test_priced_amounts_import_as_foreign_postings(cli, tmp_path: Path):
    f = tmp_path / "priced.journal"
    f.write_text(PRICED, encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 0, r.stderr
    assert postings(cli, "JE-2026-0001") == [
        ("1100", "3186.00", "1180.00 USD @2.7000"), ("4100", "-3186.00", None)]
    assert postings(cli, "JE-2026-0002") == [
        ("1010", "275.00", "100.00 USD @2.7500"), ("1100", "-270.00", "-100.00 USD @2.7000"),
        ("4950", "-5.00", None)]
    ok(cli)


def test_a_total_no_six_decimal_rate_gives_stays_in_the_book_currency(cli, tmp_path: Path):
    f = tmp_path / "odd.journal"
    # 3 USD for 10.00 GEL: 3.333333 x 3 = 9.999999 -> 10.00 (kept); 30000 for 100000.01 not
    f.write_text("2026-12-01 a\n    assets:1010 Bank  3 USD @@ 10.00 GEL\n"
                 "    equity:3000 Equity\n\n"
                 "2026-12-02 b\n    assets:1010 Bank  30000 USD @@ 100000.01 GEL\n"
                 "    equity:3000 Equity\n", encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 0, r.stderr
    assert "1 priced amounts kept in the book's currency only" in r.stdout + r.stderr
    assert postings(cli, "JE-2026-0001")[0] == ("1010", "10.00", "3.00 USD @3.333333")
    assert postings(cli, "JE-2026-0002")[0] == ("1010", "100000.01", None)
    ok(cli)


@pytest.mark.parametrize(("amount", "message"), [
    ("10 GEL @ 2.7 GEL", "line 2: '10 GEL @ 2.7 GEL': the priced amount is not in another "
                         "currency's ISO code"),
    ("10 XYZ @@ 27 GEL", "the priced amount is not in another currency's ISO code"),
    ("10 USD @ 2.7 EUR", "the price must be in the book's currency GEL"),
    ("10 USD @ 2.71234567 GEL", "a unit price has at most 6 decimals"),
    ("-10 USD @@ -27 GEL", "a total price (@@) is written without a sign"),
])
def test_bad_prices_are_refused(cli, tmp_path: Path, amount: str, message: str):
    f = tmp_path / "bad.journal"
    f.write_text(f"2026-12-01 x\n    assets:1010 Bank  {amount}\n    equity:3000 Equity\n",
                 encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 1 and message in r.stderr, r.stderr
    assert cli("journal", "list", "--json").json() == []


def test_export_writes_the_foreign_amount_with_its_total_price(cli, tmp_path: Path,
                                                               another_book):
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.70", "--date",
        "2026-12-01", "--line", "Design=1@100.10;vat=0")
    cli("pay", "in", "INV-2026-0001", "50.05", "--rate", "2.75", "--date", "2026-12-05")
    cli("pay", "in", "INV-2026-0001", "50.05", "--rate", "2.65", "--date", "2026-12-08")
    out = tmp_path / "fx.journal"
    assert cli("export", "journal", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "100.10 USD @@ 270.27 GEL" in text
    assert "-50.05 USD @@ 135.14 GEL" in text and "50.05 USD @@ 132.63 GEL" in text
    expected = {code: value for code, value in balances(cli).items() if value != "0.00"}
    if shutil.which("hledger") is not None:
        run = subprocess.run(["hledger", "-f", str(out), "bal", "-B", "--flat", "-O", "csv"],
                             capture_output=True, text=True, check=True)
        rows = list(csv.reader(io.StringIO(run.stdout)))
        assert rows[-1] == ["total", "0"]
        got = {account.split(":")[1].split(" ")[0]: balance.removesuffix(" GEL")
               for account, balance in rows[1:-1]}
        assert got == expected
    # and back: the same book
    copy = make_runner(another_book("copy.db"))
    assert copy("init", "--company", "Copy", "--currency", "GEL").exit_code == 0
    assert copy("import", "journal", str(out)).exit_code == 0
    assert {c: v for c, v in balances(copy).items() if v != "0.00"} == expected
    assert postings(copy, "JE-2026-0003")[1] == ("1100", "-135.14", "-50.05 USD @2.7001")
    ok(copy)


def hledger_totals(path: Path) -> dict[str, str]:
    """`hledger bal -B` (at cost: the book currency) by account code."""
    run = subprocess.run(["hledger", "-f", str(path), "bal", "-B", "--flat", "-O", "csv"],
                         capture_output=True, text=True, check=True)
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[-1] == ["total", "0"]
    return {account.split(":")[1].split(" ")[0]: balance.removesuffix(" GEL")
            for account, balance in rows[1:-1]}


def tb_rows(cli, as_of="2027-01-31"):
    rows = cli("report", "tb", "--as-of", as_of, "--json").json()["rows"]
    return {r["code"]: (r["balance"], r.get("currency"), r.get("balance_fx")) for r in rows
            if r["balance"] != "0.00" or r.get("balance_fx", "0.00") != "0.00"}


def test_a_book_with_a_usd_bank_account_round_trips(cli, tmp_path: Path, another_book):
    """A USD bank account with a USD invoice paid from it, a currency exchange to the lari
    bank and the month's revaluation (with its reversal): exported, imported into a new
    book, the same trial balance in both currencies, 1021 still kept in USD, `check`
    passes, hledger gives the same lari totals, and exported again the same journal."""
    from tests.bank.conftest import fixture

    cli("account", "add", "1021", "Bank USD", "--type", "asset", "--currency", "USD")
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("rate", "set", "USD", "2.70", "--date", "2026-12-01")
    cli("rate", "set", "USD", "2.75", "--date", "2026-12-10")
    cli("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
        "--line", "Consulting=1@1000;vat=18")  # 1180 USD x 2.70 = 3186.00
    r = cli("bank", "import", fixture("usd-dec.ofx"), "--account", "1021", "--json")
    assert r.json()["matched"]["payments"] == 1  # 1180 USD in at 2.75: 3245.00
    gel = tmp_path / "gel.csv"
    gel.write_text("date,amount,description,counterparty,reference\n"
                   "2027-01-05,1386.00,USD sold,,\n", encoding="utf-8")
    usd = tmp_path / "usd.csv"
    usd.write_text("date,amount,description,counterparty,reference\n"
                   "2027-01-05,-500.00,Sold USD,,\n", encoding="utf-8")
    fee = str(cli("bank", "list", "--unmatched", "--json").json()[0]["id"])
    assert cli("bank", "match", fee, "--account", "6800").exit_code == 0  # 12.50 USD: 34.38
    cli("rate", "set", "USD", "2.80", "--date", "2026-12-31")
    # 1167.50 USD x 2.80 = 3269.00 against 3245.00 - 34.38 = 3210.62: 58.38 gained
    v = cli("revalue", "--as-of", "2026-12-31", "--json").json()
    assert [(a["balance"], a["revalued"]) for a in v["accounts"]] == [("3210.62", "3269.00")]
    cli("bank", "import", str(usd), "--account", "1021")
    # in January at 2.80: 500 USD x 2.80 = 1400.00 out, 1386.00 in: 14.00 lost
    assert cli("bank", "import", str(gel), "--account", "1010", "--json").json()[
        "matched"]["transfers"] == 1
    ok(cli)
    out = tmp_path / "book.journal"
    assert cli("export", "journal", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # the account's currency is declared; the revaluation moves lari only, its rate tagged
    assert "account assets:1021 Bank USD  ; currency: USD\n" in text
    revaluation = text.split(f"({v['entry']})")[1].split("\n\n")[0].splitlines()[1]
    assert revaluation.split()[-9:] == ["58.38", "GEL", ";", "revaluation", "of", "1021,",
                                        "revalued:", "USD", "@2.800000"]
    expected = tb_rows(cli)
    assert expected["1021"] == ("1810.62", "USD", "667.50")  # 3210.62 - 1400.00

    copy = make_runner(another_book("copy.db"))
    assert copy("init", "--company", "Copy", "--currency", "GEL").exit_code == 0
    r = copy("import", "journal", str(out))
    assert r.exit_code == 0, r.stderr
    assert tb_rows(copy) == expected
    assert tb_rows(copy, "2026-12-31")["1021"] == ("3269.00", "USD", "1167.50")
    listed = {a["code"]: a for a in copy("account", "list", "--json").json()}
    assert listed["1021"]["currency"] == "USD"
    revalued = copy("journal", "show", v["entry"], "--json").json()
    assert [(p["account"], p["amount"], p.get("amount_fx"), p.get("rate"), p["memo"])
            for p in revalued["postings"]][0] == (
        "1021", "58.38", "0.00", "2.8000", "revaluation of 1021")
    ok(copy)
    again = tmp_path / "again.journal"
    assert copy("export", "journal", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8").split("\n", 1)[1] == text.split("\n", 1)[1]
    if shutil.which("hledger") is not None:
        lari = {code: balance for code, (balance, _cur, _fx) in expected.items()}
        assert hledger_totals(out) == lari


KEPT = """\
account assets:1021 Bank USD  ; currency: USD

2026-12-01 Opening
    assets:1021 Bank USD    100.00 USD @@ 270.00 GEL
    equity:3000 Equity

2026-12-31 Revaluation
    assets:1021 Bank USD      10.00 GEL  ; revalued: {tag}
    income:4950 Gain
"""


def test_a_declared_dollar_account_is_created_in_dollars(cli, tmp_path: Path):
    f = tmp_path / "kept.journal"
    f.write_text(KEPT.format(tag="USD @2.800000"), encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 0, r.stderr
    assert {a["code"]: a.get("currency") for a in cli("account", "list", "--json").json()
            }["1021"] == "USD"
    assert postings(cli, "JE-2026-0002") == [("1021", "10.00", "0.00 USD @2.8000"),
                                             ("4950", "-10.00", None)]
    assert cli("journal", "show", "JE-2026-0002", "--json").json()["postings"][0][
        "memo"] == ""
    ok(cli)


@pytest.mark.parametrize(("text", "message"), [
    (KEPT.format(tag="EUR @2.8"), "line 8: 'assets:1021 Bank USD' is kept in USD: a "
                                  "revaluation in EUR is refused"),
    (KEPT.replace("  ; revalued: {tag}", ""), "1021 Bank USD is kept in USD: a posting to "
                                             "it needs its amount in USD"),
    (KEPT.replace("currency: USD", "currency: GEL").format(tag="USD @2.8"),
     "line 1: account 'assets:1021 Bank USD': currency 'GEL' is not another currency's "
     "ISO code than the book's GEL"),
    (KEPT.replace("account assets:1021 Bank USD  ; currency: USD\n", "").format(
        tag="USD @2.8") + "account assets:1021 Bank USD  ; currency: USD\n",
     "line 9: account 'assets:1021 Bank USD' is declared in USD here, but line 3 already "
     "used it: declare it before its first use"),
])
def test_a_declared_currency_is_kept_or_the_file_is_refused(cli, tmp_path: Path, text,
                                                             message):
    f = tmp_path / "bad.journal"
    f.write_text(text, encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 1 and message in r.stderr, r.stderr
    assert cli("journal", "list", "--json").json() == []


def test_an_account_kept_otherwise_in_the_book_is_refused(cli, tmp_path: Path):
    cli("account", "add", "1021", "Bank USD", "--type", "asset", "--currency", "EUR")
    f = tmp_path / "kept.journal"
    f.write_text(KEPT.format(tag="USD @2.8"), encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert r.exit_code == 1
    assert "account 'assets:1021 Bank USD' is kept in USD in the file, in EUR in the book" \
        in r.stderr, r.stderr
    assert cli("journal", "list", "--json").json() == []
