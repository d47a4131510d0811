"""The bank's use cases on `Book` (a mixin: `Book` lists it among its bases)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smallbiz.bank.lines import Imported, LineView
    from smallbiz.bank.matching import MatchSummary, Suggestion
    from smallbiz.bank.reconcile import Reconciliation
    from smallbiz.bank.rules import RuleView
    from smallbiz.bank.tabular import Mapping
    from smallbiz.db import Database


@dataclass(frozen=True)
class MatchResult:
    """What a manual match posted: a payment (PAY-) or an entry (JE-), and a rule the
    user may want so that such lines book themselves next time (None after a document)."""

    line: int
    reference: str
    offer_rule: RuleOffer | None = None


@dataclass(frozen=True)
class RuleOffer:
    text: str
    counterparty: str
    account: str
    contact: str | None


class BankActions:
    db: Database

    def import_statement(self, path: str, *, account: str | None = None, fmt: str = "auto",
                         mapping: str | None = None) -> Imported:
        """Import a statement file into a bank account (default: the `bank` role), then
        match what is certain. One transaction: a broken file imports nothing."""
        from smallbiz.bank.service import import_statement, read_file

        data = read_file(path)
        with self.db.transaction() as s:
            return import_statement(s, data, path, account=account, fmt=fmt, mapping=mapping)

    def bank_lines(self, *, account: str | None = None, unmatched: bool = False,
                   start: dt.date | None = None, end: dt.date | None = None,
                   newest_first: bool = False, limit: int | None = None) -> list[LineView]:
        from smallbiz.bank.lines import list_lines

        with self.db.read() as r:
            return list_lines(r, account=account, unmatched=unmatched, start=start, end=end,
                              newest_first=newest_first, limit=limit)

    def bank_line(self, line: int | str) -> LineView:
        from smallbiz.bank.lines import get_line

        with self.db.read() as r:
            return get_line(r, line)

    def bank_suggestions(self, line: int | str, limit: int = 3) -> list[Suggestion]:
        from smallbiz.bank.lines import get_line
        from smallbiz.bank.matching import suggestions

        with self.db.read() as r:
            return suggestions(r, get_line(r, line), limit)

    def match_bank_line(self, line: int | str, *, documents: list[str] | None = None,
                        account: str | None = None, contact: str | None = None,
                        memo: str = "") -> MatchResult:
        """Match a line by hand: to invoices/bills (a payment through the payments service)
        or to an account (an entry). After an account, offers the rule that would do it."""
        from smallbiz.bank.lines import get_line
        from smallbiz.bank.matching import match_account, match_documents
        from smallbiz.errors import ValidationError
        from smallbiz.i18n import _

        if bool(documents) == bool(account):
            raise ValidationError(_("give --invoice/--bill or --account (one of them)"),
                                  field="--account")
        with self.db.transaction() as s:
            if documents:
                return MatchResult(int(line), match_documents(s, line, documents, memo))
            assert account is not None
            number = match_account(s, line, account, contact=contact, memo=memo)
            seen = get_line(s, line)
            code = seen.entry and s.scalar(
                "SELECT a.code FROM posting p JOIN account a ON a.id = p.account_id "
                "JOIN journal_entry e ON e.id = p.entry_id WHERE e.number = :n AND "
                "a.code <> :b ORDER BY p.id LIMIT 1", {"n": number, "b": seen.account})
            offer = RuleOffer(_rule_text(seen.description), seen.counterparty, str(code),
                              contact)
            return MatchResult(seen.id, number, offer)

    def auto_match_bank(self) -> MatchSummary:
        from smallbiz.bank.matching import auto_match

        with self.db.transaction() as s:
            return auto_match(s)

    def unmatch_bank_line(self, line: int | str) -> str | None:
        from smallbiz.bank.matching import unmatch_line

        with self.db.transaction() as s:
            return unmatch_line(s, line)

    def ignore_bank_line(self, line: int | str) -> LineView:
        from smallbiz.bank.matching import ignore_line

        with self.db.transaction() as s:
            return ignore_line(s, line)

    def reconcile_bank(self, account: str | None = None,
                       as_of: dt.date | None = None) -> Reconciliation:
        from smallbiz.bank.reconcile import reconcile

        with self.db.read() as r:
            return reconcile(r, account, as_of)

    def bank_accounts(self) -> list[tuple[str, str, int]]:
        """(code, name, unmatched lines) of each account with statement lines."""
        from smallbiz.bank.reconcile import bank_accounts_with_lines

        with self.db.read() as r:
            return bank_accounts_with_lines(r)

    # -- rules and mappings ----------------------------------------------------------------
    def add_bank_rule(self, *, account: str, text: str = "", counterparty: str = "",
                      amount_min: str | None = None, amount_max: str | None = None,
                      contact: str | None = None, memo: str = "") -> RuleView:
        from smallbiz.bank.rules import add_rule
        from smallbiz.money import parse_amount

        digits = self.db.money_digits
        lo = None if amount_min is None else parse_amount(amount_min, digits, field="--min")
        hi = None if amount_max is None else parse_amount(amount_max, digits, field="--max")
        with self.db.transaction() as s:
            return add_rule(s, account=account, text=text, counterparty=counterparty,
                            amount_min=lo, amount_max=hi, contact=contact, memo=memo)

    def bank_rules(self) -> list[RuleView]:
        from smallbiz.bank.rules import list_rules

        with self.db.read() as r:
            return list_rules(r)

    def remove_bank_rule(self, rule_id: int) -> RuleView:
        from smallbiz.bank.rules import remove_rule

        with self.db.transaction() as s:
            return remove_rule(s, rule_id)

    def describe_bank_rule(self, rule: RuleView) -> str:
        from smallbiz.bank.rules import describe

        return describe(rule, self.db.money_digits)

    def bank_mappings(self) -> list[tuple[Mapping, bool]]:
        """Saved mappings (False) and the presets (True)."""
        from smallbiz.bank.service import list_mappings
        from smallbiz.bank.tabular import PRESETS

        with self.db.read() as r:
            saved = list_mappings(r)
        return [(m, False) for m in saved] + [(m, True) for m in PRESETS]

    def add_bank_mapping(self, mapping: Mapping) -> Mapping:
        from smallbiz.bank.service import add_mapping

        with self.db.transaction() as s:
            return add_mapping(s, mapping)

    def remove_bank_mapping(self, name: str) -> None:
        from smallbiz.bank.service import remove_mapping

        with self.db.transaction() as s:
            remove_mapping(s, name)


def _rule_text(description: str) -> str:
    """The start of a description that a rule would look for: up to the first digit
    (dates, amounts and numbers change from month to month)."""
    words = []
    for word in description.split():
        if any(ch.isdigit() for ch in word):
            break
        words.append(word)
    return " ".join(words[:4]) or description[:30]
