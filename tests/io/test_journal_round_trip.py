"""Journals of every shape people keep, written for these tests: each imports, and
`import journal` -> `export journal` gives what hledger reads in the original: the same
transactions (`hledger print`: dates, secondary dates, status marks, codes, descriptions,
comments and tags, accounts, amounts) and the same balances (`bal`, `bal --cleared`).

What smallbiz keeps differently, by design: a currency symbol is the book's currency code
(`$12.50` is `12.50 USD`), balanced virtual postings `[a]` are real postings `a`, and
unbalanced ones `(a)` are left out with --skip-virtual; balance assertions are checked,
then dropped; directives are read, not written back.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import make_runner

pytestmark = pytest.mark.skipif(shutil.which("hledger") is None, reason="needs hledger")

HERE = Path(__file__).parent / "journals"

#: fixture -> (book currency, import options)
SHAPES: dict[str, tuple[str, list[str]]] = {
    "symbols_usd": ("USD", []),
    "symbols_eur": ("EUR", []),
    "symbols_gel_gbp": ("GEL", []),
    "types_languages": ("USD", ["--account-type", "Household=expense"]),
    "assertions": ("USD", []),
    "virtual": ("USD", ["--skip-virtual"]),
    "directives": ("USD", []),
    "zero_dates": ("USD", []),
    "status_comments": ("USD", []),
    "hierarchy": ("USD", []),
    "ledger_tabs": ("USD", []),
    "club_receipts": ("USD", []),
    "types_georgian": ("GEL", []),
    "pending_assertions": ("USD", []),
    "blocks_aliases": ("USD", []),
    "virtual_zero": ("USD", []),
}
_NUMBER = re.compile(r"-?[\d.,]+")


def _hledger(path: Path, *args: str) -> str:
    r = subprocess.run(["hledger", "-f", str(path), *args], capture_output=True, text=True,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _amount(text: str, comma: bool) -> Decimal:
    number = _NUMBER.search(text.replace(" ", "")).group()
    if comma:
        number = number.replace(".", "").replace(",", ".")
    return Decimal(number.replace(",", ""))


def _print_rows(path: Path, comma: bool = False) -> list[tuple]:
    """`hledger print` as rows, the commodity left out (one currency), [a] read as a,
    unbalanced (a) postings left out."""
    rows = []
    for r in csv.DictReader(io.StringIO(_hledger(path, "print", "-O", "csv"))):
        account = r["account"]
        if account.startswith("("):
            continue
        rows.append((r["date"], r["date2"], r["status"], r["code"], r["description"],
                     r["comment"].strip(), account.strip("[]"),
                     _amount(r["amount"], comma), r["posting-status"],
                     r["posting-comment"].strip()))
    return rows


def _balances(path: Path, *args: str, comma: bool = False, leave_out: set[str] = frozenset()
              ) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for r in csv.DictReader(io.StringIO(_hledger(path, "bal", "-O", "csv", *args))):
        if r["account"] in ("total", *leave_out):
            continue
        for part in r["balance"].split(", "):
            if part.strip() and part.strip() != "0":
                out[r["account"]] += _amount(part, comma)
    return {a: v for a, v in out.items() if v}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_journal_imports_and_round_trips(shape: str, tmp_path: Path, another_book) -> None:
    currency, options = SHAPES[shape]
    original = HERE / f"{shape}.journal"
    run = make_runner(another_book("book.db"))
    assert run("init", "--currency", currency).exit_code == 0
    r = run("import", "journal", str(original), *options)
    assert r.exit_code == 0, r.stderr
    exported = tmp_path / "out.journal"
    assert run("export", "journal", str(exported)).exit_code == 0, exported
    comma = "decimal-mark ," in original.read_text(encoding="utf-8")
    assert _print_rows(exported) == _print_rows(original, comma)
    # The export reads back as it is, without options, and exports the same again.
    again = make_runner(another_book("again.db"))
    assert again("init", "--currency", currency).exit_code == 0
    r = again("import", "journal", str(exported))
    assert r.exit_code == 0, r.stderr
    second = tmp_path / "again.journal"
    assert again("export", "journal", str(second)).exit_code == 0
    assert second.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    virtual_only = {"budget:food"} if shape == "virtual" else set()
    for args in ([], ["--cleared"], ["--pending"]):
        assert _balances(exported, *args) == _balances(original, *args, comma=comma,
                                                       leave_out=virtual_only), args
