"""The details of a contact that address books carry beyond smallbiz's own fields.

The structured name (vCard N: family, given, additional, prefix, suffix), the main
address's region and label, further postal addresses (`contact_address`), birthday
(ISO `YYYY-MM-DD`, or `--MM-DD` without a year), title, role, department (ORG's units),
website, nickname, the card's UID (a re-import finds its contact by it), and the card
properties smallbiz does not use (PHOTO, IM handles, ...), kept verbatim so that a vCard
export writes them back (`vcard_extra`, one unfolded property a line).

The structured name is stored only when it says more than the name: a name of exactly
two words gives N (family = the second) by itself, so N:Beridze;Gela for "Gela Beridze"
is not stored and an export writes it back all the same (`name_parts_for`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from smallbiz.errors import ValidationError
from smallbiz.i18n import _, input_language
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

#: The text columns on `contact` this module keeps (migration 0010).
COLUMNS = ("name_parts", "region", "address_label", "birthday", "title", "role", "department",
           "website", "nickname", "uid", "vcard_extra")
#: The plain text ones (the others: name_parts, vcard_extra, addresses).
TEXT = ("region", "address_label", "birthday", "title", "role", "department", "website",
        "nickname", "uid")
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_CHUNK = 500
_NO_DETAILS: dict[str, Any] = {**{n: "" for n in TEXT}, "name_parts": (), "addresses": (),
                               "vcard_extra": ()}
_NO_VALUES = ("",) * len(COLUMNS)


@dataclass(frozen=True)
class PostalAddress:
    """A postal address with its label (home, work, ...)."""

    label: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""

    def empty(self) -> bool:
        return not any((self.street, self.city, self.region, self.postcode, self.country))


ADDRESS_PARTS = ("street", "city", "region", "postcode", "country")


def derived_name_parts(name: str) -> tuple[str, ...]:
    """N from the name where that is certain: exactly two words of letters (given, then
    family); else ()."""
    words = name.split()
    if len(words) == 2 and all(_WORD.match(w) for w in words):
        return (words[1], words[0], "", "", "")
    return ()


def stored_name_parts(name: str, parts: Sequence[str]) -> tuple[str, ...]:
    """What to store of a structured name: () when it is empty or what the name gives."""
    clean = tuple(" ".join(p.split()) for p in parts) + ("",) * (5 - len(parts))
    clean = clean[:5]
    if not any(clean) or clean == derived_name_parts(name):
        return ()
    return clean


def name_parts_for(name: str, stored: Sequence[str]) -> tuple[str, ...]:
    """The structured name to write: the stored parts, else the certain derivation, else
    () (not known)."""
    return tuple(stored) if stored else derived_name_parts(name)


def name_from_parts(parts: Sequence[str]) -> str:
    """A display name from N's parts: prefix given additional family suffix."""
    family, given, additional, prefix, suffix = (tuple(parts) + ("",) * 5)[:5]
    return " ".join(" ".join((prefix, given, additional, family, suffix)).split())


def clean_birthday(value: str) -> str:
    """ISO `YYYY-MM-DD` (from `YYYYMMDD`, a timestamp, or the Georgian `DD.MM.YYYY` when
    dates are read in Georgian: `i18n.input_language`) or `--MM-DD`; else as written."""
    text = value.strip()
    if not text:
        return text
    if "." in text and input_language() == "ka":
        from smallbiz.dates import parse_day_first

        day = parse_day_first(text)
        if day is not None:
            return day.isoformat()
    if m := _DATE.match(text):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if m := _NO_YEAR.match(text):
        return f"--{m.group(1)}-{m.group(2)}"
    return text


def _text(value: str, what: str) -> str:
    if not value:
        return ""
    if not value.isprintable():  # the usual value has no control character to look for
        refuse_control(value, what)
    return " ".join(value.split())


def clean_details(data: Any, name: str) -> dict[str, Any]:
    """The details of a `ContactData` named `name` (cleaned), cleaned (as
    `validate_contact` returns them)."""
    if not (data.name_parts or data.addresses or data.vcard_extra
            or any(getattr(data, n) for n in TEXT)):
        return dict(_NO_DETAILS)
    values: dict[str, Any] = {n: _text(getattr(data, n), n) for n in TEXT}
    values["address_label"] = values["address_label"].lower()
    values["birthday"] = clean_birthday(values["birthday"])
    values["name_parts"] = stored_name_parts(name, data.name_parts)
    addresses = []
    for a in data.addresses:
        clean = PostalAddress(_text(a.label, "address label").lower(),
                              *(_text(getattr(a, p), p) for p in ADDRESS_PARTS))
        if not clean.empty():
            addresses.append(clean)
    values["addresses"] = tuple(addresses)
    extra = []
    for line in data.vcard_extra:
        if "\r" in line or "\n" in line:
            raise ValidationError(_("a card property kept for export spans lines"))
        extra.append(line)
    values["vcard_extra"] = tuple(extra)
    return values


def columns_of(data: Any) -> dict[str, Any]:
    """The stored form of a contact's details (the `contact` columns)."""
    row = {n: getattr(data, n) for n in TEXT}
    row["name_parts"] = json.dumps(list(data.name_parts), ensure_ascii=False) \
        if data.name_parts else ""
    row["vcard_extra"] = "\n".join(data.vcard_extra)
    return row


def from_columns(row: Sequence[Any]) -> dict[str, Any]:
    """`ContactData` keyword arguments from the columns in `COLUMNS` order."""
    values = dict(zip(COLUMNS, row, strict=True))
    if not values["name_parts"] and not values["vcard_extra"]:  # the usual contact
        values["name_parts"] = values["vcard_extra"] = ()
        return values
    values["name_parts"] = tuple(json.loads(values["name_parts"])) if values["name_parts"] \
        else ()
    values["vcard_extra"] = tuple(values["vcard_extra"].split("\n")) if values["vcard_extra"] \
        else ()
    return values


def values_of(data: Any) -> tuple[Any, ...]:
    """The stored form of a contact's details in `COLUMNS` order (for bulk inserts)."""
    if not (data.name_parts or data.vcard_extra or any(getattr(data, n) for n in TEXT)):
        return _NO_VALUES
    row = columns_of(data)
    return tuple(row[n] for n in COLUMNS)


def address_tuples(contact_id: int, addresses: Iterable[PostalAddress]
                   ) -> list[tuple[Any, ...]]:
    """Rows for `ADDRESS_INSERT`."""
    return [(contact_id, i, a.label, a.street, a.city, a.region, a.postcode, a.country)
            for i, a in enumerate(addresses, start=1)]


ADDRESS_INSERT = ("INSERT INTO contact_address (contact_id, position, label, street, city, "
                  "region, postcode, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


#: SQL of the detail columns of `contact` aliased `c`, in `COLUMNS` order.
SELECT = ", ".join(f"c.{n}" for n in COLUMNS)


def address_rows(contact_id: int, addresses: Iterable[PostalAddress]) -> list[dict[str, Any]]:
    return [{"contact_id": contact_id, "position": i, "label": a.label,
             **{p: getattr(a, p) for p in ADDRESS_PARTS}}
            for i, a in enumerate(addresses, start=1)]


def add_addresses(s: Tx, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        s.insert_many("contact_address", list(rows))


def addresses_of(s: Tx, ids: Sequence[int]) -> dict[int, list[PostalAddress]]:
    """The further addresses per contact id, in order."""
    out: dict[int, list[PostalAddress]] = {}
    for i in range(0, len(ids), _CHUNK):
        addresses_in(s, ":v", {"v": list(ids[i:i + _CHUNK])}, out)
    return out


def addresses_in(s: Tx, ids_sql: str, params: dict[str, Any],
                 out: dict[int, list[PostalAddress]] | None = None
                 ) -> dict[int, list[PostalAddress]]:
    """The further addresses, in order, of the contacts whose ids `ids_sql` lists (a
    list parameter or a subquery; added to `out`)."""
    out = {} if out is None else out
    for cid, label, *parts in s.execute(
            "SELECT contact_id, label, street, city, region, postcode, country "
            f"FROM contact_address WHERE contact_id IN ({ids_sql}) "
            "ORDER BY contact_id, position, id", params):
        out.setdefault(cid, []).append(PostalAddress(label, *parts))
    return out


def merge_details(s: Tx, contact_id: int, data: Any) -> None:
    """Fill in the details of an existing contact from a merged record: empty ones take
    the new value, further addresses and kept card properties not yet there are added."""
    row = s.row("SELECT " + ", ".join(COLUMNS) + " FROM contact WHERE id = :i",
                {"i": contact_id})
    if row is None:
        return
    old = from_columns(tuple(row))
    new = columns_of(data)
    changes = {n: new[n] for n in TEXT if new[n] and not old[n]}
    if data.name_parts and not old["name_parts"]:
        changes["name_parts"] = new["name_parts"]
    fresh = [line for line in data.vcard_extra if line not in old["vcard_extra"]]
    if fresh:
        changes["vcard_extra"] = "\n".join(old["vcard_extra"] + tuple(fresh))
    s.update("contact", contact_id, changes)
    known = addresses_of(s, [contact_id]).get(contact_id, [])
    more = [a for a in data.addresses if a not in known]
    if more:
        add_addresses(s, [dict(r, position=r["position"] + len(known))
                          for r in address_rows(contact_id, more)])


def delete_addresses(s: Tx, contact_id: int) -> None:
    s.execute("DELETE FROM contact_address WHERE contact_id = :i", {"i": contact_id})
