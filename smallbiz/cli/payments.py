"""`smallbiz pay in|out|apply|refund|credit`: payments over several documents, the contact's
credit, write-offs (issue 17). `pay cancel|list|show` are in smallbiz.cli.orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from smallbiz.cli.orders import pay_app, payment_json, warn_overdrawn
from smallbiz.cli.report import fmt, opt_date
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.errors import ValidationError
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.orders.payments import ApplyResult, PaymentView

JSON = typer.Option(False, "--json", help=JSON_HELP)
DATE = typer.Option(None, "--date", help="YYYY-MM-DD or today (default: today).")
ACCOUNT = typer.Option(None, "--account", help="Bank or cash account code (default: the bank "
                                               "account).")
MEMO = typer.Option("", "--memo", help="What the payment was (default: number and contact).")
CREDIT = typer.Option(False, "--credit", help="Keep what is more than the balance due as the "
                                              "contact's credit (applied later: pay apply).")
WRITE_OFF = typer.Option(None, "--write-off", metavar="ACCOUNT",
                         help="Write off what remains of the documents after this payment "
                              "to this expense or income account.")
RATE = typer.Option(None, "--rate", help="For documents in another currency (AMOUNT is in "
                                         "it): book currency per unit (default: the rate "
                                         "table's for the date).")
CONTACT = typer.Option(None, "--contact", help="The contact (needed for an advance, with no "
                                               "document).")
CURRENCY = typer.Option(None, "--currency", metavar="CODE",
                        help="An advance (--contact, no document) in this currency: AMOUNT is "
                             "in it, kept as the contact's credit in it (at --rate, default "
                             "the rate table's). With documents: theirs.")


def _documents(values: list[str] | None, option: str) -> list[tuple[str, str | None]]:
    """`--invoice A` (what the payment leaves for it) or `--invoice A=AMOUNT`."""
    out: list[tuple[str, str | None]] = []
    for i, text in enumerate(values or [], start=1):
        number, eq, amount = text.partition("=")
        if not number.strip() or (eq and not amount.strip()):
            raise ValidationError(_("{option} {i} ('{text}'): expected NUMBER or "
                                    "NUMBER=AMOUNT").format(option=option, i=i, text=text),
                                  field=option)
        out.append((number.strip(), amount.strip() if eq else None))
    return out


def _pay(ctx: typer.Context, direction: str, args: list[str] | None,
         documents: list[str] | None, option: str, contact: str | None, date: str | None,
         account: str | None, memo: str, keep_credit: bool, write_off: str | None,
         json_out: bool, rate: str | None = None, currency: str | None = None) -> None:
    docs = _documents(documents, option)
    args = list(args or [])
    if len(args) > 2 or (len(args) == 2 and docs):
        raise ValidationError(_("expected {what} AMOUNT, or {option} ... [AMOUNT]").format(
            what=option.lstrip("-").upper(), option=option), field="amount")
    if len(args) == 2:
        docs = [(args[0], None)]
    amount = args[-1] if args else None
    book = state(ctx).book()
    p = book.settle(direction, docs, amount, contact=contact, on=opt_date(date, "--date"),
                    account=account, memo=memo, keep_credit=keep_credit, write_off=write_off,
                    rate=rate, currency=currency)
    warn_overdrawn(book, [p.account])
    if want_json(ctx, json_out):
        print_json(payment_json(p))
        return
    typer.echo(p.number)
    _say_rest(p)



def _say_rest(p: PaymentView) -> None:
    """What a script does not need on stdout but a user wants to know."""
    if p.written_off:
        typer.echo(_("written off {amount} to {account}").format(
            amount=fmt(p.written_off), account=p.write_off_account), err=True)
    if p.credit and p.currency is not None and p.credit_fx:
        typer.echo(_("{amount} {currency} ({book_amount} in the book) kept as {contact}'s "
                     "credit").format(amount=fmt(p.credit_fx), currency=p.currency,
                                      book_amount=fmt(p.credit), contact=p.contact), err=True)
    elif p.credit:
        typer.echo(_("{amount} kept as {contact}'s credit").format(
            amount=fmt(p.credit), contact=p.contact), err=True)
    if p.exchange_difference:
        typer.echo((_("exchange gain {amount}") if p.exchange_difference > 0
                    else _("exchange loss {amount}")).format(
            amount=fmt(abs(p.exchange_difference))), err=True)


@pay_app.command("in")
def pay_in(ctx: typer.Context,
           args: list[str] | None = typer.Argument(
               None, metavar="[INVOICE] [AMOUNT]",
               help="The invoice and the amount received; with --invoice, only the amount "
                    "(default: the invoices' balance due)."),
           invoice: list[str] | None = typer.Option(
               None, "--invoice", metavar="NUMBER[=AMOUNT]",
               help="An invoice to settle (repeat). Without =AMOUNT it takes what the "
                    "payment leaves, in the order given, up to its balance due."),
           contact: str | None = CONTACT, date: str | None = DATE,
           account: str | None = ACCOUNT, memo: str = MEMO, credit: bool = CREDIT,
           write_off: str | None = WRITE_OFF, rate: str | None = RATE,
           currency: str | None = CURRENCY, json_out: bool = JSON) -> None:
    """Record money received from a customer over one or more invoices, or an advance
    (--contact, no invoice); prints the PAY- number."""
    _pay(ctx, "in", args, invoice, "--invoice", contact, date, account, memo, credit,
         write_off, json_out, rate, currency)


@pay_app.command("out")
def pay_out(ctx: typer.Context,
            args: list[str] | None = typer.Argument(
                None, metavar="[BILL] [AMOUNT]",
                help="The bill and the amount paid; with --bill, only the amount (default: "
                     "the bills' balance due)."),
            bill: list[str] | None = typer.Option(
                None, "--bill", metavar="NUMBER[=AMOUNT]",
                help="A bill to settle (repeat). Without =AMOUNT it takes what the payment "
                     "leaves, in the order given, up to its balance due."),
            contact: str | None = CONTACT, date: str | None = DATE,
            account: str | None = ACCOUNT, memo: str = MEMO, credit: bool = CREDIT,
            write_off: str | None = WRITE_OFF, rate: str | None = RATE,
            currency: str | None = CURRENCY, json_out: bool = JSON) -> None:
    """Record money paid to a supplier over one or more bills, or an advance (--contact,
    no bill); prints the PAY- number."""
    _pay(ctx, "out", args, bill, "--bill", contact, date, account, memo, credit, write_off,
         json_out, rate, currency)


def apply_json(results: list[ApplyResult], home: str) -> dict[str, object]:
    """Each currency's credit applied (`home`: the book's currency code): the
    applications, each with its currency (a foreign one with the entry of its exchange
    difference), and per currency what was applied and what is left. With one currency,
    also its `credit_left` (and `currency`, when foreign) at the top."""
    applied = [r for r in results if r.applications]  # the rest: kept, no open document
    one = ({"credit_left": applied[0].credit_left,
            **({"currency": applied[0].currency} if applied[0].currency else {})}
           if len(applied) == 1 else {})
    return {"contact": results[0].contact, "date": results[0].date, **one,
            "credits": [{"currency": r.currency or home,
                         "applied": r.applied,
                         "credit_left": r.credit_left} for r in results],
            "applications": [{"payment": a.payment, "invoice": a.invoice, "amount": a.amount,
                              "balance_due": a.balance_due, "currency": a.currency or home,
                              **({"entry": a.entry} if a.currency else {})}
                             for r in results for a in r.applications]}


@pay_app.command("apply")
def pay_apply(ctx: typer.Context,
              contact: str = typer.Argument(..., help="The customer (or supplier)."),
              invoice: list[str] | None = typer.Option(
                  None, "--invoice", metavar="NUMBER[=AMOUNT]",
                  help="A document to apply the credit to (repeat, all of one currency; "
                       "default: each currency's credit to the open documents in it, the "
                       "earliest due first)."),
              supplier: bool = typer.Option(False, "--supplier",
                                            help="A supplier's credit, to their bills."),
              date: str | None = DATE, json_out: bool = JSON) -> None:
    """Apply a contact's credit (what earlier payments left over) to open invoices: each
    currency's credit to the documents in that currency."""
    book = state(ctx).book()
    results = book.apply_credit("out" if supplier else "in", contact,
                                _documents(invoice, "--invoice"), on=opt_date(date, "--date"))
    home = book.settings.currency
    if want_json(ctx, json_out):
        print_json(apply_json(results, home))
        return
    for r in results:
        code = r.currency or home
        if not r.applications:
            console().print(_("Credit of {amount} {currency} kept: no open {kind} in "
                              "{currency}").format(amount=fmt(r.credit_left), currency=code,
                                                   kind=_("bill") if supplier else _("invoice")))
            continue
        t = table(_("Payment"), _("Document"), _("Applied"), _("Balance due"),
                  right=(_("Applied"), _("Balance due")),
                  title=_("Credit of {contact} in {currency} applied on {date}: {applied}; "
                          "{left} left").format(
                      contact=esc(r.contact), currency=code, date=r.date.isoformat(),
                      applied=fmt(r.applied), left=fmt(r.credit_left)))
        for a in r.applications:
            t.add_row(a.payment, a.invoice, fmt(a.amount), fmt(a.balance_due))
        console().print(t)


@pay_app.command("refund")
def pay_refund(ctx: typer.Context,
               contact: str = typer.Argument(..., help="The customer (or supplier)."),
               amount: str | None = typer.Argument(
                   None, help="How much (default: all of the contact's credit)."),
               supplier: bool = typer.Option(False, "--supplier",
                                             help="A supplier pays their credit back to us."),
               date: str | None = DATE, account: str | None = ACCOUNT, memo: str = MEMO,
               currency: str | None = typer.Option(
                   None, "--currency", metavar="CODE",
                   help="The contact's credit in this currency (a note on a paid foreign "
                        "document); AMOUNT is in it."),
               rate: str | None = typer.Option(
                   None, "--rate", help="With --currency: the rate paid at (default: the "
                                        "rate table's for the day)."),
               json_out: bool = JSON) -> None:
    """Pay a customer's credit back (an overpayment, or a credit note on a paid invoice):
    Dr Receivable, Cr Bank; with --supplier, record the supplier's refund of a debit
    note on a paid bill: Dr Bank, Cr Payable. With --currency, the credit in that
    currency at --rate: the realised exchange difference against the rate the credit was
    booked at goes to exchange gains or losses. Prints the PAY- number."""
    p = state(ctx).book().refund("out" if supplier else "in", contact, amount,
                                 on=opt_date(date, "--date"), account=account, memo=memo,
                                 currency=currency, rate=rate)
    if want_json(ctx, json_out):
        print_json(payment_json(p))
        return
    typer.echo(p.number)
    _say_rest(p)


@pay_app.command("credit")
def pay_credit(ctx: typer.Context,
               contact: str = typer.Argument(..., help="The customer (or supplier)."),
               supplier: bool = typer.Option(False, "--supplier",
                                             help="What a supplier owes us back."),
               currency: str | None = typer.Option(
                   None, "--currency", metavar="CODE",
                   help="Their credit in this currency (default: the book's)."),
               json_out: bool = JSON) -> None:
    """A contact's credit: the payments with money not yet applied to a document."""
    name, rows, total = state(ctx).book().credits("out" if supplier else "in", contact,
                                                  currency)
    if want_json(ctx, json_out):
        print_json({"contact": name, "credit": total,
                    **({"currency": currency.upper()} if currency else {}),
                    "payments": [{"number": r.payment, "date": r.date, "credit": r.credit}
                                 for r in rows]})
        return
    t = table(_("Payment"), _("Date"), _("Credit"), right=(_("Credit"),),
              title=_("Credit of {contact}: {total}").format(
                  contact=esc(name), total=fmt(total) + (f" {currency.upper()}"
                                                        if currency else "")))
    for r in rows:
        t.add_row(r.payment, r.date.isoformat(), fmt(r.credit))
    console().print(t)


def register(app: typer.Typer) -> None:
    """The commands are on `pay_app` (registered by smallbiz.cli.orders)."""
