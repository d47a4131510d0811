"""Resolving what a user types (id, code/number, exact name, unique prefix) to one record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from smallbiz.errors import AmbiguousReference, NotFound
from smallbiz.i18n import _

T = TypeVar("T")
MAX_LISTED = 10


def choose(ref: str, kind: str, exact: Sequence[T], prefixed: Sequence[T],
           label: Callable[[T], str], *, field: str | None = None) -> T:
    """Pick the single match: exact matches win over prefix matches.

    Raises NotFound when nothing matches, AmbiguousReference (listing candidates) when
    several do.
    """
    for group in (exact, prefixed):
        unique = list({id(x): x for x in group}.values())
        if len(unique) == 1:
            return unique[0]
        if len(unique) > 1:
            names = [label(x) for x in unique]
            shown = ", ".join(names[:MAX_LISTED]) + (" ..." if len(names) > MAX_LISTED else "")
            raise AmbiguousReference(
                _("{kind} '{ref}' is ambiguous: {names}").format(kind=kind, ref=ref, names=shown),
                names, field=field)
    raise NotFound(_("no {kind} matches '{ref}'").format(kind=kind, ref=ref), field=field or kind)


def as_id(text: str) -> int | None:
    """The record id a user typed (ASCII digits that fit a 64-bit integer), else None
    (`str.isdigit` also accepts '²' and other digits `int` refuses)."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def like_prefix(text: str) -> str:
    """A LIKE pattern for `text%` with LIKE's wildcards escaped (use ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
