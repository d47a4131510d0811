"""Free text a user types or imports: control characters are refused.

NUL, ESC and the other control characters truncate text in other tools (C strings,
spreadsheets), garble or take over the terminal that shows them (escape sequences),
and never mean anything in a name, a memo or a note. Tab and line breaks are allowed.
"""

from __future__ import annotations

import re

from smallbiz.errors import ValidationError
from smallbiz.i18n import _

#: C0 controls but tab, newline and carriage return; DEL; the C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value: str) -> re.Match[str] | None:
    """The first control character in `value` (None when there is none)."""
    return None if value.isprintable() else CONTROL.search(value)


def refuse_control(value: str, field: str) -> str:
    """`value` unchanged, or ValidationError naming `field` and the character."""
    if (bad := control_character(value)) is not None:
        raise ValidationError(_("{field}: control character U+{code:04X} is not allowed "
                                "(at position {pos})").format(
            field=field, code=ord(bad.group()), pos=bad.start() + 1), field=field)
    return value
