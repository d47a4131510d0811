"""Use cases of the firm itself: its details, the monthly VAT return, the VAT threshold,
and the fields kept for the Revenue Service (waybills, e-invoice numbers).

A mixin of `smallbiz.app.book.Book` (it uses `self.db` like Book's own methods).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smallbiz.db import Database
    from smallbiz.orders.vat_return import VatReturn
    from smallbiz.orders.waybill import Waybill
    from smallbiz.settings import CompanyDetails


class FirmActions:
    db: Database
    _settings: Any

    def company_details(self) -> CompanyDetails:
        from smallbiz import settings

        with self.db.read() as r:
            return settings.company_details(r)

    def change_settings(self, values: dict[str, str]) -> dict[str, str]:
        """Change several settings at once: all validated first, then all stored (one
        transaction); returns the values as stored."""
        from smallbiz import settings

        with self.db.transaction() as s:
            stored = settings.change_many(s, values)
        self._settings = None
        return stored

    def vat_return(self, month: str | dt.date) -> VatReturn:
        """The monthly VAT declaration's figures for `month` (YYYY-MM or a day in it)."""
        from smallbiz.orders.vat_return import parse_month, vat_return

        first = month if isinstance(month, dt.date) else parse_month(month)
        with self.db.read() as r:
            return vat_return(r, first)

    def set_waybill(self, order: str, **fields: str | None) -> Waybill:
        """Keep the waybill fields of an order's shipment (or receipt): transport type,
        vehicle plate, driver's personal number, start and end address."""
        from smallbiz.orders.waybill import set_waybill

        with self.db.transaction() as s:
            return set_waybill(s, order, **fields)

    def set_revenue_service(self, invoice: str, *, number: str | None = None,
                            status: str | None = None) -> tuple[str, str, str]:
        """Keep the Revenue Service's number and status of an invoice's e-invoice;
        returns (invoice number, RS number, RS status)."""
        from smallbiz.orders.waybill import set_revenue_service

        with self.db.transaction() as s:
            return set_revenue_service(s, invoice, number=number, status=status)
