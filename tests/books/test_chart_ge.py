"""The Georgian chart of accounts: four-digit codes by class, Georgian names with the
English alongside, every system role mapped."""

from __future__ import annotations

import csv

from smallbiz.book import init_book
from smallbiz.books.types import ROLES
from smallbiz.datafiles import data_path
from smallbiz.db import Database


def test_the_template_is_complete() -> None:
    with (data_path("charts") / "ge.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(len(r["code"]) == 4 and r["code"].isdigit() for r in rows)
    assert sorted(r["role"] for r in rows if r["role"]) == sorted(ROLES)
    assert all(r["name_en"] and any("\u10d0" <= ch <= "\u10ff" for ch in r["name"])
               for r in rows)
    # the classes Georgian bookkeepers use: 1 current assets ... 9 profit tax
    assert {r["code"][0] for r in rows} == set("123456789")


def test_init_with_the_georgian_chart(cli, another_book) -> None:
    where = another_book("ge.db")
    info = init_book(Database(where), company="ჩაის სახლი", currency="GEL", vat_rate="18",
                     chart="ge")
    assert info.chart == "ge" and info.accounts == 46
    from tests.conftest import make_runner

    run = make_runner(where)
    accounts = {a["code"]: a for a in run("account", "list", "--json").json()}
    assert (accounts["3330"]["name"], accounts["3330"]["role"]) == ("გადასახდელი დღგ",
                                                                    "vat_out")
    assert accounts["1210"]["role"] == "bank" and accounts["6110"]["role"] == "sales"
    assert run("check").exit_code == 0
