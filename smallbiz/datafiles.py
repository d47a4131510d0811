"""The files smallbiz ships beside its code: chart templates, fonts, translations.

They live in the checkout's top-level data/ folder and are installed as package data,
smallbiz/data/ (pyproject.toml maps the folder; in the checkout smallbiz/data is a link to
it), so `importlib.resources` finds them in a wheel and in an editable install alike.
"""

from __future__ import annotations

from pathlib import Path


def data_path(*parts: str) -> Path:
    """The file or folder data/PARTS as a path on disk (fpdf2 and gettext open paths;
    smallbiz is always installed as files, never zipped)."""
    # Imported here, not at the top: `smallbiz --help` does without it (tempfile, zipfile...).
    from importlib.resources import files

    return Path(files("smallbiz").joinpath("data", *parts))
