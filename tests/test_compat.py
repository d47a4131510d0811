"""No private internals of other libraries in the core, but the one left in smallbiz.compat.

- The scan: smallbiz/ and screens/ import no private module of another library
  (`typer._coercion`, `textual.widgets._footer`, `from rich import _x`) and read no private
  attribute (`column._cells`, `app._screen_stacks`, `getattr(x, "_cells")`) that our own
  code does not define; smallbiz/compat.py alone is exempt.
- What compat.py still uses (typer's coercion, until the CLI moves to plain click) is
  checked against the installed typer: each test fails loudly (never skips) when an
  upgrade moves it; then change compat.py (or drop the shortcut) before raising the pin.
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from smallbiz import compat

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "smallbiz", ROOT / "screens"]
EXEMPT = ROOT / "smallbiz" / "compat.py"
OURS = {"smallbiz", "screens", "data", "tests"}
#: Private-looking names that are public API: os._exit, namedtuple's and enum's helpers.
PUBLIC = {"_exit", "_asdict", "_replace", "_fields", "_make", "_field_defaults",
          "_missing_", "_value_", "_name_", "_generate_next_value_"}
#: Always refused, whoever defines them: the internals smallbiz once read.
KNOWN = {"_cells", "_collapse_widths", "_calculate_column_widths", "_runtime_param",
         "_coerce_value", "_screen_stacks", "_compositor", "_reactive_connect",
         "_bindings_ready", "_background_screens"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _defined(tree: ast.AST) -> set[str]:
    """The private names a module defines: functions, classes, names and attributes it
    assigns, parameters."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return {n for n in names if _private(n)}


def _library(module: str) -> bool:
    """Another library's module (third-party or the standard library), not ours."""
    return module.split(".")[0] not in OURS


def violations(trees: dict[Path, ast.AST]) -> list[str]:
    ours = set().union(*(_defined(t) for t in trees.values())) - KNOWN
    found = []
    for path, tree in trees.items():
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
                if _library(node.module):
                    found += [f"{where}:{node.lineno}: from {node.module} import {a.name}"
                              for a in node.names if _private(a.name)]
            for module in modules:
                top = module.split(".")[0]
                if (_library(module) and any(_private(p) for p in module.split(".")[1:])
                        or _private(top) and top not in sys.stdlib_module_names):
                    found.append(f"{where}:{node.lineno}: import of {module}")
            if (isinstance(node, ast.Attribute) and _private(node.attr)
                    and node.attr not in PUBLIC and node.attr not in ours):
                found.append(f"{where}:{node.lineno}: .{node.attr}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                  and isinstance(node.args[1].value, str) and _private(node.args[1].value)
                  and node.args[1].value not in ours):
                found.append(f"{where}:{node.lineno}: {node.func.id}(..., "
                             f"{node.args[1].value!r})")
    return found


def _core() -> dict[Path, ast.AST]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), str(p))
            for folder in SCANNED for p in sorted(folder.rglob("*.py")) if p != EXEMPT}


def test_the_core_uses_no_private_names_of_other_libraries() -> None:
    assert violations(_core()) == []


@pytest.mark.parametrize("code", [
    "from typer._coercion import RuntimeParam\n",
    "import typer._coercion\n",
    "from textual.widgets._footer import FooterKey\n",
    "from rich import _wrap\n",
    "from rich.table import _private_helper\n",
    "cells = column._cells\n",
    "t._collapse_widths([1], [True], 1)\n",
    "stacks = app._screen_stacks\n",
    "param._runtime_param = None\n",  # a write counts too
    "cells = getattr(column, '_cells', [])\n",
    "engine = session._proxied\n",  # anybody's, not only typer's, rich's or Textual's
])
def test_a_private_name_of_another_library_is_caught(code: str, tmp_path: Path) -> None:
    assert violations({tmp_path / "x.py": ast.parse(code)}) != []


def test_our_own_private_names_and_public_underscored_ones_pass(tmp_path: Path) -> None:
    code = ("import os\nfrom collections import namedtuple\n"
            "from smallbiz.cli.tables import _wrap\n"
            "class A:\n    _count = 0\n    def _helper(self, _unused=None):\n"
            "        self._opened = set()\n        self._helper()\n"
            "        return getattr(self, '_opened'), A._count, _wrap('a', 1)\n"
            "P = namedtuple('P', 'x')\nP(1)._asdict()\nos._exit(0)\n")
    assert violations({tmp_path / "x.py": ast.parse(code)}) == []


# -- what smallbiz.compat still uses ---------------------------------------------------------

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


def test_compat_holds_only_the_typer_shortcut() -> None:
    assert compat.__all__ == ["plain_values"]
