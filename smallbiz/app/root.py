"""The composition root: what the domains contribute to each other, wired explicitly.

books, crm and stock never import orders; orders adds sections to the contact and
product 360 views and its invariants to `check`. Everything that needs the whole
application (the CLI, the TUI, tests) takes these from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from smallbiz import audit
from smallbiz.bank import check as bank_check
from smallbiz.books import check as books_check
from smallbiz.crm import check as crm_check
from smallbiz.orders import check as orders_check
from smallbiz.orders.views import contact_orders, product_orders
from smallbiz.sql import Tx
from smallbiz.stock import check as stock_check

Check = Callable[[Tx], list[str]]

#: Every invariant `smallbiz check` verifies, in the order they are reported.
CHECKS: Sequence[Check] = (audit.verify_chain, *books_check.CHECKS, *crm_check.CHECKS,
                           *stock_check.CHECKS, *orders_check.CHECKS,
                           *bank_check.CHECKS)
#: Checks that must run in a write transaction (they change nothing).
WRITE_CHECKS: Sequence[Check] = (crm_check.search_index_integrity,
                                 *orders_check.WRITE_CHECKS)
#: Sections of the contact 360 view from the packages built on the CRM.
CONTACT_SECTIONS = (contact_orders,)
#: Sections of the product 360 view from the packages built on stock.
PRODUCT_SECTIONS = (product_orders,)
