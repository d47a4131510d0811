"""Writing validated entries: the one place journal entries and postings are inserted.

`post_entry` (one entry a person or a document posts) and the journal import (100k
entries from a file) both write through `write_entries`: numbers from the same gapless
sequence (`numbering.reserve_block`), ids after the book's last one, the per-account
monthly totals (`totals.add_to_period_totals`), the seal. Callers validate first; this
writes, in the caller's transaction.

It is also the one place the rule of accounts kept in another currency (a foreign bank or
cash account, `account.currency`) is enforced: every posting to one carries a foreign
amount and rate in that currency, or the whole batch is refused before anything is written
(`kept_currency`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smallbiz.books.seal import seal_new_entries
from smallbiz.books.totals import add_to_period_totals
from smallbiz.dates import now
from smallbiz.errors import RuleViolation
from smallbiz.i18n import _
from smallbiz.numbering import format_number, reserve_block
from smallbiz.sql import Tx

#: (index from 0 among the writer's entries, date `YYYY-MM-DD`, memo)
NewEntry = tuple[int, str, str]
#: (entry index, account id, date `YYYY-MM-DD`, amount in minor units, memo, contact id)
NewPosting = tuple[int, int, str, int, str, "int | None"]

_ENTRY_SQL = ("INSERT INTO journal_entry (id, number, year, seq, date, memo, source, "
              "source_id, reverses_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_POSTING_SQL = ("INSERT INTO posting (entry_id, account_id, date, amount, memo, contact_id) "
                "VALUES (?, ?, ?, ?, ?, ?)")
#: The same with what an imported journal carries besides (see `write(carried=...)`).
_CARRIED_ENTRY_SQL = ("INSERT INTO journal_entry (id, number, year, seq, date, memo, source, "
                      "source_id, reverses_id, created_at, status, code, comment, date2) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
#: The same with a foreign amount: (currency, amount_fx, rate) after the contact, stored.
_FX_POSTING_SQL = ("INSERT INTO posting (entry_id, account_id, date, amount, memo, contact_id, "
                   "currency, amount_fx, rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_CARRIED_FX_POSTING_SQL = (
    "INSERT INTO posting (entry_id, account_id, date, amount, memo, contact_id, status, "
    "comment, currency, amount_fx, rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_CARRIED_POSTING_SQL = ("INSERT INTO posting (entry_id, account_id, date, amount, memo, "
                        "contact_id, status, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class Written:
    base_id: int  # the entries' ids are base_id + their index
    numbers: list[str]  # in batch order


class EntryWriter:
    """Writes batches of entries of one operation (an import writes many batches; a posted
    entry one). `close()` adds the monthly totals and seals what was written."""

    def __init__(self, s: Tx, *, source: str, source_id: int | None = None,
                 reverses_id: int | None = None) -> None:
        self.s = s
        self.source = source
        self.source_id = source_id
        self.reverses_id = reverses_id
        self.created_at = now().strftime("%Y-%m-%d %H:%M:%S.%f")  # as stored
        #: The entries' ids are base_id + their index (the writer is the only one writing
        #: entries: writers hold the book's write lock, one after the other).
        self.base_id = int(s.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM journal_entry"))
        self.totals: defaultdict[tuple[int, str], int] = defaultdict(int)
        self.entries = 0
        self.postings = 0
        #: The accounts kept in another currency: id -> currency (most books have none).
        self.kept: dict[int, str] = {int(i): str(c) for i, c in s.all(
            "SELECT id, currency FROM account WHERE currency IS NOT NULL")}

    def write(self, entries: Sequence[NewEntry], postings: Sequence[NewPosting], *,
              totals: Iterable[tuple[int, str, int]] | None = None,
              accounts: Sequence[int] | None = None, carried: bool = False,
              marked: bool = True, foreign: bool = False) -> Written:
        """Insert `entries` (numbered in batch order, each the next of its year) and their
        `postings`. `totals`: the postings summed per (account, period), when the caller
        already has them (the import's reader does); otherwise they are summed here.
        `accounts`: the postings' (and totals') accounts are keys into this list of ids
        (the import's accounts, numbered as the file first names them).
        `carried`: each entry has (status, code, comment, date2) after its memo and each
        posting (status, comment) after its contact (a journal's marks and comments);
        `marked=False`: no posting has either (they are written without those columns).
        `foreign`: each posting has (currency, amount_fx, rate) after its contact (after
        its comment with `carried`), stored (minor units, millionths) or None.

        Refuses (nothing written) a posting to an account kept in another currency
        without a foreign amount in that currency."""
        if self.kept:
            self.kept_currency(postings, accounts=accounts, carried=carried, foreign=foreign)
        first_id = self.base_id
        years: dict[int, int] = {}
        for entry in entries:
            year = int(entry[1][:4])
            years[year] = years.get(year, 0) + 1
        seq = {year: reserve_block(self.s, "JE", year, count) for year, count in years.items()}
        numbers: list[str] = []
        rows = []
        for index, day, memo, *extra in entries:
            year = int(day[:4])
            n = seq[year]
            seq[year] = n + 1
            number = format_number("JE", year, n)
            numbers.append(number)
            rows.append((first_id + index, number, year, n, day, memo, self.source,
                         self.source_id, self.reverses_id, self.created_at, *extra))
        self.s.executemany(_CARRIED_ENTRY_SQL if carried else _ENTRY_SQL, rows)
        if foreign and carried:
            self.s.executemany(_CARRIED_FX_POSTING_SQL, [
                (first_id + index, accounts[key] if accounts is not None else key, day,
                 amount, memo, contact, status, comment, *fx)
                for index, key, day, amount, memo, contact, status, comment, *fx
                in postings])
        elif foreign:
            assert accounts is None
            self.s.executemany(_FX_POSTING_SQL, [
                (first_id + index, account, day, amount, memo, contact, *fx)
                for index, account, day, amount, memo, contact, *fx in postings])
        elif carried and not marked:
            self.s.executemany(_POSTING_SQL, [
                (first_id + index, accounts[key] if accounts is not None else key, day,
                 amount, memo, contact)
                for index, key, day, amount, memo, contact, _status, _comment in postings])
        elif carried:
            self.s.executemany(_CARRIED_POSTING_SQL, [
                (first_id + index, accounts[key] if accounts is not None else key, day,
                 amount, memo, contact, status, comment)
                for index, key, day, amount, memo, contact, status, comment in postings])
        elif accounts is None:
            self.s.executemany(_POSTING_SQL, [
                (first_id + index, account, day, amount, memo, contact)
                for index, account, day, amount, memo, contact in postings])
        else:
            self.s.executemany(_POSTING_SQL, [
                (first_id + index, accounts[key], day, amount, memo, contact)
                for index, key, day, amount, memo, contact in postings])
        ids = accounts if accounts is not None else None
        if totals is None:
            for _index, account, day, amount, *_rest in postings:
                self.totals[ids[account] if ids else account, day[:7]] += amount
        else:
            for account, period, amount in totals:
                self.totals[ids[account] if ids else account, period] += amount
        self.entries += len(entries)
        self.postings += len(postings)
        return Written(first_id, numbers)

    def kept_currency(self, postings: Sequence[NewPosting], *,
                      accounts: Sequence[int] | None, carried: bool, foreign: bool) -> None:
        """Refuse a posting to an account kept in another currency (`self.kept`) that
        does not carry a foreign amount and rate in that currency."""
        skip = 8 if carried else 6  # where (currency, amount_fx, rate) start
        for posting in postings:
            key = posting[1]
            account = accounts[key] if accounts is not None else key
            kept = self.kept.get(account)
            if kept is None:
                continue
            fx = posting[skip:skip + 3] if foreign else ()
            currency = fx[0] if fx else None
            if currency == kept and fx[1] is not None and fx[2] is not None:
                continue
            code, name = self.s.first("SELECT code, name FROM account WHERE id = :i",
                                      {"i": account}) or (account, "")
            if currency is None or currency == kept:
                raise RuleViolation(
                    _("{code} {name} is kept in {currency}: a posting to it needs its amount "
                      "in {currency} (in a journal entry: --posting {code}=100{currency}); "
                      "nothing was written").format(code=code, name=name, currency=kept),
                    field="account")
            raise RuleViolation(
                _("{code} {name} is kept in {currency}: a posting to it in {other} is "
                  "refused; nothing was written").format(code=code, name=name,
                                                         currency=kept, other=currency),
                field="account")

    def close(self) -> None:
        """Add the totals (refused if an account would hold too much) and seal."""
        if not self.entries:
            return
        add_to_period_totals(self.s, [(a, p, m) for (a, p), m in self.totals.items()])
        self.totals.clear()
        self.s.sync_sequences("journal_entry")  # the entries were written with their ids
        seal_new_entries(self.s)
