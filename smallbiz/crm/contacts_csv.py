"""Contacts as CSV: UTF-8, a header row, one contact a row.

Columns (header names are case-insensitive; spaces and hyphens count as underscores):

  name                 required; the person's or organization's name
  kind                 person (default) or organization
  organization         the organization a person belongs to (made if missing)
  email, phone         one or more, separated by ';' (the first is the main one)
  street, city, postcode, country
  tax_id
  roles                customer, supplier, lead, separated by ';'
  tags                 separated by ';'
  notes
  payment_terms_days   a number of days; empty: the book's default terms
  archived             yes/no (also true/false, 1/0)

Also understood: company/org (organization), e_mail, tel/telephone/mobile (phone),
zip/postal_code (postcode), vat_id (tax_id), category/categories (tags), note (notes),
terms (payment_terms_days). Other columns are reported and ignored.

Spreadsheets run cells that begin with '=', '+', '-' or '@' as formulas, so the export
writes such cells with a leading apostrophe ("'+995 555 ..."); the import removes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from smallbiz.crm.importing import ContactRecord
from smallbiz.crm.service import Channel, ContactData
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.textcheck import visible

COLUMNS = ("name", "kind", "organization", "email", "phone", "street", "city", "postcode",
           "country", "tax_id", "roles", "tags", "notes", "payment_terms_days", "archived")
REQUIRED = ("name",)
ALIASES = {"company": "organization", "org": "organization", "e_mail": "email",
           "tel": "phone", "telephone": "phone", "mobile": "phone", "zip": "postcode",
           "postal_code": "postcode", "vat_id": "tax_id", "category": "tags",
           "categories": "tags", "note": "notes", "terms": "payment_terms_days"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def _column(header: str) -> str:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _unguard(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


def _guard(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace(",", ";").split(";") if p.strip()]


def _flag(cell: str, field: str) -> bool:
    value = cell.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(_("{field}: '{value}' is not yes or no").format(field=field,
                                                                         value=cell))


def parse(content: str, *, source: str = "CSV") -> tuple[list[ContactRecord], list[str]]:
    """The records of a CSV text and the header names that were ignored. A missing or
    broken header raises ValidationError (the file cannot be read at all)."""
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationError(_("{file}: line 1: {reason}").format(file=source,
                                                                    reason=exc)) from None
    if not header or not any(h.strip() for h in header):
        raise ValidationError(_("{file}: line 1: no header row (columns: {cols})").format(
            file=source, cols=", ".join(COLUMNS)))
    columns: list[str | None] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for h in header:
        col = _column(h)
        if col not in COLUMNS:
            columns.append(None)
            if h.strip():
                ignored.append(visible(h.strip()))  # shown in a warning
            continue
        if col in seen:
            raise ValidationError(_("{file}: line 1: columns '{a}' and '{b}' both mean {col}")
                                  .format(file=source, a=seen[col], b=h.strip(), col=col))
        seen[col] = h.strip()
        columns.append(col)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise ValidationError(_("{file}: line 1: required column '{col}' is missing (the "
                                "header has: {cols})").format(
            file=source, col=missing[0], cols=", ".join(h.strip() for h in header)))
    records: list[ContactRecord] = []
    last_line = 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise ValidationError(_("{file}: line {line}: {reason}").format(
                file=source, line=last_line + 1, reason=exc)) from None
        if row is None:
            break
        where = _("line {n}").format(n=last_line + 1)
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            records.append(ContactRecord(where, None, _("{n} cells, but the header has {m}")
                                         .format(n=len(row), m=len(columns))))
            continue
        cells = {col: _unguard(cell) for col, cell in zip(columns, row, strict=False) if col}
        try:
            records.append(ContactRecord(where, _record(cells)))
        except ValidationError as exc:
            records.append(ContactRecord(where, None, exc.message))
    return records, ignored


def _record(cells: dict[str, str]) -> ContactData:
    get = cells.get
    terms = (get("payment_terms_days") or "").strip()
    return ContactData(
        name=get("name", ""), kind=(get("kind") or "person").strip() or "person",
        organization=get("organization") or None,
        roles=frozenset(r.lower() for r in _split(get("roles", ""))),
        emails=tuple(Channel(e) for e in _split(get("email", ""))),
        phones=tuple(Channel(p) for p in (x.strip() for x in get("phone", "").split(";"))
                     if p),
        street=get("street", ""), city=get("city", ""), postcode=get("postcode", ""),
        country=get("country", ""), tax_id=get("tax_id", ""), notes=get("notes", ""),
        payment_terms_days=terms or None,  # type: ignore[arg-type]  (validated later)
        tags=tuple(_split(get("tags", ""))),
        archived=_flag(get("archived", ""), "archived"))


def write(contacts: Iterable[ContactData], out: TextIO) -> int:
    """Write contacts with the documented columns; returns how many were written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for c in contacts:
        writer.writerow([_guard(v) for v in (
            c.name, c.kind, c.organization or "", "; ".join(e.value for e in c.emails),
            "; ".join(p.value for p in c.phones), c.street, c.city, c.postcode, c.country,
            c.tax_id, "; ".join(sorted(c.roles)), "; ".join(c.tags), c.notes,
            "" if c.payment_terms_days is None else str(c.payment_terms_days),
            "yes" if c.archived else "no")])
        count += 1
    return count
