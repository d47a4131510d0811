"""The one exception family for errors a user can cause.

The CLI prints `error: <message>` and exits 1; the TUI shows the message beside the
field (``field``) or as a notification. Anything else escaping a service is a bug.

A message often quotes what the user typed or a file held; it is made safe to show once,
here: control characters and bidi overrides become visible escapes (`textcheck.visible`),
so no value quoted in an error reaches a terminal or the TUI raw.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        from smallbiz.textcheck import visible  # textcheck raises these errors

        message = visible(str(message))
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """An input value is malformed (amount, date, code, ...)."""


class NotFound(UserError):
    """A reference (account, contact, document, ...) matches nothing."""


class AmbiguousReference(UserError):
    """A reference matches several records; the message lists the candidates."""

    def __init__(self, message: str, candidates: list[str], *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.candidates = candidates


class RuleViolation(UserError):
    """A business rule refuses the operation (unbalanced entry, lock date, oversell, ...)."""


class BookNotFound(UserError):
    """The database file does not exist or holds no book yet."""


class BookDamaged(BookNotFound):
    """The book file is there but damaged (SQLite reports it malformed)."""
