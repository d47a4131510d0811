"""`smallbiz report statement CONTACT` and `report reminders` (issue 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.report import AS_OF, FROM, TO, fmt, opt_date, report_app
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.orders.reports import OpenDocument
    from smallbiz.orders.statements import Statement

JSON = typer.Option(False, "--json", help=JSON_HELP)


def _item(i: OpenDocument) -> dict[str, Any]:
    return {"number": i.number, "date": i.date, "due_date": i.due_date,
            "balance_due": i.balance_due, "days_overdue": i.days_overdue, "bucket": i.bucket,
            **({"currency": i.currency, "balance_due_fx": i.balance_due_fx}
               if i.currency else {})}


def statement_json(st: Statement) -> dict[str, Any]:
    return {"report": "statement", "contact": st.contact,
            "kind": "payables" if st.payables else "receivables",
            "from": st.start, "to": st.end, "opening_balance": st.opening,
            "lines": [{"date": ln.date, "kind": ln.kind, "reference": ln.reference,
                       "entry": ln.entry, "description": ln.description,
                       "amount": ln.amount, "balance": ln.balance,
                       **({"currency": ln.currency, "amount_fx": ln.amount_fx}
                          if ln.currency else {})} for ln in st.lines],
            "totals": st.totals, "closing_balance": st.closing,
            "open": [_item(i) for i in st.open_items], "aging": st.aging,
            "unapplied_credit": st.unapplied_credit}


def _foreign(amount: Any, currency: str | None) -> str:
    return f"{fmt(amount)} {currency}" if currency and amount is not None else ""


@report_app.command("statement")
def report_statement(ctx: typer.Context,
                     contact: str = typer.Argument(..., help="The customer (or supplier)."),
                     start: str | None = FROM, end: str | None = TO,
                     payables: bool = typer.Option(False, "--payables",
                                                   help="A supplier's: what we owe them."),
                     pdf: str | None = typer.Option(
                         None, "--pdf", metavar="FILE",
                         help="Also write it as a PDF (FILE, or '-' for "
                              "statement-NAME-DATE.pdf here)."),
                     force: bool = typer.Option(False, "--force",
                                                help="Replace the PDF file if it exists."),
                     json_out: bool = JSON) -> None:
    """A contact's statement: opening balance, invoices, payments, write-offs, credits,
    closing balance, and the aging of what is open at --to."""
    book = state(ctx).book()
    d1, d2 = opt_date(start, "--from"), opt_date(end, "--to")
    if pdf is not None:
        st, path = book.statement_pdf(contact, None if pdf == "-" else pdf, start=d1, end=d2,
                                      payables=payables, force=force)
        typer.echo(str(path), err=True)
    else:
        st = book.statement(contact, start=d1, end=d2, payables=payables)
    if want_json(ctx, json_out):
        print_json(statement_json(st))
        return
    foreign = any(ln.currency for ln in st.lines) or any(i.currency for i in st.open_items)
    extra = (_("Foreign"),) if foreign else ()
    t = table(_("Date"), _("Reference"), _("Description"), *extra, _("Amount"), _("Balance"),
              right=(*extra, _("Amount"), _("Balance")),
              title=_("Statement of {contact}, {start} to {end}").format(
                  contact=esc(st.contact), start=st.start.isoformat(), end=st.end.isoformat()))
    pad = ("",) if foreign else ()
    t.add_row(st.start.isoformat(), "", _("Opening balance"), *pad, "", fmt(st.opening))
    for ln in st.lines:
        shown = ((_foreign(ln.amount_fx, ln.currency),) if foreign else ())
        t.add_row(ln.date.isoformat(), esc(ln.reference), esc(ln.description), *shown,
                  fmt(ln.amount), fmt(ln.balance))
    t.add_row(st.end.isoformat(), "", _("[b]Closing balance[/b]"), *pad, "", fmt(st.closing))
    console().print(t)
    if st.open_items:
        o = table(_("Document"), _("Date"), _("Due"), _("Days overdue"), *extra,
                  _("Balance due"), right=(_("Days overdue"), *extra, _("Balance due")),
                  title=_("Open items"))
        for i in st.open_items:
            o.add_row(i.number, i.date.isoformat(), i.due_date.isoformat(),
                      str(i.days_overdue),
                      *((_foreign(i.balance_due_fx, i.currency),) if foreign else ()),
                      fmt(i.balance_due))
        console().print(o)
    from smallbiz.orders.reports import BUCKET_TITLES

    heads = [_(BUCKET_TITLES.get(b, b)) for b in st.aging]
    a = table(*heads, _("Credit"), right=(*heads, _("Credit")), title=_("Aging"))
    a.add_row(*(fmt(v) for v in st.aging.values()), fmt(-st.unapplied_credit))
    console().print(a)


@report_app.command("reminders")
def report_reminders(ctx: typer.Context, as_of: str | None = AS_OF,
                     json_out: bool = JSON) -> None:
    """Customers with overdue invoices, the most overdue first, with days overdue."""
    rows = state(ctx).book().reminders(opt_date(as_of, "--as-of"))
    if want_json(ctx, json_out):
        print_json([{"contact": r.contact, "email": r.email, "total": r.total,
                     "days_overdue": r.days_overdue,
                     "invoices": [_item(i) for i in r.invoices]} for r in rows])
        return
    t = table(_("Customer"), _("Email"), _("Invoice"), _("Due"), _("Days overdue"),
              _("Balance due"), right=(_("Days overdue"), _("Balance due")),
              title=_("Overdue reminders"))
    for r in rows:
        for n, i in enumerate(r.invoices):
            t.add_row(esc(r.contact) if n == 0 else "", esc(r.email) if n == 0 else "",
                      i.number, i.due_date.isoformat(), str(i.days_overdue),
                      fmt(i.balance_due))
    console().print(t)


def register(app: typer.Typer) -> None:
    """The commands are on `report_app`."""
