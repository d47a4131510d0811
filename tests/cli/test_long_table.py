"""The CLI's long tables (`smallbiz.cli.state.table`, drawn line by line from
LONG_TABLE_ROWS rows on) print exactly what Rich prints, on a pipe and on a terminal.

    .venv/bin/python -m pytest -q tests/cli/test_long_table.py
"""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console

from smallbiz.cli import state

WORDS = ("Bank", "account", "PAY-2026-0001", "JE-2026-123456", "1,234.56", "-0.50", "Nino",
         "ბერიძე", "Müller", "東京", "a", "x y", "two  spaces", "10:30",
         "Opening balance: owner's", "(ok)", "50%", "tab-free", "é")


def render(t: object, width: int, terminal: bool, fast: bool) -> str:
    saved = state.LONG_TABLE_ROWS
    state.LONG_TABLE_ROWS = 0 if fast else 10**9
    try:
        buf = io.StringIO()
        console = Console(file=buf, width=width, force_terminal=terminal,
                          color_system="truecolor" if terminal else None, highlight=False,
                          soft_wrap=False)
        console.print(t)
        return buf.getvalue()
    finally:
        state.LONG_TABLE_ROWS = saved


def random_table(rng: random.Random) -> object:
    n = rng.randint(1, 6)
    heads = [rng.choice(("Code", "Account", "Amount", "Date", "Memo", "Ω", "Balance"))
             + str(i) for i in range(n)]
    right = tuple(h for h in heads if rng.random() < 0.5)
    title = rng.choice((None, "Ledger 1010 Bank account", "T", "Aging as of 2026-11-27"))
    t = state.table(*heads, title=title, right=right)
    for c in t.columns:  # as the CLI's reports keep amounts whole (only text columns wrap)
        c.no_wrap = rng.random() < 0.4
    for _ in range(rng.randint(0, 12)):
        t.add_row(*(rng.choice(("a:b:c", " padded ", "[b]x[/b]")) if rng.random() < 0.004
                    else " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))
                    for _ in range(n)))
        if rng.random() < 0.2:
            t.add_section()
    return t


@pytest.mark.parametrize("seed", range(300))
def test_same_output_as_rich(seed: int) -> None:
    rng = random.Random(seed)
    t = random_table(rng)
    for width in (24, 40, 80, 160):
        for terminal in (False, True):
            assert render(t, width, terminal, fast=True) == render(t, width, terminal,
                                                                    fast=False)


def test_most_tables_take_the_fast_path() -> None:
    rng = random.Random(1)
    taken = 0
    for _ in range(200):
        t = random_table(rng)
        console = Console(file=io.StringIO(), width=160)
        taken += state._plain_table_segments(t, console, console.options) is not None
    assert taken > 100


def test_markup_and_tables_too_wide_to_wrap_are_left_to_rich() -> None:
    t = state.table("A", "B")
    t.add_row("[b]bold[/b]", "x")
    console = Console(file=io.StringIO(), width=80)
    assert state._plain_table_segments(t, console, console.options) is None
    t = state.table("A", "B")
    t.add_row("word " * 15 + "end", "1.00")
    assert state._plain_table_segments(t, console, console.options) is not None  # wraps A
    for c in t.columns:
        c.no_wrap = True  # nothing may wrap: Rich narrows every column (and crops)
    assert state._plain_table_segments(t, console, console.options) is None


def test_a_long_aging_table_with_long_names_takes_the_fast_path() -> None:
    """The shape of `report aging` on a big book: contact names wrap, amounts never do."""
    rng = random.Random(7)
    heads = ("Contact", "Docs", "Current", "0-30", "31-60", "61-90", "90+", "Total")
    t = state.table(*heads, title="Receivables aging as of 2026-11-27", right=heads[1:])
    for c in t.columns:
        c.no_wrap = c.header != "Contact"
    names = ("შპს თბილისის სავაჭრო და სამშენებლო კომპანია", "Aleksandre Abashidze",
             "Kartuli Foods International Trading LLC", "ნინო ბერიძე", "東京 Trading Co Ltd",
             "Supercalifragilisticexpialidocious-Holdings")
    for _ in range(200):
        t.add_row(rng.choice(names), str(rng.randint(1, 9)),
                  *(f"{rng.randint(0, 10**9) / 100:,.2f}" for _ in range(6)))
    t.add_section()
    t.add_row("Total", "", *("28,206,733.59",) * 6)
    for width in (110, 120):  # 80 is too narrow for six amounts: Rich crops them
        console = Console(file=io.StringIO(), width=width)
        assert state._plain_table_segments(t, console, console.options) is not None
        for terminal in (False, True):
            fast = render(t, width, terminal, fast=True)
            assert fast == render(t, width, terminal, fast=False)
    assert "Supercalifragilisticexpialidocious-Holdings" not in fast  # folded


def test_a_rich_without_the_internals_draws_it_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich is not pinned: if a release renames an internal the fast path reads (a column's
    `_cells`, `Table._collapse_widths`), the table is still printed, by Rich, not a crash."""
    t = state.table("Contact", "Note", title="Wide")
    for i in range(60):
        t.add_row(f"Contact {i} " + "x" * 50, "a long note " * 6)
    expected = render(t, 80, False, fast=False)

    def renamed(*_args: object) -> None:
        raise AttributeError("'Column' object has no attribute '_cells'")

    monkeypatch.setattr(state, "_plain_table_segments", renamed)
    assert render(t, 80, False, fast=True) == expected
