"""Account types, system roles and the names journals use for types (no database needed)."""

from __future__ import annotations

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")

#: System roles documents use to find their accounts.
ROLES = ("bank", "cash", "receivable", "payable", "inventory", "vat_out", "vat_in", "sales",
         "services", "cogs", "stock_adjustment", "retained_earnings", "opening_equity",
         "expenses", "fx_gain", "fx_loss")

#: Journal (hledger/ledger) top-level names for each account type.
TYPE_ALIASES = {
    "asset": "asset", "assets": "asset",
    "liability": "liability", "liabilities": "liability",
    "equity": "equity", "equities": "equity",
    "income": "income", "revenue": "income", "revenues": "income",
    "expense": "expense", "expenses": "expense",
}

#: hledger splits account names on ':' (a sub-account); the journal export writes this
#: look-alike for a ':' inside a name, and the import turns it back.
COLON_STAND_IN = "\u2236"  # RATIO

#: What posted a journal entry (`journal_entry.source`).
SOURCES = ("manual", "invoice", "bill", "payment", "shipment", "receipt", "adjustment",
           "import", "reversal", "opening", "bank", "credit_note", "debit_note", "revaluation",
           "credit_apply")
