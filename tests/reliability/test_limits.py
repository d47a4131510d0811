"""Numbers and dates a book cannot store are refused at input, never wrapped (issue 12, D).

- One amount is below 10**12 currency units; one account's monthly totals add up (in size)
  to at most `money.MAX_ACCOUNT_MINOR` = 10**18 minor units, checked on every write of
  the totals (a posted entry, a whole journal import): no SQL sum can overflow int64.
- One date range everywhere, 1900-01-01 … 9998-12-31, ISO calendar dates only.

Every refusal: exit 1, one `error:` line, nothing written (`content_hash`), `check` ok.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smallbiz.dates import MAX_DATE, MIN_DATE, parse_date
from smallbiz.errors import ValidationError
from smallbiz.money import MAX_ACCOUNT_MINOR
from tests.conftest import content_hash
from tests.reliability.conftest import smallbiz

#: The largest amount one posting takes (GEL: two decimals).
TOP = "999999999999.99"
TOP_MINOR = 99_999_999_999_999


def refused(r, message: str) -> None:
    """Exit 1 and one `error:` line that says `message`."""
    assert r.exit_code == 1, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), r.stderr
    assert sum(line.startswith("error:") for line in lines) == 1, r.stderr
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def _journal(path: Path, entries: int, amount: str = TOP, month: str = "2026-01") -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(entries):
            out.write(f"{month}-{1 + i % 28:02d} Big {i}\n    assets:1010  {amount} GEL\n"
                      "    equity:3000\n\n")
    return path


# -- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["9999-01-01", "9999-12-31", "1899-12-31", "0001-01-01"])
def test_a_date_outside_the_range_is_refused_by_journal_add(cli, book_path, text) -> None:
    before = content_hash(book_path)
    r = cli("journal", "add", "--date", text, "-p", "1010=5", "-p", "3000")
    refused(r, f"--date: {text} is outside the dates a book accepts (1900-01-01 to 9998-12-31)")
    assert content_hash(book_path) == before


@pytest.mark.parametrize("text", ["2026-W01-1", "2026-W01", "20260101", "2026-1-1", "2026-001",
                                  "2026-01-01T00:00", "２０２６-01-01", "2026-01-01 "])
def test_only_iso_calendar_dates_are_read(cli, book_path, text) -> None:
    before = content_hash(book_path)
    r = cli("journal", "add", "--date", text, "-p", "1010=5", "-p", "3000")
    if text.strip() == "2026-01-01":  # surrounding blanks are trimmed, as for every value
        assert r.exit_code == 0, r.stderr
        return
    refused(r, "is not a date (use YYYY-MM-DD or 'today')")
    assert content_hash(book_path) == before


def test_the_range_ends_are_accepted(cli) -> None:
    for day in (MIN_DATE.isoformat(), MAX_DATE.isoformat()):
        r = cli("journal", "add", "--date", day, "-p", "1010=5", "-p", "3000")
        assert r.exit_code == 0, r.stderr
    r = cli("report", "tb", "--as-of", MAX_DATE.isoformat())
    assert r.exit_code == 0, r.stderr
    assert cli("check").exit_code == 0


def test_reports_and_documents_refuse_year_9999(cli, book_path) -> None:
    assert cli("product", "add", "TOOL-01", "Hammer", "--price", "25").exit_code == 0
    assert cli("contact", "add", "Kartuli Foods LLC", "--org", "--customer").exit_code == 0
    assert cli("sale", "new", "Kartuli", "--line", "TOOL-01=1", "--date", "2026-01-10"
               ).exit_code == 0
    assert cli("sale", "confirm", "SO-2026-0001").exit_code == 0
    before = content_hash(book_path)
    refused(cli("report", "tb", "--as-of", "9999-12-31"), "--as-of: 9999-12-31 is outside")
    refused(cli("sale", "invoice", "SO-2026-0001", "--date", "9999-12-31"),
            "--date: 9999-12-31 is outside")
    refused(cli("sale", "new", "Kartuli", "--line", "TOOL-01=1", "--date", "2026-W01-1"),
            "is not a date")
    assert content_hash(book_path) == before


@pytest.mark.parametrize("day", ["9999-01-01", "1899-12-31", "9999/12/31"])
def test_the_journal_reader_refuses_dates_outside_the_range(cli, book_path, tmp_path,
                                                             day) -> None:
    path = tmp_path / "far.journal"
    path.write_text("2026-01-05 fine\n    assets:1010  5 GEL\n    equity:3000\n\n"
                    f"{day} far\n    assets:1010  5 GEL\n    equity:3000\n", encoding="utf-8")
    before = content_hash(book_path)
    refused(cli("import", "journal", str(path)), "far.journal: line 5: date ")
    assert content_hash(book_path) == before


def test_parse_date_refuses_dates_handed_in_as_dates() -> None:
    import datetime as dt

    with pytest.raises(ValidationError, match="outside the dates"):
        parse_date(dt.date(9999, 12, 31), field="date")
    assert parse_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)


# -- amounts ---------------------------------------------------------------------------------

def test_an_import_that_would_overflow_an_accounts_totals_writes_nothing(cli, book_path,
                                                                           tmp_path) -> None:
    """The issue's case, at the limit: 10,001 entries of the largest amount to one account
    pass 10**18 minor units (two such imports of 50,000 overflowed int64 before)."""
    assert 10_001 * TOP_MINOR > MAX_ACCOUNT_MINOR >= 10_000 * TOP_MINOR
    before = content_hash(book_path)
    r = cli("import", "journal", str(_journal(tmp_path / "big.journal", 10_001)))
    refused(r, "account 1010 Bank account: its total for 2026-01 would be")
    assert "more than one account can hold (10000000000000000.00); nothing was written" \
        in r.stderr
    assert content_hash(book_path) == before
    assert cli("check").exit_code == 0


def test_totals_are_checked_on_every_write_across_months(cli, book_path, tmp_path) -> None:
    """Up to the limit is fine; the one posting past it, in another month and by `journal
    add`, is refused; the trial balance stays exact."""
    spread = tmp_path / "spread.journal"
    with spread.open("w", encoding="utf-8") as out:
        for i in range(9_999):
            out.write(f"{2000 + i // 500}-{1 + i % 12:02d}-01 Big\n    assets:1010  {TOP} GEL\n"
                      "    equity:3000\n\n")
    r = cli("import", "journal", str(spread))
    assert r.exit_code == 0, r.stderr
    assert cli("journal", "add", "--date", "2026-05-01", "-p", f"1010={TOP}", "-p", "3000"
               ).exit_code == 0
    before = content_hash(book_path)
    r = cli("journal", "add", "--date", "2026-06-01", "-p", f"1010={TOP}", "-p", "3000")
    refused(r, "account 1010 Bank account: its total for 2026-06 would be")
    assert content_hash(book_path) == before
    tb = cli("report", "tb", "--json")
    assert tb.exit_code == 0, tb.stderr
    assert "999999999999990000" in tb.stdout.replace(".", "").replace(",", "") or \
        "9999999999999900.00" in tb.stdout
    # Money back out of the account is refused as well: the sizes add up, not the net.
    r = cli("journal", "add", "--date", "2026-07-01", "-p", f"1010=-{TOP}", "-p", "3000")
    refused(r, "account 1010 Bank account: its total for 2026-07 would be")
    assert cli("check").exit_code == 0


def test_an_omitted_amount_that_would_be_too_large_is_refused(cli, book_path, tmp_path) -> None:
    path = tmp_path / "sum.journal"
    path.write_text(f"2026-01-05 sum\n    assets:1010  {TOP} GEL\n    assets:1000  {TOP} GEL\n"
                    "    equity:3000\n", encoding="utf-8")
    before = content_hash(book_path)
    refused(cli("import", "journal", str(path)), "sum.journal: line 4: the amount left out")
    assert content_hash(book_path) == before


@pytest.mark.parametrize("amount", ["1000000000000", "99999999999999999999", "1e6", "NaN"])
def test_an_amount_that_cannot_be_stored_is_refused(cli, book_path, amount) -> None:
    before = content_hash(book_path)
    r = cli("journal", "add", "--date", "2026-01-05", "-p", f"1010={amount}", "-p", "3000")
    assert r.exit_code == 1 and r.stderr.startswith("error: "), r.stderr
    assert content_hash(book_path) == before


def test_the_limits_hold_in_a_real_process(book, book_path) -> None:
    book.dispose()
    before = content_hash(book_path)
    for args, message in [
        (["journal", "add", "--date", "9999-12-31", "-p", "1010=5", "-p", "3000"],
         "outside the dates a book accepts"),
        (["report", "tb", "--as-of", "9999-12-31"], "outside the dates a book accepts"),
        (["journal", "add", "--date", "2026-W01-1", "-p", "1010=5", "-p", "3000"],
         "is not a date"),
    ]:
        r = smallbiz(book_path, *args)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("error: ") and message in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and "OverflowError" not in r.stderr
    assert content_hash(book_path) == before
