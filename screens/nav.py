"""The places of the app: one mode each, one function key each (also from inside an input)."""

from __future__ import annotations

from dataclasses import dataclass

from smallbiz.i18n import N_


@dataclass(frozen=True)
class Place:
    mode: str
    key: str
    title: str
    short: str  # footer label


PLACES = [
    Place("dashboard", "f2", N_("Dashboard"), N_("Home")),
    Place("contacts", "f3", N_("Contacts"), N_("Contacts")),
    Place("deals", "f4", N_("Deals"), N_("Deals")),
    Place("sales", "f5", N_("Sales"), N_("Sales")),
    Place("purchases", "f6", N_("Purchases"), N_("Purch.")),
    Place("invoices", "f7", N_("Invoices"), N_("Invoices")),
    Place("products", "f8", N_("Products & Stock"), N_("Stock")),
    Place("journal", "f9", N_("Journal"), N_("Journal")),
    Place("reports", "f10", N_("Reports"), N_("Reports")),
]
PLACE = {p.mode: p for p in PLACES}
