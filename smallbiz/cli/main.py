"""`smallbiz`: the root command, global options and error handling."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from smallbiz.cli import books, crm, io, orders, stock
from smallbiz.cli.report import report_app
from smallbiz.cli.state import JSON_HELP, state
from smallbiz.errors import UserError


class SmallbizGroup(TyperGroup):
    """Turns user errors into `error: <message>` on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:  # the database is busy or unreadable: not a bug of ours
            from sqlalchemy.exc import OperationalError

            if isinstance(exc, OperationalError):
                typer.echo(f"error: database: {exc.orig}", err=True)
                raise typer.Exit(1) from None
            raise


app = typer.Typer(
    cls=SmallbizGroup,
    help="smallbiz: contacts, books, stock and orders for a small firm, in one SQLite file.\n\n"
         "Run without a command to open the terminal app.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", metavar="PATH|URL",
        help="The book: a file path or SQLAlchemy URL. Default: $SMALLBIZ_DB, else smallbiz.db "
             "in your user data folder."),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    st = state(ctx)
    st.db_url = db
    st.json = json_out
    if ctx.invoked_subcommand is None:
        from smallbiz.cli.books import open_tui

        open_tui(ctx, demo=False)


books.register(app)
app.add_typer(report_app, name="report")
io.register(app)

crm.register(app)
stock.register(app)
orders.register(app)


def main() -> None:
    app(prog_name="smallbiz")
