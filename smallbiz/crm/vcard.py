"""Contacts as vCard: read 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350); write 3.0 or 4.0.

Our own reader and writer (vobject split FN on its commas and reads no 2.1).

Reading: lines end in CRLF, LF, CR or CR CR LF (iPhone); folded lines (a leading space
or tab) are unfolded, and so are quoted-printable soft breaks (2.1: `=` at the end of a
line). Parameters: `TYPE=a,b`, repeated `type=`, 2.1's bare ones (`TEL;CELL;PREF:`),
`ENCODING=QUOTED-PRINTABLE` with its `CHARSET`, quoted values. `PROFILE:VCard` (Lotus
Notes) is accepted and not kept.

- FN (one text, commas and all; else N, else ORG) → name; KIND:org (4.0) or
  X-ABShowAs:COMPANY (Apple) → an organization; N → the structured name; ORG → the
  organization, its units → department; NICKNAME, BDAY, TITLE, ROLE, the first URL, UID.
- Every EMAIL and TEL with its label: the TYPEs that say something, in order (`cell`,
  `work fax`), or Apple's `itemN.X-ABLabel`; preferred first. `TEL;VALUE=uri:tel:...;ext=N`
  becomes `... ext. N`.
- Every ADR with its label: post box, extended and street make the street; the preferred
  is the main address, the others are further addresses.
- CATEGORIES → tags, every NOTE → notes, smallbiz's own X-SMALLBIZ-ROLES, -TAX-ID,
  -PAYMENT-TERMS, -ARCHIVED.
- Every other property (PHOTO, IM handles, X-..., further TITLEs, ...) is kept verbatim
  (unfolded; quoted-printable decoded) and written back by an export.
- Not kept, and reported by name with a count: VERSION, PRODID, REV, PROFILE, the
  URL's TYPE, parameters smallbiz does not read on the properties it reads (ADR;LABEL=,
  ...), values that are not an e-mail address or phone number, repeated values.

A property may be at most MAX_FIELD characters (unfolded); a longer one the reader uses
makes the card an error; a longer one it keeps aside is dropped and reported. A card's
text is at most MAX_CARD characters.

Writing: one card per contact in the version asked for (4.0 by default, or 3.0), UTF-8,
lines folded at 75 octets (never inside a character), CRLF line ends. N is written from
the stored parts, or from the name only when that is certain (two words); else it is
empty (3.0, where it is required) or left out (4.0).
"""

from __future__ import annotations

import json
import quopri
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from smallbiz.crm.details import (
    PostalAddress,
    derived_name_parts,
    name_from_parts,
    name_parts_for,
)
from smallbiz.crm.importing import (
    MAX_FIELD,
    ROLES_OF,
    ContactBatch,
    ContactRecord,
    E,
    ExportPage,
)
from smallbiz.crm.service import Channel, ContactData, clean_email, clean_phone, clean_tag
from smallbiz.errors import UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.textcheck import refuse_control

#: The most text read of one card, in characters.
MAX_CARD = 1024 * 1024
_LINE_END = re.compile(r"\r*\n|\r")
_NOT_LABELS = {"internet", "pref", "voice", "x400", "text", "x-internet"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_TOKEN = re.compile(r"^[a-z0-9-]+$")
_ENCODINGS = {"quoted-printable", "base64", "b", "8bit", "7bit"}
_READ_PARAMS = {"type", "pref", "encoding", "charset", "value"}
_NOT_KEPT = ("VERSION", "PRODID", "REV", "PROFILE")
_EXT = re.compile(r";\s*ext=", re.IGNORECASE)
_LABEL_MAX = 32
#: The properties `card_data` reads (an optional group such as `item1.` first): longer
#: than MAX_FIELD, one makes its card an error (the others are dropped).
_READ = re.compile(r"(?:[A-Za-z0-9-]+\.)?(?:VERSION|PRODID|REV|PROFILE|FN|N|ORG|KIND|"
                   r"X-ABSHOWAS|X-ABLABEL|ADR|NOTE|CATEGORIES|EMAIL|TEL|URL|NICKNAME|BDAY|"
                   r"TITLE|ROLE|UID|X-SMALLBIZ-[A-Za-z0-9-]+)[;:]", re.IGNORECASE)


@dataclass
class Prop:
    """One property of a card: `group.NAME;params:value` (value still escaped)."""

    line: int
    group: str
    name: str  # upper case
    params: dict[str, list[str]]
    value: str
    raw: str  # the unfolded line as read (quoted-printable decoded and re-encoded)

    def types(self) -> list[str]:
        if "TYPE" not in self.params:
            return []
        return [t.strip().lower() for t in self.params["TYPE"] if t.strip()]

    def pref(self) -> int:
        if "PREF" not in self.params and "TYPE" not in self.params:
            return 100
        if "pref" in self.types():
            return 1
        try:
            return int(self.params.get("PREF", ["100"])[0])
        except ValueError:
            return 1


@dataclass
class _Tally:
    not_kept: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


# -- splitting ------------------------------------------------------------------------------

def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)  # the usual case: no quoted parameter value
    parts, buf, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _colon(line: str) -> int:
    """Where the value starts: the first ':' outside a quoted parameter value."""
    at = line.find(":")
    if '"' not in line[:at]:
        return at  # no quote before the first ':' (or no ':' at all: -1)
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return i
    return -1


def parse_property(line: str, number: int) -> Prop:
    at = _colon(line)
    if at <= 0:
        raise ValidationError(_("line {n}: not a property (no ':'): {text}").format(
            n=number, text=line[:60]))
    head, value = line[:at], line[at + 1:]
    if ";" not in head and "." not in head and (name := head.strip()):
        return Prop(number, "", name.upper(), {}, value, line)  # NAME:value, the usual line
    pieces = _split_outside_quotes(head, ";")
    name = pieces[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name:
        raise ValidationError(_("line {n}: a property without a name").format(n=number))
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        piece = piece.strip()
        if not piece:
            continue
        if "=" in piece:
            key, val = piece.split("=", 1)
            key = key.strip().upper()
        else:  # vCard 2.1: a bare value (TEL;CELL, ;QUOTED-PRINTABLE)
            key, val = ("ENCODING" if piece.lower() in _ENCODINGS else "TYPE"), piece
        values = []
        for v in _split_outside_quotes(val, ","):
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] == '"':
                v = v[1:-1]
            values.extend(x for x in (v.split(",") if key == "TYPE" else [v]) if x)
        params.setdefault(key, []).extend(values)
    prop = Prop(number, group, name.upper(), params, value, line)
    encoding = [e.lower() for e in params.get("ENCODING", [])]
    if "quoted-printable" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        data = quopri.decodestring(value.encode("ascii", "replace"))
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = data.decode("utf-8", "replace")
        prop.value = escape(text) if prop.name not in ("N", "ADR", "ORG") else \
            ";".join(escape(p) for p in text.split(";"))
        params.pop("ENCODING", None)
        params.pop("CHARSET", None)
        prop.raw = _line(prop.group, prop.name, params, prop.value)
    return prop


def split_cards(content: str) -> Iterator[tuple[int, int, list[Prop], str | None]]:
    """(card number, first line, properties, error) of each BEGIN:VCARD ... END:VCARD,
    card by card as the text is read (a card's properties are parsed when it ends).

    Refuses (ValidationError) text outside a card and a card without its END."""
    cards = 0
    lines = _LINE_END.split(content)
    current: list[tuple[int, str]] | None = None
    start = 0
    qp = False  # the property being read is quoted-printable and ends in a soft break
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        # BEGIN:VCARD and END:VCARD are 11 and 9 characters: only those are upper-cased
        upper = stripped.upper() if len(stripped) in (9, 11) else ""
        if current is None:
            if upper == "BEGIN:VCARD":
                current, start = [], n
            elif stripped:
                raise ValidationError(_("line {n}: text outside a card (expected "
                                        "BEGIN:VCARD)").format(n=n))
            continue
        if qp and current:
            number, text = current[-1]
            if len(text) <= MAX_FIELD:  # past the limit it is refused or dropped: stop growing
                current[-1] = (number, text[:-1] + line)
            qp = line.endswith("=")
            continue
        if upper == "BEGIN:VCARD":
            raise ValidationError(_("card {c} (line {n}): no END:VCARD before the next card")
                                  .format(c=cards + 1, n=start))
        if upper == "END:VCARD":
            cards += 1
            yield (cards, start, *_props(current))
            current = None
            continue
        if not stripped:
            continue
        if line[0] in (" ", "\t") and current:
            number, text = current[-1]
            if len(text) <= MAX_FIELD:  # past the limit it is refused or dropped: stop growing
                current[-1] = (number, text + line[1:])
            continue
        current.append((n, line))
        qp = line.endswith("=") and "QUOTED-PRINTABLE" in line[:max(_colon(line), 0)].upper()
    if current is not None:
        raise ValidationError(_("card {c} (line {n}): no END:VCARD (the file ends inside the "
                                "card)").format(c=cards + 1, n=start))


def _props(lines: list[tuple[int, str]]) -> tuple[list[Prop], str | None]:
    props: list[Prop] = []
    size = 0
    for number, text in lines:
        if len(text) > MAX_FIELD and _READ.match(text) is not None:
            return [], _("line {n}: a property longer than {k} characters").format(
                n=number, k=MAX_FIELD)
        size += len(text)
        if size > MAX_CARD:
            return [], _("line {n}: the card is longer than {k} characters").format(
                n=number, k=MAX_CARD)
        try:
            props.append(parse_property(text, number))
        except ValidationError as exc:
            return [], _("broken card: {reason}").format(reason=exc.message)
    return props, None


# -- values ---------------------------------------------------------------------------------

def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_NEEDS_ESCAPE = re.compile(r"[\\\n,;]")


def escape(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text  # the usual value: nothing to escape
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
            .replace(";", "\\;"))


def split_value(text: str, sep: str) -> list[str]:
    """A value's components (split at `sep` not escaped), unescaped."""
    if "\\" not in text:
        return text.split(sep)  # the usual case: nothing escaped
    parts, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append(unescape("".join(buf)))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append(unescape("".join(buf)))
    return parts


def _clean(text: str) -> str:
    return " ".join(text.split())


# -- reading --------------------------------------------------------------------------------

def read(content: str, *, source: str = "vCard") -> ContactBatch:
    """The records of a vCard file and the report of what is not kept. A card that
    cannot be read becomes a record with its error (`card N (line L): ...`); a file with
    no card structure raises."""
    tally = _Tally()
    records: list[ContactRecord] = []
    cards = split_cards(content)
    while True:
        try:
            card = next(cards, None)
        except ValidationError as exc:
            raise ValidationError(f"{source}: {exc.message}") from None
        if card is None:
            break
        number, line, props, error = card
        where = _("card {c} (line {n})").format(c=number, n=line)
        if error is not None:
            records.append(ContactRecord(where, None, error))
            continue
        try:
            records.append(ContactRecord(where, card_data(props, tally, where)))
        except UserError as exc:
            records.append(ContactRecord(where, None, exc.message))
    if not records:
        raise ValidationError(_("{file}: no vCard found (BEGIN:VCARD ... END:VCARD)").format(
            file=source))
    return ContactBatch(source, records, (), tuple(sorted(tally.not_kept.items())),
                        tuple(sorted(tally.kept.items())), tuple(tally.notes))


def parse(content: str, *, source: str = "vCard") -> list[ContactRecord]:
    return read(content, source=source).records


def _label(types: Iterable[str]) -> str:
    seen: list[str] = []
    for t in types:
        if t not in _NOT_LABELS and t not in seen:
            seen.append(t)
    return " ".join(seen)


def _apple_label(value: str) -> str:
    m = _APPLE_LABEL.match(value.strip())
    return _clean(m.group(1) if m else value).lower()


def card_data(props: Sequence[Prop], tally: _Tally | None = None,
              where: str = "") -> ContactData:
    """One card's contact. `tally` counts what is not kept and what is kept aside."""
    tally = tally or _Tally()
    by: dict[str, list[Prop]] = {}
    for p in props:
        by.setdefault(p.name, []).append(p)
    labelled = {p.group.lower() for n in ("EMAIL", "TEL", "ADR", "URL") for p in by.get(n, [])
                if p.group}
    labels: dict[str, str] = {}
    used: set[int] = set()  # ids of the properties read

    def take(p: Prop) -> Prop:
        used.add(id(p))
        for key in p.params:
            if key.lower() not in _READ_PARAMS:
                tally.not_kept[f"{p.name};{key}"] += 1
        return p

    for p in by.get("X-ABLABEL", []):
        if p.group and p.group.lower() in labelled:
            labels[p.group.lower()] = _apple_label(unescape(p.value))
            used.add(id(p))

    def first(name: str) -> str:
        values = by.get(name, [])
        return unescape(take(values[0]).value) if values else ""

    for name in _NOT_KEPT:
        for p in by.get(name, []):
            used.add(id(p))
            if name != "VERSION":
                tally.not_kept[name] += 1
    kind = "person"
    for p in by.get("KIND", [])[:1]:
        if p.value.strip().lower() in ("org", "organization"):
            kind = "organization"
            take(p)
        elif p.value.strip().lower() == "individual":
            take(p)
    for p in by.get("X-ABSHOWAS", [])[:1]:
        if p.value.strip().upper() == "COMPANY":
            kind = "organization"
            take(p)
    org_parts: list[str] = []
    if by.get("ORG"):
        org_parts = [_clean(x) for x in split_value(take(by["ORG"][0]).value, ";")]
    org_name = org_parts[0] if org_parts else ""
    department = "; ".join(x for x in org_parts[1:] if x)
    parts: tuple[str, ...] = ()
    if by.get("N"):
        parts = tuple((split_value(take(by["N"][0]).value, ";") + [""] * 5)[:5])
        parts = tuple(_clean(x) for x in parts)
    name = _clean(first("FN")) or name_from_parts(parts)
    if not name and org_name:
        name, kind = org_name, "organization"
    emails = _channels(by.get("EMAIL", []), labels, take, clean_email, "EMAIL", tally)
    phones = _channels(by.get("TEL", []), labels, take, clean_phone, "TEL", tally)
    if not name:
        name = emails[0].value if emails else phones[0].value if phones else ""
        if not name:
            raise ValidationError(_("no name (FN, N, ORG, EMAIL or TEL)"), field="name")
        tally.notes.append(_("{where}: no name; named from its e-mail or phone: {name}")
                           .format(where=where, name=name))
    adrs = sorted(by.get("ADR", []), key=Prop.pref)
    addresses = [_address(take(p), labels) for p in adrs]
    main = addresses[0] if addresses else PostalAddress()
    tags: list[str] = []
    for p in by.get("CATEGORIES", []):
        take(p)
        for t in split_value(p.value, ","):
            t = _clean(refuse_control(t, "tag"))
            if not t:
                continue
            try:
                clean_tag(t)
            except ValidationError:
                tally.not_kept[_("CATEGORIES (not a tag: too long, or ',' or ';')")] += 1
                continue
            tags.append(t)
    notes = "\n".join(n.replace("\r\n", "\n") for p in by.get("NOTE", [])
                      if (n := unescape(take(p).value).strip()))
    website = ""
    if by.get("URL"):
        url = take(by["URL"][0])
        website = unescape(url.value).strip()
        if url.types() or (url.group and url.group.lower() in labels):
            tally.not_kept[_("URL label")] += 1
    roles = {r.strip().lower() for p in by.get("X-SMALLBIZ-ROLES", [])
             for r in unescape(take(p).value).replace(";", ",").split(",") if r.strip()}
    archived = first("X-SMALLBIZ-ARCHIVED").strip().lower() in ("yes", "true", "1")
    values = {n: first(n) for n in ("NICKNAME", "BDAY", "TITLE", "ROLE", "UID",
                                    "X-SMALLBIZ-TAX-ID", "X-SMALLBIZ-PAYMENT-TERMS")}
    extra = []
    for p in props:
        if id(p) in used:
            continue
        if len(p.raw) > MAX_FIELD:
            tally.not_kept[_("{name} (longer than {k} characters)").format(
                name=p.name, k=MAX_FIELD)] += 1
            continue
        tally.kept[p.name] += 1
        extra.append(p.raw)
    return ContactData.of({
        "name": name, "kind": kind,
        "organization": org_name if kind == "person" and org_name else None,
        "roles": frozenset(roles), "emails": emails, "phones": phones,
        "street": main.street, "city": main.city, "region": main.region,
        "postcode": main.postcode, "country": main.country, "address_label": main.label,
        "addresses": tuple(addresses[1:]), "tax_id": values["X-SMALLBIZ-TAX-ID"].strip(),
        "notes": notes,
        "payment_terms_days": values["X-SMALLBIZ-PAYMENT-TERMS"].strip() or None,
        "tags": tuple(tags), "archived": archived, "name_parts": parts,
        "department": department, "nickname": _clean(values["NICKNAME"]),
        "birthday": _clean(values["BDAY"]), "title": _clean(values["TITLE"]),
        "role": _clean(values["ROLE"]), "website": website, "uid": values["UID"].strip(),
        "vcard_extra": tuple(extra)})


def _address(p: Prop, labels: dict[str, str]) -> PostalAddress:
    box, ext, street, city, region, code, country = (split_value(p.value, ";") + [""] * 7)[:7]
    label = labels.get(p.group.lower(), "") if p.group else ""
    return PostalAddress(
        label or _label(p.types()),
        ", ".join(x for x in (_clean(box), _clean(ext), _clean(street)) if x),
        _clean(city), _clean(region), _clean(code), _clean(country))


def _channels(props: list[Prop], labels: dict[str, str], take: Callable[[Prop], Prop],
              clean: Callable[[str], str], what: str, tally: _Tally) -> tuple[Channel, ...]:
    out: list[Channel] = []
    seen: set[str] = set()
    for p in sorted(props, key=Prop.pref):  # stable: preferred first
        take(p)
        value = unescape(p.value).strip()
        if what == "TEL":
            if ";" in value:
                value = _EXT.sub(" ext. ", value)
            if value.lower().startswith("tel:"):
                value = value[4:]
        if not value:
            continue
        try:
            value = clean(value)
        except ValidationError:
            tally.not_kept[_("{name} (not an e-mail address or phone number)").format(
                name=what)] += 1
            continue
        if value in seen:
            tally.not_kept[_("{name} (the same value again)").format(name=what)] += 1
            continue
        seen.add(value)
        label = labels.get(p.group.lower(), "") if p.group else ""
        label = label or _label(p.types())
        if len(label) > _LABEL_MAX:
            tally.not_kept[_("{name} label (cut to {k} characters)").format(
                name=what, k=_LABEL_MAX)] += 1
            label = label[:_LABEL_MAX].strip()
        out.append(Channel(value, label))
    return tuple(out)


# -- writing -------------------------------------------------------------------------------

def _line(group: str, name: str, params: dict[str, list[str]], value: str) -> str:
    head = f"{group}.{name}" if group else name
    for key, values in params.items():
        if values:
            head += f";{key}=" + ",".join(f'"{v}"' if any(c in v for c in ':;,') else v
                                          for v in values)
    return f"{head}:{value}"


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a character, with CRLF."""
    if len(line) <= 18 or (len(line) <= 75 and line.isascii()):
        return line + "\r\n"  # short enough whatever its characters' UTF-8 lengths
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out, chunk, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74
        chunk.append(ch)
        size += n
    out.append("".join(chunk))
    return "\r\n ".join(out) + "\r\n"


def _types(label: str) -> list[str] | None:
    """A label as TYPE values, or None when it needs Apple's X-ABLabel."""
    known = _TYPES_SEEN.get(label)
    if known is None:
        tokens = label.split()
        known = (tokens,) if all(_TOKEN.match(t) and t not in _NOT_LABELS
                                 for t in tokens) else (None,)
        if len(_TYPES_SEEN) < 1024:  # an export's labels are a few: work, home, cell, ...
            _TYPES_SEEN[label] = known
    return list(known[0]) if known[0] is not None else None


_TYPES_SEEN: dict[str, tuple[list[str] | None]] = {}
#: The text before the value of an EMAIL, TEL or ADR line without a group, by (property,
#: label, 3.0?, preferred?): e.g. `TEL;TYPE=cell;PREF=1:`.
_HEADS: dict[tuple[str, str, bool, bool], str] = {}


def _labelled(lines: list[str], kind: str, values: Sequence[tuple[str, str]], v3: bool,
              group: int) -> int:
    """The EMAIL, TEL or ADR lines of (escaped value, label) pairs, added to `lines`;
    returns the last Apple label group used (`group` when none was)."""
    for i, (value, label) in enumerate(values):
        preferred = i == 0 and len(values) > 1
        head = _HEADS.get((kind, label, v3, preferred))
        if head is not None:  # this kind of property with this label written before
            lines.append(head + value)
            continue
        types = _types(label)
        prefix = ""
        if types is None:  # not TYPE words: Apple's label in a group
            group += 1
            prefix = f"label{group}"
        tlist = (["internet"] if v3 and kind == "EMAIL" else []) + list(types or [])
        params: dict[str, list[str]] = {}
        if v3:
            tlist = [t.upper() for t in tlist + (["pref"] if preferred else [])]
        if tlist:
            params["TYPE"] = tlist
        if not v3 and preferred:
            params["PREF"] = ["1"]
        lines.append(_line(prefix, kind, params, value))
        if prefix:
            lines.append(f"{prefix}.X-ABLabel:{escape(label)}")
        elif len(_HEADS) < 1024:  # an export's labels are a few: work, home, cell, ...
            _HEADS[kind, label, v3, preferred] = _line("", kind, params, "")
    return group


def card_lines(c: ContactData, *, version: str = "4.0") -> list[str]:
    """One contact's content lines (not folded)."""
    v3 = version == "3.0"
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    org = c.name if c.kind == "organization" else c.organization
    if c.kind == "organization" and not v3:
        lines.append("KIND:org")
    lines.append("FN:" + escape(c.name))
    parts = name_parts_for(c.name, c.name_parts) if c.kind == "person" else tuple(c.name_parts)
    if parts or v3:
        lines.append("N:" + ";".join(escape(p) for p in (tuple(parts) + ("",) * 5)[:5]))
    if c.kind == "organization" and v3:
        lines.append("X-ABShowAs:COMPANY")
    if org or c.department:
        units = [escape(u) for u in c.department.split("; ")] if c.department else []
        lines.append("ORG:" + ";".join([escape(org or ""), *units]))
    for name, value in (("NICKNAME", c.nickname), ("BDAY", c.birthday), ("TITLE", c.title),
                        ("ROLE", c.role)):
        if value:
            lines.append(f"{name}:{escape(value)}")
    labelled: list[tuple[str, list[tuple[str, str]]]] = [
        ("EMAIL", [(escape(ch.value), ch.label) for ch in c.emails]),
        ("TEL", [(escape(ch.value), ch.label) for ch in c.phones])]
    main = PostalAddress(c.address_label, c.street, c.city, c.region, c.postcode, c.country)
    addresses = ([main] if not main.empty() else []) + list(c.addresses)
    labelled.append(("ADR", [(";".join(escape(x) for x in (
        "", "", a.street, a.city, a.region, a.postcode, a.country)), a.label)
        for a in addresses]))
    group = 0
    for kind, values in labelled:
        group = _labelled(lines, kind, values, v3, group)
    if c.website:
        lines.append("URL:" + escape(c.website))
    if c.uid:
        lines.append("UID:" + escape(c.uid))
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in c.tags))
    if c.notes:
        lines.append("NOTE:" + escape(c.notes))
    if c.roles:
        lines.append("X-SMALLBIZ-ROLES:" + escape(",".join(sorted(c.roles))))
    if c.tax_id:
        lines.append("X-SMALLBIZ-TAX-ID:" + escape(c.tax_id))
    if c.payment_terms_days is not None:
        lines.append(f"X-SMALLBIZ-PAYMENT-TERMS:{c.payment_terms_days}")
    if c.archived:
        lines.append("X-SMALLBIZ-ARCHIVED:yes")
    lines.extend(c.vcard_extra)
    lines.append("END:VCARD")
    return lines


def folded(lines: list[str]) -> str:
    """Content lines folded (`fold`), each ended by CRLF: at once when no line needs it."""
    if max(map(len, lines)) <= 75:
        text = "\r\n".join(lines)
        if text.isascii():  # the usual card: no line longer than 75 octets
            return text + "\r\n"
    return "".join([fold(line) for line in lines])


def to_vcard(c: ContactData, *, version: str = "4.0") -> str:
    """One contact as vCard text (folded, CRLF)."""
    return folded(card_lines(c, version=version))


def write(contacts: Iterable[ContactData], out: TextIO, *, version: str = "4.0") -> int:
    """Write one card per contact; returns how many were written."""
    count = 0
    chunk: list[str] = []
    for c in contacts:
        chunk.append(to_vcard(c, version=version))
        count += 1
        if len(chunk) == 500:  # written in large pieces
            out.write("".join(chunk))
            chunk = []
    out.write("".join(chunk))
    return count


#: The X-SMALLBIZ-ROLES line by a contact's (is_customer, is_supplier, is_lead) flags.
_ROLES_LINE = {flags: "X-SMALLBIZ-ROLES:" + escape(",".join(sorted(roles))) if roles else ""
               for flags, roles in ROLES_OF.items()}


def _fast_card(page: ExportPage, r: Any, version: str, v3: bool) -> str:
    """The card of a contact without further addresses or kept properties, straight from
    the export's row (what `card_lines` writes for it; tests/crm/test_export_identical.py)."""
    name, kind, org = r[E.NAME], r[E.KIND], r[E.ORG]
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if kind == "organization":
        org = name
        if not v3:
            lines.append("KIND:org")
    lines.append("FN:" + escape(name))
    stored = r[E.NAME_PARTS]
    parts = tuple(json.loads(stored)) if stored else ()
    if kind == "person" and not parts:
        parts = derived_name_parts(name)
    if parts or v3:
        lines.append("N:" + ";".join([escape(p) for p in (parts + ("",) * 5)[:5]]))
    if kind == "organization" and v3:
        lines.append("X-ABShowAs:COMPANY")
    department = r[E.DEPARTMENT]
    if org or department:
        units = [escape(u) for u in department.split("; ")] if department else []
        lines.append("ORG:" + ";".join([escape(org or ""), *units]))
    for prop, value in (("NICKNAME:", r[E.NICKNAME]), ("BDAY:", r[E.BIRTHDAY]),
                        ("TITLE:", r[E.TITLE]), ("ROLE:", r[E.ROLE])):
        if value:
            lines.append(prop + escape(value))
    group = _labelled(lines, "EMAIL", [(escape(v), lb) for v, lb in page.emails(r)], v3, 0)
    group = _labelled(lines, "TEL", [(escape(v), lb) for v, lb in page.phones(r)], v3, group)
    address = r[E.STREET], r[E.CITY], r[E.REGION], r[E.POSTCODE], r[E.COUNTRY]
    if any(address):
        _labelled(lines, "ADR", [(";;" + ";".join([escape(x) for x in address]),
                                  r[E.ADDRESS_LABEL])], v3, group)
    for prop, value in (("URL:", r[E.WEBSITE]), ("UID:", r[E.UID])):
        if value:
            lines.append(prop + escape(value))
    tags = page.tags.get(r[E.ID])
    if tags:
        lines.append("CATEGORIES:" + ",".join([escape(t) for t in tags]))
    if r[E.NOTES]:
        lines.append("NOTE:" + escape(r[E.NOTES]))
    roles = _ROLES_LINE[bool(r[E.CUSTOMER]), bool(r[E.SUPPLIER]), bool(r[E.LEAD])]
    if roles:
        lines.append(roles)
    if r[E.TAX_ID]:
        lines.append("X-SMALLBIZ-TAX-ID:" + escape(r[E.TAX_ID]))
    if r[E.TERMS] is not None:
        lines.append(f"X-SMALLBIZ-PAYMENT-TERMS:{r[E.TERMS]}")
    if r[E.ARCHIVED]:
        lines.append("X-SMALLBIZ-ARCHIVED:yes")
    lines.append("END:VCARD")
    return folded(lines)


def write_pages(pages: Iterable[ExportPage], out: TextIO, *, version: str = "4.0") -> int:
    """`write` of the export's pages: the usual contact straight from its row, one with
    further addresses or kept card properties through `ContactData`."""
    v3 = version == "3.0"
    count = 0
    for page in pages:
        addresses = page.addresses
        out.write("".join([
            to_vcard(page.data(r), version=version)
            if r[E.VCARD_EXTRA] or r[E.ID] in addresses
            else _fast_card(page, r, version, v3) for r in page.rows]))
        count += len(page.rows)
    return count
