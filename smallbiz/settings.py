"""Book settings: company, currency, VAT rate, payment terms, negative stock, lock date,
and the company's details printed on its invoices (legal name and form, tax ID, VAT payer
status, addresses, phone, e-mail, bank accounts, director, logo).

Stored as key/value rows in table `setting` (created by the first migration); typed and
validated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


Normaliser = Callable[[str, str], str]


def _parse_text(limit: int) -> Normaliser:
    def parse(value: str, key: str) -> str:
        v = " ".join(refuse_control(value, key).split())
        if len(v) > limit:
            raise ValidationError(_("{key}: at most {n} characters").format(key=key, n=limit),
                                  field=key)
        return v
    return parse


def _parse_optional_date(value: str, key: str) -> str:
    return parse_date(value, field=key).isoformat() if value.strip() else ""


def _parse_email(value: str, key: str) -> str:
    v = value.strip()
    if v and (len(v) > 200 or v.count("@") != 1 or " " in v or "." not in v.split("@")[1]):
        raise ValidationError(_("{key}: '{value}' is not an e-mail address").format(
            key=key, value=v), field=key)
    return refuse_control(v, key)


def _parse_country(value: str, key: str) -> str:
    from smallbiz.taxid import country_code

    v = value.strip()
    code = country_code(v)
    if v and not code:
        raise ValidationError(_("{key}: '{value}' is not a two-letter country code (GE, DE, "
                                "...)").format(key=key, value=v), field=key)
    return code.upper()


def _parse_language(value: str, key: str) -> str:
    v = value.strip().lower()
    if v not in INVOICE_LANGUAGES:
        raise ValidationError(_("{key}: one of {choices}").format(
            key=key, choices=", ".join(INVOICE_LANGUAGES)), field=key)
    return v


def _parse_logo(value: str, key: str) -> str:
    from pathlib import Path

    v = value.strip()
    if not v:
        return ""
    path = Path(v).expanduser()
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg") or not path.is_file():
        raise ValidationError(_("{key}: '{value}' is not a PNG or JPEG file").format(
            key=key, value=v), field=key)
    return str(path.resolve())


@dataclass(frozen=True)
class BankAccount:
    bank: str
    iban: str  # compact: GE29NB0000000101904917


def parse_bank_accounts(value: str, key: str = "bank_accounts") -> list[BankAccount]:
    """`Bank name, IBAN; Bank name, IBAN`: the book's bank accounts, the first printed
    first. Each IBAN is checked (python-stdnum)."""
    from smallbiz.taxid import clean_iban

    out = []
    for i, part in enumerate((p for p in refuse_control(value, key).split(";") if p.strip()),
                             start=1):
        bank, comma, iban = part.rpartition(",")
        bank = " ".join(bank.split())
        if not comma or not bank:
            raise ValidationError(_("{key} {i}: write 'Bank name, IBAN' (accounts separated "
                                    "by ';'), not '{value}'").format(
                key=key, i=i, value=part.strip()), field=key)
        out.append(BankAccount(bank[:100], clean_iban(iban, field=f"{key} {i}")))
    return out


def _parse_banks(value: str, key: str) -> str:
    return "; ".join(f"{a.bank}, {a.iban}" for a in parse_bank_accounts(value, key))


def _parse_tax_id(value: str, key: str) -> str:
    return refuse_control(value.strip(), key)  # checked against the country in `change`


#: How invoices label their fields: `auto` (the customer's language: English for a
#: customer abroad, else the book's), one language, or both.
INVOICE_LANGUAGES = ("auto", "ka", "en", "ka+en")

#: Settings a user may change with `smallbiz settings KEY VALUE`: key -> (normaliser, default)
EDITABLE = {
    "company_name": (_parse_name, "My Company"),
    "vat_rate": (lambda v, k: str(parse_percent(v, field=k)), "0"),
    "payment_terms_days": (_parse_terms, "30"),
    "negative_stock": (_parse_bool, "false"),
    # The book's language (`--lang` overrides it; empty: LC_ALL/LC_MESSAGES/LANG decide).
    "lang": (_parse_lang, ""),
    # the company's details, printed on invoices
    "legal_name": (_parse_text(200), ""),
    "legal_form": (_parse_text(60), ""),
    "country": (_parse_country, "GE"),
    "tax_id": (_parse_tax_id, ""),
    "vat_payer": (_parse_bool, "false"),
    "vat_registered_on": (_parse_optional_date, ""),
    "legal_address": (_parse_text(300), ""),
    "actual_address": (_parse_text(300), ""),
    "phone": (_parse_text(64), ""),
    "email": (_parse_email, ""),
    "bank_accounts": (_parse_banks, ""),
    "director": (_parse_text(200), ""),
    "logo": (_parse_logo, ""),
    "invoice_language": (_parse_language, "auto"),
}
#: The company's details, in the order the first-run form and `settings` show them.
COMPANY_KEYS = ("legal_name", "legal_form", "country", "tax_id", "vat_payer",
                "vat_registered_on", "legal_address", "actual_address", "phone", "email",
                "bank_accounts", "director", "logo", "invoice_language")
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
    if key == "tax_id":
        from smallbiz.taxid import clean_tax_id

        stored = clean_tax_id(stored, all_raw(s)["country"], field=key)
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


@dataclass(frozen=True)
class CompanyDetails:
    """The firm as its invoices print it."""

    name: str  # the trading name (company_name)
    legal_name: str  # the registered name ("" -> the trading name)
    legal_form: str  # შპს / LLC, სს / JSC, ი/მ / IE, ...
    country: str  # ISO code, GE by default
    tax_id: str
    vat_payer: bool
    vat_registered_on: dt.date | None
    legal_address: str
    actual_address: str
    phone: str
    email: str
    bank_accounts: list[BankAccount]
    director: str
    logo: str  # a PNG/JPEG path, "" for none
    invoice_language: str  # one of INVOICE_LANGUAGES

    @property
    def printed_name(self) -> str:
        return self.legal_name or self.name


def company_details(s: Tx) -> CompanyDetails:
    raw = all_raw(s)
    return CompanyDetails(
        name=raw["company_name"], legal_name=raw["legal_name"], legal_form=raw["legal_form"],
        country=raw["country"], tax_id=raw["tax_id"], vat_payer=raw["vat_payer"] == "true",
        vat_registered_on=(dt.date.fromisoformat(raw["vat_registered_on"])
                           if raw["vat_registered_on"] else None),
        legal_address=raw["legal_address"], actual_address=raw["actual_address"],
        phone=raw["phone"], email=raw["email"],
        bank_accounts=parse_bank_accounts(raw["bank_accounts"]) if raw["bank_accounts"]
        else [], director=raw["director"], logo=raw["logo"],
        invoice_language=raw["invoice_language"])


def validate_many(values: dict[str, str], country: str = "GE") -> None:
    """Check editable settings without a book (the first-run form checks the company's
    details before it creates the book): raises ValidationError for the first bad one.
    A tax ID is checked against `values["country"]`, else `country`."""
    for key in sorted(values, key=lambda k: (k != "country", k)):
        if key not in EDITABLE:
            raise ValidationError(_("unknown setting '{key}' (one of: {keys})").format(
                key=key, keys=", ".join(sorted(EDITABLE))), field=key)
        EDITABLE[key][0](values[key], key)
    if values.get("tax_id", "").strip():
        from smallbiz.taxid import clean_tax_id

        home = _parse_country(values["country"], "country") if "country" in values else country
        clean_tax_id(values["tax_id"].strip(), home, field="tax_id")


def change_many(s: Tx, values: dict[str, str]) -> dict[str, str]:
    """Validate every value first, then store them all (one audit row each): the
    first-run form and `settings` with several keys. `country` goes first, so a tax ID
    is checked against the new country."""
    for key in values:
        if key in READ_ONLY:
            change(s, key, values[key])  # raises the usual message
    validate_many(values, all_raw(s)["country"])
    return {key: change(s, key, values[key])
            for key in sorted(values, key=lambda k: (k != "country", k))}
