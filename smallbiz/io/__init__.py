"""Import and export: plain-text journal (hledger/ledger), CSV, vCard, PDF invoices."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: Path) -> int:
    """Create `path` afresh, readable and writable by its owner only (an export holds the
    book's data, like the book itself); returns the file descriptor to write to."""
    path.unlink(missing_ok=True)  # an existing file would keep its (wider) mode
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
