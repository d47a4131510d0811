"""Contacts' tax IDs: Georgian ones by their shape, others by python-stdnum, else free."""

from __future__ import annotations


def test_georgian_and_foreign_tax_ids(cli) -> None:
    ok = cli("contact", "add", "Kartuli Foods", "--org", "--country", "Georgia", "--tax-id",
             "404 123 456")
    assert ok.exit_code == 0, ok.stderr
    assert cli("contact", "show", "Kartuli Foods", "--json").json()["tax_id"] == "404123456"
    bad = cli("contact", "add", "Bad Org", "--org", "--country", "GE", "--tax-id", "4041234")
    assert bad.exit_code == 1
    assert "is not a Georgian tax ID: expected 9 digits for a legal entity" in bad.stderr
    # a person's tax ID in Georgia is the 11-digit personal number
    bad = cli("contact", "add", "ნინო ბერიძე", "--country", "საქართველო", "--tax-id",
              "404123456")
    assert bad.exit_code == 1 and "11 digits" in bad.stderr
    assert cli("contact", "add", "ნინო ბერიძე", "--country", "საქართველო", "--tax-id",
               "01001012345").exit_code == 0
    # an individual entrepreneur (an organization) may use the personal number
    assert cli("contact", "add", "ი/მ გელა", "--org", "--country", "GE", "--tax-id",
               "01001012346").exit_code == 0
    # python-stdnum knows Germany's VAT number
    assert cli("contact", "add", "Acme GmbH", "--org", "--country", "DE", "--tax-id",
               "DE 136 695 976").exit_code == 0
    bad = cli("contact", "add", "Fake GmbH", "--org", "--country", "DE", "--tax-id", "DE1")
    assert bad.exit_code == 1 and "not a valid tax ID for DE" in bad.stderr
    # no country, or one stdnum does not know: free text
    assert cli("contact", "add", "Somewhere Ltd", "--org", "--tax-id", "X-42").exit_code == 0
    assert cli("contact", "add", "Yerevan LLC", "--org", "--country", "AM", "--tax-id",
               "AM 0001").exit_code == 0
    # editing checks the tax ID against the (new) country
    bad = cli("contact", "edit", "Somewhere Ltd", "--country", "Georgia")
    assert bad.exit_code == 1 and "is not a Georgian tax ID" in bad.stderr
    assert cli("contact", "edit", "Somewhere Ltd", "--country", "Georgia", "--tax-id",
               "205000111").exit_code == 0


def test_romanized_search_through_the_cli(cli) -> None:
    cli("contact", "add", "ნინო ბერიძე")
    cli("contact", "add", "Nino Kapanadze")
    names = [c["name"] for c in cli("contact", "list", "--search", "beridze", "--json").json()]
    assert names == ["ნინო ბერიძე"]
    names = [c["name"] for c in cli("contact", "list", "--search", "ნინო", "--json").json()]
    assert names == ["Nino Kapanadze", "ნინო ბერიძე"]
    # a renamed contact is found by its new name's romanization
    cli("contact", "edit", "Nino Kapanadze", "--name", "ნინო კაპანაძე")
    names = [c["name"] for c in cli("contact", "list", "--search", "kapanadze",
                                    "--json").json()]
    assert names == ["ნინო კაპანაძე"]
    assert cli("check").exit_code == 0
