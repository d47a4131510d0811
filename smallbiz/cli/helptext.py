"""The CLI's help in the language in force.

The help texts stay plain English strings in the code (`help="…"` given to typer, and the
command functions' docstrings: tools/i18n.py extracts both into the catalogs). They are
translated when the command tree is about to parse its arguments (`translate_tree`, from
the root group's `parse_args`), that is after `--lang` is known and before any `--help`
is rendered. click's own words on the help page (`Usage:`, the section headings, the help
option's text, `[default: …]`, `[required]`) go through `HelpFormatter`, the formatter
class of every command's context (public attributes: a command's `context_class`,
`typer.Context.formatter_class`). Its usage errors (`No such option`, `Missing argument`,
...) are said again in that language by `usage_error_text` (below).
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


# -- usage errors --------------------------------------------------------------------------
# typer 0.29 carries its own copy of click, which says its usage errors in English only (no
# gettext). They reach us as exceptions (`typer.TyperException` with exit code 2 and the
# command's `ctx`), in one of a few fixed forms: each form below is a msgid whose `{fields}`
# are read back from the English message, and the message is said again in the language in
# force, framed as click frames it (usage line, the `Try ... for help.` hint, `Error: `).

#: The usage errors click and typer raise, as they word them.
USAGE_ERRORS = (
    N_("No such option: {name} (Possible options: {options})"),
    N_("No such option: {name}"),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {n} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {n} values."),
)
#: Why a value was refused (the `{reason}` of `Invalid value ...`: typer's pydantic
#: coercion of numbers); a reason not listed stays as it was said.
REASONS = (
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid integer"),
    N_("Input should be greater than or equal to {n}"),
    N_("Input should be less than or equal to {n}"),
    N_("Input should be greater than {n}"),
    N_("Input should be less than {n}"),
    N_("Value {value} is not a valid {kind}."),
)
USAGE_FRAME = (N_("Try '{command} {option}' for help."), N_("Error: {message}"))


def _pattern(msgid: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", msgid)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                              for i, p in enumerate(parts)) + r"\Z", re.DOTALL)


_USAGE = [(m, _pattern(m)) for m in USAGE_ERRORS]
_REASONS = [(m, _pattern(m)) for m in REASONS]


def _say(message: str, forms: list[tuple[str, re.Pattern[str]]]) -> str | None:
    for msgid, pattern in forms:
        match = pattern.match(message)
        if match:
            fields = match.groupdict()
            if "reason" in fields:
                fields["reason"] = _say(fields["reason"], _REASONS) or fields["reason"]
            return _(msgid).format(**fields)
    return None


def usage_error_text(exc: Any) -> str | None:
    """What click would print for the usage error `exc` (usage line, hint, `Error: ...`),
    in the language in force; None when `exc` is not one of the forms above (a group's
    `no_args_is_help` page, say): then click shows it itself."""
    message = _say(exc.format_message(), _USAGE)
    if message is None:
        return None
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        lines.append(f"{ctx.get_usage()}\n{hint}")
    lines.append(_("Error: {message}").format(message=message))
    return "\n".join(lines)
