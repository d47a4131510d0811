"""smallbiz's own table format (smallbiz.cli.tables, docs/tables.md): what a user sees.

Every table is printed through the CLI's own console (`state.console()`), on a pipe of a
given width unless a test says terminal, and compared line by line.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from rich.cells import cell_len

from smallbiz.cli import state
from smallbiz.cli.tables import MIN_WRAP, Table

Show = Callable[..., str]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Ascii(io.StringIO):
    encoding = "ascii"


@pytest.fixture
def show(monkeypatch: pytest.MonkeyPatch) -> Show:
    """What `console().print(table)` writes on a console `width` columns wide."""

    def show(t: object, width: int, *, terminal: bool = False, ascii: bool = False) -> str:
        out = _Terminal() if terminal else _Ascii() if ascii else io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.delenv("NO_COLOR", raising=False)
        state.console().print(t)
        return out.getvalue()

    return show


def trial_balance() -> Table:
    t = state.table("Code", "Account", "Type", "Debit", "Credit",
                    title="Trial balance as of 2026-01-31", right=("Debit", "Credit"))
    t.add_row("1010", "Bank account", "asset", "4,200.00", "")
    t.add_row("3000", "Owner's equity", "equity", "", "5,000.00")
    t.add_row("6000", "Rent", "expense", "800.00", "")
    t.add_section()
    t.add_row("", "Total", "", "5,000.00", "5,000.00")
    return t


TRIAL_BALANCE = """\
Trial balance as of 2026-01-31
Code ┃ Account        ┃ Type    ┃    Debit ┃   Credit
━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━
1010 │ Bank account   │ asset   │ 4,200.00 │
3000 │ Owner's equity │ equity  │          │ 5,000.00
6000 │ Rent           │ expense │   800.00 │
─────┼────────────────┼─────────┼──────────┼─────────
     │ Total          │         │ 5,000.00 │ 5,000.00
"""


def test_a_table_that_fits_is_drawn_whole(show: Show) -> None:
    for width in (53, 80, 200):  # 53: exactly as wide as the table
        assert show(trial_balance(), width) == TRIAL_BALANCE


def test_numbers_are_right_aligned_and_lines_end_without_blanks(show: Show) -> None:
    lines = show(trial_balance(), 80).splitlines()
    assert all(line == line.rstrip() for line in lines)
    credits = [line for line in lines if line.endswith("5,000.00")]
    assert len(credits) == 2 and len({len(line) for line in credits}) == 1
    debit_ends = {line.index(amount) + len(amount) for line in lines
                  for amount in ("4,200.00", "800.00") if amount in line}
    assert len(debit_ends) == 1  # both debits end in one column


def ledger(memo: str) -> Table:
    t = state.table("Date", "Entry", "Memo", "Amount", "Balance",
                    title="Ledger 1010 Bank account", right=("Amount", "Balance"))
    t.add_row("2026-01-05", "JE-2026-0001", memo, "5,000.00", "5,000.00")
    t.add_row("2026-01-09", "JE-2026-0002", "Rent", "-800.00", "4,200.00")
    return t


def test_a_narrow_terminal_wraps_the_text_at_blanks_and_keeps_numbers_whole(
        show: Show) -> None:
    out = show(ledger("Owner invests the first capital of the firm"), 60)
    assert out == """\
Ledger 1010 Bank account
Date       ┃ Entry        ┃ Memo       ┃   Amount ┃  Balance
━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━
2026-01-05 │ JE-2026-0001 │ Owner      │ 5,000.00 │ 5,000.00
           │              │ invests    │          │
           │              │ the first  │          │
           │              │ capital of │          │
           │              │ the firm   │          │
2026-01-09 │ JE-2026-0002 │ Rent       │  -800.00 │ 4,200.00
"""
    assert max(map(cell_len, out.splitlines())) == 60


def test_a_word_longer_than_its_column_is_broken_at_the_edge(show: Show) -> None:
    out = show(ledger("Supercalifragilisticexpialidocious-Holdings paid"), 60)
    memo = [line.split("│")[2].strip() for line in out.splitlines()[3:-1]]
    assert memo == ["Supercalif", "ragilistic", "expialidoc", "ious-Holdi", "ngs paid"]


def test_still_too_wide_the_blanks_around_the_lines_go(show: Show) -> None:
    out = show(ledger("Owner invests the first capital"), 52)
    assert out.splitlines()[1:7] == [
        "Date      ┃Entry       ┃Memo      ┃  Amount┃ Balance",
        "━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━",
        "2026-01-05│JE-2026-0001│Owner     │5,000.00│5,000.00",
        "          │            │invests   │        │",
        "          │            │the first │        │",
        "          │            │capital   │        │",
    ]
    assert max(map(cell_len, out.splitlines())) == 52


def test_nothing_is_cut_when_even_that_is_too_wide(show: Show) -> None:
    """On 30 columns the amounts, dates and codes do not fit: the lines are longer than
    the terminal, but every amount is whole (no ellipsis, no cropping)."""
    for width in (51, 30):
        out = show(ledger("Owner invests the first capital"), width)
        assert out.splitlines()[1:4] == [
            "Date      ┃Entry       ┃Memo      ┃  Amount┃ Balance",
            "━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━",
            "2026-01-05│JE-2026-0001│Owner     │5,000.00│5,000.00",
        ]  # the memo stops at MIN_WRAP cells, the rest never wraps
        assert len("Memo      ") == MIN_WRAP
        assert "…" not in out and out.count("5,000.00") == 2 and "-800.00" in out


def test_georgian_is_one_cell_a_letter_and_cjk_two(show: Show) -> None:
    t = state.table("Contact", "Total", right=("Total",))
    t.add_row("ნინო ბერიძე", "1,234.50")
    t.add_row("東京 Trading", "9.00")
    t.add_row("Müller", "10.00")
    out = show(t, 80)
    assert out == """\
Contact      ┃    Total
━━━━━━━━━━━━━╇━━━━━━━━━
ნინო ბერიძე  │ 1,234.50
東京 Trading │     9.00
Müller       │    10.00
"""
    assert len({cell_len(line) for line in out.splitlines()}) == 1  # all as wide


def test_georgian_wraps_by_cells(show: Show) -> None:
    t = state.table("Contact", "Total", right=("Total",))
    t.add_row("შპს თბილისის სავაჭრო და სამშენებლო კომპანია", "28,206,733.59")
    out = show(t, 40)
    assert out.splitlines()[2:] == ["შპს თბილისის სავაჭრო და  │ 28,206,733.59",
                                    "სამშენებლო კომპანია      │"]
    assert max(map(cell_len, out.splitlines())) == 40


def test_user_text_stays_text(show: Show) -> None:
    """Escaped markup shows as typed; broken markup too (no crash); control characters and
    bidi overrides are written as escapes; emoji codes are not replaced."""
    t = state.table("Name", "Memo")
    t.add_row(state.esc("[b]Box[/b]"), state.esc("[red]x"))
    t.add_row("Bad [/] Co", ":x: at 10:30")
    t.add_row("Clear\x1b[2J\x1b]0;PWNED\x07", "a\u202eb")
    out = show(t, 80, terminal=True)
    for ch in ("\x07", "\u202e", "\x1b[2J", "\x1b]0"):
        assert ch not in out
    plain = show(t, 80)
    assert plain.splitlines()[2:] == [
        "[b]Box[/b]                   │ [red]x",
        "Bad [/] Co                   │ :x: at 10:30",
        "Clear\\x1b[2J\\x1b]0;PWNED\\x07 │ a\\u202eb",
    ]


def test_markup_styles_on_a_terminal_and_nothing_on_a_pipe(show: Show) -> None:
    t = state.table("Code", "Account", "Amount", title="Profit and loss", right=("Amount",))
    t.add_row("", "[b]Net income[/b]", "[b]1.00[/b]")
    out = show(t, 80, terminal=True)
    assert "\x1b[1mNet income\x1b[0m" in out and "\x1b[1m1.00\x1b[0m" in out
    assert "\x1b[3mProfit and loss\x1b[0m" in out  # the title: italic
    assert "\x1b[1mCode" in out  # the header: bold
    assert show(t, 80) == ("Profit and loss\nCode ┃ Account    ┃ Amount\n"
                           "━━━━━╇━━━━━━━━━━━━╇━━━━━━━\n     │ Net income │   1.00\n")


def test_line_breaks_and_tabs_in_a_cell(show: Show) -> None:
    t = state.table("Field", "Value")
    t.add_row("Notes", "first line\nsecond\tline")
    t.add_row("Kind", "sale")
    assert show(t, 80).splitlines()[2:] == ["Notes │ first line",
                                            "      │ second  line",
                                            "Kind  │ sale"]


def test_an_ascii_console_gets_ascii_lines(show: Show) -> None:
    assert show(trial_balance(), 80, ascii=True).splitlines()[1:4] == [
        "Code | Account        | Type    |    Debit |   Credit",
        "-----+----------------+---------+----------+---------",
        "1010 | Bank account   | asset   | 4,200.00 |",
    ]


def test_a_grid_has_no_header_and_no_rules(show: Show) -> None:
    g = state.details_grid()
    g.add_row("Nino Beridze", "(person, customer, id 3)")
    g.add_row("Email", "n@x.ge")
    g.add_row("", "nino@y.ge")
    g.add_row("Notes", "a long note " * 6)
    assert show(g, 50) == """\
Nino Beridze  (person, customer, id 3)
Email         n@x.ge
              nino@y.ge
Notes         a long note a long note a long note
              a long note a long note a long note
"""


def test_cells_that_are_not_text() -> None:
    t = state.table("A", "B", "C")
    t.add_row(None, 12, Decimal("1.50"))
    t.add_row("only one")
    with pytest.raises(ValueError):
        t.add_row("1", "2", "3", "4")
    buf = io.StringIO()
    from rich.console import Console

    Console(file=buf, width=40).print(t)
    assert buf.getvalue().splitlines()[2:] == ["         │ 12 │ 1.50", "only one │    │"]


def test_ten_thousand_lines_print_fast(show: Show) -> None:
    t = state.table("Date", "Entry", "Memo", "Amount", "Balance", right=("Amount", "Balance"))
    for i in range(10_000):
        t.add_row("2026-01-05", f"JE-2026-{i:06d}", "Payment for invoice INV-2026-0001 "
                  "from Kartuli Foods", f"{i:,}.00", f"{i * 7:,}.00")
    start = time.process_time()  # CPU time: the box may be busy with other work
    out = show(t, 80)
    took = time.process_time() - start
    assert out.splitlines()[2:5] == [
        "2026-01-05 │ JE-2026-000000 │ Payment for invoice         │     0.00 │      0.00",
        "           │                │ INV-2026-0001 from Kartuli  │          │",
        "           │                │ Foods                       │          │"]
    assert out.count("\n") == 2 + 3 * 10_000  # each memo on three lines
    assert took < 2, took  # about 0.3 s on the 2-CPU dev box (Rich's layout: 4 s)


def test_the_cli_prints_its_reports_in_this_format(cli, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert cli("journal", "add", "--date", "2026-01-05", "--memo", "Owner invests",
               "--posting", "1010=5000", "--posting", "3000").exit_code == 0
    assert cli("journal", "add", "--date", "2026-01-09", "--memo", "[b]Rent[/b] ქირა",
               "--posting", "6000=800.00", "--posting", "1010").exit_code == 0
    r = cli("report", "ledger", "1010", "--from", "2026-01-01", "--to", "2026-01-31")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == """\
Ledger 1010 Bank account
Date      ┃Entry       ┃Memo            ┃  Amount┃ Balance
━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━
          │            │Opening balance │        │    0.00
2026-01-05│JE-2026-0001│Owner invests   │5,000.00│5,000.00
2026-01-09│JE-2026-0002│[b]Rent[/b] ქირა│ -800.00│4,200.00
──────────┼────────────┼────────────────┼────────┼────────
          │            │Closing balance │        │4,200.00
"""  # 66 columns with blanks; the memo could give 5 (down to its longest word): 61: compact
