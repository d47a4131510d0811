"""Import a plain-text journal (the syntax read is in `smallbiz.io.journal_parse`).

Each batch of validated transactions is written with bulk inserts (entries, then
postings; the per-account monthly totals once at the end), all inside the caller's one
transaction: an error anywhere leaves the book as it was. On SQLite the rows go to the
driver as tuples (executemany on the session's own connection): SQLAlchemy's per-row
parameter processing would cost more than the parsing. The CLI has the file parsed in a
reader process meanwhile (`journal_parse.parsing`); called with a path alone, this parses
it in this process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from sqlalchemy import Date, DateTime, column, insert, table, text

from smallbiz import audit, settings
from smallbiz.books.accounts import add_account
from smallbiz.books.journal import add_to_period_totals
from smallbiz.dates import now
from smallbiz.db_util import money_digits
from smallbiz.errors import RuleViolation, UserError
from smallbiz.i18n import _
from smallbiz.io.journal_export import COLON_STAND_IN
from smallbiz.io.journal_parse import (
    BATCH_SIZE,
    JournalParser,
    ParsedJournal,
    Transaction,
    parsing,
)
from smallbiz.numbering import format_number, reserve_block

#: Page cache of the import's connection while it runs (KiB, SQLite's negative form).
IMPORT_CACHE_KIB = 64 * 1024
#: Account-code prefix of generated codes, per type (the default chart uses 4 digits).
_GENERATED_PREFIX = {"asset": "1", "liability": "2", "equity": "3", "income": "4",
                     "expense": "5"}

#: Untyped column lists for the bulk inserts (other databases than SQLite).
_ENTRY = table("journal_entry", *(column(c) for c in (
    "id", "number", "year", "seq", "date", "memo", "source", "created_at")))
_POSTING = table("posting", *(column(c) for c in (
    "entry_id", "account_id", "date", "amount", "memo")))


@dataclass(frozen=True)
class JournalImport:
    file: str
    entries: int
    postings: int
    first: str | None  # first and last entry numbers given, in file order
    last: str | None
    accounts_created: list[str]  # their codes


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


def import_journal(s: Any, path: str | os.PathLike[str], *, batch_size: int = BATCH_SIZE,
                   advance: Callable[[int], Any] | None = None,
                   source: ParsedJournal | None = None) -> JournalImport:
    """Post every transaction of a journal file as an entry (source `import`).

    Validates each batch of transactions (syntax, balance, lock date, accounts) before
    writing it; accounts the file names are found by code or name, or created. Each entry
    gets the next JE number of its year, in file order. Writes one audit row for the import
    (plus one per created account). `advance(n)` reports bytes read (progress).
    `source`: the file already being read (`journal_parse.parsing`, started before this
    transaction with the book's settings as they were then); without it, `path` is read
    here.
    """
    book = settings.load(s)
    digits = money_digits(s)
    if source is None:
        with parsing(path, currency=book.currency, digits=digits, lock_date=book.lock_date,
                     batch_size=batch_size, fork=False) as parsed:
            return _import(s, parsed, advance)
    p = source.parser
    if (p.currency, p.digits, p.lock_date) != (book.currency, digits, book.lock_date):
        raise RuleViolation(_("{file}: the lock date changed while the journal was read; "
                              "nothing was imported: run the import again").format(file=p.label),
                            field="file")
    return _import(s, source, advance)


def _import(s: Any, source: ParsedJournal, advance: Callable[[int], Any] | None
            ) -> JournalImport:
    label = source.parser.label
    accounts = _Accounts(s, source.parser)
    numbers: list[str] = []  # first and last entry number
    counts = Counter[str]()
    with _Writer(s, accounts.cache) as writer, _no_cycle_collection():
        for batch in source.batches:
            for name, line in batch.new_accounts:
                accounts.id(line, name)
            first, last = writer.write(batch.transactions)
            numbers[:] = [numbers[0] if numbers else first, last]
            counts["entries"] += len(batch.transactions)
            counts["postings"] += sum(len(t.amounts) for t in batch.transactions)
            if advance is not None:
                advance(batch.bytes_read - counts["bytes"])
                counts["bytes"] = batch.bytes_read
        writer.add_period_totals()
    first, last = numbers if numbers else (None, None)
    if counts["entries"]:
        audit.record(s, "import", "journal_entry", f"{first}..{last}",
                     _("{n} entries ({p} postings) imported from {file}; {k} accounts created")
                     .format(n=counts["entries"], p=counts["postings"], file=label,
                             k=len(accounts.created))[:500])
    return JournalImport(label, counts["entries"], counts["postings"], first, last,
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

    def write(self, batch: list[Transaction]) -> tuple[str, str]:
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
