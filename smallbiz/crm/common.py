"""Small parsing helpers shared by the CRM modules."""

from __future__ import annotations

from collections.abc import Sequence

from smallbiz.errors import ValidationError
from smallbiz.i18n import _


def parse_choice(value: str, choices: Sequence[str], *, field: str, what: str,
                 aliases: dict[str, str] | None = None) -> str:
    """`value` (any case, trimmed) when it is one of `choices`; else a ValidationError
    naming the field and listing the choices."""
    choice = value.strip().lower()
    choice = (aliases or {}).get(choice, choice)
    if choice not in choices:
        raise ValidationError(_("{field}: unknown {what} '{value}' (one of: {choices})").format(
            field=field, what=what, value=value, choices=", ".join(choices)), field=field)
    return choice
