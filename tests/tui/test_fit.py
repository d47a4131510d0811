"""80×24 that really fits: at 80×24 and at 120×40 every report shows every column heading
and every figure of the rows on screen whole (a cut figure fails), right-aligned."""

from __future__ import annotations

import pytest

from smallbiz.screens.reports import REPORTS, ReportsScreen
from tests.tui.conftest import settle
from tests.tui.test_snapshots import screen_text


def figures_shown(screen: ReportsScreen, text: str) -> list[str]:
    """What of the report on screen is cut or missing (empty: all of it is there)."""
    report = screen.report
    assert report is not None
    lines = text.splitlines()
    missing = [c for c in report.columns if c and not any(c in line for line in lines)]
    table = screen.query_one("#report-table")
    on_screen = report.rows[:max(0, table.size.height - 2)]
    for row in on_screen:
        for i in sorted(report.right):
            figure = row[i] if i < len(row) else ""
            if figure and not any(f" {figure}" in f"{line} " for line in lines):
                missing.append(figure)
    return missing


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_report_shows_every_column_and_figure(demo_app, size) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("f10")
        await settle(pilot, demo_app)
        for key, title, _period in REPORTS:
            screen = demo_app.screen
            assert isinstance(screen, ReportsScreen)
            await screen.run_action("list")
            await screen.run_action(f"show('{key}')")
            await settle(pilot, demo_app)
            await pilot.press("enter")  # read the report: the table has the focus
            await settle(pilot, demo_app)
            text = screen_text(demo_app)
            assert screen.report.rows, key
            assert figures_shown(screen, text) == [], f"{title} at {size}:\n{text}"


async def test_the_trial_balance_total_lines_up_with_its_column(demo_app) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("f10", "enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        table = screen.query_one("#report-table")
        table.move_cursor(row=len(screen.report.rows) - 1)
        await settle(pilot, demo_app)
        lines = screen_text(demo_app).splitlines()
        total = next(line for line in lines if "Total" in line and "Debit" not in line)
        head = next(line for line in lines if "Debit" in line and "Credit" in line)
        assert total.rstrip().endswith(screen.report.rows[-1][4])
        assert len(total.rstrip()) == len(head.rstrip())  # Credit ends where its total ends
