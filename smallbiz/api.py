"""`Book`: the use cases of the terminal app, one method each, over the package services.

The app gets a `Book` injected (tests build one on a tmp_path book). Every method opens
its own read snapshot or write transaction and calls the domain services, returning
their frozen dataclasses; the app never sees a session or an ORM object, so methods are
safe to call from worker threads (each call checks out its own connection).

A few paging helpers live here where a service lists rows but cannot jump to a row
number (the virtual table's scrollbar needs that); they only find the keyset key of a
row and then call the service.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any

from smallbiz.errors import UserError
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.books.accounts import AccountInfo
    from smallbiz.books.journal import EntryRow, EntryView
    from smallbiz.books.reports import BalanceSheet, Ledger, ProfitAndLoss, TrialBalance
    from smallbiz.dashboard import Dashboard
    from smallbiz.db import Database
    from smallbiz.settings import BookSettings


class ServiceMissing(UserError):
    """A part of smallbiz this screen needs is not in this installation yet."""


def service(module: str) -> ModuleType:
    """Import a domain service module, or raise ServiceMissing naming it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise ServiceMissing(_("{module} is not available in this version of smallbiz").format(
            module=module)) from None


def has_service(module: str, *names: str) -> bool:
    """True when `module` exists and defines every one of `names`."""
    try:
        mod = service(module)
    except ServiceMissing:
        return False
    return all(hasattr(mod, n) for n in names)


@dataclass(frozen=True)
class JournalLine:
    """One row of the journal entry form: an account and a debit or a credit."""

    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    memo: str = ""


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    kind: str
    roles: str
    email: str
    phone: str
    city: str
    archived: bool


class Book:
    """One book, as the terminal app uses it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._settings: BookSettings | None = None

    # -- the book itself ------------------------------------------------------------------
    def exists(self) -> bool:
        return self.db.exists()

    def create(self, company: str, currency: str, vat_rate: str) -> None:
        """Create the book (first run): validates all three fields first."""
        from smallbiz.book import init_book

        init_book(self.db, company=company, currency=currency, vat_rate=vat_rate)
        self.db.open()
        self._settings = None

    def where(self) -> str:
        return self.db.where()

    @property
    def settings(self) -> BookSettings:
        if self._settings is None:
            from smallbiz import settings

            with self.db.read() as s:
                self._settings = settings.load(s)
        return self._settings

    @property
    def company_name(self) -> str:
        return self.settings.company_name if self.exists() else ""

    @property
    def digits(self) -> int:
        return self.db.money_digits

    def format(self, amount: Decimal | None, *, grouping: bool = True) -> str:
        """An amount as the book shows it: fixed decimals, thousands grouped, never -0."""
        from smallbiz.money import format_amount

        if amount is None:
            return ""
        if amount == 0:
            amount = abs(amount)
        return format_amount(amount, self.digits, grouping=grouping)

    def parse_amount(self, text: str, *, field: str = "amount") -> Decimal:
        from smallbiz.money import parse_amount

        return parse_amount(text, self.digits, field=field)

    # -- dashboard --------------------------------------------------------------------------
    def dashboard(self, today: dt.date | None = None) -> Dashboard:
        from smallbiz.dashboard import dashboard

        with self.db.read() as s:
            return dashboard(s, today or dt.date.today())

    # -- accounts and the journal -------------------------------------------------------------
    def accounts(self) -> list[AccountInfo]:
        from smallbiz.books.accounts import list_accounts

        with self.db.read() as s:
            return list_accounts(s, include_archived=False)

    def account_matches(self, text: str, limit: int = 8) -> list[AccountInfo]:
        """Accounts whose code or name starts with `text`; then those whose name contains it."""
        needle = text.strip().casefold()
        accounts = self.accounts()
        if not needle:
            return accounts[:limit]
        first = [a for a in accounts
                 if a.code.casefold().startswith(needle) or a.name.casefold().startswith(needle)]
        rest = [a for a in accounts if a not in first and needle in a.name.casefold()]
        return (first + rest)[:limit]

    def account_ref(self, text: str) -> str:
        """'1010 Bank account' (a completion) → '1010'; anything else as typed."""
        value = text.strip()
        head = value.split(" ", 1)[0]
        if head != value and any(a.code == head for a in self.accounts()):
            return head
        return value

    def post_journal_entry(self, on: dt.date, memo: str,
                           lines: Sequence[JournalLine]) -> EntryView:
        """Post a manual entry from debit/credit rows (rows with neither are skipped)."""
        from smallbiz.books.journal import PostingInput, post_entry

        inputs = [PostingInput(line.account, line.debit - line.credit, memo=line.memo)
                  for line in lines if line.account.strip() or line.debit or line.credit]
        with self.db.transaction() as s:
            return post_entry(s, on, memo, inputs)

    def reverse_entry(self, number: str, on: dt.date | None = None) -> EntryView:
        from smallbiz.books.journal import reverse_entry

        with self.db.transaction() as s:
            return reverse_entry(s, number, on=on)

    def show_entry(self, number: str) -> EntryView:
        from smallbiz.books.journal import show_entry

        with self.db.read() as s:
            return show_entry(s, number)

    def entries_count(self) -> int:
        from sqlalchemy import text

        with self.db.read() as s:
            return int(s.execute(text("SELECT COUNT(*) FROM journal_entry")).scalar_one())

    def entries_page(self, offset: int, limit: int,
                     after: tuple[dt.date, int] | None = None) -> list[EntryRow]:
        """Journal entries in date order, `limit` from row `offset` (keyset after `after`
        when the caller knows the previous row's key, else the key is looked up once)."""
        from sqlalchemy import text

        from smallbiz.books.journal import _as_date, list_entries

        with self.db.read() as s:
            if after is None and offset > 0:
                row = s.execute(text(
                    "SELECT date, id FROM journal_entry ORDER BY date, id LIMIT 1 OFFSET :n"),
                    {"n": offset - 1}).first()
                if row is None:
                    return []
                after = (_as_date(row[0]), int(row[1]))
            return list_entries(s, after=after, limit=limit)

    def ledger(self, account: str, start: dt.date | None = None,
               end: dt.date | None = None) -> Ledger:
        from smallbiz.books.reports import account_ledger

        with self.db.read() as s:
            return account_ledger(s, account, start, end)

    # -- reports ---------------------------------------------------------------------------------
    def trial_balance(self, as_of: dt.date | None = None) -> TrialBalance:
        from smallbiz.books.reports import trial_balance

        with self.db.read() as s:
            return trial_balance(s, as_of)

    def profit_and_loss(self, start: dt.date | None = None,
                        end: dt.date | None = None) -> ProfitAndLoss:
        from smallbiz.books.reports import profit_and_loss

        with self.db.read() as s:
            return profit_and_loss(s, start, end)

    def balance_sheet(self, as_of: dt.date | None = None) -> BalanceSheet:
        from smallbiz.books.reports import balance_sheet

        with self.db.read() as s:
            return balance_sheet(s, as_of)

    # -- contacts --------------------------------------------------------------------------------
    def contacts_count(self, query: str = "") -> int:
        with self.db.read() as s:
            return _contacts_count(s, query)

    def contacts_page(self, query: str = "", after: tuple[str, int] | None = None,
                      limit: int = 100, offset: int = 0) -> list[ContactRow]:
        """Contacts matching `query`, by name (keyset paging on (name, id))."""
        with self.db.read() as s:
            return _contacts_page(s, query, after, limit, offset)

    def run(self, fn: Any, *args: Any, write: bool = False, **kwargs: Any) -> Any:
        """Call a service function `fn(session, ...)` in a read snapshot or a transaction."""
        ctx = self.db.transaction() if write else self.db.read()
        with ctx as s:
            return fn(s, *args, **kwargs)


# -- contact paging (until the CRM service offers a paged, searchable list) ---------------

def _contact_filter(query: str) -> tuple[str, dict[str, Any]]:
    from smallbiz.refs import like_prefix

    q = query.strip().lower()
    if not q:
        return "c.archived = 0", {}
    pattern = "%" + like_prefix(q)
    return ("c.archived = 0 AND (lower(c.name) LIKE :q ESCAPE '\\' "
            "OR lower(c.email) LIKE :q ESCAPE '\\')"), {"q": pattern}


def _contacts_count(s: Any, query: str) -> int:
    from sqlalchemy import text

    where, params = _contact_filter(query)
    return int(s.execute(text(f"SELECT COUNT(*) FROM contact c WHERE {where}"),
                         params).scalar_one())


def _contacts_page(s: Any, query: str, after: tuple[str, int] | None, limit: int,
                   offset: int) -> list[ContactRow]:
    from sqlalchemy import text

    where, params = _contact_filter(query)
    params = dict(params, limit=limit)
    if after is not None:
        where += " AND (c.name > :an OR (c.name = :an AND c.id > :ai))"
        params["an"], params["ai"] = after
        tail = ""
    else:
        tail = " OFFSET :offset"
        params["offset"] = offset
    rows = s.execute(text(
        "SELECT c.id, c.name, c.kind, c.is_customer, c.is_supplier, c.is_lead, c.email, "
        f"c.phone, c.city, c.archived FROM contact c WHERE {where} "
        f"ORDER BY c.name, c.id LIMIT :limit{tail}"), params).all()
    out = []
    for r in rows:
        roles = [label for flag, label in ((r[3], _("customer")), (r[4], _("supplier")),
                                            (r[5], _("lead"))) if flag]
        out.append(ContactRow(r[0], r[1], r[2], ", ".join(roles), r[6] or "", r[7] or "",
                              r[8] or "", bool(r[9])))
    return out
