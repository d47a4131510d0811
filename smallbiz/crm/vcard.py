"""Contacts as vCard (RFC 2426 3.0 and RFC 6350 4.0), read and written with vobject.

Read: FN (else N, else ORG) → name; KIND:org (4.0) or X-ABShowAs:COMPANY (3.0, Apple) →
an organization; ORG → a person's organization; every EMAIL and TEL with its TYPE
(preferred first; Apple's itemN.X-ABLabel too); the first (preferred) ADR; CATEGORIES →
tags; NOTE → notes; smallbiz's own X-SMALLBIZ-ROLES, -TAX-ID, -PAYMENT-TERMS, -ARCHIVED.
Other properties (PHOTO, BDAY, ...) are ignored (dropped unparsed). vCard 2.1 is refused.
A property read may be at most MAX_FIELD characters (as a CSV cell), a card's properties
read at most MAX_CARD; the file itself at most `crm.importing.MAX_FILE_BYTES`.

Write: one card per contact in the version asked for (4.0 by default, or 3.0), UTF-8,
lines folded at 75 octets by vobject, CRLF line ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

import vobject
from vobject.vcard import Address, Name

from smallbiz.crm.importing import MAX_FIELD, ContactRecord
from smallbiz.crm.service import Channel, ContactData
from smallbiz.errors import ValidationError
from smallbiz.i18n import _

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_VERSION = re.compile(r"^VERSION:\s*(\S+)", re.IGNORECASE)
_NOT_LABELS = {"internet", "pref", "voice", "x400", "text"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
#: The properties read (an optional group such as `item1.` first).
_KEPT = re.compile(r"(?:[A-Za-z0-9-]+\.)?(?:VERSION|FN|N|ORG|KIND|X-ABSHOWAS|X-ABLABEL|ADR|"
                   r"NOTE|CATEGORIES|EMAIL|TEL|X-SMALLBIZ-[A-Za-z0-9-]+)[;:]", re.IGNORECASE)
#: The most text read of one card, in characters (its properties read; each at most
#: MAX_FIELD, unfolded).
MAX_CARD = 1024 * 1024


def split_cards(content: str) -> list[tuple[int, int, str, str | None]]:
    """(card number, first line, text, error) of each BEGIN:VCARD ... END:VCARD block.

    A property read (see the module docstring) longer than MAX_FIELD characters (unfolded),
    or a card whose text passes MAX_CARD, makes the card an error, its text not kept: a
    huge NOTE costs neither time nor memory. A property not read (PHOTO, ...) that long is
    dropped unparsed.
    """
    cards: list[tuple[int, int, str, str | None]] = []
    current: list[str] | None = None
    prop: list[str] = []  # the lines of the property being read (folded lines after it)
    start = prop_line = 0
    size = field = 0
    error: str | None = None

    def flush() -> None:
        nonlocal error, size
        if error is None and prop:
            if field > MAX_FIELD:
                if _KEPT.match(prop[0]) is not None:
                    error = _("line {n}: a property longer than {k} characters").format(
                        n=prop_line, k=MAX_FIELD)
            else:
                size += field
                if size > MAX_CARD:
                    error = _("line {n}: the card is longer than {k} characters").format(
                        n=prop_line, k=MAX_CARD)
                else:
                    assert current is not None
                    current.extend(prop)
        prop.clear()

    for n, line in enumerate(content.splitlines(), start=1):
        if current is None:
            if _BEGIN.match(line):
                current, start, size, error = [line], n, len(line), None
            elif line.strip():
                raise ValidationError(_("line {n}: text outside a card (expected "
                                        "BEGIN:VCARD)").format(n=n))
            continue
        if _BEGIN.match(line):
            raise ValidationError(_("card {c} (line {n}): no END:VCARD before the next card")
                                  .format(c=len(cards) + 1, n=start))
        if line[:1] in (" ", "\t") and prop:  # a folded line goes on its property
            field += len(line) - 1
            if field <= MAX_FIELD:
                prop.append(line)
            continue
        flush()
        if _END.match(line):
            current.append(line)
            cards.append((len(cards) + 1, start,
                          "" if error else "\r\n".join(current) + "\r\n", error))
            current = None
            continue
        prop.append(line)
        prop_line, field = n, len(line)
    if current is not None:
        raise ValidationError(_("card {c} (line {n}): no END:VCARD (the file ends inside the "
                                "card)").format(c=len(cards) + 1, n=start))
    return cards


def parse(content: str, *, source: str = "vCard") -> list[ContactRecord]:
    """The records of a vCard file. A card that cannot be parsed becomes a record with
    its error (`card N (line L): ...`); a file with no card structure at all raises."""
    try:
        cards = split_cards(content)
    except ValidationError as exc:
        raise ValidationError(f"{source}: {exc.message}") from None
    if not cards:
        raise ValidationError(_("{file}: no vCard found (BEGIN:VCARD ... END:VCARD)").format(
            file=source))
    records = []
    for number, line, card_text, error in cards:
        where = _("card {c} (line {n})").format(c=number, n=line)
        if error is not None:
            records.append(ContactRecord(where, None, error))
            continue
        try:
            records.append(ContactRecord(where, _card(card_text)))
        except ValidationError as exc:
            records.append(ContactRecord(where, None, exc.message))
    return records


def _card(card_text: str) -> ContactData:
    version = next((m.group(1) for ln in card_text.splitlines()
                    if (m := _VERSION.match(ln))), "3.0")
    if version not in ("3.0", "4.0"):
        raise ValidationError(_("vCard {v} is not supported (3.0 and 4.0 are)").format(
            v=version))
    try:
        card = vobject.readOne(card_text, ignoreUnreadable=False)
    except Exception as exc:  # vobject raises ParseError and friends on broken input
        reason = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
        raise ValidationError(_("broken card: {reason}").format(reason=reason)) from None
    props: dict[str, list[Any]] = card.contents
    labels = {p.group.lower(): _apple_label(str(p.value)) for p in props.get("x-ablabel", [])
              if p.group}

    def first(name: str) -> Any:
        values = props.get(name, [])
        return values[0].value if values else None

    org_value = first("org")
    org_name = _org_name(org_value)
    kind = "person"
    kind_prop = str(first("kind") or "").strip().lower()
    show_as = str(first("x-abshowas") or "").strip().upper()
    if kind_prop in ("org", "organization") or show_as == "COMPANY":
        kind = "organization"
    name = " ".join(str(first("fn") or "").split()) or _name_from_n(first("n"))
    if not name and org_name:
        name, kind = org_name, "organization"
    if not name:
        raise ValidationError(_("no name (FN, N or ORG)"), field="name")
    adr = _preferred(props.get("adr", []))
    address = adr.value if adr is not None else None
    notes = "\n".join(str(p.value).strip() for p in props.get("note", []) if str(p.value).strip())
    tags: list[str] = []
    for p in props.get("categories", []):
        values = p.value if isinstance(p.value, list) else str(p.value).split(",")
        tags.extend(v.strip() for v in values if v.strip())
    roles = {r.strip().lower() for p in props.get("x-smallbiz-roles", [])
             for r in str(p.value).replace(";", ",").split(",") if r.strip()}
    archived = str(first("x-smallbiz-archived") or "").strip().lower() in ("yes", "true", "1")
    return ContactData(
        name=name, kind=kind,
        organization=org_name if kind == "person" and org_name else None,
        roles=frozenset(roles), emails=_channels(props.get("email", []), labels),
        phones=_channels(props.get("tel", []), labels),
        street=_part(address, "street", "extended"), city=_part(address, "city"),
        postcode=_part(address, "code"), country=_part(address, "country"),
        tax_id=str(first("x-smallbiz-tax-id") or "").strip(), notes=notes,
        payment_terms_days=(str(first("x-smallbiz-payment-terms") or "").strip()
                            or None),  # type: ignore[arg-type]  (validated later)
        tags=tuple(tags), archived=archived)


def _apple_label(value: str) -> str:
    m = _APPLE_LABEL.match(value.strip())
    return (m.group(1) if m else value).strip().lower()


def _org_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").split())


def _name_from_n(n: Any) -> str:
    if not isinstance(n, Name):
        return ""
    parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
    flat = [" ".join(p) if isinstance(p, list) else str(p or "") for p in parts]
    return " ".join(" ".join(flat).split())


def _part(address: Address | None, *names: str) -> str:
    if address is None:
        return ""
    values = []
    for name in names:
        value = getattr(address, name, "")
        values.append(", ".join(value) if isinstance(value, list) else str(value or ""))
    return ", ".join(" ".join(v.split()) for v in values if v.strip())


def _is_preferred(prop: Any) -> bool:
    types = {t.lower() for t in prop.params.get("TYPE", [])}
    return "pref" in types or bool(prop.params.get("PREF"))


def _preferred(props: list[Any]) -> Any:
    for p in props:
        if _is_preferred(p):
            return p
    return props[0] if props else None


def _channels(props: list[Any], labels: dict[str, str]) -> tuple[Channel, ...]:
    ordered = sorted(props, key=lambda p: not _is_preferred(p))  # stable: preferred first
    out = []
    for p in ordered:
        value = str(p.value).strip()
        if not value:
            continue
        types = [t.lower() for tp in p.params.get("TYPE", []) for t in tp.split(",")]
        label = next((t for t in types if t not in _NOT_LABELS), "")
        if p.group and p.group.lower() in labels:
            label = labels[p.group.lower()]
        out.append(Channel(value, label))
    return tuple(out)


# -- writing -------------------------------------------------------------------------------

def _split_name(name: str) -> Name:
    parts = name.rsplit(" ", 1)
    if len(parts) == 2:
        return Name(family=parts[1], given=parts[0])
    return Name(family=name)


def to_vcard(c: ContactData, *, version: str = "4.0") -> Any:
    """One contact as a vobject vCard component."""
    v3 = version == "3.0"
    card = vobject.vCard()
    card.add("version").value = version
    card.add("fn").value = c.name
    org = c.name if c.kind == "organization" else c.organization
    if c.kind == "organization":
        if v3:
            card.add("n").value = Name()
            card.add("x-abshowas").value = "COMPANY"
        else:
            card.add("kind").value = "org"
    else:
        card.add("n").value = _split_name(c.name)
    if org:
        card.add("org").value = [org]
    for kind, channels in (("email", c.emails), ("tel", c.phones)):
        for i, ch in enumerate(channels):
            prop = card.add(kind)
            prop.value = ch.value
            types = [ch.label] if ch.label else []
            if v3:
                if kind == "email":
                    types.insert(0, "INTERNET")
                if i == 0 and len(channels) > 1:
                    types.append("pref")
                types = [t.upper() for t in types]
            elif i == 0 and len(channels) > 1:
                prop.params["PREF"] = ["1"]
            if types:
                prop.params["TYPE"] = types
    if any((c.street, c.city, c.postcode, c.country)):
        card.add("adr").value = Address(street=c.street, city=c.city, code=c.postcode,
                                        country=c.country)
    if c.tags:
        card.add("categories").value = list(c.tags)
    if c.notes:
        card.add("note").value = c.notes
    if c.roles:
        card.add("x-smallbiz-roles").value = ",".join(sorted(c.roles))
    if c.tax_id:
        card.add("x-smallbiz-tax-id").value = c.tax_id
    if c.payment_terms_days is not None:
        card.add("x-smallbiz-payment-terms").value = str(c.payment_terms_days)
    if c.archived:
        card.add("x-smallbiz-archived").value = "yes"
    return card


def write(contacts: Iterable[ContactData], out: TextIO, *, version: str = "4.0") -> int:
    """Write one card per contact; returns how many were written."""
    count = 0
    for c in contacts:
        out.write(to_vcard(c, version=version).serialize())
        count += 1
    return count
