"""The private internals smallbiz.compat relies on are still there, in the form it uses.

Each test fails loudly (never skips) when an upgrade of typer moves one: then
change smallbiz/compat.py (or drop the shortcut) before raising the pin in pyproject.
"""

from __future__ import annotations

import inspect

import typer
from typer.testing import CliRunner

from smallbiz import compat


def test_typer_still_coerces_through_runtime_params() -> None:
    from typer import _coercion

    assert inspect.isclass(_coercion.RuntimeParam)
    assert hasattr(_coercion.RuntimeParam, "_coerce_value")
    assert callable(_coercion.build_runtime_param)


def test_plain_values_really_take_over_the_coercion() -> None:
    """Not a silent no-op: after a command line is parsed, its plain parameters carry the
    pass-through, and the command still gets its values."""
    app = typer.Typer()
    seen = {}

    @app.command()
    def hello(name: str, count: int = typer.Option(1), loud: bool = False) -> None:
        seen.update(name=name, count=count, loud=loud)

    command = typer.main.get_command(app)
    ctx = command.context_class(command, info_name="hello")
    compat.plain_values(command, ctx)  # before parsing, as SmallbizGroup.parse_args does
    command.parse_args(ctx, ["Nino", "--loud"])
    kinds = {p.name: type(getattr(p, "_runtime_param", None)).__name__
             for p in command.params}
    assert kinds["name"] == kinds["count"] == kinds["loud"] == "PassThrough", kinds
    assert ctx.params == {"name": "Nino", "count": 1, "loud": True}
    result = CliRunner().invoke(app, ["Gela", "--count", "3"])
    assert result.exit_code == 0 and seen == {"name": "Gela", "count": 3, "loud": False}


def test_no_other_module_reaches_into_typer_or_rich() -> None:
    """The internals stay in smallbiz/compat.py: no other module of the core imports a
    private module of typer, rich or click, or reads the private attributes compat wraps."""
    import re
    from pathlib import Path

    root = Path(compat.__file__).parent
    private = re.compile(r"\b(?:typer|rich|click)\._\w+|\._(?:cells|collapse_widths|"
                         r"runtime_param|coerce_value)\b")
    offenders = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py")
                 if path.name != "compat.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if private.search(line)]
    assert not offenders, offenders
