"""Helpers for the CRM tests: run a service function in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smallbiz.db import Database


def tx(db: Database, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with db.transaction() as s:
        return fn(s, *args, **kwargs)


def rd(db: Database, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with db.read() as s:
        return fn(s, *args, **kwargs)
