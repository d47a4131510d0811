"""Use cases of foreign currency: the rate table and the revaluation of open foreign
documents (a mixin of `smallbiz.app.book.Book`, using `self.db` like Book's own methods).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smallbiz.books.fx import RateImport, RateView
    from smallbiz.db import Database
    from smallbiz.orders.fx import Revaluation


class FxActions:
    db: Database

    def set_rate(self, currency: str, rate: str | Decimal, on: dt.date) -> RateView:
        from smallbiz.books.fx import set_rate

        with self.db.transaction() as s:
            return set_rate(s, currency, rate, on)

    def rates(self, currency: str | None = None) -> list[RateView]:
        from smallbiz.books.fx import list_rates

        with self.db.read() as r:
            return list_rates(r, currency)

    def import_rates(self, path: str) -> RateImport:
        from smallbiz.books.fx import import_rates

        with self.db.transaction() as s:
            return import_rates(s, path)

    def revalue(self, as_of: dt.date, rates: dict[str, str] | None = None) -> Revaluation:
        """Post the unrealised exchange difference on open foreign invoices and bills and
        on the accounts kept in another currency at `as_of`, and its reversal the next
        day."""
        from smallbiz.orders.fx import revalue

        with self.db.transaction() as s:
            return revalue(s, as_of, rates or {})
