"""Free text a user types or imports: control characters are refused.

NUL, ESC and the other control characters truncate text in other tools (C strings,
spreadsheets), garble or take over the terminal that shows them (escape sequences),
and never mean anything in a name, a memo or a note. Tab and line breaks are allowed.

Text shown to a person (an error or a warning quoting a value from a file) goes through
`visible`: control characters and the bidirectional overrides (which reorder what a
terminal shows) are written as escapes such as `\\x1b` or `\\u202e`, so a value can never
act on the terminal, only be read.
"""

from __future__ import annotations

import re
from pathlib import Path

from smallbiz.errors import UserError, ValidationError
from smallbiz.i18n import _

#: C0 controls but tab, newline and carriage return; DEL; the C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: What `visible` escapes: C0 but tab and newline, DEL, C1, the bidi embeddings, overrides
#: and isolates (U+202A–U+202E, U+2066–U+2069); with `one_line`, tab and newline too.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with control characters (C0 but tab and newline, DEL, C1) and bidi overrides
    written as visible escapes (`\\x1b`, `\\u202e`); `one_line` escapes tab and newline
    too. Anything else is kept, backslashes included, so applying it twice changes nothing."""
    if text.isprintable() and not one_line:
        return text  # the usual case: nothing to escape (bidi controls are not printable)
    return (_INVISIBLE_ONE_LINE if one_line else _INVISIBLE).sub(_escape, text)


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


def read_text(path: str | Path) -> str:
    """An imported text file's text: UTF-8 (with or without BOM), or UTF-16 with a BOM.
    A file that cannot be read, or a byte that is not text, is refused with the file's
    name (and the line of the bad byte)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UserError(_("{path}: cannot read ({err})").format(path=file, err=exc.strerror),
                        field="file") from None
    name = file.name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(_("{path}: broken UTF-16 text").format(path=name),
                                  field="file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("{path} line {n}: not UTF-8 text (byte 0x{byte:02X}); save the "
                                "file as UTF-8").format(
            path=name, n=data[:exc.start].count(b"\n") + 1, byte=data[exc.start]),
            field="file") from None
