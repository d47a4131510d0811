"""Products & Stock."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen
from smallbiz.i18n import _


class ProductsScreen(PlaceholderScreen):
    PLACE_TITLE = _("Products & Stock")
    NEEDS = "smallbiz.stock"
