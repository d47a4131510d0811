"""Credit and debit notes on documents in another currency, foreign credit and its refund,
with the exact postings (the book is in GEL; hand-computed: amount × rate, half-up to the
tetri). A note is converted at the document's own rate, so the receivable or payable
falls by exactly what the document booked for what it credits."""

from __future__ import annotations

from decimal import Decimal

from tests import engine
from tests.fx.test_documents_fx import balances, ok, postings


def show(cli, number):
    return cli("invoice", "show", number, "--json").json()


def test_a_credit_note_of_one_line_of_a_usd_invoice_at_its_rate_then_paid_at_2_75(fx):
    r = fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
           "--line", "Consulting=1@1000;vat=18", "--line", "Support=2@100;vat=18", "--json")
    inv = r.json()
    assert (inv["gross_fx"], inv["gross"]) == ("1416.00", "3823.20")  # 1180 + 236 USD
    r = fx("credit", "new", "INV-2026-0001", "--line", "2=2", "--date", "2026-12-05",
           "--json")
    assert r.exit_code == 0, r.stderr
    note = r.json()
    # 200 USD x 2.70 = 540.00 net, 36 USD x 2.70 = 97.20 VAT: the line's own book amounts
    assert (note["number"], note["currency"], note["rate"], note["gross_fx"]) == (
        "CN-2026-0001", "USD", "2.7000", "236.00")
    assert (note["net"], note["vat"], note["gross"]) == ("540.00", "97.20", "637.20")
    assert postings(fx, note["entry"]) == [
        ("1100", "-637.20", "-236.00 USD @2.7000"), ("4100", "540.00", None),
        ("2100", "97.20", None)]
    inv = show(fx, "INV-2026-0001")
    assert (inv["credited"], inv["balance_due"], inv["balance_due_fx"], inv["status"]) == (
        "637.20", "3186.00", "1180.00", "open")
    shown = fx("invoice", "show", "INV-2026-0001").stdout
    assert "USD at 2.7000: gross 1,416.00, balance due 1,180.00" in shown
    assert "Credit notes │ CN-2026-0001" in shown
    shown = fx("credit", "show", "CN-2026-0001").stdout
    assert "Customer │ Acme Inc" in shown
    assert "USD at 2.7000 (the credited document's): gross 236.00" in shown
    ok(fx)
    p = fx("pay", "in", "INV-2026-0001", "1180", "--rate", "2.75", "--date", "2026-12-10",
           "--json").json()
    # 1180 USD x 2.75 = 3245.00 moved; 3186.00 cleared at the invoice's 2.70: gain 59.00
    assert postings(fx, p["entry"]) == [
        ("1010", "3245.00", "1180.00 USD @2.7500"),
        ("1100", "-3186.00", "-1180.00 USD @2.7000"), ("4950", "-59.00", None)]
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["balance_due"], inv["balance_due_fx"]) == (
        "paid", "0.00", "0.00")
    assert "balance due 0.00" in fx("invoice", "show", "INV-2026-0001").stdout
    ok(fx)
    # cancelling the note: the invoice owes the line again, in both currencies
    assert fx("credit", "cancel", "CN-2026-0001", "--date", "2026-12-11").exit_code == 0
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["balance_due"], inv["balance_due_fx"]) == (
        "open", "637.20", "236.00")
    ok(fx)


def test_a_line_credited_in_two_notes_takes_its_book_amounts_and_rounds_on_a_line(fx):
    # 3 x 10.09 USD = 30.27 + VAT 5.45 (5.4486) = 35.72 USD at 2.6953:
    # net 81.59 (81.586731), VAT 14.69 (14.689385), gross 96.28 (96.276116)
    inv = fx("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.6953", "--date",
             "2026-12-01", "--line", "Hours=3@10.09;vat=18", "--json").json()
    assert (inv["net"], inv["vat"], inv["gross"]) == ("81.59", "14.69", "96.28")
    # one hour: 10.09 + 1.82 (1.8162) = 11.91 USD; net 27.20 (27.195577), VAT 4.91
    # (4.905446) = 32.11, but 11.91 USD x 2.6953 = 32.10 (32.101023): 0.01 rounding
    first = fx("credit", "new", "INV-2026-0001", "--line", "1=1", "--date", "2026-12-02",
               "--json").json()
    assert (first["net"], first["vat"], first["gross"], first["gross_fx"]) == (
        "27.20", "4.91", "32.11", "11.91")
    assert postings(fx, first["entry"]) == [
        ("1100", "-32.10", "-11.91 USD @2.6953"), ("4100", "27.20", None),
        ("2100", "4.91", None), ("1100", "-0.01", None)]
    ok(fx)
    # the other two to the line's end: what is left of its book amounts, 81.59 - 27.20 =
    # 54.39 and 14.69 - 4.91 = 9.78 (64.17); 23.81 USD x 2.6953 = 64.18 (64.175093)
    rest = fx("credit", "new", "INV-2026-0001", "--date", "2026-12-03", "--json").json()
    assert (rest["net"], rest["vat"], rest["gross"], rest["gross_fx"]) == (
        "54.39", "9.78", "64.17", "23.81")
    assert postings(fx, rest["entry"]) == [
        ("1100", "-64.18", "-23.81 USD @2.6953"), ("4100", "54.39", None),
        ("2100", "9.78", None), ("1100", "0.01", None)]
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["credited"], inv["balance_due"], inv["balance_due_fx"]) == (
        "paid", "96.28", "0.00", "0.00")
    # the VAT came back exactly, the receivable is clear
    tb = fx("report", "tb", "--as-of", "2026-12-31", "--json").json()["rows"]
    assert not [r for r in tb if r["code"] in ("1100", "2100", "4100")
                and r["balance"] != "0.00"]
    ok(fx)


def test_a_debit_note_on_a_usd_bill_at_the_bill_s_rate(fx):
    fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Software licence=1@500;vat=18;account=6700")  # 590 USD = 1593.00
    r = fx("credit", "new", "BILL-2026-0001", "--date", "2026-12-04", "--json")
    assert r.exit_code == 0, r.stderr
    note = r.json()
    assert (note["number"], note["gross_fx"], note["gross"]) == (
        "DN-2026-0001", "590.00", "1593.00")
    assert postings(fx, note["entry"]) == [
        ("6700", "-1350.00", None), ("1300", "-243.00", None),
        ("2000", "1593.00", "590.00 USD @2.7000")]
    bill = show(fx, "BILL-2026-0001")
    assert (bill["status"], bill["balance_due"], bill["balance_due_fx"]) == (
        "paid", "0.00", "0.00")
    ok(fx)


def test_revaluation_counts_only_what_the_notes_left_open(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")  # 1180 USD = 3186.00
    # half: 500 + 90 = 590 USD = 1350.00 + 243.00 = 1593.00
    fx("credit", "new", "INV-2026-0001", "--line", "1=0.5", "--date", "2026-12-05")
    fx("rate", "set", "USD", "2.80", "--date", "2026-12-31")
    v = fx("revalue", "--as-of", "2026-12-31", "--json").json()
    # 590 USD left x 2.80 = 1652.00 against 3186.00 - 1593.00 = 1593.00 booked
    assert v["documents"] == [
        {"number": "INV-2026-0001", "currency": "USD", "balance_fx": "590.00",
         "rate": "2.8000", "balance": "1593.00", "revalued": "1652.00",
         "difference": "59.00"}]
    assert postings(fx, v["entry"]) == [("1100", "59.00", None), ("4950", "-59.00", None)]
    aging = fx("report", "aging", "--as-of", "2026-12-20", "--json").json()
    assert [(r["name"], r["total"], r["foreign"]) for r in aging["rows"]] == [
        ("Acme Inc", "1593.00", {"USD": "590.00"})]
    # as of the day before the note, all of it
    aging = fx("report", "aging", "--as-of", "2026-12-04", "--json").json()
    assert [(r["total"], r["foreign"]) for r in aging["rows"]] == [
        ("3186.00", {"USD": "1180.00"})]
    # a note dated after the day does not count on it
    fx("credit", "new", "INV-2026-0001", "--date", "2027-01-05")
    assert fx("revalue", "--as-of", "2027-01-06", "--rate", "USD=2.80", "--json").json()[
        "documents"] == []
    ok(fx)


def test_a_credit_note_on_a_paid_usd_invoice_frees_usd_credit_refunded_at_the_day_s_rate(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")  # 1180 USD = 3186.00
    fx("pay", "in", "INV-2026-0001", "1180", "--rate", "2.75", "--date", "2026-12-10")
    # half of it back: 590 USD = 1350.00 + 243.00 = 1593.00, freed from PAY-2026-0001
    note = fx("credit", "new", "INV-2026-0001", "--line", "1=0.5", "--date", "2026-12-12",
              "--json").json()
    assert (note["gross"], note["gross_fx"]) == ("1593.00", "590.00")
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["paid"], inv["paid_fx"], inv["balance_due"],
            inv["balance_due_fx"]) == ("paid", "1593.00", "590.00", "0.00", "0.00")
    credit = fx("pay", "credit", "Acme", "--currency", "USD", "--json").json()
    assert (credit["credit"], credit["currency"], credit["payments"]) == (
        "590.00", "USD", [{"number": "PAY-2026-0001", "date": "2026-12-10",
                           "credit": "590.00"}])
    assert fx("pay", "credit", "Acme", "--json").json()["credit"] == "0.00"  # none in GEL
    assert fx("pay", "refund", "Acme").stderr == "error: Acme Inc has no credit to refund\n"
    ok(fx)
    # 100 USD back at 2.75: the credit is booked at 1593.00 / 590 = 2.70, so 270.00
    # leaves the receivable, 275.00 the bank: a realised loss of 5.00
    r = fx("pay", "refund", "Acme", "100", "--currency", "USD", "--rate", "2.75", "--date",
           "2026-12-14", "--json")
    assert r.exit_code == 0, r.stderr
    p = r.json()
    assert (p["amount"], p["amount_fx"], p["rate"], p["moved"], p["exchange_difference"]) == (
        "-270.00", "-100.00", "2.7500", "-275.00", "-5.00")
    assert postings(fx, p["entry"]) == [
        ("1100", "270.00", "100.00 USD @2.7000"), ("1010", "-275.00", "-100.00 USD @2.7500"),
        ("7950", "5.00", None)]
    assert fx("pay", "show", "PAY-2026-0002").stdout.splitlines()[-1] == (
        "-100.00 USD at 2.7500 = -275.00; exchange difference -5.00")
    ok(fx)
    # the other 490 USD at the rate table's 2.80 of the 15th: 1323.00 booked, 1372.00 paid
    fx("rate", "set", "USD", "2.80", "--date", "2026-12-15")
    r = fx("pay", "refund", "Acme", "--currency", "USD", "--date", "2026-12-15")
    assert (r.stdout, r.stderr) == ("PAY-2026-0003\n", "exchange loss 49.00\n")
    p = fx("pay", "show", "PAY-2026-0003", "--json").json()
    assert postings(fx, p["entry"]) == [
        ("1100", "1323.00", "490.00 USD @2.7000"), ("1010", "-1372.00", "-490.00 USD @2.8000"),
        ("7950", "49.00", None)]
    assert fx("pay", "refund", "Acme", "--currency", "USD").stderr == (
        "error: Acme Inc has no USD credit to refund\n")
    assert fx("pay", "cancel", "PAY-2026-0001").stderr == (
        "error: PAY-2026-0001: its credit was refunded by PAY-2026-0003; cancel the refund "
        "first\n")
    tb = balances(fx)
    # the receivable is clear; the gain on the payment (59.00) and the losses on the
    # refunds (5.00 + 49.00)
    assert (tb["1100"], tb["4950"], tb["7950"]) == ("0.00", "-59.00", "54.00")
    ok(fx)


def test_a_supplier_refunds_a_debit_note_on_a_paid_usd_bill_at_a_lower_rate(fx):
    fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Software licence=1@500;vat=18;account=6700")  # 590 USD = 1593.00
    fx("pay", "out", "BILL-2026-0001", "590", "--date", "2026-12-05")  # at 2.70: no difference
    fx("credit", "new", "BILL-2026-0001", "--date", "2026-12-06")
    assert fx("pay", "credit", "Globex", "--supplier", "--currency", "USD",
              "--json").json()["credit"] == "590.00"
    p = fx("pay", "refund", "Globex", "--supplier", "--currency", "USD", "--rate", "2.60",
           "--date", "2026-12-08", "--json").json()
    # 590 USD come back at 2.60 = 1534.00 for 1593.00 booked: a loss of 59.00
    assert postings(fx, p["entry"]) == [
        ("2000", "-1593.00", "-590.00 USD @2.7000"), ("1010", "1534.00", "590.00 USD @2.6000"),
        ("7950", "59.00", None)]
    ok(fx)


def test_a_usd_overpayment_kept_as_usd_credit_at_the_payment_s_rate(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")  # 1180 USD = 3186.00
    assert "--credit keeps the rest as Acme Inc's credit" in fx(
        "pay", "in", "INV-2026-0001", "1200", "--rate", "2.75").stderr
    r = fx("pay", "in", "INV-2026-0001", "1200", "--rate", "2.75", "--credit", "--date",
           "2026-12-10", "--json")
    assert r.exit_code == 0, r.stderr
    p = r.json()
    # 1200 USD x 2.75 = 3300.00 in; 3186.00 clears the invoice, 20 USD x 2.75 = 55.00 is
    # Acme's credit; 3300.00 - 3186.00 - 55.00 = 59.00 gained
    assert postings(fx, p["entry"]) == [
        ("1010", "3300.00", "1200.00 USD @2.7500"),
        ("1100", "-3186.00", "-1180.00 USD @2.7000"), ("1100", "-55.00", "-20.00 USD @2.7500"),
        ("4950", "-59.00", None)]
    assert (p["amount"], p["credit"], p["credit_fx"], p["exchange_difference"]) == (
        "3241.00", "55.00", "20.00", "59.00")
    assert fx("pay", "show", p["number"], "--json").json()["credit_fx"] == "20.00"
    assert fx("pay", "credit", "Acme", "--currency", "USD", "--json").json()["credit"] == (
        "20.00")
    ok(fx)
    # paid back at the same rate: no difference
    p = fx("pay", "refund", "Acme", "--currency", "USD", "--rate", "2.75", "--date",
           "2026-12-11", "--json").json()
    assert postings(fx, p["entry"]) == [
        ("1100", "55.00", "20.00 USD @2.7500"), ("1010", "-55.00", "-20.00 USD @2.7500")]
    ok(fx)


def test_a_usd_overpayment_says_the_credit_in_dollars(fx):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@100;vat=18")  # 118 USD
    r = fx("pay", "in", "INV-2026-0001", "128", "--rate", "2.75", "--credit", "--date",
           "2026-12-10")
    assert r.exit_code == 0, r.stderr
    # 10 USD x 2.75 = 27.50 of credit
    assert "10.00 USD (27.50 in the book) kept as Acme Inc's credit" in r.stderr


def test_a_usd_remainder_written_off_at_the_invoice_s_rate(fx):
    # 35.72 USD at 2.6953 = 96.28 (see above)
    fx("invoice", "new", "Acme", "--currency", "USD", "--rate", "2.6953", "--date",
       "2026-12-01", "--line", "Hours=3@10.09;vat=18")
    r = fx("pay", "in", "INV-2026-0001", "35.70", "--rate", "2.75", "--write-off", "6800",
           "--date", "2026-12-10", "--json")
    assert r.exit_code == 0, r.stderr
    p = r.json()
    # in: 35.70 x 2.75 = 98.18 (98.175); cleared 35.70 x 2.6953 = 96.22 (96.22221); the
    # 0.02 USD left: 0.05 (0.053906) at the invoice's rate, and 96.28 - 96.22 = 0.06 in
    # all written off (0.01 rounding); 98.18 - 96.22 = 1.96 gained
    assert postings(fx, p["entry"]) == [
        ("1010", "98.18", "35.70 USD @2.7500"), ("1100", "-96.22", "-35.70 USD @2.6953"),
        ("1100", "-0.05", "-0.02 USD @2.6953"), ("1100", "-0.01", None),
        ("6800", "0.06", None), ("4950", "-1.96", None)]
    assert (p["amount"], p["written_off"], p["exchange_difference"]) == (
        "96.22", "0.06", "1.96")
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["balance_due"], inv["balance_due_fx"], inv["paid_fx"]) == (
        "paid", "0.00", "0.00", "35.72")
    ok(fx)
    # a credit note on it now is refused as on any written-off document
    assert "was settled with a write-off by PAY-2026-0001" in fx(
        "credit", "new", "INV-2026-0001", "--date", "2026-12-11").stderr
    assert fx("pay", "cancel", p["number"], "--date", "2026-12-12").exit_code == 0
    inv = show(fx, "INV-2026-0001")
    assert (inv["status"], inv["balance_due"], inv["balance_due_fx"]) == (
        "open", "96.28", "35.72")
    ok(fx)


def test_check_catches_a_foreign_credited_amount_changed(fx, book_path):
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")
    fx("credit", "new", "INV-2026-0001", "--line", "1=0.5", "--date", "2026-12-05")
    ok(fx)
    # 590 USD credited; say 600: the notes and the balance in lari disagree with it
    engine.execute(book_path, "UPDATE invoice SET credited_fx = 60000 "
                   "WHERE number = 'INV-2026-0001'", triggers=False)
    r = fx("check")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "INV-2026-0001: credited 600.00 USD differs from its notes 590.00 USD"]
    # a note whose lari gross is not its USD gross at the invoice's rate
    engine.execute(book_path, "UPDATE invoice SET credited_fx = 59000 "
                   "WHERE number = 'INV-2026-0001'", triggers=False)
    engine.execute(book_path, "UPDATE invoice SET gross_fx = 58000 "
                   "WHERE number = 'CN-2026-0001'", triggers=False)
    assert fx("check").stderr.splitlines() == [
        "INV-2026-0001: credited 590.00 USD differs from its notes 580.00 USD",
        "CN-2026-0001: its lines add up to 590.00 USD, its gross is 580.00 USD",
        "CN-2026-0001: gross 1593.00 is not 580.00 USD at its rate (1566.00) and its rounding"]


def test_goods_of_a_usd_sales_order_come_back_at_their_lari_cost(fx):
    fx("product", "add", "TOOL-01", "Hammer", "--price", "25.00", "--cost", "12.00")
    assert fx("stock", "adjust", "TOOL-01", "20", "--cost", "12.00", "--date",
              "2026-12-01").exit_code == 0
    so = fx("sale", "new", "Acme", "--currency", "USD", "--line", "TOOL-01=4@10",
            "--date", "2026-12-02", "--json").json()["number"]
    fx("sale", "confirm", so)
    assert fx("sale", "ship", so, "--date", "2026-12-03").exit_code == 0
    assert fx("sale", "invoice", so, "--date", "2026-12-04").exit_code == 0
    inv = show(fx, "INV-2026-0001")  # 40 + 7.20 USD at 2.70 = 108.00 + 19.44
    assert (inv["gross_fx"], inv["gross"]) == ("47.20", "127.44")
    r = fx("credit", "new", "INV-2026-0001", "--line", "1=1", "--return", "--date",
           "2026-12-05", "--json")
    assert r.exit_code == 0, r.stderr
    note = r.json()
    # 10 + 1.80 USD at the invoice's 2.70 = 27.00 + 4.86; the hammer back at 12.00
    assert postings(fx, note["entry"]) == [
        ("1100", "-31.86", "-11.80 USD @2.7000"), ("4000", "27.00", None),
        ("2100", "4.86", None), ("1200", "12.00", None), ("5000", "-12.00", None)]
    stock = fx("report", "stock", "--json").json()
    rows = stock["rows"] if isinstance(stock, dict) else stock
    assert [(r["sku"], r["on_hand"], r["value"]) for r in rows] == [("TOOL-01", "17", "204.00")]
    ok(fx)


def _usd_credit_of_20_at_2_75(fx):
    """INV-0001 1180 USD at 2.70 paid with 1200 USD at 2.75, 20 USD (55.00) kept as Acme's
    credit."""
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@1000;vat=18")
    r = fx("pay", "in", "INV-2026-0001", "1200", "--rate", "2.75", "--credit", "--date",
           "2026-12-10", "--json")
    assert r.exit_code == 0, r.stderr
    return r.json()["number"]


def test_usd_credit_at_2_75_applied_to_a_usd_invoice_at_2_70_books_the_gain(fx):
    pay = _usd_credit_of_20_at_2_75(fx)
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Support=1@100;vat=18")  # 118 USD x 2.70 = 318.60
    before = balances(fx)
    r = fx("pay", "apply", "Acme", "--invoice", "INV-2026-0002=20", "--date", "2026-12-12",
           "--json")
    assert r.exit_code == 0, r.stderr
    a = r.json()
    assert (a["date"], a["currency"], a["credit_left"]) == ("2026-12-12", "USD", "0.00")
    [app] = a["applications"]
    assert (app["payment"], app["invoice"], app["amount"], app["balance_due"],
            app["currency"]) == (pay, "INV-2026-0002", "20.00", "98.00", "USD")
    # the credit leaves the receivable at its 2.75 (20 x 2.75 = 55.00), the invoice is
    # settled at its 2.70 (20 x 2.70 = 54.00): 1.00 gained, dated the apply date
    assert postings(fx, app["entry"]) == [
        ("1100", "55.00", "20.00 USD @2.7500"), ("1100", "-54.00", "-20.00 USD @2.7000"),
        ("4950", "-1.00", None)]
    entry = fx("journal", "show", app["entry"], "--json").json()
    assert entry["date"] == "2026-12-12"
    after = balances(fx)
    assert Decimal(after["1100"]) - Decimal(before["1100"]) == 1  # 55.00 out, 54.00 in
    inv = show(fx, "INV-2026-0002")
    assert (inv["paid"], inv["balance_due"]) == ("54.00", "264.60")
    assert fx("pay", "credit", "Acme", "--currency", "USD", "--json").json()["credit"] == (
        "0.00")
    ok(fx)
    # its entry is undone with the payment, not alone
    r = fx("journal", "reverse", app["entry"])
    assert r.exit_code != 0 and "cancel the document instead: smallbiz pay cancel" in r.stderr
    # cancelling the payment takes its credit back: the apply's entry is reversed too
    r = fx("pay", "cancel", pay, "--date", "2026-12-13")
    assert r.exit_code == 0, r.stderr
    assert show(fx, "INV-2026-0002")["balance_due"] == "318.60"
    assert balances(fx)["4950"] == "0.00"
    ok(fx)


def test_usd_credit_closing_a_usd_invoice_takes_its_book_balance_and_keeps_the_rest(fx):
    _usd_credit_of_20_at_2_75(fx)
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Support=1@10;vat=18")  # 11.80 USD x 2.70 = 31.86
    r = fx("pay", "apply", "Acme", "--invoice", "INV-2026-0002", "--date", "2026-12-12",
           "--json")
    assert r.exit_code == 0, r.stderr
    a = r.json()
    [app] = a["applications"]
    assert (app["amount"], app["balance_due"], a["credit_left"]) == ("11.80", "0.00", "8.20")
    # 11.80 of the 20 USD booked at 55.00: 11.80 x 55 / 20 = 32.45; the invoice's 31.86
    assert postings(fx, app["entry"]) == [
        ("1100", "32.45", "11.80 USD @2.7500"), ("1100", "-31.86", "-11.80 USD @2.7000"),
        ("4950", "-0.59", None)]
    assert show(fx, "INV-2026-0002")["status"] == "paid"
    ok(fx)
    # the 8.20 USD left is still booked at 2.75: paid back at 2.75, no difference
    p = fx("pay", "refund", "Acme", "--currency", "USD", "--rate", "2.75", "--date",
           "2026-12-14", "--json").json()
    assert postings(fx, p["entry"]) == [
        ("1100", "22.55", "8.20 USD @2.7500"), ("1010", "-22.55", "-8.20 USD @2.7500")]
    ok(fx)


def test_a_supplier_s_usd_credit_applied_to_a_usd_bill_at_a_lower_rate_loses(fx):
    fx("bill", "new", "Globex", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Parts=1@100;vat=0")  # 100 USD x 2.70 = 270.00
    r = fx("pay", "out", "BILL-2026-0001", "110", "--rate", "2.60", "--credit", "--date",
           "2026-12-05", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["credit"] == "26.00"  # 10 USD Globex owes back, at 2.60
    fx("bill", "new", "Globex", "--currency", "USD", "--rate", "2.50", "--date",
       "2026-12-02", "--line", "Parts=1@50;vat=0")  # 50 USD x 2.50 = 125.00
    r = fx("pay", "apply", "Globex", "--supplier", "--invoice", "BILL-2026-0002",
           "--date", "2026-12-12", "--json")
    assert r.exit_code == 0, r.stderr
    [app] = r.json()["applications"]
    assert (app["amount"], app["balance_due"]) == ("10.00", "40.00")
    # the 26.00 Globex owed leaves the payable; 10 USD of the bill is 25.00: 1.00 lost
    assert postings(fx, app["entry"]) == [
        ("2000", "-26.00", "-10.00 USD @2.6000"), ("2000", "25.00", "10.00 USD @2.5000"),
        ("7950", "1.00", None)]
    assert show(fx, "BILL-2026-0002")["balance_due"] == "100.00"
    ok(fx)


def test_applying_a_usd_credit_refuses_and_writes_nothing(fx):
    _usd_credit_of_20_at_2_75(fx)
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Support=1@10;vat=18")  # 11.80 USD
    fx("invoice", "new", "Acme", "--date", "2026-12-01", "--line", "Local=1@50;vat=18")
    fx("invoice", "new", "Acme", "--currency", "EUR", "--rate", "3.10", "--date",
       "2026-12-01", "--line", "Euro=1@10;vat=18")
    before = (balances(fx), show(fx, "INV-2026-0002"))
    cases = [
        (["--invoice", "INV-2026-0002=20.01"],
         "applying 20.01 USD is more than Acme Inc's credit 20.00 USD"),
        (["--invoice", "INV-2026-0002=12"],
         "INV-2026-0002: applying 12.00 USD is more than the balance due 11.80 USD"),
        (["--invoice", "INV-2026-0004"], "Acme Inc has no EUR credit to apply to "
                                         "INV-2026-0004"),
        (["--invoice", "INV-2026-0003"], "Acme Inc has no credit to apply"),
        (["--invoice", "INV-2026-0002", "--invoice", "INV-2026-0003"],
         "INV-2026-0002 is in USD and INV-2026-0003 in GEL; a credit is applied to "
         "documents of one currency"),
    ]
    for args, message in cases:
        r = fx("pay", "apply", "Acme", *args, "--date", "2026-12-12")
        assert r.exit_code != 0 and message in r.stderr, (args, r.stderr)
    assert (balances(fx), show(fx, "INV-2026-0002")) == before
    ok(fx)


def test_a_usd_write_off_is_refused_where_nothing_remains(fx):
    """The write-off refusals of a lari payment hold in dollars too, nothing written."""
    fx("invoice", "new", "Acme", "--currency", "USD", "--date", "2026-12-01",
       "--line", "Consulting=1@100;vat=18")  # 118 USD
    r = fx("pay", "in", "INV-2026-0001", "120", "--rate", "2.75", "--credit",
           "--write-off", "6800")
    assert r.exit_code != 0
    assert "--write-off: the payment leaves a credit of 2.00; nothing remains" in r.stderr
    r = fx("pay", "in", "INV-2026-0001", "118", "--rate", "2.75", "--write-off", "6800")
    assert r.exit_code != 0
    assert "--write-off: nothing remains of INV-2026-0001 to write off" in r.stderr
    assert show(fx, "INV-2026-0001")["balance_due_fx"] == "118.00"
