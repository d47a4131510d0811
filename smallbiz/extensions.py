"""Loading the packages built on top of a package without importing them by name.

`books`, `crm` and `stock` know nothing of `orders`, yet `check` and the 360 views want
what orders adds. They name the modules that extend them; this imports those that exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType


def import_optional(names: Iterable[str]) -> list[ModuleType]:
    """Import each named module that exists (registering its hooks); skip missing ones.

    An import error inside an existing module is not hidden.
    """
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules
