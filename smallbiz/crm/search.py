"""Finding contacts fast: the search index and the paged contact list.

SQLite: a regular FTS5 table ``contact_fts`` (trigram tokenizer, rowid = contact id)
holds one search document per contact — name, organization name, email, phone (also
digits only), further emails/phones, tags, the romanized names (`doc_sql`, which leaves
out the digits and romanized names that repeat what is there already). It keeps its own
copy of the document, so a row is replaced by rowid without knowing its old text. The
service code keeps it in step: every function that changes a contact, its tags, channels
or an organization's name calls `reindex` in the same transaction; `smallbiz check`
compares it with the documents rebuilt from the tables.

Queries of three characters or more are trigram MATCHes (substring, case-insensitive,
any script); shorter ones walk the name index in order with a LIMIT (word prefix of the
name, or email prefix).

PostgreSQL (migration 0024): a table ``contact_search`` (contact_id, doc) holds the same
document (`doc_sql`, aggregated in a fixed order), kept in step by the same functions in
the same transaction, and compared by `smallbiz check`; every query term is an
``doc ILIKE '%term%'`` on it, which its trigram GIN index (pg_trgm, when the server has
it) answers as an index scan, and which reads the table where there is no index.

Every function takes a `smallbiz.sql.Tx`, like every service.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from smallbiz.crm.common import parse_choice
from smallbiz.errors import NotFound, ValidationError
from smallbiz.i18n import _
from smallbiz.romanize import romanize
from smallbiz.sql import Tx

ROLES = ("customer", "supplier", "lead")
KINDS = ("person", "organization")
_ROLE_COLUMN = {"customer": "is_customer", "supplier": "is_supplier", "lead": "is_lead"}
#: Upper bound for a prefix range on name_key (the largest code point).
_TOP = "\U0010ffff"
_CHUNK = 500

_DIGITS = ("replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), "
           "')', ''), '.', '')")


def doc_sql(channels: str, tags: str) -> str:
    """The search document of contact `c` (its organization `o`) as one SQL expression,
    with `channels` and `tags` the aggregates of a contact's channel values and tag names.

    It leaves out what a case-insensitive substring match of the rest already finds: the
    phone's digits when they are the phone as written, and a romanized name when it is
    the name lower-cased (a Latin name; `lower` changes only ASCII letters, so nothing a
    query could match is lost). Query terms hold no spaces, and the parts are joined by
    spaces, so no match spans two parts."""
    return (
        "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
        f"COALESCE(NULLIF({_DIGITS}, c.phone), '') || ' ' || "
        f"COALESCE((SELECT {channels} FROM contact_channel ch "
        "WHERE ch.contact_id = c.id), '') || ' ' || "
        f"COALESCE((SELECT {tags} FROM contact_tag ct JOIN tag t "
        "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || ' ' || "
        "COALESCE(NULLIF(c.name_latin, lower(c.name)), '') || ' ' || "
        "COALESCE(NULLIF(o.name_latin, lower(o.name)), '')")


def doc_select(dialect: str) -> str:
    """The search document of each contact, selected as (id, doc), for `dialect`'s
    aggregate (SQLite's group_concat, in the order the index gives; elsewhere ordered)."""
    if dialect == "sqlite":
        channels, tags = "group_concat(ch.value, ' ')", "group_concat(t.name, ' ')"
    else:
        channels = "string_agg(ch.value, ' ' ORDER BY ch.id)"
        tags = "string_agg(t.name, ' ' ORDER BY t.name)"
    return ("SELECT c.id AS id, " + doc_sql(channels, tags)
            + " AS doc FROM contact c LEFT JOIN contact o ON o.id = c.organization_id")


#: Where each engine keeps the documents: (table, contact id column).
_STORE = {"sqlite": ("contact_fts", "rowid")}
_SERVER_STORE = ("contact_search", "contact_id")
#: PostgreSQL's trigram GIN index on the stored documents (migration 0024, when pg_trgm
#: is there); not a model index (an operator class).
TRIGRAM_INDEX = "ix_contact_search_doc_trgm"


def store(dialect: str) -> tuple[str, str]:
    """The table holding the search documents on `dialect`, and its contact id column."""
    return _STORE.get(dialect, _SERVER_STORE)


def _write_docs(conn: Tx, where: str, params: dict[str, Any]) -> None:
    """(Re)write the documents of the contacts `where` selects (on `c`): SQLite's FTS5
    table replaces by delete and insert; a server upserts, so two transactions writing
    one contact's row wait for each other instead of colliding on its key."""
    table, key = store(conn.dialect)
    select = f"{doc_select(conn.dialect)} WHERE {where}"
    if conn.dialect == "sqlite":
        conn.execute(f"INSERT INTO {table} ({key}, doc) {select}", params)
    else:
        conn.execute(f"INSERT INTO {table} ({key}, doc) {select} "
                     f"ON CONFLICT ({key}) DO UPDATE SET doc = EXCLUDED.doc", params)


def name_key(name: str) -> str:
    """The key names are compared and sorted by: NFC, single spaces, case-folded."""
    if name.isascii():  # NFC changes no ASCII text, and casefold is lower for it
        return " ".join(name.split()).lower()
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _in(values: Sequence[Any], prefix: str = "v") -> tuple[str, dict[str, Any]]:
    """Placeholders for an IN list and their parameters: (":v0, :v1", {"v0": .., ...})."""
    params = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{k}" for k in params), params


def _scalar(conn: Tx, sql: str, params: dict[str, Any] | None = None) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row is not None else None


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i:i + _CHUNK])


def _romanize_names(conn: Tx, where: str, params: dict[str, Any]) -> None:
    """Keep `contact.name_latin` (the romanized name) of the contacts `where` selects."""
    rows = conn.execute(f"SELECT id, name, name_latin FROM contact WHERE {where}",
                        params).fetchall()
    stale = [(latin_now, cid) for cid, name, latin in rows
             if (latin_now := romanize(name)) != latin]
    if stale:
        conn.executemany("UPDATE contact SET name_latin = ? WHERE id = ?", stale)


def reindex(conn: Tx, ids: Iterable[int], *, with_members: bool = False) -> None:
    """Rebuild the search documents of these contacts (and their members, when an
    organization's name changed), their romanized names first (every engine)."""
    wanted = sorted({int(i) for i in ids})
    for chunk in _chunks(wanted):
        ids_in, params = _in(chunk)
        _romanize_names(conn, f"id IN ({ids_in})", params)
    table, key = store(conn.dialect)
    if with_members and wanted:
        for chunk in _chunks(wanted):
            ids_in, params = _in(chunk)
            wanted.extend(r[0] for r in conn.execute(
                    f"SELECT id FROM contact WHERE organization_id IN ({ids_in})", params))
        wanted = sorted(set(wanted))
    for chunk in _chunks(wanted):
        ids_in, params = _in(chunk)
        if conn.dialect == "sqlite":
            conn.execute(f"DELETE FROM {table} WHERE {key} IN ({ids_in})", params)
        _write_docs(conn, f"c.id IN ({ids_in})", params)


def index_new(conn: Tx, first: int, last: int, *, romanized: bool = False) -> None:
    """Index contacts first..last (ids), added in bulk and not indexed yet (their
    romanized names first, on every engine, unless they were inserted `romanized`:
    with `name_latin` = `romanize(name)`)."""
    if last < first:
        return
    if not romanized:
        _romanize_names(conn, "id BETWEEN :a AND :b", {"a": first, "b": last})
    _write_docs(conn, "c.id BETWEEN :a AND :b", {"a": first, "b": last})


def unindex(conn: Tx, ids: Iterable[int]) -> None:
    """Drop deleted contacts from the search index."""
    table, key = store(conn.dialect)
    for chunk in _chunks(sorted({int(i) for i in ids})):
        ids_in, params = _in(chunk)
        conn.execute(f"DELETE FROM {table} WHERE {key} IN ({ids_in})", params)


def reindex_all(conn: Tx) -> None:
    """Rebuild the whole search index (after bulk changes)."""
    _romanize_names(conn, "1=1", {})
    conn.execute(f"DELETE FROM {store(conn.dialect)[0]}")
    _write_docs(conn, "1=1", {})


@dataclass(frozen=True)
class ContactRow:
    """One line of the contact list."""

    id: int
    name: str
    kind: str
    organization: str | None
    email: str
    phone: str
    roles: tuple[str, ...]
    tags: tuple[str, ...]
    archived: bool
    name_key: str


@dataclass(frozen=True)
class ContactFilter:
    """What `list_contacts` and `count_contacts` select."""

    search: str | None = None
    roles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kind: str | None = None
    include_archived: bool = False


def parse_role(value: str, *, field: str = "role") -> str:
    return parse_choice(value, ROLES, field=field, what=_("role"))


def parse_kind(value: str, *, field: str = "kind") -> str:
    return parse_choice(value, KINDS, field=field, what=_("kind"),
                        aliases={"org": "organization", "organisation": "organization"})


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: Up to this many FTS hits, the page is found by looking each hit up and sorting them;
#: above it, by walking the name index in order until the page is full (measured on
#: 100k contacts: both stay within ~25 ms on their side of the line; a walk is slowest
#: when the hits sort last, e.g. Georgian names after Latin ones).
LOOKUP_MAX = 5000


@dataclass
class _Query:
    where: list[str]
    params: dict[str, Any]
    fts: str | None = None  # "SELECT rowid FROM contact_fts WHERE ..." when searching


def _spellings(term: str) -> list[str]:
    """A query term and its romanized form (when that differs and is long enough to
    match): `ნინო` also looks for `nino`, so Georgian finds Latin; Latin finds Georgian
    through the romanized names in the search document."""
    latin = romanize(term)
    if latin == term.casefold() or len(latin) < min(3, len(term)):
        return [term]
    return [term, latin]


def _search(conn: Tx, query: str, q: _Query) -> None:
    terms = query.split()
    params = q.params
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    if long_terms and conn.dialect != "sqlite":
        # No FTS5 on a server: the stored documents, matched as the trigram index
        # matches them (every term somewhere in one, case-insensitive); pg_trgm's GIN
        # index answers the ILIKEs.
        table, key = store(conn.dialect)
        terms_sql = []
        for i, term in enumerate(terms):
            alternatives = []
            for j, spelling in enumerate(_spellings(term)):
                params[f"q{i}_{j}"] = f"%{_escape_like(spelling)}%"
                alternatives.append(f"d.doc ILIKE :q{i}_{j} ESCAPE '\\'")
            terms_sql.append("(" + " OR ".join(alternatives) + ")")
        q.where.append(f"c.id IN (SELECT d.{key} FROM {table} d "
                       f"WHERE {' AND '.join(terms_sql)})")
        return
    if long_terms:
        params["fts"] = " AND ".join(
            "(" + " OR ".join('"' + x.replace('"', '""') + '"' for x in _spellings(t)) + ")"
            for t in long_terms)
        extra = ""
        for i, term in enumerate(short_terms):
            likes = []
            for j, spelling in enumerate(_spellings(term)):
                params[f"s{i}_{j}"] = f"%{_escape_like(spelling)}%"
                likes.append(f"doc LIKE :s{i}_{j} ESCAPE '\\'")
            extra += " AND (" + " OR ".join(likes) + ")"
        q.fts = f"SELECT rowid FROM contact_fts WHERE contact_fts MATCH :fts{extra}"
        return
    # Fewer than three characters: trigrams cannot help. A word of the romanized name
    # starting with it, found while walking the name index in order (the
    # caller's LIMIT stops the walk).
    # name_latin holds every name romanized (a Latin name as it is, case-folded), so one
    # test covers both scripts; ix_contact_active_latin covers the walk.
    params["wl"] = f"% {_escape_like(romanize(query))}%"
    q.where.append("(' ' || c.name_latin) LIKE :wl ESCAPE '\\'")


def _build(conn: Tx, f: ContactFilter) -> _Query:
    q = _Query([], {})
    if not f.include_archived:
        q.where.append("c.archived = FALSE")
    for role in f.roles:
        q.where.append(f"c.{_ROLE_COLUMN[parse_role(role)]} = TRUE")
    if f.kind:
        q.params["kind"] = parse_kind(f.kind)
        q.where.append("c.kind = :kind")
    for i, tag in enumerate(f.tags):
        tag_id = _scalar(conn, "SELECT id FROM tag WHERE name_key = :k", {"k": name_key(tag)})
        if tag_id is None:
            known = [r[0] for r in conn.execute("SELECT name FROM tag ORDER BY name_key "
                                                 "LIMIT 20")]
            raise NotFound(_("tag: no tag '{tag}' (tags: {tags})").format(
                tag=tag, tags=", ".join(known) or _("none yet")), field="tag")
        q.params[f"tag{i}"] = tag_id
        q.where.append(f"EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.contact_id = c.id "
                       f"AND ct.tag_id = :tag{i})")
    if f.search and f.search.strip():
        _search(conn, f.search.strip(), q)
    return q


def _from(q: _Query, *, lookup: bool, org: bool = True) -> tuple[str, list[str]]:
    """The FROM clause and WHERE terms: FTS hits looked up one by one (CROSS JOIN keeps
    SQLite from reordering), or the contacts walked in index order and probed."""
    joined = "LEFT JOIN contact o ON o.id = c.organization_id" if org else ""
    if q.fts is None:
        return f"contact c {joined}", q.where or ["1=1"]
    if lookup:
        return (f"({q.fts}) AS m CROSS JOIN contact c ON c.id = m.rowid {joined}",
                q.where or ["1=1"])
    return f"contact c {joined}", [*q.where, f"c.id IN ({q.fts})"]


def tags_of(conn: Tx, ids: Sequence[int]) -> dict[int, list[str]]:
    """Tag names per contact id, in name order."""
    out: dict[int, list[str]] = {}
    for chunk in _chunks(list(ids)):
        ids_in, params = _in(chunk)
        tags_in(conn, ids_in, params, out)
    return out


def tags_in(conn: Tx, ids_sql: str, params: dict[str, Any],
            out: dict[int, list[str]] | None = None) -> dict[int, list[str]]:
    """Tag names per contact id, in name order, of the contacts whose ids `ids_sql` lists
    (placeholders or a subquery; added to `out`)."""
    out = {} if out is None else out
    for cid, name in conn.execute("SELECT ct.contact_id, t.name FROM contact_tag ct "
                                   "JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id "
                                   f"IN ({ids_sql}) ORDER BY t.name_key", params):
        out.setdefault(cid, []).append(name)
    return out


def roles_of(customer: Any, supplier: Any, lead: Any) -> tuple[str, ...]:
    flags = (customer, supplier, lead)
    return tuple(role for role, flag in zip(ROLES, flags, strict=True) if flag)


def list_contacts(conn: Tx, f: ContactFilter = ContactFilter(), *, limit: int = 50,
                  after: tuple[str, int] | None = None,
                  after_id: int | None = None) -> list[ContactRow]:
    """One page of contacts in name order. Continue with `after=(row.name_key, row.id)`
    of the last row (or `after_id=row.id`): keyset paging, as fast at row 90,000 as at 0."""
    if limit < 1:
        raise ValidationError(_("--limit: must be at least 1"), field="limit")
    q = _build(conn, f)
    q.params["limit"] = int(limit)
    if after is None and after_id is not None:
        key = _scalar(conn, "SELECT name_key FROM contact WHERE id = :i", {"i": after_id})
        if key is None:
            raise NotFound(_("--after: no contact with id {id}").format(id=after_id),
                           field="after")
        after = (key, after_id)
    lookup = q.fts is not None and _fts_hits(conn, q) <= LOOKUP_MAX
    source, where = _from(q, lookup=lookup)
    if after is not None:
        q.params["ak"], q.params["ai"] = after
        where = [*where, "(c.name_key, c.id) > (:ak, :ai)"]
    sql = ("SELECT c.id, c.name, c.kind, o.name, c.email, c.phone, c.is_customer, "
           f"c.is_supplier, c.is_lead, c.archived, c.name_key FROM {source} "
           f"WHERE {' AND '.join(where)} ORDER BY c.name_key, c.id LIMIT :limit")
    rows = conn.execute(sql, q.params).fetchall()
    tags = tags_of(conn, [r[0] for r in rows])
    return [ContactRow(r[0], r[1], r[2], r[3], r[4], r[5], roles_of(r[6], r[7], r[8]),
                       tuple(tags.get(r[0], ())), bool(r[9]), r[10]) for r in rows]


def _fts_hits(conn: Tx, q: _Query) -> int:
    return int(_scalar(conn, f"SELECT COUNT(*) FROM ({q.fts}) AS m", q.params))


def count_contacts(conn: Tx, f: ContactFilter = ContactFilter()) -> int:
    """How many contacts `list_contacts` would page through."""
    q = _build(conn, f)
    source, where = _from(q, lookup=True, org=conn.dialect != "sqlite")
    sql = f"SELECT COUNT(*) FROM {source} WHERE {' AND '.join(where)}"
    return int(_scalar(conn, sql, q.params))


def find_ids(conn: Tx, query: str, *, limit: int = 11) -> list[int]:
    """Ids of contacts whose search document contains `query` (name order)."""
    return [r.id for r in list_contacts(conn, ContactFilter(search=query, include_archived=True),
                                        limit=limit)]
