"""`smallbiz`: the root command, global options and error handling."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from smallbiz.cli import books, crm, io, orders, stock
from smallbiz.cli.report import report_app
from smallbiz.cli.state import JSON_HELP, state
from smallbiz.errors import UserError


def _plain_values(command: Any, ctx: Any) -> None:
    """Let plain values skip typer's pydantic coercion.

    typer (0.2x) coerces every parameter through a pydantic TypeAdapter; importing pydantic
    and building the adapters is about 0.1 s of every command here, more than a report's
    own work. A text value of a `str` or `list[str]` parameter, a bool of a bool flag
    (`--json`, `--help`) or an int default of an `int` option (`--limit`) is already what
    the adapter would return: it passes through.
    Anything else still goes through typer's own coercion; a typer without this machinery
    is left alone.
    """
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - another typer
        return

    global _PassThrough
    if _PassThrough is None:
        class PassThrough(RuntimeParam):
            def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
                if self.annotation is str and isinstance(value, str):
                    return value
                if self.annotation is bool and isinstance(value, bool):
                    return value
                info = self.parameter_info
                if (self.annotation is int and isinstance(value, int)
                        and not isinstance(value, bool)
                        and (info.min is None or value >= info.min)
                        and (info.max is None or value <= info.max)):
                    return value  # a default in range; typed digits still go through typer
                if (self.annotation == list[str] and isinstance(value, list | tuple)
                        and all(isinstance(v, str) for v in value)):
                    return list(value)
                return build_runtime_param(param.type_descriptor).coerce(value, param, ctx)

        _PassThrough = PassThrough
    params = list(getattr(command, "params", ()))
    help_option = command.get_help_option(ctx)  # cached on the command, as the parser does
    if help_option is not None:
        params.append(help_option)
    for param in params:
        desc = getattr(param, "type_descriptor", None)
        if (desc is not None and getattr(param, "_runtime_param", True) is None
                and desc.annotation in (str, bool, int, list[str])
                and desc.parameter_info.parser is None and not desc.is_file
                and not desc.is_path and not desc.is_choice):
            param._runtime_param = _PassThrough(desc.parameter_info, desc.annotation)
    for sub in getattr(command, "commands", {}).values():
        _plain_values(sub, ctx)


_PassThrough: Any = None


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
        _plain_values(self, ctx)
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


#: Modules typer's help imports for what this CLI does not use, and the one name it takes
#: from each: the "markdown" markup mode (rich.markdown, with markdown-it, ~45 ms) and pretty
#: tracebacks (rich.traceback, with pygments, ~15 ms), which `app` turns off.
_UNUSED_BY_HELP = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class _Deferred(type):
    """A stand-in class: the real one is imported when it is called or asked for an
    attribute (`TYPER_RICH_MARKUP_MODE=markdown`, say)."""

    _module: str
    _name: str

    def _real(cls) -> Any:
        import importlib

        if getattr(sys.modules.get(cls._module), cls._name, None) is cls:
            del sys.modules[cls._module]  # the stand-in module goes: import the real one
        return getattr(importlib.import_module(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(cls._real(), attr)


def _defer_unused_rich_modules() -> None:
    """A help request gets stand-in modules for `_UNUSED_BY_HELP` (a fifth of
    `smallbiz --help`); the process ends after the help."""
    import types

    for module, name in _UNUSED_BY_HELP.items():
        if module in sys.modules:
            continue
        stand_in = types.ModuleType(module)
        setattr(stand_in, name, _Deferred(name, (), {"_module": module, "_name": name}))
        sys.modules[module] = stand_in


def main() -> None:
    if "--help" in sys.argv[1:] or "-h" in sys.argv[1:]:
        _defer_unused_rich_modules()
    app(prog_name="smallbiz")
