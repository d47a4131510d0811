"""The orders tests' shop (`templates`), for the random sequences; `fx`, a book with USD
rates for the documents' tests."""

import pytest

from tests.orders.conftest import templates  # noqa: F401


@pytest.fixture
def fx(cli):
    """Test Co (GEL) with a customer and a supplier, USD rates from December 1st."""
    cli("contact", "add", "Acme Inc", "--org", "--customer")
    cli("contact", "add", "Globex Ltd", "--org", "--supplier")
    assert cli("rate", "set", "USD", "2.70", "--date", "2026-12-01").exit_code == 0
    return cli
