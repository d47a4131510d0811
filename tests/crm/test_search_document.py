"""The search document leaves out what the rest of it already matches (a Latin name's
romanized copy, a phone's digits when they are the phone as written): every search
finds exactly what it found with the whole document, in Georgian and Latin, by name,
organization, phone, e-mail and tag."""

from __future__ import annotations

import pytest

from smallbiz.check import run_checks
from smallbiz.crm import search
from smallbiz.crm.search import ContactFilter, list_contacts
from smallbiz.crm.service import Channel, ContactData, add_contact
from smallbiz.db import Database
from tests import engine
from tests.crm.conftest import rd, tx

#: The whole document, as the search indexed it up to migration 0022.
_DIGITS = ("replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), "
           "')', ''), '.', '')")


def _whole(channels: str, tags: str) -> str:
    return (
        "c.name || ' ' || COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone || ' ' || "
        f"{_DIGITS} || ' ' || "
        f"COALESCE((SELECT {channels} FROM contact_channel ch "
        "WHERE ch.contact_id = c.id), '') || ' ' || "
        f"COALESCE((SELECT {tags} FROM contact_tag ct JOIN tag t "
        "ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') || ' ' || "
        "c.name_latin || ' ' || COALESCE(o.name_latin, '')")


QUERIES = [
    # Latin names, any case, parts of words, two words
    "gela", "GELA", "beridze", "ridz", "gela beri", "kapanadze", "müller", "MÜLLER",
    "anna", "o'brien", "obrien", "brien", "smith jones", "jon", "ge", "be",
    # Georgian names, and each script found by the other
    "ნინო", "ბერიძე", "ერიძ", "nino", "ninO", "beridze", "კაპანაძე", "ლევან", "levan",
    "ni", "ნი", "ნინო ბე", "გელა",
    # organizations, Latin and Georgian
    "kartuli", "foods", "ქართული", "kartuli foods", "llc", "სასტ",
    # phones as written and as digits
    "555", "+995", "+995555", "995555123456", "(032)", "244-55", "2445566", "032",
    "557001122", "+995557", "32 2", "0322",
    # e-mails
    "gela@", "kfoods.ge", "example.ge", "@gmail", "nino@example", "EXAMPLE.DE",
    # tags
    "wholesale", "სასტუმრო", "vip",
]


def _add_people(book) -> None:
    people = [
        ContactData(name="Gela Beridze", organization="Kartuli Foods LLC",
                    roles=frozenset({"customer"}),
                    emails=(Channel("gela@kfoods.ge"), Channel("gela.b@gmail.com", "home")),
                    phones=(Channel("+995 555 12 34 56", "cell"),
                            Channel("557001122", "work")), tags=("wholesale",)),
        ContactData(name="ნინო ბერიძე", emails=(Channel("nino@example.ge"),),
                    phones=(Channel("+995557001122"),), tags=("სასტუმრო",)),
        ContactData(name="Levan Kapanadze", phones=(Channel("(032) 244-55-66"),)),
        ContactData(name="ლევან კაპანაძე", organization="ქართული სასტუმრო",
                    phones=(Channel("0322445566"),)),
        ContactData(name="Anna Müller", emails=(Channel("anna@example.de"),)),
        ContactData(name="ANNA MÜLLER", organization="Müller GmbH",
                    emails=(Channel("anna2@example.de"),)),
        ContactData(name="Sean O'Brien", phones=(Channel("32 2"),), tags=("vip",)),
        ContactData(name="smith  jones", emails=(Channel("sj@example.ge"),)),
        ContactData(name="Gela", kind="organization"),
    ]
    for p in people:
        tx(book, add_contact, p)


@pytest.fixture
def varied(book):
    _add_people(book)
    return book


def _found(db) -> dict[str, list[int]]:
    return {q: [r.id for r in rd(db, list_contacts,
                                 ContactFilter(search=q, include_archived=True), limit=100)]
            for q in QUERIES}


def test_every_search_finds_what_the_whole_document_found(varied, monkeypatch):
    found = _found(varied)
    assert run_checks(varied) == []
    assert found["beridze"] and found["ნინო"] and found["555"] and found["vip"]
    monkeypatch.setattr(search, "doc_sql", _whole)
    with varied.transaction() as s:  # the stored documents rebuilt whole
        search.reindex_all(s)
    assert _found(varied) == found


def test_latin_documents_are_shorter(varied):
    with varied.read() as s:  # SQLite's FTS5 index, PostgreSQL's contact_search
        table, key = search.store(s.dialect)
        docs = dict(s.execute(f"SELECT c.name, f.doc FROM {table} f JOIN contact c "
                              f"ON c.id = f.{key}").all())
    assert "levan kapanadze" not in docs["Levan Kapanadze"]  # its romanized copy
    assert "levan kapanadze" in docs["ლევან კაპანაძე"]
    assert "kartuli sastumro" in docs["ლევან კაპანაძე"]  # the organization's
    assert "0322445566 " in docs["ლევან კაპანაძე"]  # the phone, once
    assert docs["ლევან კაპანაძე"].count("0322445566") == 1
    assert "0322445566" in docs["Levan Kapanadze"]  # the digits of (032) 244-55-66
    assert "sean obrien" in docs["Sean O'Brien"]  # romanized differs: kept


def _plan(db, sql: str) -> str:
    with db.read() as s:
        s.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole otherwise
        return "\n".join(r[0] for r in s.execute("EXPLAIN " + sql))


@pytest.mark.postgresql_only("pg_trgm's index on the stored documents (migration 0024)")
def test_the_stored_documents_have_a_trigram_index_the_ilike_uses(varied):
    plan = _plan(varied, "SELECT contact_id FROM contact_search d "
                         "WHERE d.doc ILIKE '%beridze%' AND d.doc ILIKE '%ბერიძე%'")
    assert search.TRIGRAM_INDEX in plan


@pytest.mark.postgresql_only("a server without pg_trgm (migrations 0022 and 0024)")
def test_without_pg_trgm_the_search_finds_the_same(varied, another_book):
    found = _found(varied)
    where = another_book("plain")
    db = Database(where)
    db.upgrade_to("0023")
    db.dispose()
    engine.execute(where, "DROP EXTENSION pg_trgm CASCADE")  # as if it never was there
    db = Database(where).open()  # upgraded to head: contact_search without its index
    try:
        assert not engine.rows(where, "SELECT 1 FROM pg_indexes WHERE indexname = ?",
                               (search.TRIGRAM_INDEX,))
        _add_people(db)
        assert _found(db) == found
        assert run_checks(db) == []
    finally:
        db.dispose()
