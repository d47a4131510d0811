"""`smallbiz recurring add|list|run|stop`: recurring invoices (issue 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.report import opt_date
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.errors import ValidationError
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.orders.recurring import RecurringView

JSON = typer.Option(False, "--json", help=JSON_HELP)
recurring_app = typer.Typer(help="Recurring invoices: add, list, run (issue what is due), "
                                 "stop.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(recurring_app, name="recurring")


def view_json(v: RecurringView) -> dict[str, Any]:
    return {"id": v.id, "name": v.name, "customer": v.contact, "every_months": v.every_months,
            "day": v.day, "start": v.start, "end": v.end, "status": v.status,
            "lines": v.lines, "issued": v.issued, "last_issued": v.last_issued,
            "next": v.next_date, "due": v.due}


@recurring_app.command("add")
def recurring_add(ctx: typer.Context,
                  customer: str = typer.Argument(..., help="The customer."),
                  line: list[str] = typer.Option(..., "--line", "-l",
                                                 help="SKU=QTY[@PRICE] (repeat); without "
                                                      "@PRICE the product's price when "
                                                      "issued."),
                  every: int = typer.Option(1, "--every", help="Every N months."),
                  day: int | None = typer.Option(None, "--day",
                                                 help="Day of the month (default: the "
                                                      "start's; a short month takes its "
                                                      "last day)."),
                  start: str = typer.Option(..., "--start", help="First possible day."),
                  end: str | None = typer.Option(None, "--end", help="Last possible day."),
                  name: str = typer.Option("", "--name", help="A name to know it by."),
                  json_out: bool = JSON) -> None:
    """Add a recurring invoice; prints its id. Nothing is issued until `recurring run`."""
    from smallbiz.orders.lines import parse_line_spec

    lines = [parse_line_spec(text, i) for i, text in enumerate(line, start=1)]
    first = opt_date(start, "--start")
    if first is None:
        raise ValidationError(_("--start: a date is required"), field="start")
    v = state(ctx).book().add_recurring(customer, lines, every=every, day=day, start=first,
                                        end=opt_date(end, "--end"), name=name)
    if want_json(ctx, json_out):
        print_json(view_json(v))
    else:
        typer.echo(str(v.id))


@recurring_app.command("list")
def recurring_list(ctx: typer.Context,
                   until: str | None = typer.Option(None, "--until",
                                                    help="Due by this day (default today)."),
                   json_out: bool = JSON) -> None:
    """Every recurring invoice with what is due."""
    rows = state(ctx).book().recurring(until=opt_date(until, "--until"))
    if want_json(ctx, json_out):
        print_json([view_json(v) for v in rows])
        return
    t = table(_("Id"), _("Name"), _("Customer"), _("Every"), _("Day"), _("Lines"),
              _("Issued"), _("Next"), _("Due"), _("Status"), right=(_("Issued"), _("Due")))
    for v in rows:
        t.add_row(str(v.id), esc(v.name), esc(v.contact), str(v.every_months), str(v.day),
                  esc(", ".join(v.lines)), str(v.issued),
                  v.next_date.isoformat() if v.next_date else "", str(len(v.due)), v.status)
    console().print(t)


@recurring_app.command("run")
def recurring_run(ctx: typer.Context,
                  until: str | None = typer.Option(None, "--until",
                                                   help="Issue what is due by this day "
                                                        "(default today)."),
                  json_out: bool = JSON) -> None:
    """Issue every recurring invoice due and not issued yet (running it again issues
    nothing twice); prints the invoice numbers. Exit 1 when one could not be issued."""
    r = state(ctx).book().run_recurring(until=opt_date(until, "--until"))
    if want_json(ctx, json_out):
        print_json({"until": r.until,
                    "issued": [{"template": i.template, "name": i.name, "date": i.period,
                                "order": i.order, "invoice": i.invoice} for i in r.issued],
                    "failed": [{"template": t, "error": e} for t, e in r.failed]})
    else:
        for i in r.issued:
            typer.echo(i.invoice)
    for template, error in r.failed:
        typer.echo(_("error: recurring invoice {t}: {e}").format(t=template, e=error),
                   err=True)
    if r.failed:
        raise typer.Exit(1)


@recurring_app.command("stop")
def recurring_stop(ctx: typer.Context,
                   template: str = typer.Argument(..., help="Its id or name."),
                   json_out: bool = JSON) -> None:
    """Stop a recurring invoice (what it issued stays)."""
    v = state(ctx).book().stop_recurring(template)
    if want_json(ctx, json_out):
        print_json(view_json(v))
    else:
        typer.echo(str(v.id))
