"""A bank account kept in dollars (1021 Bank USD) in a lari book: what may be posted to
it, its statements, a USD invoice paid by one of its lines at a later rate, and its
revaluation at the month's end with the reversal the next day. Every amount is
hand-computed: foreign amount × rate, half-up to the tetri (smallbiz.books.fx)."""

from __future__ import annotations

import pytest

from tests import engine
from tests.bank.conftest import fixture
from tests.fx.test_documents_fx import ok, postings


@pytest.fixture
def usd(cli):
    """Test Co (GEL) with 1021 Bank USD, a customer and a supplier; USD is 2.70 from
    December 1st and 2.75 from the 10th."""
    assert cli("account", "add", "1021", "Bank USD", "--type", "asset", "--currency",
               "USD").stdout == "1021\n"
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("contact", "add", "Globex Ltd", "--org", "--supplier")
    cli("rate", "set", "USD", "2.70", "--date", "2026-12-01")
    cli("rate", "set", "USD", "2.75", "--date", "2026-12-10")
    return cli


def tb(cli, as_of):
    """The trial balance's rows as of a day, by code."""
    return {r["code"]: r for r in cli("report", "tb", "--as-of", as_of, "--json").json()["rows"]}


def test_a_usd_account_takes_only_postings_in_dollars(usd):
    listed = {a["code"]: a for a in usd("account", "list", "--json").json()}
    assert listed["1021"]["currency"] == "USD" and "currency" not in listed["1010"]
    r = usd("journal", "add", "--date", "2026-12-02", "--memo", "opening",
            "--posting", "1021=1000USD", "--posting", "3000")
    assert r.exit_code == 0, r.stderr
    assert postings(usd, "JE-2026-0001") == [("1021", "2700.00", "1000.00 USD @2.7000"),
                                             ("3000", "-2700.00", None)]
    # a rate of its own: 10.50 USD x 2.80 = 29.40
    r = usd("journal", "add", "--date", "2026-12-03", "--memo", "fee",
            "--posting", "1021=-10.50 USD@2.80", "--posting", "6800")
    assert postings(usd, r.stdout.strip()) == [("1021", "-29.40", "-10.50 USD @2.8000"),
                                               ("6800", "29.40", None)]
    # the posting writer refuses a lari or euro posting to it, whoever asks
    r = usd("journal", "add", "--date", "2026-12-03", "--posting", "1021=100",
            "--posting", "3000")
    assert (r.exit_code, r.stderr) == (
        1, "error: 1021 Bank USD is kept in USD: a posting to it needs its amount in USD (in "
           "a journal entry: --posting 1021=100USD); nothing was written\n")
    r = usd("journal", "add", "--date", "2026-12-03", "--posting", "1021=100EUR@3",
            "--posting", "3000")
    assert r.stderr == ("error: 1021 Bank USD is kept in USD: a posting to it in EUR is "
                        "refused; nothing was written\n")
    usd("invoice", "new", "Acme", "--date", "2026-12-03", "--line", "Local=1@100;vat=0")
    r = usd("pay", "in", "INV-2026-0001", "100", "--account", "1021", "--date", "2026-12-03")
    assert r.stderr.startswith("error: 1021 Bank USD is kept in USD: a posting to it needs "
                               "its amount in USD")
    assert usd("pay", "list", "--json").json() == []  # nothing written
    # only a bank or cash account, in a currency other than the book's
    assert usd("account", "add", "4960", "Sales USD", "--type", "income", "--currency",
               "USD").stderr == ("error: --currency: only a bank or cash account (an asset) "
                                 "is kept in another currency; 4960 is income\n")
    assert usd("account", "add", "1022", "Bank GEL", "--type", "asset", "--currency",
               "GEL").stderr == "error: --currency: GEL is the book's own currency\n"
    # its balance in both currencies: 1000 - 10.50 = 989.50 USD, 2700.00 - 29.40 = 2670.60
    row = tb(usd, "2026-12-31")["1021"]
    assert (row["balance"], row["currency"], row["balance_fx"]) == ("2670.60", "USD", "989.50")
    assert "currency" not in tb(usd, "2026-12-31")["3000"]
    ledger = usd("report", "ledger", "1021", "--from", "2026-12-03", "--to", "2026-12-31",
                 "--json").json()
    assert (ledger["currency"], ledger["opening"], ledger["opening_fx"], ledger["closing"],
            ledger["closing_fx"]) == ("USD", "2700.00", "1000.00", "2670.60", "989.50")
    assert [(r["amount"], r["amount_fx"], r["balance"], r["balance_fx"])
            for r in ledger["rows"]] == [("-29.40", "-10.50", "2670.60", "989.50")]
    shown = usd("report", "ledger", "1021", "--to", "2026-12-31").stdout
    assert "989.50 USD" in shown and "2,670.60" in shown
    ok(usd)


def test_a_usd_invoice_paid_by_a_usd_bank_line_at_a_later_rate(usd, tmp_path):
    # 1000 USD + 18 % = 1180 USD at 2.70 = 3186.00
    usd("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
        "--line", "Consulting=1@1000;vat=18")
    r = usd("bank", "import", fixture("usd-dec.ofx"), "--account", "1021", "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["added"], r.json()["matched"]) == (
        2, {"payments": 1, "rules": 0, "transfers": 0})
    lines = usd("bank", "list", "--account", "1021", "--json").json()
    assert [(ln["amount"], ln["currency"], ln["status"], ln["payment"]) for ln in lines] == [
        ("1180.00", "USD", "matched", "PAY-2026-0001"), ("-12.50", "USD", "unmatched", None)]
    pay = usd("pay", "show", "PAY-2026-0001", "--json").json()
    # in at the line's day's rate: 1180 x 2.75 = 3245.00; 59.00 more than the 3186.00 owed
    assert (pay["account"], pay["rate"], pay["amount"], pay["moved"],
            pay["exchange_difference"]) == ("1021", "2.7500", "3186.00", "3245.00", "59.00")
    assert postings(usd, pay["entry"]) == [
        ("1021", "3245.00", "1180.00 USD @2.7500"),
        ("1100", "-3186.00", "-1180.00 USD @2.7000"),
        ("4950", "-59.00", None)]
    inv = usd("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["status"], inv["balance_due_fx"]) == ("paid", "0.00")
    # the fee by hand, at the rate of the 15th (2.75): 12.50 x 2.75 = 34.375 -> 34.38
    r = usd("bank", "match", str(lines[1]["id"]), "--account", "6800")
    assert r.exit_code == 0 and "bank rule add" not in r.stderr  # rules: lari lines only
    assert postings(usd, r.stdout.split()[0]) == [("1021", "-34.38", "-12.50 USD @2.7500"),
                                                  ("6800", "34.38", None)]
    rec = usd("bank", "reconcile", "--account", "1021", "--json").json()
    assert (rec["currency"], rec["statement_balance"], rec["book_balance"],
            rec["difference"]) == ("USD", "1167.50", "1167.50", "0.00")
    assert tb(usd, "2026-12-31")["1021"]["balance"] == "3210.62"  # 3245.00 - 34.38
    ok(usd)

    # the month's end: 1167.50 USD x 2.80 = 3269.00 against the 3210.62 booked
    usd("rate", "set", "USD", "2.80", "--date", "2026-12-31")
    v = usd("revalue", "--as-of", "2026-12-31", "--json").json()
    assert v["documents"] == []
    assert v["accounts"] == [
        {"code": "1021", "currency": "USD", "balance_fx": "1167.50", "rate": "2.8000",
         "balance": "3210.62", "revalued": "3269.00", "difference": "58.38"}]
    assert (v["gain"], v["loss"]) == ("58.38", "0.00")
    assert postings(usd, v["entry"]) == [("1021", "58.38", "0.00 USD @2.8000"),
                                         ("4950", "-58.38", None)]
    rev = usd("journal", "show", v["reversal"], "--json").json()
    assert (rev["date"], rev["reverses"]) == ("2027-01-01", v["entry"])
    assert postings(usd, v["reversal"]) == [("1021", "-58.38", "0.00 USD @2.8000"),
                                            ("4950", "58.38", None)]
    on_the_day, next_day = tb(usd, "2026-12-31")["1021"], tb(usd, "2027-01-01")["1021"]
    assert (on_the_day["balance"], on_the_day["balance_fx"]) == ("3269.00", "1167.50")
    assert (next_day["balance"], next_day["balance_fx"]) == ("3210.62", "1167.50")
    # the revaluation moves the book value only: the statement still agrees in dollars
    rec = usd("bank", "reconcile", "--account", "1021", "--as-of", "2026-12-31",
              "--json").json()
    assert (rec["book_balance"], rec["difference"]) == ("1167.50", "0.00")
    ok(usd)
    # exported, the revaluation's posting is in lari (hledger adds it to the lari totals)
    out = tmp_path / "book.journal"
    assert usd("export", "journal", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "1180.00 USD @@ 3245.00 GEL" in text
    revaluation = text.split(f"({v['entry']})")[1].split("\n\n")[0]
    assert [ln.split(";")[0].split()[-2:] for ln in revaluation.splitlines()[1:]] == [
        ["58.38", "GEL"], ["-58.38", "GEL"]]


def test_revalue_a_fallen_dollar_with_an_open_usd_bill(usd):
    usd("journal", "add", "--date", "2026-12-02", "--memo", "opening",
        "--posting", "1021=1000USD", "--posting", "3000")  # 1000 USD at 2.70 = 2700.00
    usd("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
        "--line", "Software=1@500;vat=18;account=6700")  # 590 USD at 2.70 = 1593.00
    v = usd("revalue", "--as-of", "2026-12-31", "--rate", "USD=2.60", "--json").json()
    # the bill: 590 x 2.60 = 1534.00 owed, 59.00 less; the bank: 1000 x 2.60 = 2600.00, 100 less
    assert [(d["number"], d["difference"]) for d in v["documents"]] == [
        ("BILL-2026-0001", "59.00")]
    assert [(a["code"], a["balance"], a["revalued"], a["difference"])
            for a in v["accounts"]] == [("1021", "2700.00", "2600.00", "-100.00")]
    assert (v["gain"], v["loss"]) == ("59.00", "100.00")
    assert postings(usd, v["entry"]) == [
        ("2000", "59.00", None), ("1021", "-100.00", "0.00 USD @2.6000"),
        ("4950", "-59.00", None), ("7950", "100.00", None)]
    assert postings(usd, v["reversal"]) == [
        ("2000", "-59.00", None), ("1021", "100.00", "0.00 USD @2.6000"),
        ("4950", "59.00", None), ("7950", "-100.00", None)]
    # paid after, from the dollar account: realised against the bill's own rate
    # (590 x 2.75 = 1622.50 out for 1593.00 owed: 29.50 lost)
    p = usd("pay", "out", "BILL-2026-0001", "590", "--account", "1021", "--date",
            "2027-01-05", "--json").json()
    assert postings(usd, p["entry"]) == [
        ("1021", "-1622.50", "-590.00 USD @2.7500"),
        ("2000", "1593.00", "590.00 USD @2.7000"), ("7950", "29.50", None)]
    row = tb(usd, "2027-01-31")["1021"]
    assert (row["balance"], row["balance_fx"]) == ("1077.50", "410.00")  # 2700.00 - 1622.50
    ok(usd)


def test_a_line_pays_documents_in_its_own_currency_at_its_days_rate(cli):
    cli("account", "add", "1021", "Bank USD", "--type", "asset", "--currency", "USD")
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.70", "--date",
        "2026-12-01", "--line", "Consulting=1@1000;vat=18")
    cli("invoice", "new", "Acme", "--date", "2026-12-01", "--line", "Local=1@1180;vat=0")
    # a lari statement is not imported into the dollar account
    r = cli("bank", "import", fixture("jan.ofx"), "--account", "1021")
    assert (r.exit_code, r.stderr) == (1, "error: the statement is in GEL; account 1021 is "
                                          "kept in USD: nothing imported\n")
    # no rate for the line's day yet: the import matches nothing
    r = cli("bank", "import", fixture("usd-dec.ofx"), "--account", "1021", "--json")
    assert r.json()["matched"] == {"payments": 0, "rules": 0, "transfers": 0}
    line = str(cli("bank", "list", "--json").json()[0]["id"])
    r = cli("bank", "match", line, "--invoice", "INV-2026-0001")
    assert (r.exit_code, r.stderr) == (
        1, f"error: line {line} is in USD: no USD rate on or before 2026-12-10; add one "
           "(smallbiz rate set USD RATE --date 2026-12-10) and match it again\n")
    r = cli("bank", "match", line, "--invoice", "INV-2026-0002")
    assert r.stderr == (f"error: line {line} is in USD and INV-2026-0002 in GEL: a line pays "
                        "documents in its account's currency only\n")
    assert cli("pay", "list", "--json").json() == []
    cli("rate", "set", "USD", "2.72", "--date", "2026-12-09")
    r = cli("bank", "match", line, "--invoice", "INV-2026-0001")
    assert r.exit_code == 0, r.stderr
    # 1180 x 2.72 = 3209.60 in for 3186.00 owed
    assert postings(cli, cli("pay", "show", r.stdout.strip(), "--json").json()["entry"]) == [
        ("1021", "3209.60", "1180.00 USD @2.7200"),
        ("1100", "-3186.00", "-1180.00 USD @2.7000"), ("4950", "-23.60", None)]
    # unmatched, the payment is cancelled and the line open again
    assert cli("bank", "unmatch", line).exit_code == 0
    assert cli("invoice", "show", "INV-2026-0001", "--json").json()["balance_due_fx"] == \
        "1180.00"
    ok(cli)


def test_a_rule_books_a_usd_line_at_its_days_rate(usd):
    assert usd("bank", "rule", "add", "--text", "Wire fee", "--account", "6800").exit_code == 0
    r = usd("bank", "import", fixture("usd-dec.ofx"), "--account", "1021", "--json")
    assert r.json()["matched"] == {"payments": 0, "rules": 1, "transfers": 0}
    fee = usd("bank", "list", "--json").json()[1]
    assert postings(usd, fee["entry"]) == [("1021", "-34.38", "-12.50 USD @2.7500"),
                                           ("6800", "34.38", None)]
    ok(usd)


def test_check_catches_a_posting_to_the_usd_account_without_dollars(usd, book_path):
    usd("journal", "add", "--date", "2026-12-02", "--posting", "1021=1000USD",
        "--posting", "3000")
    ok(usd)
    engine.execute(book_path, "UPDATE posting SET currency = NULL, amount_fx = NULL, "
                   "rate = NULL WHERE currency = 'USD'", triggers=False)
    r = usd("check")
    assert r.exit_code == 1
    assert "entry JE-2026-0001: a posting to 1021, kept in USD, has no foreign amount" in \
        r.stderr.splitlines()


def test_a_split_usd_lines_parts_add_up_to_its_lari_amount(usd, tmp_path):
    """Each part converted at the line's day's rate (2.75), half-up; what the rounding
    leaves over goes a tetri at a time to the parts rounded furthest the other way (the
    largest remainder); a part to an account kept in dollars holds dollars x rate
    exactly; when every part does, the tetri is an exchange difference."""
    for code, name in (("1022", "Cash USD"), ("1023", "Till USD")):
        usd("account", "add", code, name, "--type", "asset", "--currency", "USD")
    path = tmp_path / "split.csv"
    path.write_text("date,amount,description,counterparty,reference\n"
                    "2026-12-10,-30.03,Office,,\n2026-12-11,-30.03,Office and cash,,\n"
                    "2026-12-12,-20.04,Float to tills,,\n", encoding="utf-8")
    assert usd("bank", "import", str(path), "--account", "1021").exit_code == 0
    first, second, third = (str(x["id"]) for x in usd("bank", "list", "--json").json())
    # 30.03 x 2.75 = 82.5825 -> 82.58; the parts: 20.00 -> 55.00 (exact), 5.02 -> 13.805
    # -> 13.81 (up 0.005), 5.01 -> 13.7775 -> 13.78 (up 0.0025): 82.59, one tetri too
    # many, taken from 5.02, rounded up the most: 13.80
    r = usd("bank", "match", first, "--split", "6800=20", "--split", "6100=5.02",
            "--account", "6700")
    assert r.exit_code == 0, r.stderr
    assert postings(usd, r.stdout.split()[0]) == [
        ("1021", "-82.58", "-30.03 USD @2.7500"), ("6800", "55.00", None),
        ("6100", "13.80", None), ("6700", "13.78", None)]
    # 5.02 to the dollar till holds 13.81 (its dollars x rate): 5.01 gives the tetri
    r = usd("bank", "match", second, "--split", "1022=5.02", "--split", "6800=20",
            "--account", "6700")
    assert r.exit_code == 0, r.stderr
    assert postings(usd, r.stdout.split()[0]) == [
        ("1021", "-82.58", "-30.03 USD @2.7500"), ("1022", "13.81", "5.02 USD @2.7500"),
        ("6800", "55.00", None), ("6700", "13.77", None)]
    # 20.04 x 2.75 = 55.11; two tills of 10.02 each hold 27.555 -> 27.56: 55.12, the
    # tetri more an exchange gain
    r = usd("bank", "match", third, "--split", "1022=10.02", "--account", "1023")
    assert r.exit_code == 0, r.stderr
    assert postings(usd, r.stdout.split()[0]) == [
        ("1021", "-55.11", "-20.04 USD @2.7500"), ("1022", "27.56", "10.02 USD @2.7500"),
        ("1023", "27.56", "10.02 USD @2.7500"), ("4950", "-0.01", None)]
    ok(usd)
