"""The places of the app: one mode each, one function key each (also from inside an input)."""

from __future__ import annotations

from dataclasses import dataclass

from smallbiz.i18n import _


@dataclass(frozen=True)
class Place:
    mode: str
    key: str
    title: str
    short: str  # footer label


PLACES = [
    Place("dashboard", "f2", _("Dashboard"), _("Home")),
    Place("contacts", "f3", _("Contacts"), _("Contacts")),
    Place("deals", "f4", _("Deals"), _("Deals")),
    Place("sales", "f5", _("Sales"), _("Sales")),
    Place("purchases", "f6", _("Purchases"), _("Purch.")),
    Place("invoices", "f7", _("Invoices"), _("Invoices")),
    Place("products", "f8", _("Products & Stock"), _("Stock")),
    Place("journal", "f9", _("Journal"), _("Journal")),
    Place("reports", "f10", _("Reports"), _("Reports")),
    Place("bank", "f11", _("Bank"), _("Bank")),
]
PLACE = {p.mode: p for p in PLACES}
