"""The TUI uses Textual's public API only, so that it survives a Textual upgrade.

Names with a leading underscore in Textual (its private modules like
`textual.widgets._footer`, attributes like `Screen._compositor` or
`App._screen_stacks`) change without notice between versions. This scans the source of
screens/ and tests/tui/ and fails on any of them:

- an import of a private Textual module (a path segment starting with `_`) or of a
  private name from a Textual module;
- an attribute with a leading underscore that Textual itself defines (read from
  Textual's installed source), unless our own code defines that name too (our own
  private helpers, such as `SmallBizApp._start`).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest
import textual

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "screens", ROOT / "tests" / "tui"]
#: Always refused, whoever defines them: the internals this app once read.
KNOWN = {"_screen_stacks", "_compositor", "_reactive_connect", "_bindings_ready",
         "_background_screens"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _sources(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


def _defined(tree: ast.AST) -> set[str]:
    """The private names a module defines: functions, classes, attributes it assigns."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
            names.add(node.target.attr)
    return {n for n in names if _private(n)}


@cache
def _textual_private() -> frozenset[str]:
    names: set[str] = set()
    for path in _sources([Path(textual.__file__).parent]):
        names |= _defined(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


def _parsed() -> dict[Path, ast.AST]:
    return {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in _sources(SCANNED)}


def violations(trees: dict[Path, ast.AST], textual_private: frozenset[str]) -> list[str]:
    ours = set().union(*(_defined(t) for t in trees.values())) - KNOWN
    refused = (textual_private - ours) | KNOWN
    found = []
    for path, tree in trees.items():
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
                if node.module.split(".")[0] == "textual":
                    found += [f"{where}:{node.lineno}: from {node.module} import {a.name}"
                              for a in node.names if _private(a.name)]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "textual" and any(_private(p) for p in parts):
                    found.append(f"{where}:{node.lineno}: import of {module}")
            if isinstance(node, ast.Attribute) and node.attr in refused:
                found.append(f"{where}:{node.lineno}: .{node.attr}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in {"getattr", "setattr", "hasattr"}
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                  and node.args[1].value in refused):
                found.append(f"{where}:{node.lineno}: {node.func.id}(..., "
                             f"{node.args[1].value!r})")
    return found


def test_the_tui_uses_no_private_textual_names() -> None:
    assert violations(_parsed(), _textual_private()) == []


@pytest.mark.parametrize("code", [
    "from textual.widgets._footer import FooterKey\n",
    "import textual._compositor\n",
    "from textual.app import _private_helper\n",
    "stacks = app._screen_stacks\n",
    "strips = app.screen._compositor.render_strips()\n",
    "bound = getattr(widget, '_reactive_connect', None)\n",
])
def test_a_private_textual_name_is_caught(code: str, tmp_path: Path) -> None:
    tree = ast.parse(code)
    assert violations({tmp_path / "x.py": tree}, _textual_private()) != []


def test_our_own_private_names_are_allowed(tmp_path: Path) -> None:
    code = ("class A:\n    def _helper(self):\n        self._opened = set()\n"
            "        self._helper()\n")
    assert violations({tmp_path / "x.py": ast.parse(code)}, _textual_private()) == []
