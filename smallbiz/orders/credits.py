"""Credit notes (CN-, against an invoice) and debit notes (DN-, a supplier's credit
against a bill): in full or per line, with or without the goods coming back.

A note is a row of `invoice` (kind `credit_note` / `debit_note`, status posted or
cancelled) pointing to the document it credits (`credits_id`), with lines pointing to the
lines they credit. What it posts is its kind's legs (`smallbiz.orders.lifecycle`), i.e.
the credited document's legs reversed for the credited lines:

    credit note: Dr Sales / Services / the line's account (net), Dr VAT out (VAT);
                 Cr Receivable (gross, with the contact); with a return of goods also
                 Dr Inventory, Cr COGS at the cost the goods left with (the order line's
                 shipments: their value per unit), and the stock comes back in at it
    debit note:  Dr Payable (gross, with the contact); Cr Inventory (stock lines' net:
                 the goods go back at the cost they came in at), Cr the line's account
                 or Other expenses (service lines), Cr VAT in

A line credited to its end takes what is left of its amounts (so the notes of a document
add up to it exactly); otherwise its amounts are computed as an invoice line's, half-up
per line. The credited document's `credited` rises by the note's gross, so its balance
due falls; on a document paid in part or in full, what the note is more than the balance
due is freed from its payments (`payments.release_allocations`) and is the contact's
credit: applied to another document (`pay apply`) or paid back (`pay refund`). A debit
note's stock lines need the goods to go back (a price reduction on goods in stock would
change their cost). Cancelling a note reverses its
entry and its stock moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from smallbiz import audit, records
from smallbiz.books.fx import to_book
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import now
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import QTY_DIGITS, format_amount, format_quantity, from_minor, round_amount
from smallbiz.numbering import next_number
from smallbiz.orders import lifecycle
from smallbiz.orders.common import check_open, effect_date, resolve_numbered
from smallbiz.orders.invoices import (
    balance_due,
    balance_due_fx,
    document_amounts,
    line_sums,
    resolve_invoice,
    settle,
)
from smallbiz.orders.lines import part_amounts
from smallbiz.orders.payments import release_allocations
from smallbiz.orders.records import Invoice, InvoiceLine, TradeOrder
from smallbiz.orders.service import refresh_status
from smallbiz.sql import Tx
from smallbiz.stock.service import issue_stock, receive_stock

NOTE_OF = {"invoice": "credit_note", "bill": "debit_note"}
NOTE_KINDS = tuple(NOTE_OF.values())


def _credited_by_line(s: Tx, invoice_id: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Invoice line id → (quantity, net, VAT) credited by the document's live notes."""
    return line_sums(s, "credited_line_id", "i.credits_id = :i", {"i": invoice_id})


def _returned_by_order_line(s: Tx, order_id: int) -> dict[int, Decimal]:
    """Order line id → quantity already returned by live notes with a return."""
    return {line_id: from_minor(q, QTY_DIGITS) for line_id, q in s.execute(
        "SELECT il.order_line_id, SUM(l.quantity) FROM invoice_line l "
        "JOIN invoice n ON n.id = l.invoice_id JOIN invoice_line il ON il.id = "
        "l.credited_line_id JOIN invoice i ON i.id = n.credits_id WHERE i.order_id = :o "
        "AND n.status <> 'cancelled' AND n.with_return = :yes "
        "GROUP BY il.order_line_id", {"o": order_id, "yes": True})}


def _delivered(s: Tx, order_line_id: int) -> tuple[Decimal, Decimal]:
    """(quantity, stock value) of an order line's live shipments or receipts."""
    q, v = s.execute(
        "SELECT COALESCE(SUM(sl.quantity), 0), COALESCE(SUM(sl.value), 0) FROM shipment_line "
        "sl JOIN shipment sh ON sh.id = sl.shipment_id WHERE sl.order_line_id = :l "
        "AND sh.status = 'posted'", {"l": order_line_id}).fetchone()
    return from_minor(q, QTY_DIGITS), from_minor(v, s.money_digits)


def issue_note(s: Tx, ref: str | int, *, lines: Mapping[int, Decimal] | None = None,
               with_return: bool = False, on: dt.date | None = None) -> Invoice:
    """Credit an invoice (a credit note, CN-) or a bill (a debit note, DN-).

    `lines`: line position → quantity to credit (None: everything not yet credited).
    Validates: the document is a live invoice or bill; each quantity > 0 and at most what
    is not yet credited on its line; the note at most the document's balance due; with a
    return, each stock line at most what was delivered and not yet returned (a debit note's
    stock lines only with a return); the date (default today) not before the document's
    nor on or before the lock date. Writes the note, its lines, its stock moves (with a
    return), its entry, the document's credited amount and status, and an audit row.
    """
    inv = resolve_invoice(s, ref)
    if inv.kind not in NOTE_OF:
        raise RuleViolation(_("{n} is a {kind}: credit the invoice or bill itself").format(
            n=inv.number, kind=_(inv.kind.replace("_", " "))), field="invoice")
    lifecycle.allow(inv.kind, "credit", inv.status, inv.number)
    foreign = inv.currency is not None
    kind = NOTE_OF[inv.kind]
    digits = s.money_digits
    own = records.load(s, InvoiceLine, "WHERE invoice_id = :i ORDER BY position",
                       {"i": inv.id})
    done = _credited_by_line(s, inv.id)
    zero3 = (Decimal(0), Decimal(0), Decimal(0))
    left = {ln.id: ln.quantity - done.get(ln.id, zero3)[0] for ln in own}
    if lines is None:
        wanted = {ln.id: left[ln.id] for ln in own if left[ln.id] > 0}
    else:
        by_position = {ln.position: ln for ln in own}
        wanted = {}
        for position, qty in lines.items():
            where = _("line {i}").format(i=position)
            ln = by_position.get(position)
            if ln is None:
                raise ValidationError(_("{where}: {number} has no line {i}").format(
                    where=where, number=inv.number, i=position), field=where)
            if qty <= 0 or qty > left[ln.id]:
                raise ValidationError(
                    _("{where}: credit more than 0 and at most the {left} not yet "
                      "credited").format(where=where, left=format_quantity(left[ln.id])),
                    field=where)
            wanted[ln.id] = qty
    if not wanted:
        raise RuleViolation(_("{n} is credited in full already").format(n=inv.number),
                            field="invoice")
    when = effect_date(on, not_before=inv.date, what=_("credit date"))
    check_open(s, when, what=_("credit date"))
    rows: list[InvoiceLine] = []
    #: (credited line, note line, value; None: the note line's net, in the book currency)
    returns: list[tuple[InvoiceLine, InvoiceLine, Decimal | None]] = []
    returned = _returned_by_order_line(s, inv.order_id) if inv.order_id else {}
    for ln in own:
        qty = wanted.get(ln.id)
        if qty is None:
            continue
        # a foreign document's line is credited in its currency (`_to_book_currency`)
        priced = replace(ln, net=ln.net_fx, vat=ln.vat_fx) if foreign else ln
        net, vat = part_amounts(priced, qty, done.get(ln.id, zero3), digits)
        row = InvoiceLine(invoice_id=0, position=len(rows) + 1, product_id=ln.product_id,
                          description=ln.description, is_service=ln.is_service, unit=ln.unit,
                          quantity=qty, unit_price=ln.unit_price, discount=ln.discount,
                          vat_rate=ln.vat_rate, vat_code=ln.vat_code, net=net, vat=vat,
                          gross=net + vat, account_id=ln.account_id, credited_line_id=ln.id)
        rows.append(row)
        if ln.is_service:
            continue
        where = _("line {i}").format(i=ln.position)
        if not with_return:
            if kind == "debit_note":
                raise RuleViolation(
                    _("{where}: {what} is stock; a debit note for goods sends them back "
                      "(--return)").format(where=where, what=ln.description), field=where)
            continue
        value = None  # a debit note: the goods leave at the cost they came in at (net)
        if kind == "credit_note":
            shipped, shipped_value = (_delivered(s, ln.order_line_id) if ln.order_line_id
                                      else (Decimal(0), Decimal(0)))
            back = returned.get(ln.order_line_id or 0, Decimal(0))
            if qty > shipped - back:
                raise RuleViolation(
                    _("{where}: {qty} {unit} cannot come back; {n} of them were shipped "
                      "and not yet returned").format(
                        where=where, qty=format_quantity(qty), unit=ln.unit,
                        n=format_quantity(shipped - back)), field=where)
            value = shipped_value if qty == shipped and not back else round_amount(
                qty * shipped_value / shipped, digits)
        returns.append((ln, row, value))
    zero = from_minor(0, digits)
    gross_fx = due_fx = rounding = None
    if foreign:
        gross_fx = sum((r.gross for r in rows), zero)
        due_fx = balance_due_fx(inv)
        rounding = _to_book_currency(s, inv, rows, {ln.id: ln for ln in own})
    gross = sum((r.gross for r in rows), zero)
    if due_fx is not None and gross_fx is not None:
        if gross_fx > due_fx:  # paid already (see below), in the document's currency
            release_allocations(s, inv, gross - balance_due(inv), when,
                                amount_fx=gross_fx - due_fx)
    elif gross > balance_due(inv):
        # paid already: what the note credits beyond the balance due is freed from the
        # payments and becomes the contact's credit (applied later or refunded)
        release_allocations(s, inv, gross - balance_due(inv), when)
    contact = resolve_contact(s, inv.contact_id)
    number, seq = next_number(s, lifecycle.kind(kind).prefix or "", when)
    net = sum((r.net for r in rows), zero)
    note = Invoice(kind=kind, number=number, year=when.year, seq=seq, contact_id=contact.id,
                   order_id=None, date=when, due_date=when, status="posted", net=net,
                   vat=gross - net, gross=gross, paid=zero, created_at=now(), credited=zero,
                   credits_id=inv.id, with_return=with_return, currency=inv.currency,
                   rate=inv.rate, gross_fx=gross_fx)
    records.insert(s, note)
    for r in rows:
        r.invoice_id = note.id
    records.insert_many(s, rows)
    returned_value = zero
    for ln, row, priced_value in returns:
        assert ln.product_id is not None
        value = row.net if priced_value is None else priced_value
        if kind == "credit_note":
            unit_cost = (value / row.quantity).quantize(Decimal("0.000001"))
            receive_stock(s, ln.product_id, row.quantity, unit_cost, when, source="return",
                          source_id=note.id, memo=number, value=value)
        else:
            issue_stock(s, ln.product_id, row.quantity, when, source="return",
                        source_id=note.id, memo=number, value=value)
        returned_value += value
    amounts = document_amounts(s, rows)
    if kind == "credit_note":
        amounts["returned"] = returned_value
    fx = None
    if gross_fx is not None and rounding is not None and inv.rate is not None:
        amounts["gross"] -= rounding
        amounts["fx_rounding"] = rounding
        fx = (inv.currency or "", gross_fx, inv.rate)
    lifecycle.post(s, kind, lifecycle.Posting(note.id, number, when, contact.id, contact.name,
                                              inv.number, amounts, fx))
    inv.credited += gross
    if gross_fx is not None:
        inv.credited_fx = (inv.credited_fx or zero) + gross_fx
        records.save(s, inv, "credited_fx", "paid_fx")
    settle(s, inv)
    _refresh_order(s, inv)
    audit.record(s, "post", kind, number,
                 f"{number} {contact.name} {format_amount(gross, digits)} for {inv.number}"
                 + (f" ({format_amount(gross_fx, digits)} {inv.currency} at {inv.rate})"
                    if gross_fx is not None else "")
                 + (" with return" if with_return else ""))
    return note


def _to_book_currency(s: Tx, inv: Invoice, rows: list[InvoiceLine],
                      own: Mapping[int, InvoiceLine]) -> Decimal:
    """Convert a foreign document's note lines (net and VAT in its currency, which they
    keep as `net_fx`, `vat_fx`) at the DOCUMENT's rate, so the receivable or payable falls
    by what the document booked for them: each amount by the rule (`fx.to_book`); a line
    credited to its end takes what is left of the credited line's book net and VAT (so
    the VAT comes back exactly); a note that clears the document's foreign balance due
    clears its book balance due too (its largest line's net takes the difference).
    Returns the rounding: the note's book gross less its foreign gross converted, posted
    on the receivable or payable without a foreign amount (the `fx_rounding` leg)."""
    digits = s.money_digits
    assert inv.rate is not None
    booked = line_sums(s, "credited_line_id", "i.credits_id = :i", {"i": inv.id}, book=True)
    zero3 = (Decimal(0), Decimal(0), Decimal(0))
    for r in rows:
        ln = own[r.credited_line_id or 0]
        q_done, n_done, v_done = booked.get(ln.id, zero3)
        r.net_fx, r.vat_fx = r.net, r.vat
        if q_done + r.quantity == ln.quantity:
            r.net, r.vat = ln.net - n_done, ln.vat - v_done
        else:
            r.net, r.vat = to_book(r.net, inv.rate, digits), to_book(r.vat, inv.rate, digits)
        r.gross = r.net + r.vat
    zero = from_minor(0, digits)
    gross_fx = sum((r.net_fx + r.vat_fx for r in rows if r.net_fx is not None
                    and r.vat_fx is not None), zero)
    gross = sum((r.gross for r in rows), zero)
    if gross_fx == balance_due_fx(inv) and gross != balance_due(inv):
        largest = max(rows, key=lambda r: abs(r.net_fx or zero))
        largest.net += balance_due(inv) - gross
        largest.gross = largest.net + largest.vat
        gross = balance_due(inv)
    return gross - to_book(gross_fx, inv.rate, digits)


def _refresh_order(s: Tx, inv: Invoice) -> None:
    if inv.order_id is not None:
        order = records.get(s, TradeOrder, inv.order_id)
        if order is not None:
            refresh_status(s, order)


def resolve_note(s: Tx, ref: str | int) -> Invoice:
    return resolve_numbered(s, Invoice, ref, _("credit or debit note"),
                            "kind IN :kinds", {"kinds": list(NOTE_KINDS)}, field="note")


def cancel_note(s: Tx, ref: str | int, *, on: dt.date | None = None) -> Invoice:
    """Cancel a credit or debit note: its stock moves and entry are reversed (dated `on`,
    default today, not before the note), the document it credited owes that much again."""
    note = resolve_note(s, ref)
    lifecycle.allow(note.kind, "cancel", note.status, note.number)
    when = effect_date(on, not_before=note.date, what=_("cancel date"))
    check_open(s, note.date, what=_("{n} dated").format(n=note.number))
    check_open(s, when, what=_("cancel date"))
    reversal = lifecycle.cancel(s, note.kind, note.id, note.number, when)
    note.status = "cancelled"
    note.cancelled_on = when
    records.save(s, note, "status", "cancelled_on")
    inv = records.get(s, Invoice, note.credits_id)
    assert inv is not None
    inv.credited -= note.gross
    if note.gross_fx is not None and inv.credited_fx is not None:
        inv.credited_fx -= note.gross_fx
        records.save(s, inv, "credited_fx")
    settle(s, inv)
    _refresh_order(s, inv)
    audit.record(s, "cancel", note.kind, note.number,
                 f"{note.number} cancelled" + (f" by {reversal}" if reversal else ""))
    return note
