"""Posting invariants: what the journal accepts, what it refuses; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smallbiz import settings
from smallbiz.books.journal import PostingInput, post_entry, reverse_entry, show_entry
from smallbiz.books.reports import trial_balance
from smallbiz.check import run_checks
from smallbiz.db import Database
from smallbiz.errors import AmbiguousReference, NotFound, RuleViolation, ValidationError
from tests import engine
from tests.conftest import content_hash

D = dt.date(2026, 1, 5)


def post(book: Database, *lines: tuple[str, str | None], on: dt.date = D, memo: str = "x"):
    with book.transaction() as s:
        return post_entry(s, on, memo, [
            PostingInput(acc, Decimal(a) if a is not None else None) for acc, a in lines])


def balances(book: Database) -> dict[str, Decimal]:
    with book.read() as s:
        return {r.code: r.balance for r in trial_balance(s, dt.date(2026, 12, 31)).rows}


def test_post_and_balancing_amount(book: Database) -> None:
    e = post(book, ("1010", "5000"), ("3000", None), memo="Owner invests")
    assert e.number == "JE-2026-0001"
    assert [(p.account_code, p.amount) for p in e.postings] == [
        ("1010", Decimal("5000.00")), ("3000", Decimal("-5000.00"))]
    assert balances(book) == {"1010": Decimal("5000.00"), "3000": Decimal("-5000.00")}


def test_numbers_are_gapless_per_year_and_refusals_take_none(book: Database) -> None:
    assert post(book, ("1010", "1"), ("3000", "-1")).number == "JE-2026-0001"
    with pytest.raises(RuleViolation):
        post(book, ("1010", "1"), ("3000", "-2"))
    assert post(book, ("1010", "1"), ("3000", "-1")).number == "JE-2026-0002"
    assert post(book, ("1010", "1"), ("3000", "-1"), on=dt.date(2027, 1, 1)).number == \
        "JE-2027-0001"
    assert post(book, ("1010", "1"), ("3000", "-1")).number == "JE-2026-0003"
    assert run_checks(book) == []


@pytest.mark.parametrize("lines,error,fragment", [
    ([("1010", "100"), ("3000", "-99.99")], RuleViolation, "does not balance"),
    ([("1010", "100")], RuleViolation, "at least two postings"),
    ([("1010", None), ("3000", None)], ValidationError, "only one posting may omit"),
    ([("9999", "1"), ("3000", "-1")], NotFound, "no account matches '9999'"),
    ([("1", "1"), ("3000", "-1")], AmbiguousReference, "ambiguous"),
    ([("1010", "0"), ("3000", "0")], RuleViolation, "non-zero"),
    ([("1010", "0.001"), ("3000", "-0.001")], ValidationError, "more than 2 decimals"),
])
def test_refused_entries_write_nothing(book: Database, book_path, lines, error,
                                       fragment: str) -> None:
    post(book, ("1010", "10"), ("3000", None))
    before = content_hash(book_path)
    with pytest.raises(error) as err:
        post(book, *lines)
    assert fragment in str(err.value)
    assert content_hash(book_path) == before


def test_lock_date_refuses_posting_and_reversal(book: Database, book_path) -> None:
    first = post(book, ("1010", "10"), ("3000", None), on=dt.date(2026, 1, 31))
    with book.transaction() as s:
        settings.set_lock_date(s, "2026-01-31")
    before = content_hash(book_path)
    with pytest.raises(RuleViolation, match="lock date 2026-01-31"):
        post(book, ("1010", "10"), ("3000", None), on=dt.date(2026, 1, 31))
    with pytest.raises(RuleViolation, match="lock date"):
        with book.transaction() as s:
            reverse_entry(s, first.number, on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="cannot move back"):
        with book.transaction() as s:
            settings.set_lock_date(s, "2026-01-01")
    assert content_hash(book_path) == before
    assert post(book, ("1010", "10"), ("3000", None), on=dt.date(2026, 2, 1)).number == \
        "JE-2026-0002"


def test_reversal_mirrors_and_cannot_repeat(book: Database) -> None:
    post(book, ("1010", "5000"), ("3000", None))
    rent = post(book, ("6000", "800"), ("1010", None), on=dt.date(2026, 1, 9))
    with book.transaction() as s:
        rev = reverse_entry(s, rent.number, on=dt.date(2026, 1, 10))
    assert rev.number == "JE-2026-0003"
    assert [(p.account_code, p.amount) for p in rev.postings] == [
        ("6000", Decimal("-800.00")), ("1010", Decimal("800.00"))]
    assert balances(book) == {"1010": Decimal("5000.00"), "3000": Decimal("-5000.00")}
    with book.read() as s:
        assert show_entry(s, rent.number).reversed_by == rev.number
        assert show_entry(s, rev.number).reverses == rent.number
    with pytest.raises(RuleViolation, match="already reversed by JE-2026-0003"):
        with book.transaction() as s:
            reverse_entry(s, rent.number)
    with pytest.raises(RuleViolation, match="itself a reversal"):
        with book.transaction() as s:
            reverse_entry(s, rev.number)
    with pytest.raises(ValidationError, match="before the entry"):
        with book.transaction() as s:
            reverse_entry(s, "JE-2026-0001", on=dt.date(2026, 1, 1))
    assert run_checks(book) == []


@pytest.mark.parametrize("statement", [
    "UPDATE posting SET amount = amount + 1",
    "DELETE FROM posting",
    "UPDATE journal_entry SET memo = 'changed'",
    "DELETE FROM journal_entry",
])
def test_posted_rows_are_immutable_in_the_database(book: Database, book_path,
                                                   statement: str) -> None:
    post(book, ("1010", "10"), ("3000", None))
    before = content_hash(book_path)
    assert "immutable" in engine.refused(book_path, statement)
    assert content_hash(book_path) == before


def test_check_reports_tampering(book: Database, book_path) -> None:
    post(book, ("1010", "10"), ("3000", None))
    engine.execute(book_path, "UPDATE posting SET amount = 999 WHERE id = 1", triggers=False)
    problems = run_checks(book)
    assert any("JE-2026-0001 does not balance" in p for p in problems)
    assert any("trial balance does not sum to zero" in p for p in problems)
    assert any("kept total" in p for p in problems)


def test_check_compares_each_kept_month_with_its_postings(book: Database, book_path) -> None:
    """The kept month totals: a posting moved to a month that has no kept total (and its
    old month's total made to match), a kept month whose text was changed, one that is no
    `YYYY-MM` text: each is named (the quick comparison by index ranges hands over to
    the full one)."""
    post(book, ("1010", "10"), ("3000", None))
    post(book, ("1010", "5"), ("3000", None), on=dt.date(2026, 2, 10))
    assert run_checks(book) == []
    cash = "(SELECT id FROM account WHERE code = '1010')"
    engine.execute(book_path, "UPDATE posting SET date = '2026-07-01' WHERE id = 1",
                   triggers=False)
    engine.execute(book_path, f"UPDATE account_period SET amount = 0 "
                              f"WHERE account_id = {cash} AND period = '2026-01'")
    problems = run_checks(book)
    assert "account 1010 2026-07: kept total 0 differs from postings 1000" in problems
    assert not [p for p in problems if p.startswith("account 1010 2026-01")]
    engine.execute(book_path, "UPDATE posting SET date = '2026-01-05' WHERE id = 1",
                   triggers=False)
    engine.execute(book_path, f"UPDATE account_period SET amount = 1000 "
                              f"WHERE account_id = {cash} AND period = '2026-01'")
    assert run_checks(book) == []
    engine.execute(book_path, f"UPDATE account_period SET period = '2026-08' "
                              f"WHERE account_id = {cash} AND period = '2026-02'")
    problems = run_checks(book)
    assert "account 1010 2026-08: kept total 500 differs from postings 0" in problems
    assert "account 1010 2026-02: kept total 0 differs from postings 500" in problems
    engine.execute(book_path, f"UPDATE account_period SET period = '2026-2' "
                              f"WHERE account_id = {cash} AND period = '2026-08'")
    problems = run_checks(book)
    assert "account 1010 2026-2: kept total 500 differs from postings 0" in problems
    assert "account 1010 2026-02: kept total 0 differs from postings 500" in problems


def test_contact_on_posting_must_exist(book: Database, book_path) -> None:
    before = content_hash(book_path)
    with pytest.raises(Exception, match="(?i)foreign key"):
        with book.transaction() as s:
            post_entry(s, D, "x", [PostingInput("1100", Decimal("1"), contact_id=424242),
                                   PostingInput("4000", None)])
    assert content_hash(book_path) == before
