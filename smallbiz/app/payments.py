"""Use cases of issue 17 on `Book`: payments over several documents (credit, write-off),
customer statements and reminders, recurring invoices.

A mixin of `smallbiz.app.book.Book` (it uses `self.db` and `self.parse_amount` as
Book's own methods do); each method is one read snapshot or one write transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from smallbiz.db import Database
    from smallbiz.orders.payments import ApplyResult, CreditRow, PaymentView
    from smallbiz.orders.recurring import RecurringRun, RecurringView
    from smallbiz.orders.statements import Reminder, Statement

#: A document to settle and the amount for it (None: what the payment leaves for it).
DocumentAmount = tuple[str, "str | Decimal | None"]


class PaymentActions:
    db: Database
    parse_amount: Callable[..., Decimal]  # Book's

    def _amount(self, value: str | Decimal | None, field: str) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return self.parse_amount(value, field=field)

    def _allocations(self, documents: Sequence[DocumentAmount]) -> list[Any]:
        from smallbiz.orders.payments import AllocationInput

        return [AllocationInput(number, self._amount(amount, f"--invoice {number}"))
                for number, amount in documents]

    # -- payments ------------------------------------------------------------------------------
    def settle(self, direction: str, documents: Sequence[DocumentAmount],
               amount: str | Decimal | None = None, *, contact: str | int | None = None,
               on: dt.date | None = None, account: str | None = None, memo: str = "",
               keep_credit: bool = False, write_off: str | None = None,
               rate: str | Decimal | None = None, currency: str | None = None
               ) -> PaymentView:
        """One payment in ("in", from a customer) or out ("out", to a supplier) over the
        `documents` (INV-/BILL- numbers, each with an amount or None: what `amount`
        leaves for it, in order). `keep_credit`: what is left over is the contact's
        credit; `write_off`: the account the documents' remainder is written off to.
        Without documents, `contact` and `amount` record an advance (all credit), in
        `currency` if given (the contact's credit in it). Documents in another currency
        are paid in it, at `rate` (default: the rate table's for the day); the exchange
        difference is posted with the payment."""
        from smallbiz.orders.payments import record_payment

        allocations = self._allocations(documents)
        value = self._amount(amount, "amount")
        with self.db.transaction() as s:
            return record_payment(s, direction, allocations, on=on, account=account,
                                  memo=memo, amount=value, contact=contact,
                                  keep_credit=keep_credit, write_off=write_off,
                                  rate=rate, currency=currency)

    def apply_credit(self, direction: str, contact: str | int,
                     documents: Sequence[DocumentAmount] = (), *,
                     on: dt.date | None = None) -> list[ApplyResult]:
        """Apply the contact's credit to the `documents` (of one currency; none: each
        currency's credit to the open documents in it, the earliest due first), one result
        per currency."""
        from smallbiz.orders.payments import apply_credit

        allocations = self._allocations(documents)
        with self.db.transaction() as s:
            return apply_credit(s, direction, contact, allocations, on=on)

    def refund(self, direction: str, contact: str | int, amount: str | Decimal | None = None,
               *, on: dt.date | None = None, account: str | None = None,
               memo: str = "", currency: str | None = None,
               rate: str | None = None) -> PaymentView:
        """Pay a customer's credit back ("in") or record a supplier's paid back ("out"):
        `amount` (default: all of it) from or to a bank or cash `account`; `currency`:
        their credit in that currency, paid at `rate` (default: the rate table's)."""
        from smallbiz.orders.payments import refund_credit

        value = self._amount(amount, "amount")
        with self.db.transaction() as s:
            return refund_credit(s, direction, contact, value, on=on, account=account,
                                 memo=memo, currency=currency, rate=rate)

    def credits(self, direction: str, contact: str | int, currency: str | None = None
                ) -> tuple[str, list[CreditRow], Decimal]:
        """The contact's name, payments with credit left (oldest first) and their total,
        in `currency` (None: the book's)."""
        from smallbiz.books.fx import foreign_currency
        from smallbiz.crm.service import resolve_contact
        from smallbiz.money import from_minor
        from smallbiz.orders.payments import open_credits

        with self.db.read() as s:
            party = resolve_contact(s, contact)
            code = foreign_currency(s, currency) if currency is not None else None
            rows = open_credits(s, direction, party.id, code)
            return party.name, rows, sum((r.credit for r in rows),
                                         from_minor(0, s.money_digits))

    # -- statements and reminders --------------------------------------------------------------
    def statement(self, contact: str | int, *, start: dt.date | None = None,
                  end: dt.date | None = None, payables: bool = False) -> Statement:
        from smallbiz.orders.statements import statement

        with self.db.read() as s:
            return statement(s, contact, start=start, end=end, payables=payables)

    def statement_pdf(self, contact: str | int, path: str | None = None, *,
                      start: dt.date | None = None, end: dt.date | None = None,
                      payables: bool = False, force: bool = False) -> tuple[Statement, Path]:
        """Write the statement as a PDF at `path` (default: statement-NAME-END.pdf here)."""
        from smallbiz import settings
        from smallbiz.io.statement_pdf import render_statement_pdf, statement_file_name
        from smallbiz.orders.statements import statement

        with self.db.read() as s:
            st = statement(s, contact, start=start, end=end, payables=payables)
            book = settings.load(s)
        written = render_statement_pdf(st, book.company_name, book.currency,
                                       path or statement_file_name(st), force=force,
                                       book=self.db)
        return st, written

    def reminders(self, as_of: dt.date | None = None) -> list[Reminder]:
        """Customers with overdue invoices, the most overdue first."""
        from smallbiz.orders.statements import reminders

        with self.db.read() as s:
            return reminders(s, as_of)

    # -- recurring invoices --------------------------------------------------------------------
    def add_recurring(self, contact: str | int, lines: Sequence[Any], *, every: int,
                      day: int | None = None, start: dt.date, end: dt.date | None = None,
                      name: str = "") -> RecurringView:
        from smallbiz.orders.recurring import add_template

        with self.db.transaction() as s:
            return add_template(s, contact, list(lines), every=every, day=day, start=start,
                                end=end, name=name)

    def recurring(self, *, until: dt.date | None = None) -> list[RecurringView]:
        """Every template with what is due by `until` (default today)."""
        from smallbiz.orders.recurring import list_templates

        with self.db.read() as s:
            return list_templates(s, until=until)

    def stop_recurring(self, template: str | int) -> RecurringView:
        from smallbiz.orders.recurring import stop_template

        with self.db.transaction() as s:
            return stop_template(s, template)

    def overdrawn(self, accounts: Sequence[str]) -> list[tuple[str, str, Decimal]]:
        """(code, name, balance) of the bank or cash accounts among these codes whose
        balance is below zero: a payment that took one there is warned of, not refused."""
        from smallbiz.orders.payments import overdrawn

        with self.db.read() as s:
            return overdrawn(s, list(accounts))

    def run_recurring(self, *, until: dt.date | None = None,
                      template: int | None = None) -> RecurringRun:
        """Issue every occurrence due by `until` (default today) that was not issued yet
        (of one `template` only, if given): one transaction per template, so one that
        fails (a locked date, an archived product) is reported and the others are issued.
        Running it again, or in two processes at once, issues nothing twice."""
        from smallbiz.dates import today
        from smallbiz.errors import UserError
        from smallbiz.orders.recurring import RecurringRun, issue_due, templates_due

        day = until or today()
        with self.db.read() as s:
            due = [d for d in templates_due(s, day) if template is None or d[0] == template]
        issued, failed = [], []
        for template_id, label in due:
            try:
                with self.db.transaction() as s:
                    issued.extend(issue_due(s, template_id, day))
            except UserError as exc:
                failed.append((label, exc.message))
        return RecurringRun(day, issued, failed)
