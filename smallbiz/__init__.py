"""smallbiz: contacts, books, stock and orders for a small firm in one SQLite file."""

__version__ = "0.1.0"
