"""Import a plain-text journal: the common subset of hledger/ledger syntax.

Read: dated transactions (`2026-01-05` or `2026/01/05`) with an optional status mark
(`*`, `!`), an optional `(code)` and a description; indented postings whose account ends
at two spaces or a tab; amounts as `5000.00 GEL`, `GEL 5000.00` or `5000.00` in the book's
currency (one posting per transaction may leave its amount out); `;` comments, whole-line
or trailing (a posting's trailing comment becomes its memo); blank lines.

Refused with their line number: directives (`account`, `commodity`, `include`, `P`, ...),
periodic (`~`) and automated (`=`) transactions, balance assertions, prices (`@`), virtual
postings, other commodities, ambiguous or malformed numbers, unbalanced transactions,
dates on or before the lock date, bytes that are not UTF-8.

The file is read in blocks of lines and parsed into batches of transactions; each batch is
validated, then written with bulk inserts (entries, then postings; the per-account monthly
totals once at the end), all inside the caller's one transaction: an error anywhere leaves
the book as it was. On SQLite the rows go to the driver as tuples (executemany on the
session's own connection): SQLAlchemy's per-row parameter processing would cost more than
the parsing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, column, insert, table, text

from smallbiz import audit, settings
from smallbiz.books.accounts import TYPE_ALIASES, add_account
from smallbiz.books.journal import add_to_period_totals
from smallbiz.dates import now
from smallbiz.db_util import money_digits
from smallbiz.errors import RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.io.journal_export import COLON_STAND_IN, minor_text
from smallbiz.money import MAX_WHOLE_DIGITS
from smallbiz.numbering import format_number, reserve_block

BATCH_SIZE = 5000
#: Longest line read (bytes, without the line break): a longer one is refused, not loaded.
MAX_LINE = 16 * 1024
#: The file is read in blocks of about this many bytes, cut at a line break.
BLOCK = 1 << 20
#: Page cache of the import's connection while it runs (KiB, SQLite's negative form).
IMPORT_CACHE_KIB = 64 * 1024
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
#: Account-code prefix of generated codes, per type (the default chart uses 4 digits).
_GENERATED_PREFIX = {"asset": "1", "liability": "2", "equity": "3", "income": "4",
                     "expense": "5"}
_ROOT_NAMES = "assets, liabilities, equity, income (revenue) or expenses"

#: Untyped column lists for the bulk inserts (other databases than SQLite).
_ENTRY = table("journal_entry", *(column(c) for c in (
    "id", "number", "year", "seq", "date", "memo", "source", "created_at")))
_POSTING = table("posting", *(column(c) for c in (
    "entry_id", "account_id", "date", "amount", "memo")))


@dataclass(slots=True)
class _Transaction:
    """One transaction, its postings column by column (amounts in minor units; None for the
    one left out, until `checked` fills it in)."""
    line: int
    date: dt.date
    description: str
    accounts: list[str]
    amounts: list[int | None]
    memos: list[str]
    missing: list[int] | None = None  # lines of the postings that leave out their amount


@dataclass(frozen=True)
class JournalImport:
    file: str
    entries: int
    postings: int
    first: str | None  # first and last entry numbers given, in file order
    last: str | None
    accounts_created: list[str]  # their codes


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
        #: Account names in the order they first appear, with that line (for the importer,
        #: which resolves them batch by batch: see take_new_accounts).
        self.first_line: dict[str, int] = {}
        self._new_accounts: list[str] = []

    def fail(self, line: int, message: str, cls: type[UserError] = ValidationError) -> UserError:
        return cls(_("{file}: line {n}: {message}").format(
            file=self.label, n=line, message=message), field="file")

    def take_new_accounts(self) -> list[str]:
        """Account names first seen since the last call, in file order."""
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
            raws = data.split(b"\n")
            if not raws[-1]:
                raws.pop()  # the block ends with a line break
            try:
                if (max(map(len, raws), default=0) > MAX_LINE
                        or len(data.translate(None, _C0_BYTES)) != len(data)
                        or data.count(b"\r") != data.count(b"\r\n")
                        or _C1_UTF8.search(data) is not None):
                    raise ValueError
                block = data.decode("utf-8")
            except ValueError:  # UnicodeDecodeError too
                yield self._exact_lines(raws, n)
                n += len(raws)
                continue
            lines = block.split("\n")
            if not lines[-1]:
                lines.pop()
            if "\r" in block:  # CRLF line breaks (a CR elsewhere took the exact path)
                lines = [line.rstrip("\r") for line in lines]
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
    def transactions(self, fh: Any) -> Iterator[_Transaction]:
        """Validated transactions in file order; raises UserError naming the first bad line."""
        current: _Transaction | None = None
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
    def header(self, n: int, line: str) -> _Transaction:
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
        rest = rest.partition(";")[0].strip()
        if rest[:1] in ("*", "!"):
            rest = rest[1:].lstrip()
        if rest.startswith("("):
            close = rest.find(")")
            if close < 0:
                raise self.fail(n, _("the transaction code '(' is not closed with ')'"))
            rest = rest[close + 1:].lstrip()
        return _Transaction(n, on, rest, [], [], [])

    def date(self, n: int, m: re.Match[str]) -> dt.date:
        try:
            on = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            raise self.fail(n, _("'{text}' is not a date (use YYYY-MM-DD or YYYY/MM/DD)")
                            .format(text=m.group())) from None
        if self.lock_date is not None and on <= self.lock_date:
            raise self.fail(n, _("date {date} is on or before the lock date {lock}: the books "
                                 "are closed").format(date=on.isoformat(),
                                                      lock=self.lock_date.isoformat()),
                            RuleViolation)
        return on

    def posting(self, n: int, body: str, t: _Transaction) -> None:
        """Reads one posting line (stripped) and adds it to `t`."""
        value: int | None
        m = _PLAIN_POSTING.fullmatch(body)
        if m is not None:
            account, minus, whole, fraction, symbol, memo = m.groups()
            if account not in self._roots:
                self.account_type(n, account)
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
        t.accounts.append(account)
        t.amounts.append(value)
        t.memos.append(memo)
        if value is None:
            if t.missing is None:
                t.missing = [n]
            else:
                t.missing.append(n)

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
        self.account_type(n, account)
        amount_text, _semicolon, comment = rest.partition(";")
        amount_text = amount_text.strip()
        amount = self.amount(n, amount_text) if amount_text else None
        return account, amount, comment.strip()

    def account_type(self, n: int, account: str) -> str:
        kind = self._roots.get(account)
        if kind is None:
            kind = TYPE_ALIASES.get(account.partition(":")[0].strip().lower())
            if kind is None:
                raise self.fail(n, _("account '{account}' must start with {roots}").format(
                    account=account, roots=_ROOT_NAMES))
            self._roots[account] = kind
            self.first_line[account] = n
            self._new_accounts.append(account)
        return kind

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

    def checked(self, t: _Transaction) -> _Transaction:
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
            amounts[i] = -sum(amounts)  # type: ignore[arg-type]
        elif total := sum(amounts):  # type: ignore[arg-type]
            raise self.fail(t.line, _("transaction does not balance: the amounts add up to "
                                      "{total} {currency}").format(
                total=minor_text(total, self.digits), currency=self.currency), RuleViolation)
        if not any(amounts):
            raise self.fail(t.line, _("a transaction needs a non-zero amount"), RuleViolation)
        return t


class _Accounts:
    """Finds or creates the account for each journal account name (cached)."""

    def __init__(self, s: Any, parser: JournalParser) -> None:
        self.s = s
        self.parser = parser
        self.cache: dict[str, int] = {}
        self.by_code: dict[str, tuple[int, str, bool]] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str, bool]]] = defaultdict(list)
        for acc_id, code, name, kind, archived in s.execute(
                text("SELECT id, code, name, type, archived FROM account")):
            self._remember(acc_id, code, name, kind, bool(archived))
        self.created: list[str] = []
        self._next_generated: dict[str, int] = defaultdict(lambda: 1)

    def _remember(self, acc_id: int, code: str, name: str, kind: str, archived: bool) -> None:
        self.by_code[code] = (acc_id, kind, archived)
        self.by_name[(kind, name.casefold())].append((acc_id, code, archived))

    def id(self, line: int, account: str) -> int:
        acc_id = self.cache.get(account)
        if acc_id is None:
            acc_id = self.cache[account] = self._resolve(line, account)
        return acc_id

    def _resolve(self, line: int, account: str) -> int:
        kind = self.parser.account_type(line, account)
        root, _colon, rest = account.partition(":")
        rest = rest.strip()
        if rest and ":" not in rest:  # TYPE:CODE NAME is one level below the type
            code, _space, name = rest.partition(" ")
            if code in self.by_code or (any(c.isdigit() for c in code) and "=" not in code
                                        and len(code) <= 32):
                return self._by_code(line, account, kind, code, _unescape(name.strip()) or code)
        return self._by_name(line, account, kind, _unescape(rest) or root.strip())

    def _by_code(self, line: int, account: str, kind: str, code: str, name: str) -> int:
        hit = self.by_code.get(code)
        if hit is None:
            return self._create(line, code, name, kind)
        acc_id, existing_kind, archived = hit
        if existing_kind != kind:
            raise self.parser.fail(line, _("account {code} is an {existing} account, but "
                                           "'{account}' makes it {kind}").format(
                code=code, existing=existing_kind, account=account, kind=kind), RuleViolation)
        if archived:
            raise self.parser.fail(line, _("account {code} is archived").format(code=code),
                                   RuleViolation)
        return acc_id

    def _by_name(self, line: int, account: str, kind: str, name: str) -> int:
        matches = self.by_name.get((kind, name.casefold()), [])
        if len(matches) > 1:
            raise self.parser.fail(line, _("'{account}' matches several accounts ({codes}); "
                                           "write it as {root}:CODE NAME").format(
                account=account, codes=", ".join(sorted(m[1] for m in matches)),
                root=account.partition(":")[0]), RuleViolation)
        if matches:
            acc_id, code, archived = matches[0]
            if archived:
                raise self.parser.fail(line, _("account {code} is archived").format(code=code),
                                       RuleViolation)
            return acc_id
        prefix = _GENERATED_PREFIX[kind]
        k = self._next_generated[kind]
        while f"{prefix}{k:04d}" in self.by_code:
            k += 1
        self._next_generated[kind] = k + 1
        return self._create(line, f"{prefix}{k:04d}", name, kind)

    def _create(self, line: int, code: str, name: str, kind: str) -> int:
        if len(name) > 200:
            raise self.parser.fail(line, _("account name '{name}…' is longer than 200 "
                                           "characters").format(name=name[:40]))
        try:
            info = add_account(self.s, code, name, kind)
        except UserError as exc:
            raise self.parser.fail(line, exc.message) from None
        self._remember(info.id, info.code, info.name, info.type, False)
        self.created.append(info.code)
        return info.id


def _unescape(name: str) -> str:
    """The export writes ':' in names as a look-alike (a real ':' makes a sub-account)."""
    return name.replace(COLON_STAND_IN, ":")


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


def import_journal(s: Any, path: str | os.PathLike[str], *, batch_size: int = BATCH_SIZE,
                   advance: Callable[[int], Any] | None = None) -> JournalImport:
    """Post every transaction of a journal file as an entry (source `import`).

    Validates each batch of transactions (syntax, balance, lock date, accounts) before
    writing it; accounts the file names are found by code or name, or created. Each entry
    gets the next JE number of its year, in file order. Writes one audit row for the import
    (plus one per created account). `advance(n)` reports bytes read (progress).
    """
    book = settings.load(s)
    parser = JournalParser(str(path), currency=book.currency, digits=money_digits(s),
                           lock_date=book.lock_date)
    accounts = _Accounts(s, parser)
    numbers: list[str] = []  # first and last entry number
    counts = Counter[str]()
    with _open(path) as fh, _Writer(s, accounts.cache) as writer, _no_cycle_collection():
        for transactions in _batches(parser, fh, batch_size):
            for name in parser.take_new_accounts():
                accounts.id(parser.first_line[name], name)
            first, last = writer.write(transactions)
            numbers[:] = [numbers[0] if numbers else first, last]
            counts["entries"] += len(transactions)
            counts["postings"] += sum(len(t.amounts) for t in transactions)
            if advance is not None:
                advance(parser.bytes_read - counts["bytes"])
                counts["bytes"] = parser.bytes_read
        writer.add_period_totals()
    first, last = numbers if numbers else (None, None)
    if counts["entries"]:
        audit.record(s, "import", "journal_entry", f"{first}..{last}",
                     _("{n} entries ({p} postings) imported from {file}; {k} accounts created")
                     .format(n=counts["entries"], p=counts["postings"], file=path,
                             k=len(accounts.created))[:500])
    return JournalImport(str(path), counts["entries"], counts["postings"], first, last,
                         accounts.created)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a batch holds thousands of young lists, whose
    allocation would start a collection every few hundred postings (~15 % of the import's
    time). The import makes no cycles of its own; refcounting frees its rows as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _batches(parser: JournalParser, fh: Any, size: int) -> Iterator[list[_Transaction]]:
    """Parsed transactions in lists of `size`. (A reader thread does not pay here: sqlite3
    takes the GIL back after every row of executemany, so the two threads convoy.)"""
    batch: list[_Transaction] = []
    for transaction in parser.transactions(fh):
        batch.append(transaction)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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


def _bind(type_: Any, dialect: Any) -> Callable[[Any], Any]:
    """The dialect's conversion of a Python value of `type_` for the database."""
    return type_.dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)


_ENTRY_COLUMNS = ("id", "number", "year", "seq", "date", "memo", "source", "created_at")
_POSTING_COLUMNS = ("entry_id", "account_id", "date", "amount", "memo")


class _Writer:
    """Writes validated batches into the caller's transaction: entries, then postings; the
    per-account monthly totals are summed as it goes and written once (add_period_totals)."""

    def __init__(self, s: Any, account_ids: dict[str, int]) -> None:
        self.s = s
        self.account_ids = account_ids
        dialect = s.get_bind().dialect
        # Values are converted here once, as the ORM would store them (nothing converts them
        # per row below; the driver's own date adapters would write another format).
        self.as_date = _bind(Date(), dialect)
        self.created_at = _bind(DateTime(), dialect)(now())
        self.days: dict[dt.date, tuple[Any, str]] = {}  # date -> (stored value, "YYYY-MM")
        self.periods: dict[str, defaultdict[int, int]] = {}  # period -> account id -> total
        #: The sqlite3 connection under the session, in the session's transaction.
        self.raw: Any = (s.connection().connection.driver_connection
                         if dialect.name == "sqlite" else None)
        self._cache_size: int | None = None

    def __enter__(self) -> _Writer:
        if self.raw is not None:  # a bigger page cache while the indexes grow
            self._cache_size = self.raw.execute("PRAGMA cache_size").fetchone()[0]
            self.raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._cache_size is not None:  # the pooled connection lives on (tests, the TUI)
            with contextlib.suppress(sqlite3.Error):  # never hide the import's own error
                self.raw.execute(f"PRAGMA cache_size = {int(self._cache_size)}")

    def write(self, batch: list[_Transaction]) -> tuple[str, str]:
        """Insert one validated batch; returns its first and last entry numbers."""
        next_seq = {year: reserve_block(self.s, "JE", year, count)
                    for year, count in sorted(Counter(t.date.year for t in batch).items())}
        entries = []
        days = []
        for t in batch:
            on = t.date
            year = on.year
            seq = next_seq[year]
            next_seq[year] = seq + 1
            day = self.days.get(on)
            if day is None:
                day = self.days[on] = (self.as_date(on), f"{year:04d}-{on.month:02d}")
            days.append(day)
            entries.append((format_number("JE", year, seq), year, seq, day[0], t.description,
                            "import", self.created_at))
        entry_ids = self._insert_entries(entries)
        postings: list[tuple[Any, ...]] = []
        account_id = self.account_ids.__getitem__
        periods = self.periods
        for t, entry_id, (day, period) in zip(batch, entry_ids, days, strict=True):
            ids = list(map(account_id, t.accounts))
            postings.extend(zip(repeat(entry_id), ids, repeat(day), t.amounts, t.memos))
            totals = periods.get(period)
            if totals is None:
                totals = periods[period] = defaultdict(int)
            for acc, amount in zip(ids, t.amounts, strict=True):
                totals[acc] += amount  # type: ignore[operator]
        if self.raw is not None:
            self.raw.executemany("INSERT INTO posting (entry_id, account_id, date, amount, memo)"
                                 " VALUES (?, ?, ?, ?, ?)", postings)
        else:
            self.s.execute(insert(_POSTING), [dict(zip(_POSTING_COLUMNS, row, strict=True))
                                              for row in postings])
        return entries[0][0], entries[-1][0]

    def _insert_entries(self, entries: list[tuple[Any, ...]]) -> Any:
        if self.raw is None:
            return self.s.execute(
                insert(_ENTRY).returning(_ENTRY.c.id, sort_by_parameter_order=True),
                [dict(zip(_ENTRY_COLUMNS[1:], row, strict=True)) for row in entries],
            ).scalars().all()
        # Inside BEGIN IMMEDIATE nobody else inserts: the ids SQLite would pick are max + 1...
        # (RETURNING in input order costs one statement per row there).
        start = self.raw.execute("SELECT COALESCE(MAX(id), 0) FROM journal_entry").fetchone()[0]
        ids = range(start + 1, start + 1 + len(entries))
        self.raw.executemany(
            "INSERT INTO journal_entry (id, number, year, seq, date, memo, source, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(entry_id, *row) for entry_id, row in zip(ids, entries, strict=True)])
        return ids

    def add_period_totals(self) -> None:
        add_to_period_totals(self.s, [(acc, period, amount)
                                      for period, totals in self.periods.items()
                                      for acc, amount in totals.items()])
