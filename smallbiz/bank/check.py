"""What `smallbiz check` verifies about the bank (registered in smallbiz/app/root.py)."""

from __future__ import annotations

from smallbiz.bank.reconcile import latest_statement_date, reconcile
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.sql import Tx


def matched_lines_posted(s: Tx) -> list[str]:
    """Every matched line's payment and entry exist and stand (not cancelled or reversed)
    and together move the line's account by the line's amount (on an account kept in
    another currency: in that currency)."""
    problems = []
    digits = s.money_digits
    for (line_id, amount, kind, pay_id, pay_status, pay_account, account, direction,
         pay_amount, entry_id, posted, reversed_by) in s.all(
            "SELECT l.id, l.amount, l.match_kind, l.payment_id, p.status, p.account_id, "
            "l.account_id, p.direction, "
            "CASE WHEN a.currency IS NULL THEN p.amount ELSE p.amount_fx END, l.entry_id, "
            "(SELECT SUM(CASE WHEN a.currency IS NULL THEN x.amount ELSE x.amount_fx END) "
            "FROM posting x WHERE x.entry_id = l.entry_id AND x.account_id = l.account_id), "
            "(SELECT r.number FROM journal_entry r WHERE r.reverses_id = l.entry_id) "
            "FROM bank_line l JOIN account a ON a.id = l.account_id "
            "LEFT JOIN payment p ON p.id = l.payment_id "
            "WHERE l.status = 'matched' ORDER BY l.id"):
        if kind is None or (pay_id is None and entry_id is None):
            problems.append(_("bank line {i}: matched to nothing").format(i=line_id))
            continue
        moved = 0
        if pay_id is not None:
            if pay_status is None:
                problems.append(_("bank line {i}: its payment is missing").format(i=line_id))
                continue
            if pay_status != "posted":
                problems.append(_("bank line {i}: its payment is {s}").format(i=line_id,
                                                                             s=pay_status))
                continue
            if pay_account != account:
                problems.append(_("bank line {i}: its payment is on another account").format(
                    i=line_id))
                continue
            moved += int(pay_amount or 0) * (1 if direction == "in" else -1)
        if entry_id is not None:
            if posted is None:
                problems.append(_("bank line {i}: its entry is missing or does not post to "
                                  "the line's account").format(i=line_id))
                continue
            if reversed_by is not None:
                problems.append(_("bank line {i}: its entry was reversed by {r}").format(
                    i=line_id, r=reversed_by))
                continue
            moved += int(posted)
        if moved != int(amount):
            problems.append(_("bank line {i}: its postings move the account by {b}, the line "
                              "says {a}").format(
                i=line_id, a=format_amount(from_minor(amount, digits), digits),
                b=format_amount(from_minor(moved, digits), digits)))
    return problems


def statement_balance_agrees(s: Tx) -> list[str]:
    """Each bank account's book balance, on its latest statement's date, equals that
    statement's closing balance, plus the lines of statements without a balance inside a
    stated period (see reconcile), minus the unmatched lines."""
    problems = []
    digits = s.money_digits
    for (account_id, code) in s.all("SELECT DISTINCT a.id, a.code FROM bank_statement st "
                                    "JOIN account a ON a.id = st.account_id "
                                    "WHERE st.closing_balance IS NOT NULL ORDER BY a.code"):
        day = latest_statement_date(s, int(account_id))
        r = reconcile(s, str(code), day)
        if r.difference is None or r.difference == 0:
            continue
        values = {"code": code, "d": r.as_of.isoformat(),
                  "st": format_amount(r.statement_balance, digits),  # type: ignore[arg-type]
                  "o": format_amount(r.outside, digits), "u": format_amount(r.unmatched, digits),
                  "b": format_amount(r.book_balance, digits),
                  "x": format_amount(r.difference, digits)}
        if r.outside_lines:
            problems.append(_("bank {code} on {d}: statement {st} plus the lines of statements "
                              "without a balance {o} minus unmatched {u} is not the book "
                              "balance {b} (difference {x})").format(**values))
        else:
            problems.append(_("bank {code} on {d}: statement {st} minus unmatched {u} is not "
                              "the book balance {b} (difference {x})").format(**values))
    return problems


CHECKS = (matched_lines_posted, statement_balance_agrees)
