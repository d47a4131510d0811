"""One gettext-style entry point for every user-facing string, and the language in force.

Translations live in data/locale/<lang>/LC_MESSAGES/smallbiz.po (the source, in the repo)
and smallbiz.mo (compiled from it by `python tools/i18n.py`, shipped as package data).
English is the source language: its catalog is the identity, and a message missing from
the Georgian one shows in English.

The language: `--lang ka|en` (the CLI's global option, `set_language`), else the book's
setting `lang`, else the first of LC_ALL, LC_MESSAGES, LANG that is set, else English
(`choose_language`). It may change while the program runs (the terminal app's palette):
`_()` reads the language in force at each call, so text made at import time (`N_`) is
translated where it is shown.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

V = TypeVar("V")

# Package data, where smallbiz.datafiles finds it, but without importlib.resources: this
# module is imported by `smallbiz --help`, which does without importlib.resources' imports.
LOCALE_DIR = Path(__file__).resolve().parent / "data" / "locale"
DOMAIN = "smallbiz"
#: The languages smallbiz speaks, English (the source language) first.
LANGUAGES = ("en", "ka")
#: Each language's name in itself (the palette's switch, `config set lang`).
LANGUAGE_NAMES = {"en": "English", "ka": "ქართული"}

_translations: dict[str, gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _translations:
        _translations[lang] = gettext.translation(DOMAIN, localedir=LOCALE_DIR,
                                                  languages=[lang], fallback=True)
    return _translations[lang]


def normalize_language(value: str | None) -> str | None:
    """`ka`, `ka_GE.UTF-8`, `KA` → `ka`; `en_US` → `en`; None for anything else (`C`,
    `POSIX`, a language smallbiz does not speak)."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def env_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG that
    is set (POSIX order), when smallbiz speaks it."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return normalize_language(env[name])
    return None


def choose_language(option: str | None = None, setting: str | None = None,
                    environ: Mapping[str, str] | None = None) -> str:
    """`--lang`, else the book's setting, else the environment, else English."""
    return (normalize_language(option) or normalize_language(setting)
            or env_language(environ) or "en")


_language = env_language() or "en"
#: Whether the language was given explicitly (`--lang`): then the book's setting is not
#: consulted.
_explicit = False


def language() -> str:
    """The language in force: `en` or `ka`."""
    return _language


def set_language(lang: str, *, explicit: bool = False) -> str:
    """Make `lang` the language in force (`ka`, `en`, or a locale name such as
    `ka_GE.UTF-8`); returns the code. Raises ValueError for a language smallbiz does not
    speak."""
    global _language, _explicit
    code = normalize_language(lang)
    if code is None:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    changed = code != _language
    _language = code
    _explicit = _explicit or explicit
    if changed:
        for listener in list(_listeners):
            listener(code)
    return code


def apply_book_setting(setting: str | None) -> None:
    """The book's `lang` setting, unless `--lang` was given."""
    if not _explicit and normalize_language(setting):
        set_language(setting or "")


def reset_language(environ: Mapping[str, str] | None = None) -> None:
    """Back to the environment's language, as at start-up (tests, a new CLI run)."""
    global _explicit
    _explicit = False
    set_language(env_language(environ) or "en")


#: The locale a file states for its numbers and dates (`import ... --locale ka`), while it
#: is read; None: the language in force.
_reading: ContextVar[str | None] = ContextVar("smallbiz_reading", default=None)


def input_language() -> str:
    """The language whose forms numbers and dates are read in (`money.parse_decimal`,
    `dates.parse_date`): the locale of the file being read, else the language in force."""
    return _reading.get() or _language


def check_locale(locale: str, *, field: str = "--locale") -> str:
    """`ka` or `en` (a file's stated locale), or a ValidationError naming `field`."""
    code = locale.strip().lower()
    if code not in LANGUAGES:
        from smallbiz.errors import ValidationError

        raise ValidationError(_("{field}: '{value}' is not a locale smallbiz reads "
                                "({known})").format(field=field, value=locale,
                                                    known=", ".join(LANGUAGES)), field=field)
    return code


@contextmanager
def reading(locale: str | None, *, field: str = "--locale") -> Iterator[None]:
    """Read numbers and dates in `locale` (`ka` or `en`, as a file states it) inside the
    block, whatever language the messages are in; None changes nothing. A locale smallbiz
    does not know is a ValidationError naming `field`."""
    if locale is None:
        yield
        return
    token = _reading.set(check_locale(locale, field=field))
    try:
        yield
    finally:
        _reading.reset(token)


def on_language_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener(code)` whenever the language changes; returns the way to stop."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def _(message: str) -> str:
    """Translate a user-facing message into the language in force."""
    if _language == "en" or not message:
        return message
    return _catalog(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, translated (Georgian has one form after a
    number: `3 ჩანაწერი`)."""
    if _language == "en":
        return singular if n == 1 else plural
    return _catalog(_language).ngettext(singular, plural, n)


def translate_choices(choices: Sequence[tuple[str, V]]) -> list[tuple[str, V]]:
    """`(label, value)` pairs with their labels (msgids) in the language in force."""
    return [(_(label), value) for label, value in choices]


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context` (a shorter word where space is short: the
    navigation bar's place names, `pgettext("nav", "Invoices")`)."""
    if _language == "en" or not message:
        return message
    return _catalog(_language).pgettext(context, message)


def NP_(context: str, message: str) -> str:
    """`N_` with a context: marked for the catalog, translated with `pgettext` where shown."""
    return message


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now: text made at import time
    (a Textual binding, a column heading, a CLI help text), translated with `_()` where it
    is shown, in the language in force then."""
    return message
