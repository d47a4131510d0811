"""What `import journal` says about the shapes it reads, leaves out or refuses."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_runner

TX = "2024-01-02 x\n    expenses:food  {amount}\n    assets:cash\n"


def _book(another_book, currency: str = "USD"):
    run = make_runner(another_book("b.db"))
    r = run("init", "--currency", currency, "--json")
    assert r.exit_code == 0, r.stderr
    return run


def test_init_takes_a_currency_symbol(another_book) -> None:
    run = make_runner(another_book("b.db"))
    r = run("init", "--currency", "$", "--json")
    assert (r.exit_code, r.json()["currency"]) == (0, "USD")


def test_a_symbol_for_another_dollar(another_book, tmp_path: Path) -> None:
    run = _book(another_book, "CAD")
    f = tmp_path / "cad.journal"
    f.write_text(TX.format(amount="$10.00"), encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1 and "--commodity '$=CAD'" in r.stderr
    r = run("import", "journal", str(f), "--commodity", "$=CAD", "--json")
    assert (r.exit_code, r.json()["entries"]) == (0, 1), r.stderr
    r = run("import", "journal", str(f), "--commodity", "$=USD")
    assert r.exit_code == 1 and "the book's currency is CAD" in r.stderr


def test_an_unknown_top_level_name_asks_once(another_book, tmp_path: Path) -> None:
    run = _book(another_book)
    f = tmp_path / "me.journal"
    f.write_text("2024-01-02 x\n    me:cash  10 USD\n    Retained earnings\n", encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1
    assert "line 2: account 'me:cash': the type of 'me' is not known" in r.stderr
    assert "--account-type 'me=asset'" in r.stderr
    r = run("import", "journal", str(f), "--account-type", "me=asset", "--json")
    assert r.exit_code == 0, r.stderr
    tb = {row["name"]: row["type"] for row in
          run("report", "tb", "--as-of", "2030-01-01", "--json").json()["rows"]}
    assert tb == {"Cash": "asset", "Retained earnings": "equity"}  # the chart's Cash
    assert run("import", "journal", str(f), "--account-type", "me=money").exit_code != 0


def test_a_failed_balance_assertion_names_its_line(another_book, tmp_path: Path) -> None:
    run = _book(another_book)
    f = tmp_path / "a.journal"
    f.write_text("2024-01-02 x\n    assets:cash  10 USD\n    equity:open\n\n"
                 "2024-01-03 y\n    assets:cash  5 USD = 14 USD\n    equity:open\n",
                 encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1
    assert r.stderr == (f"error: {f}: line 6: balance assertion failed: assets:cash is 15.00 "
                        "USD here, the file says 14.00\n")
    assert run("journal", "list", "--json").json() == []
    f.write_text("2024-01-03 y\n    assets:cash  5 USD = 5 USD\n    equity:open\n\n"
                 "2024-01-02 x\n    assets:cash  10 USD = 15 USD\n    equity:open\n",
                 encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1 and "dates go back at line 5: sort the file" in r.stderr


def test_includes_refuse_cycles_and_other_folders(another_book, tmp_path: Path) -> None:
    run = _book(another_book)
    books = tmp_path / "books"
    books.mkdir()
    main = books / "main.journal"
    main.write_text("include part.journal\n", encoding="utf-8")
    (books / "part.journal").write_text("include main.journal\n", encoding="utf-8")
    r = run("import", "journal", str(main))
    assert r.exit_code == 1
    assert r.stderr == (f"error: {books / 'part.journal'}: line 1: include 'main.journal' "
                        "includes itself (a cycle)\n")
    (tmp_path / "outside.journal").write_text(TX.format(amount="3 USD"), encoding="utf-8")
    main.write_text("include ../outside.journal\n", encoding="utf-8")
    r = run("import", "journal", str(main))
    assert r.exit_code == 1 and "outside the folder of main.journal" in r.stderr
    r = run("import", "journal", str(main), "--allow-include-outside")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "note: 1 included files read (first on line 1)\n"


def test_one_space_before_the_amount_is_named(another_book, tmp_path: Path) -> None:
    run = _book(another_book)
    f = tmp_path / "s.journal"
    f.write_text("2024-01-02 x\n    expenses:food 10.00 USD\n    assets:cash\n", encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1
    assert "line 2: 'expenses:food 10.00 USD': put two spaces (or a tab)" in r.stderr


def test_unbalanced_virtual_postings_are_refused_or_left_out(another_book,
                                                             tmp_path: Path) -> None:
    run = _book(another_book)
    f = tmp_path / "v.journal"
    f.write_text(TX.format(amount="4 USD") + "    (budget:food)  -4 USD\n", encoding="utf-8")
    r = run("import", "journal", str(f))
    assert r.exit_code == 1 and "line 4: unbalanced virtual posting '(budget:food)'" in r.stderr
    r = run("import", "journal", str(f), "--skip-virtual", "--json")
    assert (r.exit_code, r.json()["postings"], r.json()["skipped_virtual"]) == (0, 2, 1)


def test_a_second_commodity_and_prices_in_it_stay_refused(another_book, tmp_path: Path
                                                           ) -> None:
    """A second commodity unpriced, or priced in a third: refused (priced in the book's
    currency it imports: tests/fx/test_journal_fx.py)."""
    run = _book(another_book)
    f = tmp_path / "p.journal"
    for amount, message in (("10 EUR", "line 2: commodity 'EUR' is not the book's currency"),
                            ("10 EUR @ 1.1 GBP", "the price must be in the book's currency"),
                            ("10 EUR @@ 11 GBP", "line 2: commodity 'GBP' is not the book's"),
                            ("2 AAPL {150 USD}", "line 2: lot costs")):
        f.write_text(TX.format(amount=amount), encoding="utf-8")
        r = run("import", "journal", str(f))
        assert r.exit_code == 1 and message in r.stderr, (amount, r.stderr)
