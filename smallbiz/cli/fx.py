"""`smallbiz rate set|list|import` (the book's rate table) and `smallbiz revalue`
(unrealised exchange differences) (issue 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.report import fmt, opt_date
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import shown_rate

if TYPE_CHECKING:
    from smallbiz.books.fx import RateView

JSON = typer.Option(False, "--json", help=JSON_HELP)
rate_app = typer.Typer(help="Exchange rates: set, list, import (book currency per one unit).",
                       no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(rate_app, name="rate")
    app.command("revalue")(revalue)


def rate_json(r: RateView) -> dict[str, Any]:
    return {"currency": r.currency, "date": r.date, "rate": f"{shown_rate(r.rate):f}"}


@rate_app.command("set")
def rate_set(ctx: typer.Context,
             currency: str = typer.Argument(..., help="ISO code, e.g. USD."),
             rate: str = typer.Argument(..., help="Book currency per one unit, e.g. 2.6950."),
             date: str | None = typer.Option(None, "--date",
                                             help="From this day (default: today)."),
             json_out: bool = JSON) -> None:
    """Set a currency's rate from a day (replaces that day's rate)."""
    from smallbiz.dates import today

    r = state(ctx).book().set_rate(currency, rate, opt_date(date, "--date") or today())
    if want_json(ctx, json_out):
        print_json(rate_json(r))
    else:
        typer.echo(f"{r.currency} {r.date.isoformat()} {shown_rate(r.rate):f}")


@rate_app.command("list")
def rate_list(ctx: typer.Context,
              currency: str | None = typer.Option(None, "--currency",
                                                  help="Only this currency."),
              json_out: bool = JSON) -> None:
    """The rate table, by currency and date."""
    rows = state(ctx).book().rates(currency)
    if want_json(ctx, json_out):
        print_json([rate_json(r) for r in rows])
        return
    t = table(_("Currency"), _("Date"), _("Rate"), right=(_("Rate"),))
    for r in rows:
        t.add_row(r.currency, r.date.isoformat(), fmt(shown_rate(r.rate)))
    console().print(t)


@rate_app.command("import")
def rate_import(ctx: typer.Context,
                file: str = typer.Argument(..., help="CSV: date,currency,rate, or the "
                                                     "National Bank of Georgia's export "
                                                     "(code, quantity, rate, date)."),
                json_out: bool = JSON) -> None:
    """Import rates from a file; a bad line refuses the whole file (nothing is written)."""
    r = state(ctx).book().import_rates(file)
    if want_json(ctx, json_out):
        print_json({"rates": r.rates, "currencies": r.currencies, "from": r.first,
                    "to": r.last})
    else:
        typer.echo(_("{n} rates imported ({currencies})").format(
            n=r.rates, currencies=", ".join(r.currencies)))


def revalue(ctx: typer.Context,
            as_of: str = typer.Option(..., "--as-of", help="The day to revalue at."),
            rate: list[str] | None = typer.Option(None, "--rate",
                                                  help="CODE=RATE, instead of the rate "
                                                       "table's (repeat)."),
            json_out: bool = JSON) -> None:
    """Post the unrealised exchange difference on open foreign invoices and bills and on
    the accounts kept in another currency at a day, reversed the next day; prints the two
    entries. Refused if that day was revalued already."""
    day = opt_date(as_of, "--as-of")
    if day is None:
        raise ValidationError(_("--as-of: a date is required"), field="--as-of")
    given: dict[str, str] = {}
    for i, text in enumerate(rate or [], start=1):
        code, eq, value = text.partition("=")
        if not eq or not code.strip() or not value.strip():
            raise ValidationError(_("--rate {i} ('{text}'): expected CODE=RATE").format(
                i=i, text=text), field="--rate")
        given[code.strip().upper()] = value.strip()
    r = state(ctx).book().revalue(day, given)
    if want_json(ctx, json_out):
        print_json({"as_of": r.as_of, "entry": r.entry, "reversal": r.reversal,
                    "gain": r.gain, "loss": r.loss,
                    "documents": [{"number": d.number, "currency": d.currency,
                                   "balance_fx": d.balance_fx, "rate": f"{shown_rate(d.rate):f}",
                                   "balance": d.balance, "revalued": d.revalued,
                                   "difference": d.difference} for d in r.documents],
                    "accounts": [{"code": a.code, "currency": a.currency,
                                  "balance_fx": a.balance_fx, "rate": f"{shown_rate(a.rate):f}",
                                  "balance": a.balance, "revalued": a.revalued,
                                  "difference": a.difference} for a in r.accounts]})
        return
    t = table(_("Document"), _("Currency"), _("Balance due"), _("Rate"), _("Booked"),
              _("Revalued"), _("Difference"),
              right=(_("Balance due"), _("Rate"), _("Booked"), _("Revalued"),
                     _("Difference")))
    for d in r.documents:
        t.add_row(esc(d.number), d.currency, fmt(d.balance_fx), fmt(shown_rate(d.rate)),
                  fmt(d.balance), fmt(d.revalued), fmt(d.difference))
    for a in r.accounts:  # the accounts kept in another currency: their balance
        t.add_row(esc(f"{a.code} {a.name}"), a.currency, fmt(a.balance_fx),
                  fmt(shown_rate(a.rate)), fmt(a.balance), fmt(a.revalued), fmt(a.difference))
    console().print(t)
    typer.echo(r.entry or _("nothing to revalue"))
    if r.reversal:
        typer.echo(r.reversal)
