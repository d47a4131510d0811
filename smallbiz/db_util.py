"""Small helpers shared by services that work on a session or connection."""

from __future__ import annotations

import datetime as dt
from typing import Any


def money_digits(s: Any) -> int:
    """Minor digits of the book currency, as set on the engine's dialect when opened."""
    bind = s.get_bind() if hasattr(s, "get_bind") else s
    return int(getattr(bind.dialect, "smallbiz_money_digits", 2))


def keyset_after(where: list[str], params: dict[str, Any], alias: str,
                 after: tuple[dt.date, int] | None) -> None:
    """Add the condition for the rows after `after` = (date, id) in (date, id) order (keyset
    paging). The range form lets SQLite seek a (..., date) index instead of scanning it."""
    if after is not None:
        where.append(f"{alias}.date >= :adate AND ({alias}.date > :adate OR {alias}.id > :aid)")
        params["adate"], params["aid"] = after
