"""Contacts: add, edit, archive, delete; resolve what a user types; tags and channels.

Every function takes the caller's session (one business operation, one transaction),
validates first, then writes, records an audit row and keeps the search index in step.
The contact 360 view lives in `smallbiz.crm.view`; interactions and deals in their own
modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from smallbiz import audit
from smallbiz.crm.common import quick_init
from smallbiz.crm.details import (
    PostalAddress,
    add_addresses,
    address_rows,
    clean_details,
    columns_of,
    merge_details,
)
from smallbiz.crm.search import (
    _TOP,
    KINDS,
    ROLES,
    find_ids,
    name_key,
    parse_kind,
    parse_role,
    reindex,
    unindex,
)
from smallbiz.dates import now
from smallbiz.errors import NotFound, RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.refs import as_id, choose
from smallbiz.sql import Row, Tx
from smallbiz.taxid import clean_tax_id
from smallbiz.textcheck import refuse_control

__all__ = ["KINDS", "ROLES", "Channel", "ContactData", "ContactRef", "AddResult",
           "resolve_contact",
           "create_contact", "add_contact", "edit_contact", "set_archived", "delete_contact",
           "find_duplicate", "validate_contact"]

_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s,;<>()\[\]\"]+$")
_PHONE = re.compile(r"^[0-9+()\-./ #*]+(\s*(x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LIMITS = {"name": 200, "street": 200, "city": 100, "postcode": 32, "country": 100,
           "tax_id": 64, "email": 200, "phone": 64, "label": 32, "tag": 64}
MAX_TERMS_DAYS = 3650


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str
    kind: str
    is_customer: bool
    is_supplier: bool
    is_lead: bool
    archived: bool
    payment_terms_days: int | None


def _ref(c: Row) -> ContactRef:
    return ContactRef(c.id, c.name, c.kind, bool(c.is_customer), bool(c.is_supplier),
                      bool(c.is_lead), bool(c.archived), c.payment_terms_days)


#: A contact's own row (`Row` with these columns as attributes).
CONTACT = ("SELECT id, kind, name, name_key, organization_id, is_customer, is_supplier, "
           "is_lead, email, email_label, phone, phone_label, street, city, postcode, country, "
           "tax_id, notes, payment_terms_days, archived, created_at, updated_at FROM contact ")


def contact_row(s: Tx, contact_id: int) -> Row | None:
    return s.row(CONTACT + "WHERE id = :i", {"i": contact_id})


@dataclass(frozen=True)
class Channel:
    """An email address or phone number with its label (work, home, cell, ...)."""

    value: str
    label: str = ""


@quick_init
@dataclass(frozen=True)
class ContactData:
    """Everything a contact is made of, as typed or read from a file (validated by
    `validate_contact`). The first email and phone are the main ones."""

    name: str
    kind: str = "person"
    organization: str | None = None  # an organization's name (created if missing) or id
    roles: frozenset[str] = frozenset()
    emails: tuple[Channel, ...] = ()
    phones: tuple[Channel, ...] = ()
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    tax_id: str = ""
    notes: str = ""
    payment_terms_days: int | None = None
    tags: tuple[str, ...] = ()
    archived: bool = False
    # Address-book details (crm.details): the main address's region and label, further
    # addresses, the structured name (N: family, given, additional, prefix, suffix), ...
    region: str = ""
    address_label: str = ""
    addresses: tuple[PostalAddress, ...] = ()
    name_parts: tuple[str, ...] = ()
    birthday: str = ""
    title: str = ""
    role: str = ""
    department: str = ""
    website: str = ""
    nickname: str = ""
    uid: str = ""
    vcard_extra: tuple[str, ...] = ()  # card properties kept verbatim for export
    #: One from a dict of its fields (`common.quick_init`): the bulk paths' constructor.
    of: ClassVar[Callable[[dict[str, Any]], ContactData]]


@dataclass(frozen=True)
class AddResult:
    contact: ContactRef
    created: bool  # False: merged into an existing contact
    organization_created: str | None = None  # the name of an organization made on the fly
    notes: tuple[str, ...] = field(default=())


# -- validation ---------------------------------------------------------------------------

def _text(value: str | None, what: str, *, limit: str | None = None) -> str:
    if not value:
        return ""
    if not value.isprintable():  # the usual value has no control character to look for
        refuse_control(value, what)
    clean = " ".join(value.split()) if what != "notes" else value.strip()
    max_len = _LIMITS.get(limit or what)
    if max_len is not None and len(clean) > max_len:
        raise ValidationError(_("{field}: longer than {n} characters").format(
            field=what, n=max_len), field=what)
    return clean


def clean_name(value: str | None, *, field: str = "name") -> str:
    name = _text(value, field, limit="name")
    if not name:
        raise ValidationError(_("{field}: must not be empty").format(field=field), field=field)
    return name


def clean_email(value: str | None, *, field: str = "email") -> str:
    email = refuse_control((value or "").strip(), field)
    if email.lower().startswith("mailto:"):
        email = email[7:]
    if not email:
        return ""
    if not _EMAIL.match(email) or len(email) > _LIMITS["email"]:
        raise ValidationError(_("{field}: '{value}' is not an email address").format(
            field=field, value=email), field=field)
    return email.lower()


def clean_phone(value: str | None, *, field: str = "phone") -> str:
    phone = " ".join((value or "").split())
    if phone.lower().startswith("tel:"):
        phone = phone[4:]
    if not phone:
        return ""
    if not _PHONE.match(phone) or not _DIGIT.search(phone) or len(phone) > _LIMITS["phone"]:
        raise ValidationError(_("{field}: '{value}' is not a phone number").format(
            field=field, value=phone), field=field)
    return phone


def clean_tag(value: str, *, field: str = "tag") -> str:
    tag = _text(value, field, limit="tag")
    if not tag:
        raise ValidationError(_("{field}: must not be empty").format(field=field), field=field)
    if "," in tag or ";" in tag:
        raise ValidationError(_("{field}: '{value}' may not contain ',' or ';'").format(
            field=field, value=tag), field=field)
    return tag


def clean_terms(value: int | str | None, *, field: str = "payment terms") -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "default")):
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("{field}: '{value}' is not a number of days").format(
            field=field, value=value), field=field) from None
    if not 0 <= days <= MAX_TERMS_DAYS:
        raise ValidationError(_("{field}: {value} is not between 0 and {max} days").format(
            field=field, value=days, max=MAX_TERMS_DAYS), field=field)
    return days


def _channels(items: Iterable[Channel], clean: Callable[..., str], what: str
              ) -> tuple[Channel, ...]:
    out: list[Channel] = []
    seen: set[str] = set()
    for i, ch in enumerate(items, start=1):
        where = what if i == 1 else f"{what} {i}"
        value = clean(ch.value, field=where)
        if value and value not in seen:
            seen.add(value)
            out.append(Channel(value, _text(ch.label, "label").lower() if ch.label else ""))
    return tuple(out)


def validate_contact(data: ContactData) -> ContactData:
    """The same contact, cleaned: names trimmed, email lower-cased, phones checked, tags
    de-duplicated. Raises ValidationError naming the field."""
    kind = parse_kind(data.kind)
    org = _text(data.organization, "organization", limit="name") or None
    if kind == "organization" and org:
        raise ValidationError(_("organization: an organization cannot belong to another "
                                "organization"), field="organization")
    tags: dict[str, str] = {}
    for t in data.tags:
        tag = clean_tag(t)
        tags.setdefault(name_key(tag), tag)
    return ContactData.of({
        "name": clean_name(data.name), "kind": kind, "organization": org,
        "roles": frozenset(parse_role(r) for r in data.roles) if data.roles else frozenset(),
        "emails": _channels(data.emails, clean_email, "email"),
        "phones": _channels(data.phones, clean_phone, "phone"),
        "street": _text(data.street, "street"), "city": _text(data.city, "city"),
        "postcode": _text(data.postcode, "postcode"),
        "country": _text(data.country, "country"),
        "tax_id": clean_tax_id(_text(data.tax_id, "tax_id"), data.country or "",
                               organization=kind == "organization"),
        "notes": _text(data.notes, "notes"),
        "payment_terms_days": clean_terms(data.payment_terms_days),
        "tags": tuple(tags.values()), "archived": bool(data.archived),
        **clean_details(data, " ".join(data.name.split()))})


# -- resolving ------------------------------------------------------------------------------

def _label(c: Row) -> str:
    return f"{c.name} (id {c.id})"


def resolve_contact(s: Tx, ref: str | int, *, field: str = "contact",
                    include_archived: bool = True) -> ContactRef:
    """A contact by exact name (case-insensitive), email, id, unique name prefix, or (three
    characters or more) a unique substring of its search text. Raises NotFound, or
    AmbiguousReference listing the candidates."""
    return _ref(_resolve(s, ref, field=field, include_archived=include_archived))


def _resolve(s: Tx, ref: str | int, *, field: str = "contact",
             include_archived: bool = True) -> Row:
    def visible(c: Row | None) -> bool:
        return c is not None and (include_archived or not c.archived)

    if isinstance(ref, int) and not isinstance(ref, bool):  # an id from code, not typed
        by_id = contact_row(s, ref)
        if by_id is not None and visible(by_id):
            return by_id
    text_ = str(ref).strip()
    if not text_:
        raise ValidationError(_("{field}: a contact is required").format(field=field),
                              field=field)
    active = "" if include_archived else "archived = false AND "
    key = name_key(text_)
    exact = s.rows(CONTACT + f"WHERE {active}name_key = :k LIMIT 20", {"k": key})
    if not exact and "@" in text_:
        exact = s.rows(CONTACT + f"WHERE {active}email = :e LIMIT 20", {"e": text_.lower()})
    if not exact and (cid := as_id(text_)) is not None:
        c = contact_row(s, cid)
        exact = [c] if c is not None and visible(c) else []
    found: list[Row] = []
    if not exact:
        found = s.rows(CONTACT + f"WHERE {active}name_key >= :k AND name_key < :top "
                       "ORDER BY name_key, id LIMIT 50", {"k": key, "top": key + _TOP})
    if not exact and not found and len(text_) >= 3:
        ids = find_ids(s, text_, limit=11)
        found = [c for c in (contact_row(s, i) for i in ids) if c is not None and visible(c)]
    return choose(text_, _("contact"), exact, found, _label, field=field)


def _contact(s: Tx, contact_id: int) -> Row:
    c = contact_row(s, contact_id)
    if c is None:
        raise NotFound(_("no contact with id {id}").format(id=contact_id), field="contact")
    return c


# -- organizations, tags, channels ----------------------------------------------------------------

def organization_for(s: Tx, ref: str | int, *, create: bool = True
                     ) -> tuple[ContactRef, bool]:
    """The organization a person belongs to: by id or exact name; made on the fly when
    missing (`create`). Returns (organization, created)."""
    text_ = str(ref).strip()
    key = name_key(text_)
    orgs = s.rows(CONTACT + "WHERE name_key = :k AND kind = 'organization' LIMIT 20",
                  {"k": key})
    if not orgs and (cid := as_id(text_)) is not None:
        c = contact_row(s, cid)
        if c is not None:
            orgs = [c]
    if len(orgs) > 1:
        orgs = [choose(text_, _("organization"), orgs, [], _label, field="organization")]
    if orgs:
        if orgs[0].kind != "organization":
            raise ValidationError(_("organization: '{name}' is a person, not an organization")
                                  .format(name=orgs[0].name), field="organization")
        return _ref(orgs[0]), False
    if not create:
        raise NotFound(_("no organization matches '{ref}'").format(ref=text_),
                       field="organization")
    name = clean_name(text_, field="organization")
    stamp = now().replace(tzinfo=None)
    org_id = s.insert("contact", {"kind": "organization", "name": name,
                                  "name_key": name_key(name), **_EMPTY_CONTACT,
                                  "created_at": stamp, "updated_at": stamp})
    audit.record(s, "create", "contact", org_id, _("{name} (organization, made for a member)")
                 .format(name=name))
    reindex(s, [org_id])
    return ContactRef(org_id, name, "organization", False, False, False, False, None), True


#: The columns of a new contact that are not given.
_EMPTY_CONTACT = {"organization_id": None, "is_customer": False, "is_supplier": False,
                  "is_lead": False, "email": "", "email_label": "", "phone": "",
                  "phone_label": "", "street": "", "city": "", "postcode": "", "country": "",
                  "tax_id": "", "notes": "", "payment_terms_days": None, "archived": False}


def tag_ids(s: Tx, names: Iterable[str]) -> dict[str, int]:
    """Ids of these tags by name key, creating the missing ones."""
    wanted: dict[str, str] = {}
    for n in names:
        wanted.setdefault(name_key(n), n)
    if not wanted:
        return {}
    stmt = "SELECT name_key, id FROM tag WHERE name_key IN :k"
    keys = list(wanted)
    found: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        found.update(dict(s.all(stmt, {"k": keys[i:i + 500]})))
    missing = [{"name": wanted[k], "name_key": k} for k in keys if k not in found]
    if missing:
        s.insert_many("tag", missing)
        for i in range(0, len(missing), 500):
            found.update(dict(s.execute(stmt, {"k": [m["name_key"] for m in
                                                     missing[i:i + 500]]}).all()))
    return found


def link_tags(s: Tx, pairs: Iterable[tuple[int, str]], *, new_contacts: bool = False) -> None:
    """Tag contacts: (contact_id, tag name) pairs; existing links are kept (`new_contacts`:
    the contacts were just added, so they have none to look for)."""
    pairs = list(pairs)
    if not pairs:
        return
    keys = {t: name_key(t) for t in {t for _c, t in pairs}}  # a file's tags repeat
    ids = tag_ids(s, keys)
    rows = {(cid, ids[keys[t]]) for cid, t in pairs}
    existing = set()
    stmt = "SELECT contact_id, tag_id FROM contact_tag WHERE contact_id IN :c"
    contact_ids = [] if new_contacts else sorted({c for c, _t in rows})
    for i in range(0, len(contact_ids), 500):
        existing.update(tuple(r) for r in s.execute(stmt, {"c": contact_ids[i:i + 500]}))
    new = sorted(rows - existing)
    if new:
        s.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", new)


def unlink_tags(s: Tx, contact_id: int, names: Iterable[str]) -> list[str]:
    """Remove tags from a contact; returns the names that were not on it."""
    missing = []
    for n in names:
        tag_id = s.execute("SELECT id FROM tag WHERE name_key = :k",
                           {"k": name_key(n)}).scalar()
        deleted = 0
        if tag_id is not None:
            deleted = s.execute("DELETE FROM contact_tag WHERE contact_id = :c AND "
                                     "tag_id = :t", {"c": contact_id, "t": tag_id}).rowcount
        if not deleted:
            missing.append(n)
    return missing


def extra_channels(s: Tx, contact_id: int) -> tuple[list[Channel], list[Channel]]:
    """The further (not main) emails and phones of a contact."""
    emails: list[Channel] = []
    phones: list[Channel] = []
    for kind, value, label in s.execute(
            "SELECT kind, value, label FROM contact_channel WHERE contact_id = :c "
            "ORDER BY kind, position, id", {"c": contact_id}):
        (emails if kind == "email" else phones).append(Channel(value, label))
    return emails, phones


def add_channels(s: Tx, contact_id: int, kind: str, channels: Sequence[Channel],
                 start: int = 1) -> None:
    if channels:
        s.insert_many("contact_channel", [
            {"contact_id": contact_id, "kind": kind, "label": ch.label, "value": ch.value,
             "position": start + i} for i, ch in enumerate(channels)])


# -- duplicates -----------------------------------------------------------------------------

def owner_of_email(s: Tx, email: str) -> tuple[int, str] | None:
    """(id, name) of the contact with this email, main or further."""
    row = s.execute(
        "SELECT id, name FROM contact WHERE email = :e UNION ALL "
        "SELECT c.id, c.name FROM contact_channel ch JOIN contact c ON c.id = ch.contact_id "
        "WHERE ch.kind = 'email' AND ch.value = :e LIMIT 1", {"e": email}).first()
    return (row[0], row[1]) if row is not None else None


def find_duplicate(s: Tx, name: str, organization_id: int | None,
                   emails: Sequence[str]) -> tuple[int, str, str] | None:
    """An existing contact that is the same one: same email (main or further), or same name
    and organization. Returns (id, name, reason) or None."""
    for email in emails:
        owner = owner_of_email(s, email)
        if owner is not None:
            return owner[0], owner[1], _("same email {email}").format(email=email)
    org_clause = ("organization_id IS NULL" if organization_id is None
                  else "organization_id = :o")
    row = s.execute(f"SELECT id, name FROM contact WHERE name_key = :k AND {org_clause} "
                         "ORDER BY id LIMIT 1", {"k": name_key(name), "o": organization_id}
                    ).first()
    if row is not None:
        return row[0], row[1], _("same name and organization")
    return None


# -- add / merge --------------------------------------------------------------------------------

def _summary(data: ContactData) -> str:
    parts = [data.name, data.kind]
    if data.organization:
        parts.append(_("at {org}").format(org=data.organization))
    if data.roles:
        parts.append(",".join(sorted(data.roles)))
    return " ".join(parts)


def add_contact(s: Tx, data: ContactData, *, on_duplicate: str = "refuse") -> AddResult:
    """Add a contact (validated by `validate_contact`); an organization named by
    `data.organization` is made on the fly if missing.

    `on_duplicate` says what happens when the contact already exists (same email, or same
    name and organization): "refuse" (RuleViolation naming it), "merge" (fill in the new
    details, add roles and tags; see `merge_contact`) or "allow" (add it anyway).
    Writes the contact, its further emails/phones and tags, an audit row, the search index.
    """
    data = validate_contact(data)
    org: ContactRef | None = None
    org_created = None
    if data.organization:
        org, made = organization_for(s, data.organization)
        org_created = org.name if made else None
    if on_duplicate != "allow":
        dup = find_duplicate(s, data.name, org.id if org else None,
                             [e.value for e in data.emails])
        if dup is not None:
            if on_duplicate == "merge":
                ref = merge_contact(s, dup[0], data)
                return AddResult(ref, False, org_created)
            raise RuleViolation(_("contact '{name}' already exists (id {id}, {reason}); "
                                  "change it with 'contact edit'").format(
                name=dup[1], id=dup[0], reason=dup[2]), field="name")
    stamp = now().replace(tzinfo=None)
    email = data.emails[0] if data.emails else Channel("")
    phone = data.phones[0] if data.phones else Channel("")
    cid = s.insert("contact", dict(
        kind=data.kind, name=data.name, name_key=name_key(data.name),
        organization_id=org.id if org else None,
        is_customer="customer" in data.roles, is_supplier="supplier" in data.roles,
        is_lead="lead" in data.roles, email=email.value, email_label=email.label,
        phone=phone.value, phone_label=phone.label, street=data.street,
        city=data.city, postcode=data.postcode, country=data.country,
        tax_id=data.tax_id, notes=data.notes,
        payment_terms_days=data.payment_terms_days, archived=data.archived,
        created_at=stamp, updated_at=stamp, **columns_of(data)))
    add_addresses(s, address_rows(cid, data.addresses))
    add_channels(s, cid, "email", data.emails[1:])
    add_channels(s, cid, "phone", data.phones[1:])
    link_tags(s, ((cid, t) for t in data.tags))
    audit.record(s, "create", "contact", cid, _summary(data))
    reindex(s, [cid])
    return AddResult(ContactRef(cid, data.name, data.kind, "customer" in data.roles,
                                "supplier" in data.roles, "lead" in data.roles,
                                data.archived, data.payment_terms_days), True, org_created)


def create_contact(s: Tx, name: str, *, kind: str = "person", customer: bool = False,
                   supplier: bool = False, lead: bool = False, email: str = "",
                   phone: str = "", organization: str | int | None = None,
                   tags: Sequence[str] = (), **fields: Any) -> ContactRef:
    """Create a contact (duplicates allowed). `fields`: street, city, postcode, country,
    tax_id, notes, payment_terms_days, archived, organization_id. See `add_contact`."""
    org_id = fields.pop("organization_id", None)
    if org_id is not None and organization is None:
        organization = str(org_id)
    roles = frozenset(r for r, on in (("customer", customer), ("supplier", supplier),
                                      ("lead", lead)) if on)
    data = ContactData(name=name, kind=kind, roles=roles,
                       organization=str(organization) if organization is not None else None,
                       emails=(Channel(email),) if email else (),
                       phones=(Channel(phone),) if phone else (), tags=tuple(tags), **fields)
    return add_contact(s, data, on_duplicate="allow").contact


def merge_contact(s: Tx, contact_id: int, data: ContactData) -> ContactRef:
    """Merge new details into an existing contact: non-empty fields replace the old ones,
    roles and tags are added, emails and phones not yet known become further ones."""
    data = validate_contact(data)
    c = _contact(s, contact_id)
    changes: dict[str, Any] = {}
    for name in ("street", "city", "postcode", "country", "tax_id", "notes"):
        value = getattr(data, name)
        if value:
            changes[name] = value
    if data.payment_terms_days is not None:
        changes["payment_terms_days"] = data.payment_terms_days
    for role in data.roles:
        changes[f"is_{role}"] = True
    if data.organization and c.kind == "person":
        changes["organization_id"] = organization_for(s, data.organization)[0].id
    emails, phones = extra_channels(s, contact_id)
    for kind, main, extra, new in (("email", c.email, emails, data.emails),
                                   ("phone", c.phone, phones, data.phones)):
        known = {main, *(ch.value for ch in extra)}
        fresh = [ch for ch in new if ch.value not in known]
        if fresh and not main:
            changes[kind] = fresh[0].value
            changes[f"{kind}_label"] = fresh[0].label
            fresh = fresh[1:]
        add_channels(s, contact_id, kind, fresh, start=len(extra) + 1)
    link_tags(s, ((contact_id, t) for t in data.tags))
    merge_details(s, contact_id, data)
    changes["updated_at"] = now().replace(tzinfo=None)
    s.update("contact", contact_id, changes)
    audit.record(s, "merge", "contact", contact_id, _summary(replace(data, name=c.name)))
    reindex(s, [contact_id])
    return _ref(_contact(s, contact_id))


# -- edit, archive, delete ------------------------------------------------------------------------

#: What `edit_contact` may change (keyword arguments).
EDITABLE = ("name", "kind", "organization", "customer", "supplier", "lead", "email", "phone",
            "street", "city", "postcode", "country", "tax_id", "notes", "payment_terms_days")


def edit_contact(s: Tx, ref: str | int, *, add_tags: Sequence[str] = (),
                 remove_tags: Sequence[str] = (), **changes: Any) -> ContactRef:
    """Change a contact. Only the keyword arguments given change: `organization` (a name or
    id, made on the fly; None or "" detaches), roles as booleans (`customer=True`), `email`
    and `phone` (the main ones; "" clears), `payment_terms_days` (None: the book's
    default). Refuses an unknown tag to remove, a person's organization on an organization,
    and turning an organization with members into a person."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"edit_contact: unknown fields {sorted(unknown)}")
    c = _resolve(s, ref)
    before = c.name
    new: dict[str, Any] = {}
    if "name" in changes:
        new["name"] = clean_name(changes["name"])
        new["name_key"] = name_key(new["name"])
    kind = c.kind
    if "kind" in changes:
        kind = parse_kind(changes["kind"])
        if kind == "person" and c.kind == "organization":
            members = s.scalar("SELECT COUNT(*) FROM contact WHERE organization_id = :i",
                               {"i": c.id})
            if members:
                raise RuleViolation(_("kind: {name} has {n} member(s); it stays an "
                                      "organization").format(name=c.name, n=members),
                                    field="kind")
        if kind == "organization" and c.organization_id is not None \
                and "organization" not in changes:
            raise ValidationError(_("organization: an organization cannot belong to another "
                                    "organization (detach it with --no-company)"),
                                  field="organization")
        new["kind"] = kind
    if "organization" in changes:
        org_ref = changes["organization"]
        if org_ref in (None, ""):
            new["organization_id"] = None
        else:
            if kind == "organization":
                raise ValidationError(_("organization: an organization cannot belong to "
                                        "another organization"), field="organization")
            org, _made = organization_for(s, org_ref)
            if org.id == c.id:
                raise ValidationError(_("organization: a contact cannot belong to itself"),
                                      field="organization")
            new["organization_id"] = org.id
    for role in ROLES:
        if role in changes and changes[role] is not None:
            new[f"is_{role}"] = bool(changes[role])
    if "email" in changes:
        new["email"] = clean_email(changes["email"])
        dup = owner_of_email(s, new["email"]) if new["email"] else None
        if dup is not None and dup[0] != c.id:
            raise RuleViolation(_("email: {email} already belongs to {name} (id {id})").format(
                email=new["email"], name=dup[1], id=dup[0]), field="email")
    if "phone" in changes:
        new["phone"] = clean_phone(changes["phone"])
    for name in ("street", "city", "postcode", "country", "tax_id", "notes"):
        if name in changes:
            new[name] = _text(changes[name], name)
    if {"tax_id", "country", "kind"} & set(changes):
        # a Georgian tax ID is 9 (legal entity) or 11 (personal number) digits
        new["tax_id"] = clean_tax_id(new.get("tax_id", c.tax_id),
                                     new.get("country", c.country),
                                     organization=kind == "organization")
    if "payment_terms_days" in changes:
        new["payment_terms_days"] = clean_terms(changes["payment_terms_days"])
    add = [clean_tag(t) for t in add_tags]
    missing = unlink_tags(s, c.id, remove_tags)
    if missing:
        raise NotFound(_("tag: {name} has no tag '{tag}'").format(name=c.name, tag=missing[0]),
                       field="tag")
    link_tags(s, ((c.id, t) for t in add))
    what = [k for k in changes] + [f"+tag {t}" for t in add] + [f"-tag {t}" for t in remove_tags]
    new["updated_at"] = now().replace(tzinfo=None)
    s.update("contact", c.id, new)
    audit.record(s, "edit", "contact", c.id, f"{before}: {', '.join(what) or '-'}")
    reindex(s, [c.id], with_members=kind == "organization" and "name" in changes)
    return _ref(_contact(s, c.id))


def set_archived(s: Tx, ref: str | int, archived: bool = True) -> ContactRef:
    """Archive a contact (hidden from lists and search, kept for the books) or bring it
    back. Archiving an organization leaves its members as they are."""
    c = _resolve(s, ref)
    if c.archived == archived:
        state = _("archived") if archived else _("not archived")
        raise RuleViolation(_("{name} is already {state}").format(name=c.name, state=state))
    s.update("contact", c.id, {"archived": archived, "updated_at": now().replace(tzinfo=None)})
    audit.record(s, "archive" if archived else "unarchive", "contact", c.id, c.name)
    return _ref(_contact(s, c.id))


#: Rows that belong to the contact itself and go when it is deleted.
_OWNED = {("contact_tag", "contact_id"), ("contact_channel", "contact_id"),
          ("contact_address", "contact_id")}


def references_to(s: Tx, contact_id: int) -> list[tuple[str, int]]:
    """(table, rows) of every table whose foreign key points at this contact, found from
    the live schema, so tables other packages add later count too."""
    found = []
    for table, column in s.foreign_keys_to("contact"):
        if (table, column) in _OWNED:
            continue
        n = s.scalar(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" = :i',
                     {"i": contact_id})
        if n:
            found.append((table if table != "contact" else "member contact", int(n)))
    return found


def delete_contact(s: Tx, ref: str | int) -> ContactRef:
    """Delete a contact nothing refers to (postings, documents, interactions, deals,
    members). A contact with history can only be archived."""
    c = _resolve(s, ref)
    assert c.id is not None
    refs = references_to(s, c.id)
    if refs:
        listed = ", ".join(f"{table} ({n})" for table, n in refs)
        raise RuleViolation(_("{name} cannot be deleted: referenced by {refs}; archive it "
                              "instead (smallbiz contact archive)").format(name=c.name,
                                                                           refs=listed))
    result = _ref(c)
    for table, column in sorted(_OWNED):
        s.execute(f"DELETE FROM {table} WHERE {column} = :i", {"i": c.id})
    unindex(s, [c.id])
    s.execute("DELETE FROM contact WHERE id = :i", {"i": c.id})
    audit.record(s, "delete", "contact", result.id, result.name)
    return result
