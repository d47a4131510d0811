"""`smallbiz --help` as a user runs it: the same text as typer's own help, without
importing markdown-it, pygments or sqlite3 (the stand-ins for rich.markdown and
rich.traceback in smallbiz.cli.main; the database modules only load for a command)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = ("import sys; sys.argv = ['smallbiz', *sys.argv[1:]]\n"
         "from smallbiz.cli.main import {entry}\n"
         "try:\n    {call}\nexcept SystemExit:\n    pass\n"
         "print(any(m in sys.modules for m in ('markdown_it', 'pygments', 'sqlite3')), "
         "file=sys.stderr)")


def _help(args: list[str], *, stand_in: bool, env: dict[str, str] | None = None
          ) -> tuple[str, str]:
    code = PROBE.format(entry="main" if stand_in else "app",
                        call="main()" if stand_in else "app(prog_name='smallbiz')")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "100", **(env or {})}, check=True)
    return r.stdout, r.stderr.strip()


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["report", "--help"],
                                  ["import", "journal", "--help"]])
def test_help_is_typers_own_without_unused_modules(args: list[str]) -> None:
    fast, imported = _help(args, stand_in=True)
    plain, imported_plain = _help(args, stand_in=False)
    assert fast == plain and "Usage: smallbiz" in fast
    assert (imported, imported_plain) == ("False", "True")


def test_markdown_mode_still_gets_the_real_markdown() -> None:
    markdown = {"TYPER_RICH_MARKUP_MODE": "markdown"}
    fast, _ = _help(["import", "journal", "--help"], stand_in=True, env=markdown)
    plain, _ = _help(["import", "journal", "--help"], stand_in=False, env=markdown)
    assert fast == plain and "Post every transaction" in fast


def test_the_stand_ins_become_the_real_classes_when_used() -> None:
    code = ("import sys\n"
            "from smallbiz.compat import defer_unused_rich_modules\n"
            "defer_unused_rich_modules()\n"
            "from rich.markdown import Markdown\nfrom rich.traceback import Traceback\n"
            "assert 'pygments' not in sys.modules\n"
            "try:\n    1 / 0\nexcept ZeroDivisionError as exc:\n"
            "    tb = Traceback.from_exception(type(exc), exc, exc.__traceback__)\n"
            "md = Markdown('# Title')\n"
            "import rich.markdown, rich.traceback\n"
            "print(type(tb) is rich.traceback.Traceback, type(md) is rich.markdown.Markdown, "
            "'pygments' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["True", "True", "True"]
