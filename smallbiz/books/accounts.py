"""The chart of accounts: list, add, resolve, find by system role, load a template.

Adding an account is plain SQL (`run_sql`), so it works in an ORM session and on a
plain-SQL writer (`smallbiz import journal` creates accounts without the ORM); the functions
that hand back ORM objects import the ORM when called.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smallbiz import audit
from smallbiz.books.types import ACCOUNT_TYPES, ROLES, TYPE_ALIASES
from smallbiz.datafiles import data_path
from smallbiz.db import run_sql
from smallbiz.errors import NotFound, RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.textcheck import refuse_control

if TYPE_CHECKING:
    from sqlmodel import Session

    from smallbiz.books.models import Account

CHARTS_DIR: Path = data_path("charts")


@dataclass(frozen=True)
class AccountInfo:
    id: int
    code: str
    name: str
    type: str
    parent_code: str | None
    role: str | None
    archived: bool


def list_accounts(s: Any, *, include_archived: bool = True) -> list[AccountInfo]:
    where = "" if include_archived else "WHERE NOT a.archived "
    return [AccountInfo(acc_id, code, name, kind, parent_code, role, bool(archived))
            for acc_id, code, name, kind, parent_code, role, archived in run_sql(
                s, "SELECT a.id, a.code, a.name, a.type, p.code, a.role, a.archived "
                   "FROM account a LEFT JOIN account p ON p.id = a.parent_id "
                   + where + "ORDER BY a.code")]


def parse_type(value: str) -> str:
    t = TYPE_ALIASES.get((value or "").strip().lower())
    if t is None:
        raise ValidationError(_("account type: '{value}' is not one of {types}").format(
            value=value, types=", ".join(ACCOUNT_TYPES)), field="type")
    return t


#: An account code: letters (any script: Latin, Georgian, ...), digits, '.', '-', '_'. No
#: space, ':', ';', '=' or control character, which would change what a journal line means.
_CODE_CHARS = re.compile(r"[\w.-]+")
MAX_CODE = 32
#: The longest account name (characters).
MAX_NAME = 200


def _validate_code(code: str) -> str:
    c = (code or "").strip()
    if not c:
        raise ValidationError(_("account code: must not be empty"), field="code")
    if len(c) > MAX_CODE or _CODE_CHARS.fullmatch(c) is None:
        raise ValidationError(
            _("account code: '{code}' must be at most {n} letters, digits, '.', '-' or '_' "
              "(without spaces, ':', ';' or '=')").format(code=c, n=MAX_CODE), field="code")
    return c


def add_account(s: Any, code: str, name: str, type_: str, *, parent: str | None = None,
                role: str | None = None) -> AccountInfo:
    """Create an account. Validates code (unique, no spaces), name, type, parent and role."""
    from smallbiz.books.reports import account_ref

    code = _validate_code(code)
    name = refuse_control((name or "").strip(), "account name")
    if not name:
        raise ValidationError(_("account name: must not be empty"), field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(_("account name: longer than {n} characters").format(n=MAX_NAME),
                              field="name")
    account_type = parse_type(type_)
    if _exists(s, "code", code):
        raise RuleViolation(_("account {code} already exists").format(code=code), field="code")
    parent_acc = None
    if parent:
        parent_acc = account_ref(s, parent, field="parent")
        if parent_acc.type != account_type:
            raise RuleViolation(
                _("parent {parent} is an {ptype} account; {code} is {type}").format(
                    parent=parent_acc.code, ptype=parent_acc.type, code=code, type=account_type),
                field="parent")
    if role is not None:
        if role not in ROLES:
            raise ValidationError(_("unknown account role '{role}'").format(role=role),
                                  field="role")
        if _exists(s, "role", role):
            raise RuleViolation(_("another account already has role {role}").format(role=role),
                                field="role")
    rows = run_sql(s, "INSERT INTO account (code, name, type, parent_id, role, archived) "
                      "VALUES (:code, :name, :type, :parent, :role, :archived) RETURNING id",
                   {"code": code, "name": name, "type": account_type,
                    "parent": parent_acc.id if parent_acc else None, "role": role,
                    "archived": False}).fetchall()
    audit.record(s, "create", "account", code, f"{code} {name} ({account_type})")
    return AccountInfo(rows[0][0], code, name, account_type,
                       parent_acc.code if parent_acc else None, role, False)


def _exists(s: Any, column: str, value: str) -> bool:
    return run_sql(s, f"SELECT 1 FROM account WHERE {column} = :v",  # noqa: S608 (a name)
                   {"v": value}).fetchone() is not None


def resolve_account(s: Session, ref: str | int, *, field: str = "account") -> Account:
    """An account by code, exact name (case-insensitive), unique prefix of code or name, or
    (an int) its id. The matching is `smallbiz.books.reports.account_ref` (plain SQL, which
    the reports use without the ORM); this returns the ORM object."""
    from smallbiz.books.models import Account
    from smallbiz.books.reports import account_ref

    acc = s.get(Account, account_ref(s, ref, field=field).id)
    assert acc is not None
    return acc


def account_by_role(s: Session, role: str) -> Account:
    from sqlmodel import select

    from smallbiz.books.models import Account

    acc = s.exec(select(Account).where(Account.role == role)).first()
    if acc is None:
        raise NotFound(_("no account has the system role '{role}'; add one with that role")
                       .format(role=role), field="account")
    return acc


def available_charts() -> list[str]:
    return sorted(p.stem for p in CHARTS_DIR.glob("*.csv"))


def load_chart(s: Any, name: str = "default") -> int:
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
