"""Advances in another currency, before any document: `pay in|out --contact C AMOUNT
--currency USD [--rate R]`, kept as the contact's credit in dollars, applied later to
their dollar documents (`pay apply`, each currency's credit to the documents in it) or
paid back. Every amount is hand-computed: foreign amount × rate, half-up to the tetri;
a credit applied or refunded leaves the receivable (payable) at the rate it was booked
at, the document is settled at its own, and the difference is realised."""

from __future__ import annotations

from decimal import Decimal

from tests.fx.test_documents_fx import balances, ok, postings


def test_a_usd_advance_at_2_70_applied_to_a_usd_invoice_at_2_65_books_the_gain(fx):
    r = fx("pay", "in", "--contact", "Acme", "1000", "--currency", "USD", "--date",
           "2026-12-02", "--json")
    assert r.exit_code == 0, r.stderr
    p = r.json()
    # 1000 USD x 2.70 (the rate table's) = 2700.00, all of it Acme's credit in dollars
    assert (p["number"], p["currency"], p["rate"], p["amount_fx"], p["amount"],
            p["credit"], p["credit_fx"], p["allocations"]) == (
        "PAY-2026-0001", "USD", "2.7000", "1000.00", "2700.00", "2700.00", "1000.00", [])
    assert postings(fx, p["entry"]) == [
        ("1010", "2700.00", "1000.00 USD @2.7000"),
        ("1100", "-2700.00", "-1000.00 USD @2.7000")]
    credit = fx("pay", "credit", "Acme", "--currency", "USD", "--json").json()
    assert (credit["credit"], credit["payments"]) == (
        "1000.00", [{"number": "PAY-2026-0001", "date": "2026-12-02", "credit": "1000.00"}])
    assert fx("pay", "credit", "Acme", "--json").json()["credit"] == "0.00"  # none in lari
    ok(fx)
    # 500 USD + VAT 18 % = 590 USD at 2.65 = 1563.50
    inv = fx("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.65", "--date",
             "2026-12-05", "--line", "Consulting=1@500;vat=18", "--json").json()
    assert (inv["gross_fx"], inv["gross"]) == ("590.00", "1563.50")
    r = fx("pay", "apply", "Acme", "--date", "2026-12-06", "--json")
    assert r.exit_code == 0, r.stderr
    a = r.json()
    assert (a["credit_left"], a["currency"], a["credits"]) == (
        "410.00", "USD", [{"currency": "USD", "applied": "590.00", "credit_left": "410.00"}])
    [app] = a["applications"]
    assert (app["payment"], app["invoice"], app["amount"], app["balance_due"],
            app["currency"]) == ("PAY-2026-0001", "INV-2026-0001", "590.00", "0.00", "USD")
    # 590 USD of the credit leave the receivable at its 2.70: 1593.00; the invoice is
    # settled at its 2.65: 1563.50; 1593.00 - 1563.50 = 29.50 gained, dated the 6th
    assert postings(fx, app["entry"]) == [
        ("1100", "1593.00", "590.00 USD @2.7000"), ("1100", "-1563.50", "-590.00 USD @2.6500"),
        ("4950", "-29.50", None)]
    assert fx("journal", "show", app["entry"], "--json").json()["date"] == "2026-12-06"
    shown = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (shown["status"], shown["paid"], shown["paid_fx"], shown["balance_due"]) == (
        "paid", "1563.50", "590.00", "0.00")
    tb = balances(fx)
    # the receivable holds the 410 USD left at 2.70: -2700.00 + 1563.50 + 29.50 = -1107.00
    assert (tb["1010"], tb["1100"], tb["4950"]) == ("2700.00", "-1107.00", "-29.50")
    ok(fx)
    # the rest paid back at 2.75: 410 x 2.70 = 1107.00 booked, 410 x 2.75 = 1127.50 paid
    p = fx("pay", "refund", "Acme", "--currency", "USD", "--rate", "2.75", "--date",
           "2026-12-08", "--json").json()
    assert postings(fx, p["entry"]) == [
        ("1100", "1107.00", "410.00 USD @2.7000"), ("1010", "-1127.50", "-410.00 USD @2.7500"),
        ("7950", "20.50", None)]
    tb = balances(fx)
    assert (tb["1100"], tb["4950"], tb["7950"]) == ("0.00", "-29.50", "20.50")
    ok(fx)


def test_pay_apply_applies_each_currency_s_credit_to_the_documents_in_it(fx):
    fx("rate", "set", "EUR", "3.10", "--date", "2026-12-01")
    assert fx("pay", "in", "--contact", "Acme", "100", "--date", "2026-12-02").exit_code == 0
    assert fx("pay", "in", "--contact", "Acme", "20", "--currency", "USD", "--rate", "2.75",
              "--date", "2026-12-02").exit_code == 0  # 55.00
    assert fx("pay", "in", "--contact", "Acme", "10", "--currency", "EUR", "--date",
              "2026-12-02").exit_code == 0  # 31.00; no EUR document: kept
    fx("invoice", "new", "Acme", "--date", "2026-12-03", "--line", "Local=1@50;vat=18")  # 59
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-03",
       "--line", "Support=1@10;vat=18")  # 11.80 USD x 2.70 = 31.86
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-04",
       "--line", "Support=1@10;vat=0")  # 10 USD x 2.70 = 27.00
    before = balances(fx)
    r = fx("pay", "apply", "Acme", "--date", "2026-12-06", "--json")
    assert r.exit_code == 0, r.stderr
    a = r.json()
    assert "credit_left" not in a  # two currencies: each says its own
    assert a["credits"] == [
        {"currency": "GEL", "applied": "59.00", "credit_left": "41.00"},
        {"currency": "USD", "applied": "20.00", "credit_left": "0.00"},
        {"currency": "EUR", "applied": "0.00", "credit_left": "10.00"}]  # kept: no EUR one
    apps = [(x["payment"], x["invoice"], x["amount"], x["balance_due"], x["currency"])
            for x in a["applications"]]
    assert apps == [("PAY-2026-0001", "INV-2026-0001", "59.00", "0.00", "GEL"),
                    ("PAY-2026-0002", "INV-2026-0002", "11.80", "0.00", "USD"),
                    ("PAY-2026-0002", "INV-2026-0003", "8.20", "1.80", "USD")]
    # 11.80 of the 20 USD booked at 55.00: 32.45 out, 31.86 in (0.59 gained); the other
    # 8.20: what is left, 55.00 - 32.45 = 22.55, for 8.20 x 2.70 = 22.14 (0.41 gained)
    usd = [x["entry"] for x in a["applications"] if x["currency"] == "USD"]
    assert postings(fx, usd[0]) == [
        ("1100", "32.45", "11.80 USD @2.7500"), ("1100", "-31.86", "-11.80 USD @2.7000"),
        ("4950", "-0.59", None)]
    assert postings(fx, usd[1]) == [
        ("1100", "22.55", "8.20 USD @2.7500"), ("1100", "-22.14", "-8.20 USD @2.7000"),
        ("4950", "-0.41", None)]
    after = balances(fx)
    assert after["4950"] == "-1.00"
    # the lari application posts nothing; the dollar ones move 1.00 to gains
    assert Decimal(after["1100"]) - Decimal(before["1100"]) == 1
    assert fx("pay", "credit", "Acme", "--currency", "EUR", "--json").json()["credit"] == (
        "10.00")
    ok(fx)
    # what is left: 41.00 lari, 10 EUR, and no open lari or euro document
    r = fx("pay", "apply", "Acme", "--date", "2026-12-07")
    assert r.stderr == ("error: Acme Inc has no open invoice in the currencies of their "
                        "credit (GEL, EUR) to apply it to\n")
    assert r.exit_code != 0


def test_pay_apply_says_per_currency_what_it_applied(fx):
    fx("pay", "in", "--contact", "Acme", "100", "--date", "2026-12-02")
    fx("pay", "in", "--contact", "Acme", "20", "--currency", "USD", "--date", "2026-12-02")
    fx("rate", "set", "EUR", "3.10", "--date", "2026-12-01")
    fx("pay", "in", "--contact", "Acme", "410", "--currency", "EUR", "--date", "2026-12-02")
    fx("invoice", "new", "Acme", "--date", "2026-12-03", "--line", "Local=1@50;vat=18")
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-03",
       "--line", "Support=1@10;vat=0")
    r = fx("pay", "apply", "Acme", "--date", "2026-12-06")
    assert r.exit_code == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "Credit of Acme Inc in GEL applied on 2026-12-06: 59.00; 41.00 left" in out
    assert "Credit of Acme Inc in USD applied on 2026-12-06: 10.00; 10.00 left" in out
    # the euro credit stays, and says why (pay credit shows it too)
    assert "Credit of 410.00 EUR kept: no open invoice in EUR" in out
    assert fx("pay", "credit", "Acme", "--currency", "EUR", "--json").json()["credit"] == (
        "410.00")
    ok(fx)


def test_a_supplier_usd_advance_applied_to_a_usd_bill_at_a_lower_rate_loses(fx):
    r = fx("pay", "out", "--contact", "Globex", "200", "--currency", "USD", "--rate", "2.72",
           "--date", "2026-12-02", "--json")
    assert r.exit_code == 0, r.stderr
    p = r.json()
    # 200 USD x 2.72 = 544.00 paid ahead: Globex owes us 200 USD (Dr Payable)
    assert postings(fx, p["entry"]) == [
        ("1010", "-544.00", "-200.00 USD @2.7200"), ("2000", "544.00", "200.00 USD @2.7200")]
    assert fx("pay", "credit", "Globex", "--supplier", "--currency", "USD",
              "--json").json()["credit"] == "200.00"
    ok(fx)
    fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-03",
       "--line", "Parts=1@150;vat=0")  # 150 USD x 2.70 = 405.00
    r = fx("pay", "apply", "Globex", "--supplier", "--date", "2026-12-04", "--json")
    assert r.exit_code == 0, r.stderr
    [app] = r.json()["applications"]
    assert (app["invoice"], app["amount"], app["balance_due"], app["currency"]) == (
        "BILL-2026-0001", "150.00", "0.00", "USD")
    # 150 of the 200 USD booked at 544.00: 408.00 leaves the payable, the bill's 405.00
    # is settled: 3.00 lost
    assert postings(fx, app["entry"]) == [
        ("2000", "-408.00", "-150.00 USD @2.7200"), ("2000", "405.00", "150.00 USD @2.7000"),
        ("7950", "3.00", None)]
    assert r.json()["credit_left"] == "50.00"
    tb = balances(fx)
    # Globex still owes 50 USD at 2.72: 544.00 - 405.00 (the bill) - 408.00 + 405.00 = 136.00
    assert (tb["1010"], tb["2000"], tb["7950"]) == ("-544.00", "136.00", "3.00")
    ok(fx)
    # they send the 50 USD back at 2.80: 140.00 in for 136.00 booked, 4.00 gained
    p = fx("pay", "refund", "Globex", "--supplier", "--currency", "USD", "--rate", "2.80",
           "--date", "2026-12-05", "--json").json()
    assert postings(fx, p["entry"]) == [
        ("2000", "-136.00", "-50.00 USD @2.7200"), ("1010", "140.00", "50.00 USD @2.8000"),
        ("4950", "-4.00", None)]
    ok(fx)


def test_a_usd_advance_into_a_dollar_bank_account(fx):
    assert fx("account", "add", "1021", "Bank USD", "--type", "asset", "--currency",
              "USD").exit_code == 0
    r = fx("pay", "in", "--contact", "Acme", "100", "--currency", "USD", "--account", "1021",
           "--date", "2026-12-02", "--json")
    assert r.exit_code == 0, r.stderr
    assert postings(fx, r.json()["entry"]) == [
        ("1021", "270.00", "100.00 USD @2.7000"), ("1100", "-270.00", "-100.00 USD @2.7000")]
    row = {x["code"]: x for x in fx("report", "tb", "--as-of", "2026-12-31",
                                    "--json").json()["rows"]}["1021"]
    assert (row["balance"], row["balance_fx"]) == ("270.00", "100.00")
    ok(fx)


def test_a_foreign_advance_refuses_and_writes_nothing(fx):
    fx("account", "add", "1021", "Bank USD", "--type", "asset", "--currency", "USD")
    fx("invoice", "new", "Acme", "--date", "2026-12-01", "--line", "Local=1@50;vat=18")
    before = balances(fx)
    cases = [
        (["--currency", "XYZ"], "currency: 'XYZ' is not an ISO 4217 currency code"),
        (["--currency", "GEL"], "--currency: GEL is the book's own currency"),
        (["--currency", "EUR"], "no EUR rate on or before 2026-12-02: add one (smallbiz "
                                "rate set EUR RATE --date 2026-12-02) or give --rate"),
        (["--currency", "USD", "--date", "2026-11-30"], "no USD rate on or before "
                                                        "2026-11-30"),
        (["--currency", "USD", "--rate", "0"], "--rate: a rate must be more than 0"),
        (["--rate", "2.70"], "--rate: give it with --currency"),
        # a lari advance into the dollar account, a euro one into it
        (["--account", "1021"], "1021 Bank USD is kept in USD: a posting to it needs its "
                                "amount in USD"),
        (["--currency", "EUR", "--rate", "3.10", "--account", "1021"],
         "1021 Bank USD is kept in USD: a posting to it in EUR is refused; nothing was "
         "written"),
        (["--currency", "USD", "--write-off", "6800"],
         "--write-off: the payment leaves a credit of 100.00; nothing remains"),
    ]
    for args, message in cases:
        args = [*args] if "--date" in args else [*args, "--date", "2026-12-02"]
        r = fx("pay", "in", "--contact", "Acme", "100", *args)
        assert r.exit_code != 0 and message in r.stderr, (args, r.stderr)
    # --currency with a document: the document's
    r = fx("pay", "in", "INV-2026-0001", "59", "--currency", "USD", "--date", "2026-12-02")
    assert r.stderr == "error: --currency: INV-2026-0001 is in GEL, not USD\n"
    r = fx("pay", "out", "--contact", "Globex", "0", "--currency", "USD")
    assert "amount: 0.00 must be more than 0" in r.stderr
    assert fx("pay", "list", "--json").json() == []
    assert balances(fx) == before
    ok(fx)
