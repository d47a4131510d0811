"""The one place where smallbiz uses other libraries' private internals.

Each use is here, named, with why it pays; `tests/test_compat.py` checks every one
against the installed library and fails loudly when an upgrade moves it (and the
pyproject pins say which versions were checked). Everything else in smallbiz uses only
public APIs.

- typer 0.29: `typer._coercion` (RuntimeParam, build_runtime_param) and the
  `_runtime_param` slot of a parameter: plain text, bool and int values skip typer's
  pydantic coercion (`plain_values`), about 0.1 s of every command.
- rich 13/14: `Column._cells` and `Table._collapse_widths`: long plain tables are drawn
  line by line exactly as Rich draws them (`column_cells`, `collapse_widths`), which is
  what makes a ledger of 10,000 lines print in well under a second.

Gone: the stand-ins for rich.markdown and rich.traceback on `--help` (every Typer has
`rich_markup_mode=None`: click's plain help, which imports neither).
"""

from __future__ import annotations

from typing import Any

__all__ = ["column_cells", "collapse_widths", "plain_values"]


# -- rich ------------------------------------------------------------------------------------

def column_cells(column: Any) -> list[Any]:
    """The cells of a rich Column, in row order (rich keeps them in `_cells`)."""
    return column._cells


def collapse_widths(table: Any, widths: list[int], wrapable: list[bool],
                    max_width: int) -> list[int]:
    """rich's own narrowing of a table's columns to `max_width` (its wrapping columns give
    up width, widest first), as `Table._calculate_column_widths` does it."""
    return table._collapse_widths(widths, wrapable, max_width)


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
