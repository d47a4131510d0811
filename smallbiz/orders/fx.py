"""Revaluation: the unrealised exchange difference on open foreign invoices and bills, and
on the bank and cash accounts kept in another currency.

`revalue(as_of=D)` takes every invoice and bill in another currency still open on D (its
foreign balance as of D: gross less the allocations of payments live on D and the credit
or debit notes live on D), converts the
balance at D's rate (the rate table's, or one given) and posts the difference against
what the book holds for it, dated D, with its reversal dated the next day (so the
realised difference is still measured from the document's own rate when it is paid):

    invoice: Dr Receivable (contact) / Cr Exchange gains   when the currency rose
             Cr Receivable (contact) / Dr Exchange losses  when it fell
    bill:    Cr Payable (contact) / Dr Exchange losses     when the currency rose
             Dr Payable (contact) / Cr Exchange gains      when it fell

An account kept in another currency (a foreign bank or cash account, `account.currency`)
is revalued in the same entry: its foreign balance on D × D's rate, less its book balance
on D (`books.reports.foreign_balances`), on a posting of foreign amount 0 at D's rate (it
moves the book value only, `books.fx.holds`):

    account: Dr the account / Cr Exchange gains    when the currency rose
             Cr the account / Dr Exchange losses   when it fell

A day is revalued once: asking again for the same D is refused (its entry and reversal
stay as they are).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from smallbiz import audit
from smallbiz.books.accounts import account_by_role
from smallbiz.books.fx import foreign_currency, parse_rate, rate_on, to_book
from smallbiz.books.journal import PostingInput, post_entry, reverse_entry
from smallbiz.books.reports import foreign_balances
from smallbiz.errors import RuleViolation
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.orders.common import check_open
from smallbiz.sql import Tx


@dataclass(frozen=True)
class RevaluedDocument:
    number: str
    kind: str  # invoice | bill
    contact: str
    currency: str
    balance_fx: Decimal  # open on the day, in its currency
    rate: Decimal  # the day's
    balance: Decimal  # what the book holds for it (at the document's rate)
    revalued: Decimal  # balance_fx x rate
    difference: Decimal  # + gain, - loss


@dataclass(frozen=True)
class RevaluedAccount:
    code: str
    name: str
    currency: str
    balance_fx: Decimal  # on the day, in its currency
    rate: Decimal  # the day's
    balance: Decimal  # what the book holds for it
    revalued: Decimal  # balance_fx x rate
    difference: Decimal  # + gain, - loss


@dataclass(frozen=True)
class Revaluation:
    as_of: dt.date
    entry: str | None  # None: nothing to revalue
    reversal: str | None
    gain: Decimal
    loss: Decimal
    documents: list[RevaluedDocument] = field(default_factory=list)
    accounts: list[RevaluedAccount] = field(default_factory=list)


#: Foreign invoices and bills live on :d, with what was allocated to them by payments live
#: on :d (applied by then) and what their notes live on :d credited: book and foreign
#: amounts.
_OPEN = (
    "SELECT i.id, i.number, i.kind, i.contact_id, c.name, i.currency, i.gross, i.gross_fx, "
    " COALESCE(SUM(a.amount), 0), COALESCE(SUM(a.amount_fx), 0), "
    " (SELECT COALESCE(SUM(n.gross), 0) FROM invoice n WHERE n.credits_id = i.id "
    "  AND n.date <= :d AND (n.status <> 'cancelled' OR n.cancelled_on > :d)), "
    " (SELECT COALESCE(SUM(n.gross_fx), 0) FROM invoice n WHERE n.credits_id = i.id "
    "  AND n.date <= :d AND (n.status <> 'cancelled' OR n.cancelled_on > :d)) "
    "FROM invoice i JOIN contact c ON c.id = i.contact_id "
    "LEFT JOIN payment_allocation a ON a.invoice_id = i.id AND a.applied_on <= :d "
    " AND EXISTS (SELECT 1 FROM payment p WHERE p.id = a.payment_id AND (p.status = 'posted' "
    "  OR p.cancelled_on > :d)) "
    "WHERE i.currency IS NOT NULL AND i.kind IN ('invoice', 'bill') AND i.date <= :d "
    " AND (i.status <> 'cancelled' OR i.cancelled_on > :d) "
    "GROUP BY i.id, i.number, i.kind, i.contact_id, c.name, i.currency, i.gross, i.gross_fx "
    "ORDER BY i.kind DESC, i.date, i.id")


def revalue(s: Tx, as_of: dt.date, rates: dict[str, str]) -> Revaluation:
    """Post the unrealised exchange difference at `as_of` and its reversal the next day
    (see the module docstring). `rates`: currency → rate, instead of the rate table's.

    Validates: neither day is on or before the lock date; the day was not revalued yet;
    each currency given is foreign, each rate > 0; every currency open has a rate. Writes
    the two entries (source revaluation, and its reversal) and an audit row."""
    digits = s.money_digits
    zero = from_minor(0, digits)
    check_open(s, as_of, what=_("revaluation date"))
    after = as_of + dt.timedelta(days=1)
    check_open(s, after, what=_("its reversal date"))
    done = s.scalar("SELECT number FROM journal_entry WHERE source = 'revaluation' "
                    "AND date = :d AND reverses_id IS NULL", {"d": as_of.isoformat()})
    if done is not None:
        raise RuleViolation(_("{date} was revalued already ({n}); a day is revalued once "
                              "and nothing was written").format(date=as_of.isoformat(),
                                                                n=done), field="--as-of")
    given = {foreign_currency(s, code, field="--rate"): parse_rate(value, field="--rate")
             for code, value in rates.items()}
    docs: list[RevaluedDocument] = []
    postings: list[PostingInput] = []
    receivable = payable = None
    for (_id, number, kind, contact_id, contact, currency, gross, gross_fx, paid,
         paid_fx, credited, credited_fx) in s.execute(_OPEN, {"d": as_of.isoformat()}):
        balance_fx = from_minor(gross_fx - paid_fx - credited_fx, digits)
        if balance_fx == 0:
            continue
        rate = given.get(currency) or rate_on(s, currency, as_of)
        balance = from_minor(gross - paid - credited, digits)
        revalued = to_book(balance_fx, rate, digits)
        sign = 1 if kind == "invoice" else -1  # an asset rises, a liability falls
        difference = sign * (revalued - balance)
        docs.append(RevaluedDocument(number, kind, contact, currency, balance_fx, rate,
                                     balance, revalued, difference))
        if revalued != balance:
            if kind == "invoice":
                receivable = receivable or account_by_role(s, "receivable").code
                account = receivable
            else:
                payable = payable or account_by_role(s, "payable").code
                account = payable
            postings.append(PostingInput(account, sign * (revalued - balance), contact_id,
                                         number))
    accounts: list[RevaluedAccount] = []
    for f in foreign_balances(s, as_of):
        if f.balance_fx == 0 and f.balance == 0:
            continue
        rate = given.get(f.currency) or rate_on(s, f.currency, as_of)
        revalued = to_book(f.balance_fx, rate, digits)
        accounts.append(RevaluedAccount(f.code, f.name, f.currency, f.balance_fx, rate,
                                        f.balance, revalued, revalued - f.balance))
        if revalued != f.balance:
            postings.append(PostingInput(f.code, revalued - f.balance,
                                         memo=_("revaluation of {code}").format(code=f.code),
                                         fx=(f.currency, zero, rate)))
    differences = [d.difference for d in docs] + [a.difference for a in accounts]
    gain = sum((d for d in differences if d > 0), zero)
    loss = -sum((d for d in differences if d < 0), zero)
    if not postings:
        return Revaluation(as_of, None, None, gain, loss, docs, accounts)
    if gain:
        postings.append(PostingInput(account_by_role(s, "fx_gain").code, -gain,
                                     memo=_("unrealised exchange gain")))
    if loss:
        postings.append(PostingInput(account_by_role(s, "fx_loss").code, loss,
                                     memo=_("unrealised exchange loss")))
    entry = post_entry(s, as_of, _("Revaluation of foreign balances as of {date}").format(
        date=as_of.isoformat()), postings, source="revaluation")
    reversal = reverse_entry(s, entry.number, on=after, document=True,
                             memo=_("Reversal of the revaluation of {date}").format(
                                 date=as_of.isoformat()))
    audit.record(s, "revalue", "journal_entry", entry.number,
                 f"as of {as_of.isoformat()}: gain {format_amount(gain, digits)}, loss "
                 f"{format_amount(loss, digits)} on {len(docs)} documents"
                 + (f" and {len(accounts)} accounts" if accounts else "")
                 + f"; reversed by {reversal.number}")
    return Revaluation(as_of, entry.number, reversal.number, gain, loss, docs, accounts)
