"""Book settings: company, currency, VAT rate, payment terms, negative stock, lock date.

Stored as key/value rows in table `setting` (created by the first migration); typed and
validated here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smallbiz.dates import parse_date, today
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.money import minor_digits, parse_percent, validate_currency
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control


@dataclass(frozen=True)
class BookSettings:
    company_name: str
    currency: str
    vat_rate: Decimal
    payment_terms_days: int
    negative_stock: bool
    lock_date: dt.date | None
    chart: str

    @property
    def digits(self) -> int:
        return minor_digits(self.currency)


def _parse_bool(value: str, key: str) -> str:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on", "y"):
        return "true"
    if v in ("0", "false", "no", "off", "n"):
        return "false"
    raise ValidationError(_("{key}: '{value}' is not yes/no").format(key=key, value=value),
                          field=key)


def _parse_terms(value: str, key: str) -> str:
    v = value.strip()
    if not v.isdigit() or int(v) > 3650:
        raise ValidationError(_("{key}: '{value}' is not a number of days (0-3650)").format(
            key=key, value=value), field=key)
    return str(int(v))


def _parse_name(value: str, key: str) -> str:
    v = refuse_control(value.strip(), key)
    if not v:
        raise ValidationError(_("{key}: must not be empty").format(key=key), field=key)
    return v


def _parse_lang(value: str, key: str) -> str:
    """`ka`, `en`, or empty (the language then comes from the environment)."""
    from smallbiz.i18n import LANGUAGES, normalize_language

    v = value.strip()
    if not v:
        return ""
    code = normalize_language(v)
    if code is None:
        raise ValidationError(_("{key}: '{value}' is not a language smallbiz speaks ({langs})")
                              .format(key=key, value=value, langs=", ".join(LANGUAGES)),
                              field=key)
    return code


#: Settings a user may change with `smallbiz settings KEY VALUE`: key -> (normaliser, default)
EDITABLE = {
    "company_name": (_parse_name, "My Company"),
    "vat_rate": (lambda v, k: str(parse_percent(v, field=k)), "0"),
    "payment_terms_days": (_parse_terms, "30"),
    "negative_stock": (_parse_bool, "false"),
    # The book's language (`--lang` overrides it; empty: LC_ALL/LC_MESSAGES/LANG decide).
    "lang": (_parse_lang, ""),
}
#: Settings shown but changed by their own command.
READ_ONLY = {"currency": "GEL", "lock_date": "", "chart": "default"}


def get_raw(s: Tx, key: str) -> str | None:
    row = s.execute("SELECT value FROM setting WHERE key = :k", {"k": key}).fetchone()
    return row[0] if row is not None else None


def put_raw(s: Tx, key: str, value: str) -> None:
    s.execute("INSERT INTO setting (key, value) VALUES (:k, :v) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", {"k": key, "v": value})


def all_raw(s: Tx) -> dict[str, str]:
    defaults = {k: d for k, (_n, d) in EDITABLE.items()} | dict(READ_ONLY)
    return defaults | dict(s.execute("SELECT key, value FROM setting").fetchall())


def load(s: Tx) -> BookSettings:
    """The settings (their defaults where a row is missing): on a session, a Core
    connection or a `Database.read()` snapshot."""
    raw = all_raw(s)
    return BookSettings(
        company_name=raw["company_name"],
        currency=raw["currency"],
        vat_rate=Decimal(raw["vat_rate"]),
        payment_terms_days=int(raw["payment_terms_days"]),
        negative_stock=raw["negative_stock"] == "true",
        lock_date=dt.date.fromisoformat(raw["lock_date"]) if raw["lock_date"] else None,
        chart=raw["chart"],
    )


def change(s: Tx, key: str, value: str) -> str:
    """Validate and store one editable setting; writes an audit row. Returns the stored value."""
    if key in READ_ONLY:
        hint = {"lock_date": "smallbiz lock DATE", "currency": "smallbiz init",
                "chart": "smallbiz init"}[key]
        raise ValidationError(_("{key} is changed with '{hint}'").format(key=key, hint=hint),
                              field=key)
    if key not in EDITABLE:
        raise ValidationError(_("unknown setting '{key}' (one of: {keys})").format(
            key=key, keys=", ".join(sorted(EDITABLE))), field=key)
    normalise, _default = EDITABLE[key]
    stored = normalise(value, key)
    from smallbiz import audit

    old = get_raw(s, key)
    put_raw(s, key, stored)
    audit.record(s, "update", "setting", key, f"{key}: {old!r} -> {stored!r}")
    return stored


def lock_date(s: Tx) -> dt.date | None:
    raw = get_raw(s, "lock_date")
    return dt.date.fromisoformat(raw) if raw else None


def set_lock_date(s: Tx, value: str | dt.date, *, future: bool = False) -> dt.date:
    """Close the books up to and including `value`. The lock date only moves forward
    (`reopen` moves it back, with a reason); a date after today needs `future` (a typo
    such as 2062 for 2026 would close the books for good)."""
    new = parse_date(value, field="lock date")
    old = lock_date(s)
    if old is not None and new < old:
        raise ValidationError(
            _("lock date: the books are closed up to {old}; a lock date cannot move back "
              "(reopen a period with 'smallbiz lock --reopen DATE --reason TEXT')").format(
                old=old.isoformat()), field="lock date")
    if new > today() and not future:
        raise ValidationError(
            _("lock date: {date} is after today; closing future days is refused unless you "
              "add --future").format(date=new.isoformat()), field="lock date")
    from smallbiz import audit

    put_raw(s, "lock_date", new.isoformat())
    audit.record(s, "lock", "book", "lock_date", f"books closed up to {new.isoformat()}")
    return new


def reopen_from(s: Tx, value: str | dt.date, reason: str) -> dt.date:
    """Open the books again from `value` on: the lock date becomes the day before. Needs
    a reason, which the audit log records with who and when."""
    start = parse_date(value, field="--reopen")
    why = " ".join((reason or "").split())
    if not why:
        raise ValidationError(_("--reason: say why the period is reopened"), field="reason")
    refuse_control(why, "--reason")
    old = lock_date(s)
    if old is None or start > old:
        raise ValidationError(_("--reopen: the books are open from {date} already").format(
            date=start.isoformat()), field="lock date")
    new = start - dt.timedelta(days=1)
    from smallbiz import audit

    # The audit row first: the database lets the lock date move back only right after it.
    audit.record(s, "reopen", "lock_date", new.isoformat(),
                 f"books reopened from {start.isoformat()} (were closed up to "
                 f"{old.isoformat()}): {why}"[:500])
    put_raw(s, "lock_date", new.isoformat())
    return new


def initialise(s: Tx, *, company: str, currency: str, vat_rate: str, chart: str) -> None:
    put_raw(s, "company_name", _parse_name(company, "company"))
    put_raw(s, "currency", validate_currency(currency))
    put_raw(s, "vat_rate", str(parse_percent(vat_rate, field="vat rate")))
    put_raw(s, "payment_terms_days", "30")
    put_raw(s, "negative_stock", "false")
    put_raw(s, "chart", chart)
    put_raw(s, "lock_date", "")
