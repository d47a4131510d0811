"""Deals: the pipeline by stage."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen
from smallbiz.i18n import _


class DealsScreen(PlaceholderScreen):
    PLACE_TITLE = _("Deals")
    NEEDS = "smallbiz.crm"
