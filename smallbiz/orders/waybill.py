"""Fields kept for the Revenue Service, until an integration sends them: what an
electronic waybill (ზედნადები) needs on a shipment, and the e-invoice's number and
status on an invoice. Setting them changes nothing in the books or the stock.
"""

from __future__ import annotations

from dataclasses import dataclass

from smallbiz import audit, records
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.orders.invoices import resolve_invoice
from smallbiz.orders.service import live_shipments, resolve_order
from smallbiz.sql import Tx
from smallbiz.textcheck import refuse_control

#: Transport types a waybill names.
TRANSPORT_TYPES = ("road", "rail", "air", "sea", "pipeline", "carried", "none")
#: What the Revenue Service says of an e-invoice (free text is refused to keep them
#: comparable; "" means not sent).
RS_STATUSES = ("", "draft", "sent", "confirmed", "rejected", "cancelled")


@dataclass(frozen=True)
class Waybill:
    order: str
    shipment_id: int
    transport_type: str
    vehicle_plate: str
    driver_id: str
    start_address: str
    end_address: str


def _text(value: str, field: str, limit: int) -> str:
    v = " ".join(refuse_control(value, field).split())
    if len(v) > limit:
        raise ValidationError(_("{field}: at most {n} characters").format(field=field, n=limit),
                              field=field)
    return v


def set_waybill(s: Tx, order: str, *, transport_type: str | None = None,
                vehicle_plate: str | None = None, driver_id: str | None = None,
                start_address: str | None = None, end_address: str | None = None) -> Waybill:
    """Set the given waybill fields on the order's latest live shipment (or receipt: an
    order shipped in parts has one per part).
    Validates: the order has one; the transport type is one of TRANSPORT_TYPES; the
    driver's personal number has 11 digits. Writes the fields and an audit row."""
    o = resolve_order(s, order)
    shipment = (live_shipments(s, o.id) or [None])[-1]
    if shipment is None:
        raise RuleViolation(_("{order} has not been shipped or received: a waybill belongs "
                              "to a shipment").format(order=o.number), field="order")
    changed = []
    if transport_type is not None:
        t = transport_type.strip().lower()
        if t and t not in TRANSPORT_TYPES:
            raise ValidationError(_("--transport: one of {choices}").format(
                choices=", ".join(TRANSPORT_TYPES)), field="transport_type")
        shipment.transport_type = t
        changed.append("transport_type")
    if vehicle_plate is not None:
        shipment.vehicle_plate = _text(vehicle_plate, "--plate", 16).upper().replace(" ", "")
        changed.append("vehicle_plate")
    if driver_id is not None:
        d = driver_id.strip().replace(" ", "")
        if d and not (d.isdigit() and d.isascii() and len(d) == 11):
            raise ValidationError(_("--driver: '{value}' is not a personal number (11 digits)"
                                    ).format(value=d), field="driver_id")
        shipment.driver_id = d
        changed.append("driver_id")
    if start_address is not None:
        shipment.start_address = _text(start_address, "--start", 300)
        changed.append("start_address")
    if end_address is not None:
        shipment.end_address = _text(end_address, "--end", 300)
        changed.append("end_address")
    if changed:
        records.save(s, shipment, *changed)
        audit.record(s, "update", "shipment", shipment.id,
                     f"{o.number} waybill: {', '.join(changed)}")
    return Waybill(o.number, shipment.id, shipment.transport_type, shipment.vehicle_plate,
                   shipment.driver_id, shipment.start_address, shipment.end_address)


def set_revenue_service(s: Tx, invoice: str, *, number: str | None = None,
                        status: str | None = None) -> tuple[str, str, str]:
    """Keep the Revenue Service's e-invoice number and status on an invoice (or bill).
    Validates the status (RS_STATUSES); writes the fields and an audit row."""
    inv = resolve_invoice(s, invoice)
    changed = []
    if number is not None:
        inv.rs_number = _text(number, "--rs-number", 64)
        changed.append("rs_number")
    if status is not None:
        st = status.strip().lower()
        if st not in RS_STATUSES:
            raise ValidationError(_("--status: one of {choices}").format(
                choices=", ".join(x for x in RS_STATUSES if x)), field="rs_status")
        inv.rs_status = st
        changed.append("rs_status")
    if changed:
        records.save(s, inv, *changed)
        audit.record(s, "update", inv.kind, inv.number,
                     f"{inv.number} Revenue Service: {inv.rs_number} {inv.rs_status}".strip())
    return inv.number, inv.rs_number, inv.rs_status
