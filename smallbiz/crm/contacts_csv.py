"""Contacts as CSV: UTF-8 (or UTF-16 with a BOM), a header row, one contact a row.

The separator (comma, semicolon or tab) is sniffed from the header. The layout is found
from the header:

- google-legacy: Google Contacts' older export (`Name`, `Given Name`, `Family Name`,
  `E-mail 1 - Type`, `E-mail 1 - Value`, `Phone 1 - Type`, `Address 1 - Street`,
  `Organization 1 - Name`, `Group Membership`, ...);
- google: Google Contacts' current export (`First Name`, `Last Name`, `Labels`,
  `E-mail 1 - Label`, `Phone 1 - Value`, `Organization Name`, ...);
- outlook: `First Name`, `Last Name`, `E-mail Address`, `Mobile Phone`, `Business Phone`,
  `Business Street`, `Company`, `Job Title`, `Categories`, ...;
- linkedin: `First Name`, `Last Name`, `URL`, `Email Address`, `Company`, `Position`,
  `Connected On` (the "Notes:" lines LinkedIn puts above the header are skipped);
- yahoo: `First`, `Last`, `Email`, `Home`, `Work`, `Mobile`, `Work Address`, ...;
- thunderbird: `Display Name`, `Primary Email`, `Work Phone`, `Mobile Number`, ...;
- smallbiz: our own columns (below), what `export contacts` writes.

In every layout: First/Last (and middle, prefix, suffix) make the name when there is no
full name, and are kept as the structured name; every phone and e-mail is kept with its
label (Google's `a ::: b` cells too); every address with its label; nickname, birthday,
title, department, website. A row without any name is named from its organization (it
is an organization then), else its e-mail, else its phone, and the report says so; a row
with none of these is skipped and reported. Columns smallbiz does not keep are reported
with the number of rows that had a value in them.

smallbiz's columns (names are case-insensitive; spaces and hyphens count as underscores):

  name                 the person's or organization's name (else from the parts below)
  kind                 person (default) or organization
  organization         the organization a person belongs to (made if missing)
  email, phone         one or more, separated by ';' (the first is the main one)
  email_labels, phone_labels   their labels, in the same order, separated by ';'
  street, city, region, postcode, country, address_label   the main address
  addresses            further addresses: JSON, a list of objects with label, street,
                       city, region, postcode, country
  tax_id
  roles                customer, supplier, lead, separated by ';'
  tags                 separated by ';'
  notes
  payment_terms_days   a number of days; empty: the book's default terms
  archived             yes/no (also true/false, 1/0)
  given_name, family_name, middle_name, name_prefix, name_suffix   the structured name
  birthday, title, role, department, website, nickname, uid

Also understood: company/org (organization), e_mail, tel/telephone/mobile (phone),
zip/postal_code (postcode), state (region), vat_id (tax_id), category/categories (tags),
note (notes), terms (payment_terms_days), first_name, last_name. Other columns are
reported and ignored.

Spreadsheets run cells that begin with '=', '+', '-' or '@' as formulas, so the export
writes such cells with a leading apostrophe ("'+995 555 ..."); the import removes it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TextIO

from smallbiz.crm.details import (
    ADDRESS_PARTS,
    PostalAddress,
    clean_birthday,
    derived_name_parts,
    name_from_parts,
    name_parts_for,
)
from smallbiz.crm.importing import (
    ROLES_OF,
    ContactBatch,
    ContactRecord,
    E,
    ExportPage,
)
from smallbiz.crm.service import Channel, ContactData
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.textcheck import visible

COLUMNS = ("name", "kind", "organization", "email", "phone", "street", "city", "postcode",
           "country", "tax_id", "roles", "tags", "notes", "payment_terms_days", "archived",
           "email_labels", "phone_labels", "region", "address_label", "addresses",
           "given_name", "family_name", "middle_name", "name_prefix", "name_suffix",
           "birthday", "title", "role", "department", "website", "nickname", "uid")
REQUIRED = ("name",)
ALIASES = {"company": "organization", "org": "organization", "e_mail": "email",
           "tel": "phone", "telephone": "phone", "mobile": "phone", "zip": "postcode",
           "postal_code": "postcode", "vat_id": "tax_id", "category": "tags",
           "categories": "tags", "note": "notes", "terms": "payment_terms_days",
           "state": "region", "first_name": "given_name", "last_name": "family_name"}
_NAME_COLUMNS = ("given_name", "family_name", "middle_name", "name_prefix", "name_suffix")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(_FORMULA_START)
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}
#: Cell values some exporters write into every row that mean nothing (Outlook).
_EMPTY_VALUES = {"normal", "false", "0/0/00", "0.0.00", "unspecified"}
_EMPTY_LONGEST = max(map(len, _EMPTY_VALUES))  # a longer cell is not one of them
_GOOGLE_NUMBERED = re.compile(
    r"^(e-mail|phone|address|website|organization|im|relation|event|custom field|external id"
    r"|calendar link|location|jot|hobby|user defined field) (\d+) - (.+)$")
_GOOGLE_SPLIT = " ::: "


def _column(header: str) -> str:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _unguard(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


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


# -- the layouts ----------------------------------------------------------------------------

# A slot says where a column goes: ("name",), ("given",), ("email", label), ("phone",
# label), ("addr", key, part) with part street|street2|pobox|extended|city|region|postcode|
# country|formatted|label, ("email#", n, "value"|"label"), ("org",), ("title",), ...

def _addr(label: str, cols: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The columns of one address (its label is its key)."""
    return {h: ("addr", label, part) for h, part in cols.items()}


_OUTLOOK: dict[str, tuple[str, ...]] = {
    "first name": ("given",), "middle name": ("additional",), "last name": ("family",),
    "title": ("prefix",), "suffix": ("suffix",), "nickname": ("nickname",),
    "web page": ("website",), "birthday": ("birthday",), "notes": ("notes",),
    "e-mail address": ("email", ""), "e-mail 2 address": ("email", ""),
    "e-mail 3 address": ("email", ""), "primary phone": ("phone", "main"),
    "home phone": ("phone", "home"), "home phone 2": ("phone", "home"),
    "mobile phone": ("phone", "cell"), "pager": ("phone", "pager"),
    "home fax": ("phone", "home fax"), "company main phone": ("phone", "company"),
    "business phone": ("phone", "work"), "business phone 2": ("phone", "work"),
    "business fax": ("phone", "work fax"), "assistant's phone": ("phone", "assistant"),
    "other phone": ("phone", "other"), "other fax": ("phone", "fax"),
    "callback": ("phone", "callback"), "car phone": ("phone", "car"),
    "isdn": ("phone", "isdn"), "radio phone": ("phone", "radio"),
    "tty/tdd phone": ("phone", "tty"), "telex": ("phone", "telex"),
    "company": ("org",), "job title": ("title",), "department": ("department",),
    "categories": ("tags", ";"),
    **{k: v for kind, label in (("home", "home"), ("business", "work"), ("other", "other"))
       for k, v in _addr(label, {
           f"{kind} street": "street", f"{kind} street 2": "street2",
           f"{kind} street 3": "street3", f"{kind} address po box": "pobox",
           f"{kind} city": "city", f"{kind} state": "region",
           f"{kind} postal code": "postcode", f"{kind} country": "country",
           f"{kind} country/region": "country", f"{kind} address": "formatted"}).items()},
}
_LINKEDIN = {"first name": ("given",), "last name": ("family",), "url": ("website",),
             "email address": ("email", ""), "company": ("org",), "position": ("title",)}
_YAHOO: dict[str, tuple[str, ...]] = {
    "first": ("given",), "middle": ("additional",), "last": ("family",),
    "nickname": ("nickname",), "email": ("email", ""), "alternate email 1": ("email", "other"),
    "alternate email 2": ("email", "other"), "home": ("phone", "home"),
    "work": ("phone", "work"), "pager": ("phone", "pager"), "fax": ("phone", "fax"),
    "mobile": ("phone", "cell"), "other": ("phone", "other"),
    "yahoo phone": ("phone", "yahoo"), "primary": ("phone", "main"),
    "personal website": ("website",), "business website": ("website",),
    "title": ("title",), "company": ("org",), "birthday": ("birthday",),
    "comments": ("notes",), "category": ("tags", ","),
    **_addr("work", {"work address": "street", "work city": "city",
                             "work state": "region", "work zip": "postcode",
                             "work country": "country"}),
    **_addr("home", {"home address": "street", "home city": "city",
                             "home state": "region", "home zip": "postcode",
                             "home country": "country"}),
}
_THUNDERBIRD: dict[str, tuple[str, ...]] = {
    "first name": ("given",), "last name": ("family",), "display name": ("name",),
    "nickname": ("nickname",), "primary email": ("email", ""),
    "secondary email": ("email", ""), "work phone": ("phone", "work"),
    "home phone": ("phone", "home"), "fax number": ("phone", "fax"),
    "pager number": ("phone", "pager"), "mobile number": ("phone", "cell"),
    "job title": ("title",), "department": ("department",), "organization": ("org",),
    "web page 1": ("website",), "web page 2": ("website",), "birth year": ("birth", "y"),
    "birth month": ("birth", "m"), "birth day": ("birth", "d"), "notes": ("notes",),
    **{k: v for kind in ("home", "work") for k, v in _addr(kind, {
        f"{kind} address": "street", f"{kind} address 2": "street2",
        f"{kind} city": "city", f"{kind} state": "region",
        f"{kind} zip/postal code": "postcode", f"{kind} country": "country"}).items()},
}
_GOOGLE_COMMON: dict[str, tuple[str, ...]] = {
    "name prefix": ("prefix",), "name suffix": ("suffix",), "nickname": ("nickname",),
    "birthday": ("birthday",), "notes": ("notes",),
}
_GOOGLE_LEGACY = {**_GOOGLE_COMMON, "name": ("name",), "given name": ("given",),
                  "additional name": ("additional",), "family name": ("family",),
                  "group membership": ("tags", _GOOGLE_SPLIT)}
_GOOGLE = {**_GOOGLE_COMMON, "first name": ("given",), "middle name": ("additional",),
           "last name": ("family",), "labels": ("tags", _GOOGLE_SPLIT),
           "organization name": ("org",), "organization title": ("title",),
           "organization department": ("department",)}
_GOOGLE_PARTS = {"type": "label", "label": "label", "value": "value", "formatted": "formatted",
                 "street": "street", "city": "city", "po box": "pobox", "region": "region",
                 "postal code": "postcode", "country": "country",
                 "extended address": "extended", "name": "name", "title": "title",
                 "department": "department"}

LAYOUTS = ("google-legacy", "google", "outlook", "linkedin", "yahoo", "thunderbird",
           "smallbiz")


def detect_layout(header: list[str]) -> str:
    h = {x.strip().lower() for x in header}
    numbered = any(_GOOGLE_NUMBERED.match(x) for x in h)
    if "given name" in h and "family name" in h:
        return "google-legacy"
    if numbered and ("labels" in h or "first name" in h):
        return "google"
    if "primary email" in h or ("display name" in h and "first name" in h):
        return "thunderbird"
    if "connected on" in h or ("email address" in h and "position" in h):
        return "linkedin"
    if "e-mail address" in h or "business phone" in h or "mobile phone" in h:
        return "outlook"
    if {"first", "last"} <= h or "alternate email 1" in h:
        return "yahoo"
    return "smallbiz"


def _slot(layout: str, header: str) -> tuple[str, ...] | None:
    h = header.strip().lower()
    if layout in ("google", "google-legacy"):
        table = _GOOGLE if layout == "google" else _GOOGLE_LEGACY
        if h in table:
            return table[h]
        m = _GOOGLE_NUMBERED.match(h)
        if m and m.group(1) in ("e-mail", "phone", "address", "website", "organization") \
                and m.group(3) in _GOOGLE_PARTS:
            return ("g", m.group(1), m.group(2), _GOOGLE_PARTS[m.group(3)])
        return None
    table = {"outlook": _OUTLOOK, "linkedin": _LINKEDIN, "yahoo": _YAHOO,
             "thunderbird": _THUNDERBIRD}[layout]
    return table.get(h)


# -- reading --------------------------------------------------------------------------------

def _sniff(line: str) -> str:
    counts = {sep: 0 for sep in (",", ";", "\t")}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > counts[","] else ","


def _skip_preamble(content: str) -> tuple[str, int]:
    """LinkedIn writes "Notes:" and a paragraph above the header: skip to the header."""
    if not content.lstrip().lower().startswith("notes:"):
        return content, 0
    lines = content.splitlines(keepends=True)
    for i, line in enumerate(lines[:20]):
        if line.lower().startswith(("first name", '"first name"')):
            return "".join(lines[i:]), i
    return content, 0


def read(content: str, *, source: str = "CSV") -> ContactBatch:
    """The records of a CSV text with the report of what is not kept. A missing or
    broken header raises ValidationError (the file cannot be read at all)."""
    content, skipped = _skip_preamble(content)
    first_line = content.split("\n", 1)[0]
    sep = _sniff(first_line)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sep, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationError(_("{file}: line {n}: {reason}").format(
            file=source, n=skipped + 1, reason=exc)) from None
    if not header or not any(h.strip() for h in header):
        raise ValidationError(_("{file}: line 1: no header row (columns: {cols})").format(
            file=source, cols=", ".join(COLUMNS)))
    layout = detect_layout(header)
    if layout == "smallbiz":
        slots, ignored = _own_slots(header, source)
    else:
        slots = [_slot(layout, h) for h in header]
        ignored = [visible(h.strip()) for h, s in zip(header, slots, strict=True)
                   if s is None and h.strip()]
    not_kept: Counter[str] = Counter()
    notes: list[str] = []
    if layout != "smallbiz":
        notes.append(_("{file}: read as a {layout} CSV (separator '{sep}')").format(
            file=source, layout=layout, sep=sep if sep != "\t" else "tab"))
    named: Counter[str] = Counter()
    records: list[ContactRecord] = []
    last_line = 1 + skipped
    line_at = _("line {n}")
    unused = [i for i, s in enumerate(slots) if s is None]  # the columns not read
    used = [(i, s) for i, s in enumerate(slots) if s is not None]  # in column order
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise ValidationError(_("{file}: line {line}: {reason}").format(
                file=source, line=last_line + 1, reason=exc)) from None
        if row is None:
            break
        where = line_at.format(n=last_line + 1)
        last_line = reader.line_num + skipped
        if not "".join(row).strip():  # no cell with more than spaces
            continue
        if len(row) > len(slots):
            records.append(ContactRecord(where, None, _("{n} cells, but the header has {m}")
                                         .format(n=len(row), m=len(slots))))
            continue
        for i in unused:
            cell = row[i].strip() if i < len(row) else ""
            if cell and (len(cell) > _EMPTY_LONGEST or cell.lower() not in _EMPTY_VALUES):
                not_kept[_("column '{name}'").format(name=visible(header[i].strip()))] += 1
        try:
            if layout == "smallbiz":
                data = _own_record({s[0]: _unguard(c) for s, c in zip(slots, row,
                                                                     strict=False) if s})
            else:
                data = _layout_record(used, row, not_kept)
        except ValidationError as exc:
            records.append(ContactRecord(where, None, exc.message))
            continue
        if not data.name.strip():
            data, how = _name_it(data)
            if how is None:
                notes.append(_("{where}: skipped: no name, organization, e-mail or phone")
                             .format(where=where))
                continue
            named[how] += 1
            notes.append(_("{where}: no name; named from its {what}: {name}").format(
                where=where, what=how, name=data.name))
        records.append(ContactRecord(where, data))
    return ContactBatch(source, records, tuple(ignored), tuple(sorted(not_kept.items())),
                        (), tuple(notes))


def parse(content: str, *, source: str = "CSV") -> tuple[list[ContactRecord], list[str]]:
    batch = read(content, source=source)
    return batch.records, list(batch.ignored_columns)


def _name_it(data: ContactData) -> tuple[ContactData, str | None]:
    """A record without a name named from its organization, e-mail or phone."""
    if data.organization:
        return replace(data, name=data.organization, kind="organization",
                       organization=None), _("organization")
    if data.emails:
        return replace(data, name=data.emails[0].value), _("e-mail")
    if data.phones:
        return replace(data, name=data.phones[0].value), _("phone")
    return data, None


def _own_slots(header: list[str], source: str) -> tuple[list[tuple[str, ...] | None],
                                                        list[str]]:
    slots: list[tuple[str, ...] | None] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for h in header:
        col = _column(h)
        if col not in COLUMNS:
            slots.append(None)
            if h.strip():
                ignored.append(visible(h.strip()))  # shown in a warning
            continue
        if col in seen:
            raise ValidationError(_("{file}: line 1: columns '{a}' and '{b}' both mean {col}")
                                  .format(file=source, a=seen[col], b=h.strip(), col=col))
        seen[col] = h.strip()
        slots.append((col,))
    if not any(c in seen for c in ("name", "given_name", "family_name")):
        raise ValidationError(_("{file}: line 1: required column 'name' is missing (the "
                                "header has: {cols})").format(
            file=source, cols=", ".join(h.strip() for h in header)))
    return slots, ignored


def _labels(cell: str, n: int) -> list[str]:
    labels = [x.strip() for x in cell.split(";")] if cell.strip() else []
    return (labels + [""] * n)[:n]


def _own_record(cells: dict[str, str]) -> ContactData:
    get = cells.get
    terms = (get("payment_terms_days") or "").strip()
    emails = _split(get("email", ""))
    phones = [p for p in (x.strip() for x in get("phone", "").split(";")) if p]
    addresses: list[PostalAddress] = []
    if (get("addresses") or "").strip():
        try:
            items = json.loads(get("addresses", ""))
            addresses = [PostalAddress(**{k: str(a.get(k, "")) for k in
                                          ("label", *ADDRESS_PARTS)}) for a in items]
        except (ValueError, TypeError, AttributeError):
            raise ValidationError(_("addresses: not a JSON list of addresses"),
                                  field="addresses") from None
    parts = tuple(get(c, "") for c in ("family_name", "given_name", "middle_name",
                                       "name_prefix", "name_suffix"))
    return ContactData(
        name=get("name", "") or name_from_parts(parts),
        kind=(get("kind") or "person").strip() or "person",
        organization=get("organization") or None,
        roles=frozenset(r.lower() for r in _split(get("roles", ""))),
        emails=tuple(Channel(e, lb) for e, lb in zip(
            emails, _labels(get("email_labels", ""), len(emails)), strict=True)),
        phones=tuple(Channel(p, lb) for p, lb in zip(
            phones, _labels(get("phone_labels", ""), len(phones)), strict=True)),
        street=get("street", ""), city=get("city", ""), postcode=get("postcode", ""),
        country=get("country", ""), tax_id=get("tax_id", ""), notes=get("notes", ""),
        payment_terms_days=terms or None,  # type: ignore[arg-type]  (validated later)
        tags=tuple(_split(get("tags", ""))),
        archived=_flag(get("archived", ""), "archived"),
        region=get("region", ""), address_label=get("address_label", ""),
        addresses=tuple(addresses), name_parts=parts, birthday=get("birthday", ""),
        title=get("title", ""), role=get("role", ""), department=get("department", ""),
        website=get("website", ""), nickname=get("nickname", ""), uid=get("uid", ""))


def _google_label(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).lower()


def _layout_record(used: list[tuple[int, tuple[str, ...]]], row: list[str],
                   not_kept: Counter[str]) -> ContactData:
    """A row of a known layout; `used`: (column, slot) of the columns read, in order."""
    v: dict[str, str] = {}
    emails: list[Channel] = []
    phones: list[Channel] = []
    tags: list[str] = []
    addrs: dict[str, dict[str, str]] = {}
    google: dict[tuple[str, str], dict[str, str]] = {}
    birth: dict[str, str] = {}
    websites: list[str] = []
    cells = len(row)
    for i, slot in used:
        if i >= cells:
            break
        cell = row[i].strip()
        if not cell or (len(cell) <= _EMPTY_LONGEST and cell.lower() in _EMPTY_VALUES):
            continue
        kind = slot[0]
        if kind in ("email", "phone"):
            for value in cell.split(_GOOGLE_SPLIT):
                (emails if kind == "email" else phones).append(Channel(value.strip(), slot[1]))
        elif kind == "addr":
            addrs.setdefault(slot[1], {})[slot[2]] = cell
        elif kind == "g":
            google.setdefault((slot[1], slot[2]), {})[slot[3]] = cell
        elif kind == "tags":
            tags.extend(t for t in (" ".join(x.replace("*", " ").split())
                                    for x in cell.split(slot[1])) if t)
        elif kind == "birth":
            birth[slot[1]] = cell
        elif kind == "website":
            websites.append(cell)
        elif kind in v:
            not_kept[_("a second {what}").format(what=kind)] += 1
        else:
            v[kind] = cell
    address_list: list[PostalAddress] = []
    for key, parts in addrs.items():
        address_list.append(_address(parts, key))
    for (what, _n), parts in google.items():
        label = _google_label(parts.get("label", ""))
        values = parts.get("value", "")
        if what in ("e-mail", "phone"):
            for value in values.split(_GOOGLE_SPLIT) if values else ():
                (emails if what == "e-mail" else phones).append(Channel(value.strip(), label))
        elif what == "address":
            address_list.append(_address(parts, label))
        elif what == "website":
            websites.extend(x.strip() for x in values.split(_GOOGLE_SPLIT) if x.strip())
        elif what == "organization":
            for key, field in (("name", "org"), ("title", "title"),
                               ("department", "department")):
                if parts.get(key):
                    if field in v:
                        not_kept[_("a second organization")] += 1
                        break
                    v[field] = parts[key]
    address_list = [a for a in address_list if not a.empty()]
    main = address_list[0] if address_list else PostalAddress()
    if len(websites) > 1:
        not_kept[_("a second website")] += len(websites) - 1
    birthday = v.get("birthday", "")
    if birth.get("y") or birth.get("m"):
        birthday = (f"{birth.get('y', '-')}-{int(birth.get('m') or 0):02d}-"
                    f"{int(birth.get('d') or 0):02d}" if birth.get("y")
                    else f"--{int(birth.get('m') or 0):02d}-{int(birth.get('d') or 0):02d}")
    parts_n = (v.get("family", ""), v.get("given", ""), v.get("additional", ""),
               v.get("prefix", ""), v.get("suffix", ""))
    return ContactData.of({
        "name": v.get("name", "") or name_from_parts(parts_n), "organization": v.get("org"),
        "emails": tuple(emails), "phones": tuple(phones), "street": main.street,
        "city": main.city, "region": main.region, "postcode": main.postcode,
        "country": main.country, "address_label": main.label,
        "addresses": tuple(address_list[1:]), "notes": v.get("notes", ""),
        "tags": tuple(dict.fromkeys(tags)), "name_parts": parts_n,
        "birthday": clean_birthday(birthday), "title": v.get("title", ""),
        "department": v.get("department", ""), "website": websites[0] if websites else "",
        "nickname": v.get("nickname", "")})


def _address(parts: dict[str, str], label: str) -> PostalAddress:
    street = ", ".join(x for x in (parts.get("pobox", ""), parts.get("extended", ""),
                                   parts.get("street", ""), parts.get("street2", ""),
                                   parts.get("street3", "")) if x.strip())
    has_parts = any(parts.get(p) for p in ("street", "street2", "city", "region", "postcode",
                                           "country", "pobox"))
    if not has_parts and parts.get("formatted"):
        street = ", ".join(x.strip() for x in parts["formatted"].splitlines() if x.strip())
    return PostalAddress(label, " ".join(street.split()), parts.get("city", ""),
                         parts.get("region", ""), parts.get("postcode", ""),
                         parts.get("country", ""))


# -- writing --------------------------------------------------------------------------------

def _guarded(cells: Iterable[str]) -> list[str]:
    """Cells a spreadsheet would run as formulas, written with a leading apostrophe."""
    return [("'" + v if v[:1] in _FORMULA_CHARS else v) for v in cells]


def _cells(c: ContactData) -> list[str]:
    """A contact's row: the general form, from `ContactData`."""
    parts = name_parts_for(c.name, c.name_parts) if c.kind == "person" else c.name_parts
    family, given, middle, prefix, suffix = (tuple(parts) + ("",) * 5)[:5]
    labels = [e.label for e in c.emails], [p.label for p in c.phones]
    addresses = json.dumps([{k: getattr(a, k) for k in ("label", *ADDRESS_PARTS)}
                            for a in c.addresses], ensure_ascii=False) \
        if c.addresses else ""
    return _guarded((
        c.name, c.kind, c.organization or "", "; ".join(e.value for e in c.emails),
        "; ".join(p.value for p in c.phones), c.street, c.city, c.postcode, c.country,
        c.tax_id, "; ".join(sorted(c.roles)), "; ".join(c.tags), c.notes,
        "" if c.payment_terms_days is None else str(c.payment_terms_days),
        "yes" if c.archived else "no",
        "; ".join(labels[0]) if any(labels[0]) else "",
        "; ".join(labels[1]) if any(labels[1]) else "",
        c.region, c.address_label, addresses, given, family, middle, prefix, suffix,
        c.birthday, c.title, c.role, c.department, c.website, c.nickname, c.uid))


#: The roles column by a contact's (is_customer, is_supplier, is_lead) flags.
_ROLES_CELL = {flags: "; ".join(sorted(roles)) for flags, roles in ROLES_OF.items()}


def _fast_cells(page: ExportPage, r: Any) -> list[str]:
    """The row of a contact without further addresses, straight from the export's row
    (what `_cells` writes for it; tests/crm/test_export_identical.py)."""
    emails, phones = page.emails(r), page.phones(r)
    name, kind, stored = r[E.NAME], r[E.KIND], r[E.NAME_PARTS]
    parts = tuple(json.loads(stored)) if stored else ()
    if kind == "person" and not parts:
        parts = derived_name_parts(name)
    family, given, middle, prefix, suffix = (parts + ("",) * 5)[:5]
    email_labels = [lb for _v, lb in emails]
    phone_labels = [lb for _v, lb in phones]
    terms = r[E.TERMS]
    return _guarded((
        name, kind, r[E.ORG] or "", "; ".join([v for v, _lb in emails]),
        "; ".join([v for v, _lb in phones]), r[E.STREET], r[E.CITY], r[E.POSTCODE],
        r[E.COUNTRY], r[E.TAX_ID],
        _ROLES_CELL[bool(r[E.CUSTOMER]), bool(r[E.SUPPLIER]), bool(r[E.LEAD])],
        "; ".join(page.tags.get(r[E.ID], ())), r[E.NOTES],
        "" if terms is None else str(terms), "yes" if r[E.ARCHIVED] else "no",
        "; ".join(email_labels) if any(email_labels) else "",
        "; ".join(phone_labels) if any(phone_labels) else "",
        r[E.REGION], r[E.ADDRESS_LABEL], "", given, family, middle, prefix, suffix,
        r[E.BIRTHDAY], r[E.TITLE], r[E.ROLE], r[E.DEPARTMENT], r[E.WEBSITE], r[E.NICKNAME],
        r[E.UID]))


def write(contacts: Iterable[ContactData], out: TextIO) -> int:
    """Write contacts with smallbiz's columns; returns how many were written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for c in contacts:
        writer.writerow(_cells(c))
        count += 1
    return count


def write_pages(pages: Iterable[ExportPage], out: TextIO) -> int:
    """`write` of the export's pages: the usual contact straight from its row, one with
    further addresses through `ContactData`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for page in pages:
        addresses = page.addresses
        writer.writerows([_cells(page.data(r)) if r[E.ID] in addresses
                          else _fast_cells(page, r) for r in page.rows])
        count += len(page.rows)
    return count
