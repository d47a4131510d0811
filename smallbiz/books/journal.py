"""Journal entries: post (validated, numbered, totals kept), reverse, show; the list is
`smallbiz.books.entries` (plain SQL, re-exported here).

Every function takes the caller's transaction: a document service (orders) posts its
entry inside its own transaction, and the CLI/TUI wrap a manual entry in
`db.transaction()`. Validation happens before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz import audit, settings
from smallbiz.books.accounts import AccountRef, resolve_account
from smallbiz.books.entries import EntryRow as EntryRow  # the list
from smallbiz.books.entries import list_entries as list_entries
from smallbiz.books.fx import RATE_DIGITS, holds
from smallbiz.books.posting import EntryWriter
from smallbiz.books.types import SOURCES
from smallbiz.dates import as_date
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor, round_amount, to_minor
from smallbiz.refs import as_id
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control


@dataclass(frozen=True)
class PostingInput:
    """One line of an entry to post. `amount=None` takes the balancing amount."""

    account: str | int
    amount: Decimal | None
    contact_id: int | None = None
    memo: str = ""
    #: A foreign amount: (currency, amount in it, rate); `amount` must be its conversion
    #: (`smallbiz.books.fx.to_book`).
    fx: tuple[str, Decimal, Decimal] | None = None


@dataclass(frozen=True)
class PostingView:
    account_code: str
    account_name: str
    amount: Decimal
    contact_id: int | None
    memo: str
    status: str | None = None  # '*' cleared, '!' pending (an imported journal's marks)
    comment: str | None = None  # its comment lines as a journal wrote them
    fx: tuple[str, Decimal, Decimal] | None = None  # currency, foreign amount, rate


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
    #: What an imported journal carried: status mark, code, comment lines, secondary date.
    status: str | None = None
    code: str | None = None
    comment: str | None = None
    date2: str | None = None

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.postings if p.amount > 0), Decimal(0))


def check_open_period(s: Tx, on: dt.date, *, what: str = "date") -> None:
    """Refuse a date on or before the lock date."""
    lock = settings.lock_date(s)
    if lock is not None and on <= lock:
        raise RuleViolation(
            _("{what} {date} is on or before the lock date {lock}: the books are closed").format(
                what=what, date=on.isoformat(), lock=lock.isoformat()), field="date")


def post_entry(s: Tx, on: dt.date, memo: str, lines: list[PostingInput], *,
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
    digits = s.money_digits
    missing = [i for i, line in enumerate(lines) if line.amount is None]
    if len(missing) > 1:
        raise ValidationError(_("only one posting may omit its amount (postings {a} and {b} do)")
                              .format(a=missing[0] + 1, b=missing[1] + 1), field="postings")
    accounts: list[AccountRef] = []
    for i, line in enumerate(lines, start=1):
        acc = resolve_account(s, line.account, field=f"posting {i}")
        if acc.archived:
            raise RuleViolation(_("posting {i}: account {code} is archived").format(
                i=i, code=acc.code), field=f"posting {i}")
        if line.amount is not None and round_amount(line.amount, digits) != line.amount:
            raise ValidationError(_("posting {i}: {amount} has more than {d} decimals").format(
                i=i, amount=line.amount, d=digits), field=f"posting {i}")
        accounts.append(acc)
        if line.fx is not None and (line.amount is None or not holds(
                line.amount, line.fx[1], line.fx[2], digits,
                revaluation=_revaluation(s, source, reverses_id))):
            raise ValidationError(
                f"posting {i}: {line.amount} is not {line.fx[1]} {line.fx[0]} x {line.fx[2]}")
    known = sum((line.amount for line in lines if line.amount is not None), Decimal(0))
    amounts = [line.amount if line.amount is not None else -known for line in lines]
    total = sum(amounts, Decimal(0))
    if total != 0:
        raise RuleViolation(
            _("entry does not balance: debits minus credits = {diff}").format(
                diff=format_amount(total, digits)), field="postings")
    if all(a == 0 for a in amounts):
        raise RuleViolation(_("an entry needs a non-zero amount"), field="postings")

    digits_amounts = [to_minor(amount, digits) for amount in amounts]
    writer = EntryWriter(s, source=source, source_id=source_id, reverses_id=reverses_id)
    day = on.isoformat()
    foreign = any(line.fx is not None for line in lines)
    written = writer.write([(0, day, memo.strip())], [
        (0, acc.id, day, minor, line.memo, line.contact_id,
         *(_stored_fx(line.fx, digits) if foreign else ()))
        for acc, line, minor in zip(accounts, lines, digits_amounts, strict=True)],
        foreign=foreign)
    number = written.numbers[0]
    audit.record(s, "post", "journal_entry", number,
                 f"{on.isoformat()} {memo.strip()} ({source})"[:500])
    writer.close()
    return EntryView(written.base_id, number, on, memo.strip(), source, source_id, None, None, [
        PostingView(acc.code, acc.name, amount, line.contact_id, line.memo, fx=line.fx)
        for acc, line, amount in zip(accounts, lines, amounts, strict=True)])


def _revaluation(s: Tx, source: str, reverses_id: int | None) -> bool:
    """A revaluation's entry, or the reversal of one (`books.fx.holds`)."""
    return source == "revaluation" or (reverses_id is not None and s.scalar(
        "SELECT source FROM journal_entry WHERE id = :i", {"i": reverses_id}) == "revaluation")


def _stored_fx(fx: tuple[str, Decimal, Decimal] | None, digits: int
               ) -> tuple[str | None, int | None, int | None]:
    if fx is None:
        return (None, None, None)
    return (fx[0], to_minor(fx[1], digits), to_minor(fx[2], RATE_DIGITS))


def _loaded_fx(currency: str | None, amount_fx: int | None, rate: int | None, digits: int
               ) -> tuple[str, Decimal, Decimal] | None:
    if currency is None or amount_fx is None or rate is None:
        return None
    return (currency, from_minor(amount_fx, digits), from_minor(rate, RATE_DIGITS))


@dataclass(frozen=True)
class Entry:
    """A journal entry's own row."""

    id: int
    number: str
    date: dt.date
    memo: str
    source: str
    source_id: int | None
    reverses_id: int | None


_ENTRY = "SELECT id, number, date, memo, source, source_id, reverses_id FROM journal_entry "


def _entry(row: tuple[object, ...] | None) -> Entry | None:
    if row is None:
        return None
    i, number, day, memo, source, source_id, reverses_id = row
    return Entry(int(i), str(number), as_date(day), str(memo), str(source),  # type: ignore[call-overload]
                 source_id, reverses_id)  # type: ignore[arg-type]


def find_entry(s: Tx, ref: str | int) -> Entry:
    text_ref = str(ref).strip().upper()
    entry = _entry(s.first(_ENTRY + "WHERE number = :n", {"n": text_ref}))
    if entry is None and (entry_id := as_id(text_ref)) is not None:
        entry = _entry(s.first(_ENTRY + "WHERE id = :i", {"i": entry_id}))
    if entry is None:
        raise NotFound(_("no journal entry '{ref}'").format(ref=ref), field="entry")
    return entry


def reversal_of(s: Tx, entry_id: int) -> Entry | None:
    return _entry(s.first(_ENTRY + "WHERE reverses_id = :i", {"i": entry_id}))


_POSTINGS = ("SELECT a.code, a.name, p.amount, p.contact_id, p.memo, p.currency, "
             "p.amount_fx, p.rate FROM posting p "
             "JOIN account a ON a.id = p.account_id WHERE p.entry_id = :e ORDER BY p.id")
_CARRIED = ("SELECT a.code, a.name, p.amount, p.contact_id, p.memo, p.status, p.comment, "
            "p.currency, p.amount_fx, p.rate FROM posting p JOIN account a "
            "ON a.id = p.account_id WHERE p.entry_id = :e ORDER BY p.id")


#: How the entry a document posted is undone: by cancelling the document, which reverses
#: its entry and everything else it did (stock, balances) in one go.
_UNDONE_BY = {
    "invoice": "smallbiz sale cancel SO-…",
    "shipment": "smallbiz sale cancel SO-…",
    "bill": "smallbiz purchase cancel PO-…",
    "receipt": "smallbiz purchase cancel PO-…",
    "payment": "smallbiz pay cancel PAY-…",
    "credit_apply": "smallbiz pay cancel PAY-… (the payment whose credit was applied)",
    "credit_note": "smallbiz credit cancel CN-…",
    "debit_note": "smallbiz credit cancel DN-…",
    "adjustment": "smallbiz stock count (a new count or adjustment)",
    "bank": "smallbiz bank unmatch LINE",
}


def reverse_entry(s: Tx, ref: str | int, *, on: dt.date | None = None,
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
    digits = s.money_digits
    lines = [PostingInput(code, -from_minor(amount, digits), contact_id, memo,
                          fx and (fx[0], -fx[1], fx[2]))
             for code, _name, amount, contact_id, memo, *stored in s.all(
                 _POSTINGS, {"e": original.id})
             for fx in [_loaded_fx(*stored, digits)]]
    return post_entry(s, when, memo or _("Reversal of {n}").format(n=original.number), lines,
                      source=source, source_id=original.source_id, reverses_id=original.id)


def entry_view(s: Tx, entry: Entry) -> EntryView:
    digits = s.money_digits
    reverses = (s.scalar("SELECT number FROM journal_entry WHERE id = :i",
                         {"i": entry.reverses_id}) if entry.reverses_id else None)
    reversed_by = reversal_of(s, entry.id)
    status, code, comment, date2 = s.first(
        "SELECT status, code, comment, date2 FROM journal_entry WHERE id = :i",
        {"i": entry.id}) or (None, None, None, None)
    return EntryView(entry.id, entry.number, entry.date, entry.memo, entry.source,
                     entry.source_id, reverses, reversed_by.number if reversed_by else None,
                     [PostingView(code, name, from_minor(amount, digits), contact_id, memo,
                                  p_status, p_comment, _loaded_fx(*fx, digits))
                      for code, name, amount, contact_id, memo, p_status, p_comment, *fx
                      in s.all(_CARRIED, {"e": entry.id})],
                     status, code, comment,
                     date2 if date2 is None or isinstance(date2, str) else date2.isoformat())


def show_entry(s: Tx, ref: str | int) -> EntryView:
    return entry_view(s, find_entry(s, ref))
