"""`Book`: the use cases, one method each, over the domain services.

Both faces call it: the terminal app gets a `Book` injected (tests build one on a
tmp_path book), the CLI takes its own from its state (`smallbiz.cli.state.State.book`);
a command and a screen that do the same thing call the same method. Every method opens
its own read snapshot or write transaction (`smallbiz.sql.Tx`) and calls the domain
services, returning their frozen dataclasses; a caller never sees a transaction, so
methods are safe to call from worker threads (each call takes its own connection).

Typed input: dates as `datetime.date` (a face parses what was typed, naming its own
field in the error), amounts and quantities as the text typed (the services parse and
name the field) or as Decimals. `None` means "not given" (the service's default); other
values go to the service as they are, so an empty text is refused where the service
refuses it. A face maps what its own conventions mean (a form's blank field, a
completion's "1010 Bank account") to these inputs (`account_ref`, `product_ref`).

Long jobs (imports, exports) take `set_total(n)` and `advance(k)` callbacks, as the TUI's
progress dialog and the CLI's progress bar use them: `set_total` is called once the number
of steps is known, before the work starts.

A few paging helpers live here where a service lists rows but cannot jump to a row
number (the virtual table's scrollbar needs that); they only find the keyset key of a
row and then call the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smallbiz.app.bank import BankActions
from smallbiz.app.documents import DocumentActions
from smallbiz.app.firm import FirmActions
from smallbiz.app.fx import FxActions
from smallbiz.app.payments import PaymentActions
from smallbiz.app.today import TodayActions
from smallbiz.app.upkeep import UpkeepActions
from smallbiz.sql import Tx

if TYPE_CHECKING:
    from collections.abc import Callable

    from smallbiz.app.dashboard import Dashboard
    from smallbiz.audit import AuditRow
    from smallbiz.books.accounts import AccountInfo
    from smallbiz.books.entries import EntryRow
    from smallbiz.books.journal import EntryView
    from smallbiz.books.reports import BalanceSheet, Ledger, ProfitAndLoss, TrialBalance
    from smallbiz.crm.deals import DealView, Forecast
    from smallbiz.crm.importing import ImportReport
    from smallbiz.crm.interactions import InteractionView
    from smallbiz.crm.search import ContactFilter, ContactRow
    from smallbiz.crm.service import AddResult, ContactRef
    from smallbiz.crm.view import ContactView
    from smallbiz.db import Database
    from smallbiz.io.journal_export import JournalExport
    from smallbiz.io.journal_import import JournalImport
    from smallbiz.orders.invoices import InvoiceRow, InvoiceView
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.lists import PaymentRow
    from smallbiz.orders.payments import PaymentView
    from smallbiz.orders.reports import Aging, SalesReport, VatReport
    from smallbiz.orders.service import ActionResult, OrderRow, OrderView
    from smallbiz.settings import BookSettings
    from smallbiz.stock.service import (
        AdjustmentResult,
        Product360,
        ProductInfo,
        StockRow,
    )


@dataclass(frozen=True)
class JournalLine:
    """One line of a journal entry: an account and a debit or a credit (a row of the
    entry form, a `--posting` of `journal add`). `balancing`: the line takes whatever
    amount balances the entry (at most one line may)."""

    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    memo: str = ""
    balancing: bool = False
    #: A line in another currency (a foreign bank account's): its amount in `currency`
    #: (debit positive) instead of debit/credit, converted at `rate` (default: the rate
    #: table's for the entry's date).
    currency: str | None = None
    amount_fx: Decimal | None = None
    rate: str | None = None


@dataclass(frozen=True)
class InvoicePdf:
    """An invoice or bill written as a PDF: its full number and the file."""

    number: str
    path: Path


@dataclass(frozen=True)
class LinePreview:
    """One order line as the editor shows it: the product's defaults filled in, amounts
    rounded as the order service will round them."""

    sku: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    #: the currency `unit_price` is in ("": the book's); a line priced in another
    #: currency than its order's is saved without its price (`Book.save_order`)
    currency: str = ""


class Book(BankActions, DocumentActions, FirmActions, FxActions, PaymentActions,
           UpkeepActions, TodayActions):
    """One book, as the terminal app uses it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._settings: BookSettings | None = None

    # -- the book itself -----------------------------------------------------------------------
    def exists(self) -> bool:
        return self.db.exists()

    def create(self, company: str, currency: str, vat_rate: str, *, chart: str = "default",
               details: dict[str, str] | None = None) -> None:
        """Create the book (first run): validates every field first (the company's
        `details` are settings such as tax_id, legal_address, bank_accounts)."""
        from smallbiz import settings
        from smallbiz.book import init_book

        details = {k: v for k, v in (details or {}).items() if v.strip()}
        settings.validate_many(details)
        init_book(self.db, company=company, currency=currency, vat_rate=vat_rate, chart=chart)
        self.db.open()
        self._settings = None
        if details:
            self.change_settings(details)

    def where(self) -> str:
        return self.db.where()

    @property
    def settings(self) -> BookSettings:
        if self._settings is None:
            from smallbiz import settings

            with self.db.read() as r:
                self._settings = settings.load(r)
        return self._settings

    @property
    def company_name(self) -> str:
        """The app's title ("" before the first-run form has created the book)."""
        if self._settings is None and not self.exists():
            return ""
        return self.settings.company_name

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

    def raw_settings(self) -> dict[str, str]:
        """Every setting as stored (text)."""
        from smallbiz import settings

        with self.db.read() as r:
            return settings.all_raw(r)

    def change_setting(self, key: str, value: str) -> str:
        """Change one editable setting; returns the value as stored."""
        from smallbiz.book import change_setting

        with self.db.transaction() as s:
            stored = change_setting(s, key, value)
        self._settings = None
        return stored

    def lock_books(self, until: str | dt.date, *, future: bool = False) -> dt.date:
        """Close the books up to and including `until`; returns the new lock date."""
        from smallbiz import settings

        with self.db.transaction() as s:
            locked = settings.set_lock_date(s, until, future=future)
        self._settings = None
        return locked

    def reopen_books(self, start: str | dt.date, reason: str) -> dt.date:
        """Open the books again from `start` on (audited with `reason`); returns the new
        lock date, the day before `start`."""
        from smallbiz import settings

        with self.db.transaction() as s:
            locked = settings.reopen_from(s, start, reason)
        self._settings = None
        return locked

    def audit_log(self, *, since: dt.date | None = None, entity: str | None = None,
                  limit: int = 200) -> list[AuditRow]:
        """Who changed what and when, newest first."""
        from smallbiz import audit

        with self.db.read() as r:
            return audit.list_rows(r, since=since, entity=entity, limit=limit)

    def change_mark(self) -> tuple[int, int]:
        """A cheap mark that moves whenever anything is written to the book, by this or any
        other process (the newest audit row and journal entry: every write adds one), on
        SQLite and PostgreSQL alike. A screen compares it to know it shows the book as it
        is."""
        with self.db.read() as r:
            row = r.execute("SELECT (SELECT max(id) FROM audit_log), "
                            "(SELECT max(id) FROM journal_entry)").fetchone()
        return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)

    # -- dashboard -----------------------------------------------------------------------------
    def dashboard(self, today: dt.date | None = None, *, later: bool = True) -> Dashboard:
        """The dashboard's figures; `later=False`: without the slow ones, which
        `dashboard_later` adds (`app.dashboard.dashboard`)."""
        from smallbiz import dates
        from smallbiz.app.dashboard import dashboard

        with self.db.read() as r:
            return dashboard(r, today or dates.today(), later=later)

    def dashboard_later(self, first: Dashboard) -> Dashboard:
        """`first` (read with `later=False`) with the VAT reminder or threshold and the
        customers to remind."""
        from dataclasses import replace

        from smallbiz.app.dashboard import dashboard_later

        with self.db.read() as r:
            return replace(first, **dashboard_later(r, first.today, first.currency))

    # -- accounts and the journal --------------------------------------------------------------
    def accounts(self, *, include_archived: bool = False) -> list[AccountInfo]:
        from smallbiz.books.accounts import list_accounts

        with self.db.read() as s:
            return list_accounts(s, include_archived=include_archived)

    def add_account(self, code: str, name: str, type_: str, *,
                    parent: str | None = None, currency: str | None = None) -> AccountInfo:
        """Add an account; `currency`: a bank or cash account kept in another currency."""
        from smallbiz.books.accounts import add_account

        with self.db.transaction() as s:
            return add_account(s, code, name, type_, parent=parent, currency=currency)

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
        """Post a manual entry from debit/credit lines (lines with no account and no
        amount, a form's empty rows, are skipped). A line in another currency is converted
        at its rate (default: the rate table's for `on`) by the one rule
        (`books.fx.to_book`)."""
        from smallbiz.books.fx import resolve_foreign, to_book
        from smallbiz.books.journal import PostingInput, post_entry

        with self.db.transaction() as s:
            inputs = []
            for line in lines:
                if line.currency is not None and line.amount_fx is not None:
                    fx = resolve_foreign(s, line.currency, line.rate, on)
                    assert fx is not None
                    inputs.append(PostingInput(
                        line.account, to_book(line.amount_fx, fx.rate, s.money_digits),
                        memo=line.memo, fx=(fx.currency, line.amount_fx, fx.rate)))
                elif line.account.strip() or line.debit or line.credit or line.balancing:
                    inputs.append(PostingInput(
                        line.account, None if line.balancing else line.debit - line.credit,
                        memo=line.memo))
            return post_entry(s, on, memo, inputs)

    def reverse_entry(self, number: str, on: dt.date | None = None) -> EntryView:
        from smallbiz.books.journal import reverse_entry

        with self.db.transaction() as s:
            return reverse_entry(s, number, on=on)

    def show_entry(self, number: str) -> EntryView:
        from smallbiz.books.journal import show_entry

        with self.db.read() as s:
            return show_entry(s, number)

    def entries(self, *, start: dt.date | None = None, end: dt.date | None = None,
                account: str | None = None, limit: int | None = None) -> list[EntryRow]:
        """Journal entries in date order; `account`: only those with a posting to it."""
        from smallbiz.books.entries import list_entries

        with self.db.read() as r:
            return list_entries(r, start=start, end=end, account=account, limit=limit)

    def entries_count(self) -> int:
        with self.db.read() as r:
            return _count(r, "journal_entry", "1 = 1", {})

    def entries_page(self, offset: int, limit: int,
                     after: tuple[dt.date, int] | None = None) -> list[EntryRow]:
        """Journal entries in date order, `limit` from row `offset`: keyset after `after`
        when the caller knows the previous row's key (scrolling on); on a jump the key is
        looked up once, counting from whichever end of the journal is nearer."""
        from smallbiz.books.entries import list_entries

        with self.db.read() as r:
            if after is None and offset > 0:
                after = _key_at(r, "journal_entry", "1 = 1", {}, offset)
                if after is None:
                    return []
            return list_entries(r, after=after, limit=limit)

    def ledger(self, account: str, start: dt.date | None = None,
               end: dt.date | None = None) -> Ledger:
        from smallbiz.books.reports import account_ledger

        with self.db.read() as s:
            return account_ledger(s, account, start, end)

    # -- reports -------------------------------------------------------------------------------
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

    # -- contacts ------------------------------------------------------------------------------
    def contacts_count(self, query: str | ContactFilter = "") -> int:
        from smallbiz.crm.search import count_contacts

        with self.db.read() as r:
            return count_contacts(r, _contact_filter(query))

    def contacts_page(self, query: str | ContactFilter = "",
                      after: tuple[str, int] | None = None, limit: int = 100, offset: int = 0,
                      *, after_id: int | None = None) -> list[ContactRow]:
        """Contacts matching `query` (the CRM search: name, email, phone, tags, …; or a
        whole `ContactFilter`) in name order; keyset paging after `(name_key, id)` or the
        contact `after_id`, or from row `offset` on a jump."""
        from smallbiz.crm.search import list_contacts

        f = _contact_filter(query)
        with self.db.read() as r:
            if after is None and after_id is None and offset > 0:
                after = _contact_key_at(r, f, offset)
                if after is None:
                    return []
            return list_contacts(r, f, limit=limit, after=after, after_id=after_id)

    def contact_names(self, text: str, role: str | None = None, limit: int = 8) -> list[str]:
        """Names for completing a contact field; those with `role` (customer, supplier)
        first, then names that start with the text."""
        from smallbiz.crm.search import ContactFilter, list_contacts

        if not text.strip():
            return []
        with self.db.read() as s:
            rows = list_contacts(s, ContactFilter(search=text.strip()), limit=limit * 4)
        key = text.strip().casefold()
        rows.sort(key=lambda r: (role is not None and role not in r.roles,
                                 not r.name.casefold().startswith(key), r.name_key))
        return [r.name for r in rows[:limit]]

    def contact_360(self, ref: str | int) -> ContactView:
        from smallbiz.app import root
        from smallbiz.crm.view import contact_360

        with self.db.read() as s:
            return contact_360(s, ref, sections=root.CONTACT_SECTIONS)

    def add_contact(self, name: str, *, kind: str = "person", organization: str | None = None,
                    emails: Sequence[str] = (), phones: Sequence[str] = (),
                    roles: Sequence[str] = (), street: str = "", city: str = "",
                    postcode: str = "", country: str = "", tax_id: str = "", notes: str = "",
                    terms: str | int | None = None, tags: Sequence[str] = (),
                    on_duplicate: str = "refuse") -> AddResult:
        """Add a contact; the first email and phone are the main ones (blank ones are
        left out); `organization` (a name or id) is made if missing; `terms`: payment
        days (None: the book's). `on_duplicate`: refuse, merge or allow a contact that
        exists (same email, or same name and organization)."""
        from smallbiz.crm.service import Channel, ContactData, add_contact

        data = ContactData(name=name, kind=kind, organization=organization,
                           roles=frozenset(r for r in roles if r),
                           emails=tuple(Channel(e) for e in emails),
                           phones=tuple(Channel(p) for p in phones), street=street,
                           city=city, postcode=postcode, country=country, tax_id=tax_id,
                           notes=notes, payment_terms_days=terms,  # type: ignore[arg-type]
                           tags=tuple(tags))
        with self.db.transaction() as s:
            return add_contact(s, data, on_duplicate=on_duplicate)

    def edit_contact(self, ref: str | int, *, add_tags: Sequence[str] = (),
                     remove_tags: Sequence[str] = (), **changes: Any) -> ContactRef:
        """Change only the fields given (see `smallbiz.crm.service.edit_contact`)."""
        from smallbiz.crm.service import edit_contact

        with self.db.transaction() as s:
            return edit_contact(s, ref, add_tags=add_tags, remove_tags=remove_tags, **changes)

    def set_archived(self, ref: str | int, archived: bool = True) -> ContactRef:
        from smallbiz.crm.service import set_archived

        with self.db.transaction() as s:
            return set_archived(s, ref, archived)

    def delete_contact(self, ref: str | int) -> ContactRef:
        """Delete a contact nothing refers to (one with history can only be archived)."""
        from smallbiz.crm.service import delete_contact

        with self.db.transaction() as s:
            return delete_contact(s, ref)

    def log_interaction(self, contact: str | int, summary: str, *, kind: str = "note",
                        on: str | dt.date | None = None,
                        follow_up: str | dt.date | None = None) -> InteractionView:
        """Record an interaction (`on`: default today); a follow-up date makes it due."""
        from smallbiz.crm.interactions import log_interaction

        with self.db.transaction() as s:
            return log_interaction(s, contact, summary, kind=kind, on=on, follow_up=follow_up)

    def due_follow_ups(self, until: str | dt.date | None = None) -> list[InteractionView]:
        from smallbiz.crm.interactions import due_follow_ups

        with self.db.read() as s:
            return due_follow_ups(s, until)

    def mark_done(self, interaction_id: int | str) -> InteractionView:
        from smallbiz.crm.interactions import mark_done

        with self.db.transaction() as s:
            return mark_done(s, interaction_id)

    def import_contacts(self, path: str, set_total: Callable[[int | None], None] | None = None,
                        advance: Callable[[int], None] | None = None, *,
                        fmt: str | None = None, skip_invalid: bool = True,
                        update: bool = False, locale: str | None = None) -> ImportReport:
        """Import a CSV or vCard file of contacts (`fmt`: csv or vcard, default from the
        name) in one transaction. Duplicates are skipped (merged with `update`); invalid
        records are skipped and listed (`skip_invalid`), else nothing is imported. Dates
        (birthdays) are read in `locale` (ka: `01.12.1980`), else in the language in
        force."""
        from smallbiz.crm.importing import import_contacts, progress_steps, read_contacts_file
        from smallbiz.i18n import reading

        with reading(locale):
            batch = read_contacts_file(path, fmt)
            if set_total is not None:
                set_total(progress_steps(batch))
            with self.db.transaction() as s:
                return import_contacts(s, batch, skip_invalid=skip_invalid, update=update,
                                       on_progress=advance)

    def export_contacts(self, path: str, *, fmt: str | None = None,
                        vcard_version: str = "4.0", include_archived: bool = False,
                        force: bool = False,
                        set_total: Callable[[int | None], None] | None = None,
                        advance: Callable[[int], None] | None = None) -> int:
        """Write the contacts to a CSV or vCard file ('-': stdout); returns how many."""
        from smallbiz.crm.importing import write_contacts_file

        with self.db.read() as r:
            if set_total is not None:
                set_total(_count(r, "contact", "1 = 1" if include_archived
                                 else "archived = :a", {"a": False}))
            return write_contacts_file(r, path, fmt, vcard_version=vcard_version,
                                       include_archived=include_archived,
                                       on_progress=advance, force=force, book=self.db)

    def import_products(self, path: str, set_total: Callable[[int | None], None] | None = None,
                        advance: Callable[[int], None] | None = None, *,
                        locale: str | None = None) -> int:
        """Import a products CSV (all rows or none); returns how many were added. Its
        numbers are read in `locale` (ka: `1 234,56`; en: `1,234.56`), else in the
        language in force."""
        from smallbiz.i18n import reading
        from smallbiz.stock.importer import import_products

        with reading(locale):
            if set_total is not None:
                set_total(_data_lines(path))
            with self.db.transaction() as s:
                return import_products(s, path, progress=advance)

    # -- deals ---------------------------------------------------------------------------------
    def deals(self, *, stage: str | None = None, contact: str | int | None = None,
              open_only: bool = False) -> list[DealView]:
        """Open deals by expected close, then closed ones (newest first)."""
        from smallbiz.crm.deals import list_deals

        with self.db.read() as s:
            return list_deals(s, stage=stage, contact=contact, open_only=open_only)

    def add_deal(self, contact: str | int, title: str, value: str, *, stage: str = "lead",
                 probability: str | None = None,
                 expected_close: str | dt.date | None = None) -> DealView:
        from smallbiz.crm.deals import add_deal

        with self.db.transaction() as s:
            return add_deal(s, contact, title, value, stage=stage, probability=probability,
                            expected_close=expected_close)

    def move_deal(self, deal: int | str, stage: str, *, probability: str | None = None,
                  on: str | dt.date | None = None) -> DealView:
        """Move a deal (id, title or unique title prefix) to another stage; won and lost
        ones are closed on `on` (default today)."""
        from smallbiz.crm.deals import move_deal

        with self.db.transaction() as s:
            return move_deal(s, deal, stage, probability=probability, on=on)

    def edit_deal(self, deal: int | str, *, title: str | None = None,
                  value: str | None = None, expected_close: str | dt.date | None = None,
                  stage: str | None = None, probability: str | None = None) -> DealView:
        """Change a deal's title, value, expected close (`""` clears it), stage or
        probability; None keeps what is there. One audit row."""
        from smallbiz.crm.deals import edit_deal

        with self.db.transaction() as s:
            return edit_deal(s, deal, title=title, value=value,
                             expected_close=expected_close, stage=stage,
                             probability=probability)

    def forecast(self, start: str | dt.date | None = None,
                 end: str | dt.date | None = None) -> Forecast:
        from smallbiz.crm.deals import forecast

        with self.db.read() as s:
            return forecast(s, start, end)

    # -- products and stock --------------------------------------------------------------------
    def products(self, search: str | None = "", *, low_only: bool = False,
                 include_archived: bool = False) -> list[ProductInfo]:
        """Products and services by SKU; `search`: text in the SKU or name."""
        from smallbiz.stock.reports import product_rows

        with self.db.read() as r:
            return product_rows(r, search=search or None, low_only=low_only,
                                include_archived=include_archived)

    def product_matches(self, text: str, limit: int = 8) -> list[str]:
        """'SKU Name' strings for completing a product field."""
        if not text.strip():
            return []
        key = text.strip().casefold()
        rows = self.products(text)
        rows.sort(key=lambda p: (not p.sku.casefold().startswith(key),
                                 not p.name.casefold().startswith(key),
                                 not any(w.startswith(key) for w in p.name.casefold().split()),
                                 p.sku.casefold()))
        return [f"{p.sku} {p.name}" for p in rows[:limit]]

    def product(self, ref: str | int) -> ProductInfo:
        from smallbiz.stock.service import resolve_product

        with self.db.read() as s:
            return resolve_product(s, ref)

    def product_ref(self, text: str) -> str:
        """'TOOL-04 Cordless drill' (a completion) → 'TOOL-04'; anything else as typed."""
        value = text.strip()
        head = value.split(" ", 1)[0]
        if head != value and any(p.sku == head for p in self.products(head)):
            return head
        return value

    def add_product(self, sku: str, name: str, *, price: str, cost: str | None = None,
                    unit: str | None = None, vat_rate: str | None = None,
                    reorder: str | None = None, service: bool = False,
                    expense_account: str | None = None) -> ProductInfo:
        """Add a product or service (`unit`: default pcs; `vat_rate`: the book's; an empty
        cost, VAT rate or reorder level is none given; `expense_account`: a service's
        account on bills)."""
        from smallbiz.stock.service import add_product

        with self.db.transaction() as s:
            return add_product(s, sku, name, price=price, cost=cost,
                               unit="pcs" if unit is None else unit, vat_rate=vat_rate,
                               reorder=reorder, service=service,
                               expense_account=expense_account)

    def edit_product(self, ref: str | int, *, sku: str | None = None, name: str | None = None,
                     price: str | None = None, cost: str | None = None,
                     unit: str | None = None, vat_rate: str | None = None,
                     reorder: str | None = None,
                     expense_account: str | None = None) -> ProductInfo:
        """Change a product's details: only those given (not None) change; an empty
        `cost`, `reorder` or `expense_account` clears it."""
        from smallbiz.stock.service import UNSET, edit_product

        with self.db.transaction() as s:
            return edit_product(s, ref, sku=sku, name=name, price=price,
                                cost=UNSET if cost is None else cost, unit=unit,
                                vat_rate=vat_rate,
                                reorder=UNSET if reorder is None else reorder,
                                expense_account=UNSET if expense_account is None
                                else expense_account)

    def archive_product(self, ref: str | int, *, archived: bool = True) -> ProductInfo:
        """Hide a product from lists and new documents (it must have no stock), or bring
        it back."""
        from smallbiz.stock.service import archive_product

        with self.db.transaction() as s:
            return archive_product(s, ref, archived=archived)

    def adjust_stock(self, sku: str, qty: str, *, cost: str | None = None, reason: str = "",
                     on: str | dt.date | None = None, opening: bool = False
                     ) -> AdjustmentResult:
        """Correct a count or enter opening stock (and post its journal entry); `cost`:
        the unit cost of stock added (default: the average, else the default cost);
        `on`: default today."""
        from smallbiz.stock.service import adjust_stock

        with self.db.transaction() as s:
            return adjust_stock(s, sku, qty, cost=cost, reason=reason, on=on, opening=opening)

    def stock_report(self, *, low_only: bool = False) -> list[StockRow]:
        from smallbiz.stock.reports import stock_report

        with self.db.read() as r:
            return stock_report(r, low_only=low_only)

    def product_360(self, ref: str | int) -> Product360:
        from smallbiz.app import root
        from smallbiz.stock.service import product_360

        with self.db.read() as s:
            return product_360(s, ref, sections=root.PRODUCT_SECTIONS)

    # -- orders --------------------------------------------------------------------------------
    def orders(self, kind: str, *, status: str | None = None, contact: str | int | None = None,
               open_only: bool = False, limit: int | None = None) -> list[OrderRow]:
        """Orders of one kind (sale, purchase) in date order; `contact`: only this one's
        (name, unique prefix or id); `open_only`: with something left to do."""
        from smallbiz.orders.lists import list_orders

        with self.db.read() as r:
            return list_orders(r, kind, status=status, contact_id=_contact_id(r, contact),
                               open_only=open_only, limit=limit)

    def orders_count(self, kind: str, status: str | None = None) -> int:
        where, params = _order_filter(kind, status)
        with self.db.read() as r:
            return _count(r, "trade_order", where, params)

    def orders_page(self, kind: str, status: str | None, offset: int, limit: int,
                    after: tuple[dt.date, int] | None = None) -> list[OrderRow]:
        """One page of orders in date order (keyset after `after`, or from row `offset`)."""
        from smallbiz.orders.lists import list_orders

        with self.db.read() as r:
            if after is None and offset > 0:
                where, params = _order_filter(kind, status)
                after = _key_at(r, "trade_order", where, params, offset)
                if after is None:
                    return []
            return list_orders(r, kind, status=status or None, after=after, limit=limit)

    def order(self, kind: str, ref: str | int) -> OrderView:
        from smallbiz.orders.service import show_order

        with self.db.read() as s:
            return show_order(s, kind, ref)

    def line_product(self, text: str) -> ProductInfo:
        """The product an order line's text names, by the rule its completion offers
        (`product_matches`: text in the SKU or name) as well as the service's (exact or
        unique prefix): what the completion lists alone is what the preview takes."""
        from smallbiz.errors import NotFound

        try:
            return self.product(self.product_ref(text))
        except NotFound:
            matches = self.products(text)
            if len(matches) == 1:
                return matches[0]
            raise

    def line_preview(self, kind: str, product: str, quantity: str, price: str = "",
                     discount: str = "", currency: str = "") -> LinePreview:
        """What one order line will come to (the order editor shows it as you type).
        Raises the same ValidationError the order service would, naming the field;
        `currency` (an order in another currency): the price must be given, in it."""
        from smallbiz.money import parse_percent, parse_quantity
        from smallbiz.orders.lines import line_amounts, parse_unit_price
        from smallbiz.orders.service import price_in_currency_needed

        p = self.line_product(product)
        qty = parse_quantity(quantity or "1", field="quantity")
        if price.strip():
            unit_price = parse_unit_price(price, field="price")
        elif currency.strip():
            raise price_in_currency_needed("price", p.sku, currency.strip().upper())
        else:
            unit_price = p.price if kind == "sale" else (p.cost or p.average_cost or Decimal(0))
        pct = parse_percent(discount, field="discount") if discount.strip() else Decimal(0)
        amounts = line_amounts(qty, unit_price, pct, p.vat_rate, self.digits)
        return LinePreview(p.sku, p.name, p.unit, qty, unit_price, pct, p.vat_rate,
                           amounts.net, amounts.vat, amounts.gross,
                           self.currency_code(currency))

    def currency_code(self, text: str) -> str:
        """A document's currency as typed, as its code ("$" → "USD"); "" for the book's
        (empty or its own code); a text that is no currency as typed (the save says so)."""
        from smallbiz.books.fx import is_book_currency, validate_currency_or_none

        if is_book_currency(text, self.settings.currency):
            return ""
        value = text.strip()
        return validate_currency_or_none(value) or value.upper()

    def create_order(self, kind: str, contact: str | int, lines: Sequence[LineInput], *,
                     on: dt.date | None = None, notes: str = "",
                     currency: str | None = None) -> OrderView:
        """A new draft order (sale or purchase) with its lines (`orders.lines.LineInput`:
        no price or discount given takes the product's); `currency`: priced in it."""
        from smallbiz.orders.service import create_order

        with self.db.transaction() as s:
            return create_order(s, kind, contact, list(lines), on=on, notes=notes,
                                currency=currency)

    def edit_order(self, kind: str, ref: str | int, *, contact: str | int | None = None,
                   lines: Sequence[LineInput] | None = None, on: dt.date | None = None,
                   notes: str | None = None, currency: str | None = None) -> OrderView:
        """Change a draft order: only what is given (not None) changes; `lines` replace
        all of its lines; `currency` (empty or the book's code: the book's) re-prices it
        (`orders.service.edit_order`)."""
        from smallbiz.orders.service import edit_order

        with self.db.transaction() as s:
            return edit_order(s, kind, ref, contact=contact,
                              lines=None if lines is None else list(lines), on=on, notes=notes,
                              currency=currency)

    def save_order(self, kind: str, contact: str, lines: Sequence[LinePreview], *,
                   number: str | None = None, on: str = "", notes: str = "",
                   currency: str = "") -> OrderView:
        """The order editor's save: a new draft (`create_order`; `currency`: priced in
        it, empty: the book's), or a draft's contact, lines, date, notes and currency all
        replaced (`edit_order`). A line priced in another currency than `currency` goes
        without its price, as if none was typed: the product's in the book's currency,
        refused in a foreign one (each line's price is given in it)."""
        from smallbiz.dates import parse_optional_date
        from smallbiz.orders.lines import LineInput

        code = self.currency_code(currency)
        inputs = [LineInput(line.sku, line.quantity,
                            line.unit_price if line.currency == code else None,
                            line.discount or None) for line in lines]
        day = parse_optional_date(on, field="date")
        if number:
            return self.edit_order(kind, number, contact=contact, lines=inputs, on=day,
                                   notes=notes, currency=currency)
        return self.create_order(kind, contact, inputs, on=day, notes=notes,
                                 currency=currency.strip() or None)

    def order_action(self, kind: str, action: str, number: str,
                     on: dt.date | None = None) -> ActionResult:
        """confirm, ship (sales), receive (purchases), invoice (sales) or cancel."""
        from smallbiz.orders import service

        with self.db.transaction() as s:
            if action == "confirm":
                return service.confirm_order(s, kind, number)
            if action == "ship":
                return service.ship_order(s, number, on=on)
            if action == "receive":
                return service.receive_order(s, number, on=on)
            if action == "invoice":
                return service.invoice_order(s, number, on=on)
            if action == "cancel":
                return service.cancel_order(s, kind, number, on=on)
        raise ValueError(f"unknown order action {action!r}")

    # -- invoices and payments -----------------------------------------------------------------
    def invoices(self, kind: str = "invoice", *, which: str = "all",
                 contact: str | int | None = None, as_of: dt.date | None = None,
                 limit: int | None = None, search: str | None = None) -> list[InvoiceRow]:
        """Invoices or bills in date order. which: all, open, overdue (as of `as_of`,
        default today), paid; `contact`: only this one's (name, unique prefix or id);
        `search`: text in the number, the contact's name, the supplier's reference or the
        memo."""
        return self.invoices_page(kind, which, 0, limit, contact=contact, as_of=as_of,
                                  search=search)

    def most_overdue(self, kind: str = "invoice", *, as_of: dt.date, limit: int
                     ) -> tuple[list[InvoiceRow], int]:
        """The `limit` invoices (bills) longest past their due date on `as_of`, most days
        overdue first, and how many are overdue in all (reads only those rows)."""
        from smallbiz.orders.lists import count_invoices, most_overdue

        with self.db.read() as r:
            return (most_overdue(r, as_of, limit, kind=kind),
                    count_invoices(r, kind, "overdue", as_of=as_of))

    def invoices_count(self, kind: str = "invoice", which: str = "all", *,
                       contact: str | int | None = None, search: str | None = None) -> int:
        """How many invoices (bills) `invoices_page` lists with the same filter."""
        from smallbiz import dates
        from smallbiz.orders.lists import count_invoices

        with self.db.read() as r:
            return count_invoices(r, kind, which, as_of=dates.today(),
                                  contact_id=_contact_id(r, contact), search=search)

    def invoices_page(self, kind: str, which: str, offset: int, limit: int | None,
                      after: tuple[dt.date, int] | None = None, *,
                      contact: str | int | None = None,
                      as_of: dt.date | None = None,
                      search: str | None = None) -> list[InvoiceRow]:
        """One page of invoices or bills in date order: all, open, overdue or paid, of one
        contact, with a text in them (`orders.lists.invoice_condition`, the count's
        condition too); from row `offset` (or after the key `after`), `limit` rows."""
        from smallbiz import dates
        from smallbiz.orders.lists import invoice_condition, list_invoices

        day = as_of or dates.today()
        with self.db.read() as s:
            contact_id = _contact_id(s, contact)
            if after is None and offset > 0:
                where, params = invoice_condition(kind, which, as_of=day,
                                                  dialect=s.dialect, contact_id=contact_id,
                                                  search=search)
                after = _key_at(s, "invoice i", " AND ".join(where), params, offset)
                if after is None:
                    return []
            return list_invoices(s, kind=kind, which=which, contact_id=contact_id, as_of=day,
                                 after=after, limit=limit, search=search)

    def set_supplier_ref(self, bill: str, supplier_ref: str) -> InvoiceView:
        """Set or clear (empty) a bill's supplier reference: their own number for it."""
        from smallbiz.orders.invoices import invoice_view, set_supplier_ref

        with self.db.transaction() as s:
            return invoice_view(s, set_supplier_ref(s, bill, supplier_ref))

    def invoice(self, number: str) -> InvoiceView:
        from smallbiz.orders.invoices import show_invoice

        with self.db.read() as s:
            return show_invoice(s, number)

    def record_payment(self, number: str, amount: str | Decimal, *,
                       direction: str | None = None, on: str | dt.date | None = None,
                       account: str | None = None, memo: str = "",
                       rate: str | Decimal | None = None) -> PaymentView:
        """A customer's payment of an invoice (INV-, direction "in") or ours of a bill
        (BILL-, "out"); without `direction`, the document's kind says which. `on`: a
        date or its text (default today); `account`: the bank or cash account's code or
        name (default: the bank account)."""
        from smallbiz.dates import parse_optional_date
        from smallbiz.orders.invoices import resolve_invoice
        from smallbiz.orders.payments import AllocationInput, record_payment

        value = amount if isinstance(amount, Decimal) else self.parse_amount(amount,
                                                                             field="amount")
        day = on if isinstance(on, dt.date) else parse_optional_date(on, field="date")
        with self.db.transaction() as s:
            if direction is None:
                doc = resolve_invoice(s, number)
                direction, number = "in" if doc.kind == "invoice" else "out", doc.number
            return record_payment(s, direction, [AllocationInput(number, value)], on=day,
                                  account=account, memo=memo, rate=rate)

    def cancel_payment(self, ref: str | int, *, on: dt.date | None = None) -> PaymentView:
        """Cancel a payment: a reversing entry; its invoices are open again."""
        from smallbiz.orders.payments import cancel_payment

        with self.db.transaction() as s:
            return cancel_payment(s, ref, on=on)

    def payments(self, *, contact: str | int | None = None,
                 limit: int | None = None) -> list[PaymentRow]:
        """Payments, newest first; `contact`: only this one's."""
        from smallbiz.orders.lists import list_payments

        with self.db.read() as r:
            return list_payments(r, contact_id=_contact_id(r, contact), limit=limit)

    def payment(self, ref: str | int) -> PaymentView:
        from smallbiz.orders.payments import show_payment

        with self.db.read() as s:
            return show_payment(s, ref)

    def invoice_pdf(self, number: str, path: str | None = None, *,
                    force: bool = False, language: str | None = None) -> InvoicePdf:
        """Write an invoice or bill as a one-page PDF at `path` (default: NUMBER.pdf in
        the current folder); an existing file is replaced only with `force`. `language`:
        ka, en or ka+en (default: the book's `invoice_language`)."""
        from smallbiz.io.invoice_pdf import pdf_file_name, render_invoice_pdf
        from smallbiz.orders.invoices import invoice_document

        if language is not None and language not in ("ka", "en", "ka+en"):
            from smallbiz.errors import ValidationError
            from smallbiz.i18n import _

            raise ValidationError(_("--lang: one of ka, en, ka+en"), field="lang")
        with self.db.read() as s:
            doc = invoice_document(s, number, language)
        written = render_invoice_pdf(doc, path or pdf_file_name(doc.number), force=force,
                                     book=self.db)
        return InvoicePdf(doc.number, written)

    # -- reports owned by other packages -------------------------------------------------------
    def aging(self, *, payables: bool = False, as_of: dt.date | None = None) -> Aging:
        from smallbiz.orders.reports import aging

        with self.db.read() as s:
            return aging(s, payables=payables, as_of=as_of)

    def vat_report(self, start: dt.date, end: dt.date) -> VatReport:
        from smallbiz.orders.reports import vat_report

        with self.db.read() as s:
            return vat_report(s, start, end)

    def sales_report(self, start: dt.date, end: dt.date, *, by: str = "customer") -> SalesReport:
        """Invoiced sales of a period per customer or per product, biggest first."""
        from smallbiz.orders.reports import sales_report

        with self.db.read() as r:
            return sales_report(r, start, end, by=by)

    # -- the journal as a file -----------------------------------------------------------------
    def import_journal(self, path: str, set_total: Callable[[int | None], None] | None = None,
                       advance: Callable[[int], None] | None = None, *,
                       commodities: dict[str, str] | None = None,
                       account_types: dict[str, str] | None = None,
                       skip_virtual: bool = False,
                       allow_include_outside: bool = False) -> JournalImport:
        """Post every transaction of an hledger/ledger journal file: all, or nothing.
        Progress is in bytes of the file read. `commodities`: symbol -> ISO code read as
        the book's currency; `account_types`: account name (and those below it) -> type;
        `skip_virtual`: leave out unbalanced virtual postings; `allow_include_outside`:
        read included files outside the journal's folder (`journal_parse.JournalOptions`).
        """
        import os

        from smallbiz.books.accounts import parse_type
        from smallbiz.io.journal_parse import JournalOptions

        options = JournalOptions(
            commodities=dict(commodities or {}),
            account_types={name: parse_type(kind) for name, kind in
                           (account_types or {}).items()},
            skip_virtual=skip_virtual, allow_include_outside=allow_include_outside)

        from smallbiz.io.journal_import import import_journal
        from smallbiz.io.journal_parse import parsing, settings_for_parsing

        try:
            size: int | None = os.path.getsize(path)
        except OSError:
            size = None  # the importer says what is wrong with the file
        # The reader process starts first, before the caller's progress bar may start a
        # thread (see journal_parse.can_fork): it parses while this one writes.
        with parsing(path, **settings_for_parsing(self.db), options=options) as source:
            if set_total is not None:
                set_total(size)
            with self.db.transaction() as s:
                return import_journal(s, path, advance=advance, source=source)

    def export_journal(self, path: str, *, overwrite: bool = False,
                       set_total: Callable[[int | None], None] | None = None,
                       advance: Callable[[int], None] | None = None) -> JournalExport:
        """Write every journal entry as an hledger/ledger journal (progress in entries)."""
        from smallbiz.io.journal_export import count_entries, export_journal

        with self.db.read() as r:
            if set_total is not None:
                set_total(count_entries(r))
            return export_journal(r, path, overwrite=overwrite, advance=advance, db=self.db)


def _key_at(s: Tx, table: str, where: str, params: dict[str, Any],
            offset: int) -> tuple[dt.date, int] | None:
    """The (date, id) of the row just before row `offset` of `table` in (date, id) order,
    counted from whichever end is nearer (a jump in a long list)."""
    from smallbiz.dates import as_date

    total = _count(s, table, where, params)
    if offset <= 0 or offset > total:
        return None
    if offset > total // 2:
        sql = f"SELECT date, id FROM {table} WHERE {where} ORDER BY date DESC, id DESC"
        n = total - offset
    else:
        sql = f"SELECT date, id FROM {table} WHERE {where} ORDER BY date, id"
        n = offset - 1
    row = s.execute(sql + " LIMIT 1 OFFSET :n", {**params, "n": n}).fetchone()
    return (as_date(row[0]), int(row[1])) if row is not None else None


def _order_filter(kind: str, status: str | None) -> tuple[str, dict[str, Any]]:
    if status:
        return "kind = :kind AND status = :status", {"kind": kind, "status": status}
    return "kind = :kind", {"kind": kind}


def _contact_id(s: Tx, contact: str | int | None) -> int | None:
    """The id of a contact given by name, unique prefix or id (None: no contact)."""
    if not contact:
        return None
    from smallbiz.crm.service import resolve_contact

    return resolve_contact(s, contact).id


def _contact_filter(query: str | ContactFilter) -> ContactFilter:
    """A contact list's filter: a search text (the list's filter box) or the filter."""
    from smallbiz.crm.search import ContactFilter

    if isinstance(query, str):
        return ContactFilter(search=query.strip() or None)
    return query


def _data_lines(path: str) -> int | None:
    """Rows in a CSV file (less its header: a progress total), None when unreadable."""
    try:
        with open(path, "rb") as fh:
            return max(0, sum(1 for _line in fh) - 1)
    except OSError:
        return None


def _count(s: Tx, table: str, where: str, params: dict[str, Any]) -> int:

    (count,) = s.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()
    return int(count)


def _contact_key_at(s: Tx, f: Any, offset: int) -> tuple[str, int] | None:
    """The keyset key of the row just before `offset` in the contact list (a jump)."""
    from smallbiz.crm.search import list_contacts

    if f.search is None and not f.roles and not f.tags and f.kind is None:

        row = s.execute(
                "SELECT name_key, id FROM contact WHERE archived = :a ORDER BY name_key, id "
            "LIMIT 1 OFFSET :n", {"a": False, "n": offset - 1}).fetchone()
        return (row[0], int(row[1])) if row is not None else None
    # a search narrows the list: walk to the row in big keyset steps
    after: tuple[str, int] | None = None
    left = offset
    while left > 0:
        rows = list_contacts(s, f, limit=min(left, 5000), after=after)
        if not rows:
            return None
        after = (rows[-1].name_key, rows[-1].id)
        left -= len(rows)
    return after
