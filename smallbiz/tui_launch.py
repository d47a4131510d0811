"""Start the Textual app (imported only when the TUI is wanted)."""

from __future__ import annotations

from typing import Any


def launch(state: Any, *, demo: bool) -> None:
    from screens.app import run

    run(state, demo=demo)
