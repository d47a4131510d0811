"""Start the Textual app (imported only when the TUI is wanted)."""

from __future__ import annotations

import os
from typing import Any

#: Frames a second the app asks Textual for, unless the user set `TEXTUAL_FPS` themselves.
FPS = "120"


def prefer_fast_frames() -> None:
    """Ask Textual for 120 frames a second, unless the user set their own `TEXTUAL_FPS`.

    Textual paints at most TEXTUAL_FPS frames a second (60 by default), and rows that
    arrive between frames wait for the next one: a filter keystroke's new rows waited up
    to two frames, ~25 ms of its ~40 ms. The app only paints when something changed, so an
    idle screen costs nothing more. Textual reads the setting once, when it is first
    imported: this runs before anything here imports it.
    """
    os.environ.setdefault("TEXTUAL_FPS", FPS)


def launch(state: Any, *, demo: bool) -> None:
    """Run the app on the chosen book, or (`demo`) on a fresh demo book in a temporary
    folder that is removed when the app exits (see `smallbiz.demo.demo_folder`)."""
    prefer_fast_frames()
    if not demo:
        from smallbiz.screens.app import run

        run(state, demo=False)
        return
    from smallbiz.app.book import Book
    from smallbiz.db import Database
    from smallbiz.demo import demo_folder
    from smallbiz.screens.app import SmallBizApp

    with demo_folder() as folder:
        path = folder / "demo.db"
        db = Database(path)
        try:
            SmallBizApp(Book(db), demo_path=path).run()
        finally:
            db.close()


def serve(state: Any, *, host: str, port: int) -> None:
    """Serve the app to web browsers (`smallbiz serve`), on the chosen book."""
    from smallbiz.screens.serve import serve as run_server

    db = state.unopened()
    if not db.exists():
        from smallbiz.errors import UserError
        from smallbiz.i18n import _

        raise UserError(_("no book at {where}; create one with 'smallbiz init'").format(
            where=db.where()))
    state.database()  # opens and upgrades (after a backup) once, before any tab does
    run_server(db.url, host, port)
