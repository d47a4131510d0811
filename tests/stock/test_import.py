"""`import products FILE.csv`: all rows or none, errors by line."""

from __future__ import annotations

from tests.conftest import content_hash

GOOD = """sku,name,price,cost,unit,vat,reorder,kind
TOOL-01,Hammer,25.00,12.00,pcs,18,10,
TOOL-02,"Screwdriver, flat",7.50,,pcs,,,stock
SVC-01,Installation hour,40,,h,18,,service
GE-01,ხის სახელური,3.20,1.1,pcs,0,,
"""


def test_import_products(cli, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text(GOOD, encoding="utf-8")
    r = cli("import", "products", str(path), "--json")
    assert (r.exit_code, r.json()) == (0, {"imported": 4}), r.stderr
    rows = {p["sku"]: p for p in cli("product", "list", "--json").json()}
    assert set(rows) == {"TOOL-01", "TOOL-02", "SVC-01", "GE-01"}
    assert (rows["TOOL-01"]["price"], rows["TOOL-01"]["cost"], rows["TOOL-01"]["reorder_level"]
            ) == ("25.00", "12.00", "10")
    assert (rows["TOOL-02"]["name"], rows["TOOL-02"]["vat_rate"]) == ("Screwdriver, flat", "18")
    assert rows["SVC-01"]["kind"] == "service"
    assert (rows["GE-01"]["name"], rows["GE-01"]["vat_rate"]) == ("ხის სახელური", "0")
    assert cli("check").exit_code == 0
    # the products work like any other
    assert cli("stock", "adjust", "GE-01", "10", "--opening", "--date",
               "2026-01-01").exit_code == 0


def test_bad_file_imports_nothing_and_names_the_lines(cli, tmp_path, book_path):
    cli("product", "add", "OLD-1", "Existing", "--price", "1")
    path = tmp_path / "bad.csv"
    path.write_text("sku,name,price,kind\n"
                    "A-1,Fine,1.00,\n"
                    "A-2,Bad price,one,\n"
                    "A-1,Repeat,2,\n"
                    "old-1,Clash,2,\n"
                    "A-3,,2,\n"
                    "A-4,Odd kind,2,gadget\n", encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "products", str(path))
    assert r.exit_code == 1
    assert content_hash(book_path) == before
    lines = r.stderr.splitlines()
    assert lines[0] == "error: bad.csv: nothing imported, 5 problem(s):"
    assert lines[1].startswith("line 3: price: 'one' is not a valid amount")
    assert lines[2] == "line 4: sku A-1 repeats line 2"
    assert lines[3] == "line 5: product OLD-1 already exists"
    assert lines[4] == "line 6: name: must not be empty"
    assert lines[5] == "line 7: kind: 'gadget' is not stock or service"


def test_wrong_columns_and_missing_file(cli, tmp_path, book_path):
    path = tmp_path / "cols.csv"
    path.write_text("code,name,cost\nX,Y,1\n", encoding="utf-8")
    before = content_hash(book_path)
    r = cli("import", "products", str(path))
    assert r.exit_code == 1
    assert "line 1: missing column(s): sku, price; unknown column(s): code" in r.stderr
    r = cli("import", "products", str(tmp_path / "none.csv"))
    assert r.exit_code == 1 and "cannot read" in r.stderr
    assert content_hash(book_path) == before
