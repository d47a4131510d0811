"""Invariants of the CRM tables, each returning one line per problem found."""

from __future__ import annotations

from smallbiz.crm.deals import OPEN_STAGES, STAGES
from smallbiz.crm.interactions import KINDS as INTERACTION_KINDS
from smallbiz.crm.search import KINDS, doc_select, name_key, store
from smallbiz.sql import Tx

_MAX_LISTED = 20


def _quoted(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def listed(ids: list[int]) -> str:
    """Ids for a problem line: the first 20, then how many more."""
    shown = ", ".join(str(i) for i in ids[:_MAX_LISTED])
    return shown + (f" (+{len(ids) - _MAX_LISTED} more)" if len(ids) > _MAX_LISTED else "")


def fts_in_step(s: Tx, table: str, doc_select: str, owner: str, what: str,
                hint: str = "", key: str = "rowid") -> list[str]:
    """The FTS5 index `table` (SQLite; or a table of documents on any engine, with its
    owner's id in `key`) holds exactly the documents `doc_select` (id, doc) builds for
    the rows of `owner`, and nothing else; problems named `what`."""
    if s.dialect != "sqlite" and key == "rowid":
        return []
    differs = "IS NOT" if s.dialect == "sqlite" else "IS DISTINCT FROM"
    problems = []
    stale = [r[0] for r in s.execute(
        f"SELECT d.id FROM ({doc_select}) AS d "
        f"LEFT JOIN {table} f ON f.{key} = d.id WHERE f.doc {differs} d.doc ORDER BY d.id")]
    if stale:
        problems.append(f"{what}: {owner}s {listed(stale)} are missing or out of date{hint}")
    orphans = [r[0] for r in s.execute(
        f"SELECT f.{key} FROM {table} f LEFT JOIN {owner} o ON o.id = f.{key} "
        f"WHERE o.id IS NULL ORDER BY f.{key}")]
    if orphans:
        problems.append(f"{what}: rows {listed(orphans)} belong to no {owner}")
    return problems


def search_index_in_step(s: Tx) -> list[str]:
    """Every contact has exactly its current search document in contact_fts (SQLite) or
    contact_search (PostgreSQL)."""
    table, key = store(s.dialect)
    return fts_in_step(s, table, doc_select(s.dialect), "contact", "search index",
                       " (run any edit on them, or re-import)", key=key)


def fts_integrity(s: Tx, table: str, what: str = "search index") -> list[str]:
    """FTS5's own check of the index `table` (SQLite), its problem named `what`. The
    check is an INSERT command (it changes nothing), so `run_checks` runs it in a write
    transaction of its own (`WRITE_CHECKS`)."""
    if s.dialect != "sqlite":
        return []
    try:
        s.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    except Exception as exc:
        if "readonly" in str(exc).replace(" ", ""):
            return []  # a read-only book: FTS5 cannot run its check; the rows were compared
        return [f"{what}: integrity check failed: {exc}"]
    return []


def search_index_integrity(s: Tx) -> list[str]:
    """FTS5's own check of the contacts' search index."""
    return fts_integrity(s, "contact_fts")


def name_keys_match(s: Tx) -> list[str]:
    bad = []
    for cid, name, key in s.execute("SELECT id, name, name_key FROM contact"):
        if key != name_key(name):
            bad.append(cid)
    return [f"contacts {listed(bad)}: name key does not match the name"] if bad else []


def contacts_well_formed(s: Tx) -> list[str]:
    problems = []
    rows = s.execute(f"SELECT id FROM contact WHERE kind NOT IN {_quoted(KINDS)}").all()
    if rows:
        problems.append(f"contacts {listed([r[0] for r in rows])}: unknown kind")
    rows = s.execute(
        "SELECT c.id FROM contact c JOIN contact o ON o.id = c.organization_id "
        "WHERE o.kind <> 'organization' OR c.kind = 'organization' OR o.id = c.id").all()
    if rows:
        problems.append(f"contacts {listed([r[0] for r in rows])}: belong to something that "
                        "is not an organization (or are organizations themselves)")
    rows = s.execute("SELECT id FROM contact_channel WHERE kind NOT IN ('email', 'phone')"
                     ).all()
    if rows:
        problems.append(f"contact channels {listed([r[0] for r in rows])}: unknown kind")
    return problems


def deals_well_formed(s: Tx) -> list[str]:
    problems = []
    checks = [
        (f"stage NOT IN {_quoted(STAGES)}", "unknown stage"),
        ("probability < 0 OR probability > 10000", "probability outside 0..100 %"),
        ("stage = 'won' AND probability <> 10000", "won but not at 100 %"),
        ("stage = 'lost' AND probability <> 0", "lost but not at 0 %"),
        ("stage IN ('won', 'lost') AND closed_on IS NULL", "closed without a closed date"),
        (f"stage IN {_quoted(OPEN_STAGES)} AND closed_on IS NOT NULL",
         "open but with a closed date"),
        ("value < 0", "negative value"),
    ]
    for where, what in checks:
        ids = [r[0] for r in s.execute(f"SELECT id FROM deal WHERE {where} ORDER BY id")]
        if ids:
            problems.append(f"deals {listed(ids)}: {what}")
    return problems


def interactions_well_formed(s: Tx) -> list[str]:
    problems = []
    for where, what in (
            (f"kind NOT IN {_quoted(INTERACTION_KINDS)}", "unknown kind"),
            ("done = TRUE AND done_at IS NULL", "done without a time"),
            ("follow_up < date", "follow-up before the interaction")):
        ids = [r[0] for r in s.execute(
            f"SELECT id FROM interaction WHERE {where} ORDER BY id")]
        if ids:
            problems.append(f"interactions {listed(ids)}: {what}")
    return problems


CHECKS = [search_index_in_step, name_keys_match, contacts_well_formed, deals_well_formed,
          interactions_well_formed]
