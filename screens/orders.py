"""Sales and purchase orders."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen
from smallbiz.i18n import _


class OrdersScreen(PlaceholderScreen):
    NEEDS = "smallbiz.orders"

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.PLACE_TITLE = _("Sales") if kind == "sale" else _("Purchases")


class OrderScreen(PlaceholderScreen):
    NEEDS = "smallbiz.orders"
