"""Documents and payments in another currency, with the exact postings (the book is in
GEL; hand-computed: amount × rate, half-up to the tetri, per the rule in
smallbiz.books.fx)."""

from __future__ import annotations

from decimal import Decimal as D

from tests import engine


def postings(cli, entry):
    """(account, amount, foreign) of an entry's postings, foreign as 'AMOUNT CUR @RATE'."""
    out = []
    for p in cli("journal", "show", entry, "--json").json()["postings"]:
        fx = f"{p['amount_fx']} {p['currency']} @{p['rate']}" if "currency" in p else None
        out.append((p["account"], p["amount"], fx))
    return out


def balances(cli, as_of="2026-12-31"):
    """The trial balance as of a day: account code → balance (zero: "0.00")."""
    rows = cli("report", "tb", "--as-of", as_of, "--json").json()["rows"]
    found = {r["code"]: r["balance"] for r in rows}
    return {code: found.get(code, "0.00") for code in
            ("1010", "1100", "2000", "4950", "7950", *found)}


def ok(cli):
    r = cli("check")
    assert (r.exit_code, r.stdout) == (0, "ok: every check passed\n"), r.stdout + r.stderr


def test_usd_invoice_at_2_70_paid_at_2_75_books_a_realised_gain(fx):
    r = fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
           "--line", "Consulting=1@1000;vat=18", "--json")
    inv = r.json()
    assert (inv["number"], inv["currency"], inv["rate"], inv["gross_fx"]) == (
        "INV-2026-0001", "USD", "2.7000", "1180.00")
    assert (inv["net"], inv["vat"], inv["gross"], inv["balance_due_fx"]) == (
        "2700.00", "486.00", "3186.00", "1180.00")
    assert inv["lines"][0]["net_fx"] == "1000.00" and inv["lines"][0]["vat_fx"] == "180.00"
    assert postings(fx, inv["entry"]) == [
        ("1100", "3186.00", "1180.00 USD @2.7000"), ("4100", "-2700.00", None),
        ("2100", "-486.00", None)]
    r = fx("pay", "in", "INV-2026-0001", "1180", "--rate", "2.75", "--date", "2026-12-10",
           "--json")
    p = r.json()
    assert (p["amount"], p["amount_fx"], p["rate"], p["moved"], p["exchange_difference"]) == (
        "3186.00", "1180.00", "2.7500", "3245.00", "59.00")
    assert postings(fx, p["entry"]) == [
        ("1010", "3245.00", "1180.00 USD @2.7500"),
        ("1100", "-3186.00", "-1180.00 USD @2.7000"),
        ("4950", "-59.00", None)]
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["status"], inv["paid"], inv["paid_fx"], inv["balance_due"],
            inv["balance_due_fx"]) == ("paid", "3186.00", "1180.00", "0.00", "0.00")
    ok(fx)


def test_usd_bills_paid_at_a_lower_rate_gain_and_at_a_higher_rate_lose(fx):
    for _ in range(2):
        r = fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
               "--line", "Software licence=1@500;vat=18;account=6700")
        assert r.exit_code == 0, r.stderr
    bill = fx("invoice", "show", "BILL-2026-0001", "--json").json()
    assert (bill["gross_fx"], bill["gross"]) == ("590.00", "1593.00")
    assert postings(fx, bill["entry"]) == [
        ("6700", "1350.00", None), ("1300", "243.00", None),
        ("2000", "-1593.00", "-590.00 USD @2.7000")]
    # paid when the dollar is cheaper: fewer lari leave than were owed
    low = fx("pay", "out", "BILL-2026-0001", "590", "--rate", "2.60", "--date",
             "2026-12-05", "--json").json()
    assert postings(fx, low["entry"]) == [
        ("1010", "-1534.00", "-590.00 USD @2.6000"),
        ("2000", "1593.00", "590.00 USD @2.7000"),
        ("4950", "-59.00", None)]
    assert low["exchange_difference"] == "59.00"
    # dearer: more lari leave
    fx("rate", "set", "USD", "2.80", "--date", "2026-12-06")
    r = fx("pay", "out", "BILL-2026-0002", "590", "--date", "2026-12-07")
    assert (r.stdout, r.stderr) == ("PAY-2026-0002\n",  # the bank had no money in it
                                    "warning: 1010 Bank account is below zero now: "
                                    "-3,186.00\nexchange loss 59.00\n")
    high = fx("pay", "show", "PAY-2026-0002", "--json").json()
    assert high["rate"] == "2.8000"  # from the rate table
    assert postings(fx, high["entry"]) == [
        ("1010", "-1652.00", "-590.00 USD @2.8000"),
        ("2000", "1593.00", "590.00 USD @2.7000"),
        ("7950", "59.00", None)]
    assert high["exchange_difference"] == "-59.00"
    tb = balances(fx)
    assert (tb["2000"], tb["4950"], tb["7950"]) == ("0.00", "-59.00", "59.00")
    ok(fx)


def test_partial_payments_pay_a_share_and_the_last_takes_the_rounding(fx):
    # 100.10 USD at 2.70 = 270.27; half of it, 50.05 at 2.70 = 135.135 -> 135.14 each time
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Design=1@100.10;vat=0")
    first = fx("pay", "in", "INV-2026-0001", "50.05", "--rate", "2.75", "--date",
               "2026-12-05", "--json").json()
    assert postings(fx, first["entry"]) == [
        ("1010", "137.64", "50.05 USD @2.7500"),  # 137.6375
        ("1100", "-135.14", "-50.05 USD @2.7000"),
        ("4950", "-2.50", None)]
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["status"], inv["balance_due"], inv["balance_due_fx"]) == (
        "open", "135.13", "50.05")
    last = fx("pay", "in", "INV-2026-0001", "50.05", "--rate", "2.65", "--date",
              "2026-12-08", "--json").json()
    assert postings(fx, last["entry"]) == [
        ("1010", "132.63", "50.05 USD @2.6500"),  # 132.6325
        ("1100", "-135.14", "-50.05 USD @2.7000"),
        ("1100", "0.01", None),  # the invoice's last 135.13 lari, not 135.14
        ("7950", "2.50", None)]
    assert last["amount"] == "135.13"
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["status"], inv["paid"], inv["paid_fx"], inv["balance_due"]) == (
        "paid", "270.27", "100.10", "0.00")
    tb = balances(fx)
    assert tb["1100"] == "0.00"
    ok(fx)


def test_a_cancelled_foreign_payment_opens_the_invoice_again(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Design=1@100;vat=0")
    p = fx("pay", "in", "INV-2026-0001", "40", "--rate", "2.75", "--date", "2026-12-05",
           "--json").json()
    r = fx("pay", "cancel", p["number"], "--date", "2026-12-06")
    assert r.exit_code == 0, r.stderr
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    assert (inv["status"], inv["paid"], inv["paid_fx"], inv["balance_due_fx"]) == (
        "open", "0.00", "0.00", "100.00")
    tb = balances(fx)
    assert (tb["1100"], tb["1010"], tb["4950"]) == ("270.00", "0.00", "0.00")
    ok(fx)


def test_a_usd_sales_order_is_invoiced_at_the_rate_of_the_invoice_date(fx):
    fx("product", "add", "W1", "Widget", "--price", "10", "--cost", "5", "--service")
    fx("rate", "set", "USD", "2.6950", "--date", "2026-12-03")
    so = fx("sale", "new", "Acme", "--currency", "USD", "--line", "W1=3@6.99", "--date",
            "2026-12-01", "--json").json()
    assert so["currency"] == "USD" and so["gross"] == "24.74"  # in USD, like its lines
    fx("sale", "confirm", so["number"])
    assert fx("sale", "invoice", so["number"], "--date", "2026-12-04").stdout == (
        "INV-2026-0001\n")
    inv = fx("invoice", "show", "INV-2026-0001", "--json").json()
    # 20.97 + 3.77 VAT = 24.74 USD; x 2.6950: 56.51415 -> 56.51 and 10.16015 -> 10.16
    assert (inv["rate"], inv["gross_fx"], inv["net"], inv["vat"], inv["gross"]) == (
        "2.6950", "24.74", "56.51", "10.16", "66.67")
    assert "give W1's price in USD" in fx("sale", "new", "Acme", "--currency", "USD",
                                           "--line", "W1=1").stderr
    ok(fx)


def test_what_is_refused(fx):
    r = fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-11-30",
           "--line", "X=1@10")
    assert r.stderr == ("error: no USD rate on or before 2026-11-30: add one (smallbiz rate "
                        "set USD RATE --date 2026-11-30) or give --rate\n")
    assert "give it with --currency" in fx("invoice", "new", "Acme", "--rate", "2.7",
                                           "--line", "X=1@10").stderr
    assert "GEL is the book's own currency" in fx("invoice", "new", "Acme", "--currency",
                                                  "GEL", "--line", "X=1@10").stderr
    assert "give the price in USD" in fx("invoice", "new", "Acme", "--currency", "USD",
                                         "--line", "SVC=1").stderr
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "X=1@10;vat=0")
    fx("invoice", "new", "Acme", "--date", "2026-12-01", "--line", "X=1@10;vat=0")
    assert fx("pay", "in", "INV-2026-0001", "10.01").stderr == (
        "error: INV-2026-0001: paying 10.01 USD is more than the balance due 10.00 USD; "
        "--credit keeps the rest as Acme Inc's credit\n")
    assert "one payment settles documents of one currency" in fx(
        "pay", "in", "--invoice", "INV-2026-0001", "--invoice", "INV-2026-0002").stderr
    assert "one payment settles documents of one currency" in fx(  # the lari one first
        "pay", "in", "--invoice", "INV-2026-0002", "--invoice", "INV-2026-0001").stderr
    assert "--rate: INV-2026-0002 is in the book's currency" in fx(
        "pay", "in", "INV-2026-0002", "5", "--rate", "2").stderr
    assert "credit date: 2026-11-30 is before" in fx(  # a foreign note: as any note
        "credit", "new", "INV-2026-0001", "--date", "2026-11-30").stderr
    assert fx("invoice", "list", "--json").json()[0]["balance_due"] == "27.00"
    ok(fx)


def test_check_catches_a_tampered_foreign_posting(fx, book_path):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")
    ok(fx)
    engine.execute(book_path, "UPDATE posting SET amount_fx = 110000 WHERE currency = 'USD'",
                   triggers=False)
    r = fx("check")
    # the seal's digest covers the foreign amount, and this check says what is wrong
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "journal seal: the entries up to id 1 were changed, removed or inserted after they "
        "were posted (the seal chain is broken)",
        "entry JE-2026-0001: the posting to 1100 holds 3186.00 but 1100.00 USD x 2.7000 is "
        "2970.00"]


def test_check_catches_a_foreign_amount_and_rate_changed_together(fx, book_path):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")
    ok(fx)
    # consistent with the lari amount (1180 x 2.70 = 1062 x 3.00), so only the seal sees it
    engine.execute(book_path, "UPDATE posting SET amount_fx = 106200, rate = 3000000 "
                   "WHERE currency = 'USD'", triggers=False)
    r = fx("check")
    assert r.exit_code == 1 and "the seal chain is broken" in r.stderr


def test_revalue_posts_the_unrealised_difference_and_reverses_it_the_next_day(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")  # 1180 USD = 3186.00
    fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Software=1@500;vat=18;account=6700")  # 590 USD = 1593.00
    fx("pay", "in", "INV-2026-0001", "180", "--rate", "2.75", "--date", "2026-12-10")
    fx("rate", "set", "USD", "2.80", "--date", "2026-12-31")
    r = fx("revalue", "--as-of", "2026-12-31", "--json")
    assert r.exit_code == 0, r.stderr
    v = r.json()
    assert v["documents"] == [
        # 1000 USD left x 2.80 = 2800.00 against 3186.00 - 486.00 = 2700.00 booked
        {"number": "INV-2026-0001", "currency": "USD", "balance_fx": "1000.00",
         "rate": "2.8000", "balance": "2700.00", "revalued": "2800.00", "difference": "100.00"},
        # 590 USD x 2.80 = 1652.00 owed against 1593.00 booked
        {"number": "BILL-2026-0001", "currency": "USD", "balance_fx": "590.00",
         "rate": "2.8000", "balance": "1593.00", "revalued": "1652.00",
         "difference": "-59.00"}]
    assert (v["gain"], v["loss"]) == ("100.00", "59.00")
    assert postings(fx, v["entry"]) == [
        ("1100", "100.00", None), ("2000", "-59.00", None), ("4950", "-100.00", None),
        ("7950", "59.00", None)]
    rev = fx("journal", "show", v["reversal"], "--json").json()
    assert (rev["date"], rev["reverses"]) == ("2027-01-01", v["entry"])
    assert postings(fx, v["reversal"]) == [
        ("1100", "-100.00", None), ("2000", "59.00", None), ("4950", "100.00", None),
        ("7950", "-59.00", None)]
    on_the_day = balances(fx, "2026-12-31")
    assert (on_the_day["1100"], on_the_day["2000"]) == ("2800.00", "-1652.00")
    next_day = balances(fx, "2027-01-01")
    assert (next_day["1100"], next_day["2000"]) == ("2700.00", "-1593.00")
    # the same day again is refused, nothing written
    again = fx("revalue", "--as-of", "2026-12-31")
    assert (again.exit_code, again.stderr) == (
        1, f"error: 2026-12-31 was revalued already ({v['entry']}); a day is revalued once "
           "and nothing was written\n")
    # paid after: the realised difference is still measured from the invoice's rate
    p = fx("pay", "in", "INV-2026-0001", "1000", "--rate", "2.80", "--date", "2027-01-05",
           "--json").json()
    assert postings(fx, p["entry"]) == [
        ("1010", "2800.00", "1000.00 USD @2.8000"),
        ("1100", "-2700.00", "-1000.00 USD @2.7000"), ("4950", "-100.00", None)]
    ok(fx)


def test_revalue_with_nothing_open_posts_nothing(fx):
    r = fx("revalue", "--as-of", "2026-12-31")
    assert (r.exit_code, r.stdout.splitlines()[-1]) == (0, "nothing to revalue")
    assert fx("revalue", "--as-of", "2026-11-30", "--rate", "USD=0").stderr == (
        "error: --rate: a rate must be more than 0\n")
    fx("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.7", "--date",
       "2026-12-01", "--line", "X=1@10;vat=0")
    assert fx("lock", "2026-12-01").exit_code == 0
    assert "on or before the lock date" in fx("revalue", "--as-of", "2026-12-01").stderr


def test_aging_and_the_statement_show_both_currencies(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")  # 1180 USD = 3186.00
    fx("invoice", "new", "Acme", "--date", "2026-12-01", "--line", "Local=1@100;vat=0")
    fx("pay", "in", "INV-2026-0001", "180", "--rate", "2.75", "--date", "2026-12-10")
    aging = fx("report", "aging", "--as-of", "2026-12-20", "--json").json()
    assert [(r["name"], r["total"], r["foreign"]) for r in aging["rows"]] == [
        ("Acme Inc", "2800.00", {"USD": "1000.00"})]  # 2700.00 + 100.00 lari
    shown = fx("report", "aging", "--as-of", "2026-12-20").stdout
    assert "1,000.00 USD" in shown
    st = fx("report", "statement", "Acme", "--from", "2026-12-01", "--to", "2026-12-20",
            "--json").json()
    assert [(ln["reference"], ln["amount"], ln.get("currency"), ln.get("amount_fx"))
            for ln in st["lines"]] == [
        ("INV-2026-0001", "3186.00", "USD", "1180.00"),
        ("INV-2026-0002", "100.00", None, None),
        ("PAY-2026-0001", "-486.00", "USD", "-180.00")]
    assert [(i["number"], i["balance_due"], i.get("currency"), i.get("balance_due_fx"))
            for i in st["open"]] == [("INV-2026-0001", "2700.00", "USD", "1000.00"),
                                     ("INV-2026-0002", "100.00", None, None)]
    assert st["closing_balance"] == "2800.00"
    text = fx("report", "statement", "Acme", "--from", "2026-12-01", "--to",
              "2026-12-20").stdout
    assert "1,180.00 USD" in text and "1,000.00 USD" in text
    # the contact's 360 and the invoice list: both currencies too
    seen = fx("contact", "show", "Acme", "--json").json()["open_invoices"]
    assert [(i["number"], i["balance_due"], i.get("currency"), i.get("balance_due_fx"))
            for i in seen] == [("INV-2026-0001", "2700.00", "USD", "1000.00"),
                               ("INV-2026-0002", "100.00", None, None)]
    listed = fx("invoice", "list", "--open", "--json").json()
    assert listed[0]["currency"] == "USD" and listed[0]["balance_due_fx"] == "1000.00"
    ok(fx)


def test_a_bank_line_is_not_matched_to_a_foreign_invoice(cli):
    """A bank line is in lari: matching it to a dollar invoice would pay it in dollars."""
    from tests.bank.conftest import fixture

    cli("contact", "add", "Kartuli Foods LLC", "--org", "--customer")
    cli("invoice", "new", "Kartuli", "--currency", "USD", "--rate", "2.70", "--date",
        "2026-01-02", "--line", "Consulting=1@300;vat=0")
    assert cli("bank", "import", fixture("jan.ofx")).exit_code == 0
    rows = cli("bank", "list", "--json").json()
    assert all(r["status"] != "matched" for r in rows)  # not proposed automatically
    r = cli("bank", "match", str(rows[0]["id"]), "--invoice", "INV-2026-0001")
    assert r.exit_code == 1
    assert r.stderr == (f"error: line {rows[0]['id']} is in GEL and INV-2026-0001 in USD: a "
                        "line pays documents in its account's currency only\n")
    ok(cli)


def test_the_invoice_pdf_of_a_usd_invoice_is_in_dollars(fx, book, tmp_path):
    from smallbiz.orders.invoices import invoice_document
    from tests.orders.conftest import rd

    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=2@500;vat=18")
    fx("pay", "in", "INV-2026-0001", "180", "--rate", "2.75", "--date", "2026-12-10")
    doc = rd(book, invoice_document, "INV-2026-0001")
    assert (doc.currency, doc.total_net, doc.total_vat, doc.total_gross, doc.paid,
            doc.balance_due) == ("USD", D("1000.00"), D("180.00"), D("1180.00"), D("180.00"),
                                 D("1000.00"))
    assert [(ln.unit_price, ln.net, ln.vat, ln.gross) for ln in doc.lines] == [
        (D("500"), D("1000.00"), D("180.00"), D("1180.00"))]
    r = fx("invoice", "pdf", "INV-2026-0001", "-o", str(tmp_path / "inv.pdf"))
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "inv.pdf").read_bytes().startswith(b"%PDF")


def test_check_catches_a_foreign_document_changed_behind_the_books_back(fx, book_path):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")
    fx("pay", "in", "INV-2026-0001", "180", "--rate", "2.75", "--date", "2026-12-10")
    ok(fx)
    engine.execute(book_path, "UPDATE invoice SET paid_fx = 20000, rate = 2800000")
    r = fx("check")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "INV-2026-0001: gross 3186.00 is not 1180.00 USD at its rate (3304.00)",
        "INV-2026-0001: paid 200.00 USD differs from its allocations 180.00 USD"]
