"""The places of the app: one mode each, one function key each (also from inside an input)."""

from __future__ import annotations

from dataclasses import dataclass

from smallbiz.i18n import N_, NP_


@dataclass(frozen=True)
class Place:
    mode: str
    key: str
    title: str
    short: str  # footer label


PLACES = [
    Place("dashboard", "f2", N_("Dashboard"), NP_("nav", "Home")),
    Place("contacts", "f3", N_("Contacts"), NP_("nav", "Contacts")),
    Place("deals", "f4", N_("Deals"), NP_("nav", "Deals")),
    Place("sales", "f5", N_("Sales"), NP_("nav", "Sales")),
    Place("purchases", "f6", N_("Purchases"), NP_("nav", "Purch.")),
    Place("invoices", "f7", N_("Invoices"), NP_("nav", "Invoices")),
    Place("products", "f8", N_("Products & Stock"), NP_("nav", "Stock")),
    Place("journal", "f9", N_("Journal"), NP_("nav", "Journal")),
    Place("reports", "f10", N_("Reports"), NP_("nav", "Reports")),
    Place("bank", "f11", N_("Bank"), NP_("nav", "Bank")),
]
PLACE = {p.mode: p for p in PLACES}
