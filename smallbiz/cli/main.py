"""`smallbiz`: the root command, global options and error handling."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from smallbiz.cli import books, crm, io, orders, serve, stock
from smallbiz.cli.report import report_app
from smallbiz.cli.state import JSON_HELP, state
from smallbiz.compat import plain_values
from smallbiz.errors import UserError


def _refuse_control_characters(args: list[str]) -> None:
    """`error: --memo: control character ...` (exit 1) for a value with NUL, ESC, ...:
    whatever command takes it, such text has no place in the book or on a terminal."""
    from smallbiz.textcheck import CONTROL, control_character, visible

    for i, arg in enumerate(args):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):  # bytes argv could not decode
            raw = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            typer.echo(f"error: argument {i + 1} ('{visible(raw, one_line=True)[:60]}') is "
                       "not valid UTF-8 text", err=True)
            raise typer.Exit(1)
        if control_character(arg) is None:
            continue
        option, eq, value = arg.partition("=")
        if eq and option.startswith("--"):
            where = option
        elif i and args[i - 1].startswith("-") and "=" not in args[i - 1]:
            where, value = args[i - 1], arg
        else:
            shown = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", arg)
            where, value = f"'{shown[:40]}'", arg
        bad = control_character(value)
        assert bad is not None
        typer.echo(f"error: {where}: control character U+{ord(bad.group()):04X} is not "
                   f"allowed (at position {bad.start() + 1})", err=True)
        raise typer.Exit(1)


class SmallbizGroup(TyperGroup):
    """Turns user errors into `error: <message>` on stderr and exit code 1."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_control_characters(args)
        plain_values(self, ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            from smallbiz.failures import describe

            line = describe(exc, reading_book=state(ctx)._db is not None)
            if line is None:
                raise
            typer.echo(f"error: {line}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=SmallbizGroup,
    help="smallbiz: contacts, books, stock and orders for a small firm, in one SQLite file.\n\n"
         "Run without a command to open the terminal app.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and usage errors (as every group here): see below
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
# `rich_markup_mode=None`: typer's Rich help would import rich.markdown (markdown-it) and
# rich.traceback (pygments), a third of `smallbiz --help`; click's plain help, as wide as
# the terminal up to 120 columns, says the same.


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
serve.register(app)


def main() -> None:
    app(prog_name="smallbiz")
