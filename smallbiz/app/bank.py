"""The bank's use cases on `Book` (a mixin: `Book` lists it among its bases)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
    numbers: list[str]
    offer_rule: RuleOffer | None = None

    @property
    def reference(self) -> str:
        return " ".join(self.numbers)


@dataclass(frozen=True)
class RuleOffer:
    text: str
    counterparty: str
    account: str
    contact: str | None


class BankActions:
    db: Database

    def import_statement(self, path: str, *, account: str | None = None, fmt: str = "auto",
                         mapping: str | None = None, locale: str | None = None) -> Imported:
        """Import a statement file into a bank account (default: the `bank` role), then
        match what is certain. One transaction: a broken file imports nothing. `locale`
        (ka, en): how a CSV/XLSX file writes its amounts and dates."""
        from smallbiz.bank.service import import_statement, read_file

        data = read_file(path)
        with self.db.transaction() as s:
            return import_statement(s, data, path, account=account, fmt=fmt, mapping=mapping,
                                    locale=locale)

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
                        account: str | None = None,
                        splits: Sequence[tuple[str, str | None]] = (),
                        contact: str | None = None, memo: str = "") -> MatchResult:
        """Match a line by hand: to invoices/bills (a payment through the payments service)
        and/or accounts (one entry): `account` takes the rest, each of `splits` (account,
        amount text or None for the rest) its part. After one account alone, offers the
        rule that would do it next time (not for a line in another currency: rules book
        lines in the book's currency only)."""
        from smallbiz.bank.lines import get_line
        from smallbiz.bank.matching import Part, match_line
        from smallbiz.money import parse_amount

        digits = self.db.money_digits
        parts = [Part(code, None if amount is None else parse_amount(
            amount, digits, field="--split")) for code, amount in splits]
        if account:
            parts.append(Part(account, None))
        with self.db.transaction() as s:
            numbers = match_line(s, line, documents=documents, parts=parts, contact=contact,
                                 memo=memo)
            seen = get_line(s, line)
            offer = None
            if account and not documents and not splits and seen.currency is None:
                code = s.scalar(
                    "SELECT a.code FROM posting p JOIN account a ON a.id = p.account_id "
                    "JOIN journal_entry e ON e.id = p.entry_id WHERE e.number = :n AND "
                    "a.code <> :b ORDER BY p.id LIMIT 1", {"n": numbers[-1], "b": seen.account})
                offer = RuleOffer(_rule_text(seen.description), seen.counterparty, str(code),
                                  contact)
            return MatchResult(seen.id, numbers, offer)

    def auto_match_bank(self) -> MatchSummary:
        from smallbiz.bank.matching import auto_match

        with self.db.transaction() as s:
            return auto_match(s)

    def unmatch_bank_line(self, line: int | str) -> list[str]:
        """Cancel what the line's match posted; returns the payments cancelled and the
        reversals posted."""
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
