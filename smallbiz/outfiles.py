"""Every file smallbiz writes goes through here: nothing the user did not ask for is
overwritten, and no half-written file is ever left in place.

The rules (`check_target`):

- an existing file is replaced only with ``--force`` (``force=True``);
- the open book and its companions (``-wal``, ``-shm``, ``-journal``) and its backups
  (``<book>.rev*.bak``) are never replaced, even with ``--force``; paths are compared
  resolved (symlinks followed) and by (st_dev, st_ino) (hard links); an export never
  replaces a SQLite database (a book or a backup made with ``smallbiz backup``), only
  ``backup --force`` may;
- a folder, a missing folder, a dangling symbolic link or anything else that is not a
  plain file is one clear `UserError`, never a traceback.

Writing (`atomic_output`, `atomic_path`): the data goes to ``NAME.<random>.partial`` in
the target's folder (mode 0600, locked while it is written), is flushed to disk and
then renamed over the target; on any failure the partial is removed and an `OSError`
(full disk, permission denied, ...) becomes a `UserError`. A partial left by a killed
earlier run (its lock is gone with its process) is removed by the next write of the
same target.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from smallbiz.errors import UserError
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.db import Database

try:  # POSIX: a partial's lock tells a live writer from a killed one
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: The book's companion files SQLite itself reads: replacing one corrupts the book.
COMPANIONS = ("-wal", "-shm", "-journal")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_TOKEN = re.compile(r"[0-9a-f]{8}")
#: SQLite's own side files of a partial (a backup is written through SQLite).
_PARTIAL_SIDES = ("", "-journal", "-wal", "-shm")
#: Without file locks (Windows) a partial this old is taken for a killed run's.
_STALE_SECONDS = 3600.0


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _book_files(book: Database | None) -> list[tuple[Path, str]]:
    """(path, what it is) of every file of the book that must never be replaced."""
    if book is None or book.path is None:
        return []
    base = Path(os.path.abspath(book.path))
    files = [(base, _("the target is the book itself"))]
    files += [(Path(str(base) + suffix), _("the target is the book's {suffix} file").format(
        suffix=suffix)) for suffix in COMPANIONS]
    backup = re.compile(re.escape(base.name) + r"\.rev.*\.bak")
    for folder in {base.parent, base.resolve().parent}:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if backup.fullmatch(entry.name):
                    files.append((folder / entry.name, _("the target is a backup of the book")))
    return files


def protected_reason(path: str | os.PathLike[str], book: Database | None) -> str | None:
    """Why `path` is one of the book's own files (None when it is not)."""
    target = Path(os.path.abspath(Path(path).expanduser()))
    resolved = target.resolve()
    target_stat = _stat(target)
    for file, reason in _book_files(book):
        if resolved == file.resolve() or target == file:
            return reason
        if target_stat is not None:
            file_stat = _stat(file)
            if file_stat is not None and _same_file(target_stat, file_stat):
                return reason
    return None


def _is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: str | os.PathLike[str], *, force: bool, book: Database | None,
                 allow_database: bool = False) -> Path:
    """The absolute path to write for `path`, or a `UserError` saying why not.

    `force` allows replacing an existing plain file; `allow_database` (backups only)
    allows that file to be a SQLite database. The book's own files are refused always.
    An existing symbolic link is followed: the file it names is the one replaced.
    """
    raw = os.fspath(path)
    if not raw.strip():
        raise UserError(_("no file name given"), field="file")
    given = Path(raw).expanduser()
    target = Path(os.path.abspath(given))
    if raw.endswith(("/", os.sep)) or target.is_dir():
        if target.is_dir():
            raise UserError(_("{path}: is a folder; give a file name").format(path=raw),
                            field="file")
        raise UserError(_("folder {path} does not exist").format(path=target), field="file")
    reason = protected_reason(target, book)
    if reason is not None:
        raise UserError(_("{path}: {reason}; it is never replaced, even with --force").format(
            path=raw, reason=reason), field="file")
    try:
        link = target.lstat()
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise UserError(_("cannot write {path}: {err}").format(
            path=raw, err=exc.strerror or exc), field="file") from None
    if link is not None and stat.S_ISLNK(link.st_mode):
        if not target.exists():
            raise UserError(_("{path} is a symbolic link to {dest}, which does not exist")
                            .format(path=raw, dest=os.readlink(target)), field="file")
        target = target.resolve()
        link = target.lstat()
    parent = target.parent
    if not parent.exists():
        raise UserError(_("folder {path} does not exist").format(path=parent), field="file")
    if not parent.is_dir():
        raise UserError(_("{path} is not a folder").format(path=parent), field="file")
    if link is not None:
        if not stat.S_ISREG(link.st_mode):
            raise UserError(_("{path} is not a plain file; it is not replaced").format(
                path=raw), field="file")
        if not force:
            raise UserError(_("{path} already exists (use --force to replace it)").format(
                path=raw), field="file")
        if not allow_database and _is_sqlite_file(target):
            raise UserError(_("{path} is a SQLite database (a book or a backup); an export "
                              "never replaces one, even with --force").format(path=raw),
                            field="file")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(_("cannot write in folder {path}: permission denied").format(
            path=parent), field="file")
    return target


def _partial_pattern(dest: Path) -> re.Pattern[str]:
    return re.compile(re.escape(dest.name) + r"(?:\.[0-9a-f]{8})?\.partial"
                      r"(?:-journal|-wal|-shm)?")


def _lock(fd: int, *, wait: bool) -> bool:
    """Lock `fd` exclusively; False when another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:
        return wait  # a file system without locks: never take a partial for stale
    return True


def _is_stale(path: Path) -> bool:
    """True when no live process is writing the partial at `path`."""
    if fcntl is None:  # pragma: no cover - Windows
        st = _stat(path)
        import time

        return st is not None and time.time() - st.st_mtime > _STALE_SECONDS
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return True  # gone (its side files are left over)
    except OSError:
        return False
    try:
        return _lock(fd, wait=False)
    finally:
        os.close(fd)


def remove_stale_partials(dest: Path, book: Database | None = None) -> list[Path]:
    """Remove what a killed earlier write of `dest` left behind (``NAME.partial``,
    ``NAME.<random>.partial`` and SQLite's side files of it); returns what was removed.
    A partial a running process is still writing is left alone, and so is any file of
    the book."""
    pattern = _partial_pattern(dest)
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(dest.parent)
                 if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:
        return removed
    mains = {n for n in names if n.endswith(".partial")}
    for name in sorted(names):
        path = dest.parent / name
        main = name if name in mains else name.rsplit("-", 1)[0]
        if main in mains and not _is_stale(dest.parent / main):
            continue
        if protected_reason(path, book) is not None:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def new_partial(dest: Path) -> tuple[Path, int]:
    """A new, empty, locked partial file for `dest` (mode 0600) and its descriptor."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _attempt in range(100):
        tmp = dest.with_name(f"{dest.name}.{secrets.token_hex(4)}.partial")
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        os.chmod(tmp, 0o600)  # whatever the umask
        _lock(fd, wait=True)
        return tmp, fd
    raise UserError(_("cannot write {path}: no free temporary name").format(path=dest))


def remove_partial(tmp: Path) -> None:
    """Remove a partial file and SQLite's side files of it."""
    for side in _PARTIAL_SIDES:
        with contextlib.suppress(OSError):
            Path(str(tmp) + side).unlink()


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (fsync the folder; ignored where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(shown: str, exc: OSError) -> UserError:
    return UserError(_("cannot write {path}: {err}").format(
        path=shown, err=exc.strerror or exc), field="file")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, force: bool, book: Database | None,
                allow_database: bool = False) -> Iterator[Path]:
    """Check `path` (see `check_target`) and yield a new empty partial file to fill by
    name (e.g. through SQLite); when the block ends without error it replaces the target.
    """
    shown = os.fspath(path)
    dest = check_target(path, force=force, book=book, allow_database=allow_database)
    remove_stale_partials(dest, book)
    try:
        tmp, fd = new_partial(dest)
    except OSError as exc:
        raise _write_error(shown, exc) from None
    try:
        yield tmp
        os.fsync(fd)
        # The target may have appeared (or turned into the book) while we wrote.
        check_target(dest, force=force, book=book, allow_database=allow_database)
        os.replace(tmp, dest)
    except OSError as exc:
        remove_partial(tmp)
        raise _write_error(shown, exc) from None
    except BaseException:
        remove_partial(tmp)
        raise
    finally:
        os.close(fd)
    sync_folder(dest.parent)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, force: bool, book: Database | None,
                  mode: Literal["wb", "w"] = "wb", encoding: str = "utf-8",
                  newline: str | None = None, allow_database: bool = False
                  ) -> Iterator[IO[Any]]:
    """Check `path` (see `check_target`) and yield a file object on a new partial file;
    when the block ends without error the data is flushed to disk and the partial
    replaces the target. On any error the partial is removed and the target is as it
    was; an `OSError` (full disk, ...) is raised as a `UserError`."""
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', not {mode!r}")
    with atomic_path(path, force=force, book=book, allow_database=allow_database) as tmp:
        fh: IO[Any]
        if mode == "wb":
            fh = open(tmp, "wb")  # noqa: SIM115 - closed below
        else:
            fh = open(tmp, "w", encoding=encoding, newline=newline)  # noqa: SIM115
        try:
            yield fh
            fh.flush()
        finally:
            fh.close()
