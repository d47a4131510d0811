"""Issue 17: the contact's statement in the TUI, from the 360 view with `t`."""

from __future__ import annotations

from decimal import Decimal

from smallbiz.screens.statement import StatementScreen
from tests.tui.conftest import SIZE, settle


async def test_statement_from_the_contact(app, book, shop) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f3", *"acme", "enter")
        await settle(pilot, app)
        await pilot.press("t")
        await settle(pilot, app)
        assert isinstance(app.screen, StatementScreen)
        st = app.screen.statement
        assert (st.contact, st.closing, [i.number for i in st.open_items]) == (
            "Acme Trading", Decimal("236.00"), [shop.invoice])
        lines = app.screen.query_one("#statement-lines")
        assert lines.row_count == 3  # opening, the invoice, closing
        assert lines.get_row_at(1)[1] == shop.invoice
        assert lines.get_row_at(2)[4] == "236.00"
        assert "closing 236.00" in str(app.screen.query_one("#statement-summary").render())
        await pilot.press("escape")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ContactScreen"
