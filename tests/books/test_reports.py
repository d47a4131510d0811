"""Reports on a hand-computed example; the month-total shortcut equals a plain sum."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from smallbiz.books.journal import PostingInput, post_entry
from smallbiz.books.reports import (
    account_ledger,
    balance_sheet,
    balances_minor,
    profit_and_loss,
    trial_balance,
)
from smallbiz.db import Database

EXAMPLE = [
    ("2025-12-15", "Owner invests", [("1010", "10000"), ("3000", "-10000")]),
    ("2025-12-20", "Cash sale", [("1010", "1000"), ("4000", "-1000")]),
    ("2026-01-05", "Rent", [("6000", "800"), ("1010", "-800")]),
    ("2026-01-31", "Consulting", [("1100", "2500"), ("4100", "-2500")]),
    ("2026-02-01", "Supplies", [("6300", "120.50"), ("1010", "-120.50")]),
    ("2026-02-15", "Customer pays", [("1010", "2500"), ("1100", "-2500")]),
    ("2026-03-10", "Cash sale", [("1010", "300"), ("4000", "-300")]),
]


def load(book: Database) -> None:
    with book.transaction() as s:
        for day, memo, lines in EXAMPLE:
            post_entry(s, dt.date.fromisoformat(day), memo,
                       [PostingInput(a, Decimal(v)) for a, v in lines])


def d(x: str) -> dt.date:
    return dt.date.fromisoformat(x)


def test_trial_balance(book: Database) -> None:
    load(book)
    with book.read() as s:
        tb = trial_balance(s, d("2026-01-31"))
        assert {r.code: str(r.balance) for r in tb.rows} == {
            "1010": "10200.00", "1100": "2500.00", "3000": "-10000.00", "4000": "-1000.00",
            "4100": "-2500.00", "6000": "800.00"}
        assert tb.total_debit == tb.total_credit == Decimal("13500.00")
        tb2 = trial_balance(s, d("2026-02-14"))
        assert {r.code: str(r.balance) for r in tb2.rows}["1010"] == "10079.50"
        assert {r.code: str(r.balance) for r in tb2.rows}["6300"] == "120.50"


def test_profit_and_loss_over_partial_months(book: Database) -> None:
    load(book)
    with book.read() as s:
        pl = profit_and_loss(s, d("2026-01-15"), d("2026-02-20"))
        assert [(r.code, str(r.balance)) for r in pl.income] == [("4100", "-2500.00")]
        assert [(r.code, str(r.balance)) for r in pl.expenses] == [("6300", "120.50")]
        assert (pl.total_income, pl.total_expenses, pl.net_income) == (
            Decimal("2500.00"), Decimal("120.50"), Decimal("2379.50"))
        q1 = profit_and_loss(s, d("2026-01-01"), d("2026-03-31"))
        assert (q1.total_income, q1.total_expenses, q1.net_income) == (
            Decimal("2800.00"), Decimal("920.50"), Decimal("1879.50"))


def test_balance_sheet_balances_and_agrees_with_pl(book: Database) -> None:
    load(book)
    with book.read() as s:
        bs = balance_sheet(s, d("2026-03-31"))
        pl = profit_and_loss(s, d("2026-01-01"), d("2026-03-31"))
    assert [(r.code, str(r.balance)) for r in bs.assets] == [("1010", "12879.50")]
    assert bs.liabilities == []
    equity = {r.name: r.balance for r in bs.equity}
    assert equity["Owner's equity"] == Decimal("-10000.00")
    assert equity["Earnings of prior years"] == Decimal("-1000.00")
    assert equity["Current-period earnings"] == -pl.net_income == Decimal("-1879.50")
    assert bs.total_assets == Decimal("12879.50")
    assert bs.total_liabilities + bs.total_equity == bs.total_assets
    assert bs.balanced


def test_ledger_running_balance(book: Database) -> None:
    load(book)
    with book.read() as s:
        led = account_ledger(s, "1010", d("2026-02-01"), d("2026-02-28"))
    assert led.opening == Decimal("10200.00")
    assert [(str(x.amount), str(x.balance), x.memo) for x in led.lines] == [
        ("-120.50", "10079.50", "Supplies"), ("2500.00", "12579.50", "Customer pays")]
    assert led.closing == Decimal("12579.50")


def test_month_totals_shortcut_equals_a_plain_sum(book: Database) -> None:
    load(book)
    days = [d("2025-11-30"), d("2025-12-01"), d("2025-12-15"), d("2025-12-16"),
            d("2025-12-31"), d("2026-01-01"), d("2026-01-05"), d("2026-01-30"),
            d("2026-01-31"), d("2026-02-01"), d("2026-02-15"), d("2026-02-28"),
            d("2026-03-01"), d("2026-03-10"), d("2026-03-31"), d("2026-04-01")]
    with book.read() as s:
        for i, start in enumerate([None, *days]):
            for end in days[max(i - 1, 0):]:
                if start is not None and start > end:
                    continue
                where = "date <= :e" + ("" if start is None else " AND date >= :s")
                plain = {a: int(v) for a, v in s.execute(
                    f"SELECT account_id, SUM(amount) FROM posting WHERE {where} "
                    "GROUP BY account_id", {"e": end.isoformat(),
                                             "s": start.isoformat() if start else None})}
                fast = balances_minor(s, start, end)
                assert {k: v for k, v in fast.items() if v} == \
                    {k: v for k, v in plain.items() if v}, (start, end)
