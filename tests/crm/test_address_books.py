"""Address books as people have them: CSV layouts of Google, Outlook, LinkedIn, Yahoo and
Thunderbird, vCards of Android (2.1), iPhone (CR CR LF), Lotus Notes and RFC 6350; what
they carry is kept, what is not is reported, and everything round-trips."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smallbiz.book import init_book
from smallbiz.crm.importing import iter_contacts
from smallbiz.crm.service import Channel
from smallbiz.db import Database
from tests.conftest import make_runner
from tests.crm.conftest import rd

BOOKS = Path(__file__).parent / "fixtures" / "books"
CSVS = sorted(p.name for p in BOOKS.glob("*.csv"))
VCFS = sorted(p.name for p in BOOKS.glob("*.vcf"))


def contacts(db):
    return {c.data.name: c.data for c in rd(db, lambda s: list(iter_contacts(s)))}


def imported(cli, name, *more):
    r = cli("import", "contacts", str(BOOKS / name), "--json", *more)
    assert r.exit_code == 0, r.stderr
    return r.json()


def fresh_book(another_book, name):
    where = another_book(name)
    init_book(Database(where), company="Other", currency="GEL")
    return where, make_runner(where)


def test_google_legacy_strict_import_keeps_every_phone_and_email(book, cli):
    report = imported(cli, "google-legacy.csv")  # strict: no --skip-invalid
    assert report["rejected"] == [] and report["duplicates"] == []
    assert report["created"] == 7  # 6 rows and Kartuli Foods LLC made for Gela
    assert "line 5: no name; named from its phone: +995 599 00 00 01" in report["notes"]
    assert "line 6: no name; named from its e-mail: someone@example.ge" in report["notes"]
    assert report["not_kept"] == {"column 'Gender'": 1,
                                  "column 'Organization 1 - Yomi Name'": 1}
    got = contacts(book)
    gela = got["Gela Beridze"]
    assert gela.emails == (Channel("gela@kfoods.ge", "work"), Channel("gela.b@kfoods.ge", "work"),
                           Channel("gela@gmail.com", "home"))
    assert gela.phones == (Channel("+995 555 12 34 56", "mobile"),
                           Channel("+995 555 65 43 21", "mobile"),
                           Channel("+995 32 2 11 22 33", "work"))
    assert (gela.street, gela.city, gela.region, gela.postcode, gela.country,
            gela.address_label) == ("PO Box 7, 12 Rustaveli Ave", "Tbilisi", "Tbilisi", "0108",
                                    "Georgia", "work")
    assert (gela.organization, gela.title, gela.department, gela.birthday, gela.nickname,
            gela.website) == ("Kartuli Foods LLC", "Purchasing manager", "Sales", "1980-03-15",
                              "Gelo", "https://kfoods.ge")
    assert gela.tags == ("myContacts", "Suppliers")
    # three people called Levan with different phones are three people
    levans = rd(book, lambda s: s.all("SELECT phone FROM contact WHERE name = 'Levan' "
                                      "ORDER BY phone"))
    assert [p for (p,) in levans] == ["+995 577 11 11 11", "+995 577 22 22 22",
                                      "+995 577 33 33 33"]
    # the same file again: every row is a duplicate, none is new
    again = imported(cli, "google-legacy.csv")
    assert again["created"] == 0 and len(again["duplicates"]) == 6


def test_google_current_layout(book, cli):
    report = imported(cli, "google.csv")
    assert report["created"] == 3  # Nino, the row named from its organization, Batumi Hotels
    assert "line 3: no name; named from its organization: Mtis Wyaro" in report["notes"]
    got = contacts(book)
    nino = got["Dr. Nino Beridze"]
    assert nino.name_parts == ("Beridze", "Nino", "", "Dr.", "")
    assert nino.phones == (Channel("+995 599 00 11 22", "mobile"),
                           Channel("+995 422 27 00 01", "work fax"))
    assert nino.birthday == "--04-12" and nino.department == "Front desk"
    assert [(a.label, a.street, a.postcode) for a in nino.addresses] == [
        ("home", "Apt 3, 5 Chavchavadze St", "6010")]
    assert got["Mtis Wyaro"].kind == "organization"
    assert got["Mtis Wyaro"].phones == (Channel("+995 32 2 44 55 66", "work"),)
    assert report["not_kept"] == {"column 'Photo'": 1}


def test_outlook(book, cli):
    report = imported(cli, "outlook.csv")
    assert report["created"] == 3 and report["duplicates"] == []
    assert report["not_kept"] == {"column 'Gender'": 1}  # "Normal", "0/0/00" say nothing
    john = contacts(book)["Mr. John Smith"]
    assert john.phones == (Channel("+1 555 0100", "cell"), Channel("+1 555 0101", "work"),
                           Channel("+1 555 0102", "work fax"))
    assert [e.value for e in john.emails] == ["john@acme.com", "jsmith@home.net"]
    assert (john.street, john.address_label) == ("9 Elm St", "home")
    assert [(a.label, a.street, a.region, a.country) for a in john.addresses] == [
        ("work", "1 Main St", "IL", "USA")]
    assert (john.title, john.department, john.birthday) == ("CFO", "Finance", "")
    assert john.tags == ("Customers", "VIP")


def test_linkedin_yahoo_thunderbird(book, cli):
    report = imported(cli, "linkedin.csv")
    assert report["created"] == 4 and report["not_kept"] == {"column 'Connected On'": 2}
    tamar = contacts(book)["Tamar Gelashvili"]
    assert (tamar.title, tamar.organization, tamar.website) == (
        "Sales Director", "Batumi Hotels Group", "https://www.linkedin.com/in/tamar-g")
    report = imported(cli, "yahoo.csv")
    assert report["created"] == 2 and report["not_kept"] == {"column 'Messenger ID'": 1}
    anna = contacts(book)["Anna Müller"]
    assert anna.phones == (Channel("+49 89 111", "home"), Channel("+49 89 222", "work"),
                           Channel("+49 170 333", "cell"))
    assert anna.emails == (Channel("anna@reisen.de"), Channel("anna.m@web.de", "other"))
    assert (anna.region, anna.nickname, anna.birthday) == ("Bayern", "Anni", "1979-07-01")
    for name in ("thunderbird.csv", "thunderbird-semicolon.csv"):
        report = imported(cli, name)
        sep = ";" if "semicolon" in name else ","
        assert report["notes"][0].endswith(f"read as a thunderbird CSV (separator '{sep}')")
    eka = contacts(book)["Eka Tsereteli"]
    assert eka.phones == (Channel("+995 32 2 00 00 01", "work"),
                          Channel("+995 555 00 00 02", "cell"))
    assert eka.birthday == "1990-02-09" and eka.organization == "Eka's Bakery"
    assert report["created"] == 0 and len(report["duplicates"]) == 2  # the same two again


def test_vcard_21_quoted_printable(book, cli):
    report = imported(cli, "android-2.1.vcf")
    assert report["created"] == 1 and report["rejected"] == []
    gela = contacts(book)["გელა ბერიძე"]
    assert gela.phones == (Channel("+99532299887", "home"), Channel("+995555123456", "cell"),
                           Channel("+99532211223", "work fax"))  # PREF first
    assert gela.emails == (Channel("gela@gmail.com", "home"),)
    assert gela.street == "12 Rustaveli Ave 2nd floor" and gela.notes == "Line one\nLine two"
    assert report["kept_for_export"] == {"X-ANDROID-CUSTOM": 1}


def test_iphone_cr_cr_lf_commas_in_fn_and_what_is_kept(book, cli):
    report = imported(cli, "iphone-crcrlf.vcf")
    assert report["created"] == 3 and report["duplicates"] == []  # Acme Corp made for John
    assert report["not_kept"] == {"PRODID": 1}
    assert report["kept_for_export"] == {"IMPP": 1, "PHOTO": 1, "X-AIM": 1}
    got = contacts(book)
    john = got["Smith, John"]
    assert "Smith, Jane" in got
    assert john.phones == (Channel("+1 555 0100", "cell"), Channel("+1 555 0199", "office 2"))
    assert john.emails == (Channel("john@acme.com", "other"),)
    assert (john.region, john.address_label) == ("IL", "home")
    assert john.addresses[0].street == "PO Box 5, 1 Main St"
    assert (john.department, john.nickname, john.uid, john.birthday) == (
        "Finance; Payables", "Johnny", "2b7a1c9e-iphone-john", "1975-06-01")
    assert john.vcard_extra[-1].startswith("PHOTO;ENCODING=b;TYPE=JPEG:/9j/")
    # a re-import finds the card by its UID even with another e-mail and name
    again = imported(cli, "iphone-crcrlf.vcf")
    assert [d["reason"] for d in again["duplicates"]][0] == "same UID 2b7a1c9e-iphone-john"


def test_lotus_and_rfc6350(book, cli, tmp_path):
    report = imported(cli, "lotus.vcf")
    assert report["not_kept"] == {"PROFILE": 1}
    report = imported(cli, "rfc6350.vcf")
    assert report["not_kept"] == {"URL label": 1}
    assert report["kept_for_export"] == {"ANNIVERSARY": 1, "GENDER": 1, "GEO": 1, "KEY": 1,
                                         "LANG": 2, "TZ": 1}
    got = contacts(book)
    simon = got["Simon Perreault"]
    assert simon.phones == (Channel("+1-418-656-9254 ext. 102", "work"),
                            Channel("+1-418-262-6501", "work cell video"))
    assert (simon.street, simon.city, simon.region, simon.birthday) == (
        "Suite D2-630, 2875 Laurier", "Quebec", "QC", "--02-03")
    out = tmp_path / "out.vcf"
    assert cli("export", "contacts", str(out)).exit_code == 0
    text = out.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "FN:Mr. John Richter\\, James Doe Sr.\r\n" in text
    assert "N:Doe;John;Richter\\,James;Mr.;Sr.\r\n" in text  # from the stored parts
    assert "N:Perreault;Simon;;;ing. jr\\,M.Sc.\r\n" in text


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize("name", VCFS)
def test_vcard_round_trip(book, cli, tmp_path, another_book, name, version):
    imported(cli, name)
    first = tmp_path / "first.vcf"
    assert cli("export", "contacts", str(first), "--vcard-version", version).exit_code == 0
    where, other = fresh_book(another_book, "again.db")
    r = other("import", "contacts", str(first), "--json")
    assert r.exit_code == 0 and r.json()["rejected"] == [], r.stderr
    assert r.json()["not_kept"] == {}  # our own export carries nothing we drop
    assert contacts(Database(where)) == contacts(book)  # every field, labels included
    second = tmp_path / "second.vcf"
    assert other("export", "contacts", str(second), "--vcard-version", version).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("name", CSVS)
def test_csv_round_trip(book, cli, tmp_path, another_book, name):
    imported(cli, name)
    first = tmp_path / "first.csv"
    assert cli("export", "contacts", str(first)).exit_code == 0
    where, other = fresh_book(another_book, "again.db")
    r = other("import", "contacts", str(first), "--json")
    assert r.exit_code == 0 and r.json()["rejected"] == [], r.stderr
    assert r.json()["ignored_columns"] == [] and r.json()["not_kept"] == {}
    assert contacts(Database(where)) == contacts(book)
    second = tmp_path / "second.csv"
    assert other("export", "contacts", str(second)).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_vcard_read_by_csv_export_keeps_details(book, cli, tmp_path, another_book):
    """A vCard book exported as CSV keeps everything but the card-only properties."""
    imported(cli, "iphone-crcrlf.vcf")
    out = tmp_path / "all.csv"
    assert cli("export", "contacts", str(out)).exit_code == 0
    where, other = fresh_book(another_book, "csv.db")
    assert other("import", "contacts", str(out)).exit_code == 0
    assert {n: replace(c, vcard_extra=()) for n, c in contacts(book).items()} == \
        contacts(Database(where))


def test_human_report_names_what_was_not_kept(cli):
    r = cli("import", "contacts", str(BOOKS / "iphone-crcrlf.vcf"))
    assert r.exit_code == 0, r.stderr
    assert "not kept: PRODID (1)" in r.stderr
    assert "kept for vCard export only: IMPP (1), PHOTO (1), X-AIM (1)" in r.stderr
