"""The chart of accounts: list, add, resolve, find by system role, load a template.

Accounts are found one way: `resolve_account` (the journal, documents, reports and the
journal import all use it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from smallbiz import audit
from smallbiz.books.fx import foreign_currency
from smallbiz.books.types import ACCOUNT_TYPES, ROLES, TYPE_ALIASES
from smallbiz.datafiles import data_path
from smallbiz.errors import NotFound, RuleViolation, UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.refs import choose, like_prefix
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

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
    currency: str | None = None  # a bank or cash account kept in another currency


def list_accounts(s: Tx, *, include_archived: bool = True) -> list[AccountInfo]:
    where = "" if include_archived else "WHERE NOT a.archived "
    return [AccountInfo(acc_id, code, name, kind, parent_code, role, bool(archived), currency)
            for acc_id, code, name, kind, parent_code, role, archived, currency in s.execute(
                    "SELECT a.id, a.code, a.name, a.type, p.code, a.role, a.archived, "
                    "a.currency FROM account a LEFT JOIN account p ON p.id = a.parent_id "
                   + where + "ORDER BY a.code")]


#: Roles an account may not have to receive or pay money through it.
_NOT_MONEY = ("receivable", "payable", "inventory", "vat_in", "vat_out")


def is_money_account(acc: AccountRef | AccountInfo) -> bool:
    """A bank or cash account: an asset that is not a receivable, payable, stock or VAT
    account."""
    return acc.type == "asset" and acc.role not in _NOT_MONEY


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


def add_account(s: Tx, code: str, name: str, type_: str, *, parent: str | None = None,
                role: str | None = None, currency: str | None = None) -> AccountInfo:
    """Create an account. Validates code (unique, no spaces), name, type, parent and role;
    `currency`: a bank or cash account kept in another currency than the book's (an asset
    without a receivable, payable, stock or VAT role; the currency not the book's)."""
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
        if _exists(s, "role", role):
            raise RuleViolation(_("another account already has role {role}").format(role=role),
                                field="role")
    if currency is not None:
        currency = foreign_currency(s, currency)
        if account_type != "asset" or role in _NOT_MONEY:
            raise ValidationError(
                _("--currency: only a bank or cash account (an asset) is kept in another "
                  "currency; {code} is {type}").format(
                    code=code, type=role if role in _NOT_MONEY else account_type),
                field="--currency")
    rows = s.execute("INSERT INTO account (code, name, type, parent_id, role, archived, "
                     "currency) VALUES (:code, :name, :type, :parent, :role, :archived, "
                     ":currency) RETURNING id",
                     {"code": code, "name": name, "type": account_type,
                      "parent": parent_acc.id if parent_acc else None, "role": role,
                      "archived": False, "currency": currency}).fetchall()
    audit.record(s, "create", "account", code, f"{code} {name} ({account_type}"
                 + (f", {currency}" if currency else "") + ")")
    return AccountInfo(rows[0][0], code, name, account_type,
                       parent_acc.code if parent_acc else None, role, False, currency)


def _exists(s: Tx, column: str, value: str) -> bool:
    return s.execute(f"SELECT 1 FROM account WHERE {column} = :v",  # noqa: S608 (a name)
                   {"v": value}).fetchone() is not None


@dataclass(frozen=True)
class AccountRef:
    """An account as the rules need it (`resolve_account`, `account_by_role`)."""

    id: int
    code: str
    name: str
    type: str
    archived: bool
    role: str | None = None
    currency: str | None = None  # a bank or cash account kept in another currency


_ACCOUNT = "SELECT id, code, name, type, archived, role, currency FROM account "


def resolve_account(s: Tx, ref: str | int, *, field: str = "account") -> AccountRef:
    """An account by code, exact name (case-insensitive), unique prefix of code or name, or
    (an int, from code, never from typed text) its id. The one way accounts are found."""
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("{field}: an account is required").format(field=field),
                              field=field)
    exact = [_account(r) for r in s.execute(
        _ACCOUNT + "WHERE code = :code OR lower(name) = :name ORDER BY code",
        {"code": text, "name": text.lower()})]
    if not exact and isinstance(ref, int) and not isinstance(ref, bool):
        exact = [_account(r) for r in s.execute(_ACCOUNT + "WHERE id = :id", {"id": ref})]
    prefixed: list[AccountRef] = []
    if not exact:
        pattern = like_prefix(text)
        prefixed = [_account(r) for r in s.execute(
            _ACCOUNT + "WHERE code LIKE :p ESCAPE '\\' OR lower(name) LIKE :lp ESCAPE '\\' "
            "ORDER BY code LIMIT 50", {"p": pattern, "lp": pattern.lower()})]
    return choose(text, _("account"), exact, prefixed, lambda a: f"{a.code} {a.name}",
                  field=field)


def _account(row: tuple[object, ...]) -> AccountRef:
    acc_id, code, name, type_, archived, role, currency = row
    return AccountRef(int(acc_id), str(code), str(name), str(type_), bool(archived),  # type: ignore[call-overload]
                      role if role is None else str(role),
                      currency if currency is None else str(currency))


def account_by_role(s: Tx, role: str) -> AccountRef:
    row = s.first(_ACCOUNT + "WHERE role = :r", {"r": role})
    if row is None:
        raise NotFound(_("no account has the system role '{role}'; add one with that role")
                       .format(role=role), field="account")
    return _account(row)


def available_charts() -> list[str]:
    return sorted(p.stem for p in CHARTS_DIR.glob("*.csv"))


def load_chart(s: Tx, name: str = "default") -> int:
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
