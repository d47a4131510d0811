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
from tests.crm.conftest import rd, tx
from tests.engine import on_postgresql

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


@pytest.fixture
def varied(book):
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
    return book


def _found(db) -> dict[str, list[int]]:
    return {q: [r.id for r in rd(db, list_contacts,
                                 ContactFilter(search=q, include_archived=True), limit=100)]
            for q in QUERIES}


def test_every_search_finds_what_the_whole_document_found(varied, monkeypatch):
    found = _found(varied)
    assert run_checks(varied) == []
    assert found["beridze"] and found["ნინო"] and found["555"] and found["vip"]
    if on_postgresql():  # the document the ILIKE reads, whole again
        monkeypatch.setattr(search, "doc_sql", _whole)
    else:  # the index rebuilt from the whole documents
        with varied.transaction() as s:
            s.execute("DELETE FROM contact_fts")
            s.execute("INSERT INTO contact_fts (rowid, doc) SELECT c.id, "
                      + _whole("group_concat(ch.value, ' ')", "group_concat(t.name, ' ')")
                      + " FROM contact c LEFT JOIN contact o ON o.id = c.organization_id")
    assert _found(varied) == found


@pytest.mark.sqlite_only("the documents are stored only in SQLite's FTS5 index")
def test_latin_documents_are_shorter(varied):
    with varied.read() as s:
        docs = dict(s.execute("SELECT c.name, f.doc FROM contact_fts f JOIN contact c "
                              "ON c.id = f.rowid").all())
    assert "levan kapanadze" not in docs["Levan Kapanadze"]  # its romanized copy
    assert "levan kapanadze" in docs["ლევან კაპანაძე"]
    assert "kartuli sastumro" in docs["ლევან კაპანაძე"]  # the organization's
    assert "0322445566 " in docs["ლევან კაპანაძე"]  # the phone, once
    assert docs["ლევან კაპანაძე"].count("0322445566") == 1
    assert "0322445566" in docs["Levan Kapanadze"]  # the digits of (032) 244-55-66
    assert "sean obrien" in docs["Sean O'Brien"]  # romanized differs: kept
