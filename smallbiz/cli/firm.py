"""`smallbiz report vat --month`, `smallbiz waybill ...` and `smallbiz invoice rs ...`:
the monthly VAT return and the fields kept for the Revenue Service."""

from __future__ import annotations

import typer

from smallbiz.cli.state import JSON_HELP, console, esc, print_json, say, state, table, want_json
from smallbiz.i18n import _

JSON = typer.Option(False, "--json", help=JSON_HELP)


def register(app: typer.Typer, invoice_app: typer.Typer) -> None:
    app.command("waybill")(waybill)
    invoice_app.command("rs")(invoice_rs)


def print_vat_return(ctx: typer.Context, month: str, json_out: bool) -> None:
    book = state(ctx).book()
    r = book.vat_return(month)
    if want_json(ctx, json_out):
        print_json({"report": "vat_return", "month": r.month, "from": r.start, "to": r.end,
                    "due_date": r.due_date, "taxable_supplies": r.taxable_supplies,
                    "output_vat": r.output_vat, "zero_rated_supplies": r.zero_rated_supplies,
                    "exempt_supplies": r.exempt_supplies,
                    "taxable_purchases": r.taxable_purchases, "input_vat": r.input_vat,
                    "other_purchases": r.other_purchases, "payable": r.payable,
                    "refundable": r.refundable})
        return
    t = table(_("Line"), _("Amount"), title=_("VAT return {month} (due {due})").format(
        month=r.month, due=r.due_date.isoformat()), right=(_("Amount"),))
    rows = [
        (_("Taxable supplies (18 %), net"), r.taxable_supplies),
        (_("Output VAT"), r.output_vat),
        (_("Zero-rated supplies (export, 0 %)"), r.zero_rated_supplies),
        (_("Exempt supplies"), r.exempt_supplies),
        (_("Taxable purchases, net"), r.taxable_purchases),
        (_("Input VAT (deductible)"), r.input_vat),
        (_("Purchases without VAT"), r.other_purchases),
    ]
    for label, amount in rows:
        t.add_row(label, book.format(amount))
    t.add_section()
    t.add_row("[b]" + esc(_("VAT payable")) + "[/b]", f"[b]{book.format(r.payable)}[/b]")
    t.add_row("[b]" + esc(_("VAT refundable")) + "[/b]", f"[b]{book.format(r.refundable)}[/b]")
    console().print(t)


def waybill(ctx: typer.Context,
            order: str = typer.Argument(..., help="The shipped sale (or received purchase)."),
            transport: str | None = typer.Option(
                None, "--transport", help="road, rail, air, sea, pipeline, carried or none."),
            plate: str | None = typer.Option(None, "--plate", help="Vehicle plate."),
            driver: str | None = typer.Option(
                None, "--driver", help="The driver's personal number (11 digits)."),
            start: str | None = typer.Option(None, "--start", help="Where the goods leave."),
            end: str | None = typer.Option(None, "--end", help="Where the goods arrive."),
            json_out: bool = JSON) -> None:
    """Show or set the waybill (ზედნადები) fields of an order's shipment."""
    w = state(ctx).book().set_waybill(order, transport_type=transport, vehicle_plate=plate,
                                      driver_id=driver, start_address=start,
                                      end_address=end)
    data = {"order": w.order, "transport_type": w.transport_type,
            "vehicle_plate": w.vehicle_plate, "driver_id": w.driver_id,
            "start_address": w.start_address, "end_address": w.end_address}
    if want_json(ctx, json_out):
        print_json(data)
        return
    t = table(_("Field"), _("Value"), title=_("Waybill of {order}").format(order=w.order))
    for key, value in data.items():
        t.add_row(key, esc(value))
    console().print(t)


def invoice_rs(ctx: typer.Context,
               number: str = typer.Argument(..., help="INV-/BILL- number, prefix or id."),
               rs_number: str | None = typer.Option(
                   None, "--rs-number", help="The Revenue Service's e-invoice number."),
               status: str | None = typer.Option(
                   None, "--status", help="draft, sent, confirmed, rejected or cancelled."),
               json_out: bool = JSON) -> None:
    """Show or set the Revenue Service's number and status of an invoice."""
    inv, rs, st = state(ctx).book().set_revenue_service(number, number=rs_number,
                                                        status=status)
    if want_json(ctx, json_out):
        print_json({"number": inv, "rs_number": rs, "rs_status": st})
    else:
        say(f"{inv}: {rs or '-'} {st or '-'}")
