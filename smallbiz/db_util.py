"""Small helpers shared by services that work on a session or connection."""

from __future__ import annotations

from typing import Any


def money_digits(s: Any) -> int:
    """Minor digits of the book currency, as set on the engine's dialect when opened."""
    bind = s.get_bind() if hasattr(s, "get_bind") else s
    return int(getattr(bind.dialect, "smallbiz_money_digits", 2))
