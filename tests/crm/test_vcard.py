"""vCard: cards written by other programs come in right; ours round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from smallbiz.crm.service import Channel, ContactData, add_contact
from tests.conftest import make_runner
from tests.crm.conftest import tx

FIXTURES = Path(__file__).parent / "fixtures"


def show(cli, ref):
    r = cli("contact", "show", ref, "--json")
    assert r.exit_code == 0, r.stderr
    return r.json()


def test_iphone_export(cli):
    r = cli("import", "contacts", str(FIXTURES / "iphone-export.vcf"), "--json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["created"], r.json()["duplicates"], r.json()["rejected"]) == (3, [], [])
    gela = show(cli, "Gela Beridze")
    assert gela["organization"]["name"] == "Kartuli Foods LLC"  # ORG's first part
    assert gela["emails"] == [{"value": "gela@kfoods.ge", "label": "other"},  # X-ABLabel
                              {"value": "gela.beridze@gmail.com", "label": "home"}]
    assert gela["phones"] == [{"value": "+995 555 12 34 56", "label": "cell"},
                              {"value": "+995 32 2 11 22 33", "label": "work"}]
    assert gela["address"] == {"street": "12 Rustaveli Ave", "city": "Tbilisi",
                               "postcode": "0108", "country": "Georgia"}
    assert gela["tags"] == ["VIP", "wholesale"]
    assert gela["notes"] == ("Prefers calls in the morning. Met at the Tbilisi food fair "
                             "2025, interested in wholesale olive oil and spring restock; ask "
                             "about delivery to Batumi.")  # unfolded
    nino = show(cli, "ნინო ბერიძე")
    assert nino["notes"].startswith("ნინო გვიკავშირდება") and nino["notes"].endswith(
        "შეკვეთებისთვის.")
    assert nino["tags"] == ["სასტუმრო"] and nino["email"] == "nino@example.ge"
    org = show(cli, "Kartuli Foods LLC")
    assert org["kind"] == "organization"  # X-ABShowAs:COMPANY
    assert [m["name"] for m in org["members"]] == ["Gela Beridze"]
    assert org["phones"] == [{"value": "+995 32 2 11 22 00", "label": "main"}]


def test_google_and_nextcloud(cli):
    for name in ("google-contacts.vcf", "nextcloud-4.0.vcf"):
        r = cli("import", "contacts", str(FIXTURES / name))
        assert r.exit_code == 0, r.stderr
    levan = show(cli, "Levan")
    assert levan["organization"]["name"] == "Mtis Wyaro"
    assert [e["value"] for e in levan["emails"]] == ["levan@mtis-wyaro.ge",
                                                     "l.kapanadze@gmail.com"]
    assert levan["tags"] == ["myContacts", "Suppliers"]
    anna = show(cli, "Anna Müller")
    assert anna["address"]["city"] == "München"
    assert anna["notes"] == "Tourist agency contact\nSends groups every May"
    hotels = show(cli, "Batumi Hotels Group")
    assert hotels["kind"] == "organization"  # KIND:org
    assert hotels["phones"] == [{"value": "+995-422-27-00-00", "label": "work"}]  # tel: URI
    tamar = show(cli, "Tamar")
    assert tamar["email"] == "tamar.gelashvili@gmail.com"  # PREF=1 comes first
    assert tamar["organization"]["name"] == "Batumi Hotels Group"
    assert tamar["phones"][0]["value"] == "+995-599-12-34-56"


def rich_contacts(book):
    tx(book, add_contact, ContactData(
        name="Kartuli Foods LLC", kind="organization", roles=frozenset({"customer"}),
        emails=(Channel("office@kfoods.ge", "work"),), tax_id="404123456",
        payment_terms_days=45, street="12 Rustaveli Ave", city="Tbilisi",
        postcode="0108", country="Georgia", tags=("wholesale",)))
    tx(book, add_contact, ContactData(
        name="გელა ბერიძე", organization="Kartuli Foods LLC",
        roles=frozenset({"customer", "lead"}),
        emails=(Channel("gela@kfoods.ge", "work"), Channel("gela@gmail.com", "home")),
        phones=(Channel("+995 555 12 34 56", "cell"), Channel("+995 32 2 11 22 33")),
        notes="გრძელი შენიშვნა: " + "ზეთისხილის ზეთი, " * 12 + "\nsecond line; with, commas",
        tags=("სასტუმრო", "vip, gold".replace(", ", " "))))


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_round_trip_through_vobject(book, cli, tmp_path, another_book, version):
    rich_contacts(book)
    out = tmp_path / "all.vcf"
    r = cli("export", "contacts", str(out), "--vcard-version", version)
    assert r.exit_code == 0, r.stderr
    raw = out.read_bytes()
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded, never inside a character
    for line in lines:
        line.decode("utf-8")
    cards = {c.fn.value: c for c in vobject.readComponents(raw.decode("utf-8"))}
    assert set(cards) == {"Kartuli Foods LLC", "გელა ბერიძე"}
    gela = cards["გელა ბერიძე"]
    assert gela.version.value == version
    assert [e.value for e in gela.contents["email"]] == ["gela@kfoods.ge", "gela@gmail.com"]
    assert [t.value for t in gela.contents["tel"]] == ["+995 555 12 34 56", "+995 32 2 11 22 33"]
    assert gela.org.value == ["Kartuli Foods LLC"]
    assert gela.n.value.family == "ბერიძე" and gela.n.value.given == "გელა"
    assert gela.note.value.endswith("\nsecond line; with, commas")
    assert sorted(gela.categories.value) == ["vip gold", "სასტუმრო"]
    org = cards["Kartuli Foods LLC"]
    assert org.adr.value.city == "Tbilisi" and org.adr.value.code == "0108"
    if version == "4.0":
        assert org.kind.value == "org"
    else:
        assert org.contents["x-abshowas"][0].value == "COMPANY"

    # and back into a new book: the same contacts, exported the same way
    fresh = another_book("fresh.db")
    from smallbiz.book import init_book
    from smallbiz.db import Database

    init_book(Database(fresh), company="Other", currency="GEL")
    other = make_runner(fresh)
    r = other("import", "contacts", str(out), "--json")
    assert r.exit_code == 0 and r.json()["created"] == 2, r.stderr
    again = tmp_path / "again.vcf"
    other("export", "contacts", str(again), "--vcard-version", version)
    assert again.read_bytes() == raw
    first = cli("contact", "show", "გელა", "--json").json()
    second = other("contact", "show", "გელა", "--json").json()
    for key in ("name", "roles", "emails", "phones", "address", "tags", "notes", "tax_id",
                "payment_terms_days"):
        assert first[key] == second[key], key
    assert other("contact", "show", "Kartuli", "--json").json()["tax_id"] == "404123456"
