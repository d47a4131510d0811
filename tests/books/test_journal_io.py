"""Journal export and import through the real CLI: hledger agrees, round trips, bad files."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from smallbiz.io.journal_export import journal_account
from tests.conftest import content_hash, make_runner

FAR = "2030-12-31"


def _post(cli, date: str, memo: str, *postings: str) -> str:
    args = ["journal", "add", "--date", date, "--memo", memo]
    for p in postings:
        args += ["--posting", p]
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    return r.stdout.strip()


def _tb(cli) -> list[dict[str, str]]:
    return cli("report", "tb", "--as-of", FAR, "--json").json()["rows"]


@pytest.fixture
def busy_book(cli):
    """Several entries: thousands, negatives, a reversal, Georgian text, awkward names."""
    assert cli("account", "add", "6150", "იურიდიული მომსახურება (legal)", "--type",
               "expense").exit_code == 0
    assert cli("account", "add", "2350", "Loan: bank; long term", "--type",
               "liability").exit_code == 0
    _post(cli, "2025-12-20", "Owner invests; ფული", "1010=125,000.50", "3000")
    _post(cli, "2026-01-05", "Loan received", "1010=20000", "2350=-20000")
    _post(cli, "2026-01-09", "ქირა — January rent", "6000=1,250.75", "1010")
    _post(cli, "2026-01-10", "Legal advice\nsecond line", "6150=300.10", "1000=-300.10")
    _post(cli, "2026-01-15", "Sale for cash", "1000=4,720.00", "4000=-4000", "2100=-720")
    wrong = _post(cli, "2026-02-01", "Wrong rent", "6000=999.99", "1010")
    assert cli("journal", "reverse", wrong, "--date", "2026-02-02").exit_code == 0
    _post(cli, "2026-02-03", "Refund (negative debit)", "6000=-50.25", "1010=50.25")
    return cli


def test_export_matches_hledger_balances(busy_book, tmp_path: Path) -> None:
    if shutil.which("hledger") is None:
        pytest.skip("hledger is not installed")
    out = tmp_path / "books.journal"
    r = busy_book("export", "journal", str(out))
    assert (r.exit_code, r.stdout.strip()) == (
        0, f"Exported 8 entries (17 postings) to {out}")
    text = out.read_text(encoding="utf-8")
    assert "2026-01-09 (JE-2026-0002) ქირა — January rent\n" in text
    assert "2025-12-20 (JE-2025-0001) Owner invests, ფული\n" in text  # ';' would start a comment
    assert "(JE-2026-0003) Legal advice second line\n" in text
    assert "liabilities:2350 Loan∶ bank, long term" in text  # ':' would make a sub-account
    assert "    assets:1010 Bank account" in text and "125000.50 GEL\n" in text

    run = subprocess.run(["hledger", "-f", str(out), "bal", "--flat", "-O", "csv"],
                         capture_output=True, text=True, check=True)
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == ["account", "balance"] and rows[-1] == ["total", "0"]
    hledger = {account: balance for account, balance in rows[1:-1]}
    expected = {journal_account(r["type"], r["code"], r["name"]): f"{r['balance']} GEL"
                for r in _tb(busy_book)}
    assert hledger == expected
    assert expected["assets:1010 Bank account"] == "143800.00 GEL"
    assert expected["expenses:6000 Rent"] == "1200.50 GEL"  # the reversal nets out 999.99


def test_export_then_import_gives_the_same_trial_balance(busy_book, tmp_path: Path,
                                                        another_book) -> None:
    out = tmp_path / "books.journal"
    assert busy_book("export", "journal", str(out)).exit_code == 0
    copy = make_runner(another_book("copy.db"))
    assert copy("init", "--company", "Test Co", "--currency", "GEL").exit_code == 0
    r = copy("import", "journal", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json() == {"file": str(out), "entries": 8, "postings": 17,
                        "first": "JE-2025-0001", "last": "JE-2026-0007",
                        "accounts_created": ["2350", "6150"], "notes": [],
                        "skipped_virtual": 0}
    original = _tb(busy_book)
    imported = _tb(copy)
    for row in original:  # ':' comes back; ';' (a comment in a journal) became ','
        if row["code"] == "2350":
            row["name"] = "Loan: bank, long term"
    assert imported == original
    assert copy("check").exit_code == 0
    assert [e["source"] for e in copy("journal", "list", "--json").json()] == ["import"] * 8

    # exporting the imported book gives the same file: names and memos are stable
    again = tmp_path / "again.journal"
    assert copy("export", "journal", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


HAND_WRITTEN = """\
; A hand-written journal: statuses, codes, comments, three ways to write an amount.
# hash comments too
* and org-mode headings

2026/01/02 * (INV-7) Opening balances ; a comment on the transaction
    assets:1010 Bank account      GEL 10,000.50
    * Assets:Checking             1500 GEL ; checking account at TBC
    equity:3000 Owner's equity
    ; an indented comment line

2026-01-03 ! Groceries and rent
    expenses:food:groceries       25.5 GEL
    Expenses:Rent                 400
    liabilities:credit card       -GEL 425.50

2026-01-04 Consulting          ; no blank line follows
    assets:checking               GEL -10
    revenue:4100 Consulting       -90.00
    assets:1000  ; cash, amount left out
2026-01-04 (x) Zero-sum shuffle
    expenses:food:groceries       -5.50 GEL
    expenses:2024 Travel          5.5
"""


def test_import_hand_written_journal(cli, book_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "hand.journal"
    f.write_text(HAND_WRITTEN, encoding="utf-8")
    r = cli("import", "journal", str(f))
    assert (r.exit_code, r.stderr) == (0, "")
    # hledger's names are case-sensitive: Assets:Checking and assets:checking are two
    # accounts; expenses:food:groceries gets its parent expenses:food
    assert r.stdout == "Imported 4 entries (JE-2026-0001 .. JE-2026-0004) and created 6 accounts\n"
    balances = {(row["code"], row["name"], row["type"]): row["balance"] for row in _tb(cli)}
    assert balances == {
        ("1000", "Cash", "asset"): "100.00",  # the omitted amount balances -10 and -90
        ("1010", "Bank account", "asset"): "10000.50",
        ("10001", "Checking", "asset"): "1500.00",
        ("10002", "checking", "asset"): "-10.00",  # another name, another account
        ("2024", "Travel", "expense"): "5.50",
        ("20001", "credit card", "liability"): "-425.50",
        ("3000", "Owner's equity", "equity"): "-11500.50",
        ("4100", "Service revenue", "income"): "-90.00",  # TYPE:CODE NAME reuses code 4100
        ("50001", "food:groceries", "expense"): "20.00",
        ("6000", "Rent", "expense"): "400.00",  # 'Expenses:Rent' is the chart's Rent
    }
    shown = cli("journal", "show", "JE-2026-0001", "--json").json()
    assert shown["memo"] == "Opening balances" and shown["source"] == "import"
    assert [(p["account"], p["amount"], p["memo"]) for p in shown["postings"]] == [
        ("1010", "10000.50", ""), ("10001", "1500.00", "checking account at TBC"),
        ("3000", "-11500.50", "")]
    assert cli("check").exit_code == 0
    audit = cli("audit", "--entity", "journal_entry", "--json").json()
    assert [(a["action"], a["id"]) for a in audit] == [("import", "JE-2026-0001..JE-2026-0004")]
    assert "4 entries (11 postings) imported from" in audit[0]["summary"]


def test_import_continues_numbering_and_splits_years(cli, tmp_path: Path) -> None:
    _post(cli, "2026-03-01", "Before", "6000=1", "1010")
    f = tmp_path / "years.journal"
    f.write_bytes(("\ufeff2025-12-31 Old year\r\n    expenses:6000 Rent  2 GEL\r\n"
                   "    assets:1010 Bank account\r\n\r\n"
                   "2026-03-02 New year\r\n    expenses:6000 Rent  3 GEL\r\n"
                   "    assets:1010 Bank account\r\n").encode())
    r = cli("import", "journal", str(f), "--json")
    assert r.json()["first"] == "JE-2025-0001" and r.json()["last"] == "JE-2026-0002"
    assert [e["number"] for e in cli("journal", "list", "--json").json()] == [
        "JE-2025-0001", "JE-2026-0001", "JE-2026-0002"]
    assert cli("check").exit_code == 0


def test_import_in_batches_writes_all_or_nothing(book, book_path: Path, tmp_path: Path) -> None:
    from smallbiz.errors import UserError
    from smallbiz.io.journal_import import import_journal

    good = "".join(f"2026-01-{d:02d} Day {d}\n    expenses:6000 Rent  {d}.00 GEL\n"
                   f"    assets:1010 Bank account\n\n" for d in range(1, 8))
    f = tmp_path / "batches.journal"
    f.write_text(good, encoding="utf-8")
    with book.transaction() as s:
        result = import_journal(s, f, batch_size=3)
    assert (result.entries, result.postings, result.first, result.last) == (
        7, 14, "JE-2026-0001", "JE-2026-0007")
    before = content_hash(book_path)
    f.write_text(good + "2026-01-09 Bad\n    expenses:6000 Rent  1 GEL\n"
                 "    assets:1010 Bank account  -2 GEL\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"line 29: transaction does not balance"):
        with book.transaction() as s:
            import_journal(s, f, batch_size=3)  # two batches were inserted, then rolled back
    assert content_hash(book_path) == before


OK_POSTINGS = "    expenses:6000 Rent  10 GEL\n    assets:1010 Bank account\n"

BAD_FILES = [
    ("unbalanced", "2026-02-01 x\n    expenses:6000 Rent  10 GEL\n"
                   "    assets:1010 Bank account  -9.99 GEL\n",
     "line 1: transaction does not balance: the amounts add up to 0.01 GEL"),
    ("two omitted", "2026-02-01 x\n    expenses:6000 Rent\n    assets:1010 Bank account\n",
     "line 3: only one posting of a transaction may leave out its amount (line 2 does too)"),
    ("other commodity", "2026-02-01 x\n    expenses:6000 Rent  10 USD\n"
                        "    assets:1010 Bank account\n",
     "line 2: commodity 'USD' is not the book's currency GEL"),
    ("dollar sign", "2026-02-01 x\n    expenses:6000 Rent  $10\n    assets:1010 Bank account\n",
     "line 2: commodity '$' is not the book's currency GEL"),
    ("include", "include other.journal\n", "line 1: include 'other.journal': No such file"),
    ("periodic", "~ monthly\n" + OK_POSTINGS, "line 1: periodic transactions (~)"),
    ("automated", "= expenses\n" + OK_POSTINGS, "line 1: automated transactions (=)"),
    ("price", "2026-02-01 x\n    expenses:6000 Rent  10 GEL @ 1 GEL\n"
              "    assets:1010 Bank account\n",
     "line 2: '10 GEL @ 1 GEL': the priced amount is not in another currency's ISO code"),
    ("virtual", "2026-02-01 x\n    (expenses:6000 Rent)  10 GEL\n    assets:1010 Bank account\n",
     "line 2: unbalanced virtual posting '(expenses:6000 Rent)'"),
    ("failed assertion", "2026-02-01 x\n    expenses:6000 Rent  10 GEL = 11 GEL\n"
                         "    assets:1010 Bank account\n",
     "line 2: balance assertion failed: expenses:6000 Rent is 10.00 GEL here, the file says "
     "11.00"),
    ("one space", "2026-02-01 x\n    expenses:6000 Rent 10 GEL\n    assets:1010 Bank account\n",
     "line 2: 'expenses:6000 Rent 10 GEL': put two spaces"),
    ("lot cost", "2026-02-01 x\n    expenses:6000 Rent  10 GEL {1 USD}\n"
                 "    assets:1010 Bank account\n", "line 2: lot costs"),
    ("bad date", "2026-02-30 x\n" + OK_POSTINGS, "line 1: '2026-02-30' is not a date"),
    ("bad month", "\n\n2026/13/01 x\n" + OK_POSTINGS, "line 3: '2026/13/01' is not a date"),
    ("not a date", "20260201 x\n" + OK_POSTINGS, "line 1: '20260201' is not a date"),
    ("exponent", "2026-02-01 x\n    expenses:6000 Rent  1e5 GEL\n    assets:1010 Bank account\n",
     "line 2: '1e5' is not a valid amount"),
    ("too many decimals", "2026-02-01 x\n    expenses:6000 Rent  1.005 GEL\n"
                          "    assets:1010 Bank account\n", "line 2: '1.005' has more than 2"),
    ("ambiguous comma", "2026-02-01 x\n    expenses:6000 Rent  1,500\n"
                        "    assets:1010 Bank account\n", "line 2: '1,500' is ambiguous"),
    ("words", "2026-02-01 x\n    expenses:6000 Rent  ten GEL\n    assets:1010 Bank account\n",
     "line 2: 'ten GEL' is not an amount"),
    ("one posting", "2026-02-01 x\n    expenses:6000 Rent  0 GEL\n",
     "line 1: a transaction needs at least two postings"),
    ("orphan posting", "; header\n    expenses:6000 Rent  10 GEL\n",
     "line 2: an indented posting outside a transaction"),
    ("unknown root", "2026-02-01 x\n    food:bread  10 GEL\n    assets:1010 Bank account\n",
     "line 2: account 'food:bread': the type of 'food' is not known"),
    ("type clash", "2026-02-01 x\n    liabilities:1010 Bank  10 GEL\n    assets:1000 Cash\n",
     "line 2: account 1010 is an asset account, but 'liabilities:1010 Bank' makes it liability"),
    ("semicolon in name", "2026-02-01 x\n    expenses:6000 Rent ; note  10 GEL\n"
                          "    assets:1010 Bank account\n",
     "line 2: ';' inside the account name"),
    ("garbage", "2026-02-01 x\n" + OK_POSTINGS + "\n$$$\n", "line 5: cannot read '$$$'"),
    ("late error", "2026-02-01 fine\n" + OK_POSTINGS + "\n2026-02-02 bad\n"
                   "    expenses:6000 Rent  10 EUR\n    assets:1010 Bank account\n",
     "line 6: commodity 'EUR'"),
]


@pytest.mark.parametrize(("content", "message"), [(c, m) for _n, c, m in BAD_FILES],
                         ids=[n for n, _c, _m in BAD_FILES])
def test_bad_files_write_nothing(cli, book_path: Path, tmp_path: Path, content: str,
                                 message: str) -> None:
    f = tmp_path / "bad.journal"
    f.write_text(content, encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "journal", str(f))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.startswith(f"error: {f}: {message}"), r.stderr
    assert content_hash(book_path) == before


def test_entry_on_or_before_the_lock_date_is_refused(cli, book_path: Path,
                                                    tmp_path: Path) -> None:
    assert cli("lock", "2026-01-31").exit_code == 0
    f = tmp_path / "locked.journal"
    f.write_text("2026-02-01 open\n" + OK_POSTINGS + "\n2026-01-31 closed\n" + OK_POSTINGS,
                 encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "journal", str(f))
    assert r.exit_code == 1
    assert r.stderr == (f"error: {f}: line 5: date 2026-01-31 is on or before the lock date "
                        "2026-01-31: the books are closed\n")
    assert content_hash(book_path) == before


def test_non_utf8_and_missing_files(cli, book_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "latin1.journal"
    f.write_bytes(b"2026-02-01 ok\n" + OK_POSTINGS.encode() + b"\n2026-02-02 Caf\xe9\n")
    before = content_hash(book_path)
    r = cli("import", "journal", str(f))
    assert (r.exit_code, r.stderr) == (
        1, f"error: {f}: line 5: not UTF-8 text (byte 0xe9 at column 15)\n")
    missing = tmp_path / "nowhere.journal"
    r = cli("import", "journal", str(missing))
    assert (r.exit_code, r.stderr) == (1, f"error: {missing}: no such file\n")
    r = cli("import", "journal", str(tmp_path))
    assert (r.exit_code, r.stderr) == (1, f"error: {tmp_path}: is a folder\n")
    assert content_hash(book_path) == before


def test_a_file_without_transactions_imports_nothing(cli, book_path: Path,
                                                     tmp_path: Path) -> None:
    f = tmp_path / "empty.journal"
    f.write_text("; only a comment\n\n", encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "journal", str(f))
    assert (r.exit_code, r.stdout) == (0, f"No transactions in {f}: nothing imported\n")
    assert cli("import", "journal", str(f), "--json").json() == {
        "file": str(f), "entries": 0, "postings": 0, "first": None, "last": None,
        "accounts_created": [], "notes": [], "skipped_virtual": 0}
    assert content_hash(book_path) == before


def test_export_refuses_to_overwrite_without_force(cli, tmp_path: Path) -> None:
    _post(cli, "2026-01-05", "Rent", "6000=800", "1010")
    out = tmp_path / "out.journal"
    out.write_text("precious\n", encoding="utf-8")
    r = cli("export", "journal", str(out))
    assert (r.exit_code, r.stderr) == (
        1, f"error: {out} already exists (use --force to replace it)\n")
    assert out.read_text(encoding="utf-8") == "precious\n"
    r = cli("export", "journal", str(out), "--force", "--json")
    assert r.json() == {"file": str(out), "entries": 1, "postings": 2,
                        "from": "2026-01-05", "to": "2026-01-05"}
    assert "(JE-2026-0001) Rent" in out.read_text(encoding="utf-8")
    r = cli("export", "journal", str(tmp_path / "no" / "such" / "dir.journal"))
    assert r.exit_code == 1 and "does not exist" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".partial") == []


def test_zero_decimal_currency_round_trips_through_hledger(tmp_path: Path,
                                                          another_book) -> None:
    yen = make_runner(another_book("yen.db"))
    assert yen("init", "--currency", "JPY").exit_code == 0
    _post(yen, "2026-01-05", "Capital", "1010=1,500,000", "3000")
    _post(yen, "2026-01-06", "Rent", "6000=85000", "1010")
    out = tmp_path / "yen.journal"
    assert yen("export", "journal", str(out)).exit_code == 0
    assert "1415000 JPY" not in out.read_text() and "-85000 JPY\n" in out.read_text()
    if shutil.which("hledger") is not None:
        run = subprocess.run(["hledger", "-f", str(out), "bal", "--flat", "-O", "csv"],
                             capture_output=True, text=True, check=True)
        assert '"assets:1010 Bank account","1415000 JPY"' in run.stdout
    copy = make_runner(another_book("copy.db"))
    assert copy("init", "--currency", "JPY").exit_code == 0
    assert copy("import", "journal", str(out)).exit_code == 0
    assert _tb(copy) == _tb(yen)


@pytest.mark.sqlite_only("the text format of dates and times in a SQLite file")
def test_imported_entries_are_stored_like_posted_ones(cli, book_path: Path,
                                                      tmp_path: Path) -> None:
    """The bulk path writes dates and times in the ORM's format (not the driver's)."""
    import sqlite3

    _post(cli, "2026-01-05", "By hand", "6000=1", "1010")
    f = tmp_path / "one.journal"
    f.write_text("2026-01-06 Imported\n" + OK_POSTINGS, encoding="utf-8")
    assert cli("import", "journal", str(f)).exit_code == 0
    with sqlite3.connect(book_path) as conn:
        rows = conn.execute("SELECT source, date, length(created_at), substr(created_at, 11, 1) "
                            "FROM journal_entry ORDER BY id").fetchall()
        dates = conn.execute("SELECT DISTINCT date FROM posting ORDER BY 1").fetchall()
    assert rows == [("manual", "2026-01-05", 26, " "), ("import", "2026-01-06", 26, " ")]
    assert dates == [("2026-01-05",), ("2026-01-06",)]
    shown = cli("journal", "list", "--json").json()
    assert [(e["number"], e["date"]) for e in shown] == [
        ("JE-2026-0001", "2026-01-05"), ("JE-2026-0002", "2026-01-06")]


def test_lines_read_in_blocks_keep_their_numbers(cli, book_path: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks cut anywhere between lines: CRLF, a BOM, errors named at their own line, and
    an earlier error in the same block reported first."""
    from smallbiz.io import journal_parse

    monkeypatch.setattr(journal_parse, "BLOCK", 50)
    days = "".join(f"2026-01-{d:02d} Day {d}\r\n    expenses:6000 Rent  {d}.50 GEL  ; m{d}\r\n"
                   f"    assets:1010 Bank account\r\n\r\n" for d in range(1, 21))
    f = tmp_path / "crlf.journal"
    f.write_bytes(("\ufeff" + days).encode())
    r = cli("import", "journal", str(f), "--json")
    assert (r.exit_code, r.json()["entries"], r.json()["last"]) == (0, 20, "JE-2026-0020")
    rent = {row["code"]: row["balance"] for row in _tb(cli)}["6000"]
    assert rent == f"{sum(d + 0.5 for d in range(1, 21)):.2f}"
    ledger = cli("report", "ledger", "6000", "--json").json()
    assert "m20" in str(ledger)

    before = content_hash(book_path)
    f.write_bytes(days.encode() + b"2026-02-01 Caf\xe9\n" + OK_POSTINGS.encode())
    r = cli("import", "journal", str(f))
    assert r.stderr == f"error: {f}: line 81: not UTF-8 text (byte 0xe9 at column 15)\n"
    f.write_bytes(b"2026-02-01 x\n    expenses:6000 Rent  1 USD\n    assets:1010 Bank account\n"
                  b"\n2026-02-02 bell\x07\n" + OK_POSTINGS.encode())
    r = cli("import", "journal", str(f))
    assert r.stderr == (f"error: {f}: line 2: commodity 'USD' is not the book's currency GEL "
                        "(a book has one commodity; --commodity 'USD=GEL' reads it as GEL)\n")
    f.write_bytes(b"2026-02-01 x\n" + OK_POSTINGS.encode() + b"\n2026-02-02 bell\x07\n"
                  + OK_POSTINGS.encode())
    r = cli("import", "journal", str(f))
    assert r.stderr == f"error: {f}: line 5: control character U+0007 at column 16\n"
    assert content_hash(book_path) == before


def test_account_errors_name_the_first_line_across_batches(book, book_path: Path,
                                                          tmp_path: Path) -> None:
    from smallbiz.errors import UserError
    from smallbiz.io.journal_import import import_journal

    good = "".join(f"2026-01-{d:02d} Day {d}\n    expenses:6000 Rent  {d}.00 GEL\n"
                   f"    assets:1010 Bank account\n\n" for d in range(1, 8))
    f = tmp_path / "clash.journal"
    f.write_text(good + "2026-01-09 New\n    expenses:Travel  5 GEL\n    assets:1010 Bank account\n"
                 "\n2026-01-10 Clash\n    liabilities:6000 Rent  1 GEL\n    assets:1000 Cash\n",
                 encoding="utf-8")
    before = content_hash(book_path)
    with pytest.raises(UserError, match=r"line 34: account 6000 is an expense account, but "
                                        r"'liabilities:6000 Rent' makes it liability"):
        with book.transaction() as s:
            import_journal(s, f, batch_size=3)
    assert content_hash(book_path) == before


def _stored(path: Path) -> dict[str, list[tuple]]:
    """What an import writes, but the timestamps (the audit rows are checked elsewhere)."""
    import sqlite3

    queries = {
        "entries": "SELECT id, number, year, seq, date, memo, source FROM journal_entry",
        "postings": "SELECT id, entry_id, account_id, date, amount, contact_id, memo FROM posting",
        "periods": "SELECT account_id, period, amount FROM account_period",
        "numbers": "SELECT prefix, year, last FROM number_sequence",
        "accounts": "SELECT id, code, name, type, parent_id, role, archived FROM account",
    }
    with sqlite3.connect(path) as conn:
        return {k: conn.execute(q + " ORDER BY 1, 2").fetchall() for k, q in queries.items()}


@pytest.mark.sqlite_only("reads the book file with the sqlite3 module")
def test_an_import_continues_each_years_numbers_and_totals(tmp_path: Path) -> None:
    """Imported entries are numbered after the entries already posted, per year, in file
    order, and add to the same monthly totals (one writer: `books.posting`)."""
    from smallbiz.book import init_book
    from smallbiz.db import Database
    from smallbiz.io import journal_import

    f = tmp_path / "mixed.journal"
    f.write_text(HAND_WRITTEN + "\n2025-12-30 Last year\n" + OK_POSTINGS, encoding="utf-8")
    path = tmp_path / "book.db"
    db = Database(path)
    init_book(db, company="Test Co", currency="GEL", vat_rate="18")
    db.open()
    _post(make_runner(path), "2026-01-01", "Before the import", "6000=7", "1010")
    with db.transaction() as w:
        result = journal_import.import_journal(w, f, batch_size=2)
    db.dispose()
    assert (result.entries, result.postings, result.first, result.last) == (
        5, 13, "JE-2026-0002", "JE-2025-0001")
    stored = _stored(path)
    assert [e[1] for e in stored["entries"]] == [
        "JE-2026-0001", "JE-2026-0002", "JE-2026-0003", "JE-2026-0004", "JE-2026-0005",
        "JE-2025-0001"]
    assert ("JE", 2026, 5) in stored["numbers"] and ("JE", 2025, 1) in stored["numbers"]
    rent = next(a[0] for a in stored["accounts"] if a[1] == "6000")
    assert (rent, "2026-01", 40700) in stored["periods"]  # 7 before, 400 imported
    assert (rent, "2025-12", 1000) in stored["periods"]
    assert sum(p[4] for p in stored["postings"]) == 0


@pytest.mark.sqlite_only("the stdlib-driver path of a SQLite book")
def test_the_cli_import_writes_without_the_orm(book, book_path: Path, tmp_path: Path) -> None:
    """`smallbiz import journal` writes in plain SQL: SQLAlchemy (a third of a 100k-line
    import's start) is never imported."""
    import sys

    f = tmp_path / "hand.journal"
    f.write_text(HAND_WRITTEN, encoding="utf-8")
    code = ("import sys\nfrom smallbiz.cli.main import main\n"
            f"sys.argv = ['smallbiz', '--db', {str(book_path)!r}, 'import', 'journal', "
            f"{str(f)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["Imported 4 entries (JE-2026-0001 .. JE-2026-0004) and "
                                     "created 6 accounts", "[]"]
