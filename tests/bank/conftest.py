"""A small shop with two open invoices and one open bill, for the bank's statements:
INV-2026-0001 Kartuli Foods LLC 354.00, INV-2026-0002 ნინო ბერიძე 236.00,
BILL-2026-0001 Batumi Supply 118.00."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def ok(run, *args):
    r = run(*args)
    assert r.exit_code == 0, (args, r.stdout, r.stderr)
    return r


def fixture(name: str) -> str:
    return str(FIXTURES / name)


@pytest.fixture
def shop(cli):
    ok(cli, "contact", "add", "Kartuli Foods LLC", "--org", "--customer")
    ok(cli, "contact", "add", "ნინო ბერიძე", "--customer")
    ok(cli, "contact", "add", "Batumi Supply", "--org", "--supplier")
    ok(cli, "product", "add", "SVC-A", "Consulting", "--price", "300", "--service")
    ok(cli, "product", "add", "SVC-B", "Installation", "--price", "200", "--service")
    ok(cli, "product", "add", "TOOL", "Hammer", "--price", "150", "--cost", "100")
    for who, sku in (("Kartuli Foods LLC", "SVC-A"), ("ნინო ბერიძე", "SVC-B")):
        order = ok(cli, "sale", "new", who, "--line", f"{sku}=1", "--date",
                   "2026-01-05").stdout.strip()
        ok(cli, "sale", "confirm", order)
        ok(cli, "sale", "invoice", order, "--date", "2026-01-05")
    po = ok(cli, "purchase", "new", "Batumi Supply", "--line", "TOOL=1@100", "--date",
            "2026-01-06").stdout.strip()
    ok(cli, "purchase", "confirm", po)
    assert ok(cli, "purchase", "receive", po, "--date", "2026-01-06").stdout.strip() == \
        "BILL-2026-0001"
    return cli
