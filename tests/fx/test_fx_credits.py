"""Credit and debit notes on documents in another currency, foreign credit and its refund,
with the exact postings (the book is in GEL; hand-computed: amount × rate, half-up to the
tetri). A note is converted at the document's own rate, so the receivable or payable
falls by exactly what the document booked for what it credits."""

from __future__ import annotations

from tests.fx.test_documents_fx import ok, postings


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
    # a note dated after the day does not count on it
    fx("credit", "new", "INV-2026-0001", "--date", "2027-01-05")
    assert fx("revalue", "--as-of", "2027-01-06", "--rate", "USD=2.80", "--json").json()[
        "documents"] == []
    ok(fx)
