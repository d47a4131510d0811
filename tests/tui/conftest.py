"""TUI fixtures: the real app on a real tmp_path book."""

from __future__ import annotations

import pytest

from smallbiz.api import Book
from smallbiz.db import Database

SIZE = (120, 36)


@pytest.fixture
def app(book: Database):
    from screens.app import SmallBizApp

    return SmallBizApp(Book(book))


async def settle(pilot, app) -> None:
    """Let messages, workers and repaints finish."""
    for _i in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
