"""The message catalogs: every user-visible string of the code is in both, Georgian
translates all of them, and the shipped .mo files are compiled from the .po files."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GEORGIAN = re.compile("[\u10d0-\u10ff]")


def _tool():
    spec = importlib.util.spec_from_file_location("smallbiz_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return _tool()


@pytest.fixture(scope="module")
def template(tool):
    return tool.messages()


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_every_msgid_of_the_code_is_in_the_catalog(tool, template, lang: str) -> None:
    from babel.messages.pofile import read_po

    with (ROOT / "data" / "locale" / lang / "LC_MESSAGES" / "smallbiz.po").open("rb") as f:
        catalog = read_po(f)
    missing = sorted(_ids(template) - _ids(catalog))
    assert not missing, (f"{len(missing)} message(s) not in the {lang} catalog; run "
                         f"`.venv/bin/python tools/i18n.py`: {missing[:10]}")


def test_the_catalogs_and_mo_files_are_up_to_date(tool) -> None:
    assert tool.main(["--check"]) == 0, "run `.venv/bin/python tools/i18n.py`"



def test_the_georgian_catalog_translates_every_msgid(tool, template) -> None:
    missing = tool.untranslated(tool.merged("ka", template))
    assert not missing, f"{len(missing)} untranslated in ka: {missing[:10]}"


def test_georgian_translations_keep_the_placeholders(tool, template) -> None:
    """`{name}` in a msgid is in its msgstr too (else .format() fails or drops a value)."""
    wrong = []
    for message in tool.merged("ka", template):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        want = set(re.findall(r"\{[^{}]*\}", ids[-1]))
        for s in strings:
            if set(re.findall(r"\{[^{}]*\}", s)) != want:
                wrong.append((ids[0], s))
    assert not wrong, wrong[:5]


def test_every_cli_help_text_is_in_the_catalog(template) -> None:
    import typer

    from smallbiz.cli.helptext import help_texts
    from smallbiz.cli.main import app

    ids = _ids(template)
    missing = sorted({t for t in help_texts(typer.main.get_command(app)) if t not in ids})
    assert not missing, missing[:10]


def _help(*args: str, env: dict[str, str] | None = None) -> str:
    r = subprocess.run([sys.executable, "-m", "smallbiz", *args], capture_output=True,
                       text=True, check=True,
                       env={**os.environ, "COLUMNS": "100", "LC_ALL": "", "LC_MESSAGES": "",
                            "LANG": "C.UTF-8", **(env or {})})
    return r.stdout


def _command_names() -> set[str]:
    import typer

    from smallbiz.cli.helptext import _walk
    from smallbiz.cli.main import app

    names = set()
    for command in _walk(typer.main.get_command(app)):
        names |= set(getattr(command, "commands", None) or {})
    return names


#: Latin words that are data or keywords a user types, the same in every language: stored
#: values given as choices, CSV column names, `today`, the demo company's name, hledger's
#: `bal`.
TYPED = {"today", "customer", "supplier", "lead", "person", "organization", "call", "email",
         "meeting", "note", "task", "qualified", "proposal", "negotiation", "won", "lost",
         "draft", "confirmed", "shipped", "received", "invoiced", "paid", "cancelled", "csv",
         "vcard", "vcf", "sku", "name", "price", "cost", "unit", "vat", "reorder", "kind",
         "assets", "liabilities", "equity", "income", "expenses", "bal", "Kavkasia", "Tools",
         "invalid", "lang"}


def _english_words(text: str) -> list[str]:
    """Latin words a user would read in a help page: not options, metavars, command names,
    setting keys, examples in quotes, default values, or file names."""
    words = []
    commands = _command_names()
    for line in text.splitlines():
        if line.startswith(("გამოყენება:", "Usage:")):
            # the command's path and its arguments' names; the words around them translated
            words += [w for w in ("Usage", "OPTIONS", "ARGS", "COMMAND") if w in line]
            continue
        line = re.sub(r"\[ნაგულისხმევი: [^\]]*\]", " ", line)  # a default value (data)
        line = re.sub(r"\b[a-z]+_[a-z_]+\b", " ", line)  # a setting's key
        line = re.sub(r"^\s{2}[a-z][a-z_-]*(\s|$)", " ", line)  # an argument's name
        line = re.sub(r"--?[a-z][a-z-]*|\b[A-Z_]{2,}\b|'[^']*'|\{[^}]*\}|<[^>]*>|"
                      r"\[[A-Z_.|]+\]|\S+\.(?:db|csv|pdf|journal|vcf)\b|\b\w+\|\w+\b|"
                      r"smallbiz|SQLite|PostgreSQL|SQLAlchemy|JSON|CSV|PDF|URL|GEL|VAT|ISO|"
                      r"YYYY-MM-DD|vCard|hledger|ledger", " ", line)
        words += [w for w in re.findall(r"\b[A-Za-z]{3,}\b", line)
                  if w not in commands and w not in TYPED]
    return words


def test_lang_ka_help_is_georgian() -> None:
    out = _help("--lang", "ka", "--help")
    assert out.startswith("გამოყენება: smallbiz")
    assert GEORGIAN.search(out)
    assert "Options" not in out and "Commands" not in out
    assert _english_words(out) == []


def test_every_command_help_in_georgian_has_no_english_word() -> None:
    import typer

    from smallbiz.cli.helptext import _walk
    from smallbiz.cli.main import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd, path):
        paths.append(path)
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    assert len(list(_walk(root))) == len(paths)
    code = ("import sys\nfrom smallbiz.cli.main import app\n"
            f"for path in {paths!r}:\n"
            "    print('=== ' + ' '.join(path))\n"
            "    try:\n        app(['--lang', 'ka', *path, '--help'], prog_name='smallbiz')\n"
            "    except SystemExit:\n        pass\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, env={**os.environ, "COLUMNS": "100"})
    found = {}
    for page in r.stdout.split("=== ")[1:]:
        name, _, body = page.partition("\n")
        words = _english_words(body)
        if words:
            found[name] = words
    assert not found, found


def test_lang_en_overrides_a_georgian_environment() -> None:
    assert _help("--help", env={"LANG": "ka_GE.UTF-8"}).startswith("გამოყენება:")
    assert _help("--lang", "en", "--help", env={"LANG": "ka_GE.UTF-8"}).startswith("Usage:")
    assert _help("--help", env={"LC_ALL": "ka_GE.UTF-8", "LANG": "en_US.UTF-8"}).startswith(
        "გამოყენება:")
