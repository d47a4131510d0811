"""Export the books as a plain-text journal that hledger and ledger read.

One transaction per entry, dated, with the entry number as the transaction code:

    2026-01-05 (JE-2026-0001) Owner invests
        assets:1010 Bank account          5000.00 GEL
        equity:3000 Owner's equity       -5000.00 GEL

Account names are `TYPE:CODE NAME`; every posting carries an explicit amount in the book's
currency, so `hledger -f FILE bal` shows the totals of `smallbiz report tb`. A posting of
a foreign amount is written in its currency with the book amount as its total price
(`1180.00 USD @@ 3186.00 GEL`): `hledger bal -B` gives the same book-currency totals. A
revaluation's posting to an account kept in another currency (foreign amount 0: it moves
the book value only) is written in the book's currency, as hledger and ledger write a
change of an account's book value (hledger adds it in: `bal -B` gives the book's totals), with
its currency and rate in a tag for `import journal` (`revalued: USD @2.800000`); such an
account is declared with its currency (`account assets:1021 Bank USD  ; currency: USD`),
so the import keeps it in that currency.
Rows are streamed in (date, id) order: memory does not grow with the book.

Memos never mean more to hledger or ledger than to smallbiz. A posting memo is written as
a comment, and in a comment hledger reads `name:value` as a tag (`date:` and `date2:`
re-date the posting) and ledger reads `[2020-01-01]` as a posting date and `:tag:` as tags.
So in a memo ':' is written as the look-alike U+2236 (as in account names) and '[' ']' as
U+FF3B U+FF3D: no tag and no date is left for those tools to read. `smallbiz import
journal` turns the three back, so exporting and importing a book gives the same memos.
A posting comment imported from a journal is written as it was read, tags and all, but
for what would re-date the posting (smallbiz dates it by its entry): the ':' of `date:`
and `date2:` and every '[' ']' are the same look-alikes (`_posting_comment`).
Account names are padded to a common column, at most ALIGN_MAX wide: one long name does
not pad every line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smallbiz import settings
from smallbiz.books.fx import RATE_DIGITS
from smallbiz.books.types import COLON_STAND_IN
from smallbiz.i18n import _
from smallbiz.io.journal_parse import CURRENCY_TAG, MEMO_STAND_INS, REVALUED_TAG, ROOT_TYPES
from smallbiz.money import minor_text
from smallbiz.outfiles import atomic_output, check_target
from smallbiz.sql import Tx

if TYPE_CHECKING:
    from smallbiz.db import Database

#: Top-level journal account for each account type (import reads them back via TYPE_ALIASES).
JOURNAL_ROOTS = {"asset": "assets", "liability": "liabilities", "equity": "equity",
                 "income": "income", "expense": "expenses"}
#: hledger's account type codes (`account NAME  ; type: A`), read back by the import.
_TYPE_CODES = {"asset": "A", "liability": "L", "equity": "E", "income": "R", "expense": "X"}
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")  # all but \t \n
#: Widest account column: longer names push only their own line's amount to the right.
ALIGN_MAX = 60
_MEMO_TABLE = str.maketrans(MEMO_STAND_INS)
#: In a posting comment kept as written: what hledger reads as the posting's own date
#: (a `date:`/`date2:` tag, a bracketed `[2020-01-01]`), which smallbiz does not.
_DATE_TAG = re.compile(r"\b(date2?):", re.IGNORECASE)
_BRACKETS = str.maketrans({k: v for k, v in MEMO_STAND_INS.items() if k in "[]"})

_ROWS = (
    "SELECT e.id, e.number, e.date, e.memo, p.account_id, p.amount, p.memo, e.source, "
    "e.status, e.code, e.comment, e.date2, p.status, p.comment, p.currency, p.amount_fx, "
    "p.rate "
    "FROM journal_entry e JOIN posting p ON p.entry_id = e.id "
    "ORDER BY e.date, e.id, p.id")


def _one_line(value: str) -> str:
    """Line breaks, tabs, control characters and runs of spaces become one space."""
    return _BLANKS.sub(" ", value).strip()


def journal_account(type_: str, code: str, name: str) -> str:
    """`assets:1010 Bank account`, safe to read back by hledger, ledger and `import journal`.

    In a posting, two spaces or a tab end the account name and ':' starts a sub-account;
    ';' there reads as a comment to people (and `import journal` refuses it). So blanks
    collapse to one space, ':' becomes a look-alike (U+2236, which import turns back into
    ':') and ';' a comma. Exporting an imported book gives the same names again.
    """
    clean = _one_line(name.replace(":", COLON_STAND_IN).replace(";", ","))
    return f"{JOURNAL_ROOTS[type_]}:{code} {clean}" if clean else f"{JOURNAL_ROOTS[type_]}:{code}"


def journal_description(memo: str) -> str:
    """An entry memo as a transaction description: one line, and ';' (a comment) as ','."""
    return _one_line(memo.replace(";", ","))


def journal_comment(memo: str) -> str:
    """A posting memo as a comment that hledger and ledger read as plain text: one line,
    ':' '[' ']' as look-alikes (no tags, no bracketed dates; see the module docstring)."""
    return _one_line(memo).translate(_MEMO_TABLE)


def _header(day: str, number: str, memo: str, source: str, status: str | None,
            code: str | None, comment: str | None, date2: Any) -> str:
    """A transaction's first line (and its comment lines). An imported entry keeps the
    file's own code, marks and comments; any other has its entry number as the code."""
    if date2 is not None:
        day = f"{day}={date2 if isinstance(date2, str) else date2.isoformat()}"
    parts = [day]
    if status:
        parts.append(status)
    if source != "import":
        parts.append(f"({number})")
    elif code:
        parts.append(f"({_one_line(code).replace(')', ']')})")
    description = journal_description(memo)
    if description:
        parts.append(description)
    head = "\n" + " ".join(parts)
    if comment is None:
        return head + "\n"
    return head + _comment_lines(comment, "    ")


def _posting_comment(comment: str) -> str:
    """A posting's comment as written but for the dates hledger and ledger would give
    the posting (smallbiz dates it by its entry): in `date:`/`date2:` tags the ':' and
    every '[' ']' become their look-alikes, which `import journal` turns back. Other tags
    are kept."""
    return _DATE_TAG.sub(lambda m: m.group(1) + MEMO_STAND_INS[":"], comment
                         ).translate(_BRACKETS)


def _comment_lines(comment: str, indent: str) -> str:
    """A comment as written (its lines came from a journal's lines: no line break or
    control character in them): its first line after two spaces (if any), the rest below."""
    first, *more = _CONTROL.sub(" ", comment).split("\n")
    text = f"  ; {first}\n" if first else "\n"
    return text + "".join(f"{indent}; {line}\n" for line in more)


@dataclass(frozen=True)
class JournalExport:
    file: str
    entries: int
    postings: int
    first_date: str | None
    last_date: str | None


def count_entries(s: Tx) -> int:
    return int(s.execute("SELECT COUNT(*) FROM journal_entry").scalar())


def export_journal(s: Tx, path: str | os.PathLike[str], *, overwrite: bool = False,
                   advance: Callable[[int], Any] | None = None,
                   db: Database | None = None) -> JournalExport:
    """Write every journal entry to `path` in hledger/ledger syntax.

    The target follows `smallbiz.outfiles.check_target`: an existing file only with
    `overwrite`, never the book `db` or its companions; the journal is written to a
    partial file and renamed when complete, so a failed export leaves no half file.
    `advance(n)` is called as entries are written (progress).
    """
    check_target(path, force=overwrite, book=db)  # refuse before any work
    digits = s.money_digits
    book = settings.load(s)
    currency = book.currency
    accounts: dict[int, str] = {}
    declarations = []  # names whose type their top-level name does not say; currencies
    kept: dict[int, str] = {}  # accounts kept in another currency
    for acc_id, code, name, type_, journal_name, kept_in in s.execute(
            "SELECT id, code, name, type, journal_name, currency FROM account ORDER BY code"):
        accounts[acc_id] = journal_name or journal_account(type_, code, name)
        tags = []
        if journal_name and ROOT_TYPES.get(
                journal_name.split(":", 1)[0].strip().lower()) != type_:
            tags.append(f"type: {_TYPE_CODES[type_]}")
        if kept_in is not None:
            kept[acc_id] = kept_in
            tags.append(f"{CURRENCY_TAG}: {kept_in}")
        if tags:
            declarations.append(f"account {accounts[acc_id]}  ; {', '.join(tags)}\n")
    width = min(max((len(a) for a in accounts.values()), default=0), ALIGN_MAX) + 4
    entries = postings = 0
    first_date: str | None = None
    day = ""
    with atomic_output(path, force=overwrite, book=db, mode="w", newline="\n") as out:
        header = _("Journal of {company} ({currency}), exported by smallbiz").format(
            company=_one_line(book.company_name), currency=currency)
        out.write(f"; {header}\n")
        if declarations:
            out.write("\n" + "".join(declarations))
        current = None
        pending = 0
        rows = s.stream(_ROWS)
        for (entry_id, number, on, memo, account_id, amount, posting_memo, source, status,
             code, comment, date2, posting_status, posting_comment, foreign,
             amount_fx, rate) in rows:
            if entry_id != current:
                current = entry_id
                day = on if isinstance(on, str) else on.isoformat()
                first_date = first_date or day
                out.write(_header(day, number, memo, source, status, code, comment, date2))
                entries += 1
                pending += 1
                if advance is not None and pending >= 1000:
                    advance(pending)
                    pending = 0
            mark = f"{posting_status} " if posting_status else ""
            # its price: the book amount (a revaluation's posting of foreign amount 0 moves
            # the book value only: written in the book's currency, so hledger adds it in,
            # its rate in a tag for the import)
            revalued = ""
            if foreign is not None and amount_fx is not None and int(amount_fx) != 0:
                line = (f"    {mark}{accounts[account_id]:<{width}}"
                        f"{minor_text(int(amount_fx), digits):>14} {foreign} @@ "
                        f"{minor_text(abs(int(amount)), digits)} {currency}")
            else:
                line = (f"    {mark}{accounts[account_id]:<{width}}"
                        f"{minor_text(int(amount), digits):>14} {currency}")
                if foreign is not None and rate is not None and kept.get(account_id) == foreign:
                    revalued = f"{REVALUED_TAG}: {foreign} @{minor_text(int(rate), RATE_DIGITS)}"
            if posting_comment is not None:
                comment = _posting_comment(posting_comment)
                out.write(line + _comment_lines(
                    f"{comment}, {revalued}" if revalued else comment, "      "))
            else:
                note = ", ".join(x for x in (journal_comment(posting_memo or ""), revalued)
                                 if x)
                out.write(f"{line}  ; {note}\n" if note else f"{line}\n")
            postings += 1
        if advance is not None and pending:
            advance(pending)
    return JournalExport(str(path), entries, postings, first_date, day or None)
