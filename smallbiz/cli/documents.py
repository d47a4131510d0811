"""`smallbiz invoice new`, `bill new`, `credit ...` and `quote ...`: the documents of one
lifecycle (partial `sale ship|invoice` and `purchase receive` are in cli/orders.py)."""

from __future__ import annotations

from typing import Any

import typer

from smallbiz.app.documents import parse_quantities
from smallbiz.cli.orders import (
    CURRENCY,
    DATE,
    JSON,
    LIMIT,
    NOTES,
    RATE,
    SUPPLIER_REF,
    _keep_whole,
    _parse_lines,
    _show_order,
    invoice_app,
    invoice_json,
    order_json,
)
from smallbiz.cli.report import fmt
from smallbiz.cli.state import console, esc, print_json, state, table, want_json
from smallbiz.i18n import N_

bill_app = typer.Typer(help="Suppliers' bills: new (without an order: rent, electricity, "
                            "fuel), edit.",
                       no_args_is_help=True, rich_markup_mode=None)
credit_app = typer.Typer(help="Credit notes (CN-, against an invoice) and debit notes (DN-, "
                              "against a bill): new, cancel, list, show.",
                         no_args_is_help=True, rich_markup_mode=None)
quote_app = typer.Typer(help="Quotes (QT-): new, send, accept (becomes a sales order), "
                             "decline, expire, cancel, list, show, pdf.",
                        no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(bill_app, name="bill")
    app.add_typer(credit_app, name="credit")
    app.add_typer(quote_app, name="quote")


def _document_out(ctx: typer.Context, json_out: bool, v: Any) -> None:
    if want_json(ctx, json_out):
        print_json(invoice_json(v, state(ctx).book().digits))
    else:
        typer.echo(v.number)


LINE_HELP = N_("WHAT=QTY[@PRICE][-DISC%][;account=CODE][;vat=PCT]: WHAT is a service SKU or "
               "a description (then give @PRICE). Repeat for more lines.")


def _direct(ctx: typer.Context, kind: str, contact: str, lines: list[str], date: str | None,
            due: str | None, json_out: bool, currency: str | None = None,
            rate: str | None = None, supplier_ref: str = "") -> None:
    from smallbiz.dates import parse_optional_date
    from smallbiz.orders.direct import parse_direct_line

    parsed = [parse_direct_line(text, i) for i, text in enumerate(lines, start=1)]
    v = state(ctx).book().issue_direct(kind, contact, parsed,
                                       on=parse_optional_date(date, field="--date"),
                                       due=parse_optional_date(due, field="--due"),
                                       currency=currency, rate=rate,
                                       supplier_ref=supplier_ref)
    _document_out(ctx, json_out, v)


DUE = typer.Option(None, "--due", help="Due date (default: from payment terms).")


@invoice_app.command("new")
def invoice_new(ctx: typer.Context,
                customer: str = typer.Argument(..., help="The customer: name, prefix or id."),
                line: list[str] = typer.Option(..., "--line", "-l", help=LINE_HELP),
                date: str | None = DATE, due: str | None = DUE,
                currency: str | None = CURRENCY, rate: str | None = RATE,
                json_out: bool = JSON) -> None:
    """Invoice services without an order (Dr Receivable, Cr Services or the line's income
    account, Cr VAT out); prints the INV- number."""
    _direct(ctx, "invoice", customer, line, date, due, json_out, currency, rate)


@bill_app.command("new")
def bill_new(ctx: typer.Context,
             supplier: str = typer.Argument(..., help="The supplier: name, prefix or id."),
             line: list[str] = typer.Option(..., "--line", "-l", help=LINE_HELP),
             date: str | None = DATE, due: str | None = DUE,
             currency: str | None = CURRENCY, rate: str | None = RATE,
             supplier_ref: str = SUPPLIER_REF, json_out: bool = JSON) -> None:
    """Book a supplier's bill for expenses (Dr the line's expense account or Other
    expenses, Dr VAT in, Cr Payable); prints the BILL- number."""
    _direct(ctx, "bill", supplier, line, date, due, json_out, currency, rate, supplier_ref)


@bill_app.command("edit")
def bill_edit(ctx: typer.Context,
              bill: str = typer.Argument(..., help="BILL- number, prefix or id."),
              supplier_ref: str = typer.Option(..., "--supplier-ref", metavar="REF",
                                               help="The supplier's own number for the bill "
                                                    "('' clears it)."),
              json_out: bool = JSON) -> None:
    """Change what a booked bill records besides its amounts (the supplier's reference);
    prints the BILL- number."""
    _document_out(ctx, json_out, state(ctx).book().set_supplier_ref(bill, supplier_ref))


# -- credit and debit notes ------------------------------------------------------------------

@credit_app.command("new")
def credit_new(ctx: typer.Context,
               document: str = typer.Argument(..., help="The INV- (credit note) or BILL- "
                                                        "(debit note) to credit."),
               line: list[str] | None = typer.Option(
                   None, "--line", "-l", help="POS=QTY: credit QTY of line POS (repeat); "
                                              "default: all not yet credited."),
               return_: bool = typer.Option(False, "--return", help="The goods come back "
                                            "(a debit note: go back to the supplier)."),
               date: str | None = DATE, json_out: bool = JSON) -> None:
    """Credit an invoice or a bill, in full or per line; prints the CN-/DN- number."""
    from smallbiz.dates import parse_optional_date

    v = state(ctx).book().credit(document, lines=parse_quantities(line), with_return=return_,
                                 on=parse_optional_date(date, field="--date"))
    _document_out(ctx, json_out, v)


@credit_app.command("cancel")
def credit_cancel(ctx: typer.Context,
                  note: str = typer.Argument(..., help="CN-/DN- number, prefix or id."),
                  date: str | None = typer.Option(None, "--date",
                                                  help="Date of the reversal (default today)."),
                  json_out: bool = JSON) -> None:
    """Cancel a credit or debit note: its entry and stock moves are reversed."""
    from smallbiz.dates import parse_optional_date

    v = state(ctx).book().cancel_credit(note, on=parse_optional_date(date, field="--date"))
    _document_out(ctx, json_out, v)


@credit_app.command("list")
def credit_list(ctx: typer.Context,
                debit: bool = typer.Option(False, "--debit", help="Debit notes instead."),
                contact: str | None = typer.Option(None, "--contact", help="Only this one."),
                limit: int | None = LIMIT, json_out: bool = JSON) -> None:
    """List credit notes (or debit notes) in date order."""
    rows = state(ctx).book().invoices("debit_note" if debit else "credit_note",
                                      contact=contact, limit=limit)
    if want_json(ctx, json_out):
        print_json([{"number": r.number, "date": r.date, "contact": r.contact,
                     "status": r.status, "gross": r.gross} for r in rows])
        return
    t = _keep_whole(table("Number", "Date", "Contact", "Status", "Gross", right=("Gross",)),
                    "Contact")
    for r in rows:
        t.add_row(r.number, r.date.isoformat(), esc(r.contact), r.status, fmt(r.gross))
    console().print(t)


@credit_app.command("show")
def credit_show(ctx: typer.Context,
                note: str = typer.Argument(..., help="CN-/DN- number, prefix or id."),
                json_out: bool = JSON) -> None:
    """One credit or debit note with its lines (as `invoice show`)."""
    from smallbiz.cli.orders import invoice_show

    invoice_show(ctx, note, json_out)


# -- quotes ----------------------------------------------------------------------------------

QUOTE = typer.Argument(..., help="Quote number (QT-2026-0001), a unique prefix, or its id.")


@quote_app.command("new")
def quote_new(ctx: typer.Context,
              customer: str = typer.Argument(..., help="The customer: name, prefix or id."),
              line: list[str] = typer.Option(..., "--line", "-l",
                                             help="SKU=QTY[@PRICE][-DISCOUNT%]. Repeat."),
              date: str | None = DATE,
              valid_until: str | None = typer.Option(None, "--valid-until",
                                                     help="Default: 30 days on."),
              deal: str | None = typer.Option(None, "--deal", help="The deal it belongs to."),
              discount: str | None = typer.Option(None, "--discount",
                                                  help="Discount % for lines that give none."),
              notes: str = NOTES, json_out: bool = JSON) -> None:
    """Make a draft quote (no effect on stock or books); prints its QT- number."""
    from smallbiz.dates import parse_optional_date

    book = state(ctx).book()
    q = book.create_quote(customer, _parse_lines(line, discount),
                          on=parse_optional_date(date, field="--date"),
                          valid_until=parse_optional_date(valid_until, field="--valid-until"),
                          deal=deal, notes=notes)
    if want_json(ctx, json_out):
        print_json(order_json(q, book.digits))
    else:
        typer.echo(q.number)


def _quote_action(action: str, doc: str) -> None:
    @quote_app.command(action, help=doc)
    def run(ctx: typer.Context, quote: str = QUOTE, date: str | None = DATE,
            json_out: bool = JSON) -> None:
        from smallbiz.dates import parse_optional_date

        r = state(ctx).book().quote_action(action, quote,
                                           on=parse_optional_date(date, field="--date"))
        if want_json(ctx, json_out):
            print_json({"number": r.reference, "quote": r.order, "status": r.status})
        else:
            typer.echo(r.reference)


for _action, _doc in (
        ("send", N_("Mark a draft quote as sent; prints its number.")),
        ("accept", N_("The customer accepted: make a draft sales order of it (its deal is "
                      "won); prints the SO- number.")),
        ("decline", N_("The customer declined; prints its number.")),
        ("expire", N_("The quote lapsed; prints its number.")),
        ("cancel", N_("Cancel a draft or sent quote; prints its number."))):
    _quote_action(_action, _doc)


@quote_app.command("list")
def quote_list(ctx: typer.Context,
               status: str | None = typer.Option(None, "--status", help="draft, sent, "
                                                 "accepted, declined, expired or cancelled."),
               customer: str | None = typer.Option(None, "--customer", help="Only this one."),
               deal: str | None = typer.Option(None, "--deal", help="Only this deal's."),
               limit: int | None = LIMIT, json_out: bool = JSON) -> None:
    """List quotes in date order, with the deal and the order each became."""
    rows = state(ctx).book().quotes(status=status, contact=customer, deal=deal, limit=limit)
    if want_json(ctx, json_out):
        print_json([{"number": r.number, "date": r.date, "valid_until": r.valid_until,
                     "customer": r.contact, "status": r.status, "net": r.net,
                     "gross": r.gross, "deal": r.deal, "order": r.order} for r in rows])
        return
    t = _keep_whole(table("Number", "Date", "Valid until", "Customer", "Status", "Gross",
                          "Deal", "Order", right=("Gross",)), "Customer", "Deal")
    for r in rows:
        t.add_row(r.number, r.date.isoformat(), r.valid_until.isoformat()
                  if r.valid_until else "", esc(r.contact), r.status, fmt(r.gross),
                  esc(r.deal or ""), r.order or "")
    console().print(t)


@quote_app.command("show")
def quote_show(ctx: typer.Context, quote: str = QUOTE, json_out: bool = JSON) -> None:
    """One quote with its lines."""
    book = state(ctx).book()
    q = book.quote(quote)
    if want_json(ctx, json_out):
        print_json(order_json(q, book.digits))
    else:
        _show_order(q, book.digits)


@quote_app.command("pdf")
def quote_pdf(ctx: typer.Context, quote: str = QUOTE,
              output: str | None = typer.Option(None, "--output", "-o",
                                                help="PDF file (default: NUMBER.pdf)."),
              force: bool = typer.Option(False, "--force", help="Replace the file if it "
                                         "exists (never the book or its -wal/-shm files)."),
              json_out: bool = JSON) -> None:
    """Write the quote as a one-page PDF; prints the file's path."""
    number, path = state(ctx).book().quote_pdf(quote, output, force=force)
    if want_json(ctx, json_out):
        print_json({"number": number, "file": str(path)})
    else:
        typer.echo(str(path))
