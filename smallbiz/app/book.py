"""`Book`: the use cases, one method each, over the domain services.

The terminal app gets a `Book` injected (tests build one on a tmp_path book); the CLI
uses the same methods where a command is the same use case. Every method opens its own
read snapshot or write transaction (`smallbiz.sql.Tx`) and calls the domain services,
returning their frozen dataclasses; a caller never sees a transaction, so methods are
safe to call from worker threads (each call takes its own connection).

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

from smallbiz.sql import Tx

if TYPE_CHECKING:
    from smallbiz.app.dashboard import Dashboard
    from smallbiz.books.accounts import AccountInfo
    from smallbiz.books.entries import EntryRow
    from smallbiz.books.journal import EntryView
    from smallbiz.books.reports import BalanceSheet, Ledger, ProfitAndLoss, TrialBalance
    from smallbiz.crm.deals import DealView, Forecast
    from smallbiz.crm.importing import ImportReport
    from smallbiz.crm.interactions import InteractionView
    from smallbiz.crm.search import ContactRow
    from smallbiz.crm.service import ContactRef
    from smallbiz.crm.view import ContactView
    from smallbiz.db import Database
    from smallbiz.orders.invoices import InvoiceRow, InvoiceView
    from smallbiz.orders.payments import PaymentView
    from smallbiz.orders.reports import Aging, VatReport
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
    """One row of the journal entry form: an account and a debit or a credit."""

    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    memo: str = ""


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


class Book:
    """One book, as the terminal app uses it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._settings: BookSettings | None = None

    # -- the book itself -----------------------------------------------------------------------
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

    # -- dashboard -----------------------------------------------------------------------------
    def dashboard(self, today: dt.date | None = None) -> Dashboard:
        from smallbiz import dates
        from smallbiz.app.dashboard import dashboard

        with self.db.read() as r:
            return dashboard(r, today or dates.today())

    # -- accounts and the journal --------------------------------------------------------------
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
    def contacts_count(self, query: str = "") -> int:
        from smallbiz.crm.search import ContactFilter, count_contacts

        with self.db.read() as r:
            return count_contacts(r, ContactFilter(search=query.strip() or None))

    def contacts_page(self, query: str = "", after: tuple[str, int] | None = None,
                      limit: int = 100, offset: int = 0) -> list[ContactRow]:
        """Contacts matching `query` (the CRM search: name, email, phone, tags, …) in name
        order; keyset paging after `(name_key, id)`, or from row `offset` on a jump."""
        from smallbiz.crm.search import ContactFilter, list_contacts

        f = ContactFilter(search=query.strip() or None)
        with self.db.read() as r:
            if after is None and offset > 0:
                after = _contact_key_at(r, f, offset)
                if after is None:
                    return []
            return list_contacts(r, f, limit=limit, after=after)

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

    def add_contact(self, name: str, *, kind: str = "person", organization: str = "",
                    email: str = "", phone: str = "", roles: Sequence[str] = (),
                    city: str = "", tags: Sequence[str] = ()) -> ContactRef:
        from smallbiz.crm.service import Channel, ContactData, add_contact

        data = ContactData(name=name, kind=kind or "person",
                           organization=organization.strip() or None,
                           roles=frozenset(r for r in roles if r),
                           emails=(Channel(email.strip()),) if email.strip() else (),
                           phones=(Channel(phone.strip()),) if phone.strip() else (),
                           city=city.strip(), tags=tuple(t for t in tags if t))
        with self.db.transaction() as s:
            return add_contact(s, data).contact

    def edit_contact(self, ref: str | int, **changes: Any) -> ContactRef:
        from smallbiz.crm.service import edit_contact

        with self.db.transaction() as s:
            return edit_contact(s, ref, **changes)

    def log_interaction(self, contact: str | int, summary: str, *, kind: str = "note",
                        on: str | None = None, follow_up: str | None = None) -> InteractionView:
        from smallbiz.crm.interactions import log_interaction

        with self.db.transaction() as s:
            return log_interaction(s, contact, summary, kind=kind, on=on or None,
                                   follow_up=follow_up or None)

    def due_follow_ups(self, until: dt.date | None = None) -> list[InteractionView]:
        from smallbiz.crm.interactions import due_follow_ups

        with self.db.read() as s:
            return due_follow_ups(s, until)

    def mark_done(self, interaction_id: int) -> InteractionView:
        from smallbiz.crm.interactions import mark_done

        with self.db.transaction() as s:
            return mark_done(s, interaction_id)

    def import_contacts(self, path: str, set_total: Any = None, advance: Any = None,
                        *, skip_invalid: bool = True) -> ImportReport:
        """Import a CSV or vCard file of contacts in one transaction (duplicates skipped,
        invalid records skipped and listed in the report)."""
        from smallbiz.crm.importing import import_contacts, progress_steps, read_contacts_file

        batch = read_contacts_file(path.strip())
        if set_total is not None:
            set_total(progress_steps(batch))
        with self.db.transaction() as s:
            return import_contacts(s, batch, skip_invalid=skip_invalid, on_progress=advance)

    def import_products(self, path: str, set_total: Any = None, advance: Any = None) -> int:
        """Import a products CSV (all rows or none); returns how many were added."""
        from smallbiz.stock.importer import import_products

        with self.db.transaction() as s:
            return import_products(s, path.strip(), progress=advance)

    # -- deals ---------------------------------------------------------------------------------
    def deals(self) -> list[DealView]:
        from smallbiz.crm.deals import list_deals

        with self.db.read() as s:
            return list_deals(s)

    def add_deal(self, contact: str | int, title: str, value: str, *, stage: str = "lead",
                 expected_close: str | None = None) -> DealView:
        from smallbiz.crm.deals import add_deal

        with self.db.transaction() as s:
            return add_deal(s, contact, title, value, stage=stage or "lead",
                            expected_close=expected_close or None)

    def move_deal(self, deal_id: int, stage: str) -> DealView:
        from smallbiz.crm.deals import move_deal

        with self.db.transaction() as s:
            return move_deal(s, deal_id, stage)

    def forecast(self, start: dt.date | None = None, end: dt.date | None = None) -> Forecast:
        from smallbiz.crm.deals import forecast

        with self.db.read() as s:
            return forecast(s, start, end)

    # -- products and stock --------------------------------------------------------------------
    def products(self, search: str = "", *, low_only: bool = False) -> list[ProductInfo]:
        from smallbiz.stock.service import list_products

        with self.db.read() as s:
            return list_products(s, search=search.strip() or None, low_only=low_only)

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
        if head != value:
            from smallbiz.stock.service import list_products

            with self.db.read() as s:
                if any(p.sku == head for p in list_products(s, search=head)):
                    return head
        return value

    def add_product(self, sku: str, name: str, *, price: str, cost: str = "", unit: str = "",
                    vat_rate: str = "", reorder: str = "", service: bool = False
                    ) -> ProductInfo:
        from smallbiz.stock.service import add_product

        with self.db.transaction() as s:
            return add_product(s, sku, name, price=price, cost=cost or None,
                               unit=unit or "pcs", vat_rate=vat_rate or None,
                               reorder=reorder or None, service=service)

    def adjust_stock(self, sku: str, qty: str, *, cost: str = "", reason: str = "",
                     on: str = "", opening: bool = False) -> AdjustmentResult:
        from smallbiz.stock.service import adjust_stock

        with self.db.transaction() as s:
            return adjust_stock(s, self.product_ref(sku), qty, cost=cost or None,
                                reason=reason, on=on or None, opening=opening)

    def stock_report(self, *, low_only: bool = False) -> list[StockRow]:
        from smallbiz.stock.service import stock_report

        with self.db.read() as s:
            return stock_report(s, low_only=low_only)

    def product_360(self, ref: str | int) -> Product360:
        from smallbiz.app import root
        from smallbiz.stock.service import product_360

        with self.db.read() as s:
            return product_360(s, ref, sections=root.PRODUCT_SECTIONS)

    # -- orders --------------------------------------------------------------------------------
    def orders(self, kind: str, *, status: str | None = None) -> list[OrderRow]:
        from smallbiz.orders.service import list_orders

        with self.db.read() as s:
            return list_orders(s, kind, status=status or None)

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

    def line_preview(self, kind: str, product: str, quantity: str, price: str = "",
                     discount: str = "") -> LinePreview:
        """What one order line will come to (the order editor shows it as you type).
        Raises the same ValidationError the order service would, naming the field."""
        from smallbiz.money import parse_percent, parse_quantity
        from smallbiz.orders.lines import line_amounts, parse_unit_price

        p = self.product(self.product_ref(product))
        qty = parse_quantity(quantity or "1", field="quantity")
        if price.strip():
            unit_price = parse_unit_price(price, field="price")
        else:
            unit_price = p.price if kind == "sale" else (p.cost or p.average_cost or Decimal(0))
        pct = parse_percent(discount, field="discount") if discount.strip() else Decimal(0)
        amounts = line_amounts(qty, unit_price, pct, p.vat_rate, self.digits)
        return LinePreview(p.sku, p.name, p.unit, qty, unit_price, pct, p.vat_rate,
                           amounts.net, amounts.vat, amounts.gross)

    def save_order(self, kind: str, contact: str, lines: Sequence[LinePreview], *,
                   number: str | None = None, on: str = "", notes: str = "") -> OrderView:
        """Create a draft order (or replace a draft's contact, lines, date and notes)."""
        from smallbiz.dates import parse_optional_date
        from smallbiz.orders.lines import LineInput
        from smallbiz.orders.service import create_order, edit_order

        inputs = [LineInput(line.sku, line.quantity, line.unit_price,
                            line.discount or None) for line in lines]
        day = parse_optional_date(on, field="date")
        with self.db.transaction() as s:
            if number:
                return edit_order(s, kind, number, contact=contact, lines=inputs, on=day,
                                  notes=notes)
            return create_order(s, kind, contact, inputs, on=day, notes=notes)

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
    def invoices(self, kind: str = "invoice", *, which: str = "all") -> list[InvoiceRow]:
        """which: all, open, overdue, paid (every row: for short lists)."""
        return self.invoices_page(kind, which, 0, None)

    def invoices_count(self, kind: str = "invoice", which: str = "all") -> int:
        where, params = _invoice_filter(kind, which)
        with self.db.read() as r:
            return _count(r, "invoice", where, params)

    def invoices_page(self, kind: str, which: str, offset: int, limit: int | None,
                      after: tuple[dt.date, int] | None = None) -> list[InvoiceRow]:
        """One page of invoices or bills in date order: all, open, overdue or paid."""
        from smallbiz import dates
        from smallbiz.orders.lists import list_invoices

        with self.db.read() as s:
            if after is None and offset > 0:
                where, params = _invoice_filter(kind, which)
                after = _key_at(s, "invoice", where, params, offset)
                if after is None:
                    return []

            def fetch(after: tuple[dt.date, int] | None, n: int | None) -> list[InvoiceRow]:
                return list_invoices(s, kind=kind, open_only=which == "open",
                                     overdue_only=which == "overdue", as_of=dates.today(),
                                     after=after, limit=n)

            if which != "paid":
                return fetch(after, limit)
            # the service lists all, open or overdue ones: keep the paid ones of each batch
            rows: list[InvoiceRow] = []
            while limit is None or len(rows) < limit:
                batch = fetch(after, None if limit is None else limit * 2)
                rows += [r for r in batch if r.status == "paid"]
                if limit is None or len(batch) < limit * 2:
                    break
                after = (batch[-1].date, batch[-1].id)
            return rows if limit is None else rows[:limit]

    def invoice(self, number: str) -> InvoiceView:
        from smallbiz.orders.invoices import show_invoice

        with self.db.read() as s:
            return show_invoice(s, number)

    def record_payment(self, number: str, amount: str, *, on: str = "", account: str = "",
                       memo: str = "") -> PaymentView:
        """A customer's payment of an invoice (INV-) or ours of a bill (BILL-)."""
        from smallbiz.dates import parse_optional_date
        from smallbiz.orders.invoices import resolve_invoice
        from smallbiz.orders.payments import AllocationInput, record_payment

        value = self.parse_amount(amount, field="amount")
        day = parse_optional_date(on, field="date")
        with self.db.transaction() as s:
            doc = resolve_invoice(s, number)
            direction = "in" if doc.kind == "invoice" else "out"
            return record_payment(s, direction, [AllocationInput(doc.number, value)], on=day,
                                  account=self.account_ref(account) if account.strip()
                                  else None, memo=memo)

    def invoice_pdf(self, number: str, path: str) -> Path:
        from smallbiz.io.invoice_pdf import render_invoice_pdf
        from smallbiz.orders.invoices import invoice_document

        with self.db.read() as s:
            doc = invoice_document(s, number)
        return render_invoice_pdf(doc, Path(path).expanduser(), book=self.db)

    # -- reports owned by other packages -------------------------------------------------------
    def aging(self, *, payables: bool = False, as_of: dt.date | None = None) -> Aging:
        from smallbiz.orders.reports import aging

        with self.db.read() as s:
            return aging(s, payables=payables, as_of=as_of)

    def vat_report(self, start: dt.date, end: dt.date) -> VatReport:
        from smallbiz.orders.reports import vat_report

        with self.db.read() as s:
            return vat_report(s, start, end)

    def run(self, fn: Any, *args: Any, write: bool = False, **kwargs: Any) -> Any:
        """Call a service function `fn(session, ...)` in a read snapshot or a transaction."""
        ctx = self.db.transaction() if write else self.db.read()
        with ctx as s:
            return fn(s, *args, **kwargs)


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


#: Which invoices a list shows (the orders service lists open and overdue ones itself).
_INVOICE_FILTERS = {"all": "", "open": " AND status = 'open'",
                    "overdue": " AND status = 'open' AND due_date < :asof",
                    "paid": " AND status = 'paid'"}


def _invoice_filter(kind: str, which: str) -> tuple[str, dict[str, Any]]:
    from smallbiz import dates

    params: dict[str, Any] = {"kind": kind}
    if which == "overdue":
        params["asof"] = dates.today().isoformat()
    return "kind = :kind" + _INVOICE_FILTERS[which], params


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
