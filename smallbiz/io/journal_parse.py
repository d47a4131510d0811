"""Read a plain-text journal: what hledger and ledger journals hold in one currency (no
database).

Read: dated transactions (`2026-01-05`, `2026/01/05`, `1/5` after `Y 2026`, a secondary
date `=2026-01-07`) with an optional status mark (`*`, `!`), an optional `(code)`, a
description and comments; indented postings (with their own status mark) whose account
ends at two spaces or a tab; amounts as `5000.00 GEL`, `GEL 5000.00`, `5000.00` or with a
symbol that stands for the book's currency (`$12.50`, `12,50 €` after `decimal-mark ,`),
one posting per transaction may leave its amount out; balanced virtual postings
`[account]` (as real ones); balance assertions (`=`, `==`, `=*`: checked, see `_Rows`);
`;` comments, whole-line or trailing, with the lines below them (a posting's trailing
comment is its memo; comments that hledger would read tags or dates in are kept as
written); the directives `account` (its `type:`, and `currency:` for an account kept in
another currency, whose book-currency postings tagged `revalued: USD @RATE` are read as
0 in it at that rate: what the export writes for a revaluation), `commodity`, `P`,
`tag`, `payee`, `N`, `C`, `A`, `comment`/`test` blocks, `Y`/`year`, `alias`,
`decimal-mark`, `D` and `include` (each counted in a one-line note:
`JournalParser.notes`).

Refused with their line number: other directives, periodic (`~`) and automated (`=`)
transactions, balance assignments, prices (`@`), lot costs (`{}`), unbalanced virtual
postings `(account)` (left out with `skip_virtual`), other commodities, ambiguous or
malformed numbers, unbalanced transactions, dates on or before the lock date, bytes that
are not UTF-8, account names whose type is not known (`JournalOptions.account_types`).

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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat
from pathlib import Path
from typing import Any

from smallbiz import errors
from smallbiz.books.types import COLON_STAND_IN, TYPE_ALIASES
from smallbiz.dates import MAX_DATE, MIN_DATE
from smallbiz.errors import RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.money import CURRENCIES, CURRENCY_SYMBOLS, MAX_WHOLE_DIGITS, minor_text

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


#: Top-level account names whose type is certain, in several languages (compared in lower
#: case). Any other root needs `--account-type NAME=TYPE` or an `account NAME ; type: A`
#: declaration.
ROOT_TYPES: dict[str, str] = {**TYPE_ALIASES}
for _kind, _names in {
    "asset": "asset assets aktiva vermögen actif actifs activo activos ativo ativos "
             "attività activa bezittingen активы актив активи აქტივები aktywa tillgångar "
             "aktiver eiendeler varat varlıklar 資産 资产",
    "liability": "liability liabilities debt debts verbindlichkeiten schulden dettes pasivo "
                 "pasivos passivo passivos passività обязательства долги зобов'язання "
                 "ვალდებულებები zobowiązania závazky skulder gjeld gæld velat borçlar "
                 "負債 负债",
    "equity": "equity equities capital eigenkapital capitaux propres patrimonio "
              "patrimônio patrimonio neto patrimônio líquido patrimonio netto eigen vermogen "
              "капитал капітал კაპიტალი kapitał kapitał własný vlastní kapitál eget kapital "
              "egenkapital oma pääoma özkaynaklar 純資産 资本 權益 权益",
    "income": "income incomes revenue revenues einnahmen erträge ertrag erlöse produits "
              "revenus recettes ingresos receitas rendimentos ricavi entrate proventi "
              "inkomsten opbrengsten baten доходы доход доходи შემოსავლები შემოსავალი "
              "przychody dochody výnosy příjmy intäkter inkomster inntekter indtægter tulot "
              "gelirler 収益 収入 收入",
    "expense": "expense expenses ausgaben aufwand aufwendungen kosten charges dépenses "
               "gastos egresos despesas costi spese uscite uitgaven lasten расходы расход "
               "затраты витрати ხარჯები koszty wydatki náklady výdaje kostnader utgifter "
               "udgifter omkostninger menot kulut giderler 費用 支出 费用",
}.items():
    for _name in _names.split():
        ROOT_TYPES.setdefault(_name, _kind)
for _name, _kind in (("capitaux propres", "equity"), ("patrimonio neto", "equity"),
                     ("patrimônio líquido", "equity"), ("patrimonio netto", "equity"),
                     ("eigen vermogen", "equity"), ("kapitał własny", "equity"),
                     ("vlastní kapitál", "equity"), ("eget kapital", "equity"),
                     ("oma pääoma", "equity"), ("собственный капитал", "equity"),
                     ("retained earnings", "equity"), ("opening balances", "equity")):
    ROOT_TYPES[_name] = _kind
for _name in ("capitaux", "propres", "neto", "líquido", "netto", "eigen", "własny",
              "vlastní", "eget", "oma", "pääoma"):
    ROOT_TYPES.pop(_name, None)  # halves of the two-word names above
ROOT_TYPES.pop("vermogen", None)

#: hledger's account type codes and names (`account NAME  ; type: A`).
DECLARED_TYPES = {"a": "asset", "asset": "asset", "c": "asset", "cash": "asset",
                  "l": "liability", "liability": "liability", "e": "equity",
                  "equity": "equity", "v": "equity", "conversion": "equity",
                  "r": "income", "revenue": "income", "x": "expense", "expense": "expense"}
_TYPE_TAG = re.compile(r"(?:^|[\s,])type:\s*([A-Za-z]+)")
#: An account kept in another currency: `account assets:1021 Bank USD  ; currency: USD`
#: (written by the journal export, read back here).
CURRENCY_TAG = "currency"
_CURRENCY_TAG = re.compile(r"(?:^|[\s,])currency:\s*([A-Za-z]{3})\b")
#: A revaluation's posting to such an account, in the book's currency (it moves the book
#: value only): `58.38 GEL  ; revaluation of 1021, revalued: USD @2.800000`, read as a
#: foreign amount of 0 at that rate.
REVALUED_TAG = "revalued"
_REVALUED_TAG = re.compile(r"(?:^|,?\s*)\brevalued:\s*([A-Z]{3})\s*@\s*(\d+(?:\.\d{1,6})?)\s*$")

#: Currency symbols read as their ISO code (`--commodity '$=CAD'` says otherwise).
SYMBOLS = CURRENCY_SYMBOLS
_SHORT_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})")
#: Directives that carry no postings and change nothing in what is imported.
_SKIPPED = {"commodity": "commodity", "P": "price", "tag": "tag", "payee": "payee",
            "N": "ignored commodity", "C": "conversion", "A": "default account"}


@dataclass
class JournalOptions:
    """What the person importing says about the file: `commodities` symbol -> ISO code,
    `account_types` account name (or the root of names) -> type, leave out unbalanced
    virtual postings, read included files outside the file's folder."""
    commodities: dict[str, str] = field(default_factory=dict)
    account_types: dict[str, str] = field(default_factory=dict)
    skip_virtual: bool = False
    allow_include_outside: bool = False


@dataclass(slots=True)
class Transaction:
    """One transaction, its postings column by column: accounts by key (their order of first
    appearance in the file, see `JournalParser.account_key`), amounts in minor units (None
    for the one left out, until `checked` fills it in). What hledger and ledger also carry
    (status marks, code, comments, the secondary date) is kept for the export."""
    line: int
    date: dt.date
    description: str
    accounts: list[int]
    amounts: list[int | None]
    memos: list[str]
    missing: list[int] | None = None  # lines of the postings that leave out their amount
    status: str | None = None
    code: str | None = None
    comment: list[str] | None = None  # the header's comment ('' if none), then more lines
    date2: str | None = None
    pstatus: list[str | None] | None = None  # per posting, once one has a mark
    pcomments: list[list[str] | None] | None = None  # per posting, raw, when memo is not all
    #: (posting index, expected minor units, subaccounts included, line, file)
    assertions: list[tuple[int, int, bool, int, str]] | None = None
    #: per posting, once one is priced (`10 USD @@ 27 GEL`): (currency, foreign minor
    #: units, rate in millionths) or None
    fx: list[tuple[str, int, int] | None] | None = None


class JournalParser:
    """Turns the lines of a journal into validated transactions (no database needed)."""

    def __init__(self, label: str, *, currency: str, digits: int,
                 lock_date: dt.date | None, options: JournalOptions | None = None) -> None:
        self.label = label
        self.path = label
        self.currency = currency
        self.digits = digits
        self.lock_date = lock_date
        self.options = options = options or JournalOptions()
        self.scale = 10 ** digits
        self.bytes_read = 0
        self._roots: dict[str, str] = {}  # account name -> account type
        self._dates: dict[str, dt.date] = {}  # valid, open dates as written
        #: Account name -> key, its place in the order of first appearance in the file.
        self.keys: dict[str, int] = {}
        self.names: list[str] = []  # key -> account name
        #: The line each account name first appears on (the importer names it in errors).
        self.first_line: dict[str, int] = {}
        self._new_accounts: list[str] = []
        self.symbols = {currency}
        for symbol, code in SYMBOLS.items():
            if code == currency and symbol not in options.commodities:
                self.symbols.add(symbol)
        for symbol, code in options.commodities.items():
            if code.upper() != currency:
                raise ValidationError(_("--commodity {symbol}={code}: the book's currency is "
                                        "{currency} (a book has one commodity)").format(
                    symbol=symbol, code=code, currency=currency), field="commodity")
            self.symbols.add(symbol)
        self.declared: dict[str, str] = {}  # account name -> type declared in the file
        self.kept: dict[str, str] = {}  # account name -> the currency it is kept in
        self.aliases: list[tuple[str, str]] = []
        self.comma = False  # decimal-mark ,
        self.year: int | None = None  # Y / year
        self.counts: dict[str, list[Any]] = {}  # note kind -> [count, first line, file]
        self.skipped_virtual = 0
        self.finished_notes: list[str] | None = None
        self._include_stack: list[Path] = []
        self._latest: dt.date | None = None
        self._unordered: int | None = None
        self._balances: dict[int, int] = {}

    def fail(self, line: int, message: str, cls: type[UserError] = ValidationError) -> UserError:
        return cls(_("{file}: line {n}: {message}").format(
            file=self.label, n=line, message=message), field="file")

    def take_new_accounts(self) -> list[str]:
        """Account names first seen since the last call, in file order (= key order)."""
        names, self._new_accounts = self._new_accounts, []
        return names

    def count(self, kind: str, n: int, k: int = 1) -> None:
        seen = self.counts.get(kind)
        if seen is None:
            self.counts[kind] = [k, n, self.label]
        else:
            seen[0] += k

    def notes(self) -> list[str]:
        """One line per kind of thing read or left out that is not a posting."""
        texts = {
            "account": _("{k} account directives read"),
            "commodity": _("{k} commodity directives skipped (the book has one currency)"),
            "price": _("{k} P price lines skipped (prices need several currencies)"),
            "tag": _("{k} tag directives skipped"),
            "payee": _("{k} payee directives skipped"),
            "ignored commodity": _("{k} N directives skipped"),
            "conversion": _("{k} C directives skipped"),
            "default account": _("{k} A directives skipped"),
            "comment": _("{k} comment blocks skipped"),
            "include": _("{k} included files read"),
            "year": _("{k} Y/year directives read"),
            "alias": _("{k} alias directives read"),
            "decimal-mark": _("{k} decimal-mark directives read"),
            "D": _("{k} D (default commodity) directives read"),
            "assertion": _("{k} balance assertions checked: all hold"),
            "date2": _("{k} secondary dates kept"),
            "virtual": _("{k} unbalanced virtual postings (...) left out (--skip-virtual)"),
            "unpriced": _("{k} priced amounts kept in the book's currency only (their total "
                          "is not the amount × a rate of six decimals)"),
        }
        out = []
        for kind, (k, line, label) in self.counts.items():
            text = texts[kind].format(k=k)
            out.append(_("{text} (first on line {n})").format(text=text, n=line)
                       if label == self.path else
                       _("{text} (first in {file}, line {n})").format(text=text, file=label,
                                                                     n=line))
        return out

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
        self._include_stack = [Path(self.path).expanduser().resolve()]
        yield from self._transactions(fh)

    def _transactions(self, fh: Any) -> Iterator[Transaction]:
        current: Transaction | None = None
        n = 0
        posting = self.posting
        directive: str | None = None  # the directive whose indented lines follow
        block_end: str | None = None  # inside `comment` ... `end comment`
        for block in self.lines(fh):
            for line in block:
                n += 1
                if block_end is not None:
                    if line.rstrip() == block_end:
                        block_end = None
                    continue
                first = line[:1]
                if first == " " or first == "\t":
                    body = line.strip()
                    if not body or body[0] == ";":
                        if current is not None:
                            if not body:  # a blank line ends a transaction
                                yield self.checked(current)
                                current = None
                            else:
                                self.comment_line(current, body[1:].strip())
                        elif directive == "account" and body:
                            self.account_comment(n, body[1:])
                        continue
                    if current is None:
                        if directive is not None:
                            continue  # a directive's own lines (format, note, alias, ...)
                        raise self.fail(n, _("an indented posting outside a transaction "
                                             "(postings follow a line that starts with a date)"))
                    posting(n, body, current)
                    continue
                if current is not None:
                    yield self.checked(current)
                    current = None
                directive = None
                if not line or first in ";#*%|":
                    continue
                if first.isdigit():
                    current = self.header(n, line)
                elif first == "~":
                    raise self.fail(n, _("periodic transactions (~) are not supported"))
                elif first == "=":
                    raise self.fail(n, _("automated transactions (=) are not supported"))
                elif m := _WORD.match(line):
                    word = m.group()
                    if word in ("comment", "test") and line.rstrip() == word:
                        block_end = "end " + word
                        self.count("comment", n)
                    elif word == "include" and line[7:8] in (" ", "\t"):
                        yield from self.include(n, line[8:].strip())
                    else:
                        directive = self.directive(n, word, line[len(word):])
                else:
                    raise self.fail(n, _("cannot read '{text}' (expected a date, a comment or "
                                         "an indented posting)").format(text=line[:40]))
        if current is not None:
            yield self.checked(current)

    # -- directives ------------------------------------------------------------------------
    def directive(self, n: int, word: str, rest: str) -> str:
        """Reads or skips a directive line (the text after its word); refuses the ones that
        would change what the postings mean and are not read. Returns its kind."""
        text = rest.split(";", 1)[0].strip()
        if word == "account" and text:
            parts = re.split(r"  |\t", rest.strip(), maxsplit=1)
            name = self.aliased(parts[0].split(";", 1)[0].strip())
            self._declaring = (name, n)
            self.count("account", n)
            if len(parts) > 1:
                after = parts[1].strip()
                if after.startswith(";"):
                    self.account_comment(n, after[1:])
                elif after.lower() in DECLARED_TYPES:  # `account assets  A` (older syntax)
                    self.declare(n, name, DECLARED_TYPES[after.lower()])
            return "account"
        if word in _SKIPPED:
            self.count(_SKIPPED[word], n)
            if word == "commodity":
                self.commodity_format(text)
            return word
        if word in ("Y", "year") and text.isdigit() and len(text) == 4:
            self.year = int(text)
            self.count("year", n)
            return word
        if word == "alias":
            old, eq, new = text.partition("=")
            if not eq or old.strip().startswith("/"):
                raise self.fail(n, _("alias '{text}' is not supported (write alias OLD = NEW; "
                                     "regular expressions are not read)").format(text=text))
            self.aliases.append((old.strip(), new.strip()))
            self.count("alias", n)
            return word
        if word == "end" and text == "aliases":
            self.aliases.clear()
            return word
        if word == "decimal-mark" and text in (".", ","):
            self.comma = text == ","
            self.count("decimal-mark", n)
            return word
        if word == "D":
            m = _AMOUNT.fullmatch(text)
            symbol = (m.group(2) or m.group(5) or "").strip('"') if m else None
            if symbol not in self.symbols:
                raise self.fail(n, _("D sets the default commodity '{symbol}', which is not "
                                     "the book's currency {currency}").format(
                    symbol=symbol or text, currency=self.currency))
            self.commodity_format(text)
            self.count("D", n)
            return word
        raise self.fail(n, _("directive '{word}' is not supported").format(word=word))

    def commodity_format(self, text: str) -> None:
        """`commodity 1.000,00 EUR` in the book's currency: ',' is its decimal mark."""
        m = _AMOUNT.fullmatch(text)
        if m is None or (m.group(2) or m.group(5) or "").strip('"') not in self.symbols:
            return
        number = m.group(4)
        if "," in number and number.rfind(",") > number.rfind(".") and (
                "." in number or len(number) - number.rfind(",") != 4):
            self.comma = True

    def account_comment(self, n: int, comment: str) -> None:
        kept = _CURRENCY_TAG.search(comment)
        if kept is not None and getattr(self, "_declaring", None) is not None:
            code = kept.group(1).upper()
            if code not in CURRENCIES or code == self.currency:
                raise self.fail(n, _("account '{account}': currency '{code}' is not another "
                                     "currency's ISO code than the book's {currency}").format(
                    account=self._declaring[0], code=kept.group(1), currency=self.currency))
            if self._declaring[0] in self.keys:
                raise self.fail(n, _("account '{account}' is declared in {code} here, but "
                                     "line {line} already used it: declare it before its "
                                     "first use").format(
                    account=self._declaring[0], code=code,
                    line=self.first_line.get(self._declaring[0], 0)))
            self.kept[self._declaring[0]] = code
        m = _TYPE_TAG.search(comment)
        if m is not None and getattr(self, "_declaring", None) is not None:
            kind = DECLARED_TYPES.get(m.group(1).lower())
            if kind is None:
                raise self.fail(n, _("account type '{code}' is not one of A, L, E, R, X, C, V")
                                .format(code=m.group(1)))
            self.declare(n, self._declaring[0], kind)

    def declare(self, n: int, name: str, kind: str) -> None:
        used = self._roots.get(name)
        if used is not None and used != kind:
            raise self.fail(n, _("account '{account}' is declared {kind} here, but line {line} "
                                 "already used it as {used}: declare it before its first use")
                            .format(account=name, kind=kind, line=self.first_line.get(name, 0),
                                    used=used))
        self.declared[name] = kind

    def include(self, n: int, target: str) -> Iterator[Transaction]:
        """The transactions of an included file (relative to the including file; no cycles,
        nothing outside the first file's folder unless allowed)."""
        here = self._include_stack[-1]
        if ":" in target.split("/", 1)[0] and not Path(target).exists():
            raise self.fail(n, _("include '{path}': only journal files can be included")
                            .format(path=target))
        pattern = Path(target).expanduser()
        if not pattern.is_absolute():
            pattern = here.parent / pattern
        if any(c in target for c in "*?["):
            paths = sorted(p for p in pattern.parent.glob(pattern.name) if p.is_file())
        else:
            paths = [pattern]
        top = self._include_stack[0].parent
        for path in paths:
            real = path.resolve()
            if real in self._include_stack:
                raise self.fail(n, _("include '{path}' includes itself (a cycle)").format(
                    path=target))
            if not self.options.allow_include_outside and not real.is_relative_to(top):
                raise self.fail(n, _("include '{path}' is outside the folder of {file}: "
                                     "import with --allow-include-outside to read it").format(
                    path=target, file=self._include_stack[0].name))
            try:
                fh = real.open("rb")
            except OSError as exc:
                raise self.fail(n, _("include '{path}': {reason}").format(
                    path=target, reason=exc.strerror)) from None
            self.count("include", n)
            label, read = self.label, self.bytes_read
            self.label = str(path)
            self._include_stack.append(real)
            with fh:
                yield from self._transactions(fh)
            self._include_stack.pop()
            self.label, self.bytes_read = label, read

    def aliased(self, account: str) -> str:
        for old, new in reversed(self.aliases):
            if account == old or account.startswith(old + ":"):
                account = new + account[len(old):]
        return account

    # -- a transaction -----------------------------------------------------------------
    def header(self, n: int, line: str) -> Transaction:
        on = self._dates.get(line[:10])  # the usual YYYY-MM-DD, seen before
        date2 = None
        if on is not None and line[10:11] in _AFTER_DATE:
            rest = line[10:]
        else:
            on, rest = self.dated(n, line)
            if rest[:1] == "=":
                date2, rest = self.secondary(n, rest[1:], on)
        rest, semicolon, comment = rest.partition(";")
        rest = rest.strip()
        status = code = None
        if rest[:1] in ("*", "!"):
            status = rest[0]
            rest = rest[1:].lstrip()
        if rest.startswith("("):
            close = rest.find(")")
            if close < 0:
                raise self.fail(n, _("the transaction code '(' is not closed with ')'"))
            code = rest[1:close].strip() or None
            rest = rest[close + 1:].lstrip()
        t = Transaction(n, on, rest, [], [], [])
        self._skipping = False
        if status is not None:
            t.status = status
        if code is not None:
            t.code = code
        if semicolon:
            t.comment = [comment.strip()]
        if date2 is not None:
            t.date2 = date2
            self.count("date2", n)
        return t

    def comment_line(self, t: Transaction, text: str) -> None:
        """An indented comment line: the last posting's, or the transaction's."""
        if self._skipping:
            return  # the comment of a posting left out
        if not t.accounts:
            if t.comment is None:
                t.comment = [""]
            t.comment.append(text)
            return
        i = len(t.accounts) - 1
        if t.pcomments is None:
            t.pcomments = [None] * len(t.accounts)
        lines = t.pcomments[i]
        if lines is None:
            lines = t.pcomments[i] = [t.memos[i]]
        lines.append(text)

    def dated(self, n: int, line: str) -> tuple[dt.date, str]:
        """A header line's date, and the text after it."""
        m = _DATE.match(line)
        if m is None and self.year is not None:
            m = _SHORT_DATE.match(line)
        rest = line[m.end():] if m else ""
        if m is None or (rest and rest[0] not in " \t;="):
            word = line.split(None, 1)[0]
            raise self.fail(n, _("'{text}' is not a date (use YYYY-MM-DD or YYYY/MM/DD)").format(
                text=word))
        key = m.group() if m.re is _DATE else f"{self.year}-{m.group()}"
        on = self._dates.get(key)
        if on is None:
            on = self._dates[key] = self.date(n, m)
        return on, rest

    def secondary(self, n: int, text: str, primary: dt.date) -> tuple[str, str]:
        m = _DATE.match(text)
        try:
            if m is not None:
                on = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            elif (m := _SHORT_DATE.match(text)) is not None:
                on = dt.date(primary.year, int(m.group(1)), int(m.group(3)))
            else:
                raise ValueError
        except ValueError:
            raise self.fail(n, _("'{text}' is not a secondary date (use YYYY-MM-DD)").format(
                text=text.split(None, 1)[0] if text.strip() else text)) from None
        return on.isoformat(), text[m.end():]

    def date(self, n: int, m: re.Match[str]) -> dt.date:
        try:
            if m.re is _DATE:
                on = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            else:
                on = dt.date(self.year or 0, int(m.group(1)), int(m.group(3)))
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

    _skipping = False  # the last posting was left out: its comment lines go with it

    def posting(self, n: int, body: str, t: Transaction) -> None:
        """Reads one posting line (stripped) and adds it to `t`."""
        plain = None if self.comma else self.plain_posting(body)
        status = assertion = None
        if plain is None:
            account, value, memo, status, assertion = self.usual_posting(n, body)
            if account is None:  # an unbalanced virtual posting left out
                self._skipping = True
                return
        else:
            account, value, memo = plain
        self._skipping = False
        if self.aliases:
            account = self.aliased(account)
        key = self.keys.get(account)
        i = len(t.accounts)
        fx, self._pending_fx = self._pending_fx, None
        if fx is None and value is not None and self.kept and "revalued:" in memo:
            fx, memo = self.revalued(n, account, memo)
        if fx is not None:
            if t.fx is None:
                t.fx = [None] * i
            t.fx.append(fx)
        elif t.fx is not None:
            t.fx.append(None)
        t.accounts.append(self.account_key(n, account) if key is None else key)
        t.amounts.append(value)
        if memo and (":" in memo or "[" in memo or "]" in memo or "  " in memo
                     or "\t" in memo):
            # hledger and ledger read tags and dates here: the comment is kept as written
            if t.pcomments is None:
                t.pcomments = [None] * i
            t.pcomments.append([memo])
        elif t.pcomments is not None:
            t.pcomments.append(None)
        t.memos.append(memo if memo.isascii() else memo.translate(_MEMO_BACK))
        if status is not None:
            if t.pstatus is None:
                t.pstatus = [None] * i
            t.pstatus.append(status)
        elif t.pstatus is not None:
            t.pstatus.append(None)
        if assertion is not None:
            if t.assertions is None:
                t.assertions = []
            t.assertions.append((i, assertion[0], assertion[1], n, self.label))
        if value is None:
            if t.missing is None:
                t.missing = [n]
            else:
                t.missing.append(n)

    def revalued(self, n: int, account: str, memo: str) -> tuple[tuple[str, int, int] | None,
                                                                  str]:
        """A book-currency posting to an account kept in another currency, tagged
        `revalued: USD @2.800000` (a revaluation's, as the export writes it): its foreign
        amount (0 at that rate) and the memo without the tag. Otherwise (None, memo)."""
        m = _REVALUED_TAG.search(memo)
        kept = self.kept.get(account)
        if m is None or kept is None:
            return None, memo
        if m.group(1) != kept:
            raise self.fail(n, _("'{account}' is kept in {kept}: a revaluation in {code} "
                                 "is refused").format(account=account, kept=kept,
                                                      code=m.group(1)))
        rate = Decimal(m.group(2))
        if rate <= 0:
            raise self.fail(n, _("a rate must be more than 0"))
        return (kept, 0, int(rate * 1000000)), memo[:m.start()].rstrip(" ,")

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

    def usual_posting(self, n: int, body: str) -> tuple[
            str | None, int | None, str, str | None, tuple[int, bool] | None]:
        """A posting read by _PLAIN_POSTING, or else the general way (errors included):
        (account or None for one left out, amount, memo, status mark, assertion)."""
        value: int | None
        m = None if self.comma else _PLAIN_POSTING.fullmatch(body)
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
                return self.general_posting(n, body)
            return account, value, memo.rstrip() if memo else "", None, None
        return self.general_posting(n, body)

    def general_posting(self, n: int, body: str) -> tuple[
            str | None, int | None, str, str | None, tuple[int, bool] | None]:
        status = None
        if body[0] in "*!" and body[1:2] in (" ", "\t"):
            status = body[0]
            body = body[1:].lstrip()
        virtual = None
        if body[0] in "([":
            virtual = body[0]
            close = body.find(")" if virtual == "(" else "]")
            if close < 0:
                raise self.fail(n, _("the virtual posting '{open}' is not closed").format(
                    open=virtual))
            account, rest = body[1:close].strip(), body[close + 1:]
            if rest.strip() and not rest.startswith(("  ", "\t", " \t")):
                raise self.fail(n, _one_space(body))
            if virtual == "(":
                if not self.options.skip_virtual:
                    raise self.fail(n, _("unbalanced virtual posting '({account})': smallbiz "
                                         "keeps only postings that balance; import with "
                                         "--skip-virtual to leave these out").format(
                        account=account))
                self.skipped_virtual += 1
                self.count("virtual", n)
                return None, None, "", None, None
        else:
            cuts = [i for i in (body.find("  "), body.find("\t")) if i >= 0]
            cut = min(cuts) if cuts else len(body)
            account, rest = body[:cut], body[cut:]
        if ";" in account:
            raise self.fail(n, _("';' inside the account name '{account}': put two spaces "
                                 "before a comment").format(account=account))
        self.account_type(n, self.aliased(account) if self.aliases else account)
        amount_text, _semicolon, comment = rest.partition(";")
        amount_text, equals, asserted = amount_text.partition("=")
        amount_text = amount_text.strip()
        amount = self.amount(n, amount_text) if amount_text else None
        assertion = None
        if equals:
            inclusive = asserted.startswith("*") or asserted.startswith("=*")
            asserted = asserted.lstrip("=").lstrip("*").strip()
            if amount is None:
                raise self.fail(n, _("balance assignments (a posting with '=' and no amount) "
                                     "are not supported: write the amount"))
            assertion = (self.amount(n, asserted), inclusive)
        return account, amount, comment.strip(), status, assertion

    def account_type(self, n: int, account: str) -> str:
        """The account's type: declared in the file (`account NAME  ; type: A`, for it or
        a parent), given with --account-type (for it or a parent), or its root's name."""
        kind = self._roots.get(account)
        if kind is None:
            parts = account.split(":")
            given = self.options.account_types
            for k in range(len(parts), 0, -1):
                prefix = ":".join(parts[:k])
                kind = self.declared.get(prefix) or given.get(prefix)
                if kind is not None:
                    break
            else:
                kind = ROOT_TYPES.get(parts[0].strip().lower())
            if kind is None:
                raise self.fail(n, _("account '{account}': the type of '{root}' is not known "
                                     "(top-level names like {roots} are): import with "
                                     "--account-type '{root}=asset' (or liability, equity, "
                                     "income, expense), or declare it in the file: "
                                     "account {root}  ; type: A").format(
                    account=account, root=parts[0].strip(), roots=_ROOT_NAMES))
            self._roots[account] = kind
        return kind

    def account_key(self, n: int, account: str) -> int:
        """The key of an account name seen first on line `n` (its type is checked)."""
        self.account_type(n, account)
        key = self.keys[account] = len(self.keys)
        self.names.append(account)
        self.first_line[account] = n
        self._new_accounts.append(account)
        return key

    #: The foreign amount of the posting being read (`priced` sets it, `posting` takes it).
    _pending_fx: tuple[str, int, int] | None = None

    def priced(self, n: int, text: str) -> int:
        """Minor units of a priced amount, `100 USD @@ 270.00 GEL` (total) or `100 USD @
        2.70 GEL` (per unit): another currency, priced in the book's. The posting holds
        the book amount (the total, or amount × unit price, half-up) and keeps the foreign
        amount and the rate when amount × rate gives the book amount by the rule
        (`books.fx.to_book`; a total's rate is total / amount to six decimals)."""
        total = "@@" in text
        left, _at, right = text.partition("@@" if total else "@")
        left, right = left.strip(), right.strip()
        m = _AMOUNT.fullmatch(left)
        if m is None or not right:
            raise self.fail(n, _("'{text}' is not a priced amount (write e.g. 100.00 USD @@ "
                                 "270.00 {currency})").format(text=text,
                                                              currency=self.currency))
        sign1, before, sign2, number, after = m.groups()
        symbol = (before or after or "").strip('"')
        code = CURRENCY_SYMBOLS.get(symbol, symbol).upper()
        if not symbol or code not in CURRENCIES or code == self.currency or (before and after):
            raise self.fail(n, _("'{text}': the priced amount is not in another currency's "
                                 "ISO code (e.g. 100.00 USD @@ 270.00 {currency})").format(
                text=text, currency=self.currency))
        if sign1 and sign2:
            raise self.fail(n, _("'{text}' has two signs").format(text=text))
        negative = "-" in (sign1, sign2)
        foreign = self.minor(n, number, negative=negative)
        if total:
            price = self.amount(n, right)
            if price < 0:
                raise self.fail(n, _("'{text}': a total price (@@) is written without a "
                                     "sign").format(text=text))
            book = -price if negative else price
            rate = (Decimal(price) / abs(foreign)).quantize(Decimal("0.000001"),
                                                             rounding=ROUND_HALF_UP
                                                             ) if foreign else Decimal(0)
        else:
            pm = _AMOUNT.fullmatch(right)
            if pm is None:
                raise self.fail(n, _("'{text}' is not a priced amount").format(text=text))
            p1, pb, p2, pnumber, pa = pm.groups()
            psymbol = (pb or pa or "").strip('"')
            if psymbol not in self.symbols or p1 or p2:
                raise self.fail(n, _("'{text}': the price must be in the book's currency "
                                     "{currency}").format(text=text, currency=self.currency))
            try:
                rate = Decimal(pnumber.replace(",", ""))
            except ArithmeticError:
                raise self.fail(n, _("'{text}' is not a priced amount").format(
                    text=text)) from None
            if rate != rate.quantize(Decimal("0.000001")):
                raise self.fail(n, _("'{text}': a unit price has at most 6 decimals").format(
                    text=text))
            book = int((Decimal(foreign) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if rate > 0 and int((Decimal(foreign) * rate).quantize(
                Decimal(1), rounding=ROUND_HALF_UP)) == book:
            self._pending_fx = (code, foreign, int(rate * 1000000))
        else:
            self.count("unpriced", n)
        if abs(book) >= self.scale * 10 ** MAX_WHOLE_DIGITS:
            raise self.fail(n, _("'{text}' is too large").format(text=text))
        return book

    def amount(self, n: int, text: str) -> int:
        """Minor units of `5000.00 GEL`, `GEL -5,000.00`, `$-5000`, `-5000` (the book's
        currency only, by its code or a symbol that stands for it); a priced amount of
        another currency (`priced`)."""
        if "@" in text:
            return self.priced(n, text)
        if "{" in text:
            raise self.fail(n, _("lot costs ({{...}}) are not supported (they need several "
                                 "currencies)"))
        m = _AMOUNT.fullmatch(text)
        if m is None:
            raise self.fail(n, _("'{text}' is not an amount (write e.g. 5000.00 {currency})")
                            .format(text=text, currency=self.currency))
        sign1, before, sign2, number, after = m.groups()
        if before and after:
            raise self.fail(n, _("'{text}' has two commodities").format(text=text))
        symbol = (before or after or "").strip('"')
        if symbol and symbol not in self.symbols:
            raise self.fail(n, _("commodity '{symbol}' is not the book's currency {currency} "
                                 "(a book has one commodity; --commodity '{symbol}={currency}' "
                                 "reads it as {currency})").format(
                symbol=symbol, currency=self.currency))
        if sign1 and sign2:
            raise self.fail(n, _("'{text}' has two signs").format(text=text))
        return self.minor(n, number, negative="-" in (sign1, sign2))

    def minor(self, n: int, number: str, *, negative: bool) -> int:
        if self.comma:  # decimal-mark ,: 1.234,50 is read as 1,234.50
            number = number.replace(".", "\0").replace(",", ".").replace("\0", ",")
        elif _AMBIGUOUS.fullmatch(number):
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
        """Refuses fewer than two postings, two omitted amounts, an unbalanced transaction;
        fills in the omitted amount. (All-zero transactions are valid, as in hledger.)"""
        amounts = t.amounts
        if len(amounts) < 2:
            raise self.fail(t.line, _("a transaction needs at least two postings (found {k})")
                            .format(k=len(amounts)), RuleViolation)
        if t.missing is not None:
            if len(t.missing) > 1:
                self.one_space(t)
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
        return t

    def one_space(self, t: Transaction) -> None:
        """Two postings without an amount, one of them `account 10.00`: say what is wrong."""
        lines = iter(t.missing or ())
        for i, value in enumerate(t.amounts):
            if value is not None:
                continue
            line = next(lines, t.line)
            name = self.names[t.accounts[i]]
            words = name.split(" ")
            for k in (1, 2):
                tail = " ".join(words[-k:])
                if len(words) > k and any(c.isdigit() for c in tail) and _AMOUNT.fullmatch(tail):
                    raise self.fail(line, _one_space(name), RuleViolation)


def _one_space(text: str) -> str:
    return _("'{text}': put two spaces (or a tab) between the account and the amount (with "
             "one space, hledger and ledger read it all as the account name)").format(text=text)


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

    - `entries`: (index, date, year, ordinal, description, status, code, comment, date2)
      per transaction: its index in the file (from 0), its date as stored (`YYYY-MM-DD`),
      its ordinal among the file's transactions of that year (from 1; the importer adds the
      year's last number), then what the file carries besides (None where nothing);
    - `postings`: (entry index, account key, date, amount in minor units, memo, None: no
      contact, status, comment), as `books.posting.EntryWriter` writes them with `accounts`;
    - `totals`: (account key, period `YYYY-MM`, amount): the batch's postings summed;
    - `years`: (year, how many of the batch's transactions fall in it);
    - `new_accounts`: (name, first line, type, the currency it is kept in or None) of the
      accounts first used here, in key order;
    - `bytes_read`: how much of the file was read so far (progress);
    - `marked`: whether any posting has a status mark or a comment of its own (when none
      has, the importer writes the postings without those columns: faster);
    - `foreign`: whether any posting is priced in another currency: then every posting
      has (currency, foreign minor units, rate in millionths) or Nones after its comment.
    """
    entries: list[tuple[Any, ...]]
    postings: list[tuple[Any, ...]]
    totals: list[tuple[int, str, int]]
    years: list[tuple[int, int]]
    new_accounts: list[tuple[str, int, str, str | None]]
    bytes_read: int
    marked: bool = False
    foreign: bool = False


class _Rows:
    """Turns validated transactions into a batch's rows (see Batch), checking the balance
    assertions on the way (in file order, which is hledger's date order in a file whose
    dates do not go back)."""

    def __init__(self) -> None:
        self.index = 0  # transactions before this batch
        self.ordinals: dict[int, int] = {}  # year -> transactions of that year so far
        self.days: dict[dt.date, tuple[str, int, str]] = {}  # date -> (stored, year, period)
        self.carried: dict[int, int] = {}  # account key -> balance before this batch
        self.latest: dt.date | None = None
        self.unordered: int | None = None  # the first line whose date goes back

    def batch(self, parser: JournalParser, transactions: list[Transaction]) -> Batch:
        entries = []
        postings: list[tuple[Any, ...]] = []
        totals: dict[str, dict[int, int]] = {}  # period -> account key -> amount
        years: dict[int, int] = {}
        index, ordinals, days = self.index, self.ordinals, self.days
        running: dict[int, int] | None = None  # balances, once an assertion needs them
        nones = repeat(None)
        marked = False
        foreign = any(t.fx is not None for t in transactions)
        for pos, t in enumerate(transactions):
            day = days.get(t.date)
            if day is None:
                stored = t.date.isoformat()
                day = days[t.date] = (stored, t.date.year, stored[:7])
                if self.latest is not None and t.date < self.latest and self.unordered is None:
                    self.unordered = t.line
                if self.latest is None or t.date > self.latest:
                    self.latest = t.date
            elif t.date < self.latest and self.unordered is None:  # type: ignore[operator]
                self.unordered = t.line
            stored, year, period = day
            ordinal = ordinals[year] = ordinals.get(year, 0) + 1
            years[year] = years.get(year, 0) + 1
            comment = t.comment
            entries.append((index, stored, year, ordinal, t.description, t.status, t.code,
                            "\n".join(comment) if comment is not None else None, t.date2))
            if foreign:
                marked = True
                postings.extend(
                    (*row, *(fx or (None, None, None))) for row, fx in zip(zip(
                        repeat(index), t.accounts, repeat(stored), t.amounts, t.memos, nones,
                        t.pstatus or repeat(None),
                        ["\n".join(c) if c is not None else None for c in t.pcomments]
                        if t.pcomments is not None else nones), t.fx or nones, strict=False))
            elif t.pstatus is None and t.pcomments is None:
                postings.extend(zip(repeat(index), t.accounts, repeat(stored), t.amounts,
                                    t.memos, nones, nones, nones))
            else:
                marked = True
                postings.extend(zip(
                    repeat(index), t.accounts, repeat(stored), t.amounts, t.memos, nones,
                    t.pstatus or repeat(None),
                    ["\n".join(c) if c is not None else None for c in t.pcomments]
                    if t.pcomments is not None else nones))
            month = totals.get(period)
            if month is None:
                month = totals[period] = {}
            for key, amount in zip(t.accounts, t.amounts, strict=True):
                month[key] = month.get(key, 0) + amount  # type: ignore[operator]
            if t.assertions is not None and running is None:
                running = dict(self.carried)
                for earlier in transactions[:pos]:
                    for key, amount in zip(earlier.accounts, earlier.amounts, strict=True):
                        running[key] = running.get(key, 0) + amount  # type: ignore[operator]
            if running is not None:
                self.asserted(parser, t, running)
            index += 1
        self.index = index
        carried = self.carried
        for month in totals.values():
            for key, amount in month.items():
                carried[key] = carried.get(key, 0) + amount
        names = parser.take_new_accounts()
        roots = parser._roots
        return Batch(entries, postings,
                     [(key, period, amount) for period, month in totals.items()
                      for key, amount in month.items()],
                     sorted(years.items()),
                     [(n, parser.first_line[n], roots[n], parser.kept.get(n)) for n in names],
                     parser.bytes_read, marked, foreign)

    def asserted(self, parser: JournalParser, t: Transaction, running: dict[int, int]) -> None:
        """Adds `t` to the running balances, checking its assertions as hledger does (each
        after its posting)."""
        checks = {i: (expected, inclusive, line, label)
                  for i, expected, inclusive, line, label in (t.assertions or ())}
        for i, (key, amount) in enumerate(zip(t.accounts, t.amounts, strict=True)):
            running[key] = running.get(key, 0) + amount  # type: ignore[operator]
            check = checks.get(i)
            if check is None:
                continue
            expected, inclusive, line, label = check
            name = parser.names[key]
            if self.unordered is not None:
                raise UserError(_("{file}: line {n}: balance assertions are checked in date "
                                  "order, and the dates go back at line {m}: sort the file "
                                  "first (hledger print > sorted.journal)").format(
                    file=label, n=line, m=self.unordered), field="file")
            if inclusive:
                prefix = name + ":"
                balance = sum(running.get(k, 0) for n, k in parser.keys.items()
                              if n == name or n.startswith(prefix))
            else:
                balance = running[key]
            if balance != expected:
                raise RuleViolation(_("{file}: line {n}: balance assertion failed: {account} "
                                      "is {balance} {currency} here, the file says {expected}")
                                    .format(file=label, n=line, account=name,
                                            balance=minor_text(balance, parser.digits),
                                            currency=parser.currency,
                                            expected=minor_text(expected, parser.digits)),
                                    field="file")
            parser.count("assertion", line)


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
    parser.finished_notes = parser.notes()


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
            fork: bool | None = None,
            options: JournalOptions | None = None) -> Iterator[ParsedJournal]:
    """Read `path` in batches; with `fork` (default: where `can_fork()`), in a reader process.

    A file that cannot be opened is refused here, before any work. Errors of the file
    (`line N: ...`) are raised by the batches' iterator when it reaches them, as the same
    UserError as without a reader process. Leaving the block early stops the reader.
    """
    fh = _open(path)
    parser = JournalParser(str(path), currency=currency, digits=digits, lock_date=lock_date,
                           options=options)
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
        home = JournalParser(str(path), currency=currency, digits=digits, lock_date=lock_date,
                             options=options)
        yield ParsedJournal(home, _received_batches(pipe, home), True)
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
                      b.bytes_read, b.marked, b.foreign))
            send(("end", parser.finished_notes, parser.skipped_virtual))
        except UserError as exc:
            send(("error", type(exc).__name__, exc.message, exc.field))
        except Exception:
            send(("crash", traceback.format_exc()))
        out.flush()
    except BaseException:  # noqa: S110  (the parent gone: nobody to tell)
        pass
    finally:
        os._exit(0)


def _received_batches(pipe: Any, home: JournalParser) -> Iterator[Batch]:
    label = home.label
    while True:
        head = pipe.read(_LENGTH.size)
        data = pipe.read(_LENGTH.unpack(head)[0]) if len(head) == _LENGTH.size else b""
        if not data:
            raise UserError(_("{file}: the journal reader stopped unexpectedly; nothing was "
                              "imported").format(file=label), field="file")
        message = marshal.loads(data)
        kind = message[0]
        if kind == "end":
            home.finished_notes, home.skipped_virtual = message[1], message[2]
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
