"""Looking after the book from the terminal app: a backup copy, the full check (the
CLI's `backup` and `check` call the same code on their `Database`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smallbiz.db import Database


class UpkeepActions:
    db: Database

    def backup(self, path: str, *, overwrite: bool = False) -> Path:
        """A consistent copy of the book (SQLite) at `path`; returns where it went."""
        return self.db.backup(path, overwrite=overwrite)

    def run_checks(self, *, full: bool = False) -> list[str]:
        """Every problem `smallbiz check` finds (empty: all is well); `full`: as
        `check --full`."""
        from smallbiz.check import run_checks

        return run_checks(self.db, full=full)
