"""Nothing hostile reaches the terminal or a downstream tool (issue 12, E).

- Every contact text field, tags included, goes through the one control-character check.
- A value quoted in an error is shown with its control characters and bidi overrides made
  visible (`textcheck.visible`, applied in `UserError` itself: CLI and TUI alike).
- Memos exported to a journal carry no hledger/ledger tag or date syntax; a comment
  imported from a journal keeps its tags but not what would re-date its posting (`date:`,
  `date2:`, `[2020-01-01]`): hledger's dated totals equal `report tb --as-of`; `import
  journal` reads the memos back unchanged.
- Account codes take a safe character set, names a length limit; the export's account
  column is capped.
- vCard files: a property read is at most 128 KB (as a CSV cell), the file at most 128 MB;
  a 5 MB NOTE is refused quickly, in little memory.
"""

from __future__ import annotations

import csv
import io
import re
import resource
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from smallbiz.errors import RuleViolation, UserError, ValidationError
from smallbiz.textcheck import visible
from tests import engine
from tests.conftest import content_hash, make_runner
from tests.reliability.conftest import CHILD_ENV, ROOT, smallbiz

ESCAPES = ("\x1b", "\x07", "\x00", "\x9b", "\u202e")
TITLE_AND_CLEAR = "\x1b]0;PWNED\x07\x1b[2J"


def clean_output(*texts: str) -> None:
    for text in texts:
        for ch in ESCAPES:
            assert ch not in text, (ch, text)


def refused(r, message: str) -> None:
    """Exit 1, the first line `error: ...` (the only one), `message` in it, no escape byte."""
    code = r.exit_code if hasattr(r, "exit_code") else r.returncode
    assert code == 1, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), r.stderr
    assert sum(line.startswith("error:") for line in lines) == 1, r.stderr
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    clean_output(r.stdout, r.stderr)


# -- visible() and the errors -------------------------------------------------------------

def test_visible_escapes_what_acts_on_a_terminal() -> None:
    assert visible("plain ნინო text") == "plain ნინო text"
    assert visible(TITLE_AND_CLEAR + "12") == "\\x1b]0;PWNED\\x07\\x1b[2J12"
    assert visible("a\x00b\x7fc\x9bd\re") == "a\\x00b\\x7fc\\x9bd\\x0de"
    assert visible("\u202aa\u202eb\u2066c\u2069") == "\\u202aa\\u202eb\\u2066c\\u2069"
    assert visible("two\nlines\tand tab") == "two\nlines\tand tab"
    assert visible("two\nlines\tand tab", one_line=True) == "two\\x0alines\\x09and tab"
    once = visible(TITLE_AND_CLEAR)
    assert visible(once) == once  # idempotent: the CLI may escape again


@pytest.mark.parametrize("cls", [UserError, ValidationError, RuleViolation])
def test_every_user_error_message_is_made_visible(cls) -> None:
    exc = cls(f"price: '{TITLE_AND_CLEAR}12' is not a valid amount", field="price")
    assert exc.message == str(exc) == "price: '\\x1b]0;PWNED\\x07\\x1b[2J12' is not a valid amount"
    clean_output(exc.message)


# -- the products CSV of the issue --------------------------------------------------------

def test_a_hostile_price_in_a_products_csv_is_shown_escaped(book, book_path, tmp_path) -> None:
    book.dispose()
    path = tmp_path / "products.csv"
    path.write_text(f"sku,name,price\nA-1,Anvil,{TITLE_AND_CLEAR}12\nA-2,Bell,\u202e5\n",
                    encoding="utf-8")
    before = content_hash(book_path)
    r = smallbiz(book_path, "import", "products", str(path))
    refused(r, "products.csv: nothing imported, 2 problem(s)")
    assert "line 2: price: '\\x1b]0;PWNED\\x07\\x1b[2J12' is not a valid amount" in r.stderr
    assert "line 3: price: '\\u202e5' is not a valid amount" in r.stderr
    assert content_hash(book_path) == before


# -- tags go through the one check --------------------------------------------------------

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\n{extra}END:VCARD\r\n"


@pytest.mark.parametrize("tag", ["vip\x1b[2J\x1b[31mRED", "nul\x00tag", "c1\x9btag", "bel\x07"])
def test_a_vcard_tag_with_a_control_character_is_refused(cli, book_path, tmp_path, tag) -> None:
    path = tmp_path / "tags.vcf"
    path.write_text(VCARD.format(fn="Ok", extra="") + VCARD.format(
        fn="Tagged", extra=f"CATEGORIES:friends,{tag}\r\n"), encoding="utf-8", newline="")
    before = content_hash(book_path)
    refused(cli("import", "contacts", str(path)), "card 2 (line 5): tag: control character U+")
    assert content_hash(book_path) == before
    r = cli("import", "contacts", str(path), "--skip-invalid")
    assert r.exit_code == 0, r.stderr
    clean_output(r.stdout, r.stderr)
    for args in (["contact", "list"], ["contact", "show", "Ok"]):
        shown = cli(*args)
        assert shown.exit_code == 0, shown.stderr
        clean_output(shown.stdout, shown.stderr)


def test_a_csv_tag_with_a_control_character_is_refused(cli, book_path, tmp_path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text("name,tags\nGood,a;b\nBad,ok;vip\x1b[2J\n", encoding="utf-8")
    before = content_hash(book_path)
    refused(cli("import", "contacts", str(path)), "line 3: tag: control character U+001B")
    assert content_hash(book_path) == before


def test_the_services_the_tui_calls_refuse_hostile_tags(book, book_path) -> None:
    from smallbiz.app.book import Book

    api = Book(book)
    api.add_contact("Someone")
    before = content_hash(book_path)
    for call in (lambda: api.add_contact("Other", tags=["vip\x1b[2J"]),
                 lambda: api.edit_contact("Someone", add_tags=["x\x00y"])):
        with pytest.raises(ValidationError, match="tag: control character U\\+00"):
            call()
    assert content_hash(book_path) == before


# -- journal export: memos mean nothing more to hledger --------------------------------------

HOSTILE_MEMOS = ["date:2030-12-31", "[2020-01-01]", "moved date2:2019-05-05", "vip:yes, x:1",
                 ":a:b:", "[=2018-01-01] paid", "note; date:2017-01-01", "time 10:30 [ok]"]


def _hostile_book(cli, tmp_path: Path) -> None:
    lines = []
    for i, memo in enumerate(HOSTILE_MEMOS):
        day = f"2026-{1 + i % 3:02d}-{10 + i:02d}"
        lines.append(f"{day} Entry {i} date:2001-01-01\n"
                     f"    assets:1010  {100 + i}.00 GEL  ; {memo}\n"
                     f"    income:4000  -{100 + i}.00 GEL  ; {memo}\n")
    path = tmp_path / "source.journal"
    path.write_text("\n".join(lines), encoding="utf-8")
    r = cli("import", "journal", str(path))
    assert r.exit_code == 0, r.stderr


def _tb(cli, as_of: str) -> dict[str, Decimal]:
    import json

    r = cli("report", "tb", "--as-of", as_of, "--json")
    assert r.exit_code == 0, r.stderr
    return {row["code"]: Decimal(row["balance"]) for row in json.loads(r.stdout)["rows"]
            if Decimal(row["balance"])}


def test_exported_memos_carry_no_tags_or_dates(cli, tmp_path, another_book) -> None:
    _hostile_book(cli, tmp_path)
    out = tmp_path / "out.journal"
    assert cli("export", "journal", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    comments = [line.partition(";")[2] for line in text.splitlines()[1:] if ";" in line]
    assert len(comments) == 2 * len(HOSTILE_MEMOS)
    for comment in comments:  # imported comments keep their tags, not their posting dates
        assert "[" not in comment and "]" not in comment, comment
        assert re.search(r"\bdate2?:", comment, re.IGNORECASE) is None, comment
    # Read back by smallbiz itself: the same memos.
    copy_path = another_book("copy.db")
    copy = make_runner(copy_path)
    assert copy("init", "--company", "Copy", "--currency", "GEL").exit_code == 0
    r = copy("import", "journal", str(out))
    assert r.exit_code == 0, r.stderr
    memos = sorted({m for (m,) in engine.rows(copy_path, "SELECT memo FROM posting")})
    assert memos == sorted(HOSTILE_MEMOS)


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
@pytest.mark.parametrize("as_of,end", [("2026-01-31", "2026-02-01"), ("2026-02-28", "2026-03-01"),
                                       ("2026-12-31", "2027-01-01")])
def test_hledger_dated_totals_equal_the_trial_balance(cli, tmp_path, as_of, end) -> None:
    _hostile_book(cli, tmp_path)
    out = tmp_path / "out.journal"
    assert cli("export", "journal", str(out)).exit_code == 0
    run = subprocess.run(["hledger", "-f", str(out), "bal", "--flat", "--end", end, "-O", "csv"],
                         capture_output=True, text=True, check=True)
    rows = list(csv.reader(io.StringIO(run.stdout)))
    hledger = {}
    for account, balance in rows[1:-1]:
        code = account.split(":", 1)[1].split(" ", 1)[0]
        hledger[code] = Decimal(balance.removesuffix(" GEL"))
    assert hledger == _tb(cli, as_of)
    def tags(path: Path) -> set[str]:
        return set(subprocess.run(["hledger", "-f", str(path), "tags"], capture_output=True,
                                  text=True, check=True).stdout.split())

    # The imported comments keep their tags (as written), all but the posting dates.
    assert tags(out) == tags(tmp_path / "source.journal") - {"date", "date2"}


# -- account codes and names ---------------------------------------------------------------

@pytest.mark.parametrize("code", ["10;10", "10 10", "10:10", "10=1", "1\x1b0", "1,0", "1/0",
                                  "1" * 33])
def test_an_account_code_outside_the_safe_set_is_refused(cli, book_path, code) -> None:
    before = content_hash(book_path)
    r = cli("account", "add", code, "Odd", "--type", "asset")
    assert r.exit_code == 1 and r.stderr.startswith("error: "), r.stderr
    clean_output(r.stdout, r.stderr)
    assert content_hash(book_path) == before


@pytest.mark.parametrize("code", ["1011", "ანგ-1", "1010.01", "A_1", "CASH-GEL"])
def test_safe_account_codes_are_accepted(cli, code) -> None:
    r = cli("account", "add", code, "Fine", "--type", "asset")
    assert r.exit_code == 0, r.stderr


def test_account_names_are_limited_and_the_export_column_is_capped(cli, book_path,
                                                                    tmp_path) -> None:
    before = content_hash(book_path)
    r = cli("account", "add", "1090", "N" * 201, "--type", "asset")
    assert r.exit_code == 1 and "account name: longer than 200 characters" in r.stderr
    assert content_hash(book_path) == before
    assert cli("account", "add", "1090", "N" * 200, "--type", "asset").exit_code == 0
    assert cli("journal", "add", "--date", "2026-01-05", "-p", "1010=5", "-p", "3000"
               ).exit_code == 0
    out = tmp_path / "out.journal"
    assert cli("export", "journal", str(out)).exit_code == 0
    postings = [line for line in out.read_text(encoding="utf-8").splitlines()
                if line.startswith("    ")]
    assert postings and max(map(len, postings)) <= 4 + 64 + 14 + 4


# -- vCard and journal files: bounded ------------------------------------------------------

def test_a_vcard_with_a_5_mb_note_is_refused_quickly_in_little_memory(book, book_path,
                                                                     tmp_path) -> None:
    book.dispose()
    path = tmp_path / "big.vcf"
    path.write_text(VCARD.format(fn="Big", extra="NOTE:" + "x" * 5_000_000 + "\r\n"),
                    encoding="utf-8", newline="")
    before = content_hash(book_path)
    code = ("import resource, subprocess, sys\n"
            "r = subprocess.run([sys.executable, '-m', 'smallbiz', '--db', sys.argv[1], "
            "'import', 'contacts', sys.argv[2]], capture_output=True, text=True)\n"
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.stderr.write(r.stderr)\n")
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-c", code, str(book_path), str(path)],
                       capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV, timeout=120)
    elapsed = time.monotonic() - started
    returncode, max_kib = map(int, r.stdout.split())
    assert returncode == 1, r.stderr
    assert r.stderr.startswith("error: ") and \
        "card 1 (line 1): line 4: a property longer than 131072 characters" in r.stderr
    assert max_kib < 250 * 1024, max_kib  # 780 MB before
    assert elapsed < 60
    assert content_hash(book_path) == before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


def test_a_big_photo_is_dropped_not_parsed(cli, tmp_path) -> None:
    path = tmp_path / "photo.vcf"
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 100_000 + "\r\n"
    path.write_text(VCARD.format(fn="Pictured", extra=photo), encoding="utf-8", newline="")
    r = cli("import", "contacts", str(path))
    assert r.exit_code == 0, r.stderr


def test_a_contacts_file_over_the_limit_is_refused_unread(cli, book_path, tmp_path,
                                                          monkeypatch) -> None:
    from smallbiz.crm import importing

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "many.vcf"
    path.write_text(VCARD.format(fn="A", extra="") * 50, encoding="utf-8", newline="")
    before = content_hash(book_path)
    refused(cli("import", "contacts", str(path)), "many.vcf: larger than")
    assert content_hash(book_path) == before


def test_a_journal_line_over_the_limit_is_refused_with_its_line(cli, book_path, tmp_path) -> None:
    path = tmp_path / "long.journal"
    path.write_text("2026-01-05 ok\n    assets:1010  5 GEL\n    equity:3000  ; "
                    + "m" * 20_000 + "\n", encoding="utf-8")
    before = content_hash(book_path)
    refused(cli("import", "journal", str(path)), "long.journal: line 3: the line is longer than")
    assert content_hash(book_path) == before


def test_an_ignored_csv_column_is_named_escaped_in_the_warning(cli, tmp_path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text(f"name,{TITLE_AND_CLEAR}x\nGood,1\n", encoding="utf-8")
    r = cli("import", "contacts", str(path))
    assert r.exit_code == 0, r.stderr
    assert "\\x1b]0;PWNED\\x07\\x1b[2Jx" in r.stderr
    clean_output(r.stdout, r.stderr)


def test_order_and_invoice_tables_show_markup_in_names_as_written(book, cli) -> None:
    """A contact, product or note holding Rich markup is shown as typed in every orders
    table (lists, show, aging, sales report), never styled and never a crash."""
    name = "[red]Red[/red] Ltd [/]"
    assert cli("contact", "add", name, "--customer").exit_code == 0
    assert cli("product", "add", "W-1", "[b]Widget[/b]", "--price", "10", "--cost", "4"
               ).exit_code == 0
    assert cli("stock", "adjust", "W-1", "5", "--cost", "4").exit_code == 0
    made = cli("sale", "new", name, "--line", "W-1=2", "--notes", "[i]rush[/i]")
    assert made.exit_code == 0, made.stderr
    number = made.stdout.split()[0]
    for args in (("sale", "confirm", number), ("sale", "invoice", number)):
        assert cli(*args).exit_code == 0
    for args in (("sale", "list"), ("sale", "show", number), ("invoice", "list"),
                 ("report", "aging"), ("report", "sales", "--by", "customer")):
        out = cli(*args)
        assert out.exit_code == 0, (args, out.stderr)
        shown = " ".join(out.stdout.split())
        assert "[red]Red[/red]" in shown or "[red]Red[/red]" in out.stdout.replace("\n", ""), args
    show = cli("sale", "show", number).stdout
    assert "[b]Widget[/b]" in show and "[i]rush[/i]" in show
    assert "[b]Widget[/b]" in cli("report", "sales", "--by", "product").stdout
