"""Import and export: plain-text journal (hledger/ledger), CSV, vCard, PDF invoices."""
