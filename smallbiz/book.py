"""Creating a book: schema, settings and a chart of accounts, in one go."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smallbiz import audit, settings
from smallbiz.books.accounts import available_charts, load_chart
from smallbiz.db import Database, foreign_file
from smallbiz.errors import UserError
from smallbiz.i18n import _
from smallbiz.money import minor_digits, parse_percent, validate_currency
from smallbiz.outfiles import new_partial, remove_partial, remove_stale_partials, sync_folder
from smallbiz.sql import Tx


@dataclass(frozen=True)
class BookInfo:
    where: str
    company_name: str
    currency: str
    vat_rate: str
    chart: str
    accounts: int


def init_book(db: Database, *, company: str = "My Company", currency: str = "GEL",
              vat_rate: str = "0", chart: str = "default",
              then: Callable[[Database], Any] | None = None) -> BookInfo:
    """Create the schema, store the settings and load the chart of accounts; `then`
    (the demo, say) fills the new book before it appears.

    Validates everything first (currency code, VAT rate, chart name, nothing in the way).
    On a SQLite file the book is built in a side file next to it and moved into place
    when it is whole: killed at any moment, init leaves either no book or a whole one.
    A file that is in the way (another program's database, any other non-empty file, a
    folder, a dangling link) is refused; an empty file is replaced by the new book, which
    is readable by its owner only (0600).
    """
    code = validate_currency(currency)
    rate = parse_percent(vat_rate, field="vat rate")
    if not company.strip():
        raise UserError(_("company: must not be empty"), field="company")
    if chart not in available_charts():
        raise UserError(_("unknown chart '{name}' (available: {names})").format(
            name=chart, names=", ".join(available_charts())), field="chart")
    if db.is_sqlite and db.path is None:
        raise UserError(_("an in-memory database vanishes when the command ends; give a "
                          "file path with --db"), field="db")
    if db.path is None:  # a server: one database, created in place
        if db.exists():
            raise UserError(_("{where} already holds a book").format(where=db.where()))
        if (problem := db.foreign_server()) is not None:
            raise UserError(_("{reason}; choose another database").format(
                reason=problem.message))
        db.create()
        db.set_money_digits(minor_digits(code))
        count = _fill(db, company, code, str(rate), chart)
        if then is not None:
            then(db.open())
        return BookInfo(db.where(), company.strip(), code, str(rate), chart, count)
    path = db.path
    if (problem := foreign_file(path)) is not None:
        raise UserError(_("{reason}; choose another file").format(reason=problem.message))
    if path.exists() and db.current_revision() is not None:
        raise UserError(_("{where} already holds a book").format(where=db.where()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(_("cannot create folder {path}: {reason}").format(
            path=path.parent, reason=exc.strerror or exc)) from None
    remove_stale_partials(path)  # left by an init that was killed
    try:
        side, fd = new_partial(path)  # locked while this init runs
    except OSError as exc:
        raise UserError(_("cannot create {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    side_db = Database(side)
    try:
        try:
            side_db.create()
        except OSError as exc:
            raise UserError(_("cannot create {path}: {reason}").format(
                path=path, reason=exc.strerror or exc)) from None
        side_db.set_money_digits(minor_digits(code))
        count = _fill(side_db, company, code, str(rate), chart)
        if then is not None:
            then(side_db.open())
        side_db.close()
        _place(side, path)
    finally:
        side_db.dispose()
        remove_partial(side)
        os.close(fd)
    db.dispose()
    return BookInfo(db.where(), company.strip(), code, str(rate), chart, count)


def _fill(db: Database, company: str, code: str, rate: str, chart: str) -> int:
    with db.transaction() as s:
        settings.initialise(s, company=company, currency=code, vat_rate=rate, chart=chart)
        count = load_chart(s, chart)
        audit.record(s, "init", "book", code, f"book created for {company.strip()}")
    return count


def _place(side: Path, path: Path) -> None:
    """Move the finished side file to `path`: never over a file that appeared meanwhile
    (a second init), only over the empty file that was there."""
    if path.exists() or path.is_symlink():
        if foreign_file(path) is not None or Database(path).current_revision() is not None:
            raise UserError(_("{path} changed while the book was being made (another "
                              "init?); nothing was changed").format(path=path))
        os.replace(side, path)
    else:
        try:
            os.link(side, path)
        except FileExistsError:
            raise UserError(_("{path} appeared while the book was being made (another "
                              "init?); nothing was changed").format(path=path)) from None
        except OSError:  # a file system without hard links
            os.replace(side, path)
    sync_folder(path.parent)


def change_setting(s: Tx, key: str, value: str) -> str:
    """`smallbiz settings KEY VALUE`: one editable setting, with the rules other parts of
    the book put on it (negative stock cannot be switched off below zero)."""
    from smallbiz import settings

    stored = settings.change(s, key, value)
    if key == "negative_stock" and stored == "false":
        from smallbiz.stock.service import refuse_negative_stock_off

        refuse_negative_stock_off(s)
    return stored
