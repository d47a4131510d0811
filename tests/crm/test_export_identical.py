"""`export contacts` writes the usual contact straight from the query's rows and the
others through `ContactData`: the files are byte for byte what the general writers make
of the same book, and what the export wrote before (the fixtures, written by the export
as it was before the fast writers: tests/crm/fixtures/unusual.*)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smallbiz.crm import contacts_csv, vcard
from smallbiz.crm.details import PostalAddress
from smallbiz.crm.importing import iter_contacts
from smallbiz.crm.service import Channel, ContactData, add_contact, set_archived
from tests.crm.conftest import rd, tx

FIXTURES = Path(__file__).parent / "fixtures"

UNUSUAL = [
    ContactData(name="Kartuli Foods, LLC", kind="organization", nickname="-5",
                notes="@mention", vcard_extra=("X-SOCIALPROFILE;TYPE=x:https://x.com/kf",)),
    ContactData(name="ნინო ბერიძე", emails=(Channel("nino@example.ge", "სახლი"),),
                phones=(Channel("+995 555 12 34 56", "cell"), Channel("032 2 00 00 00")),
                tags=("სასტუმრო", "vip"), notes="პირველი ხაზი\nმეორე, \"ციტატა\"",
                city="თბილისი", country="საქართველო", roles=frozenset({"customer"})),
    ContactData(name="Beridze, Gela \"the boss\"", organization="Kartuli Foods, LLC",
                emails=(Channel("gela@kfoods.ge", "work"), Channel("g@b.ge", "home"),
                        Channel("third@b.ge", "My Own Label")),
                phones=(Channel("+995 599 00 00 01", ""),), notes="=1+2", title="CEO; founder",
                department="Sales; East",
                tax_id="406123456", payment_terms_days=30, website="https://kfoods.ge",
                roles=frozenset({"supplier", "lead"})),
    ContactData(name="Dr. Anna Maria Müller-Schmidt Jr.",
                name_parts=("Müller-Schmidt", "Anna", "Maria", "Dr.", "Jr."),
                birthday="1980-02-29", nickname="Anni", uid="urn:uuid:1234",
                street="Hauptstr. 1", city="Berlin", postcode="10115", country="Germany",
                address_label="work", region="Berlin",
                addresses=(PostalAddress("home", "Rustaveli Ave 1, apt 5", "Tbilisi", "",
                                         "0108", "Georgia"),
                           PostalAddress("", "Line 1\nLine 2", "Batumi", "Adjara", "", ""))),
    ContactData(name="Gela Beridze", emails=(Channel("gela2@kfoods.ge"),),
                phones=(Channel("(032) 244-55-66", "work fax"),), role="buyer"),
    ContactData(name="Old Friend", emails=(Channel("old@example.ge"),), archived=False),
    ContactData(name="Levan", kind="person", street="Chavchavadze 5", address_label="Home"),
]


@pytest.fixture
def unusual(book):
    for c in UNUSUAL:
        tx(book, add_contact, c)
    tx(book, set_archived, "Old Friend")
    return book


def _general(db, *, fmt: str, version: str = "4.0", archived: bool = False) -> bytes:
    out = io.StringIO(newline="")
    data = [c.data for c in rd(db, lambda s: list(iter_contacts(s, include_archived=archived)))]
    if fmt == "csv":
        contacts_csv.write(data, out)
    else:
        vcard.write(data, out, version=version)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(("name", "args", "general"), [
    ("unusual.csv", [], {"fmt": "csv"}),
    ("unusual.vcf", [], {"fmt": "vcard"}),
    ("unusual-3.vcf", ["--vcard-version", "3.0"], {"fmt": "vcard", "version": "3.0"}),
    ("unusual-all.csv", ["--archived"], {"fmt": "csv", "archived": True}),
    ("unusual-all.vcf", ["--archived"], {"fmt": "vcard", "archived": True}),
])
def test_export_is_byte_identical(unusual, cli, tmp_path, name, args, general):
    out = tmp_path / name
    assert cli("export", "contacts", str(out), *args).exit_code == 0
    written = out.read_bytes()
    assert written == _general(unusual, **general)
    assert written == (FIXTURES / name).read_bytes()
