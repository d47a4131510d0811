"""Import a plain-text journal (the syntax read is in `smallbiz.io.journal_parse`).

The reader hands over batches of validated transactions as rows ready to insert (see
`journal_parse.Batch`): accounts by their key in the file, entries by their index in the
file, numbers by their ordinal in their year. This writes them, all in the caller's one
transaction: an error anywhere leaves the book as it was.

- Each account name is found by code or name, or created, when it is first used.
- Entry ids follow the book's last one in file order; each entry's number is the next of
  its year (JE-YEAR-NNNN), reserved batch by batch.
- On SQLite the rows go to the driver's `executemany` as they came, and SQL turns keys,
  indexes and ordinals into ids and numbers (through two small temporary tables): no Python
  runs per row in this process, while the reader process parses the next batch. Elsewhere
  each row is mapped here and written through SQLAlchemy.
- The per-account monthly totals, summed by the reader, are written once at the end.

Plain SQL throughout (`run_sql`): the CLI imports on `Database.writer()`, without the ORM;
an ORM session works as well. Called with a path alone, the file is parsed in this process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from smallbiz import audit, settings
from smallbiz.books.accounts import MAX_NAME, add_account
from smallbiz.books.seal import seal_new_entries
from smallbiz.books.totals import add_to_period_totals
from smallbiz.books.types import COLON_STAND_IN
from smallbiz.dates import now
from smallbiz.db import run_sql, run_sql_many, sqlite_driver, sync_sequences
from smallbiz.db_util import money_digits
from smallbiz.errors import RuleViolation, UserError
from smallbiz.i18n import _
from smallbiz.io.journal_parse import BATCH_SIZE, Batch, JournalParser, ParsedJournal, parsing
from smallbiz.numbering import NUMBER_FORMAT, format_number, reserve_block

#: Page cache of the import's connection while it runs (KiB, SQLite's negative form).
IMPORT_CACHE_KIB = 64 * 1024
#: Account-code prefix of generated codes, per type (the default chart uses 4 digits).
_GENERATED_PREFIX = {"asset": "1", "liability": "2", "equity": "3", "income": "4",
                     "expense": "5"}


@dataclass(frozen=True)
class JournalImport:
    file: str
    entries: int
    postings: int
    first: str | None  # first and last entry numbers given, in file order
    last: str | None
    accounts_created: list[str]  # their codes


class _Accounts:
    """Finds or creates the account for each journal account name; `ids[key]` is the id of
    the file's account with that key."""

    def __init__(self, s: Any, parser: JournalParser) -> None:
        self.s = s
        self.parser = parser
        self.ids: list[int] = []
        self.by_code: dict[str, tuple[int, str, bool]] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str, bool]]] = defaultdict(list)
        for acc_id, code, name, kind, archived in run_sql(
                s, "SELECT id, code, name, type, archived FROM account"):
            self._remember(acc_id, code, name, kind, bool(archived))
        self.created: list[str] = []
        self._next_generated: dict[str, int] = defaultdict(lambda: 1)

    def _remember(self, acc_id: int, code: str, name: str, kind: str, archived: bool) -> None:
        self.by_code[code] = (acc_id, kind, archived)
        self.by_name[(kind, name.casefold())].append((acc_id, code, archived))

    def add(self, line: int, account: str) -> None:
        """Resolve the next key's account name, first used on `line`."""
        self.ids.append(self._resolve(line, account))

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
        if len(name) > MAX_NAME:
            raise self.parser.fail(line, _("account name '{name}…' is longer than {n} "
                                           "characters").format(name=name[:40], n=MAX_NAME))
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

    `s`: the transaction to write in (`Database.writer()`, or an ORM session). Validates
    each batch of transactions (syntax, balance, lock date, accounts) before writing it;
    accounts the file names are found by code or name, or created. Each entry gets the next
    JE number of its year, in file order. Writes one audit row for the import (plus one per
    created account). `advance(n)` reports bytes read (progress).
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
    first_id = run_sql(s, "SELECT COALESCE(MAX(id), 0) + 1 FROM journal_entry").fetchone()[0]
    raw = sqlite_driver(s)
    rows = (_SqliteRows(raw, first_id) if raw is not None else _CoreRows(s, first_id))
    last: dict[int, int] = {}  # year -> its last entry number before the import
    totals: defaultdict[tuple[int, str], int] = defaultdict(int)  # (key, period) -> amount
    ends: list[tuple[int, int]] = []  # (year, ordinal) of the first and last entry
    entries = postings = done = 0
    with rows, _no_cycle_collection():
        for batch in source.batches:
            if batch.new_accounts:
                known = len(accounts.ids)
                for name, line in batch.new_accounts:
                    accounts.add(line, name)
                rows.add_accounts(list(enumerate(accounts.ids[known:], known)))
            for year, count in batch.years:
                # Consecutive blocks: nothing else numbers entries in this transaction.
                first = reserve_block(s, "JE", year, count)
                if year not in last:
                    last[year] = first - 1
                    rows.add_year(year, first - 1)
            rows.write(batch)
            for key, period, amount in batch.totals:
                totals[key, period] += amount
            ends[:] = [ends[0] if ends else batch.entries[0][2:4], batch.entries[-1][2:4]]
            entries += len(batch.entries)
            postings += len(batch.postings)
            if advance is not None:
                advance(batch.bytes_read - done)
                done = batch.bytes_read
        add_to_period_totals(s, [(accounts.ids[key], period, amount)
                                 for (key, period), amount in totals.items()])
        sync_sequences(s, "journal_entry")  # the entries were written with their ids
        seal_new_entries(s)
    first_number, last_number = (format_number("JE", year, last[year] + ordinal)
                                 for year, ordinal in ends) if ends else (None, None)
    if entries:
        audit.record(s, "import", "journal_entry", f"{first_number}..{last_number}",
                     _("{n} entries ({p} postings) imported from {file}; {k} accounts created")
                     .format(n=entries, p=postings, file=label, k=len(accounts.created))[:500])
    return JournalImport(label, entries, postings, first_number, last_number, accounts.created)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: a batch is some twenty thousand young tuples,
    whose allocation would start a collection every few hundred rows. The import makes no
    cycles of its own; refcounting frees its rows as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _SqliteRows:
    """Writes batches on SQLite: the rows as they came, mapped to ids and numbers in SQL."""

    def __init__(self, raw: sqlite3.Connection, first_id: int) -> None:
        self.raw = raw
        created_at = now().strftime("%Y-%m-%d %H:%M:%S.%f")  # as the ORM stores it
        seq = "?4 + (SELECT last FROM temp.import_year WHERE year = ?3)"
        # Literals from here only (an int, a timestamp, a constant): the rows are parameters.
        self.entry_sql = (
            "INSERT INTO journal_entry (id, number, year, seq, date, memo, source, created_at) "
            f"VALUES (?1 + {int(first_id)}, printf('{NUMBER_FORMAT}', 'JE', ?3, {seq}), ?3, "
            f"{seq}, ?2, ?5, 'import', '{created_at}')")
        self.posting_sql = (
            "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
            f"VALUES (?1 + {int(first_id)}, (SELECT id FROM temp.import_account WHERE key = ?2), "
            "?3, ?4, ?5)")
        self._cache_size: int | None = None

    def __enter__(self) -> _SqliteRows:
        self._cache_size = self.raw.execute("PRAGMA cache_size").fetchone()[0]
        self.raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")  # the indexes grow
        for ddl in ("DROP TABLE IF EXISTS temp.import_account",
                    "DROP TABLE IF EXISTS temp.import_year",
                    "CREATE TEMP TABLE import_account (key INTEGER PRIMARY KEY, "
                    "id INTEGER NOT NULL)",
                    "CREATE TEMP TABLE import_year (year INTEGER PRIMARY KEY, "
                    "last INTEGER NOT NULL)"):
            self.raw.execute(ddl)
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # The connection may live on (a pooled session's); its transaction ends later, so
        # the tables go now. On an error the rollback undoes their creation too.
        with contextlib.suppress(sqlite3.Error):  # never hide the import's own error
            if exc_type is None:
                self.raw.execute("DROP TABLE temp.import_account")
                self.raw.execute("DROP TABLE temp.import_year")
            if self._cache_size is not None:
                self.raw.execute(f"PRAGMA cache_size = {int(self._cache_size)}")

    def add_accounts(self, pairs: list[tuple[int, int]]) -> None:
        self.raw.executemany("INSERT INTO temp.import_account (key, id) VALUES (?, ?)", pairs)

    def add_year(self, year: int, last: int) -> None:
        self.raw.execute("INSERT INTO temp.import_year (year, last) VALUES (?, ?)", (year, last))

    def write(self, batch: Batch) -> None:
        self.raw.executemany(self.entry_sql, batch.entries)
        self.raw.executemany(self.posting_sql, batch.postings)


class _CoreRows:
    """Writes batches on other databases: each row mapped here, bound by SQLAlchemy."""

    def __init__(self, s: Any, first_id: int) -> None:
        self.s = s
        self.first_id = first_id
        self.created_at = now()
        self.ids: dict[int, int] = {}  # account key -> id
        self.last: dict[int, int] = {}  # year -> its last entry number before the import
        self.days: dict[str, dt.date] = {}

    def __enter__(self) -> _CoreRows:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def add_accounts(self, pairs: list[tuple[int, int]]) -> None:
        self.ids.update(pairs)

    def add_year(self, year: int, last: int) -> None:
        self.last[year] = last

    def _day(self, stored: str) -> dt.date:
        day = self.days.get(stored)
        if day is None:
            day = self.days[stored] = dt.date.fromisoformat(stored)
        return day

    def write(self, batch: Batch) -> None:
        run_sql_many(self.s, "INSERT INTO journal_entry (id, number, year, seq, date, memo, "
                             "source, created_at) VALUES (:id, :number, :year, :seq, :date, "
                             ":memo, 'import', :created_at)", [
            {"id": self.first_id + index, "number": format_number("JE", year, seq),
             "year": year, "seq": seq, "date": self._day(day), "memo": memo,
             "created_at": self.created_at}
            for index, day, year, ordinal, memo in batch.entries
            for seq in (self.last[year] + ordinal,)])
        run_sql_many(self.s, "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                             "VALUES (:entry, :account, :date, :amount, :memo)", [
            {"entry": self.first_id + index, "account": self.ids[key], "date": self._day(day),
             "amount": amount, "memo": memo}
            for index, key, day, amount, memo in batch.postings])
