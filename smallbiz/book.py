"""Creating a book: schema, settings and a chart of accounts, in one go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smallbiz import audit, settings
from smallbiz.books.accounts import available_charts, load_chart
from smallbiz.db import Database
from smallbiz.errors import UserError
from smallbiz.i18n import _
from smallbiz.money import minor_digits, parse_percent, validate_currency


@dataclass(frozen=True)
class BookInfo:
    where: str
    company_name: str
    currency: str
    vat_rate: str
    chart: str
    accounts: int


def init_book(db: Database, *, company: str = "My Company", currency: str = "GEL",
              vat_rate: str = "0", chart: str = "default") -> BookInfo:
    """Create the schema, store the settings and load the chart of accounts.

    Validates everything first (currency code, VAT rate, chart name, no book there yet),
    so a refused init leaves no file behind.
    """
    code = validate_currency(currency)
    rate = parse_percent(vat_rate, field="vat rate")
    if not company.strip():
        raise UserError(_("company: must not be empty"), field="company")
    if chart not in available_charts():
        raise UserError(_("unknown chart '{name}' (available: {names})").format(
            name=chart, names=", ".join(available_charts())), field="chart")
    if db.exists():
        raise UserError(_("{where} already holds a book").format(where=db.where()))
    created_file = db.path is not None and not db.path.exists()
    try:
        db.create()
        db.set_money_digits(minor_digits(code))
        with db.transaction() as s:
            settings.initialise(s, company=company, currency=code, vat_rate=str(rate),
                                chart=chart)
            count = load_chart(s, chart)
            audit.record(s, "init", "book", code, f"book created for {company.strip()}")
    except BaseException:
        if created_file and db.path is not None:
            db.dispose()
            for suffix in ("", "-wal", "-shm"):
                db.path.with_name(db.path.name + suffix).unlink(missing_ok=True)
        raise
    return BookInfo(db.where(), company.strip(), code, str(rate), chart, count)


def change_setting(s: Any, key: str, value: str) -> str:
    """`smallbiz settings KEY VALUE`: one editable setting, with the rules other parts of
    the book put on it (negative stock cannot be switched off below zero)."""
    from smallbiz import settings

    stored = settings.change(s, key, value)
    if key == "negative_stock" and stored == "false":
        from smallbiz.stock.service import refuse_negative_stock_off

        refuse_negative_stock_off(s)
    return stored
