"""Matching statement lines: to invoices and bills (a payment, PAY-), to an account (a
journal entry), to the other side of a transfer between two own accounts.

A payment is posted by the payments service (`smallbiz.orders.payments.record_payment`,
the one `pay in/out` uses), dated on the bank date; everything else by the books' posting
service (`post_entry`, or `EntryWriter` for the many entries the rules book at once) with
source `bank` and the line's id. Unmatching cancels what was posted (payment cancel,
reversal) and puts the line back to unmatched.

Certain matches (made without asking, on import and by `bank match --auto`):
- money in equal to one open invoice's balance due whose number the text names; or the
  text names several invoices of one customer and their balances add up to the amount;
  or no number but the customer's name is in the text and they have exactly one open
  invoice of that amount. Money out likewise for bills, which the text may also name by
  the supplier's own number for them (`supplier_ref`, as a whole word of at least three
  characters with a digit).
- a rule that fits (`smallbiz.bank.rules`).
- money out of one own account and the same amount into another within `TRANSFER_DAYS`
  days, when each side has exactly one such partner (two lines in one currency: the same
  amount in it; a currency exchange, lines in two currencies: book amounts at the day's
  rate within `EXCHANGE_TOLERANCE`, the difference booked as an exchange difference).

A line on a bank account kept in another currency (`account.currency`) is in that
currency: it pays documents in it only (a line and a document in two currencies are never
matched), at the rate table's rate of the line's date; the payments service books the
realised exchange difference. A rule books such a line converted at that rate (the
rule's amount range compared with the converted amount); a transfer to or from such an
account is paired as above (`_transfers`). Split by hand across accounts, a line's parts
add up to its whole converted (`books.fx.split_to_book`, the largest remainder).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from smallbiz import audit, settings
from smallbiz.bank.lines import LineView, get_line
from smallbiz.bank.rules import RuleView, list_rules
from smallbiz.books.accounts import resolve_account
from smallbiz.books.fx import RATE_DIGITS, rate_on, split_to_book, to_book
from smallbiz.books.journal import PostingInput, post_entry, reverse_entry
from smallbiz.books.posting import EntryWriter
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import as_date, now
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor, to_minor
from smallbiz.orders.invoices import balance_due, balance_due_fx, resolve_document_ref
from smallbiz.orders.payments import (
    AllocationInput,
    cancel_payment,
    exchange_account,
    exchange_difference,
    record_payment,
)
from smallbiz.orders.records import Invoice
from smallbiz.sql import Tx

TRANSFER_DAYS = 3
#: A currency exchange at the bank pairs two lines whose book amounts (each at the rate
#: table's rate of the transfer's day) differ by at most this share of the larger: the
#: bank's buying and selling rates lie within a percent or two of the official rate.
EXCHANGE_TOLERANCE = Decimal("0.02")
_NUMBER = re.compile(r"\b(INV|BILL)-(\d{4})-(\d{1,6})\b", re.IGNORECASE)


@dataclass(frozen=True)
class MatchSummary:
    payments: int = 0
    by_rule: int = 0
    transfers: int = 0

    @property
    def total(self) -> int:
        return self.payments + self.by_rule + self.transfers


@dataclass(frozen=True)
class Suggestion:
    kind: str  # invoice | bill
    number: str
    contact: str
    balance_due: Decimal
    date: dt.date
    score: float


@dataclass
class _Doc:
    id: int
    number: str
    kind: str
    contact_id: int
    contact: str
    due: int  # minor units, in the document's currency
    date: str
    supplier_ref: str = ""
    currency: str | None = None  # None: the book's


def usable_ref(ref: str) -> bool:
    """A supplier reference long and particular enough to be looked for in a statement's
    text (a bare `12` would be found in every amount and date)."""
    return len(ref) >= 3 and any(ch.isdigit() for ch in ref)


def refs_pattern(refs: list[str]) -> re.Pattern[str] | None:
    """One pattern that finds any of these supplier references as a whole word (not
    inside a longer number or word), case-insensitive; the longest first."""
    usable = sorted({r.casefold() for r in refs if usable_ref(r)}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(r) for r in usable) + r")(?![\w])",
                      re.IGNORECASE)


@dataclass
class _Line:
    id: int
    account_id: int
    code: str
    date: str
    amount: int  # in the account's currency
    text: str
    counterparty: str
    currency: str | None = None  # the account's, when it is kept in another currency


#: What an open document still owes, in its own currency (minor units).
_DUE = ("CASE WHEN i.currency IS NULL THEN i.gross - i.paid "
        "ELSE i.gross_fx - COALESCE(i.paid_fx, 0) END")


def _open_documents(s: Tx) -> list[_Doc]:
    return [_Doc(int(i), str(n), str(k), int(c), str(name), int(due), str(d),
                 str(ref or ""), cur)
            for i, n, k, c, name, due, d, ref, cur in s.execute(
                f"SELECT i.id, i.number, i.kind, i.contact_id, c.name, {_DUE}, i.date, "
                "i.supplier_ref, i.currency FROM invoice i JOIN contact c "
                f"ON c.id = i.contact_id WHERE i.status = 'open' AND {_DUE} > 0")]


def _unmatched(s: Tx) -> list[_Line]:
    return [_Line(int(i), int(a), str(code), str(d), int(m),
                  f"{desc} {ref}".strip(), str(party), cur)
            for i, a, code, d, m, desc, ref, party, cur in s.execute(
                "SELECT l.id, l.account_id, a.code, l.date, l.amount, l.description, "
                "l.reference, l.counterparty, a.currency FROM bank_line l "
                "JOIN account a ON a.id = l.account_id "
                "WHERE l.status = 'unmatched' ORDER BY l.date, l.id")]


def _has_rate(s: Tx, currency: str, day: str) -> bool:
    return s.scalar("SELECT 1 FROM fx_rate WHERE currency = :c AND date <= :d LIMIT 1",
                    {"c": currency, "d": day}) is not None


def _number_key(m: re.Match[str]) -> str:
    return f"{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):04d}"


class _Theirs:
    """The open bills by their supplier reference, and the pattern that finds them."""

    def __init__(self, docs: list[_Doc]) -> None:
        self.bills: dict[str, list[_Doc]] = defaultdict(list)
        for d in docs:
            if d.kind == "bill" and usable_ref(d.supplier_ref):
                self.bills[d.supplier_ref.casefold()].append(d)
        self.pattern = refs_pattern(list(self.bills))

    def named(self, text: str) -> list[_Doc | None]:
        """The bills the text names by their supplier's reference (None for a reference
        two open bills share: no certain match)."""
        if self.pattern is None:
            return []
        out: list[_Doc | None] = []
        for key in dict.fromkeys(m.group(1).casefold() for m in self.pattern.finditer(text)):
            found = self.bills.get(key, [])
            out.append(found[0] if len(found) == 1 else None)
        return out


def _exactly(line: _Line, docs: list[_Doc | None], wanted: int) -> list[_Doc] | None:
    """The documents a line names, if they are all open, of one contact, dated before the
    line and owe together exactly its amount."""
    if any(d is None or d.due <= 0 for d in docs):
        return None
    found = [d for d in docs if d is not None]
    if len({d.contact_id for d in found}) != 1 or sum(d.due for d in found) != wanted:
        return None
    return found if all(d.date <= line.date for d in found) else None


def _certain_documents(line: _Line, by_number: dict[str, _Doc],
                       by_amount: dict[tuple[str, int], list[_Doc]],
                       theirs: _Theirs | None = None) -> list[_Doc] | None:
    kind = "invoice" if line.amount > 0 else "bill"
    wanted = abs(line.amount)
    everything = f"{line.text} {line.counterparty}"
    named = list(dict.fromkeys(_number_key(m) for m in _NUMBER.finditer(everything)))
    named = [n for n in named if n.startswith("INV" if kind == "invoice" else "BILL")]
    if named:
        return _exactly(line, [by_number.get(n) for n in named], wanted)
    if theirs is not None and kind == "bill":  # named by the supplier's own number?
        by_ref = theirs.named(everything)
        if by_ref and (found := _exactly(line, by_ref, wanted)):
            return found
    folded = everything.casefold()
    candidates = [d for d in by_amount.get((kind, wanted), [])
                  if d.due == wanted and d.contact.casefold() in folded]
    if len(candidates) != 1 or candidates[0].date > line.date:
        return None
    contact = candidates[0].contact_id
    if sum(1 for d in by_amount.get((kind, wanted), [])
           if d.contact_id == contact and d.due == wanted) != 1:
        return None
    return candidates


def _mark(s: Tx, line_id: int, kind: str, *, payment_id: int | None = None,
          entry_id: int | None = None, rule_id: int | None = None) -> None:
    s.execute("UPDATE bank_line SET status = 'matched', match_kind = :k, payment_id = :p, "
              "entry_id = :e, rule_id = :r, matched_at = :t WHERE id = :i",
              {"k": kind, "p": payment_id, "e": entry_id, "r": rule_id, "t": now(),
               "i": line_id})


def _pay(s: Tx, line_id: int, code: str, day: dt.date, amount: Decimal,
         allocations: list[AllocationInput], memo: str) -> str:
    direction = "in" if amount > 0 else "out"
    pay = record_payment(s, direction, allocations, on=day, account=code, memo=memo)
    _mark(s, line_id, "payment", payment_id=pay.id)
    return pay.number


def auto_match(s: Tx) -> MatchSummary:
    """Match every unmatched line where it is certain: documents first, then the rules,
    then transfers. Lines dated on or before the lock date stay as they are."""
    lock = settings.lock_date(s)
    lines = [ln for ln in _unmatched(s)
             if lock is None or as_date(ln.date) > lock]  # type: ignore[operator]
    digits = s.money_digits
    docs = _open_documents(s)
    # per currency (None: the book's): a line pays documents in its account's currency
    by_number: dict[str | None, dict[str, _Doc]] = defaultdict(dict)
    by_amount: dict[str | None, dict[tuple[str, int], list[_Doc]]] = defaultdict(
        lambda: defaultdict(list))
    for d in docs:
        by_number[d.currency][d.number] = d
        by_amount[d.currency][d.kind, d.due].append(d)
    theirs = {currency: _Theirs([d for d in docs if d.currency == currency])
              for currency in by_number}
    payments = 0
    rest: list[_Line] = []
    for ln in lines:
        found = (_certain_documents(ln, by_number[ln.currency], by_amount[ln.currency],
                                    theirs[ln.currency])
                 if ln.currency in theirs else None)
        if found and ln.currency is not None and not _has_rate(s, ln.currency, ln.date):
            found = None  # no rate for the day yet: left for later
        if not found:
            rest.append(ln)
            continue
        allocations = [AllocationInput(d.number, from_minor(d.due, digits)) for d in found]
        for d in found:
            by_amount[ln.currency][d.kind, d.due].remove(d)
            d.due = 0
        _pay(s, ln.id, ln.code, as_date(ln.date), from_minor(ln.amount, digits),  # type: ignore[arg-type]
             allocations, _("bank line {i}").format(i=ln.id))
        payments += 1
    rules = list_rules(s)
    rest, by_rule = _apply_rules(s, rest, rules) if rules else (rest, 0)
    transfers = _transfers(s, rest)
    return MatchSummary(payments, by_rule, transfers)


def _apply_rules(s: Tx, lines: list[_Line], rules: list[RuleView]) -> tuple[list[_Line], int]:
    """Book the lines a rule fits, all in one batch of entries (one seal, one audit row).
    A line in another currency is converted at its day's rate (none yet: left as it is)."""
    digits = s.money_digits
    archived = {int(i) for (i,) in s.all("SELECT id FROM account WHERE archived = :t",
                                         {"t": True})}
    kept = {int(i): str(c) for i, c in s.all(
        "SELECT id, currency FROM account WHERE currency IS NOT NULL")}
    booked: list[tuple[_Line, RuleView, list[_Leg]]] = []
    rest = []
    usable = [r for r in rules if r.account_id not in archived]
    ranged = any(r.amount_min is not None or r.amount_max is not None for r in usable)
    for ln in lines:
        minor, fx = ln.amount, None
        if ln.currency is not None:
            if not _has_rate(s, ln.currency, ln.date):
                rest.append(ln)
                continue
            rate = rate_on(s, ln.currency, as_date(ln.date))  # type: ignore[arg-type]
            minor = to_minor(to_book(from_minor(ln.amount, digits), rate, digits), digits)
            fx = (ln.currency, ln.amount, to_minor(rate, RATE_DIGITS))
        amount = from_minor(minor, digits) if ranged else None
        rule = next((r for r in usable if r.account_id != ln.account_id
                     and r.fits(ln.text, ln.counterparty, amount)), None)
        if rule is None or ln.account_id in archived:
            rest.append(ln)
            continue
        # the rule's account takes the foreign amount too when it is kept in that currency
        other = ((fx[0], -fx[1], fx[2]) if fx is not None and kept.get(rule.account_id) == fx[0]
                 else None)
        booked.append((ln, rule, [(ln.account_id, minor, None, fx),
                                   (rule.account_id, -minor, rule.contact_id, other)]))
    if booked:
        _post_batch(s, [(ln, legs, rule.memo or ln.text or ln.counterparty, rule.id)
                        for ln, rule, legs in booked])
    return rest, len(booked)


#: A posting of a line's entry: account id, minor amount, contact id, and its foreign
#: amount as stored (currency, minor amount in it, rate in millionths) or None.
_Leg = tuple[int, int, "int | None", "tuple[str, int, int] | None"]


def _post_batch(s: Tx, items: list[tuple[_Line, list[_Leg], str, int | None]],
                kind: str = "entry") -> None:
    """Post one balanced entry per item through the books' writer and mark the lines.
    Each item: the line, its postings (`_Leg`), memo, rule."""
    writer = EntryWriter(s, source="bank", source_id=None)
    entries, postings = [], []
    foreign = any(fx is not None for _ln, legs, _m, _r in items for *_leg, fx in legs)
    for index, (ln, legs, memo, _rule) in enumerate(items):
        assert sum(m for _a, m, _c, _fx in legs) == 0
        entries.append((index, ln.date, memo[:500]))
        postings.extend((index, acc, ln.date, minor, _("bank line {i}").format(i=ln.id),
                         contact, *((fx or (None, None, None)) if foreign else ()))
                        for acc, minor, contact, fx in legs)
    written = writer.write(entries, postings, foreign=foreign)
    at = now().strftime("%Y-%m-%d %H:%M:%S.%f")
    s.executemany("UPDATE bank_line SET status = 'matched', match_kind = ?, payment_id = NULL, "
                  "entry_id = ?, rule_id = ?, matched_at = ? WHERE id = ?",
                  [(kind, written.base_id + index, rule_id, at, ln.id)
                   for index, (ln, _legs, _memo, rule_id) in enumerate(items)])
    writer.close()
    audit.record(s, "post", "bank_line", items[0][0].id,
                 f"{len(items)} bank line(s) booked: {written.numbers[0]}.."
                 f"{written.numbers[-1]}")


def _unique_pairs(outs: list[_Line], ins_for: Callable[[_Line], list[_Line]],
                  outs_for: Callable[[_Line], list[_Line]],
                  fits: Callable[[_Line, _Line], bool]) -> list[tuple[_Line, _Line]]:
    """Each money out with the one money in (of those `ins_for` it) it fits, when that one
    fits no other money out (of those `outs_for` it) either: unique both ways, the two
    lines on two accounts within TRANSFER_DAYS days of each other."""
    def near(a: _Line, b: _Line) -> bool:
        return (a.account_id != b.account_id
                and abs((as_date(a.date) - as_date(b.date)).days) <= TRANSFER_DAYS  # type: ignore[operator]
                and fits(a, b))

    pairs = []
    for out in outs:
        partners = [i for i in ins_for(out) if near(out, i)]
        if len(partners) == 1 and sum(1 for o in outs_for(partners[0])
                                      if near(o, partners[0])) == 1:
            pairs.append((out, partners[0]))
    return pairs


def _transfers(s: Tx, lines: list[_Line]) -> int:
    """Pair money out of one own account with money into another within TRANSFER_DAYS
    days, when the pairing is unique both ways; post each pair once, as one entry dated on
    the later line's day, a line in another currency at that day's rate (none yet: left
    for later).

    - Two lines in one currency (the book's, or both accounts kept in USD): the same
      amount in it.
    - A currency exchange at the bank (USD out, lari in; or lari out, USD in; or two
      foreign currencies): the two lines' book amounts at the day's rate differ by at
      most EXCHANGE_TOLERANCE of the larger (the bank's rate is not the rate table's);
      the difference is the exchange difference, on Exchange gains or losses
      (`orders.payments.exchange_account`), in the same entry."""
    rates: dict[tuple[str, str], Decimal | None] = {}

    def rate(currency: str, day: str) -> Decimal | None:
        if (currency, day) not in rates:
            rates[currency, day] = (rate_on(s, currency, as_date(day))  # type: ignore[arg-type]
                                    if _has_rate(s, currency, day) else None)
        return rates[currency, day]

    def leg(ln: _Line, day: str) -> _Leg | None:
        """The line's posting on the transfer's day: in book minor units, and its
        foreign amount at the day's rate (None: no rate for the day)."""
        if ln.currency is None:
            return (ln.account_id, ln.amount, None, None)
        r = rate(ln.currency, day)
        if r is None:
            return None
        book = to_minor(to_book(from_minor(ln.amount, digits), r, digits), digits)
        return (ln.account_id, book, None, (ln.currency, ln.amount, to_minor(r, RATE_DIGITS)))

    def legs(out: _Line, into: _Line) -> list[_Leg] | None:
        day = max(out.date, into.date)
        a, b = leg(into, day), leg(out, day)
        return None if a is None or b is None else [a, b]

    digits = s.money_digits
    by_key: dict[tuple[str | None, int], list[_Line]] = defaultdict(list)
    for ln in lines:
        by_key[ln.currency, abs(ln.amount)].append(ln)
    pairs = []
    for group in by_key.values():  # one currency, one amount
        outs, ins = [ln for ln in group if ln.amount < 0], [ln for ln in group if ln.amount > 0]
        if outs and ins:
            pairs += _unique_pairs(outs, lambda _o, ins=ins: ins,
                                   lambda _i, outs=outs: outs,
                                   lambda _o, _i: True)
    paired = {ln.id for pair in pairs for ln in pair}
    rest = [ln for ln in lines if ln.id not in paired]

    def exchanged(out: _Line, into: _Line) -> bool:
        both = legs(out, into) if out.currency != into.currency else None
        if both is None:
            return False
        book_in, book_out = both[0][1], -both[1][1]
        return abs(book_in - book_out) <= EXCHANGE_TOLERANCE * max(book_in, book_out)

    # an exchange has a foreign line on at least one side: a lari line is compared with
    # the foreign lines only (the foreign lines are few, the lari ones may be many)
    outs = [ln for ln in rest if ln.amount < 0]
    ins = [ln for ln in rest if ln.amount > 0]
    foreign_outs = [ln for ln in outs if ln.currency is not None]
    foreign_ins = [ln for ln in ins if ln.currency is not None]
    if foreign_outs or foreign_ins:
        pairs += _unique_pairs(
            [ln for ln in outs if ln.currency is not None or foreign_ins],
            lambda o: ins if o.currency is not None else foreign_ins,
            lambda i: outs if i.currency is not None else foreign_outs, exchanged)
    items = []
    for out, into in pairs:
        both = legs(out, into)
        if both is None:  # a foreign pair without a rate for its day: left for later
            continue
        difference = -(both[0][1] + both[1][1])
        if difference:
            both.append((exchange_account(s, difference).id, difference, None, None))
        day = max(out.date, into.date)
        out_dated = _Line(out.id, out.account_id, out.code, day, out.amount, out.text,
                          out.counterparty)
        memo = (_("Transfer {a} -> {b}") if out.currency == into.currency
                else _("Currency exchange {a} -> {b}")).format(a=out.code, b=into.code)
        items.append((out_dated, both, memo, None, into))
    if not items:
        return 0
    _post_batch(s, [item[:4] for item in items], kind="transfer")
    for out, _legs, _memo, _rule, into in items:
        entry_id = s.scalar("SELECT entry_id FROM bank_line WHERE id = :i", {"i": out.id})
        _mark(s, into.id, "transfer", entry_id=entry_id)
    return len(items)


# -- by hand ---------------------------------------------------------------------------------

def _open_line(s: Tx, line_id: int | str) -> LineView:
    line = get_line(s, line_id)
    if line.status == "matched":
        raise RuleViolation(_("line {i} is already matched to {ref}; bank unmatch {i} first")
                            .format(i=line.id, ref=line.matched_to), field="line")
    return line


@dataclass(frozen=True)
class Part:
    """A part of a line booked to an account: `amount` in the line's direction (money in:
    what came in for it; out: what went out for it; negative for the other way, a fee
    the bank kept from a customer's payment), None for the rest."""

    account: str
    amount: Decimal | None = None


def _due(doc: Invoice) -> Decimal:
    """What a document still owes, in its own currency."""
    return (balance_due_fx(doc) or Decimal(0)) if doc.currency is not None else balance_due(doc)


def line_rate(s: Tx, line: LineView) -> Decimal:
    """The rate of a foreign line's day (the rate table's), or a clear refusal."""
    assert line.currency is not None
    try:
        return rate_on(s, line.currency, line.date)
    except RuleViolation:
        raise RuleViolation(
            _("line {i} is in {cur}: no {cur} rate on or before {date}; add one (smallbiz "
              "rate set {cur} RATE --date {date}) and match it again").format(
                i=line.id, cur=line.currency, date=line.date.isoformat()),
            field="rate") from None


def match_line(s: Tx, line_id: int | str, *, documents: list[str] | None = None,
               parts: list[Part] | None = None, contact: str | None = None,
               memo: str = "") -> list[str]:
    """Match a line by hand to invoices or bills (money in pays invoices, out pays bills)
    and/or accounts. The documents take what the parts leave (allocated in the order
    given, each up to its balance due, the last taking the rest); with a part without an
    amount, they take their balances due and that part the rest. The documents' share is
    one payment through the payments service, dated on the bank date; the parts are one
    entry (bank against each account, `contact` on the accounts' postings). Returns the
    numbers posted (PAY-, JE-).

    A line on an account kept in another currency is in it: it pays documents in that
    currency only (the payment at the rate of the line's date, with its realised exchange
    difference), and its parts are converted at that rate."""
    line = _open_line(s, line_id)
    documents, parts = list(documents or []), list(parts or [])
    if not documents and not parts:
        raise ValidationError(_("give --invoice/--bill or --account"), field="--account")
    kind = "invoice" if line.amount > 0 else "bill"
    whole = abs(line.amount)
    docs = []
    for n in documents:
        doc = resolve_document_ref(s, n)
        if doc.kind != kind:
            raise RuleViolation(_("line {i} is money {dir}: it pays an {kind}, not {n}").format(
                i=line.id, dir=_("in") if line.amount > 0 else _("out"),
                kind=_("invoice") if kind == "invoice" else _("bill"), n=doc.number),
                field="--invoice" if kind == "invoice" else "--bill")
        if doc.currency != line.currency:
            book = settings.load(s).currency
            raise RuleViolation(_("line {i} is in {lc} and {n} in {dc}: a line pays "
                                  "documents in its account's currency only").format(
                i=line.id, lc=line.currency or book, n=doc.number, dc=doc.currency or book),
                field="--invoice" if kind == "invoice" else "--bill")
        docs.append(doc)
    rate = line_rate(s, line) if line.currency is not None else None
    open_parts = [p for p in parts if p.amount is None]
    if len(open_parts) > 1:
        raise ValidationError(_("only one --account may omit its =AMOUNT"), field="--account")
    known = sum((p.amount for p in parts if p.amount is not None), Decimal(0))
    if open_parts:
        for_docs = sum((_due(d) for d in docs), Decimal(0))
        rest = whole - known - for_docs
        if rest == 0:
            raise RuleViolation(_("nothing is left for {a}").format(a=open_parts[0].account),
                                field="--account")
        parts = [Part(p.account, rest) if p.amount is None else p for p in parts]
    else:
        for_docs = whole - known
        if not docs and for_docs != 0:
            raise RuleViolation(_("the parts add up to {a}, the line is {b}").format(
                a=known, b=whole), field="--account")
    if docs and for_docs <= 0:
        raise RuleViolation(_("nothing is left for {n}").format(n=docs[0].number),
                            field="--invoice")
    numbers = []
    if docs:
        left, allocations = for_docs, []
        for i, doc in enumerate(docs):
            take = left if i == len(docs) - 1 else min(_due(doc), left)
            if take > 0:
                allocations.append(AllocationInput(doc.number, take))
            left -= take
        sign = 1 if line.amount > 0 else -1
        pay = record_payment(s, "in" if sign > 0 else "out", allocations, on=line.date,
                             account=line.account,
                             memo=memo or _("bank line {i}").format(i=line.id))
        numbers.append(pay.number)
        payment_id: int | None = pay.id
    else:
        payment_id = None
    entry_id = None
    if parts:
        contact_id = resolve_contact(s, contact).id if contact else None
        sign = 1 if line.amount > 0 else -1
        label = _("bank line {i}").format(i=line.id)
        for p in parts:
            if resolve_account(s, p.account, field="--account").code == line.account:
                raise RuleViolation(_("--account: the line is on {code} already").format(
                    code=line.account), field="--account")
        text = memo.strip() or line.description or line.counterparty or label
        total = sum((p.amount or Decimal(0) for p in parts), Decimal(0))
        if rate is None:
            postings = [PostingInput(line.account, sign * total, memo=label),
                        *[PostingInput(p.account, -sign * (p.amount or Decimal(0)),
                                       contact_id, label) for p in parts]]
        else:  # in the line's currency: the parts add up to the whole's book amount
            assert line.currency is not None
            digits = s.money_digits
            kept = [resolve_account(s, p.account, field="--account").currency == line.currency
                    for p in parts]
            booked = split_to_book([p.amount or Decimal(0) for p in parts], rate, digits,
                                   fixed=kept)
            postings = [PostingInput(line.account, sign * to_book(total, rate, digits),
                                     memo=label, fx=(line.currency, sign * total, rate))]
            for p, book, in_it in zip(parts, booked, kept, strict=True):
                postings.append(PostingInput(
                    p.account, -sign * book, contact_id, label,
                    fx=(line.currency, -sign * (p.amount or Decimal(0)), rate)
                    if in_it else None))
            # every part kept in the line's currency: the rounding is an exchange difference
            exchange_difference(s, postings, label)
        entry = post_entry(s, line.date, text[:500], postings, source="bank")
        numbers.append(entry.number)
        entry_id = entry.id
    _mark(s, line.id, "payment" if payment_id else "entry", payment_id=payment_id,
          entry_id=entry_id)
    return numbers


def ignore_line(s: Tx, line_id: int | str) -> LineView:
    """Set a line aside (it needs no booking); `unmatch` brings it back."""
    line = _open_line(s, line_id)
    s.execute("UPDATE bank_line SET status = 'ignored', matched_at = :t WHERE id = :i",
              {"t": now(), "i": line.id})
    audit.record(s, "ignore", "bank_line", line.id, f"{line.account} {line.date}")
    return get_line(s, line.id)


def unmatch_line(s: Tx, line_id: int | str, *, on: dt.date | None = None) -> list[str]:
    """Cancel what the match posted (the payment's cancel, or the entry's reversal) and put
    the line (and a transfer's other side) back to unmatched. The cancel is dated on the
    bank date (default), so the book as of the statement no longer holds it. Returns the
    payments cancelled and the reversals' numbers."""
    line = get_line(s, line_id)
    if line.status == "unmatched":
        raise RuleViolation(_("line {i} is not matched").format(i=line.id), field="line")
    undone: list[str] = []
    on = on or max(line.date, _entry_date(s, line.entry)) if line.entry else on or line.date
    if line.payment:
        undone.append(cancel_payment(s, line.payment, on=on).number)
    if line.entry:
        undone.append(reverse_entry(s, line.entry, on=on, document=True,
                                    memo=_("Unmatch of bank line {i}").format(i=line.id)).number)
    entry_id = s.scalar("SELECT entry_id FROM bank_line WHERE id = :i", {"i": line.id})
    ids = [line.id]
    if line.match_kind == "transfer" and entry_id is not None:
        ids = s.execute("SELECT id FROM bank_line WHERE entry_id = :e", {"e": entry_id}).scalars()
    s.execute("UPDATE bank_line SET status = 'unmatched', match_kind = NULL, "
              "payment_id = NULL, entry_id = NULL, rule_id = NULL, matched_at = NULL "
              "WHERE id IN :ids", {"ids": ids})
    audit.record(s, "unmatch", "bank_line", line.id, f"{line.matched_to or line.status}")
    return undone


def _entry_date(s: Tx, number: str) -> dt.date:
    return as_date(s.scalar("SELECT date FROM journal_entry WHERE number = :n",  # type: ignore[return-value]
                            {"n": number}))


# -- suggestions -----------------------------------------------------------------------------

def _similar(name: str, text: str) -> float:
    a, b = name.casefold(), text.casefold()
    if not a or not b:
        return 0.0
    if a in b:
        return 1.0
    return max((SequenceMatcher(None, a, w).ratio() for w in [b, *b.split()]), default=0.0)


def suggestions(s: Tx, line: LineView, limit: int = 3) -> list[Suggestion]:
    """Up to `limit` open documents the line might pay: by amount (within 20 %), date
    (the document before the bank date, the nearer the better) and name similarity."""
    digits = s.money_digits
    kind = "invoice" if line.amount > 0 else "bill"
    wanted = to_minor(abs(line.amount), digits)
    # documents in the line's currency, by what they owe in it
    same, due = ("i.currency IS NULL", "i.gross - i.paid") if line.currency is None else (
        "i.currency = :c", "i.gross_fx - COALESCE(i.paid_fx, 0)")
    rows = s.all(f"SELECT i.number, c.name, {due}, i.date, i.supplier_ref "
                 "FROM invoice i "
                 "JOIN contact c ON c.id = i.contact_id WHERE i.kind = :k AND "
                 f"i.status = 'open' AND {due} BETWEEN :lo AND :hi "
                 f"AND i.date <= :d AND {same} "
                 f"ORDER BY abs({due} - :w), i.date DESC LIMIT 50",
                 {"k": kind, "lo": wanted * 8 // 10, "hi": wanted * 12 // 10 + 1,
                  "d": line.date, "w": wanted,
                  **({"c": line.currency} if line.currency else {})})
    text = f"{line.counterparty} {line.description} {line.reference}"
    found = []
    for number, name, due, day, ref in rows:
        amount_score = 1.0 - abs(int(due) - wanted) / max(wanted, 1) * 5
        days = (line.date - as_date(day)).days  # type: ignore[operator]
        date_score = max(0.0, 1.0 - days / 90)
        named = number.upper() in text.upper() or bool(
            ref and (found_ref := refs_pattern([str(ref)])) and found_ref.search(text))
        name_score = 1.0 if named else _similar(str(name), text)
        score = 0.5 * max(amount_score, 0.0) + 0.2 * date_score + 0.3 * name_score
        found.append(Suggestion(kind, str(number), str(name), from_minor(due, digits),
                                as_date(day), round(score, 3)))  # type: ignore[arg-type]
    found.sort(key=lambda x: -x.score)
    return found[:limit]
