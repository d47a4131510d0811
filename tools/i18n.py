"""Extract, merge and compile smallbiz's message catalogs (Babel).

    .venv/bin/python tools/i18n.py          # extract + merge into both .po + compile .mo
    .venv/bin/python tools/i18n.py --check  # exit 1 if a catalog is out of date or the
                                            # Georgian one misses a translation

What is extracted: every `_()`, `N_()` and `ngettext()` in smallbiz/ and screens/ (Babel's
Python extractor), and the CLI's help texts, which stay plain strings in the code: each
`help=`/`short_help=`/`epilog=` string given to typer, and the docstring of each
command function that has no `help=` (typer shows it as the command's help). They are
translated when the help is rendered (smallbiz/cli/helptext.py). Also the column headings
written as strings in a `table(...)` call in smallbiz/cli (translated by that function).

The catalogs: data/locale/{en,ka}/LC_MESSAGES/smallbiz.po (English is the source language:
its msgstrs stay empty, so the msgid shows) and the compiled smallbiz.mo beside each, which
the wheel and an editable install ship as package data. After merging another branch: run
this, translate the new empty msgstrs in ka/…/smallbiz.po (`--check` lists them), run it
again.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("smallbiz", "screens")  # smallbiz/screens is a link to screens/: walked once
LOCALE = ROOT / "data" / "locale"
LANGS = ("en", "ka")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NP_": ((1, "c"), 2)}
HELP_KEYWORDS = ("help", "short_help", "epilog")
#: Functions whose string arguments are column headings (translated inside them).
HEADING_CALLS = ("table", "_keep_whole")


def _typer_help(path: Path) -> Iterator[tuple[int, str]]:
    """The CLI texts of one module that are not `_()` calls: typer's `help=` strings, the
    docstrings of command functions without one, and the column headings written in a
    `table(...)` call (translated by `smallbiz.cli.state.table`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # `app.command("name")(function)`: the function's docstring is that command's help.
    registered = {arg.id for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _is_command_decorator(node.func)
                  for arg in node.args if isinstance(arg, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in HEADING_CALLS:
            right = [kw.value for kw in node.keywords if kw.arg == "right"]
            elements = [e for r in right if isinstance(r, ast.Tuple) for e in r.elts]
            for arg in [*node.args, *elements]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                    yield arg.lineno, arg.value
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if (kw.arg in HELP_KEYWORDS and isinstance(kw.value, ast.Constant)
                        and isinstance(kw.value.value, str) and kw.value.value):
                    yield kw.value.lineno, kw.value.value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc and (node.name in registered
                        or any(_is_command_decorator(d) for d in node.decorator_list)):
                yield node.lineno, inspect.cleandoc(doc)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _is_command_decorator(node: ast.expr) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr not in ("command", "callback"):
        return False
    return not any(kw.arg == "help" for kw in node.keywords)


def messages() -> Catalog:
    """Every msgid of the code, with where it comes from (files, no line numbers)."""
    template = Catalog(project="smallbiz", domain="smallbiz", fuzzy=False)
    for source in SOURCES:
        base = ROOT / source
        for filename, lineno, message, _comments, context in extract_from_dir(
                base, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("TRANSLATORS:",)):
            where = f"{source}/{filename}"
            if source == "smallbiz" and filename.startswith(("screens/", "data/")):
                continue
            template.add(message, locations=[(where, lineno)], context=context)
    for path in sorted((ROOT / "smallbiz" / "cli").glob("*.py")):
        for lineno, message in _typer_help(path):
            template.add(message, locations=[(str(path.relative_to(ROOT)), lineno)])
    return template


def _po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "smallbiz.po"


def merged(lang: str, template: Catalog) -> Catalog:
    """The language's catalog brought up to the template: new msgids added (empty), gone
    ones dropped, translations kept."""
    path = _po_path(lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain="smallbiz")
    else:
        catalog = Catalog(locale=lang, domain="smallbiz", project="smallbiz")
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False,
                   update_creation_date=False)
    catalog.obsolete.clear()
    catalog.project = "smallbiz"
    catalog.version = ""
    catalog.revision_date = catalog.creation_date
    catalog.language_team = {"ka": "Georgian", "en": "English"}[lang]
    catalog.last_translator = "smallbiz"
    catalog.msgid_bugs_address = ""
    return catalog


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=96, include_lineno=False, omit_header=False,
             sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    """The msgids whose msgstr is empty (for a plural: any form)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a catalog or .mo is out of date")
    args = parser.parse_args(argv)
    template = messages()
    stale = []
    missing: list[str] = []
    for lang in LANGS:
        catalog = merged(lang, template)
        text, mo = po_text(catalog), mo_bytes(catalog)
        po_path = _po_path(lang)
        mo_path = po_path.with_suffix(".mo")
        for path, data in ((po_path, text), (mo_path, mo)):
            if path.exists() and path.read_bytes() == data:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        if lang == "ka":
            missing = untranslated(catalog)
            if missing:
                print(f"ka: {len(missing)} message(s) without a translation:", file=sys.stderr)
                for m in missing[:50]:
                    print(f"  {m!r}", file=sys.stderr)
    if args.check and (stale or missing):
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(template)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
