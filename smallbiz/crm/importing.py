"""Bulk import and export of contacts (the file formats: crm.vcard, crm.contacts_csv).

Import is one transaction: every record is validated first; by default one bad record
refuses the whole file (`line N: ...` / `card N: ...`), with `skip_invalid` the good ones
are imported and the rejects reported. A record that matches an existing contact (same
email, or same name and organization) — or an earlier record of the same file — is not
added twice: it is reported, or merged with `update`. Organizations are added before
people, so a person's ORG finds its organization whatever the order in the file; an
organization named only by its members is made on the fly.

New contacts go in with bulk inserts (tens of thousands a second); the
search index is rebuilt for them at the end; one audit row records the import.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smallbiz import audit
from smallbiz.crm import details
from smallbiz.crm.search import index_new, name_key, tags_in
from smallbiz.crm.service import (
    Channel,
    ContactData,
    link_tags,
    merge_contact,
    validate_contact,
)
from smallbiz.dates import now
from smallbiz.errors import UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.romanize import romanize
from smallbiz.sql import Tx, no_cycle_collection

if TYPE_CHECKING:
    from smallbiz.db import Database

FORMATS = ("csv", "vcard")
_NOT_DIGIT = re.compile(r"\D")
_CHUNK = 500
MAX_LISTED_ERRORS = 20
#: The largest contacts file read (CSV or vCard, bytes): a bigger one is refused unread.
MAX_FILE_BYTES = 128 * 1024 * 1024
#: The longest field (a CSV cell; a vCard property, unfolded), in characters: the csv
#: module's own limit, which vCard reading keeps too.
MAX_FIELD = 128 * 1024


@dataclass(frozen=True)
class ContactRecord:
    """One record read from a file: where it is (`line 4`, `card 2`) and its data, or the
    reason it could not be read."""

    where: str
    data: ContactData | None
    error: str | None = None


@dataclass(frozen=True)
class ContactBatch:
    source: str
    records: list[ContactRecord]
    ignored_columns: tuple[str, ...] = ()
    #: What the file carries that is not kept: (what, how many), e.g. ("X-GENDER", 3).
    not_kept: tuple[tuple[str, int], ...] = ()
    #: What is kept only to be written back by a vCard export: (property, how many).
    kept_for_export: tuple[tuple[str, int], ...] = ()
    #: Notes on the reading: the layout found, records named from their e-mail, ...
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Duplicate:
    where: str
    name: str
    existing: str
    existing_id: int | None  # None: an earlier record of the same file
    reason: str


@dataclass(frozen=True)
class Rejected:
    where: str
    error: str


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    organizations_created: int
    duplicates: tuple[Duplicate, ...] = field(default=())
    rejected: tuple[Rejected, ...] = field(default=())
    ignored_columns: tuple[str, ...] = field(default=())  # the file's, as `ContactBatch`
    not_kept: tuple[tuple[str, int], ...] = field(default=())  # as `ContactBatch`
    kept_for_export: tuple[tuple[str, int], ...] = field(default=())
    notes: tuple[str, ...] = field(default=())


# -- reading files -------------------------------------------------------------------------

def detect_format(path: str, fmt: str | None) -> str:
    if fmt:
        value = fmt.strip().lower()
        value = {"vcf": "vcard", "vcards": "vcard"}.get(value, value)
        if value not in FORMATS:
            raise ValidationError(_("--format: '{fmt}' is not csv or vcard").format(fmt=fmt),
                                  field="format")
        return value
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    raise ValidationError(_("{file}: name it .csv or .vcf, or give --format csv|vcard").format(
        file=path), field="file")


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM; anything else is refused with
    the line of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(_("{file}: broken UTF-16 text").format(file=source)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValidationError(_("{file}: line {line}: not UTF-8 text (byte 0x{byte:02X}); save "
                                "the file as UTF-8").format(file=source, line=line,
                                                            byte=data[exc.start])) from None


def read_contacts_file(path: str, fmt: str | None = None) -> ContactBatch:
    """Read and parse a CSV or vCard file (nothing is written)."""
    kind = detect_format(path, fmt)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with Path(path).open("rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)  # bounded: never more than the limit
    except OSError as exc:
        raise UserError(_("{file}: cannot read it ({reason})").format(
            file=path, reason=exc.strerror or exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("{file}: larger than {n} MB; split it into smaller files")
                              .format(file=path, n=MAX_FILE_BYTES // (1024 * 1024)),
                              field="file")
    content = decode_text(data, path)
    del data
    with no_cycle_collection():  # the records are kept until they are written
        if kind == "csv":
            from smallbiz.crm import contacts_csv

            return contacts_csv.read(content, source=path)
        from smallbiz.crm import vcard

        return vcard.read(content, source=path)


# -- importing ------------------------------------------------------------------------------

def combine(a: ContactData, b: ContactData) -> ContactData:
    """`a` with `b`'s details merged in (non-empty fields of b win; lists are joined)."""
    def join(x: Sequence[Channel], y: Sequence[Channel]) -> tuple[Channel, ...]:
        seen = {ch.value for ch in x}
        return tuple(x) + tuple(ch for ch in y if ch.value not in seen)

    scalars = {n: getattr(b, n) for n in ("street", "city", "postcode", "country", "tax_id",
                                          "notes", *details.TEXT, "name_parts")
               if getattr(b, n)}
    return replace(a, **scalars, roles=a.roles | b.roles, emails=join(a.emails, b.emails),
                   phones=join(a.phones, b.phones),
                   addresses=a.addresses + tuple(x for x in b.addresses
                                                 if x not in a.addresses),
                   vcard_extra=a.vcard_extra + tuple(x for x in b.vcard_extra
                                                     if x not in a.vcard_extra),
                   tags=a.tags + tuple(t for t in b.tags if t not in a.tags),
                   organization=a.organization or b.organization,
                   payment_terms_days=b.payment_terms_days if b.payment_terms_days is not None
                   else a.payment_terms_days)


def _in_chunks(s: Tx, sql: str, values: Sequence[Any]) -> list[Any]:
    stmt = sql
    rows: list[Any] = []
    for i in range(0, len(values), _CHUNK):
        rows.extend(s.execute(stmt, {"v": list(values[i:i + _CHUNK])}).all())
    return rows


class _Existing:
    """What the book already holds, looked up once for the whole file."""

    def __init__(self, s: Tx, records: Sequence[tuple[str, ContactData]]) -> None:
        emails = sorted({e.value for _w, d in records for e in d.emails})
        keys = sorted({name_key(d.name) for _w, d in records}
                      | {name_key(d.organization) for _w, d in records if d.organization})
        self.by_email: dict[str, tuple[int, str]] = {}
        for cid, name, email in _in_chunks(
                s, "SELECT id, name, email FROM contact WHERE email IN :v", emails) + _in_chunks(
                s, "SELECT c.id, c.name, ch.value FROM contact_channel ch JOIN contact c ON "
                   "c.id = ch.contact_id WHERE ch.kind = 'email' AND ch.value IN :v", emails):
            self.by_email.setdefault(email, (cid, name))
        self.by_name: dict[tuple[str, int | None], list[tuple[int, str]]] = {}
        self.orgs: dict[str, int] = {}
        self.channels: dict[int, set[str]] = {}  # emails and phones of those by name
        for cid, name, key, org_id, kind, email, phone in sorted(_in_chunks(
                s, "SELECT id, name, name_key, organization_id, kind, email, phone "
                   "FROM contact WHERE name_key IN :v", keys)):
            self.by_name.setdefault((key, org_id), []).append((cid, name))
            self.channels[cid] = ({"e:" + email} if email else set()) | (
                {"p:" + _digits(phone)} if phone else set())
            if kind == "organization":
                self.orgs.setdefault(key, cid)
        for cid, kind, value in _in_chunks(
                s, "SELECT contact_id, kind, value FROM contact_channel WHERE contact_id IN :v",
                sorted(self.channels)):
            self.channels[cid].add("p:" + _digits(value) if kind == "phone" else "e:" + value)
        uids = sorted({d.uid for _w, d in records if d.uid})
        self.by_uid: dict[str, tuple[int, str]] = {}
        for cid, name, uid in _in_chunks(
                s, "SELECT id, name, uid FROM contact WHERE uid IN :v", uids):
            self.by_uid.setdefault(uid, (cid, name))


def _digits(phone: str) -> str:
    """A phone number's digits (with a leading +), to compare numbers written apart."""
    return ("+" if phone.lstrip()[:1] == "+" else "") + _NOT_DIGIT.sub("", phone)


def channel_keys(data: ContactData) -> set[str]:
    """The emails (`e:...`) and phone numbers (`p:` and the digits) of a record."""
    return {"e:" + e.value for e in data.emails} | {"p:" + _digits(p.value)
                                                    for p in data.phones}


def different_people(a: set[str], b: set[str]) -> bool:
    """Two records of one name are different people when they share no e-mail or phone
    but both have e-mails, or both have phones (one with only an e-mail and one with only
    a phone may be the same person)."""
    if a & b:
        return False
    return any(any(k.startswith(kind) for k in a) and any(k.startswith(kind) for k in b)
               for kind in ("e:", "p:"))


def progress_steps(batch: ContactBatch) -> int:
    """How many steps `import_contacts` reports: each record validated, then each new one
    written (duplicates and rejects count when the import ends)."""
    return 2 * len(batch.records)


def import_contacts(s: Tx, batch: ContactBatch, *, skip_invalid: bool = False,
                    update: bool = False,
                    on_progress: Callable[[int], Any] | None = None) -> ImportReport:
    """Import a parsed file into the book (see the module's docstring for the rules).
    Raises ValidationError listing the bad records when one is bad and not `skip_invalid`;
    nothing is written then. `on_progress(n)` is called as the work advances, in all
    `progress_steps(batch)` steps."""
    with no_cycle_collection(), s.bulk():
        return _import(s, batch, skip_invalid, update, on_progress)


def _import(s: Tx, batch: ContactBatch, skip_invalid: bool, update: bool,
            on_progress: Callable[[int], Any] | None) -> ImportReport:
    advance = on_progress or (lambda n=1: None)
    valid: list[tuple[str, ContactData]] = []
    rejected: list[Rejected] = []
    for i, rec in enumerate(batch.records, start=1):
        if i % _CHUNK == 0:
            advance(_CHUNK)
        if rec.data is None:
            rejected.append(Rejected(rec.where, rec.error or _("unreadable")))
            continue
        try:
            valid.append((rec.where, validate_contact(rec.data)))
        except UserError as exc:
            rejected.append(Rejected(rec.where, exc.message))
    if rejected and not skip_invalid:
        lines = [f"{r.where}: {r.error}" for r in rejected[:MAX_LISTED_ERRORS]]
        if len(rejected) > MAX_LISTED_ERRORS:
            lines.append(_("... and {n} more").format(n=len(rejected) - MAX_LISTED_ERRORS))
        raise ValidationError(_("{file}: nothing imported; {n} bad record(s) (use "
                                "--skip-invalid to import the others):\n").format(
            file=batch.source, n=len(rejected)) + "\n".join(lines))
    if not valid and not rejected:
        raise ValidationError(_("{file}: no contacts found").format(file=batch.source))

    existing = _Existing(s, valid)
    # Organizations first, so people find theirs whatever the order of the file.
    valid.sort(key=lambda wd: wd[1].kind != "organization")
    pending: list[tuple[str, ContactData]] = []  # new contacts, in order
    seen_email: dict[str, int] = {}  # email -> index in pending
    seen_uid: dict[str, int] = {}
    seen_name: dict[tuple[str, str | None], list[int]] = {}
    merges: list[tuple[int, ContactData]] = []  # (existing id, data)
    duplicates: list[Duplicate] = []
    for where, data in valid:
        org_key = name_key(data.organization) if data.organization else None
        org_id = existing.orgs.get(org_key) if org_key else None
        hit = _existing_duplicate(existing, data, org_key, org_id)
        if hit is not None:
            cid, name, reason = hit
            duplicates.append(Duplicate(where, data.name, name, cid, reason))
            if update:
                merges.append((cid, data))
            continue
        index = seen_uid.get(data.uid) if data.uid else None
        reason = _("same UID as {where}")
        if index is None:
            index = next((seen_email[e.value] for e in data.emails if e.value in seen_email),
                         None)
            reason = _("same email as {where}")
        if index is None and (same := seen_name.get((name_key(data.name), org_key))):
            mine = channel_keys(data)
            index = next((i for i in same
                          if not different_people(mine, channel_keys(pending[i][1]))), None)
            reason = _("same name and organization as {where}")
        if index is not None:
            first_where, first = pending[index]
            duplicates.append(Duplicate(where, data.name, first.name, None,
                                        reason.format(where=first_where)))
            if update:
                pending[index] = (first_where, combine(first, data))
            continue
        seen_name.setdefault((name_key(data.name), org_key), []).append(len(pending))
        if data.uid:
            seen_uid.setdefault(data.uid, len(pending))
        for e in data.emails:
            seen_email.setdefault(e.value, len(pending))
        pending.append((where, data))

    stamp = now()
    org_ids = dict(existing.orgs)
    orgs_made = 0
    created_ids: list[int] = []
    # Organizations in the file, then those only named by a member, then people.
    file_orgs = [(w, d) for w, d in pending if d.kind == "organization"]
    ids = _insert(s, [d for _w, d in file_orgs], {}, stamp)
    for (_w, d), cid in zip(file_orgs, ids, strict=True):
        org_ids[name_key(d.name)] = cid
    created_ids += ids
    advance(len(file_orgs))
    named: dict[str, str] = {}
    for _w, d in pending:
        if d.organization and name_key(d.organization) not in org_ids:
            named.setdefault(name_key(d.organization), d.organization)
    for _w, d in merges:
        if d.organization and name_key(d.organization) not in org_ids:
            named.setdefault(name_key(d.organization), d.organization)
    made = _insert(s, [ContactData(name=n, kind="organization") for n in named.values()], {},
                   stamp)
    org_ids.update(zip(named.keys(), made, strict=True))
    orgs_made = len(made)
    created_ids += made
    people = [d for _w, d in pending if d.kind != "organization"]
    for i in range(0, len(people), 5 * _CHUNK):
        part = people[i:i + 5 * _CHUNK]
        created_ids += _insert(s, part, org_ids, stamp)
        advance(len(part))
    if created_ids:
        index_new(s, min(created_ids), max(created_ids), romanized=True)
    for cid, data in merges:
        merge_contact(s, cid, data)
    created = len(pending) + orgs_made
    audit.record(s, "import", "contact", Path(batch.source).name[:64],
                 _("{created} added ({orgs} organizations made for members), {updated} merged, "
                   "{dups} duplicates, {rejected} rejected").format(
                     created=created, orgs=orgs_made, updated=len(merges),
                     dups=len(duplicates), rejected=len(rejected)))
    advance(len(batch.records) % _CHUNK + len(batch.records) - len(pending))
    order = {rec.where: i for i, rec in enumerate(batch.records)}
    duplicates.sort(key=lambda d: order.get(d.where, 0))
    return ImportReport(created, len(merges), orgs_made, tuple(duplicates), tuple(rejected),
                        batch.ignored_columns, batch.not_kept, batch.kept_for_export,
                        batch.notes)


def _existing_duplicate(existing: _Existing, data: ContactData, org_key: str | None,
                        org_id: int | None) -> tuple[int, str, str] | None:
    if data.uid and data.uid in existing.by_uid:
        cid, name = existing.by_uid[data.uid]
        return cid, name, _("same UID {uid}").format(uid=data.uid)
    for e in data.emails:
        if e.value in existing.by_email:
            cid, name = existing.by_email[e.value]
            return cid, name, _("same email {email}").format(email=e.value)
    if org_key is not None and org_id is None:
        return None  # its organization is new, so the person is too
    same = existing.by_name.get((name_key(data.name), org_id), ())
    mine = channel_keys(data) if same else set()
    for cid, name in same:
        if not different_people(mine, existing.channels.get(cid, set())):
            return cid, name, _("same name and organization")
    return None


_CONTACT_COLUMNS = ("id", "kind", "name", "name_key", "name_latin", "organization_id",
                    "is_customer",
                    "is_supplier", "is_lead", "email", "email_label", "phone", "phone_label",
                    "street", "city", "postcode", "country", "tax_id", "notes",
                    "payment_terms_days", "archived", "created_at", "updated_at",
                    *details.COLUMNS)
_CONTACT_INSERT = (f"INSERT INTO contact ({', '.join(_CONTACT_COLUMNS)}) VALUES "
                   f"({', '.join('?' for _c in _CONTACT_COLUMNS)})")


def _insert(s: Tx, items: Sequence[ContactData], org_ids: dict[str, int],
            stamp: Any) -> list[int]:
    """Core bulk insert of new contacts with their channels and tags; returns their ids."""
    if not items:
        return []
    # The write transaction holds the book's write lock, so the ids after MAX(id) are
    # ours: one executemany with explicit ids (RETURNING would go row by row), of rows in
    # their stored forms.
    first = int(s.scalar("SELECT COALESCE(MAX(id), 0) FROM contact"))
    ids = list(range(first + 1, first + 1 + len(items)))
    stamp_text = stamp.strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = []
    channels: list[tuple[Any, ...]] = []
    tags = []
    addresses: list[tuple[Any, ...]] = []
    for cid, d in zip(ids, items, strict=True):
        email = d.emails[0] if d.emails else Channel("")
        phone = d.phones[0] if d.phones else Channel("")
        rows.append((
            cid, d.kind, d.name, name_key(d.name), romanize(d.name),
            org_ids.get(name_key(d.organization)) if d.organization else None,
            "customer" in d.roles, "supplier" in d.roles, "lead" in d.roles,
            email.value, email.label, phone.value, phone.label, d.street, d.city, d.postcode,
            d.country, d.tax_id, d.notes, d.payment_terms_days, d.archived, stamp_text,
            stamp_text, *details.values_of(d)))
        for kind, extra in (("email", d.emails[1:]), ("phone", d.phones[1:])):
            channels.extend((cid, kind, ch.label, ch.value, pos)
                            for pos, ch in enumerate(extra, start=1))
        tags.extend((cid, t) for t in d.tags)
        if d.addresses:
            addresses += details.address_tuples(cid, d.addresses)
    s.executemany(_CONTACT_INSERT, rows)
    s.sync_sequences("contact")
    if channels:
        s.executemany("INSERT INTO contact_channel (contact_id, kind, label, value, position) "
                      "VALUES (?, ?, ?, ?, ?)", channels)
    if addresses:
        s.executemany(details.ADDRESS_INSERT, addresses)
    link_tags(s, tags, new_contacts=True)
    return ids


# -- exporting ------------------------------------------------------------------------------

#: A contact's roles by its (is_customer, is_supplier, is_lead) flags.
ROLES_OF = {(c, su, le): frozenset(role for role, on in (("customer", c), ("supplier", su),
                                                         ("lead", le)) if on)
            for c in (False, True) for su in (False, True) for le in (False, True)}


@dataclass(frozen=True)
class ExportedContact:
    id: int
    data: ContactData


#: The columns of `ExportPage.rows` (positions: `E`).
_EXPORT_SELECT = (
    "SELECT c.id, c.name, c.kind, o.name, c.is_customer, c.is_supplier, c.is_lead, "
    "c.email, c.email_label, c.phone, c.phone_label, c.street, c.city, c.postcode, "
    "c.country, c.tax_id, c.notes, c.payment_terms_days, c.archived, c.name_key, "
    f"{details.SELECT} FROM contact c LEFT JOIN contact o ON o.id = c.organization_id ")


class E:
    """The positions of the columns in `ExportPage.rows`."""

    (ID, NAME, KIND, ORG, CUSTOMER, SUPPLIER, LEAD, EMAIL, EMAIL_LABEL, PHONE, PHONE_LABEL,
     STREET, CITY, POSTCODE, COUNTRY, TAX_ID, NOTES, TERMS, ARCHIVED, NAME_KEY) = range(20)
    #: Where `details.COLUMNS` begin.
    DETAILS = 20
    (NAME_PARTS, REGION, ADDRESS_LABEL, BIRTHDAY, TITLE, ROLE, DEPARTMENT, WEBSITE, NICKNAME,
     UID, VCARD_EXTRA) = range(20, 31)


assert details.COLUMNS[0] == "name_parts" and details.COLUMNS[-1] == "vcard_extra"


@dataclass(frozen=True)
class ExportPage:
    """A page of contacts as the export reads them: the contact rows as the query
    returns them (positions: `E`), and per contact id its further channels
    (`{kind: [(value, label), ...]}`), tags and further addresses. The writers write
    the usual contact straight from these; `data(row)` is the general form."""

    rows: list[Any]
    channels: dict[int, dict[str, list[tuple[str, str]]]]
    tags: dict[int, list[str]]
    addresses: dict[int, list[Any]]

    def emails(self, r: Any) -> list[tuple[str, str]]:
        """The contact's e-mails as (value, label), the main one first."""
        more = self.channels.get(r[E.ID])
        main = [(r[E.EMAIL], r[E.EMAIL_LABEL])] if r[E.EMAIL] else []
        return main + more.get("email", []) if more else main

    def phones(self, r: Any) -> list[tuple[str, str]]:
        """The contact's phones as (value, label), the main one first."""
        more = self.channels.get(r[E.ID])
        main = [(r[E.PHONE], r[E.PHONE_LABEL])] if r[E.PHONE] else []
        return main + more.get("phone", []) if more else main

    def data(self, r: Any) -> ContactData:
        cid = r[E.ID]
        return ContactData.of({
            "name": r[E.NAME], "kind": r[E.KIND], "organization": r[E.ORG],
            "roles": ROLES_OF[bool(r[E.CUSTOMER]), bool(r[E.SUPPLIER]), bool(r[E.LEAD])],
            "emails": tuple(Channel(v, lb) for v, lb in self.emails(r)),
            "phones": tuple(Channel(v, lb) for v, lb in self.phones(r)),
            "street": r[E.STREET], "city": r[E.CITY], "postcode": r[E.POSTCODE],
            "country": r[E.COUNTRY], "tax_id": r[E.TAX_ID], "notes": r[E.NOTES],
            "payment_terms_days": r[E.TERMS], "archived": bool(r[E.ARCHIVED]),
            "tags": tuple(self.tags.get(cid, ())),
            "addresses": tuple(self.addresses.get(cid, ())),
            **details.from_columns(r[E.DETAILS:])})


def export_pages(s: Tx, *, include_archived: bool = False,
                 page: int = 2000) -> Iterator[ExportPage]:
    """Every contact with its organization's name, channels and tags, in name order, read
    a page at a time (keyset): four queries a page, the channels, tags and addresses
    of the page's contacts found by the page's own condition (no list of ids sent)."""
    after = ("", 0)
    where = "" if include_archived else "c.archived = FALSE AND "
    keyset = (f"WHERE {where}(c.name_key > :k OR (c.name_key = :k AND c.id > :i)) "
              "ORDER BY c.name_key, c.id LIMIT :n")
    page_ids = f"SELECT c.id FROM contact c {keyset}"
    while True:
        params = {"k": after[0], "i": after[1], "n": page}
        rows = s.execute(_EXPORT_SELECT + keyset, params).all()
        if not rows:
            return
        channels: dict[int, dict[str, list[tuple[str, str]]]] = {}
        for cid, kind, value, label in s.execute(
                "SELECT contact_id, kind, value, label FROM contact_channel "
                f"WHERE contact_id IN ({page_ids}) ORDER BY contact_id, kind, position, id",
                params):
            channels.setdefault(cid, {}).setdefault(kind, []).append((value, label))
        yield ExportPage(rows, channels, tags_in(s, page_ids, params),
                         details.addresses_in(s, page_ids, params))
        after = (rows[-1][E.NAME_KEY], rows[-1][E.ID])


def iter_contacts(s: Tx, *, include_archived: bool = False,
                  page: int = 2000) -> Iterator[ExportedContact]:
    """Every contact as `ContactData`, in name order (`export_pages`)."""
    for p in export_pages(s, include_archived=include_archived, page=page):
        for r in p.rows:
            yield ExportedContact(r[E.ID], p.data(r))


def write_contacts_file(s: Tx, path: str, fmt: str | None = None, *,
                        vcard_version: str = "4.0", include_archived: bool = False,
                        on_progress: Callable[[int], Any] | None = None,
                        force: bool = False, book: Database | None = None) -> int:
    """Write contacts to a CSV or vCard file (replaced atomically; '-' is stdout).
    Returns how many were written.

    The target follows `smallbiz.outfiles.check_target`: an existing file only with
    `force`, never the book or its companions."""
    kind = detect_format(path, fmt)
    if kind == "vcard" and vcard_version not in ("3.0", "4.0"):
        raise ValidationError(_("--vcard-version: '{v}' is not 3.0 or 4.0").format(
            v=vcard_version), field="vcard-version")
    advance = on_progress or (lambda n=1: None)

    def pages() -> Iterator[ExportPage]:
        for p in export_pages(s, include_archived=include_archived):
            yield p
            advance(len(p.rows))  # a bar's advance costs more than a contact's line

    if kind == "csv":
        from smallbiz.crm.contacts_csv import write_pages as writer
    else:
        from smallbiz.crm.vcard import write_pages as vcard_writer

        def writer(rows: Any, out: Any) -> int:
            return vcard_writer(rows, out, version=vcard_version)

    if path == "-":
        return writer(pages(), sys.stdout)
    from smallbiz.outfiles import atomic_output

    with atomic_output(path, force=force, book=book, mode="w", newline="") as out:
        count = writer(pages(), out)
    return count
