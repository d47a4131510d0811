"""CSV import and export: documented columns, neutralised formulas, duplicates."""

from __future__ import annotations

import csv

from smallbiz.crm.service import create_contact
from tests.crm.conftest import tx

HEADER = "name,kind,organization,email,phone,street,city,postcode,country,tax_id,roles,tags," \
         "notes,payment_terms_days,archived,email_labels,phone_labels,region,address_label," \
         "addresses,given_name,family_name,middle_name,name_prefix,name_suffix,birthday,title," \
         "role,department,website,nickname,uid"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_documented_columns_and_aliases(cli, tmp_path):
    f = write(tmp_path / "in.csv",
              "Name,Company,E-mail,Mobile,City,Roles,Tags,Notes,Terms,Shoe size\n"
              "Gela Beridze,Kartuli Foods LLC,gela@kfoods.ge; gela@gmail.com,+995 555 12 34 56,"
              "Tbilisi,customer;lead,wholesale;vip,\"two\nlines\",30,44\n"
              "ნინო ბერიძე,,nino@example.ge,,ბათუმი,,სასტუმრო,,,\n")
    r = cli("import", "contacts", f, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["created"] == 3  # two people and the organization made for Gela
    assert r.json()["ignored_columns"] == ["Shoe size"]
    r = cli("import", "contacts", f)  # the human report names the ignored column
    assert "unknown columns ignored: Shoe size" in r.stderr
    gela = cli("contact", "show", "Gela", "--json").json()
    assert [e["value"] for e in gela["emails"]] == ["gela@kfoods.ge", "gela@gmail.com"]
    assert gela["roles"] == ["customer", "lead"] and gela["tags"] == ["vip", "wholesale"]
    assert gela["notes"] == "two\nlines" and gela["payment_terms_days"] == 30
    assert gela["organization"]["name"] == "Kartuli Foods LLC"
    assert cli("contact", "show", "ნინო", "--json").json()["address"]["city"] == "ბათუმი"


def test_export_neutralises_formulas_and_reimports(book, cli, tmp_path, another_book):
    tx(book, create_contact, "=HYPERLINK(\"http://evil\")", phone="+995 555 00 00 00",
       notes="-5 degrees", tags=["@home"], email="x@example.ge")
    tx(book, create_contact, "Plain Name", street="+1 Main St")
    out = tmp_path / "all.csv"
    assert cli("export", "contacts", str(out)).exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert ",".join(rows[0]) == HEADER
    evil = rows[1] if rows[1][0].startswith("'=") else rows[2]
    assert evil[0] == "'=HYPERLINK(\"http://evil\")"
    assert evil[4] == "'+995 555 00 00 00" and evil[11] == "'@home" and evil[12] == "'-5 degrees"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # our own file comes back unchanged (the apostrophes are taken off again)
    from smallbiz.book import init_book
    from smallbiz.db import Database
    from tests.conftest import make_runner

    b2 = another_book("b2.db")
    init_book(Database(b2), company="B2", currency="GEL")
    other = make_runner(b2)
    assert other("import", "contacts", str(out)).exit_code == 0
    v = other("contact", "show", "x@example.ge", "--json").json()
    assert v["name"] == "=HYPERLINK(\"http://evil\")" and v["phone"] == "+995 555 00 00 00"
    assert v["tags"] == ["@home"] and v["notes"] == "-5 degrees"
    again = tmp_path / "again.csv"
    other("export", "contacts", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_duplicates_reported_or_merged(book, cli, tmp_path):
    tx(book, create_contact, "Gela Beridze", email="gela@kfoods.ge", customer=True)
    f = write(tmp_path / "dups.csv",
              "name,email,phone,roles,tags\n"
              "G. Beridze,GELA@kfoods.ge,+995 555 12 34 56,supplier,vip\n"
              "Gela Beridze,,+995 599 99 99 99,,\n"
              "New Person,new@example.ge,,,\n"
              "New Person,,+995 577 00 00 00,lead,\n")
    r = cli("import", "contacts", f, "--json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    assert report["created"] == 1 and report["updated"] == 0
    assert [(d["where"], d["existing_id"], d["reason"]) for d in report["duplicates"]] == [
        ("line 2", 1, "same email gela@kfoods.ge"),
        ("line 3", 1, "same name and organization"),
        ("line 5", None, "same name and organization as line 4")]
    assert cli("contact", "show", "Gela", "--json").json()["roles"] == ["customer"]
    r = cli("import", "contacts", f, "--update", "--json")
    assert r.json()["updated"] == 4 and r.json()["created"] == 0  # New Person twice
    gela = cli("contact", "show", "Gela Beridze", "--json").json()
    assert gela["roles"] == ["customer", "supplier"] and gela["tags"] == ["vip"]
    assert [p["value"] for p in gela["phones"]] == ["+995 555 12 34 56", "+995 599 99 99 99"]
    new = cli("contact", "show", "New Person", "--json").json()
    assert new["roles"] == ["lead"] and new["phone"] == "+995 577 00 00 00"
    assert cli("contact", "list", "--json").json().__len__() == 2
    assert cli("check").exit_code == 0


def test_skip_invalid_imports_the_good_ones(cli, tmp_path):
    f = write(tmp_path / "mixed.csv",
              "name,email,archived\n"
              "Good One,good@example.ge,no\n"
              ",nobody@example.ge,no\n"
              "Bad Mail,not-an-email,no\n"
              "Too,many,no,cells\n"
              "Odd Flag,odd@example.ge,maybe\n"
              "Good Two,,yes\n")
    r = cli("import", "contacts", f, "--skip-invalid", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["created"] == 3  # line 3 is named from its e-mail
    assert [(x["where"], x["error"]) for x in r.json()["rejected"]] == [
        ("line 4", "email: 'not-an-email' is not an email address"),
        ("line 5", "4 cells, but the header has 3"),
        ("line 6", "archived: 'maybe' is not yes or no")]
    assert [c["name"] for c in cli("contact", "list", "--archived", "--json").json()] == [
        "Good One", "Good Two", "nobody@example.ge"]
