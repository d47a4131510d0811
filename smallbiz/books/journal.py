"""Journal entries: post (validated, numbered, totals kept), reverse, show; the list is
`smallbiz.books.entries` (plain SQL, re-exported here).

Every function takes the caller's session: a document service (orders) posts its
entry inside its own transaction, and the CLI/TUI wrap a manual entry in
`db.transaction()`. Validation happens before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session, select

from smallbiz import audit, settings
from smallbiz.books.accounts import resolve_account
from smallbiz.books.entries import EntryRow as EntryRow  # the list: plain SQL, no ORM
from smallbiz.books.entries import list_entries as list_entries
from smallbiz.books.models import SOURCES, Account, JournalEntry, Posting
from smallbiz.books.seal import seal_new_entries
from smallbiz.books.totals import add_to_period_totals
from smallbiz.dates import now
from smallbiz.db_util import money_digits
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, round_amount, to_minor
from smallbiz.numbering import next_number
from smallbiz.refs import as_id
from smallbiz.textcheck import refuse_control


@dataclass(frozen=True)
class PostingInput:
    """One line of an entry to post. `amount=None` takes the balancing amount."""

    account: str | int
    amount: Decimal | None
    contact_id: int | None = None
    memo: str = ""


@dataclass(frozen=True)
class PostingView:
    account_code: str
    account_name: str
    amount: Decimal
    contact_id: int | None
    memo: str


@dataclass(frozen=True)
class EntryView:
    id: int
    number: str
    date: dt.date
    memo: str
    source: str
    source_id: int | None
    reverses: str | None
    reversed_by: str | None
    postings: list[PostingView] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.postings if p.amount > 0), Decimal(0))


def check_open_period(s: Session, on: dt.date, *, what: str = "date") -> None:
    """Refuse a date on or before the lock date."""
    lock = settings.lock_date(s)
    if lock is not None and on <= lock:
        raise RuleViolation(
            _("{what} {date} is on or before the lock date {lock}: the books are closed").format(
                what=what, date=on.isoformat(), lock=lock.isoformat()), field="date")


def post_entry(s: Session, on: dt.date, memo: str, lines: list[PostingInput], *,
               source: str = "manual", source_id: int | None = None,
               reverses_id: int | None = None) -> EntryView:
    """Validate and post one journal entry.

    Refuses: fewer than two postings, more than one posting without an amount, unknown or
    archived accounts, amounts with more decimals than the currency, a sum other than
    zero, a date on or before the lock date. Writes the entry, its postings, the
    per-account monthly totals and an audit row; takes the next JE number of the year.
    """
    if source not in SOURCES:
        raise ValidationError(f"unknown entry source {source!r}")
    check_open_period(s, on)
    refuse_control(memo, "memo")
    for i, line in enumerate(lines, start=1):
        refuse_control(line.memo or "", f"posting {i} memo")
    if len(lines) < 2:
        raise RuleViolation(_("an entry needs at least two postings (got {n})").format(
            n=len(lines)), field="postings")
    digits = money_digits(s)
    missing = [i for i, line in enumerate(lines) if line.amount is None]
    if len(missing) > 1:
        raise ValidationError(_("only one posting may omit its amount (postings {a} and {b} do)")
                              .format(a=missing[0] + 1, b=missing[1] + 1), field="postings")
    accounts: list[Account] = []
    for i, line in enumerate(lines, start=1):
        acc = resolve_account(s, line.account, field=f"posting {i}")
        if acc.archived:
            raise RuleViolation(_("posting {i}: account {code} is archived").format(
                i=i, code=acc.code), field=f"posting {i}")
        if line.amount is not None and round_amount(line.amount, digits) != line.amount:
            raise ValidationError(_("posting {i}: {amount} has more than {d} decimals").format(
                i=i, amount=line.amount, d=digits), field=f"posting {i}")
        accounts.append(acc)
    known = sum((line.amount for line in lines if line.amount is not None), Decimal(0))
    amounts = [line.amount if line.amount is not None else -known for line in lines]
    total = sum(amounts, Decimal(0))
    if total != 0:
        raise RuleViolation(
            _("entry does not balance: debits minus credits = {diff}").format(
                diff=format_amount(total, digits)), field="postings")
    if all(a == 0 for a in amounts):
        raise RuleViolation(_("an entry needs a non-zero amount"), field="postings")

    number, seq = next_number(s, "JE", on)
    entry = JournalEntry(number=number, year=on.year, seq=seq, date=on, memo=memo.strip(),
                         source=source, source_id=source_id, reverses_id=reverses_id,
                         created_at=now())
    s.add(entry)
    s.flush()
    assert entry.id is not None
    period = f"{on.year:04d}-{on.month:02d}"
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for acc, line, amount in zip(accounts, lines, amounts, strict=True):
        assert acc.id is not None
        s.add(Posting(entry_id=entry.id, account_id=acc.id, date=on, amount=amount,
                      contact_id=line.contact_id, memo=line.memo))
        deltas[acc.id] += amount
    s.flush()
    add_to_period_totals(s, [(acc_id, period, to_minor(d, digits)) for acc_id, d in deltas.items()])
    audit.record(s, "post", "journal_entry", number,
                 f"{on.isoformat()} {memo.strip()} ({source})"[:500])
    seal_new_entries(s)
    return EntryView(entry.id, number, on, entry.memo, source, source_id, None, None, [
        PostingView(acc.code, acc.name, amount, line.contact_id, line.memo)
        for acc, line, amount in zip(accounts, lines, amounts, strict=True)])


def find_entry(s: Session, ref: str | int) -> JournalEntry:
    text_ref = str(ref).strip().upper()
    entry = s.exec(select(JournalEntry).where(JournalEntry.number == text_ref)).first()
    if entry is None and (entry_id := as_id(text_ref)) is not None:
        entry = s.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound(_("no journal entry '{ref}'").format(ref=ref), field="entry")
    return entry


def reversal_of(s: Session, entry_id: int) -> JournalEntry | None:
    return s.exec(select(JournalEntry).where(JournalEntry.reverses_id == entry_id)).first()


#: How the entry a document posted is undone: by cancelling the document, which reverses
#: its entry and everything else it did (stock, balances) in one go.
_UNDONE_BY = {
    "invoice": "smallbiz sale cancel SO-…",
    "shipment": "smallbiz sale cancel SO-…",
    "bill": "smallbiz purchase cancel PO-…",
    "receipt": "smallbiz purchase cancel PO-…",
    "payment": "smallbiz pay cancel PAY-…",
    "adjustment": "smallbiz stock count (a new count or adjustment)",
}


def reverse_entry(s: Session, ref: str | int, *, on: dt.date | None = None,
                  memo: str | None = None, source: str = "reversal",
                  document: bool = False) -> EntryView:
    """Post the mirror image of an entry. Refuses entries already reversed, reversals
    themselves, entries on or before the lock date, and a date before the original.

    An entry a document posted (invoice, bill, payment, shipment, receipt, stock
    adjustment) is reversed only by the document's own cancel (`document=True`): reversed
    alone it would leave the document open while its entry is gone.
    """
    original = find_entry(s, ref)
    assert original.id is not None
    if not document and original.source in _UNDONE_BY:
        raise RuleViolation(_("{number} was posted by a document ({memo}); cancel the document "
                              "instead: {command}").format(
            number=original.number, memo=original.memo or original.source,
            command=_UNDONE_BY[original.source]), field="entry")
    if original.reverses_id is not None:
        raise RuleViolation(_("{number} is itself a reversal; post a new entry instead").format(
            number=original.number), field="entry")
    existing = reversal_of(s, original.id)
    if existing is not None:
        raise RuleViolation(_("{number} was already reversed by {rev}").format(
            number=original.number, rev=existing.number), field="entry")
    check_open_period(s, original.date, what=_("entry {n}, dated").format(n=original.number))
    when = on or max(dt.date.today(), original.date)
    if when < original.date:
        raise ValidationError(_("a reversal cannot be dated before the entry it reverses ({d})")
                              .format(d=original.date.isoformat()), field="date")
    rows = s.exec(select(Posting, Account).join(Account, Account.id == Posting.account_id)
                  .where(Posting.entry_id == original.id).order_by(Posting.id)).all()
    lines = [PostingInput(acc.code, -p.amount, p.contact_id, p.memo) for p, acc in rows]
    return post_entry(s, when, memo or _("Reversal of {n}").format(n=original.number), lines,
                      source=source, source_id=original.source_id, reverses_id=original.id)


def entry_view(s: Session, entry: JournalEntry) -> EntryView:
    assert entry.id is not None
    rows = s.exec(select(Posting, Account).join(Account, Account.id == Posting.account_id)
                  .where(Posting.entry_id == entry.id).order_by(Posting.id)).all()
    reverses = s.get(JournalEntry, entry.reverses_id) if entry.reverses_id else None
    reversed_by = reversal_of(s, entry.id)
    return EntryView(entry.id, entry.number, entry.date, entry.memo, entry.source,
                     entry.source_id, reverses.number if reverses else None,
                     reversed_by.number if reversed_by else None,
                     [PostingView(a.code, a.name, p.amount, p.contact_id, p.memo) for p, a in rows])


def show_entry(s: Session, ref: str | int) -> EntryView:
    return entry_view(s, find_entry(s, ref))
