"""An imported journal's status marks, code and comments show in the entry dialog."""

from __future__ import annotations

from pathlib import Path

from smallbiz.screens.journal import EntryDialog
from tests.tui.conftest import SIZE, settle

JOURNAL = """\
2026-01-05 * (77) Paper [bulk]  ; Receipt: r-77.pdf
    expenses:6300 Office supplies   12.00 GEL  ; box of [A4]
    ! assets:1010 Bank account
"""


async def test_the_entry_shows_what_the_journal_carried(app, cli, tmp_path: Path) -> None:
    f = tmp_path / "paper.journal"
    f.write_text(JOURNAL, encoding="utf-8")
    assert cli("import", "journal", str(f)).exit_code == 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f9")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EntryDialog)
        title = str(app.screen.query_one("#entry-title").render())
        assert title == ("JE-2026-0001  2026-01-05  Paper [bulk]  [cleared]  (code 77)  "
                         "; Receipt: r-77.pdf")
        table = app.screen.query_one("#postings")
        assert [str(c.label) for c in table.columns.values()][-2:] == ["Memo", "Status"]
        assert [table.get_row_at(i)[4:] for i in range(2)] == [
            ["box of [A4]", ""], ["", "pending"]]
