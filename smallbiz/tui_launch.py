"""Start the Textual app (imported only when the TUI is wanted)."""

from __future__ import annotations

from typing import Any


def launch(state: Any, *, demo: bool) -> None:
    """Run the app on the chosen book, or (`demo`) on a fresh demo book in a temporary
    folder that is removed when the app exits (see `smallbiz.demo.demo_folder`)."""
    if not demo:
        from screens.app import run

        run(state, demo=False)
        return
    from screens.app import SmallBizApp
    from smallbiz.api import Book
    from smallbiz.db import Database
    from smallbiz.demo import demo_folder

    with demo_folder() as folder:
        path = folder / "demo.db"
        db = Database(path)
        try:
            SmallBizApp(Book(db), demo_path=path).run()
        finally:
            db.close()
