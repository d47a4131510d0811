"""`smallbiz --help` as a user runs it: click's plain help (every Typer of the CLI has
`rich_markup_mode=None`), which imports neither typer's Rich help (rich.markdown with
markdown-it, rich.traceback with pygments) nor pydantic nor the database modules."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("typer.rich_utils", "rich.markdown", "markdown_it", "rich.traceback", "pygments",
         "pydantic", "sqlite3", "sqlalchemy")
PROBE = ("import sys; sys.argv = ['smallbiz', *sys.argv[1:]]\n"
         "from smallbiz.cli.main import main\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         f"print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)")


def _run(args: list[str], columns: int = 100) -> tuple[str, str]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": str(columns)}, check=True)
    return r.stdout, r.stderr.strip()


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["report", "--help"],
                                  ["import", "journal", "--help"]])
def test_help_is_plain_and_imports_nothing_heavy(args: list[str]) -> None:
    out, imported = _run(args)
    assert out.startswith("Usage: smallbiz") and "Options:" in out
    assert "╭" not in out and "│" not in out  # no Rich panels
    assert imported == "[]"


def test_the_root_help_lists_every_command_on_one_line_each() -> None:
    out, _ = _run(["--help"], columns=100)
    commands = out.split("Commands:\n", 1)[1].splitlines()
    assert commands[0].split() == ["init", "Create", "a", "new", "book", "with", "a", "chart",
                                   "of", "accounts."]
    names = [line.split()[0] for line in commands if line.strip()]
    assert {"report", "journal", "contact", "sale", "pay"} <= set(names)
    assert all(len(line) <= 100 for line in out.splitlines())


def test_every_group_and_command_gets_the_plain_help() -> None:
    """A Typer made without `rich_markup_mode=None` would bring typer's Rich help back."""
    code = ("import sys, typer\nfrom smallbiz.cli.main import app\n"
            "root = typer.main.get_command(app)\n"
            "def walk(cmd, path):\n"
            "    yield path\n"
            "    for name, sub in getattr(cmd, 'commands', {}).items():\n"
            "        yield from walk(sub, [*path, name])\n"
            "paths = list(walk(root, []))\n"
            "for path in paths:\n"
            "    try:\n        app([*path, '--help'], prog_name='smallbiz')\n"
            "    except SystemExit:\n        pass\n"
            "print(len(paths), 'typer.rich_utils' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True)
    count, rich_help = r.stderr.split()
    assert int(count) > 80 and rich_help == "False"
    assert r.stdout.count("Usage: smallbiz") == int(count)


def test_a_usage_error_is_plain_too() -> None:
    r = subprocess.run([sys.executable, "-c", PROBE, "report", "tb", "--bogus"],
                       capture_output=True, text=True)
    assert r.stderr.splitlines()[:4] == ["Usage: smallbiz report tb [OPTIONS]",
                                         "Try 'smallbiz report tb -h' for help.", "",
                                         "Error: No such option: --bogus"]
