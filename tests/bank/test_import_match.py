"""Statements in each format imported through the real CLI: de-duplicated, matched where
certain (payments through the payments service), reconciled to a zero difference."""

from __future__ import annotations

import pytest

from tests.bank.conftest import fixture, ok


def lines(cli, *args):
    return ok(cli, "bank", "list", "--json", *args).json()


def reconcile(cli, *args):
    return ok(cli, "bank", "reconcile", "--json", *args).json()


def invoice(cli, number):
    return ok(cli, "invoice", "show", number, "--json").json()


def test_ofx_two_statements_with_a_repeated_fitid(shop):
    cli = shop
    ok(cli, "bank", "rule", "add", "--text", "BOG fee", "--account", "6800")
    first = ok(cli, "bank", "import", fixture("jan.ofx"), "--json").json()
    assert first == {"statement": 1, "account": "1010", "format": "ofx", "lines": 3,
                     "added": 3, "already_there": 0,
                     "matched": {"payments": 1, "rules": 1, "transfers": 0}}
    second = ok(cli, "bank", "import", fixture("feb.ofx"), "--json").json()
    assert (second["added"], second["already_there"]) == (1, 1)  # F-1003 was in January's
    again = ok(cli, "bank", "import", fixture("jan.ofx"))
    assert "0 line(s) added to 1010, 3 already there" in again.stdout
    rows = lines(cli)
    assert [(r["date"], r["amount"], r["status"]) for r in rows] == [
        ("2026-01-10", "354.00", "matched"), ("2026-01-15", "-2.50", "matched"),
        ("2026-01-20", "-100.00", "unmatched"), ("2026-02-15", "-2.50", "matched")]
    paid = rows[0]
    assert paid["matched_to"] == paid["payment"] == "PAY-2026-0001"
    assert set(paid) >= {"id", "date", "amount", "description", "counterparty", "reference",
                         "status", "matched_to"}
    pay = ok(cli, "pay", "list", "--json").json()[0]
    assert (pay["number"], pay["date"], pay["amount"]) == ("PAY-2026-0001", "2026-01-10",
                                                            "354.00")
    assert invoice(cli, "INV-2026-0001")["status"] == "paid"
    fee = ok(cli, "journal", "show", rows[1]["entry"], "--json").json()
    assert {(p["account"], p["amount"]) for p in fee["postings"]} == {
        ("1010", "-2.50"), ("6800", "2.50")}
    assert reconcile(cli) == {
        "account": "1010", "as_of": "2026-02-28", "statement_date": "2026-02-28",
        "statement_balance": "249.00", "book_balance": "349.00", "unmatched": "-100.00",
        "unmatched_lines": 1, "outside": "0.00", "outside_lines": 0, "later": "0.00",
        "later_lines": 0, "difference": "0.00",
        "reconciled": True}
    assert reconcile(cli, "--as-of", "2026-01-31")["statement_balance"] == "251.50"
    assert lines(cli, "--unmatched") == [rows[2]]
    assert ok(cli, "check").exit_code == 0


def test_a_statement_without_balances_inside_an_earlier_ones_period(shop, tmp_path):
    """A CSV without a balance column states no balance: its line dated inside January's
    OFX statement is not in that statement's 251.50, so it must not make January's
    comparison (reconcile, check) report a difference; it is still a line of the account."""
    cli = shop
    ok(cli, "bank", "import", fixture("jan.ofx"))  # 354.00 matched, -2.50, -100.00 open
    extra = tmp_path / "card.csv"
    extra.write_text("date,amount,description\n2026-01-25,-10.00,Card fee\n")
    ok(cli, "bank", "import", str(extra), "--mapping", "plain")
    rec = reconcile(cli)
    # 251.50 + (-10.00) - (-2.50 - 100.00 - 10.00) - 354.00 = 0
    assert (rec["as_of"], rec["statement_balance"], rec["outside"], rec["outside_lines"],
            rec["unmatched"], rec["unmatched_lines"], rec["book_balance"],
            rec["difference"]) == ("2026-01-31", "251.50", "-10.00", 1, "-112.50", 3,
                                   "354.00", "0.00")
    assert ok(cli, "check").stdout.strip() == "ok: every check passed"
    assert len(lines(cli, "--unmatched")) == 3  # the card fee is a line of the account
    table = ok(cli, "bank", "reconcile").stdout
    assert "Lines outside it, from statements without a balance (1)" in table
    # matched, it is in the book and still outside the statement's balance
    fee = next(r for r in lines(cli) if r["amount"] == "-10.00")
    ok(cli, "bank", "match", str(fee["id"]), "--account", "6800")
    rec = reconcile(cli)
    assert (rec["book_balance"], rec["unmatched"], rec["outside"], rec["difference"]) == (
        "344.00", "-102.50", "-10.00", "0.00")
    assert ok(cli, "check").exit_code == 0
    # ignored, it is in neither the book nor the unmatched lines
    ok(cli, "bank", "unmatch", str(fee["id"]))
    ok(cli, "bank", "ignore", str(fee["id"]))
    rec = reconcile(cli)
    assert (rec["outside_lines"], rec["difference"]) == (0, "0.00")
    # a real difference is still reported, with the outside lines named
    ok(cli, "bank", "unmatch", str(fee["id"]))
    ok(cli, "journal", "add", "--date", "2026-01-30", "--memo", "Not on the statement",
       "--posting", "1010=5", "--posting", "6800=-5")
    r = cli("check")
    assert r.exit_code == 1
    assert ("bank 1010 on 2026-01-31: statement 251.50 plus the lines of statements without "
            "a balance -10.00 minus unmatched -112.50 is not the book balance 359.00 "
            "(difference -5.00)") in r.stderr


def test_reconciled_as_of_a_day_after_the_latest_statement(shop, tmp_path):
    """As of a day after January's statement (251.50 on 01-31), a line the bank booked on
    02-05 is not in that balance: it is counted as a line after it, so a book that agrees
    with the bank shows no difference, matched or not."""
    cli = shop
    ok(cli, "bank", "import", fixture("jan.ofx"))  # 354.00 matched, -2.50, -100.00 open
    feb = tmp_path / "feb.csv"
    feb.write_text("date,amount,description\n2026-02-05,-10.00,Card fee\n")
    ok(cli, "bank", "import", str(feb), "--mapping", "plain")
    rec = reconcile(cli, "--as-of", "2026-02-10")
    # 251.50 + (-10.00) - (-2.50 - 100.00 - 10.00) - 354.00 = 0
    assert (rec["statement_date"], rec["statement_balance"], rec["later"], rec["later_lines"],
            rec["outside_lines"], rec["unmatched"], rec["book_balance"],
            rec["difference"]) == ("2026-01-31", "251.50", "-10.00", 1, 0, "-112.50",
                                   "354.00", "0.00")
    table = ok(cli, "bank", "reconcile", "--as-of", "2026-02-10").stdout
    assert "Lines after it, up to 2026-02-10 (1)" in table
    fee = next(r for r in lines(cli) if r["amount"] == "-10.00")
    ok(cli, "bank", "match", str(fee["id"]), "--account", "6800")
    rec = reconcile(cli, "--as-of", "2026-02-10")
    assert (rec["book_balance"], rec["unmatched"], rec["later"], rec["difference"]) == (
        "344.00", "-102.50", "-10.00", "0.00")
    # as of the statement's own day the February line is in neither side
    rec = reconcile(cli, "--as-of", "2026-01-31")
    assert (rec["later_lines"], rec["book_balance"], rec["difference"]) == (0, "354.00", "0.00")
    assert ok(cli, "check").exit_code == 0


def test_camt053_several_transactions_in_one_booking(shop):
    cli = shop
    r = ok(cli, "bank", "import", fixture("march.camt053.xml"), "--json").json()
    assert (r["format"], r["added"], r["matched"]["payments"]) == ("camt053", 4, 3)
    rows = lines(cli)
    assert [(r["amount"], r["counterparty"], r["status"]) for r in rows] == [
        ("354.00", "Kartuli Foods LLC", "matched"),  # the number in the text
        ("236.00", "ნინო ბერიძე", "matched"),  # the name, her only open invoice of 236
        ("-118.00", "Batumi Supply", "matched"),  # the bill's number
        ("-100.00", "", "unmatched")]  # the pending entry is not on the account yet
    assert invoice(cli, "INV-2026-0002")["status"] == "paid"
    assert invoice(cli, "BILL-2026-0001")["status"] == "paid"
    assert reconcile(cli)["difference"] == "0.00"
    again = ok(cli, "bank", "import", fixture("march.camt053.xml"), "--json").json()
    assert (again["added"], again["already_there"]) == (0, 4)
    ok(cli, "bank", "match", str(rows[3]["id"]), "--account", "6100", "--memo", "Rent")
    assert reconcile(cli)["unmatched_lines"] == 0
    assert reconcile(cli)["difference"] == "0.00"
    assert ok(cli, "check").exit_code == 0


def test_mt940(shop):
    cli = shop
    r = ok(cli, "bank", "import", fixture("april.sta"), "--json").json()
    assert (r["format"], r["added"], r["matched"]["payments"]) == ("mt940", 3, 1)
    assert ok(cli, "bank", "import", fixture("april.sta"), "--json").json()["added"] == 0
    rec = reconcile(cli)
    assert (rec["statement_balance"], rec["difference"]) == ("301.50", "0.00")


def test_csv_preset_with_decimal_comma_and_equal_lines(shop):
    cli = shop
    r = ok(cli, "bank", "import", fixture("may.csv"), "--json").json()
    assert (r["format"], r["added"], r["matched"]["payments"]) == ("csv", 4, 1)
    rows = lines(cli)
    assert [r["amount"] for r in rows] == ["354.00", "-2.50", "-2.50", "-1000.00"]
    assert ok(cli, "bank", "import", fixture("may.csv"), "--json").json()["added"] == 0
    rec = reconcile(cli)
    assert (rec["statement_balance"], rec["unmatched"], rec["difference"]) == (
        "-651.00", "-1005.00", "0.00")


def test_a_saved_mapping_is_found_by_header_and_xlsx_reads_it(shop, tmp_path):
    from openpyxl import Workbook

    cli = shop
    wb = Workbook()
    ws = wb.active
    ws.append(["Value date", "Sum", "Text", "From"])
    ws.append(["12.06.2026", 354, "INV-2026-0001 thanks", "Kartuli Foods LLC"])
    ws.append(["13.06.2026", -12.5, "Card fee", "Bank"])
    wb.save(tmp_path / "june.xlsx")
    failed = cli("bank", "import", str(tmp_path / "june.xlsx"))
    assert failed.exit_code == 1 and "line 1: no saved mapping fits" in failed.stderr
    ok(cli, "bank", "mapping", "add", "mybank", "--date", "Value date", "--amount", "Sum",
       "--description", "Text", "--counterparty", "From", "--date-format", "dd.mm.yyyy")
    r = ok(cli, "bank", "import", str(tmp_path / "june.xlsx"), "--json").json()
    assert (r["format"], r["added"], r["matched"]["payments"]) == ("xlsx", 2, 1)
    assert [x["amount"] for x in lines(cli)] == ["354.00", "-12.50"]
    listed = ok(cli, "bank", "mapping", "list", "--json").json()
    assert [m["name"] for m in listed][:1] == ["mybank"]
    assert {"plain", "debit-credit", "ka"} <= {m["name"] for m in listed}


def test_a_transfer_between_own_accounts_is_posted_once(shop, tmp_path):
    cli = shop
    ok(cli, "bank", "import", fixture("may.csv"))
    r = ok(cli, "bank", "import", fixture("cash-may.csv"), "--account", "1000",
           "--json").json()
    assert r["matched"]["transfers"] == 1
    out, into = [x for x in lines(cli) if x["amount"] in ("-1000.00", "1000.00")]
    assert out["entry"] == into["entry"] and out["status"] == into["status"] == "matched"
    entry = ok(cli, "journal", "show", out["entry"], "--json").json()
    assert {(p["account"], p["amount"]) for p in entry["postings"]} == {
        ("1010", "-1000.00"), ("1000", "1000.00")}
    assert ok(cli, "bank", "unmatch", str(into["id"])).exit_code == 0
    assert {x["status"] for x in lines(cli) if x["id"] in (out["id"], into["id"])} == {
        "unmatched"}
    assert ok(cli, "check").exit_code == 0


def test_manual_match_unmatch_ignore(shop):
    cli = shop
    ok(cli, "bank", "import", fixture("jan.ofx"))
    rows = lines(cli)
    fee, unknown = rows[1], rows[2]
    # the payment's cancel is a reversal: the invoice is open again, the line unmatched
    cancelled = ok(cli, "bank", "unmatch", str(rows[0]["id"])).stdout.strip()
    assert cancelled == "PAY-2026-0001"
    assert invoice(cli, "INV-2026-0001")["status"] == "open"
    assert ok(cli, "pay", "show", "PAY-2026-0001", "--json").json()["status"] == "cancelled"
    again = ok(cli, "bank", "match", str(rows[0]["id"]), "--invoice", "INV-2026-0001").stdout
    assert again.strip() == "PAY-2026-0002"
    wrong = cli("bank", "match", str(fee["id"]), "--invoice", "INV-2026-0002")
    assert wrong.exit_code == 1 and "money out" in wrong.stderr
    booked = ok(cli, "bank", "match", str(fee["id"]), "--account", "6800")
    assert booked.stdout.startswith("JE-2026-")
    assert 'bank rule add --text "BOG fee January" --account 6800' in booked.stderr
    twice = cli("bank", "match", str(fee["id"]), "--account", "6800")
    assert twice.exit_code == 1 and "already matched" in twice.stderr
    assert ok(cli, "bank", "ignore", str(unknown["id"])).exit_code == 0
    assert lines(cli, "--unmatched") == []
    reversal = ok(cli, "bank", "unmatch", str(fee["id"])).stdout.strip()
    shown = ok(cli, "journal", "show", reversal, "--json").json()
    assert shown["reverses"] == booked.stdout.strip()
    refused = cli("journal", "reverse", booked.stdout.strip())
    assert refused.exit_code == 1  # reversed already, and it is the bank's to undo
    ok(cli, "bank", "unmatch", str(unknown["id"]))
    assert len(lines(cli, "--unmatched")) == 2
    assert ok(cli, "check").exit_code == 0


def test_auto_match_applies_new_rules(shop):
    cli = shop
    ok(cli, "bank", "import", fixture("jan.ofx"))
    ok(cli, "bank", "rule", "add", "--counterparty", "somebody", "--min", "-200", "--max",
       "-50", "--account", "6800")
    assert ok(cli, "bank", "match", "--auto", "--json").json() == {
        "payments": 0, "rules": 1, "transfers": 0}
    assert [x["description"] for x in lines(cli, "--unmatched")] == ["BOG fee January"]
    rules = ok(cli, "bank", "rule", "list", "--json").json()
    assert rules == [{"id": 1, "text": "", "counterparty": "somebody", "min": "-200.00",
                      "max": "-50.00", "account": "6800", "contact": None, "memo": ""}]
    ok(cli, "bank", "rule", "remove", "1")
    assert ok(cli, "bank", "rule", "list", "--json").json() == []


def test_check_sees_a_payment_cancelled_behind_the_banks_back(shop):
    cli = shop
    ok(cli, "bank", "import", fixture("jan.ofx"))
    ok(cli, "pay", "cancel", "PAY-2026-0001")
    r = cli("check")
    assert r.exit_code == 1
    assert "bank line 1: its payment is cancelled" in r.stdout + r.stderr


@pytest.mark.parametrize("name, body, where", [
    ("bad.csv", "date,amount,description\n2026-01-01,10.00,ok\n2026-01-02,ten,bad\n",
     "line 3: amount 'ten' is not an amount"),
    ("bad.csv", "date,amount,description\n2026-13-01,10.00,ok\n", "line 2: date '2026-13-01'"),
    ("bad.xml", '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
     'camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Ccy>GEL</Ccy></Acct>'
     '<Ntry><Amt Ccy="GEL">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-01-01'
     '</Dt></BookgDt></Ntry><Ntry><Amt Ccy="GEL">x</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
     '</Ntry></Stmt></BkToCstmrStmt></Document>', "entry 2: amount 'x' is not a number"),
    ("bad.xml", "<Document><BkToCstmrStmt><Stmt>\n<Ntry>\n</Stmt></Document>",
     "line 3: not well-formed XML"),
    ("usd.csv", "date,amount,currency\n2026-01-01,10.00,USD\n",
     "the statement is in USD; account 1010 is kept in GEL: nothing imported"),
])
def test_a_broken_file_imports_nothing(shop, tmp_path, name, body, where):
    cli = shop
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    r = cli("bank", "import", str(path))
    assert r.exit_code == 1
    assert where in r.stderr
    assert lines(cli) == []


def test_an_ofx_in_another_currency_is_refused(shop, tmp_path):
    text = open(fixture("jan.ofx"), encoding="latin-1").read().replace("<CURDEF>GEL",
                                                                       "<CURDEF>EUR")
    (tmp_path / "eur.ofx").write_text(text, encoding="latin-1")
    r = shop("bank", "import", str(tmp_path / "eur.ofx"))
    assert r.exit_code == 1 and "the statement is in EUR" in r.stderr
    assert lines(shop) == []


HOSTILE = {
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                      ']><Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&lol2;'
                      '</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM '
                       '"file:///etc/passwd">]><Document><BkToCstmrStmt><Stmt><Ntry>'
                       '<AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt>'
                       '</Document>',
    "a DTD alone": '<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://127.0.0.1/x.dtd">'
                   '<Document><BkToCstmrStmt><Stmt></Stmt></BkToCstmrStmt></Document>',
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_xml_is_refused(shop, tmp_path, case):
    path = tmp_path / "hostile.xml"
    path.write_text(HOSTILE[case], encoding="utf-8")
    r = shop("bank", "import", str(path), "--format", "camt053")
    assert r.exit_code == 1
    assert "line 1: the XML declares a DTD or entities" in r.stderr
    assert "root:" not in r.stdout + r.stderr
    assert lines(shop) == []


def test_suggestions_for_an_uncertain_line(shop, book, tmp_path):
    from smallbiz.app.book import Book

    (tmp_path / "s.csv").write_text("date,amount,description,counterparty\n"
                                    "2026-02-01,350.00,thanks,Kartuli Foods\n")
    ok(shop, "bank", "import", str(tmp_path / "s.csv"))
    line = lines(shop)[0]
    assert line["status"] == "unmatched"  # not the invoice's amount: not certain
    found = Book(book).bank_suggestions(line["id"])
    assert [(x.number, x.contact) for x in found][:1] == [("INV-2026-0001",
                                                            "Kartuli Foods LLC")]
    assert len(found) <= 3


def test_a_line_split_across_an_invoice_and_accounts(shop, tmp_path):
    cli = shop
    (tmp_path / "s.csv").write_text("date,amount,description,counterparty,balance\n"
                                    "2026-02-01,351.50,thanks,Kartuli,351.50\n"
                                    "2026-02-02,-100.00,supplies and lunch,,251.50\n")
    ok(cli, "bank", "import", str(tmp_path / "s.csv"))
    paid, spent = lines(cli)
    # the customer paid 354.00, the bank kept 2.50 of it
    r = ok(cli, "bank", "match", str(paid["id"]), "--invoice", "INV-2026-0001", "--split",
           "6800=-2.50", "--json").json()
    assert r["numbers"][0] == "PAY-2026-0001" and r["numbers"][1].startswith("JE-")
    assert invoice(cli, "INV-2026-0001")["status"] == "paid"
    fee = ok(cli, "journal", "show", r["numbers"][1], "--json").json()
    assert {(p["account"], p["amount"]) for p in fee["postings"]} == {
        ("1010", "-2.50"), ("6800", "2.50")}
    parts = ok(cli, "bank", "match", str(spent["id"]), "--split", "6100=60", "--split",
               "6800", "--json").json()["numbers"]
    entry = ok(cli, "journal", "show", parts[0], "--json").json()
    assert {(p["account"], p["amount"]) for p in entry["postings"]} == {
        ("1010", "-100.00"), ("6100", "60.00"), ("6800", "40.00")}
    assert reconcile(cli)["difference"] == "0.00"
    assert ok(cli, "check").exit_code == 0
    bad = cli("bank", "match", str(spent["id"]), "--split", "6100=60")
    assert bad.exit_code == 1
    undone = ok(cli, "bank", "unmatch", str(paid["id"]), "--json").json()["cancelled"]
    assert undone[0] == "PAY-2026-0001" and undone[1].startswith("JE-")
    assert invoice(cli, "INV-2026-0001")["status"] == "open"
    ok(cli, "bank", "unmatch", str(spent["id"]))
    wrong = cli("bank", "match", str(spent["id"]), "--split", "6100=60")
    assert wrong.exit_code == 1 and "the parts add up to 60.00, the line is 100.00" in \
        wrong.stderr
    assert ok(cli, "check").exit_code == 0
