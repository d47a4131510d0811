"""The core stays headless, and screens/ never talks SQL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_cli_and_core_do_not_import_textual() -> None:
    """Every module of the core, but the terminal app itself (smallbiz.screens)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import smallbiz, smallbiz.cli.main\n"
        "for m in pkgutil.walk_packages(smallbiz.__path__, 'smallbiz.'):\n"
        "    if m.name.endswith('__main__') or m.name.startswith(\n"
        "            ('smallbiz.migrations.', 'smallbiz.screens.')):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout


def test_help_does_not_import_the_orm_or_textual() -> None:
    code = ("import sys\nfrom typer.testing import CliRunner\n"
            "from smallbiz.cli.main import app\n"
            "CliRunner().invoke(app, ['--help'])\n"
            "print('textual' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_screens_contain_no_sql() -> None:
    pattern = re.compile(r"\b(select|text|execute)\(|\bSELECT\b|\bINSERT\b|\bUPDATE\b")
    offenders = []
    for path in sorted((ROOT / "screens").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_every_binding_has_an_id_and_the_help_lists_it() -> None:
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import smallbiz.screens
    from smallbiz.screens.help import binding_groups

    for m in pkgutil.walk_packages(smallbiz.screens.__path__, "smallbiz.screens."):
        importlib.import_module(m.name)
    listed = {id(b) for _where, bindings in binding_groups() for b in bindings}
    missing = []
    stack = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("smallbiz.screens."):
            continue
        for b in cls.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding) and (not b.id or id(b) not in listed):
                missing.append(f"{cls.__name__}: {b.key} -> {b.action} (id {b.id!r})")
    assert missing == []


#: Starts the app as a user does (`tui_launch.launch`), with `smallbiz.screens.app` replaced by a
#: stand-in whose `run` prints the frame rate Textual read when it was first imported.
_LAUNCH = ("import sys, types\n"
           "stand_in = types.ModuleType('smallbiz.screens.app')\n"
           "def run(state, *, demo):\n"
           "    import textual.constants as c\n"
           "    print(c.MAX_FPS)\n"
           "stand_in.run = run\n"
           "sys.modules['smallbiz.screens.app'] = stand_in\n"
           "from smallbiz.tui_launch import launch\n"
           "launch(None, demo=False)\n")


@pytest.mark.parametrize("user_setting, fps", [(None, "120"), ("30", "30")])
def test_the_app_paints_at_120_frames_unless_the_user_says(user_setting: str | None,
                                                           fps: str) -> None:
    """Rows that arrive between frames wait for the next one (see smallbiz/tui_launch.py)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if user_setting is not None:
        env["TEXTUAL_FPS"] = user_setting
    out = subprocess.run([sys.executable, "-c", _LAUNCH], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True, timeout=60)
    assert out.stdout.strip() == fps


def test_importing_the_screens_leaves_the_environment_alone() -> None:
    """Only starting the app (`tui_launch.launch`) asks for a frame rate, not an import."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    code = ("import os, smallbiz.screens, smallbiz.screens.app, textual.constants as c\n"
            "print(os.environ.get('TEXTUAL_FPS'), c.MAX_FPS)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env=env, check=True, timeout=60)
    assert out.stdout.split() == ["None", "60"]
