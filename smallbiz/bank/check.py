"""What `smallbiz check` verifies about the bank (registered in smallbiz/app/root.py)."""

from __future__ import annotations

from smallbiz.bank.reconcile import latest_statement_date, reconcile
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor
from smallbiz.sql import Tx


def matched_lines_posted(s: Tx) -> list[str]:
    """Every matched line's payment or entry exists, stands (not cancelled or reversed),
    and moves the line's account by the line's amount."""
    problems = []
    digits = s.money_digits
    for line_id, amount, pay_status, pay_account, account, direction, pay_amount in s.all(
            "SELECT l.id, l.amount, p.status, p.account_id, l.account_id, "
            "p.direction, p.amount FROM bank_line l LEFT JOIN payment p ON p.id = l.payment_id "
            "WHERE l.match_kind = 'payment'"):
        if pay_status is None:
            problems.append(_("bank line {i}: its payment is missing").format(i=line_id))
        elif pay_status != "posted":
            problems.append(_("bank line {i}: its payment is {s}").format(i=line_id,
                                                                         s=pay_status))
        elif (pay_account != account or int(pay_amount) != abs(int(amount))
              or (direction == "in") != (int(amount) > 0)):
            problems.append(_("bank line {i}: amount {a} does not agree with its payment "
                              "({d} {b})").format(
                i=line_id, a=format_amount(from_minor(amount, digits), digits), d=direction,
                b=format_amount(from_minor(pay_amount, digits), digits)))
    for line_id, amount, entry_id, posted, reversed_by in s.all(
            "SELECT l.id, l.amount, l.entry_id, (SELECT SUM(p.amount) FROM posting p "
            "WHERE p.entry_id = l.entry_id AND p.account_id = l.account_id), "
            "(SELECT r.number FROM journal_entry r WHERE r.reverses_id = l.entry_id) "
            "FROM bank_line l WHERE l.match_kind IN ('entry', 'transfer')"):
        if entry_id is None or posted is None:
            problems.append(_("bank line {i}: its entry is missing or does not post to the "
                              "line's account").format(i=line_id))
        elif int(posted) != int(amount):
            problems.append(_("bank line {i}: the entry posts {b} to the account, the line "
                              "says {a}").format(
                i=line_id, a=format_amount(from_minor(amount, digits), digits),
                b=format_amount(from_minor(posted, digits), digits)))
        elif reversed_by is not None:
            problems.append(_("bank line {i}: its entry was reversed by {r}").format(
                i=line_id, r=reversed_by))
    for (line_id,) in s.all("SELECT id FROM bank_line WHERE status = 'matched' AND "
                            "match_kind IS NULL"):
        problems.append(_("bank line {i}: matched to nothing").format(i=line_id))
    return problems


def statement_balance_agrees(s: Tx) -> list[str]:
    """Each bank account's book balance, on its latest statement's date, equals that
    statement's closing balance minus the unmatched lines."""
    problems = []
    digits = s.money_digits
    for (account_id, code) in s.all("SELECT DISTINCT a.id, a.code FROM bank_statement st "
                                    "JOIN account a ON a.id = st.account_id "
                                    "WHERE st.closing_balance IS NOT NULL ORDER BY a.code"):
        day = latest_statement_date(s, int(account_id))
        r = reconcile(s, str(code), day)
        if r.difference is not None and r.difference != 0:
            problems.append(_("bank {code} on {d}: statement {st} minus unmatched {u} is not "
                              "the book balance {b} (difference {x})").format(
                code=code, d=r.as_of.isoformat(),
                st=format_amount(r.statement_balance, digits),  # type: ignore[arg-type]
                u=format_amount(r.unmatched, digits), b=format_amount(r.book_balance, digits),
                x=format_amount(r.difference, digits)))
    return problems


CHECKS = (matched_lines_posted, statement_balance_agrees)
