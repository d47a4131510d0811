"""The invoices' text filter and its search index.

The filter finds a text (any case) in an invoice's number, the supplier's own reference
of a bill, the contact's name (as typed or romanized) or the memo (its order's notes).
The matches are those of the plain condition `like_sql` on every engine; what differs is
how they are found.

SQLite keeps `invoice_fts`, a regular FTS5 table (trigram tokenizer, rowid = invoice id)
with one document per invoice: number, supplier's reference, order notes. Triggers
(migration 0022) keep it in step in the writing transaction; `check` compares it with
`DOC_SELECT`. A text of three characters or more is found in two small sets first: the
invoices whose document has it (`invoice_fts`) and the invoices of the contacts whose
search document has it (`crm.search`'s `contact_fts`, through the (contact_id, kind,
status) index); each candidate is then tested with the plain condition, so the trigram
index only narrows and never decides. The list is read by looking the matches up one by
one (`lookup`) or, when there are many, by walking the invoices in date order and testing
each against those sets (the page fills after a few rows).

On SQLite, shorter texts (trigrams need three characters) use the plain condition over
the list's rows: the walk in date order stops when a page is full, a count reads the
whole list. PostgreSQL computes the plain condition's matches once, as one union of
three passes (`_scanned`), which migration 0022's pg_trgm indexes make index scans when
the extension could be created. bench/README.md has the figures.
"""

from __future__ import annotations

from typing import Any

from smallbiz.crm.check import fts_in_step, fts_integrity
from smallbiz.refs import like_prefix
from smallbiz.sql import Tx

#: The search document of each invoice (SQLite), selected as (id, doc): as the triggers of
#: migration 0022 write it.
DOC_SELECT = (
    "SELECT i.id AS id, i.number || ' ' || i.supplier_ref || ' ' || COALESCE((SELECT "
    "so.notes FROM trade_order so WHERE so.id = i.order_id), '') AS doc FROM invoice i")

#: PostgreSQL's trigram GIN indexes of migration 0022 (when pg_trgm could be created),
#: on lower() of the texts `like_sql` compares; not model indexes (an operator class).
TRIGRAM_INDEXES = frozenset({"ix_invoice_number_trgm", "ix_invoice_supplier_ref_trgm",
                             "ix_contact_name_trgm", "ix_contact_name_latin_trgm",
                             "ix_trade_order_notes_trgm"})

#: Above this many candidates a list page walks the invoices in date order instead of
#: looking the matches up (the walk then meets a match every ~150 rows of 306k or less;
#: measured on the 1M book, bench/README.md).
LOOKUP_MAX = 2000


def _like(dialect: str, column: str) -> str:
    """`column` contains `:q` (a lower-case LIKE pattern), in any (ASCII) case. SQLite's
    LIKE ignores ASCII case and its lower() changes nothing else, so the column goes in
    as it is (lower() of every row is most of a scan's time); elsewhere lower()."""
    if dialect != "sqlite":
        column = f"lower({column})"
    return f"{column} LIKE :q ESCAPE '\\'"


def like_sql(dialect: str, i: str = "i") -> str:
    """The plain condition on invoice `i`: the text in its number, reference, contact's
    name (typed or romanized) or its order's notes."""
    return (f"({_like(dialect, f'{i}.number')} OR {_like(dialect, f'{i}.supplier_ref')} "
            f"OR {i}.contact_id IN (SELECT sc.id FROM contact sc WHERE "
            f"{_like(dialect, 'sc.name')} OR {_like(dialect, 'sc.name_latin')}) "
            f"OR {i}.order_id IN (SELECT so.id FROM trade_order so WHERE so.notes <> '' "
            f"AND {_like(dialect, 'so.notes')}))")


def _scanned(dialect: str, status: str | None) -> str:
    """The ids of the invoices of `:kind` (and `status`) that have the text `:q`
    (PostgreSQL): the same matches as `like_sql`, as one union of three passes (index
    scans through 0022's pg_trgm indexes, when there) that its planner computes once and
    joins; the OR of subqueries it could run per row (a page of `g` on the 1M book: 73 s)."""
    status_sql = f" AND {{t}}.status = '{status}'" if status else ""
    return (
        f"SELECT ni.id FROM invoice ni WHERE ni.kind = :kind{status_sql.format(t='ni')} "
        f"AND ({_like(dialect, 'ni.number')} OR {_like(dialect, 'ni.supplier_ref')}) "
        "UNION SELECT ci.id FROM contact sc JOIN invoice ci ON ci.contact_id = sc.id "
        f"AND ci.kind = :kind{status_sql.format(t='ci')} WHERE "
        f"{_like(dialect, 'sc.name')} OR {_like(dialect, 'sc.name_latin')} "
        "UNION SELECT oi.id FROM trade_order so JOIN invoice oi ON oi.order_id = so.id "
        f"AND oi.kind = :kind{status_sql.format(t='oi')} WHERE so.notes <> '' AND "
        f"{_like(dialect, 'so.notes')}")


def _matches(status: str | None) -> str:
    """The ids of the invoices of kind `:kind` (and `status`) that have the text `:q`,
    from the two trigram indexes (`:fq` the phrase), each candidate tested exactly."""
    status_sql = f" AND ci.status = '{status}'" if status else ""
    return (
        "SELECT ni.id FROM invoice_fts nf CROSS JOIN invoice ni ON ni.id = nf.rowid "
        "WHERE nf.invoice_fts MATCH :fq AND ni.kind = :kind AND ("
        f"{_like('sqlite', 'ni.number')} OR {_like('sqlite', 'ni.supplier_ref')} OR EXISTS "
        "(SELECT 1 FROM trade_order so WHERE so.id = ni.order_id AND "
        f"{_like('sqlite', 'so.notes')})) "
        "UNION "
        "SELECT ci.id FROM contact_fts cf CROSS JOIN contact sc ON sc.id = cf.rowid "
        f"CROSS JOIN invoice ci ON ci.contact_id = sc.id AND ci.kind = :kind{status_sql} "
        f"WHERE cf.contact_fts MATCH :fq AND ({_like('sqlite', 'sc.name')} OR "
        f"{_like('sqlite', 'sc.name_latin')})")


def indexed(dialect: str, text: str) -> bool:
    """True when `text` is found through the trigram indexes (SQLite, 3+ characters)."""
    return dialect == "sqlite" and len(text) >= 3


def search_params(dialect: str, text: str) -> dict[str, Any]:
    """The parameters of the filter for `text` (stripped, not empty): `:q` the LIKE
    pattern, `:fq` the trigram phrase (when `indexed`)."""
    lowered = text.lower()
    params = {"q": "%" + like_prefix(lowered)}
    if indexed(dialect, text):
        params["fq"] = '"' + lowered.replace('"', '""') + '"'
    return params


def search_sql(dialect: str, text: str, status: str | None) -> str:
    """The filter's condition on `invoice i` for `text` (see `search_params`), of the
    invoices of `:kind` (and `status`, when the list has one)."""
    if indexed(dialect, text):
        return f"i.id IN ({_matches(status)})"
    if dialect != "sqlite":
        return f"i.id IN ({_scanned(dialect, status)})"
    return like_sql(dialect)


def many_matches(s: Tx, text: str, kind: str) -> bool:
    """More than LOOKUP_MAX candidates for `text` among the invoices of `kind` (counted
    no further; duplicates counted twice)."""
    candidates = _matches(None).replace(" UNION ", " UNION ALL ")
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM ({candidates}) AS c LIMIT :cap) AS m"
    return int(s.scalar(sql, {**search_params(s.dialect, text), "kind": kind,
                              "cap": LOOKUP_MAX + 1})) > LOOKUP_MAX


def index_in_step(s: Tx) -> list[str]:
    """Every invoice has exactly its current search document in invoice_fts (SQLite)."""
    return fts_in_step(s, "invoice_fts", DOC_SELECT, "invoice", "invoice search index")


def index_integrity(s: Tx) -> list[str]:
    """FTS5's own check of invoice_fts (a write check, see `crm.check.fts_integrity`)."""
    return fts_integrity(s, "invoice_fts", "invoice search index")


def rebuild(s: Tx) -> None:
    """Write the whole index again from the tables (after writes that bypassed the
    triggers)."""
    if s.dialect != "sqlite":
        return
    s.execute("DELETE FROM invoice_fts")
    s.execute(f"INSERT INTO invoice_fts (rowid, doc) {DOC_SELECT}")
