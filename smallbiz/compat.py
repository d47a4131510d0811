"""The one place where smallbiz uses another library's private internals: one is left.

It is here, named, with why it pays; `tests/test_compat.py` checks it against the
installed library and fails loudly when an upgrade moves it (typer is pinned in
pyproject to the versions checked), and refuses private names anywhere else in the core.

- typer 0.29: `typer._coercion` (RuntimeParam, build_runtime_param) and the
  `_runtime_param` slot of a parameter: plain text, bool and int values skip typer's
  pydantic coercion (`plain_values`). typer 0.29 has no public way around it (every
  parameter builds a pydantic TypeAdapter, `parser=` included), and it pays: `smallbiz
  report tb` took 0.35 s of CPU with it and 0.59 s without (median of 11, a busy 2-CPU
  box; the same report on plain click: 0.23 s). It goes when the CLI moves to plain
  click, which needs no pydantic.

Gone (public ways found): the stand-ins for rich.markdown and rich.traceback on --help
(`rich_markup_mode=None` on every Typer: click's plain help), and Rich's `Column._cells`
and `Table._collapse_widths` (smallbiz's own table renderer, `smallbiz.cli.tables`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["plain_values"]


# -- typer -----------------------------------------------------------------------------------

def plain_values(command: Any, ctx: Any) -> None:
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
        plain_values(sub, ctx)


_PassThrough: Any = None
