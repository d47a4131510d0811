"""`smallbiz`: the root command, global options and error handling."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from smallbiz.cli import (
    bank,
    books,
    crm,
    documents,
    firm,
    fx,
    io,
    orders,
    payments,
    recurring,
    serve,
    statements,
    stock,
)
from smallbiz.cli.helptext import Context, translate_tree, usage_error_text
from smallbiz.cli.report import report_app
from smallbiz.cli.state import JSON_HELP, state
from smallbiz.compat import plain_values
from smallbiz.errors import UserError
from smallbiz.i18n import _


def _refuse_control_characters(args: list[str]) -> None:
    """`error: --memo: control character ...` (exit 1) for a value with NUL, ESC, ...:
    whatever command takes it, such text has no place in the book or on a terminal."""
    from smallbiz.textcheck import CONTROL, control_character, visible

    for i, arg in enumerate(args):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):  # bytes argv could not decode
            raw = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            typer.echo(_("error: {message}").format(message=_(
                "argument {n} ('{value}') is not valid UTF-8 text").format(
                    n=i + 1, value=visible(raw, one_line=True)[:60])), err=True)
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
        typer.echo(_("error: {message}").format(message=_(
            "{where}: control character U+{code} is not allowed (at position {n})").format(
                where=where, code=f"{ord(bad.group()):04X}", n=bad.start() + 1)), err=True)
        raise typer.Exit(1)


def _lang_option(args: list[str]) -> str | None:
    """The value of the root's `--lang` (before the command's name), read ahead of click:
    the help of every command is put in that language before any of it is rendered."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--db":
            i += 1
        elif not arg.startswith("-"):
            return None
        i += 1
    return None


def _choose_language(args: list[str]) -> None:
    from smallbiz.i18n import LANGUAGES, normalize_language, reset_language, set_language

    reset_language()  # each run starts from the environment's language
    value = _lang_option(args)
    if value is None:
        return
    if value not in LANGUAGES or normalize_language(value) is None:
        typer.echo(_("error: {message}").format(message=_(
        "--lang: '{value}' is not a language smallbiz speaks ({langs})").format(
            value=value, langs=", ".join(LANGUAGES))), err=True)
        raise typer.Exit(1)
    set_language(value, explicit=True)


def _say_usage_error(exc: typer.TyperException) -> None:
    """A usage error of click's (exit code 2) said in the language in force, then exit;
    anything else (or a form `usage_error_text` does not know) goes on as it was."""
    if exc.exit_code != 2:
        return
    text = usage_error_text(exc)
    if text is not None:
        typer.echo(text, err=True)
        raise typer.Exit(exc.exit_code) from None


class SmallbizGroup(TyperGroup):
    """Turns user errors into `error: <message>` on stderr and exit code 1."""

    context_class = Context

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _choose_language(args)
        _refuse_control_characters(args)
        translate_tree(self)
        plain_values(self, ctx)
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            _say_usage_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:  # a sub-command's usage error (click's own)
            _say_usage_error(exc)
            raise
        except UserError as exc:
            typer.echo(_("error: {message}").format(message=exc.message), err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            from smallbiz.failures import describe

            line = describe(exc, reading_book=state(ctx)._db is not None)
            if line is None:
                raise
            typer.echo(_("error: {message}").format(message=line), err=True)
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
    lang: str | None = typer.Option(
        None, "--lang", metavar="ka|en",
        help="The language: ka (Georgian) or en (English). Default: the book's setting "
             "'lang', else LC_ALL, LC_MESSAGES or LANG, else English."),
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
bank.register(app)
firm.register(app, orders.invoice_app)
documents.register(app)
payments.register(app)
statements.register(app)
recurring.register(app)
fx.register(app)
serve.register(app)


def main() -> None:
    app(prog_name="smallbiz")
