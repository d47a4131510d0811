"""Statement lines: importing a file (validated, de-duplicated, in bulk), listing them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from smallbiz import audit, settings
from smallbiz.bank.parsed import ParsedStatement
from smallbiz.books.accounts import AccountRef
from smallbiz.dates import as_date, check_date_range, now
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor, round_amount, to_minor
from smallbiz.orders.payments import money_account
from smallbiz.sql import Tx

#: A line is unmatched, matched (to a payment and/or an entry) or ignored (set aside).
STATUSES = ("unmatched", "matched", "ignored")


@dataclass(frozen=True)
class Imported:
    """What an import did: lines added, lines that were already there, and what the
    automatic matching then posted."""

    statement_id: int
    account: str
    format: str
    lines: int
    added: int
    duplicates: int
    payments: int = 0
    by_rule: int = 0
    transfers: int = 0

    @property
    def matched(self) -> int:
        return self.payments + self.by_rule + self.transfers


@dataclass(frozen=True)
class LineView:
    id: int
    account: str
    date: dt.date
    amount: Decimal
    description: str
    counterparty: str
    reference: str
    balance: Decimal | None
    status: str
    match_kind: str | None
    payment: str | None  # PAY- number
    entry: str | None  # JE- number (a rule, a booking to an account, a transfer)
    #: The account's currency when it is kept in another than the book's (the line's
    #: amounts are in it); None: the book's.
    currency: str | None = None

    @property
    def matched_to(self) -> str | None:
        return self.payment or self.entry


def dedup_keys(parsed: ParsedStatement, digits: int) -> list[str]:
    """Each line's key: the bank's own id, else a hash of date, amount, text and how many
    identical lines came before it in the file (so two equal fees on one day stay two, and
    an overlapping statement's repeat of them is known)."""
    seen: Counter[tuple[str, int, str]] = Counter()
    keys = []
    for ln in parsed.lines:
        if ln.key:
            keys.append(ln.key[:200])
            continue
        ident = (ln.date.isoformat(), to_minor(ln.amount, digits),
                 "|".join((ln.description, ln.counterparty, ln.reference)))
        seen[ident] += 1
        raw = "\x1f".join((*map(str, ident), str(seen[ident])))
        keys.append("h:" + hashlib.sha256(raw.encode()).hexdigest()[:40])
    return keys


def _validate(s: Tx, parsed: ParsedStatement, acc: AccountRef) -> None:
    kept = acc.currency or settings.load(s).currency
    if parsed.currency and parsed.currency.upper() != kept:
        raise RuleViolation(_("the statement is in {cur}; account {code} is kept in {book}: "
                              "nothing imported").format(cur=parsed.currency.upper(),
                                                          code=acc.code, book=kept),
                            field="--account")
    digits = s.money_digits
    for ln in parsed.lines:
        if round_amount(ln.amount, digits) != ln.amount:
            raise ValidationError(_("{where}: amount {a} has more than {d} decimals").format(
                where=ln.where, a=ln.amount, d=digits))
        if ln.amount == 0:
            raise ValidationError(_("{where}: amount is zero").format(where=ln.where))
        check_date_range(ln.date, field=ln.where)
    if parsed.closing_balance is not None and round_amount(
            parsed.closing_balance, digits) != parsed.closing_balance:
        raise ValidationError(_("closing balance {a} has more than {d} decimals").format(
            a=parsed.closing_balance, d=digits))


_LINE_SQL = ("INSERT INTO bank_line (account_id, statement_id, date, amount, description, "
             "counterparty, reference, balance, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def store_statement(s: Tx, parsed: ParsedStatement, file_name: str,
                    account: str | None) -> Imported:
    """Validate the parsed statement (currency, amounts, dates) and write its new lines.

    Refuses a statement in another currency than the account's (the book's, or the one
    a foreign bank account is kept in: its lines are in that currency), amounts with more
    decimals than the book's currency has, zero amounts. Lines already on the account
    (same key) are counted, not written again. Writes the statement row, the lines (in bulk) and an
    audit row. Matching is the caller's next step.
    """
    acc = money_account(s, account)
    _validate(s, parsed, acc)
    digits = s.money_digits
    keys = dedup_keys(parsed, digits)
    existing: set[str] = set()
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 2000):
        existing.update(s.execute(
            "SELECT dedup_key FROM bank_line WHERE account_id = :a AND dedup_key IN :k",
            {"a": acc.id, "k": unique[start:start + 2000]}).scalars())
    fresh = []
    taken = set(existing)
    for ln, key in zip(parsed.lines, keys, strict=True):
        if key in taken:
            continue
        taken.add(key)
        fresh.append((ln, key))
    dates = [ln.date for ln in parsed.lines]
    statement_id = s.insert("bank_statement", {
        "account_id": acc.id, "format": parsed.format, "file_name": Path(file_name).name[:200],
        "currency": (parsed.currency or "")[:3], "start_date": min(dates) if dates else None,
        "end_date": max(dates) if dates else None, "closing_date": parsed.closing_date,
        "closing_balance": None if parsed.closing_balance is None else to_minor(
            parsed.closing_balance, digits),
        "lines": len(fresh), "duplicates": len(parsed.lines) - len(fresh),
        "imported_at": now()})
    with s.bulk():
        s.executemany(_LINE_SQL, [
            (acc.id, statement_id, ln.date.isoformat(), to_minor(ln.amount, digits),
             ln.description, ln.counterparty, ln.reference,
             None if ln.balance is None else to_minor(ln.balance, digits), key)
            for ln, key in fresh])
    audit.record(s, "import", "bank_statement", statement_id,
                 f"{acc.code} {parsed.format} {Path(file_name).name[:80]}: {len(fresh)} lines, "
                 f"{len(parsed.lines) - len(fresh)} already there")
    return Imported(statement_id, acc.code, parsed.format, len(parsed.lines), len(fresh),
                    len(parsed.lines) - len(fresh))


_LIST = ("SELECT l.id, a.code, l.date, l.amount, l.description, l.counterparty, l.reference, "
         "l.balance, l.status, l.match_kind, p.number, e.number, a.currency "
         "FROM bank_line l JOIN account a ON a.id = l.account_id "
         "LEFT JOIN payment p ON p.id = l.payment_id "
         "LEFT JOIN journal_entry e ON e.id = l.entry_id ")


def _view(row: tuple[object, ...], digits: int) -> LineView:
    (i, code, day, amount, desc, party, ref, balance, status, kind, pay, entry, cur) = row
    return LineView(int(i), str(code), as_date(day), from_minor(amount, digits),  # type: ignore[arg-type]
                    str(desc), str(party), str(ref),
                    None if balance is None else from_minor(balance, digits),  # type: ignore[arg-type]
                    str(status), kind, pay, entry, cur)  # type: ignore[arg-type]


def list_lines(s: Tx, *, account: str | None = None, unmatched: bool = False,
               start: dt.date | None = None, end: dt.date | None = None,
               newest_first: bool = False, limit: int | None = None) -> list[LineView]:
    where, params = ["1 = 1"], {}
    if account is not None:
        where.append("l.account_id = :a")
        params["a"] = money_account(s, account).id
    if unmatched:
        where.append("l.status = 'unmatched'")
    if start is not None:
        where.append("l.date >= :s")
        params["s"] = start
    if end is not None:
        where.append("l.date <= :e")
        params["e"] = end
    order = "DESC" if newest_first else "ASC"
    sql = (_LIST + "WHERE " + " AND ".join(where)
           + f" ORDER BY l.date {order}, l.id {order}" + (f" LIMIT {int(limit)}" if limit else ""))
    return [_view(r, s.money_digits) for r in s.execute(sql, params)]


def get_line(s: Tx, line_id: int | str) -> LineView:
    try:
        ident = int(str(line_id).strip().lstrip("#"))
    except ValueError:
        raise ValidationError(_("LINE: '{v}' is not a statement line id (bank list)").format(
            v=line_id), field="line") from None
    row = s.first(_LIST + "WHERE l.id = :i", {"i": ident})
    if row is None:
        raise NotFound(_("no statement line {i} (bank list)").format(i=ident), field="line")
    return _view(row, s.money_digits)

