"""What the CLI can do that has no place of its own: new account, a setting, the lock date,
cancelling a payment, backup, check, the audit log, exports. Each is a palette action
(ctrl+p) that opens a small form or screen and calls the same `Book` method the CLI does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import DataTable

from smallbiz import dates
from smallbiz.i18n import N_, _
from smallbiz.screens.base import BookScreen, run_write
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.orders import currency_field, rate_field
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar

if TYPE_CHECKING:
    from smallbiz.screens.app import SmallBizApp

ACCOUNT_TYPES = [(_("Asset"), "asset"), (_("Liability"), "liability"), (_("Equity"), "equity"),
                 (_("Income"), "income"), (_("Expense"), "expense")]


def _said(app: SmallBizApp, message: Callable[[Any], str]) -> Callable[[Any], None]:
    def done(result: Any) -> None:
        if result is not None:
            app.notify(message(result), timeout=8)

    return done


#: An account's currency: only a bank or cash account (an asset) is kept in another (the
#: rule is `books.accounts.add_account`'s, as for `account add --currency`)
ACCOUNT_CURRENCY_LABEL = N_("Currency (empty: the book's; a bank or cash account only)")


def new_account(app: SmallBizApp) -> None:
    book = app.book
    app.push_screen(FormDialog(_("New account"), [
        FormField("code", _("Code"), placeholder="e.g. 6150"),
        FormField("name", _("Name")),
        FormField("type", _("Type"), "expense", choices=ACCOUNT_TYPES),
        currency_field(ACCOUNT_CURRENCY_LABEL),
    ], lambda v: book.add_account(v["code"], v["name"], v["type"],
                                  currency=v["currency"].strip() or None)),
        _said(app, lambda a: (_("Account {code} {name} added") if a.currency is None else
                              _("Account {code} {name} ({currency}) added")).format(
            code=a.code, name=a.name, currency=a.currency)))


def change_setting(app: SmallBizApp) -> None:
    book = app.book
    current = book.raw_settings()
    keys = [(k, k) for k in sorted(current) if k not in ("currency", "lock_date", "chart")]

    def save(values: dict[str, str]) -> tuple[str, str]:
        return values["key"], book.change_setting(values["key"], values["value"])

    app.push_screen(FormDialog(_("Change a setting"), [
        FormField("key", _("Setting"), keys[0][1] if keys else "", choices=keys),
        FormField("value", _("New value")),
    ], save, note="\n".join(f"{k}: {v}" for k, v in sorted(current.items()))),
        _said(app, lambda kv: _("{key} is now {value}").format(key=kv[0], value=kv[1])))


def lock_books(app: SmallBizApp) -> None:
    book = app.book
    lock = book.raw_settings().get("lock_date") or _("none")
    app.push_screen(FormDialog(_("Close the books up to a date"), [
        FormField("until", _("Lock date (nothing on or before it can be posted)"),
                  (dates.today().replace(day=1) - dt.timedelta(days=1)).isoformat(),
                  date=True),
    ], lambda v: book.lock_books(v["until"]),
        note=_("The lock date now: {d}").format(d=lock)),
        _said(app, lambda d: _("The books are closed up to {d}").format(d=d.isoformat())))


def _cancelled(app: SmallBizApp, payment: Any) -> Any:
    """A customer's payment undone takes the money back out: warn of an account below
    zero."""
    from smallbiz.screens.orders import warn_overdrawn

    warn_overdrawn(app, app.book, [payment.account])
    return payment


def cancel_payment(app: SmallBizApp) -> None:
    book = app.book
    app.push_screen(FormDialog(_("Cancel a payment"), [
        FormField("number", _("Payment number"), placeholder="PAY-2026-0001"),
        FormField("date", _("Date of the reversal"), dates.today().isoformat(), date=True),
    ], lambda v: _cancelled(app, book.cancel_payment(v["number"].strip(),
                                                     on=dates.parse_optional_date(v["date"]))),
        note=_("Posts a reversing entry; the invoices it paid are open again.")),
        _said(app, lambda p: _("{n} cancelled").format(n=p.number)))


def _whose(label: str, customer: str, supplier: str) -> list[FormField]:
    """The contact of a credit or advance and whether it is a customer's or a supplier's
    (`_direction` reads it)."""
    return [FormField("contact", _("Contact")),
            FormField("who", label, "customer",
                      choices=[(customer, "customer"), (supplier, "supplier")])]


def _direction(values: dict[str, str]) -> str:
    """The payment direction of a `_whose` form: in (a customer's), out (a supplier's)."""
    return "out" if values["who"] == "supplier" else "in"


def _date_field() -> FormField:
    return FormField("date", _("Date"), dates.today().isoformat(), date=True)


def refund(app: SmallBizApp) -> None:
    """Pay a customer's credit back (or book a supplier's refund of theirs)."""
    book = app.book

    def save(v: dict[str, str]) -> Any:
        account = v["account"].strip()
        return book.refund(_direction(v), v["contact"],
                           v["amount"].strip() or None,
                           on=dates.parse_optional_date(v["date"]),
                           account=book.account_ref(account) if account else None,
                           currency=v["currency"].strip() or None,
                           rate=v["rate"].strip() or None)

    def said(p: Any) -> str:
        amount = (f"{book.format(-p.amount_fx)} {p.currency}" if p.currency
                  and p.amount_fx is not None else book.format(-p.amount))
        return _("{n}: {amount} refunded").format(n=p.number, amount=amount)

    app.push_screen(FormDialog(_("Refund a credit"), [
        *_whose(_("Whose credit"), _("a customer's: we pay it back"),
                _("a supplier's: they paid it back")),
        FormField("amount", _("Amount (empty: all of the credit)")),
        currency_field(N_("Currency of the credit (empty: the book's)")),
        rate_field(),
        FormField("account", _("From / into account (empty: the bank account)")),
        _date_field(),
    ], save, note=_("Posts the refund (PAY- number): Dr Receivable, Cr Bank, or Dr Bank, "
                    "Cr Payable.")),
        _said(app, said))


def advance(app: SmallBizApp) -> None:
    """Money received from a customer (or paid to a supplier) before any document, in
    the book's currency or another: the contact's credit in it, applied later."""
    from smallbiz.screens.journal import account_completer
    from smallbiz.screens.orders import warn_overdrawn

    book = app.book

    def save(v: dict[str, str]) -> Any:
        account = v["account"].strip()
        paid = book.settle(_direction(v), [], v["amount"],
                           contact=v["contact"], on=dates.parse_optional_date(v["date"]),
                           account=book.account_ref(account) if account else None,
                           currency=v["currency"].strip() or None,
                           rate=v["rate"].strip() or None)
        warn_overdrawn(app, book, [paid.account])
        return paid

    def said(p: Any) -> str:
        amount = (f"{book.format(p.credit_fx)} {p.currency}" if p.currency
                  and p.credit_fx is not None else book.format(p.credit))
        return _("{n}: {amount} kept as {contact}'s credit").format(
            n=p.number, amount=amount, contact=p.contact)

    app.push_screen(FormDialog(_("Record an advance"), [
        *_whose(_("Whose advance"), _("a customer's: they pay us ahead"),
                _("a supplier's: we pay them ahead")),
        FormField("amount", _("Amount")),
        currency_field(), rate_field(),
        FormField("account", _("Into / from account (empty: the bank account)"),
                  complete=account_completer(book)),
        _date_field(),
    ], save, note=_("Posts the advance (PAY- number): Dr Bank, Cr Receivable, or Dr "
                    "Payable, Cr Bank; the contact's credit, applied later.")),
        _said(app, said))


def apply_credit(app: SmallBizApp) -> None:
    """Apply a contact's credit to their open documents: each currency's to those in it."""
    book = app.book

    def save(v: dict[str, str]) -> Any:
        return book.apply_credit(_direction(v), v["contact"],
                                 on=dates.parse_optional_date(v["date"]))

    def said(results: Any) -> str:
        home = book.settings.currency
        return "; ".join(_("{amount} {currency} applied, {left} left").format(
            amount=book.format(r.applied),
            currency=r.currency or home, left=book.format(r.credit_left)) for r in results)

    app.push_screen(FormDialog(_("Apply a credit"), [
        *_whose(_("Whose credit"), _("a customer's: to their invoices"),
                _("a supplier's: to their bills")),
        _date_field(),
    ], save, note=_("Each currency's credit goes to the open documents in that currency, "
                    "the earliest due first.")),
        _said(app, said))


def backup(app: SmallBizApp) -> None:
    book = app.book
    app.push_screen(FormDialog(_("Back up the book"), [
        FormField("path", _("Copy to file"),
                  f"smallbiz-backup-{dates.today().isoformat()}.db"),
    ], lambda v: book.backup(v["path"].strip())),
        _said(app, lambda p: _("Backup written to {p}").format(p=p)))


def export_journal(app: SmallBizApp) -> None:
    book = app.book
    app.push_screen(FormDialog(_("Export the journal"), [
        FormField("path", _("hledger/ledger journal file"), "journal.ledger"),
    ], lambda v: book.export_journal(v["path"].strip())),
        _said(app, lambda r: _("Journal exported to {p}").format(
            p=getattr(r, "path", "") or _("the file"))))


def export_contacts(app: SmallBizApp) -> None:
    book = app.book
    app.push_screen(FormDialog(_("Export contacts"), [
        FormField("path", _("CSV or vCard (.vcf) file"), "contacts.csv"),
    ], lambda v: book.export_contacts(v["path"].strip())),
        _said(app, lambda r: _("Contacts exported to {p}").format(
            p=getattr(r, "path", "") or _("the file"))))


def check(app: SmallBizApp) -> None:
    """Run every check in a worker (it reads the whole book), then say what it found."""
    def found(problems: list[str]) -> None:
        if problems:
            from smallbiz.screens.modals.confirm import ConfirmDialog

            app.push_screen(ConfirmDialog(_("The check found problems"),
                                          "\n".join(problems[:12]), yes=_("OK")))
        else:
            app.notify(_("All checks pass: the book is consistent"), timeout=8)

    app.notify(_("Checking the book…"))
    run_write(app.screen, app.book.run_checks, found)


class AuditScreen(BookScreen):
    """Who changed what and when, newest first."""

    PLACE_TITLE = _("Audit log")

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        table: DataTable[Any] = DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("When (UTC)"), _("User"), _("Action"), _("What"), _("Summary"))
        yield table
        yield AppFooter()

    def resumed(self) -> None:
        table = self.query_one("#audit", DataTable)
        table.clear()
        for r in self.attempt(self.book.audit_log, limit=500) or []:
            table.add_row(str(r.at)[:19], r.user, r.action, f"{r.entity} {r.entity_id}",
                          r.summary)
        table.focus()


def audit(app: SmallBizApp) -> None:
    app.push_screen(AuditScreen())


TOOLS: dict[str, Callable[[SmallBizApp], None]] = {
    "new_account": new_account, "setting": change_setting, "lock": lock_books,
    "cancel_payment": cancel_payment, "refund": refund, "advance": advance,
    "apply_credit": apply_credit, "backup": backup, "check": check,
    "audit": audit,
    "export_journal": export_journal, "export_contacts": export_contacts,
}
