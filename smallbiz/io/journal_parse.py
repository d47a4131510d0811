"""Read a plain-text journal: the common subset of hledger/ledger syntax (no database).

Read: dated transactions (`2026-01-05` or `2026/01/05`) with an optional status mark
(`*`, `!`), an optional `(code)` and a description; indented postings whose account ends
at two spaces or a tab; amounts as `5000.00 GEL`, `GEL 5000.00` or `5000.00` in the book's
currency (one posting per transaction may leave its amount out); `;` comments, whole-line
or trailing (a posting's trailing comment becomes its memo); blank lines.

Refused with their line number: directives (`account`, `commodity`, `include`, `P`, ...),
periodic (`~`) and automated (`=`) transactions, balance assertions, prices (`@`), virtual
postings, other commodities, ambiguous or malformed numbers, unbalanced transactions,
dates on or before the lock date, bytes that are not UTF-8.

The file is read in blocks of lines and parsed into batches of validated transactions.
`parsing()` can do that in a forked reader process while this one writes the batches
(`smallbiz.io.journal_import`): on two cores the parse and the writes overlap, and the
reader starts before this process has imported SQLAlchemy. The batches come back through
a pipe (marshal), in file order; the pipe's buffer keeps the reader at most a batch or
two ahead, so memory does not grow with the file. This module imports no SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import marshal
import os
import re
import signal
import struct
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from smallbiz import errors
from smallbiz.books.types import COLON_STAND_IN, TYPE_ALIASES
from smallbiz.dates import MAX_DATE, MIN_DATE
from smallbiz.errors import RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.money import MAX_WHOLE_DIGITS, minor_text

BATCH_SIZE = 5000
#: Longest line read (bytes, without the line break): a longer one is refused, not loaded.
MAX_LINE = 16 * 1024
#: The file is read in blocks of about this many bytes, cut at a line break.
BLOCK = 1 << 20
#: Control characters (C0 but tab, DEL, C1): they truncate or garble text in other tools
#: and terminals, and never belong in a journal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
#: What a block of plain lines never holds: a control character other than the line break
#: (C0 and DEL as these bytes, C1 once decoded), or a CR not right before it. A block that
#: does is read line by line, for the exact message.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")

_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_SYMBOL = r'"[^"]*"|[^\s\d.,@;=*"(){}\[\]+-]+'
#: sign, commodity before, sign, number, commodity after; the number is checked by _NUMBER.
_AMOUNT = re.compile(
    rf"([-+]?)\s*(?:({_SYMBOL})\s*([-+]?)\s*)?([\d.,]+(?:[eE][-+]?\d+)?)\s*({_SYMBOL})?")
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
#: `1,500`: hledger reads a lone comma as a decimal mark (1.5), a person may mean 1500.
_AMBIGUOUS = re.compile(r"\d{1,3},\d{3}")
_WORD = re.compile(r"[A-Za-z][\w-]*")
#: The usual posting, `account  -5000.00 GEL  ; memo`, read in one match; anything else
#: (status marks, commodity first, grouping commas, errors) takes the general path.
_PLAIN_POSTING = re.compile(
    r"([^ \t;*!(\[][^ \t;]*(?: [^ \t;]+)*)"  # account: no tab, no two spaces, no ';'
    r"(?:(?:  |\t)[ \t]*(?:(-?)(\d+)(?:\.(\d+))?(?: ?([A-Z]{3}))?)?"  # amount
    r"[ \t]*(?:;[ \t]*(.*))?)?")  # comment
#: What the journal export writes in a memo (a comment) for ':' '[' ']', which hledger and
#: ledger read there as tags and posting dates (see `journal_export`); read back here.
MEMO_STAND_INS = {":": COLON_STAND_IN, "[": "\uff3b", "]": "\uff3d"}
_MEMO_BACK = str.maketrans({v: k for k, v in MEMO_STAND_INS.items()})
_ROOT_NAMES = "assets, liabilities, equity, income (revenue) or expenses"
#: What may follow a header's date.
_AFTER_DATE = ("", " ", "\t", ";")


@dataclass(slots=True)
class Transaction:
    """One transaction, its postings column by column: accounts by key (their order of first
    appearance in the file, see `JournalParser.account_key`), amounts in minor units (None
    for the one left out, until `checked` fills it in)."""
    line: int
    date: dt.date
    description: str
    accounts: list[int]
    amounts: list[int | None]
    memos: list[str]
    missing: list[int] | None = None  # lines of the postings that leave out their amount


class JournalParser:
    """Turns the lines of a journal into validated transactions (no database needed)."""

    def __init__(self, label: str, *, currency: str, digits: int,
                 lock_date: dt.date | None) -> None:
        self.label = label
        self.currency = currency
        self.digits = digits
        self.lock_date = lock_date
        self.scale = 10 ** digits
        self.bytes_read = 0
        self._roots: dict[str, str] = {}  # account name -> account type
        self._dates: dict[str, dt.date] = {}  # valid, open dates as written
        #: Account name -> key, its place in the order of first appearance in the file.
        self.keys: dict[str, int] = {}
        #: The line each account name first appears on (the importer names it in errors).
        self.first_line: dict[str, int] = {}
        self._new_accounts: list[str] = []

    def fail(self, line: int, message: str, cls: type[UserError] = ValidationError) -> UserError:
        return cls(_("{file}: line {n}: {message}").format(
            file=self.label, n=line, message=message), field="file")

    def take_new_accounts(self) -> list[str]:
        """Account names first seen since the last call, in file order (= key order)."""
        names, self._new_accounts = self._new_accounts, []
        return names

    # -- lines ---------------------------------------------------------------------------
    def lines(self, fh: Any) -> Iterator[Iterable[str]]:
        """The file's lines, decoded and checked, one block at a time.

        A block of plain lines (UTF-8, none too long, no control characters) is decoded and
        split at once; any other block is read line by line, so the first bad line is
        refused with its number only after the lines before it were parsed.
        """
        n = 0  # lines before this block
        for data in _blocks(fh):
            self.bytes_read += len(data)
            lines = _plain_lines(data)
            if lines is None:
                raws = data.split(b"\n")
                if not raws[-1]:
                    raws.pop()  # the block ends with a line break
                yield self._exact_lines(raws, n)
                n += len(raws)
                continue
            if n == 0 and lines:
                lines[0] = lines[0].removeprefix("\ufeff")
            n += len(lines)
            yield lines

    def _exact_lines(self, raws: list[bytes], n: int) -> Iterator[str]:
        for raw in raws:
            n += 1
            if len(raw.rstrip(b"\r")) > MAX_LINE:
                raise self.fail(n, _("the line is longer than {k} bytes").format(k=MAX_LINE))
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise self.fail(n, _("not UTF-8 text (byte 0x{byte:02x} at column {col})").format(
                    byte=raw[exc.start], col=exc.start + 1)) from None
            if n == 1:
                line = line.removeprefix("\ufeff")
            if not line.isprintable() and (bad := _CONTROL.search(line)) is not None:
                raise self.fail(n, _("control character U+{code:04X} at column {col}").format(
                    code=ord(bad.group()), col=bad.start() + 1))
            yield line

    # -- transactions ----------------------------------------------------------------------
    def transactions(self, fh: Any) -> Iterator[Transaction]:
        """Validated transactions in file order; raises UserError naming the first bad line."""
        current: Transaction | None = None
        n = 0
        posting = self.posting
        for block in self.lines(fh):
            for line in block:
                n += 1
                first = line[:1]
                if first == " " or first == "\t":
                    body = line.strip()
                    if not body or body[0] == ";":
                        if not body and current is not None:  # a blank line ends a transaction
                            yield self.checked(current)
                            current = None
                        continue
                    if current is None:
                        raise self.fail(n, _("an indented posting outside a transaction "
                                             "(postings follow a line that starts with a date)"))
                    posting(n, body, current)
                    continue
                if current is not None:
                    yield self.checked(current)
                    current = None
                if not line or first in ";#*":
                    continue
                if first.isdigit():
                    current = self.header(n, line)
                elif first == "~":
                    raise self.fail(n, _("periodic transactions (~) are not supported"))
                elif first == "=":
                    raise self.fail(n, _("automated transactions (=) are not supported"))
                elif m := _WORD.match(line):
                    raise self.fail(n, _("directive '{word}' is not supported (only "
                                         "transactions and comments are)").format(
                        word=m.group()))
                else:
                    raise self.fail(n, _("cannot read '{text}' (expected a date, a comment or "
                                         "an indented posting)").format(text=line[:40]))
        if current is not None:
            yield self.checked(current)

    # -- a transaction -----------------------------------------------------------------
    def header(self, n: int, line: str) -> Transaction:
        on = self._dates.get(line[:10])  # the usual YYYY-MM-DD, seen before
        if on is not None and line[10:11] in _AFTER_DATE:
            rest = line[10:]
        else:
            on, rest = self.dated(n, line)
        rest = rest.partition(";")[0].strip()
        if rest[:1] in ("*", "!"):
            rest = rest[1:].lstrip()
        if rest.startswith("("):
            close = rest.find(")")
            if close < 0:
                raise self.fail(n, _("the transaction code '(' is not closed with ')'"))
            rest = rest[close + 1:].lstrip()
        return Transaction(n, on, rest, [], [], [])

    def dated(self, n: int, line: str) -> tuple[dt.date, str]:
        """A header line's date, and the text after it."""
        m = _DATE.match(line)
        rest = line[m.end():] if m else ""
        if m is None or (rest and rest[0] not in " \t;="):
            word = line.split(None, 1)[0]
            raise self.fail(n, _("'{text}' is not a date (use YYYY-MM-DD or YYYY/MM/DD)").format(
                text=word))
        if rest.startswith("="):
            raise self.fail(n, _("secondary dates (=DATE) are not supported"))
        on = self._dates.get(m.group())
        if on is None:
            on = self._dates[m.group()] = self.date(n, m)
        return on, rest

    def date(self, n: int, m: re.Match[str]) -> dt.date:
        try:
            on = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            raise self.fail(n, _("'{text}' is not a date (use YYYY-MM-DD or YYYY/MM/DD)")
                            .format(text=m.group())) from None
        if not MIN_DATE <= on <= MAX_DATE:
            raise self.fail(n, _("date {date} is outside the dates a book accepts ({first} to "
                                 "{last})").format(date=on.isoformat(),
                                                   first=MIN_DATE.isoformat(),
                                                   last=MAX_DATE.isoformat()))
        if self.lock_date is not None and on <= self.lock_date:
            raise self.fail(n, _("date {date} is on or before the lock date {lock}: the books "
                                 "are closed").format(date=on.isoformat(),
                                                      lock=self.lock_date.isoformat()),
                            RuleViolation)
        return on

    def posting(self, n: int, body: str, t: Transaction) -> None:
        """Reads one posting line (stripped) and adds it to `t`."""
        plain = self.plain_posting(body)
        if plain is None:
            account, value, memo = self.usual_posting(n, body)
        else:
            account, value, memo = plain
        key = self.keys.get(account)
        t.accounts.append(self.account_key(n, account) if key is None else key)
        t.amounts.append(value)
        t.memos.append(memo if memo.isascii() else memo.translate(_MEMO_BACK))
        if value is None:
            if t.missing is None:
                t.missing = [n]
            else:
                t.missing.append(n)

    def plain_posting(self, body: str) -> tuple[str, int | None, str] | None:
        """`account  -5000.00 GEL  ; memo` (the amount and the memo optional, no tab) read
        with string methods; None for anything else (`usual_posting` reads it). Reads what
        _PLAIN_POSTING reads, the same way, in half the time (most of a big import's lines)."""
        if "\t" in body or body[0] in "*!([":
            return None
        cut = body.find("  ")
        if cut < 0:  # no amount, no memo
            return None if ";" in body else (body, None, "")
        account = body[:cut]
        if ";" in account:
            return None
        amount, semicolon, memo = body[cut + 2:].lstrip(" ").partition(";")
        memo = memo.strip() if semicolon else ""
        number, _space, symbol = amount.rstrip(" ").partition(" ")
        if not number:
            return account, None, memo
        if symbol and symbol != self.currency:
            return None
        whole, dot, fraction = number.removeprefix("-").partition(".")
        if (not whole.isdecimal() or len(whole) > MAX_WHOLE_DIGITS
                or (dot and (not fraction.isdecimal() or len(fraction) > self.digits))):
            return None
        if not dot:
            value = int(whole) * self.scale
        elif len(fraction) == self.digits:
            value = int(whole + fraction)
        else:
            value = int(whole) * self.scale + int(fraction.ljust(self.digits, "0"))
        return account, -value if number[0] == "-" else value, memo

    def usual_posting(self, n: int, body: str) -> tuple[str, int | None, str]:
        """A posting read by _PLAIN_POSTING, or else the general way (errors included)."""
        value: int | None
        m = _PLAIN_POSTING.fullmatch(body)
        if m is not None:
            account, minus, whole, fraction, symbol, memo = m.groups()
            if whole is None:
                value = None
            elif ((symbol is None or symbol == self.currency) and len(whole) <= MAX_WHOLE_DIGITS
                    and (fraction is None or len(fraction) <= self.digits)):
                if fraction is None:
                    value = int(whole) * self.scale
                elif len(fraction) == self.digits:
                    value = int(whole + fraction)
                else:
                    value = int(whole) * self.scale + int(fraction.ljust(self.digits, "0"))
                if minus:
                    value = -value
            else:
                account, value, memo = self.general_posting(n, body)
            memo = memo.rstrip() if memo else ""
        else:
            account, value, memo = self.general_posting(n, body)
        return account, value, memo

    def general_posting(self, n: int, body: str) -> tuple[str, int | None, str]:
        if body[0] in "*!" and body[1:2] in (" ", "\t"):
            body = body[1:].lstrip()
        if body[0] in "([":
            raise self.fail(n, _("virtual postings ((...) or [...]) are not supported"))
        cuts = [i for i in (body.find("  "), body.find("\t")) if i >= 0]
        cut = min(cuts) if cuts else len(body)
        account, rest = body[:cut], body[cut:]
        if ";" in account:
            raise self.fail(n, _("';' inside the account name '{account}': put two spaces "
                                 "before a comment").format(account=account))
        self.account_type(n, account)  # before the amount's errors
        amount_text, _semicolon, comment = rest.partition(";")
        amount_text = amount_text.strip()
        amount = self.amount(n, amount_text) if amount_text else None
        return account, amount, comment.strip()

    def account_type(self, n: int, account: str) -> str:
        """The type the account name's root gives it; refuses an unknown root."""
        kind = self._roots.get(account)
        if kind is None:
            kind = TYPE_ALIASES.get(account.partition(":")[0].strip().lower())
            if kind is None:
                raise self.fail(n, _("account '{account}' must start with {roots}").format(
                    account=account, roots=_ROOT_NAMES))
            self._roots[account] = kind
        return kind

    def account_key(self, n: int, account: str) -> int:
        """The key of an account name seen first on line `n` (its type is checked)."""
        self.account_type(n, account)
        key = self.keys[account] = len(self.keys)
        self.first_line[account] = n
        self._new_accounts.append(account)
        return key

    def amount(self, n: int, text: str) -> int:
        """Minor units of `5000.00 GEL`, `GEL -5,000.00`, `-5000` (book currency only)."""
        if "@" in text:
            raise self.fail(n, _("prices (@) are not supported"))
        if "=" in text:
            raise self.fail(n, _("balance assertions (=) are not supported"))
        m = _AMOUNT.fullmatch(text)
        if m is None:
            raise self.fail(n, _("'{text}' is not an amount (write e.g. 5000.00 {currency})")
                            .format(text=text, currency=self.currency))
        sign1, before, sign2, number, after = m.groups()
        if before and after:
            raise self.fail(n, _("'{text}' has two commodities").format(text=text))
        symbol = (before or after or "").strip('"')
        if symbol and symbol != self.currency:
            raise self.fail(n, _("commodity '{symbol}' is not the book's currency {currency} "
                                 "(a book has one commodity)").format(
                symbol=symbol, currency=self.currency))
        if sign1 and sign2:
            raise self.fail(n, _("'{text}' has two signs").format(text=text))
        return self.minor(n, number, negative="-" in (sign1, sign2))

    def minor(self, n: int, number: str, *, negative: bool) -> int:
        if _AMBIGUOUS.fullmatch(number):
            raise self.fail(n, _("'{number}' is ambiguous (hledger reads ',' here as a decimal "
                                 "mark): write {plain} or use '.' for decimals").format(
                number=number, plain=number.replace(",", "")))
        m = _NUMBER.fullmatch(number)
        if m is None:
            raise self.fail(n, _("'{number}' is not a valid amount (use digits like 1234.50 or "
                                 "1,234.50)").format(number=number))
        whole, fraction = m.group(1).replace(",", ""), m.group(2) or ""
        if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
            raise self.fail(n, _("'{number}' is too large (at most {k} digits before the "
                                 "decimal point)").format(number=number, k=MAX_WHOLE_DIGITS))
        if len(fraction) > self.digits:
            if fraction[self.digits:].strip("0"):
                raise self.fail(n, _("'{number}' has more than {digits} decimals").format(
                    number=number, digits=self.digits))
            fraction = fraction[:self.digits]
        value = int(whole) * 10 ** self.digits + int(fraction.ljust(self.digits, "0") or 0)
        return -value if negative else value

    def checked(self, t: Transaction) -> Transaction:
        """Refuses fewer than two postings, two omitted amounts, an unbalanced or all-zero
        transaction; fills in the omitted amount."""
        amounts = t.amounts
        if len(amounts) < 2:
            raise self.fail(t.line, _("a transaction needs at least two postings (found {k})")
                            .format(k=len(amounts)), RuleViolation)
        if t.missing is not None:
            if len(t.missing) > 1:
                raise self.fail(t.missing[1], _("only one posting of a transaction may leave "
                                                "out its amount (line {other} does too)").format(
                    other=t.missing[0]), RuleViolation)
            i = amounts.index(None)
            amounts[i] = 0
            amounts[i] = filled = -sum(amounts)  # type: ignore[arg-type]
            if abs(filled) >= self.scale * 10 ** MAX_WHOLE_DIGITS:
                raise self.fail(t.missing[0], _("the amount left out would be {total} "
                                                "{currency}, too large (at most {k} digits "
                                                "before the decimal point)").format(
                    total=minor_text(filled, self.digits), currency=self.currency,
                    k=MAX_WHOLE_DIGITS))
        elif total := sum(amounts):  # type: ignore[arg-type]
            raise self.fail(t.line, _("transaction does not balance: the amounts add up to "
                                      "{total} {currency}").format(
                total=minor_text(total, self.digits), currency=self.currency), RuleViolation)
        if not any(amounts):
            raise self.fail(t.line, _("a transaction needs a non-zero amount"), RuleViolation)
        return t


def _plain_lines(data: bytes) -> list[str] | None:
    """The lines of a block of plain text (UTF-8, no line longer than MAX_LINE bytes, no
    control character but line breaks, CRLF or LF), else None."""
    if (len(data.translate(None, _C0_BYTES)) != len(data)
            or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n"))
            or (b"\xc2" in data and _C1_UTF8.search(data) is not None)):
        return None
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if not lines[-1]:
        lines.pop()  # the block ends with a line break
    # A line of k characters has at most 4k bytes: only long lines need counting.
    if max(map(len, lines), default=0) * 4 > MAX_LINE and any(
            len(line.encode("utf-8")) > MAX_LINE for line in lines if len(line) * 4 > MAX_LINE):
        return None
    if b"\r" in data:
        lines = [line.removesuffix("\r") for line in lines]
    return lines


def _blocks(fh: Any) -> Iterator[bytes]:
    """The file in blocks of whole lines (the last may lack its line break). A line longer
    than MAX_LINE bytes ends the reading: it is yielded cut short, for the parser to refuse,
    and the rest is never read (a huge line is refused, not loaded)."""
    carry = b""
    while block := fh.read(BLOCK):
        data = carry + block if carry else block
        cut = data.rfind(b"\n") + 1
        carry = data[cut:]
        if cut:
            yield data[:cut]
        if len(carry) > MAX_LINE + 2:
            yield carry[:MAX_LINE + 2]
            return
    if carry:
        yield carry


# -- batches, here or from a reader process -------------------------------------------------

@dataclass(slots=True)
class Batch:
    """Validated transactions in file order, as rows ready to insert.

    - `entries`: (index, date, year, ordinal, description) per transaction: its index in
      the file (from 0), its date as stored (`YYYY-MM-DD`), and its ordinal among the file's
      transactions of that year (from 1; the importer adds the year's last number);
    - `postings`: (entry index, account key, date, amount in minor units, memo, None: no
      contact), as `books.posting.EntryWriter` writes them with `accounts`;
    - `totals`: (account key, period `YYYY-MM`, amount): the batch's postings summed;
    - `years`: (year, how many of the batch's transactions fall in it);
    - `new_accounts`: (name, first line) of the accounts first used here, in key order;
    - `bytes_read`: how much of the file was read so far (progress).
    """
    entries: list[tuple[int, str, int, int, str]]
    postings: list[tuple[int, int, str, int, str, None]]
    totals: list[tuple[int, str, int]]
    years: list[tuple[int, int]]
    new_accounts: list[tuple[str, int]]
    bytes_read: int


class _Rows:
    """Turns validated transactions into a batch's rows (see Batch)."""

    def __init__(self) -> None:
        self.index = 0  # transactions before this batch
        self.ordinals: dict[int, int] = {}  # year -> transactions of that year so far
        self.days: dict[dt.date, tuple[str, int, str]] = {}  # date -> (stored, year, period)

    def batch(self, parser: JournalParser, transactions: list[Transaction]) -> Batch:
        entries = []
        postings: list[tuple[int, int, str, int, str, None]] = []
        totals: dict[str, dict[int, int]] = {}  # period -> account key -> amount
        years: dict[int, int] = {}
        index, ordinals, days = self.index, self.ordinals, self.days
        for t in transactions:
            day = days.get(t.date)
            if day is None:
                stored = t.date.isoformat()
                day = days[t.date] = (stored, t.date.year, stored[:7])
            stored, year, period = day
            ordinal = ordinals[year] = ordinals.get(year, 0) + 1
            years[year] = years.get(year, 0) + 1
            entries.append((index, stored, year, ordinal, t.description))
            postings.extend(zip(repeat(index), t.accounts, repeat(stored),
                                t.amounts, t.memos, repeat(None)))  # type: ignore[arg-type]
            month = totals.get(period)
            if month is None:
                month = totals[period] = {}
            for key, amount in zip(t.accounts, t.amounts, strict=True):
                month[key] = month.get(key, 0) + amount  # type: ignore[operator]
            index += 1
        self.index = index
        names = parser.take_new_accounts()
        return Batch(entries, postings,
                     [(key, period, amount) for period, month in totals.items()
                      for key, amount in month.items()],
                     sorted(years.items()), [(n, parser.first_line[n]) for n in names],
                     parser.bytes_read)


def _local_batches(parser: JournalParser, fh: Any, size: int) -> Iterator[Batch]:
    """The file's transactions in batches of `size`."""
    rows = _Rows()
    transactions: list[Transaction] = []
    for t in parser.transactions(fh):
        transactions.append(t)
        if len(transactions) >= size:
            yield rows.batch(parser, transactions)
            transactions = []
    if transactions:
        yield rows.batch(parser, transactions)


@dataclass
class ParsedJournal:
    """A journal being read: its parser's settings and label, and its batches (iterate once).
    With a reader process, `parser` only parses no lines: the importer asks it for account
    types and error messages."""
    parser: JournalParser
    batches: Iterator[Batch]
    forked: bool


def _open(path: str | os.PathLike[str]) -> Any:
    try:
        return Path(path).expanduser().open("rb")
    except FileNotFoundError:
        raise ValidationError(_("{file}: no such file").format(file=path), field="file") from None
    except IsADirectoryError:
        raise ValidationError(_("{file}: is a folder").format(file=path), field="file") from None
    except OSError as exc:
        raise ValidationError(_("{file}: {reason}").format(file=path, reason=exc.strerror),
                              field="file") from None


def can_fork() -> bool:
    """A reader process is forked only where that is safe: POSIX, one thread (a fork copies
    no other thread, and a lock another thread held would stay locked in the child)."""
    return hasattr(os, "fork") and threading.active_count() == 1


@contextlib.contextmanager
def parsing(path: str | os.PathLike[str], *, currency: str, digits: int,
            lock_date: dt.date | None, batch_size: int = BATCH_SIZE,
            fork: bool | None = None) -> Iterator[ParsedJournal]:
    """Read `path` in batches; with `fork` (default: where `can_fork()`), in a reader process.

    A file that cannot be opened is refused here, before any work. Errors of the file
    (`line N: ...`) are raised by the batches' iterator when it reaches them, as the same
    UserError as without a reader process. Leaving the block early stops the reader.
    """
    fh = _open(path)
    parser = JournalParser(str(path), currency=currency, digits=digits, lock_date=lock_date)
    if not (can_fork() if fork is None else fork):
        with fh:
            yield ParsedJournal(parser, _local_batches(parser, fh, batch_size), False)
        return
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): read it here instead
        os.close(read_fd)
        os.close(write_fd)
        with fh:
            yield ParsedJournal(parser, _local_batches(parser, fh, batch_size), False)
        return
    if pid == 0:  # the reader process: never returns
        os.close(read_fd)
        _reader_process(write_fd, parser, fh, batch_size)
    os.close(write_fd)
    fh.close()
    pipe = os.fdopen(read_fd, "rb")
    finished = False
    try:
        home = JournalParser(str(path), currency=currency, digits=digits, lock_date=lock_date)
        yield ParsedJournal(home, _received_batches(pipe, str(path)), True)
        finished = True
    finally:
        pipe.close()
        if not finished:  # an error here: the reader's work is not wanted
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):  # already reaped (SIGCHLD ignored)
            os.waitpid(pid, 0)


_LENGTH = struct.Struct("<Q")


def _reader_process(write_fd: int, parser: JournalParser, fh: Any, size: int) -> None:
    """Parse, send each batch, then an end or error message; exit without cleanup (the
    parent's open files, database connection and atexit handlers are the parent's)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the reader
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # hold no pipe of whoever started the parent
            os.dup2(devnull, fd)
        gc.disable()  # thousands of young lists per batch, no cycles (see journal_import)
        out = os.fdopen(write_fd, "wb", buffering=1 << 16)

        def send(message: tuple[Any, ...]) -> None:
            data = marshal.dumps(message)
            out.write(_LENGTH.pack(len(data)))
            out.write(data)

        try:
            for b in _local_batches(parser, fh, size):
                send(("batch", b.entries, b.postings, b.totals, b.years, b.new_accounts,
                      b.bytes_read))
            send(("end",))
        except UserError as exc:
            send(("error", type(exc).__name__, exc.message, exc.field))
        except Exception:
            send(("crash", traceback.format_exc()))
        out.flush()
    except BaseException:  # noqa: S110  (the parent gone: nobody to tell)
        pass
    finally:
        os._exit(0)


def _received_batches(pipe: Any, label: str) -> Iterator[Batch]:
    while True:
        head = pipe.read(_LENGTH.size)
        data = pipe.read(_LENGTH.unpack(head)[0]) if len(head) == _LENGTH.size else b""
        if not data:
            raise UserError(_("{file}: the journal reader stopped unexpectedly; nothing was "
                              "imported").format(file=label), field="file")
        message = marshal.loads(data)
        kind = message[0]
        if kind == "end":
            return
        if kind == "error":
            cls = getattr(errors, message[1], None)
            if not (isinstance(cls, type) and issubclass(cls, UserError)):
                cls = UserError
            raise cls(message[2], field=message[3])
        if kind == "crash":
            raise RuntimeError(f"the journal reader failed:\n{message[1]}")
        yield Batch(*message[1:])  # marshal keeps the tuples


def settings_for_parsing(db: Any) -> dict[str, Any]:
    """The book's currency, its minor digits and the lock date, read on a snapshot before
    the write transaction (so the reader process can start before the ORM is imported;
    the importer compares them with what it finds inside its transaction)."""
    from smallbiz import settings

    with db.read() as r:
        book = settings.load(r)
    return {"currency": book.currency, "digits": db.money_digits, "lock_date": book.lock_date}
