"""The bank: statement lines per bank account, imported from a bank's file, matched to
the book's documents and accounts, reconciled (see docs and `smallbiz bank --help`)."""
