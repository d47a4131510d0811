"""The Textual app shell (screens arrive with the TUI issue)."""

from __future__ import annotations

from typing import Any


def run(state: Any, *, demo: bool) -> None:
    from smallbiz.errors import UserError

    raise UserError("the terminal app is not built yet; use the commands (smallbiz --help)")
