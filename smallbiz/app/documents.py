"""`Book`'s use cases for documents: partial deliveries and invoices, direct invoices and
bills, credit and debit notes, quotes (a mixin of `smallbiz.app.book.Book`).

Each method opens its own transaction, like Book's; quantities per line are given as
`{position: Decimal}` (None: what is open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from smallbiz.db import Database
    from smallbiz.orders.direct import DirectLine
    from smallbiz.orders.invoices import InvoiceView
    from smallbiz.orders.lines import LineInput
    from smallbiz.orders.quotes import QuoteRow
    from smallbiz.orders.service import ActionResult, OrderView

Quantities = Mapping[int, Decimal] | None


def parse_quantities(specs: Sequence[str] | str | None, option: str = "--line"
                     ) -> dict[int, Decimal] | None:
    """`POS=QTY` items (a line's position, a quantity; a text may hold several, split by
    commas or spaces) → {position: quantity}; None when none is given."""
    from smallbiz.errors import ValidationError
    from smallbiz.i18n import _
    from smallbiz.money import parse_quantity

    if isinstance(specs, str):
        specs = specs.replace(",", " ").split()
    if not specs:
        return None
    out: dict[int, Decimal] = {}
    for i, text in enumerate(specs, start=1):
        pos, eq, qty = text.partition("=")
        if not eq or not pos.strip().isdigit():
            raise ValidationError(_("{option} {i} ('{text}'): expected POS=QTY, the line's "
                                    "position and a quantity, e.g. 1=10").format(
                option=option, i=i, text=text), field=option)
        position = int(pos.strip())
        if position in out:
            raise ValidationError(_("{option}: line {pos} is given twice").format(
                option=option, pos=position), field=option)
        out[position] = parse_quantity(qty, field=f"{option} {i} ('{text}')")
    return out


class DocumentActions:
    db: Database

    # -- partial deliveries and invoices -------------------------------------------------------
    def ship(self, number: str, *, lines: Quantities = None,
             on: dt.date | None = None) -> ActionResult:
        """Ship a sale: all that is open, or `lines` (position → quantity)."""
        from smallbiz.orders.service import ship_order

        with self.db.transaction() as s:
            return ship_order(s, number, on=on, lines=lines)

    def receive(self, number: str, *, lines: Quantities = None,
                on: dt.date | None = None, rate: str | Decimal | None = None,
                supplier_ref: str = "") -> ActionResult:
        """Receive a purchase (and book its bill): all that is open, or `lines`; a
        foreign order's bill at `rate` (default: the rate table's); `supplier_ref`: the
        supplier's own number for the bill."""
        from smallbiz.orders.service import receive_order

        with self.db.transaction() as s:
            return receive_order(s, number, on=on, lines=lines, rate=rate,
                                 supplier_ref=supplier_ref)

    def invoice_sale(self, number: str, *, lines: Quantities = None, everything: bool = False,
                     on: dt.date | None = None, rate: str | Decimal | None = None
                     ) -> ActionResult:
        """Invoice a sale: what was shipped and not yet invoiced (before any shipment, or
        with `everything`: all not yet invoiced), or `lines`."""
        from smallbiz.orders.service import invoice_order

        with self.db.transaction() as s:
            return invoice_order(s, number, on=on, lines=lines, everything=everything,
                                 rate=rate)

    # -- direct invoices and bills -------------------------------------------------------------
    def issue_direct(self, kind: str, contact: str | int, lines: Sequence[DirectLine], *,
                     on: dt.date | None = None, due: dt.date | None = None,
                     currency: str | None = None, rate: str | Decimal | None = None,
                     supplier_ref: str = "") -> InvoiceView:
        """An invoice ("invoice") or a supplier's bill ("bill", with the supplier's own
        number for it if given) without an order; in `currency` (prices in it) at `rate`
        (default: the rate table's for the date)."""
        from smallbiz.orders.direct import issue_direct
        from smallbiz.orders.invoices import invoice_view

        with self.db.transaction() as s:
            return invoice_view(s, issue_direct(s, kind, contact, list(lines), on=on,
                                                due=due, currency=currency, rate=rate,
                                                supplier_ref=supplier_ref))

    # -- credit and debit notes ----------------------------------------------------------------
    def credit(self, number: str, *, lines: Quantities = None, with_return: bool = False,
               on: dt.date | None = None) -> InvoiceView:
        """A credit note against an invoice, or a debit note against a bill: in full, or
        `lines` (position → quantity); `with_return`: the goods come back."""
        from smallbiz.orders.credits import issue_note
        from smallbiz.orders.invoices import invoice_view

        with self.db.transaction() as s:
            return invoice_view(s, issue_note(s, number, lines=lines, with_return=with_return,
                                              on=on))

    def cancel_credit(self, number: str, *, on: dt.date | None = None) -> InvoiceView:
        from smallbiz.orders.credits import cancel_note
        from smallbiz.orders.invoices import invoice_view

        with self.db.transaction() as s:
            return invoice_view(s, cancel_note(s, number, on=on))

    # -- quotes --------------------------------------------------------------------------------
    def create_quote(self, contact: str | int, lines: Sequence[LineInput], *,
                     on: dt.date | None = None, valid_until: dt.date | None = None,
                     deal: str | int | None = None, notes: str = "") -> OrderView:
        from smallbiz.orders.quotes import create_quote

        with self.db.transaction() as s:
            return create_quote(s, contact, list(lines), on=on, valid_until=valid_until,
                                deal=deal, notes=notes)

    def quote_action(self, action: str, number: str, *,
                     on: dt.date | None = None) -> ActionResult:
        """send, accept (→ a draft sales order, linked), decline, expire or cancel."""
        from smallbiz.orders.quotes import quote_action

        with self.db.transaction() as s:
            return quote_action(s, action, number, on=on)

    def quote(self, number: str) -> OrderView:
        from smallbiz.orders.quotes import show_quote

        with self.db.read() as s:
            return show_quote(s, number)

    def quotes(self, *, status: str | None = None, contact: str | int | None = None,
               deal: str | int | None = None, limit: int | None = None) -> list[QuoteRow]:
        from smallbiz.orders.quotes import list_quotes

        with self.db.read() as s:
            return list_quotes(s, status=status, contact=contact, deal=deal, limit=limit)

    def quote_pdf(self, number: str, path: str | None = None, *,
                  force: bool = False) -> tuple[str, Path]:
        """Write a quote as a PDF (the invoice's renderer); returns (number, file)."""
        from smallbiz.io.invoice_pdf import pdf_file_name, render_invoice_pdf
        from smallbiz.orders.quotes import quote_document

        with self.db.read() as s:
            doc = quote_document(s, number)
        written = render_invoice_pdf(doc, path or pdf_file_name(doc.number), force=force,
                                     book=self.db)
        return doc.number, written
