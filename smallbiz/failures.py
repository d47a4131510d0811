"""What went wrong, in one line: the failures that are not bugs of ours.

The CLI prints `error: <line>` and exits 1; the TUI shows the line as a notification.
A database that is busy, damaged, read-only or full, a refused trigger, a missing
driver, a URL that is no URL, a full disk, text that is not UTF-8: each is said in one
line, with what to do where there is something to do. Anything else is a bug and keeps
its traceback.

Nothing here imports the database libraries: a command that opened no database has
imported neither (`--help` does not import sqlite3).
"""

from __future__ import annotations

import errno
import sys

from smallbiz.i18n import _
from smallbiz.textcheck import visible

#: Words in a SQLite message that mean the file itself is damaged.
_DAMAGED = ("malformed", "not a database", "file is encrypted", "disk i/o error",
            "database corrupt")


def damaged(message: str) -> bool:
    """True when a SQLite error message says the file itself is damaged."""
    return any(word in message.lower() for word in _DAMAGED)


def describe(exc: BaseException, *, reading_book: bool = False) -> str | None:
    """The one line for `exc`, or None when it is a bug (let it raise).

    `reading_book`: the failure happened while a book was open. A value SQLite's checks
    cannot see as damaged (a flipped bit inside a date or an amount) fails where it is
    read (ValueError, ArithmeticError): that is said as a value smallbiz cannot read,
    with the advice to run `check`, rather than as a traceback.
    """
    line = _describe(exc)
    if line is None and reading_book and isinstance(exc, ValueError | ArithmeticError):
        line = _("the book holds a value smallbiz cannot read ({kind}: {reason}); the file "
                 "may be damaged: run 'smallbiz check'").format(kind=type(exc).__name__,
                                                               reason=exc)
    return None if line is None else visible(line, one_line=True)


def _describe(exc: BaseException) -> str | None:
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None:
        if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
            return _describe(exc.orig) or _("database: {reason}").format(reason=exc.orig)
        if isinstance(exc, sa_exc.NoSuchModuleError):
            return _("the database URL names an engine smallbiz does not know ({reason}); "
                     "use a file path, sqlite:///PATH or postgresql+psycopg://…").format(
                reason=exc)
        if isinstance(exc, sa_exc.ArgumentError):
            return _("the database URL is not valid ({reason})").format(reason=exc)
        if isinstance(exc, sa_exc.StatementError) and exc.orig is not None:
            return _describe(exc.orig)
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("psycopg"):
        return _("the PostgreSQL driver is not installed: pip install 'smallbiz[postgres]'")
    sqlite = sys.modules.get("sqlite3")
    if sqlite is not None and isinstance(exc, sqlite.Error):
        text = str(exc)
        if damaged(text):
            return _("the book file is damaged ({reason}); nothing was written. Run "
                     "'smallbiz check', and restore a backup").format(reason=text)
        if "disk is full" in text.lower():
            return _("the disk is full ({reason}); nothing was written").format(reason=text)
        if "readonly" in text.lower().replace("-", "").replace(" ", ""):
            return _("the book is read-only ({reason}); nothing was written").format(
                reason=text)
        return _("database: {reason}").format(reason=text)
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(exc, psycopg.Error):
        return _("database: {reason}").format(reason=str(exc).strip().splitlines()[0])
    if isinstance(exc, UnicodeDecodeError):
        return _("text that is not valid UTF-8 ({reason}); if it was read from the book, "
                 "the file is damaged: run 'smallbiz check'").format(reason=exc.reason)
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno == errno.ENOSPC:
            return _("{where}the disk is full; nothing was written").format(where=where)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.EISDIR,
                         errno.ENOTDIR, errno.EDQUOT, errno.EIO, errno.ELOOP):
            return f"{where}{exc.strerror}"
    return None
