"""`invoice list --search TEXT`: the text anywhere in the number, the contact's name (as
typed or in Latin letters), the supplier's own reference of a bill or the memo (the
order's notes); the count and every page of the list use the same condition. Real CLI on
a real book."""

from __future__ import annotations

import pytest

from smallbiz.app.book import Book


def _ok(cli, *args):
    r = cli(*args)
    assert r.exit_code == 0, (args, r.stdout, r.stderr)
    return r


@pytest.fixture
def sales(cli):
    """Three invoices: Acme (no notes), ნინო ბერიძე (order notes 'Wedding flowers'),
    Acme again; one bill of Parts Supply with its reference F-77/2026."""
    _ok(cli, "contact", "add", "Acme Trading", "--customer")
    _ok(cli, "contact", "add", "ნინო ბერიძე", "--customer")
    _ok(cli, "contact", "add", "Parts Supply", "--supplier")
    _ok(cli, "product", "add", "SVC", "Arranging", "--price", "50", "--service")
    numbers = []
    for who, notes in (("Acme Trading", ""), ("ნინო ბერიძე", "Wedding flowers"),
                       ("Acme Trading", "")):
        so = _ok(cli, "sale", "new", who, "--line", "SVC=1", "--date", "2026-02-01",
                 *(("--notes", notes) if notes else ())).stdout.strip()
        _ok(cli, "sale", "confirm", so)
        numbers.append(_ok(cli, "sale", "invoice", so, "--date", "2026-02-01").stdout.strip())
    bill = _ok(cli, "bill", "new", "Parts Supply", "--line", "Rent=1@100", "--date",
               "2026-02-02", "--supplier-ref", "F-77/2026").stdout.strip()
    return numbers, bill


def _found(cli, *args):
    return [r["number"] for r in _ok(cli, "invoice", "list", *args, "--json").json()]


def test_search_finds_by_number_name_reference_and_memo(cli, sales):
    (acme1, nino, acme2), bill = sales
    assert _found(cli) == [acme1, nino, acme2]
    assert _found(cli, "--search", "wedding") == [nino]  # the order's notes, any case
    assert _found(cli, "--search", "ბერიძე") == [nino]  # the name as typed
    assert _found(cli, "--search", "Beridze") == [nino]  # and in Latin letters
    assert _found(cli, "--search", "ACME") == [acme1, acme2]
    assert _found(cli, "--search", nino[-4:]) == [nino]  # part of the number
    assert _found(cli, "--search", "f-77") == []  # a bill's reference: not an invoice
    assert _found(cli, "--bills", "--search", "f-77") == [bill]
    assert _found(cli, "--bills", "--search", "77/20") == [bill]
    assert _found(cli, "--search", "50%") == []  # LIKE's wildcards are plain text
    assert _found(cli, "--search", "acme", "--contact", "Acme Trading", "--open") == [
        acme1, acme2]
    text = _ok(cli, "invoice", "list", "--search", "wedding").stdout
    assert nino in text and acme1 not in text


def test_the_count_and_the_pages_use_the_same_condition(book, cli, sales):
    (acme1, nino, acme2), _bill = sales
    facade = Book(book)
    assert facade.invoices_count("invoice", "all") == 3
    assert facade.invoices_count("invoice", "all", search="acme") == 2
    assert facade.invoices_count("invoice", "open", search="wedding") == 1
    assert facade.invoices_count("bill", "all", search="F-77") == 1
    assert facade.invoices_count("invoice", "paid", search="acme") == 0
    # a jump to row 2 of the searched list (an offset, no key): Acme's second invoice
    assert [r.number for r in facade.invoices_page("invoice", "all", 1, 10,
                                                   search="acme")] == [acme2]
    assert facade.invoices_page("invoice", "all", 2, 10, search="acme") == []
    _ok(cli, "pay", "in", acme2, "59.00")
    assert facade.invoices_count("invoice", "paid", search="acme") == 1
    assert [r.number for r in facade.invoices_page("invoice", "paid", 0, 10,
                                                   search="acme")] == [acme2]
    assert [r.number for r in facade.invoices_page("invoice", "open", 1, 10)] == [nino]
