"""Small helpers shared by services that work on a session or connection."""

from __future__ import annotations

import datetime as dt
from typing import Any


def keyset_after(where: list[str], params: dict[str, Any], alias: str,
                 after: tuple[dt.date, int] | None) -> None:
    """Add the condition for the rows after `after` = (date, id) in (date, id) order (keyset
    paging). The range form lets SQLite seek a (..., date) index instead of scanning it."""
    if after is not None:
        where.append(f"{alias}.date >= :adate AND ({alias}.date > :adate OR {alias}.id > :aid)")
        params["adate"], params["aid"] = after
