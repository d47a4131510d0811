"""The orders tests' shop (`templates`), for the random sequences."""

from tests.orders.conftest import templates  # noqa: F401
