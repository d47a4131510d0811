"""Snapshots of key screens on the demo book, at a fixed size and a frozen date.

Text snapshots (what the terminal shows, character by character): pytest-textual-snapshot
needs pytest < 9, and text diffs read better in a review. A snapshot that differs fails
with a diff; `SMALLBIZ_SNAPSHOT_UPDATE=1 pytest tests/tui/test_snapshots.py` rewrites them
(look at the diff before committing it).
"""

from __future__ import annotations

import difflib
import html
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.tui.conftest import SIZE, settle

SNAPSHOTS = Path(__file__).with_name("snapshots")


_TEXT = re.compile(r'<text [^>]*\bx="([0-9.e+-]+)"[^>]*-line-(\d+)\)">(.*?)</text>', re.S)
_LINE_BOX = re.compile(r'-line-0">\s*<rect [^>]*\bwidth="([0-9.e+-]+)"')


def screen_text(app) -> str:
    """What the terminal shows, one line a row, read from Textual's public SVG screenshot
    (`App.export_screenshot`): each run of text is placed at its column."""
    svg = app.export_screenshot()
    width, height = app.size
    char_width = float(_LINE_BOX.search(svg)[1]) / width
    runs: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, row, text in _TEXT.findall(svg):
        runs[int(row)].append((round(float(x) / char_width),
                               html.unescape(text).replace("\xa0", " ")))
    lines = []
    for row in runs:
        line, at = "", 0
        for column, text in sorted(row):
            line += " " * (column - at) + text
            at = column + cell_len(text)
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("SMALLBIZ_SNAPSHOT_UPDATE") or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not os.environ.get("SMALLBIZ_SNAPSHOT_UPDATE"):
            pytest.fail(f"new snapshot {path.name} written; check it and run again")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"{name} (snapshot)", f"{name} (now)"))
        pytest.fail(f"screen differs from its snapshot:\n{diff}")


async def test_dashboard_snapshot(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, demo_app)
        check("dashboard", screen_text(demo_app))


async def test_contacts_snapshot(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("f3", *"ltd")
        await settle(pilot, demo_app)
        check("contacts", screen_text(demo_app))


async def test_order_snapshot(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("f5")
        await settle(pilot, demo_app)
        await pilot.press("enter")  # the newest sales order
        await settle(pilot, demo_app)
        check("order", screen_text(demo_app))


async def test_report_snapshot(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("f10")
        await settle(pilot, demo_app)
        await demo_app.screen.run_action("show('pl')")
        await settle(pilot, demo_app)
        check("profit_and_loss", screen_text(demo_app))
