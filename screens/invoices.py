"""Invoices: open, overdue, paid."""

from __future__ import annotations

from screens.placeholder import PlaceholderScreen
from smallbiz.i18n import _


class InvoicesScreen(PlaceholderScreen):
    PLACE_TITLE = _("Invoices")
    NEEDS = "smallbiz.orders"
