"""Matching rules: "text contains / amount range / counterparty -> account (and contact)".

A line fits a rule when every condition the rule has holds: its description or reference
contains `text` (any case), its counterparty contains `counterparty`, its signed amount
(money in positive, out negative) lies in [amount_min, amount_max]. The first rule (the
oldest) that fits books the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from smallbiz import audit
from smallbiz.books.accounts import resolve_account
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import format_amount, from_minor, to_minor
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control


@dataclass(frozen=True)
class RuleView:
    id: int
    text: str
    counterparty: str
    amount_min: Decimal | None
    amount_max: Decimal | None
    account: str
    account_name: str
    account_id: int
    contact: str | None
    contact_id: int | None
    memo: str

    def fits(self, text: str, counterparty: str, amount: Decimal | None) -> bool:
        """`amount` may be None when the rule has no amount range."""
        if self.text and self.text.casefold() not in text.casefold():
            return False
        if self.counterparty and self.counterparty.casefold() not in counterparty.casefold():
            return False
        if self.amount_min is not None and (amount is None or amount < self.amount_min):
            return False
        return self.amount_max is None or (amount is not None and amount <= self.amount_max)


def add_rule(s: Tx, *, account: str, text: str = "", counterparty: str = "",
             amount_min: Decimal | None = None, amount_max: Decimal | None = None,
             contact: str | None = None, memo: str = "") -> RuleView:
    """Validates: at least one condition; the account exists and is not archived; the
    contact exists; min <= max. Writes the rule and an audit row."""
    text, counterparty, memo = (refuse_control(v.strip(), f) for v, f in (
        (text, "--text"), (counterparty, "--counterparty"), (memo, "--memo")))
    if not (text or counterparty or amount_min is not None or amount_max is not None):
        raise ValidationError(_("a rule needs a condition: --text, --counterparty, --min or "
                                "--max"), field="--text")
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        raise ValidationError(_("--min is more than --max"), field="--min")
    acc = resolve_account(s, account, field="--account")
    if acc.archived:
        raise RuleViolation(_("--account: {code} is archived").format(code=acc.code),
                            field="--account")
    contact_id = resolve_contact(s, contact).id if contact else None
    digits = s.money_digits
    rule_id = s.insert("bank_rule", {
        "text_contains": text, "counterparty": counterparty,
        "amount_min": None if amount_min is None else to_minor(amount_min, digits),
        "amount_max": None if amount_max is None else to_minor(amount_max, digits),
        "account_id": acc.id, "contact_id": contact_id, "memo": memo, "created_at": now()})
    audit.record(s, "create", "bank_rule", rule_id,
                 f"{text or counterparty or ''} -> {acc.code}"[:200])
    return get_rule(s, rule_id)


_RULES = ("SELECT r.id, r.text_contains, r.counterparty, r.amount_min, r.amount_max, a.code, "
          "a.name, a.id, c.name, r.contact_id, r.memo FROM bank_rule r "
          "JOIN account a ON a.id = r.account_id LEFT JOIN contact c ON c.id = r.contact_id ")


def _view(row: tuple[object, ...], digits: int) -> RuleView:
    i, text, party, lo, hi, code, name, acc_id, contact, contact_id, memo = row
    return RuleView(int(i), str(text), str(party),  # type: ignore[call-overload]
                    None if lo is None else from_minor(lo, digits),  # type: ignore[arg-type]
                    None if hi is None else from_minor(hi, digits),  # type: ignore[arg-type]
                    str(code), str(name), int(acc_id), contact, contact_id, str(memo))  # type: ignore[arg-type, call-overload]


def list_rules(s: Tx) -> list[RuleView]:
    return [_view(r, s.money_digits) for r in s.execute(_RULES + "ORDER BY r.id")]


def get_rule(s: Tx, rule_id: int) -> RuleView:
    row = s.first(_RULES + "WHERE r.id = :i", {"i": rule_id})
    if row is None:
        raise NotFound(_("no rule {i} (bank rule list)").format(i=rule_id), field="rule")
    return _view(row, s.money_digits)


def remove_rule(s: Tx, rule_id: int) -> RuleView:
    """Remove a rule (what it booked stays booked)."""
    rule = get_rule(s, rule_id)
    s.execute("UPDATE bank_line SET rule_id = NULL WHERE rule_id = :i", {"i": rule.id})
    s.execute("DELETE FROM bank_rule WHERE id = :i", {"i": rule.id})
    audit.record(s, "delete", "bank_rule", rule.id, f"-> {rule.account}")
    return rule


def describe(rule: RuleView, digits: int) -> str:
    parts = []
    if rule.text:
        parts.append(_("text contains '{t}'").format(t=rule.text))
    if rule.counterparty:
        parts.append(_("counterparty contains '{t}'").format(t=rule.counterparty))
    if rule.amount_min is not None or rule.amount_max is not None:
        lo = "" if rule.amount_min is None else format_amount(rule.amount_min, digits)
        hi = "" if rule.amount_max is None else format_amount(rule.amount_max, digits)
        parts.append(_("amount {lo}..{hi}").format(lo=lo, hi=hi))
    return _(" and ").join(parts)
