"""One gettext-style entry point for every user-facing string.

Translations live in data/locale/<lang>/LC_MESSAGES/smallbiz.mo (package data); until one
exists `_()` returns the English text unchanged.
"""

from __future__ import annotations

import gettext
from pathlib import Path

# Package data, where smallbiz.datafiles finds it, but without importlib.resources: this
# module is imported by `smallbiz --help`, which does without importlib.resources' imports.
_LOCALE_DIR = Path(__file__).resolve().parent / "data" / "locale"
_translation = gettext.translation("smallbiz", localedir=_LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """Translate a user-facing message."""
    return _translation.gettext(message)
