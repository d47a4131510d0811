"""The CLI's help in the language in force.

The help texts stay plain English strings in the code (`help="…"` given to typer, and the
command functions' docstrings: tools/i18n.py extracts both into the catalogs). They are
translated when the command tree is about to parse its arguments (`translate_tree`, from
the root group's `parse_args`), that is after `--lang` is known and before any `--help`
is rendered. click's own words on the help page (`Usage:`, the section headings, the help
option's text, `[default: …]`, `[required]`) go through `HelpFormatter`, the formatter
class of every command's context (public attributes: a command's `context_class`,
`typer.Context.formatter_class`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

import typer

from smallbiz.i18n import N_, _

#: click's and typer's own words on a help page, for the catalogs.
CLICK_WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Arguments"),
    N_("Show this message and exit."), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."),
    N_("[ARGS]..."), N_("required"), N_("default: {default}"),
)
_EXTRA = re.compile(r"\[(required|default: (?P<default>[^\]]*))\]")
_originals: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = (
    weakref.WeakKeyDictionary())


def _extra(match: re.Match[str]) -> str:
    if match.group(1) == "required":
        return f"[{_('required')}]"
    return "[" + _("default: {default}").format(default=match.group("default")) + "]"


class HelpFormatter(typer.Context.formatter_class):  # type: ignore[misc,name-defined]
    """click's plain formatter, saying click's own words in the language in force."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for word in ("[OPTIONS]", "COMMAND [ARGS]...", "[ARGS]..."):
            args = args.replace(word, _(word))
        super().write_usage(prog, args, prefix=_("Usage:") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        super().write_dl([(term, _EXTRA.sub(_extra, _(text))) for term, text in rows],
                         col_max=col_max, col_spacing=col_spacing)


class Context(typer.Context):
    formatter_class = HelpFormatter


def _walk(command: Any) -> Iterator[Any]:
    yield command
    for sub in (getattr(command, "commands", None) or {}).values():
        yield from _walk(sub)


def translate_tree(root: Any) -> None:
    """Put every command's and parameter's help in the language in force (from the English
    originals, kept per object, so the tree may be translated again)."""
    for command in _walk(root):
        command.context_class = Context
        _translate(command, ("help", "short_help", "epilog"))
        for param in command.params:
            _translate(param, ("help",))


def _translate(obj: Any, attributes: tuple[str, ...]) -> None:
    original = _originals.get(obj)
    if original is None:
        original = _originals[obj] = {a: getattr(obj, a, None) for a in attributes}
    for attribute, text in original.items():
        if text:
            setattr(obj, attribute, _(text))


def help_texts(root: Any) -> Iterator[str]:
    """Every help text of the tree as written in the code (the tests check the catalogs
    hold them all)."""
    for command in _walk(root):
        for obj in (command, *command.params):
            original = _originals.get(obj) or {
                a: getattr(obj, a, None) for a in ("help", "short_help", "epilog")}
            yield from (t for t in original.values() if t)
