"""The chart of accounts: list, add, resolve, find by system role, load a template."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from smallbiz import audit
from smallbiz.books.models import ACCOUNT_TYPES, ROLES, Account
from smallbiz.books.types import TYPE_ALIASES
from smallbiz.errors import NotFound, RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.textcheck import refuse_control

CHARTS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "charts"


@dataclass(frozen=True)
class AccountInfo:
    id: int
    code: str
    name: str
    type: str
    parent_code: str | None
    role: str | None
    archived: bool


def _info(a: Account, parent_code: str | None = None) -> AccountInfo:
    return AccountInfo(a.id or 0, a.code, a.name, a.type, parent_code, a.role, a.archived)


def list_accounts(s: Session, *, include_archived: bool = True) -> list[AccountInfo]:
    parent = Account.__table__.alias("parent")  # type: ignore[attr-defined]
    q = (select(Account, parent.c.code)
         .outerjoin(parent, parent.c.id == Account.parent_id)
         .order_by(Account.code))
    if not include_archived:
        q = q.where(Account.archived == False)  # noqa: E712
    return [_info(a, pc) for a, pc in s.exec(q)]


def parse_type(value: str) -> str:
    t = TYPE_ALIASES.get((value or "").strip().lower())
    if t is None:
        raise ValidationError(_("account type: '{value}' is not one of {types}").format(
            value=value, types=", ".join(ACCOUNT_TYPES)), field="type")
    return t


def _validate_code(code: str) -> str:
    c = (code or "").strip()
    if not c:
        raise ValidationError(_("account code: must not be empty"), field="code")
    if len(c) > 32 or any(ch.isspace() for ch in c) or ":" in c or "=" in c:
        raise ValidationError(
            _("account code: '{code}' must be at most 32 characters without spaces, ':' or '='")
            .format(code=c), field="code")
    return c


def add_account(s: Session, code: str, name: str, type_: str, *, parent: str | None = None,
                role: str | None = None) -> AccountInfo:
    """Create an account. Validates code (unique, no spaces), name, type, parent and role."""
    code = _validate_code(code)
    name = refuse_control((name or "").strip(), "account name")
    if not name:
        raise ValidationError(_("account name: must not be empty"), field="name")
    account_type = parse_type(type_)
    if s.exec(select(Account).where(Account.code == code)).first() is not None:
        raise RuleViolation(_("account {code} already exists").format(code=code), field="code")
    parent_acc = None
    if parent:
        parent_acc = resolve_account(s, parent, field="parent")
        if parent_acc.type != account_type:
            raise RuleViolation(
                _("parent {parent} is an {ptype} account; {code} is {type}").format(
                    parent=parent_acc.code, ptype=parent_acc.type, code=code, type=account_type),
                field="parent")
    if role is not None:
        if role not in ROLES:
            raise ValidationError(_("unknown account role '{role}'").format(role=role),
                                  field="role")
        if s.exec(select(Account).where(Account.role == role)).first() is not None:
            raise RuleViolation(_("another account already has role {role}").format(role=role),
                                field="role")
    acc = Account(code=code, name=name, type=account_type,
                  parent_id=parent_acc.id if parent_acc else None, role=role)
    s.add(acc)
    s.flush()
    audit.record(s, "create", "account", code, f"{code} {name} ({account_type})")
    return _info(acc, parent_acc.code if parent_acc else None)


def resolve_account(s: Session, ref: str | int, *, field: str = "account") -> Account:
    """An account by code, exact name (case-insensitive), unique prefix of code or name, or
    (an int) its id. The matching is `smallbiz.books.reports.account_ref` (plain SQL, which
    the reports use without the ORM); this returns the ORM object."""
    from smallbiz.books.reports import account_ref

    acc = s.get(Account, account_ref(s, ref, field=field).id)
    assert acc is not None
    return acc


def account_by_role(s: Session, role: str) -> Account:
    acc = s.exec(select(Account).where(Account.role == role)).first()
    if acc is None:
        raise NotFound(_("no account has the system role '{role}'; add one with that role")
                       .format(role=role), field="account")
    return acc


def available_charts() -> list[str]:
    return sorted(p.stem for p in CHARTS_DIR.glob("*.csv"))


def load_chart(s: Session, name: str = "default") -> int:
    """Create the accounts of a chart template from data/charts/NAME.csv; returns the count."""
    path = CHARTS_DIR / f"{name}.csv"
    if not path.is_file():
        raise UserError(_("unknown chart '{name}' (available: {names})").format(
            name=name, names=", ".join(available_charts())), field="chart")
    count = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            add_account(s, row["code"], row["name"], row["type"], parent=row["parent"] or None,
                        role=row["role"] or None)
            count += 1
    return count
