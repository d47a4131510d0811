"""Search: substring, any case, Georgian and Latin, tags, archived excluded; paging."""

from __future__ import annotations

import pytest

from smallbiz.check import run_checks
from smallbiz.crm.search import ContactFilter, count_contacts, list_contacts
from smallbiz.crm.service import (
    Channel,
    ContactData,
    add_contact,
    create_contact,
    delete_contact,
    edit_contact,
    set_archived,
)
from tests.crm.conftest import rd, tx


def names(db, search=None, **kw):
    return [r.name for r in rd(db, list_contacts, ContactFilter(search=search, **kw),
                               limit=100)]


@pytest.fixture
def people(book):
    tx(book, add_contact, ContactData(
        name="Gela Beridze", organization="Kartuli Foods LLC", roles=frozenset({"customer"}),
        emails=(Channel("gela@kfoods.ge"), Channel("gela.b@gmail.com", "home")),
        phones=(Channel("+995 555 12 34 56", "cell"),), tags=("wholesale",)))
    tx(book, create_contact, "ნინო ბერიძე", email="nino@example.ge", tags=["სასტუმრო"])
    tx(book, create_contact, "Levan Kapanadze", supplier=True, phone="(032) 244-55-66")
    tx(book, create_contact, "Anna Müller", lead=True, email="anna@example.de")
    tx(book, create_contact, "Old Friend", customer=True, email="old@example.ge")
    tx(book, set_archived, "Old Friend")
    return book


def test_substring_any_case(people):
    # ნინო ბერიძე too: her name romanized is nino beridze
    both = ["Gela Beridze", "ნინო ბერიძე"]
    assert names(people, "berid") == both
    assert names(people, "BERIDZE") == both
    assert names(people, "bErIdZe") == both
    assert names(people, "ridz") == both
    assert names(people, "gela") == ["Gela Beridze"]
    assert names(people, "MÜLLER") == ["Anna Müller"]


def test_georgian(people):
    # Georgian finds Latin by the national romanization (ბერიძე -> beridze)
    assert names(people, "ბერიძე") == ["Gela Beridze", "ნინო ბერიძე"]
    assert names(people, "ერიძ") == ["Gela Beridze", "ნინო ბერიძე"]
    assert names(people, "ნინო") == ["ნინო ბერიძე"]
    assert names(people, "nino") == ["ნინო ბერიძე"]
    assert names(people, "ლევან") == ["Levan Kapanadze"]
    assert names(people, "ni") == ["ნინო ბერიძე"]  # short: a word of the romanized name
    assert names(people, "სასტუმრო") == ["ნინო ბერიძე"]  # a Georgian tag


def test_organization_email_phone_tags(people):
    assert names(people, "kartuli") == ["Gela Beridze", "Kartuli Foods LLC"]
    assert names(people, "kfoods") == ["Gela Beridze"]
    assert names(people, "gmail") == ["Gela Beridze"]  # a further email
    assert names(people, "5551234") == ["Gela Beridze"]  # digits of a spaced phone
    assert names(people, "244-55") == ["Levan Kapanadze"]
    assert names(people, "wholesale") == ["Gela Beridze"]
    assert names(people, "gela kartuli") == ["Gela Beridze"]  # every word must match
    assert names(people, "kartuli gela") == ["Gela Beridze"]
    assert names(people, "nobody") == []


def test_archived_excluded_unless_asked(people):
    assert names(people, "friend") == []
    assert names(people, "friend", include_archived=True) == ["Old Friend"]
    assert "Old Friend" not in names(people)
    assert "Old Friend" in names(people, include_archived=True)


def test_short_queries_match_word_starts(people):
    assert names(people, "ge") == ["Gela Beridze"]
    assert names(people, "ka") == ["Kartuli Foods LLC", "Levan Kapanadze"]
    assert names(people, "ნ") == ["ნინო ბერიძე"]
    assert names(people, "x") == []


def test_odd_characters_are_plain_text(people):
    for q in ['"', "%", "_", "a%b", "NEAR(", "*", "ab\\", "'; DROP TABLE contact; --"]:
        assert names(people, q) == []
    tx(people, create_contact, "100% Organic_Farm \"Bio\"")
    assert names(people, "100%") == ["100% Organic_Farm \"Bio\""]
    assert names(people, "c_fa") == ["100% Organic_Farm \"Bio\""]
    assert names(people, '"bio"') == ["100% Organic_Farm \"Bio\""]


def test_filters(people):
    assert names(people, roles=("customer",)) == ["Gela Beridze"]
    assert names(people, roles=("supplier",)) == ["Levan Kapanadze"]
    assert names(people, tags=("wholesale",)) == ["Gela Beridze"]
    assert names(people, kind="organization") == ["Kartuli Foods LLC"]
    assert names(people, "e", roles=("lead",)) == []
    assert names(people, "müller", roles=("lead",)) == ["Anna Müller"]


def test_index_follows_changes(people):
    edit_args = {"add_tags": ["vip"], "email": "gela@new.ge"}
    tx(people, edit_contact, "Gela Beridze", **edit_args)
    assert names(people, "vip") == ["Gela Beridze"]
    assert names(people, "new.ge") == ["Gela Beridze"]
    assert names(people, "kfoods") == []
    tx(people, edit_contact, "Kartuli Foods LLC", name="Georgian Foods LLC")
    assert names(people, "georgian foods") == ["Gela Beridze", "Georgian Foods LLC"]
    tx(people, delete_contact, "Anna Müller")
    assert names(people, "müller") == []
    assert run_checks(people) == []


def test_keyset_paging_and_count(book):
    with book.transaction() as s:
        for i in range(130):
            create_contact(s, f"Person {i:03d}", email=f"p{i}@example.ge",
                           archived=(i % 10 == 0))
    seen = []
    after = None
    with book.read() as conn:
        f = ContactFilter(search="example")
        total = count_contacts(conn, f)
        while True:
            page = list_contacts(conn, f, limit=50, after=after)
            if not page:
                break
            seen.extend(r.name for r in page)
            after = (page[-1].name_key, page[-1].id)
        assert total == 117
        assert seen == [f"Person {i:03d}" for i in range(130) if i % 10]
        page = list_contacts(conn, ContactFilter(), limit=5, after_id=seen_id(conn, 3))
        assert [r.name for r in page][:2] == ["Person 004", "Person 005"]
        assert count_contacts(conn, ContactFilter(search="pe")) == 117
        assert count_contacts(conn, ContactFilter(include_archived=True)) == 130


def seen_id(conn, i):
    return next(r.id for r in list_contacts(conn, ContactFilter(search=f"p{i}@"), limit=1))
