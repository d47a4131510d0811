"""Import a plain-text journal (the syntax read is in `smallbiz.io.journal_parse`).

The reader hands over batches of validated transactions as rows ready to insert (see
`journal_parse.Batch`): accounts by their key in the file, entries by their index in the
file, numbers by their ordinal in their year. This writes them, all in the caller's one
transaction: an error anywhere leaves the book as it was.

- Each account name is found by code or name, or created, when it is first used.
- The entries are written by `smallbiz.books.posting.EntryWriter`, as every posted entry
  is: ids after the book's last one in file order, each number the next of its year
  (JE-YEAR-NNNN, reserved batch by batch), the per-account monthly totals (summed by the
  reader) added once at the end, then the seal.

Called with a path alone, the file is parsed in this process.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smallbiz import audit, settings
from smallbiz.books.accounts import MAX_NAME, add_account
from smallbiz.books.posting import EntryWriter
from smallbiz.books.types import COLON_STAND_IN
from smallbiz.errors import RuleViolation, UserError
from smallbiz.i18n import _
from smallbiz.io.journal_parse import (
    BATCH_SIZE,
    JournalOptions,
    JournalParser,
    ParsedJournal,
    parsing,
)
from smallbiz.sql import Tx, no_cycle_collection

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
    notes: list[str] = field(default_factory=list)  # directives read or skipped, ...
    skipped_virtual: int = 0  # unbalanced virtual postings left out (--skip-virtual)


class _Accounts:
    """Finds or creates the account for each journal account name; `ids[key]` is the id of
    the file's account with that key.

    A name is found by the full name an earlier import gave it (`account.journal_name`),
    by `TYPE:CODE NAME` (the code's account, when its name agrees), or by name within its
    type (an account no journal named yet takes this file's name). Otherwise it is
    created, with the full name kept and its parent (`a:b:c` under `a:b`, created too if
    need be): distinct names stay distinct accounts."""

    def __init__(self, s: Tx, parser: JournalParser) -> None:
        self.s = s
        self.parser = parser
        self.ids: list[int] = []
        self.by_code: dict[str, tuple[int, str, bool, str]] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str, bool]]] = defaultdict(list)
        self.by_journal: dict[str, tuple[int, str, bool, str]] = {}
        self.named: set[int] = set()  # accounts that have a journal name
        for acc_id, code, name, kind, archived, journal_name in s.execute(
                "SELECT id, code, name, type, archived, journal_name FROM account"):
            self._remember(acc_id, code, name, kind, bool(archived), journal_name)
        self.created: list[str] = []
        self.currency: str | None = None  # of the account being resolved, as declared
        #: The accounts kept in another currency: id -> currency.
        self.kept: dict[int, str] = {int(i): str(c) for i, c in s.all(
            "SELECT id, currency FROM account WHERE currency IS NOT NULL")}
        self._next_generated: dict[str, int] = defaultdict(lambda: 1)

    def _remember(self, acc_id: int, code: str, name: str, kind: str, archived: bool,
                  journal_name: str | None) -> None:
        self.by_code[code] = (acc_id, kind, archived, name)
        self.by_name[(kind, name.casefold())].append((acc_id, code, archived))
        if journal_name is not None:
            self.by_journal[journal_name] = (acc_id, kind, archived, code)
            self.named.add(acc_id)

    def add(self, line: int, account: str, kind: str, currency: str | None = None) -> None:
        """Resolve the next key's account name, first used on `line`, of type `kind`,
        declared in the file as kept in `currency` (None: the book's)."""
        self.currency = currency
        acc_id = self._resolve(line, account, kind)
        kept = self.kept.get(acc_id)  # undeclared: the writer checks each posting to it
        if currency is not None and kept != currency:
            book = settings.load(self.s).currency
            raise self.parser.fail(line, _("account '{account}' is kept in {file} in the "
                                           "file, in {book} in the book").format(
                account=account, file=currency or book, book=kept or book), RuleViolation)
        self.ids.append(acc_id)

    def _resolve(self, line: int, account: str, kind: str) -> int:
        hit = self.by_journal.get(account)
        if hit is not None:
            acc_id, existing_kind, archived, code = hit
            self._check(line, account, kind, code, existing_kind, archived)
            return acc_id
        root, _colon, rest = account.partition(":")
        rest = rest.strip()
        if rest and ":" not in rest:  # TYPE:CODE NAME is one level below the type
            code, _space, name = rest.partition(" ")
            name = _unescape(name.strip())
            known = self.by_code.get(code)
            if known is not None and (code.isdigit() or not name
                                      or known[3].casefold() == name.casefold()):
                # a chart's number is the account; `401k savings` and `401k loan` are two
                acc_id, existing_kind, archived, _name = known
                self._check(line, account, kind, code, existing_kind, archived)
                return acc_id
            if known is None and (any(c.isdigit() for c in code) and "=" not in code
                                  and len(code) <= 32):
                return self._create(line, code, name or code, kind, account)
        return self._by_name(line, account, kind, _unescape(rest) or root.strip())

    def _check(self, line: int, account: str, kind: str, code: str, existing_kind: str,
               archived: bool) -> None:
        if existing_kind != kind:
            raise self.parser.fail(line, _("account {code} is an {existing} account, but "
                                           "'{account}' makes it {kind}").format(
                code=code, existing=existing_kind, account=account, kind=kind), RuleViolation)
        if archived:
            raise self.parser.fail(line, _("account {code} is archived").format(code=code),
                                   RuleViolation)

    def _by_name(self, line: int, account: str, kind: str, name: str) -> int:
        matches = [m for m in self.by_name.get((kind, name.casefold()), [])
                   if m[0] not in self.named]
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
            self.s.execute("UPDATE account SET journal_name = :j WHERE id = :id",
                           {"j": account, "id": acc_id})
            self.by_journal[account] = (acc_id, kind, False, code)
            self.named.add(acc_id)
            return acc_id
        prefix = _GENERATED_PREFIX[kind]
        k = self._next_generated[kind]
        while f"{prefix}{k:04d}" in self.by_code:
            k += 1
        self._next_generated[kind] = k + 1
        return self._create(line, f"{prefix}{k:04d}", name, kind, account)

    def _parent(self, line: int, account: str, kind: str) -> str | None:
        """The code of the account above `account` (`a:b` for `a:b:c`), found or created;
        None at the top or when the one above is of another type."""
        parent, colon, _last = account.rpartition(":")
        if not colon or ":" not in parent:
            return None  # a root is the account type, not an account
        hit = self.by_journal.get(parent)
        if hit is None:
            currency, self.currency = self.currency, None  # the one below is kept in it
            self._resolve(line, parent, kind)
            self.currency = currency
            hit = self.by_journal.get(parent)
        if hit is None or hit[1] != kind:
            return None
        return hit[3]

    def _create(self, line: int, code: str, name: str, kind: str, account: str) -> int:
        if len(name) > MAX_NAME:
            raise self.parser.fail(line, _("account name '{name}…' is longer than {n} "
                                           "characters").format(name=name[:40], n=MAX_NAME))
        parent = self._parent(line, account, kind)
        try:
            info = add_account(self.s, code, name, kind, parent=parent,
                               currency=self.currency)
        except UserError as exc:
            raise self.parser.fail(line, exc.message) from None
        self.s.execute("UPDATE account SET journal_name = :j WHERE id = :id",
                       {"j": account, "id": info.id})
        self._remember(info.id, info.code, info.name, info.type, False, account)
        if self.currency is not None:
            self.kept[info.id] = self.currency
        self.created.append(info.code)
        return info.id


def _unescape(name: str) -> str:
    """The export writes ':' in names as a look-alike (a real ':' makes a sub-account)."""
    return name.replace(COLON_STAND_IN, ":")


def import_journal(s: Tx, path: str | os.PathLike[str], *, batch_size: int = BATCH_SIZE,
                   advance: Callable[[int], Any] | None = None,
                   source: ParsedJournal | None = None,
                   options: JournalOptions | None = None) -> JournalImport:
    """Post every transaction of a journal file as an entry (source `import`).

    `s`: the transaction to write in (`Database.transaction()`). Validates
    each batch of transactions (syntax, balance, lock date, accounts) before writing it;
    accounts the file names are found by code or name, or created. Each entry gets the next
    JE number of its year, in file order. Writes one audit row for the import (plus one per
    created account). `advance(n)` reports bytes read (progress).
    `source`: the file already being read (`journal_parse.parsing`, started before this
    transaction with the book's settings as they were then); without it, `path` is read
    here.
    """
    book = settings.load(s)
    digits = s.money_digits
    if source is None:
        with parsing(path, currency=book.currency, digits=digits, lock_date=book.lock_date,
                     batch_size=batch_size, fork=False, options=options) as parsed:
            return _import(s, parsed, advance)
    p = source.parser
    if (p.currency, p.digits, p.lock_date) != (book.currency, digits, book.lock_date):
        raise RuleViolation(_("{file}: the lock date changed while the journal was read; "
                              "nothing was imported: run the import again").format(file=p.label),
                            field="file")
    return _import(s, source, advance)


def _import(s: Tx, source: ParsedJournal, advance: Callable[[int], Any] | None
            ) -> JournalImport:
    label = source.parser.label
    accounts = _Accounts(s, source.parser)
    writer = EntryWriter(s, source="import")
    first_number = last_number = None
    done = 0
    with no_cycle_collection(), s.bulk():
        for batch in source.batches:
            for name, line, kind, currency in batch.new_accounts:
                accounts.add(line, name, kind, currency)
                if currency is not None:  # the writer refuses what is not in it
                    writer.kept[accounts.ids[-1]] = currency
            written = writer.write(
                [(index, day, memo, status, code, comment, date2) for
                 index, day, _year, _ordinal, memo, status, code, comment, date2
                 in batch.entries],
                batch.postings, totals=batch.totals, accounts=accounts.ids, carried=True,
                marked=batch.marked, foreign=batch.foreign)
            if written.numbers:
                first_number = first_number or written.numbers[0]
                last_number = written.numbers[-1]
            if advance is not None:
                advance(batch.bytes_read - done)
                done = batch.bytes_read
        writer.close()
    entries, postings = writer.entries, writer.postings
    if entries:
        audit.record(s, "import", "journal_entry", f"{first_number}..{last_number}",
                     _("{n} entries ({p} postings) imported from {file}; {k} accounts created")
                     .format(n=entries, p=postings, file=label, k=len(accounts.created))[:500])
    parser = source.parser
    return JournalImport(label, entries, postings, first_number, last_number, accounts.created,
                         parser.finished_notes or [], parser.skipped_virtual)
