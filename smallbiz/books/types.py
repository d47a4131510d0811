"""Account types and the names journals use for them (no database needed)."""

from __future__ import annotations

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")

#: Journal (hledger/ledger) top-level names for each account type.
TYPE_ALIASES = {
    "asset": "asset", "assets": "asset",
    "liability": "liability", "liabilities": "liability",
    "equity": "equity", "equities": "equity",
    "income": "income", "revenue": "income", "revenues": "income",
    "expense": "expense", "expenses": "expense",
}
