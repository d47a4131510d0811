"""`--locale ka|en` on the imports: a file says how it writes numbers and dates, whatever
language the messages are in. Georgian `1 234,56` and `01.12.2026`; English `1,234.56` and
ISO dates; a number that reads two ways (`1.234`) is refused with its line."""

from __future__ import annotations

from pathlib import Path


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _products(cli) -> dict[str, tuple[str, str | None]]:
    return {p["sku"]: (p["price"], p["cost"]) for p in cli("--json", "product", "list").json()}


def test_products_in_georgian_and_english_forms(cli, tmp_path: Path) -> None:
    ka = _write(tmp_path, "ka.csv", 'sku,name,price,cost\nA1,Hammer,"1 234,56","1.234,5"\n'
                                    'A2,Saw,"12,5",3\n')
    en = _write(tmp_path, "en.csv", 'sku,name,price,cost\nB1,Nail,"1,234.56",0.5\n')
    assert cli("import", "products", ka, "--locale", "ka").exit_code == 0
    assert cli("--lang", "ka", "import", "products", en, "--locale", "en").exit_code == 0
    assert _products(cli) == {"A1": ("1234.56", "1234.50"), "A2": ("12.50", "3.00"),
                              "B1": ("1234.56", "0.50")}


def test_a_georgian_number_in_an_english_file_is_refused_with_its_line(cli, tmp_path) -> None:
    path = _write(tmp_path, "p.csv", 'sku,name,price\nC1,Nut,5\nC2,Bolt,"1 234,56"\n')
    r = cli("import", "products", path, "--locale", "en")
    assert r.exit_code == 1
    assert "line 3: price: '1 234,56' is not a valid amount" in r.stderr
    assert _products(cli) == {}  # all or nothing


def test_an_ambiguous_number_is_refused_with_its_line(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "p.csv", "sku,name,price\nC1,Nut,5\nC2,Bolt,1.234\n")
    r = cli("import", "products", path, "--locale", "ka")
    assert r.exit_code == 1
    assert ("line 3: price: '1.234' is ambiguous: is it 1234 or 1.234? Write 1234 for the "
            "first, 1.234 for the second") in r.stderr
    ka = cli("--lang", "ka", "import", "products", path, "--locale", "ka")
    assert "სტრიქონი 3: price: '1.234' ორაზროვანია" in ka.stderr
    # stated English, the same file is one point two three four
    assert cli("import", "products", path, "--locale", "en").exit_code == 1  # 3 decimals
    assert _products(cli) == {}


def test_an_unknown_locale_is_refused(cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "p.csv", "sku,name,price\nC1,Nut,5\n")
    r = cli("import", "products", path, "--locale", "fr")
    assert (r.exit_code, r.stderr) == (
        1, "error: --locale: 'fr' is not a locale smallbiz reads (en, ka)\n")
    r = cli("bank", "import", path, "--locale", "fr")
    assert r.exit_code == 1 and "--locale: 'fr'" in r.stderr


def _lines(cli) -> list[tuple[str, str, str]]:
    return [(ln["date"], ln["amount"], ln["description"])
            for ln in cli("--json", "bank", "list").json()]


def test_a_bank_statement_csv_in_georgian_and_english(cli, tmp_path: Path) -> None:
    ka = _write(tmp_path, "ka.csv", "date;amount;description\n01.12.2026;1 234,56;Sale\n"
                                    "2026-12-02;-12,5;Fee\n05.12.2026;(7,25);Refund\n")
    en = _write(tmp_path, "en.csv", 'date,amount,description\n2026-12-03,"1,234.56",Rent\n')
    assert cli("bank", "import", ka, "--locale", "ka").exit_code == 0
    assert cli("bank", "import", en, "--locale", "en").exit_code == 0
    assert sorted(_lines(cli)) == [("2026-12-01", "1234.56", "Sale"),
                                   ("2026-12-02", "-12.50", "Fee"),
                                   ("2026-12-03", "1234.56", "Rent"),
                                   ("2026-12-05", "-7.25", "Refund")]


def test_a_bank_statement_xlsx_with_georgian_text_cells(cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["date", "amount", "description"])
    sheet.append(["01.12.2026", "1 234,56", "Sale"])
    sheet.append(["02.12.2026", 99.5, "Cash"])  # a spreadsheet's own number
    path = tmp_path / "st.xlsx"
    wb.save(path)
    assert cli("bank", "import", str(path), "--locale", "ka").exit_code == 0
    assert sorted(_lines(cli)) == [("2026-12-01", "1234.56", "Sale"),
                                   ("2026-12-02", "99.50", "Cash")]


def test_a_bank_statement_refuses_what_its_locale_does_not_read(cli, tmp_path) -> None:
    amb = _write(tmp_path, "a.csv", "date;amount;description\n04.12.2026;5;A\n"
                                    "04.12.2026;1.234;B\n")
    r = cli("bank", "import", amb, "--locale", "ka")
    assert (r.exit_code, r.stderr) == (
        1, "error: line 3: amount: '1.234' is ambiguous: is it 1234 or 1.234? Write 1234 "
           "for the first, 1.234 for the second\n")
    bad = _write(tmp_path, "b.csv", "date;amount;description\n31.02.2026;5;X\n")
    r = cli("bank", "import", bad, "--locale", "ka")
    assert r.exit_code == 1 and "line 2: date: '31.02.2026' is not a date" in r.stderr
    en = _write(tmp_path, "e.csv", 'date;amount;description\n2026-12-04;"1 234,56";X\n')
    r = cli("bank", "import", en, "--locale", "en")
    assert r.exit_code == 1 and "line 2: amount: '1 234,56' is not a valid amount" in r.stderr
    assert _lines(cli) == []
    ofx = _write(tmp_path, "s.ofx", "OFXHEADER:100\n")
    r = cli("bank", "import", ofx, "--format", "ofx", "--locale", "ka")
    assert r.exit_code == 1 and "--locale: only for CSV and XLSX statements" in r.stderr


def test_contact_birthdays_in_the_georgian_form(cli, tmp_path: Path) -> None:
    ka = _write(tmp_path, "ka.csv", "name,birthday\nNino,01.12.1980\n")
    en = _write(tmp_path, "en.csv", "name,birthday\nGia,1981-12-01\n")
    assert cli("import", "contacts", ka, "--locale", "ka").exit_code == 0
    assert cli("import", "contacts", en, "--locale", "en").exit_code == 0
    assert cli("--json", "contact", "show", "Nino").json()["details"]["birthday"] == "1980-12-01"
    assert cli("--json", "contact", "show", "Gia").json()["details"]["birthday"] == "1981-12-01"


def test_locale_is_on_each_import_help(cli) -> None:
    for command in (["import", "products"], ["import", "contacts"], ["bank", "import"]):
        out = cli(*command, "--help").stdout
        assert "--locale ka|en" in out, command
