"""`smallbiz sale|purchase|invoice|pay ...` and `report aging|vat|sales`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.report import AS_OF, FROM, TO, fmt, opt_date, report_app
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.dates import format_date
from smallbiz.i18n import N_, _, ngettext
from smallbiz.money import shown_rate

#: Stored words shown translated: statuses, payment directions.
WORDS = (N_("draft"), N_("confirmed"), N_("shipped"), N_("received"), N_("invoiced"),
         N_("paid"), N_("cancelled"), N_("open"), N_("posted"), N_("overdue"), N_("in"),
         N_("out"))

if TYPE_CHECKING:
    from smallbiz.orders.invoices import InvoiceView, LineView
    from smallbiz.orders.payments import PaymentView
    from smallbiz.orders.service import ActionResult, OrderView

JSON = typer.Option(False, "--json", help=JSON_HELP)
DATE = typer.Option(None, "--date", help="YYYY-MM-DD or today (default: today).")

sale_app = typer.Typer(help="Sales orders: new, confirm, ship, invoice, cancel, list, show.",
                       no_args_is_help=True, rich_markup_mode=None)
purchase_app = typer.Typer(help="Purchase orders: new, confirm, receive (books the bill), "
                                "cancel, list, show.", no_args_is_help=True, rich_markup_mode=None)
invoice_app = typer.Typer(help="Invoices and bills: list, show, pdf.", no_args_is_help=True,
                          rich_markup_mode=None)
pay_app = typer.Typer(help="Payments: in (from a customer), out (to a supplier), cancel, list.",
                      no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(sale_app, name="sale")
    app.add_typer(purchase_app, name="purchase")
    app.add_typer(invoice_app, name="invoice")
    app.add_typer(pay_app, name="pay")


# -- formatting ------------------------------------------------------------------------------

def _qty(value: Any) -> str:
    from smallbiz.money import format_quantity

    return format_quantity(value)


def _price(value: Any, digits: int) -> str:
    from smallbiz.stock.reports import format_unit_cost

    return format_unit_cost(value, digits)


def _keep_whole(t: Any, *wrapping: str) -> Any:
    """Numbers, dates and amounts never fold; only the named (text) columns wrap."""
    for c in t.columns:
        c.no_wrap = str(c.header) not in {_(w) for w in wrapping}
    return t


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def line_json(ln: LineView, digits: int) -> dict[str, Any]:
    return {"sku": ln.sku, "description": ln.description,
            "kind": "service" if ln.is_service else "stock", "quantity": _qty(ln.quantity),
            "unit": ln.unit, "unit_price": _price(ln.unit_price, digits),
            "discount": _qty(ln.discount), "vat_rate": _qty(ln.vat_rate), "net": ln.net,
            "vat": ln.vat, "gross": ln.gross,
            **({"net_fx": ln.net_fx, "vat_fx": ln.vat_fx} if ln.net_fx is not None else {})}


def _lines_table(lines: list[LineView], digits: int, title: str) -> Any:
    discounts = any(ln.discount for ln in lines)
    heads = [N_("SKU"), N_("Description"), N_("Qty"), N_("Price")] + (
        [N_("Disc %")] if discounts else []) + [N_("VAT %"), N_("Net"), N_("VAT"), N_("Gross")]
    t = _keep_whole(table(*heads, title=title,
                          right=("Qty", "Price", "Disc %", "VAT %", "Net", "VAT", "Gross")),
                    "Description")
    for ln in lines:
        disc = [_qty(ln.discount) if ln.discount else ""] if discounts else []
        t.add_row(esc(ln.sku), esc(ln.description), esc(f"{_qty(ln.quantity)} {ln.unit}"),
                  _price(ln.unit_price, digits), *disc, _qty(ln.vat_rate), fmt(ln.net),
                  fmt(ln.vat), fmt(ln.gross))
    return t


def _totals(t: Any, label: str, *amounts: str) -> None:
    """A row under the lines with `label` in Description and the amounts rightmost."""
    pad = len(t.columns) - 1 - len(amounts)
    t.add_row("", label, *([""] * (pad - 1)), *amounts)


def order_json(o: OrderView, digits: int) -> dict[str, Any]:
    extra: dict[str, Any] = {"quote": o.quote} if o.kind == "sale" else {}
    if o.kind == "quote":
        extra = {"valid_until": o.valid_until}
    return {"number": o.number, "kind": o.kind, "date": o.date, "status": o.status, **extra,
            "customer" if o.kind == "sale" else "supplier": o.contact, "notes": o.notes,
            "net": o.net, "vat": o.vat, "gross": o.gross, "currency": o.currency,
            "shipped_on" if o.kind == "sale" else "received_on": o.shipped_on,
            "stock_value": o.shipment_value, "invoice" if o.kind == "sale" else "bill": o.invoice,
            "balance_due": o.balance_due, "cancelled_on": o.cancelled_on,
            "invoices" if o.kind == "sale" else "bills": o.invoices,
            **({"supplier_refs": o.supplier_refs} if o.kind == "purchase" else {}),
            "lines": [line_json(ln, digits) for ln in o.lines],
            "progress": [{"line": p.position, "sku": p.sku, "ordered": _qty(p.ordered),
                          "shipped" if o.kind == "sale" else "received": _qty(p.shipped),
                          "invoiced": _qty(p.invoiced), "open": _qty(p.open_to_ship),
                          "open_to_invoice": _qty(p.open_to_invoice)}
                         for p in o.progress]}


def _show_order(o: OrderView, digits: int) -> None:
    party = _("Supplier") if o.kind == "purchase" else _("Customer")
    t = table("Field", "Value", title=f"{o.number}  {o.date}  {_(o.status)}")
    t.add_row(party, esc(o.contact))
    if o.currency:
        t.add_row(_("Currency"), o.currency)
    if o.shipped_on:
        t.add_row(_("Shipped") if o.kind == "sale" else _("Received"),
                  _("{date}  (stock value {value})").format(date=format_date(o.shipped_on),
                                                            value=fmt(o.shipment_value)))
    def theirs(number: str) -> str:  # a bill with the supplier's own number for it
        ref = o.supplier_refs.get(number)
        return f"{number} ({esc(ref)})" if ref else number

    if len(o.invoices) > 1:
        t.add_row(_("Invoices") if o.kind == "sale" else _("Bills"),
                  _("{numbers}, balance due {amount}").format(
                      numbers=", ".join(theirs(n) for n in o.invoices),
                      amount=fmt(o.balance_due)))
    elif o.invoice:
        t.add_row(_("Invoice") if o.kind == "sale" else _("Bill"),
                  _("{number}  {status}, balance due {amount}").format(
                      number=theirs(o.invoice),
                      status=_(o.invoice_status) if o.invoice_status else "",
                      amount=fmt(o.balance_due)))
    if o.quote:
        t.add_row(_("Quote"), o.quote)
    if o.valid_until:
        t.add_row(_("Valid until"), o.valid_until.isoformat())
    if o.cancelled_on:
        t.add_row(_("Cancelled"), format_date(o.cancelled_on))
    if o.notes:
        t.add_row(_("Notes"), esc(o.notes))
    console().print(t)
    lt = _lines_table(o.lines, digits, _("Lines"))
    lt.add_section()
    _totals(lt, _("Total"), fmt(o.net), fmt(o.vat), fmt(o.gross))
    console().print(lt)
    if o.kind != "quote" and o.status != "draft" and o.progress:
        done = "Shipped" if o.kind == "sale" else "Received"
        pt = table("Line", "SKU", "Ordered", done, "Invoiced", "Open", title="Progress",
                   right=("Line", "Ordered", done, "Invoiced", "Open"))
        for p in o.progress:
            pt.add_row(str(p.position), esc(p.sku), _qty(p.ordered), _qty(p.shipped),
                       _qty(p.invoiced), _qty(max(p.open_to_ship, p.open_to_invoice)))
        console().print(pt)


def _action_out(ctx: typer.Context, json_out: bool, r: ActionResult) -> None:
    if want_json(ctx, json_out):
        print_json({"number": r.reference, "order": r.order, "status": r.status,
                    "entries": r.entries, "stock_value": r.value})
    else:
        typer.echo(r.reference)


def _parse_lines(lines: list[str], discount: str | None) -> list[Any]:
    from dataclasses import replace

    from smallbiz.money import parse_percent
    from smallbiz.orders.lines import parse_line_spec

    default = parse_percent(discount, field="--discount") if discount is not None else None
    parsed = [parse_line_spec(text, i) for i, text in enumerate(lines, start=1)]
    return [replace(ln, discount=default) if ln.discount is None else ln for ln in parsed]


# -- orders (shared by sale and purchase) ----------------------------------------------------

def _new(ctx: typer.Context, kind: str, contact: str, lines: list[str], date: str | None,
         discount: str | None, notes: str, json_out: bool, currency: str | None = None
         ) -> None:
    from smallbiz.dates import parse_optional_date

    inputs = _parse_lines(lines, discount)
    on = parse_optional_date(date, field="--date")
    book = state(ctx).book()
    order = book.create_order(kind, contact, inputs, on=on, notes=notes, currency=currency)
    if want_json(ctx, json_out):
        print_json(order_json(order, book.digits))
    else:
        typer.echo(order.number)


def _edit(ctx: typer.Context, kind: str, ref: str, contact: str | None, lines: list[str] | None,
          date: str | None, discount: str | None, notes: str | None, json_out: bool,
          currency: str | None = None) -> None:
    from smallbiz.dates import parse_optional_date

    inputs = _parse_lines(lines, discount) if lines else None
    on = parse_optional_date(date, field="--date")
    book = state(ctx).book()
    order = book.edit_order(kind, ref, contact=contact, lines=inputs, on=on, notes=notes,
                            currency=currency)
    if want_json(ctx, json_out):
        print_json(order_json(order, book.digits))
    else:
        typer.echo(order.number)


def _act(ctx: typer.Context, action: str, kind: str, ref: str, date: str | None,
         json_out: bool, lines: list[str] | None = None, everything: bool = False,
         rate: str | None = None, supplier_ref: str = "") -> None:
    from smallbiz.app.documents import parse_quantities
    from smallbiz.dates import parse_optional_date

    on = parse_optional_date(date, field="--date")
    book = state(ctx).book()
    asked = parse_quantities(lines)
    if action == "ship":
        result = book.ship(ref, lines=asked, on=on)
    elif action == "receive":
        result = book.receive(ref, lines=asked, on=on, rate=rate, supplier_ref=supplier_ref)
    elif action == "invoice":
        result = book.invoice_sale(ref, lines=asked, everything=everything, on=on, rate=rate)
    else:
        result = book.order_action(kind, action, ref, on)
    _action_out(ctx, json_out, result)


def _list(ctx: typer.Context, kind: str, status: str | None, open_only: bool,
          contact: str | None, limit: int | None, json_out: bool) -> None:
    rows = state(ctx).book().orders(kind, status=status, contact=contact, open_only=open_only,
                                    limit=limit)
    party = "customer" if kind == "sale" else "supplier"
    doc = "invoice" if kind == "sale" else "bill"
    done = "shipped_on" if kind == "sale" else "received_on"
    if want_json(ctx, json_out):
        print_json([{"number": r.number, "date": r.date, party: r.contact, "status": r.status,
                     "net": r.net, "gross": r.gross, done: r.shipped_on, doc: r.invoice}
                    for r in rows])
        return
    head = N_("Customer") if kind == "sale" else N_("Supplier")
    t = _keep_whole(table("Number", "Date", head, "Status", "Gross",
                          N_("Invoice") if kind == "sale" else N_("Bill"), right=("Gross",)),
                    head)
    for r in rows:
        t.add_row(r.number, format_date(r.date), esc(r.contact), _(r.status), fmt(r.gross),
                  r.invoice or "")
    console().print(t)


def _show(ctx: typer.Context, kind: str, ref: str, json_out: bool) -> None:
    book = state(ctx).book()
    order = book.order(kind, ref)
    if want_json(ctx, json_out):
        print_json(order_json(order, book.digits))
    else:
        _show_order(order, book.digits)


ORDER = typer.Argument(..., help="Order number (SO-2026-0001), a unique prefix, or its id.")
STATUS = typer.Option(None, "--status", help="draft, confirmed, shipped, received, invoiced, "
                                             "paid or cancelled.")
OPEN = typer.Option(False, "--open", help="Only orders with something left to do.")
LIMIT = typer.Option(None, "--limit", min=1, max=10**9, help="At most N rows.")
DISCOUNT = typer.Option(None, "--discount", help="Discount % for lines that give none.")
NOTES = typer.Option("", "--notes", help="A note kept with the order.")
CURRENCY = typer.Option(None, "--currency", help="Another currency than the book's (e.g. "
                                                 "USD); prices are in it.")
RATE = typer.Option(None, "--rate", help="Book currency per one unit of the document's "
                                         "currency (default: the rate table's for the "
                                         "date).")


# -- sale and purchase ----------------------------------------------------------------------

#: The help texts of the commands sales and purchase orders share, per kind.
ORDER_HELP = {
    "sale": {
        "new": N_("Create a draft sales order; prints its number."),
        "party": N_("The customer: name, unique prefix or id."),
        "line": N_("SKU=QTY[@PRICE][-DISCOUNT%] (PRICE defaults to the product's price). "
                   "Repeat for more lines."),
        "edit": N_("Change a draft sales order; prints its number."),
        "new_party": N_("New customer."),
        "confirm": N_("Confirm a draft sales order (it can now be shipped and invoiced); "
                      "prints its number."),
        "cancel": N_("Cancel a sales order; what took effect (its shipment and invoice) is "
                     "reversed; numbers are kept."),
        "list": N_("List sales orders in date order."),
        "show": N_("One sales order with its lines, shipment and invoice."),
    },
    "purchase": {
        "new": N_("Create a draft purchase order; prints its number."),
        "party": N_("The supplier: name, unique prefix or id."),
        "line": N_("SKU=QTY@COST[-DISCOUNT%] (COST defaults to the product's cost). Repeat "
                   "for more lines."),
        "edit": N_("Change a draft purchase order; prints its number."),
        "new_party": N_("New supplier."),
        "confirm": N_("Confirm a draft purchase order (it can now be received); prints its "
                      "number."),
        "cancel": N_("Cancel a purchase order; what took effect (its receipt and bill) is "
                     "reversed; numbers are kept."),
        "list": N_("List purchase orders in date order."),
        "show": N_("One purchase order with its lines, receipt and bill."),
    },
}


def _order_commands(app: typer.Typer, kind: str, effects: Any) -> None:
    """The commands sales and purchase orders share (new, edit, confirm, cancel, list, show);
    only the counterparty's name and the help texts differ. `effects(app)` adds the
    kind's own steps (ship and invoice, or receive) after confirm, so help lists them in
    lifecycle order."""
    party = "customer" if kind == "sale" else "supplier"
    h = ORDER_HELP[kind]

    @app.command("new", help=h["new"])
    def new(ctx: typer.Context,
            contact: str = typer.Argument(..., metavar=party.upper(), help=h["party"]),
            line: list[str] = typer.Option(..., "--line", "-l", help=h["line"]),
            date: str | None = DATE, discount: str | None = DISCOUNT, notes: str = NOTES,
            currency: str | None = CURRENCY, json_out: bool = JSON) -> None:
        _new(ctx, kind, contact, line, date, discount, notes, json_out, currency)

    @app.command("edit", help=h["edit"])
    def edit(ctx: typer.Context, order: str = ORDER,
             contact: str | None = typer.Option(None, f"--{party}", help=h["new_party"]),
             line: list[str] | None = typer.Option(None, "--line", "-l",
                                                   help="Replace all lines (repeat)."),
             date: str | None = typer.Option(None, "--date", help="New order date."),
             discount: str | None = DISCOUNT,
             notes: str | None = typer.Option(None, "--notes", help="New notes."),
             currency: str | None = typer.Option(
                 None, "--currency",
                 help="Re-price the draft in another currency (e.g. USD; give each line's "
                      "price in it with --line) or back in the book's (its code)."),
             json_out: bool = JSON) -> None:
        _edit(ctx, kind, order, contact, line, date, discount, notes, json_out, currency)

    @app.command("confirm", help=h["confirm"])
    def confirm(ctx: typer.Context, order: str = ORDER, json_out: bool = JSON) -> None:
        _act(ctx, "confirm", kind, order, None, json_out)

    effects(app)

    @app.command("cancel", help=h["cancel"])
    def cancel(ctx: typer.Context, order: str = ORDER,
               date: str | None = typer.Option(None, "--date", help="Date of the reversals "
                                                                    "(default today)."),
               json_out: bool = JSON) -> None:
        _act(ctx, "cancel", kind, order, date, json_out)

    @app.command("list", help=h["list"])
    def list_(ctx: typer.Context, status: str | None = STATUS, open_: bool = OPEN,
              contact: str | None = typer.Option(None, f"--{party}", help="Only this one."),
              limit: int | None = LIMIT, json_out: bool = JSON) -> None:
        _list(ctx, kind, status, open_, contact, limit, json_out)

    @app.command("show", help=h["show"])
    def show(ctx: typer.Context, order: str = ORDER, json_out: bool = JSON) -> None:
        _show(ctx, kind, order, json_out)


PART = typer.Option(None, "--line", "-l", help="POS=QTY: only QTY of line POS (repeat); "
                                                "default: all that is open.")


def _sale_effects(app: typer.Typer) -> None:
    @app.command("ship")
    def ship(ctx: typer.Context, order: str = ORDER, date: str | None = DATE,
             line: list[str] | None = PART, json_out: bool = JSON) -> None:
        """Ship a confirmed order, all of it or part (--line 1=10): stock out at average
        cost, Dr COGS / Cr Inventory."""
        _act(ctx, "ship", "sale", order, date, json_out, line)

    @app.command("invoice")
    def invoice(ctx: typer.Context, order: str = ORDER, date: str | None = DATE,
                line: list[str] | None = typer.Option(
                    None, "--line", "-l", help="POS=QTY: invoice QTY of line POS (repeat)."),
                all_: bool = typer.Option(False, "--all", help="All not yet invoiced, "
                                                               "shipped or not."),
                rate: str | None = RATE, json_out: bool = JSON) -> None:
        """Invoice a confirmed order: what was shipped and not yet invoiced (before any
        shipment: all of it); prints the INV- number."""
        _act(ctx, "invoice", "sale", order, date, json_out, line, all_, rate)


SUPPLIER_REF = typer.Option("", "--supplier-ref", metavar="REF",
                            help="The supplier's own number for the bill (their invoice "
                                 "number): shown with the bill, searched, matched on the "
                                 "bank statement.")


def _purchase_effects(app: typer.Typer) -> None:
    @app.command("receive")
    def receive(ctx: typer.Context, order: str = ORDER, date: str | None = DATE,
                line: list[str] | None = PART, rate: str | None = RATE,
                supplier_ref: str = SUPPLIER_REF, json_out: bool = JSON) -> None:
        """Receive the goods, all or part (--line 1=20), and book the supplier's bill for
        what arrived; prints the BILL- number."""
        _act(ctx, "receive", "purchase", order, date, json_out, line, rate=rate,
             supplier_ref=supplier_ref)


_order_commands(sale_app, "sale", _sale_effects)
_order_commands(purchase_app, "purchase", _purchase_effects)


# -- invoices and bills ----------------------------------------------------------------------

def invoice_json(v: InvoiceView, digits: int) -> dict[str, Any]:
    selling = v.kind in ("invoice", "credit_note")
    return {"number": v.number, "kind": v.kind, "date": v.date, "due_date": v.due_date,
            "status": v.status, "customer" if selling else "supplier": v.contact,
            "order": v.order_number, "net": v.net, "vat": v.vat, "gross": v.gross,
            "paid": v.paid, "credited": v.credited, "notes": v.notes, "credits": v.credits,
            "with_return": v.with_return,
            **({"supplier_ref": v.supplier_ref} if v.kind == "bill" else {}),
            "balance_due": v.balance_due, "days_overdue": v.days_overdue,
            "currency": v.currency,
            "rate": None if v.rate is None else f"{shown_rate(v.rate):f}",
            "gross_fx": v.gross_fx, "paid_fx": v.paid_fx, "balance_due_fx": v.balance_due_fx,
            "entry": v.entry_number, "cancelled_on": v.cancelled_on,
            "lines": [line_json(ln, digits) for ln in v.lines],
            "payments": [{"number": p.number, "date": p.date, "amount": p.amount,
                          "status": p.status} for p in v.payments]}


@invoice_app.command("list")
def invoice_list(ctx: typer.Context,
                 open_: bool = typer.Option(False, "--open", help="Only with a balance due."),
                 overdue: bool = typer.Option(False, "--overdue",
                                              help="Only open and past their due date."),
                 bills: bool = typer.Option(False, "--bills", help="Suppliers' bills instead."),
                 contact: str | None = typer.Option(None, "--contact", help="Only this one."),
                 as_of: str | None = typer.Option(None, "--as-of",
                                                  help="Overdue as of this day (default "
                                                       "today)."),
                 search: str | None = typer.Option(None, "--search", metavar="TEXT",
                                                   help="Only those with TEXT in the "
                                                        "number, the contact's name, the "
                                                        "supplier's reference or the "
                                                        "memo (the order's notes)."),
                 limit: int | None = LIMIT, json_out: bool = JSON) -> None:
    """List invoices (or bills) in date order, with balance due and days overdue."""
    day = opt_date(as_of, "--as-of")
    which = "overdue" if overdue else "open" if open_ else "all"
    rows = state(ctx).book().invoices("bill" if bills else "invoice", which=which,
                                      contact=contact, as_of=day, limit=limit, search=search)
    party = "supplier" if bills else "customer"
    if want_json(ctx, json_out):
        print_json([{"number": r.number, "date": r.date, "due_date": r.due_date,
                     party: r.contact, "status": r.status, "gross": r.gross, "paid": r.paid,
                     "balance_due": r.balance_due, "days_overdue": r.days_overdue,
                     **({"currency": r.currency, "balance_due_fx": r.balance_due_fx}
                        if r.currency else {}),
                     **({"supplier_ref": r.supplier_ref} if bills else {})}
                    for r in rows])
        return
    head = N_("Supplier") if bills else N_("Customer")
    theirs = (N_("Their ref"),) if bills else ()
    t = _keep_whole(table("Number", *theirs, head, "Due", "Status", "Gross",
                          "Balance due", "Late", right=("Gross", "Balance due", "Late")),
                    head)
    for r in rows:
        t.add_row(r.number, *((esc(r.supplier_ref),) if bills else ()), esc(r.contact),
                  format_date(r.due_date), _(r.status), fmt(r.gross), fmt(r.balance_due),
                  _("{n}d").format(n=r.days_overdue) if r.days_overdue else "")
    console().print(t)


@invoice_app.command("show")
def invoice_show(ctx: typer.Context,
                 number: str = typer.Argument(..., help="INV-/BILL- number, prefix or id."),
                 json_out: bool = JSON) -> None:
    """One invoice or bill with its lines and payments."""
    book = state(ctx).book()
    v = book.invoice(number)
    if want_json(ctx, json_out):
        print_json(invoice_json(v, book.digits))
        return
    party = _("Customer") if v.kind in ("invoice", "credit_note") else _("Supplier")
    t = table("Field", "Value", title=f"{v.number}  {_(v.status)}")
    t.add_row(party, esc(v.contact))
    t.add_row(_("Date"), format_date(v.date))
    t.add_row(_("Due"), format_date(v.due_date) + (
        "  (" + ngettext("{n} day overdue", "{n} days overdue", v.days_overdue).format(
            n=v.days_overdue) + ")" if v.days_overdue else ""))
    t.add_row(_("Order"), v.order_number or "")
    if v.currency is not None and v.rate is not None and v.credits:  # a note
        t.add_row(_("Currency"), _("{currency} at {rate} (the credited document's): gross "
                                   "{gross}").format(
            currency=v.currency, rate=fmt(shown_rate(v.rate)), gross=fmt(v.gross_fx or 0)))
    elif v.currency is not None and v.rate is not None:
        t.add_row(_("Currency"), _("{currency} at {rate}: gross {gross}, balance due "
                                   "{due}").format(
            currency=v.currency, rate=fmt(shown_rate(v.rate)), gross=fmt(v.gross_fx or 0),
            due=fmt(v.balance_due_fx if v.balance_due_fx is not None else Decimal(0))))
    if v.kind == "bill":
        t.add_row(_("Supplier's reference"), esc(v.supplier_ref))
    if v.credits:
        t.add_row(_("Credits"), v.credits + ("  (" + _("goods returned") + ")"
                                             if v.with_return else ""))
    if v.notes:
        t.add_row(_("Credit notes") if v.kind == "invoice" else _("Debit notes"),
                  ", ".join(v.notes))
    t.add_row(_("Entry"), v.entry_number or "")
    if v.cancelled_on:
        t.add_row(_("Cancelled"), format_date(v.cancelled_on))
    console().print(t)
    title = _("Lines") if v.currency is None else _(
        "Lines (prices in {currency}, amounts in {book})").format(
        currency=v.currency, book=book.settings.currency)
    lt = _lines_table(v.lines, book.digits, title)
    lt.add_section()
    _totals(lt, _("Total"), fmt(v.net), fmt(v.vat), fmt(v.gross))
    if v.kind in ("invoice", "bill"):
        _totals(lt, _("Paid"), fmt(v.paid))
        if v.credited:
            _totals(lt, _("Credited"), fmt(v.credited))
        _totals(lt, "[b]{label}[/b]".format(label=_("Balance due")),
                f"[b]{fmt(v.balance_due)}[/b]")
    console().print(lt)
    if v.payments:
        pt = table("Payment", "Date", "Amount", "Status", title=_("Payments"),
                   right=("Amount",))
        for p in v.payments:
            pt.add_row(p.number, format_date(p.date), fmt(p.amount), _(p.status))
        console().print(pt)


@invoice_app.command("pdf")
def invoice_pdf(ctx: typer.Context,
                number: str = typer.Argument(..., help="INV-/BILL- number, prefix or id."),
                output: str | None = typer.Option(None, "--output", "-o",
                                                  help="PDF file (default: NUMBER.pdf)."),
                force: bool = typer.Option(False, "--force", help="Replace the file if it "
                                           "exists (never the book or its -wal/-shm files)."),
                lang: str | None = typer.Option(
                    None, "--lang", help="Labels in ka, en or ka+en (default: the setting "
                    "invoice_language: the customer's language)."),
                json_out: bool = JSON) -> None:
    """Write the invoice as a one-page PDF; prints the file's path."""
    pdf = state(ctx).book().invoice_pdf(number, output, force=force, language=lang)
    if want_json(ctx, json_out):
        print_json({"number": pdf.number, "file": str(pdf.path)})
    else:
        typer.echo(str(pdf.path))


# -- payments --------------------------------------------------------------------------------

def payment_json(p: PaymentView) -> dict[str, Any]:
    return {"number": p.number, "direction": p.direction, "date": p.date,
            "contact": p.contact, "account": p.account, "amount": p.amount,
            "status": p.status, "entry": p.entry_number, "memo": p.memo,
            "written_off": p.written_off, "write_off_account": p.write_off_account,
            "credit": p.credit, "refund": p.refund, "currency": p.currency,
            "amount_fx": p.amount_fx, "credit_fx": p.credit_fx,
            "rate": None if p.rate is None else f"{shown_rate(p.rate):f}",
            "moved": p.moved, "exchange_difference": p.exchange_difference,
            "allocations": [{"invoice": a.invoice, "amount": a.amount,
                             "balance_due": a.balance_due, "applied_on": a.applied_on}
                            for a in p.allocations]}


# `pay in` and `pay out`: smallbiz.cli.payments


def warn_overdrawn(book: Any, accounts: list[str]) -> None:
    """A warning line on stderr (the payment stands) for each bank or cash account it
    took below zero."""
    for code, name, balance in book.overdrawn(accounts):
        typer.echo(_("warning: {code} {name} is below zero now: {balance}").format(
            code=code, name=name, balance=fmt(balance)), err=True)


@pay_app.command("cancel")
def pay_cancel(ctx: typer.Context,
               payment: str = typer.Argument(..., help="PAY- number, prefix or id."),
               date: str | None = typer.Option(None, "--date",
                                               help="Date of the reversal (default today)."),
               json_out: bool = JSON) -> None:
    """Cancel a payment: reversing entry; its invoices are open again. Prints its number."""
    from smallbiz.dates import parse_optional_date

    on = parse_optional_date(date, field="--date")
    book = state(ctx).book()
    p = book.cancel_payment(payment, on=on)
    warn_overdrawn(book, [p.account])  # a customer's payment undone takes the money back
    if want_json(ctx, json_out):
        print_json(payment_json(p))
    else:
        typer.echo(p.number)


@pay_app.command("list")
def pay_list(ctx: typer.Context,
             contact: str | None = typer.Option(None, "--contact", help="Only this one."),
             limit: int | None = LIMIT, json_out: bool = JSON) -> None:
    """List payments, newest first."""
    rows = state(ctx).book().payments(contact=contact, limit=limit)
    if want_json(ctx, json_out):
        print_json([{"number": p.number, "direction": p.direction, "date": p.date,
                     "contact": p.contact, "account": p.account, "amount": p.amount,
                     "status": p.status} for p in rows])
        return
    t = _keep_whole(table("Number", "Date", "", "Contact", "Account", "Amount", "Status",
                          right=("Amount",)), "Contact")
    for p in rows:
        t.add_row(p.number, format_date(p.date), _("refund") if p.amount < 0 else _(p.direction),
                  esc(p.contact), esc(p.account), fmt(p.amount), _(p.status))
    console().print(t)


@pay_app.command("show")
def pay_show(ctx: typer.Context,
             payment: str = typer.Argument(..., help="PAY- number, prefix or id."),
             json_out: bool = JSON) -> None:
    """One payment with the invoices it settled."""
    p = state(ctx).book().payment(payment)
    if want_json(ctx, json_out):
        print_json(payment_json(p))
        return
    t = table("Invoice", "Amount", "Balance due", right=("Amount", "Balance due"),
              title=f"{p.number}  {p.date}  {_(p.direction)}  {p.contact}  {fmt(p.amount)}  "
                    f"({p.account}, {_(p.status)})")
    for a in p.allocations:
        t.add_row(a.invoice, fmt(a.amount), fmt(a.balance_due))
    console().print(t)
    if p.currency is not None and p.amount_fx is not None and p.rate is not None:
        typer.echo(_("{amount} {currency} at {rate} = {moved}; exchange difference "
                     "{difference}").format(
            amount=fmt(p.amount_fx), currency=p.currency, rate=fmt(shown_rate(p.rate)),
            moved=fmt(p.moved if p.moved is not None else Decimal(0)),
            difference=fmt(p.exchange_difference if p.exchange_difference is not None
                           else Decimal(0))))


# -- reports ---------------------------------------------------------------------------------

@report_app.command("aging")
def report_aging(ctx: typer.Context,
                 payables: bool = typer.Option(False, "--payables",
                                               help="What we owe suppliers instead."),
                 as_of: str | None = AS_OF, json_out: bool = JSON) -> None:
    """Receivable (or payable) aging per contact: not due, 0-30, 31-60, 61-90, 90+ days
    past due."""
    from smallbiz.orders.reports import BUCKET_TITLES, BUCKETS

    day = opt_date(as_of, "--as-of")
    report = state(ctx).book().aging(payables=payables, as_of=day)
    if want_json(ctx, json_out):
        print_json({"report": "aging", "kind": "payables" if payables else "receivables",
                    "as_of": report.as_of,
                    "rows": [{"name": r.contact, "documents": r.documents, **r.buckets,
                              "credit": r.credit, "total": r.total,
                              **({"foreign": r.foreign} if r.foreign else {})}
                             for r in report.rows],
                    "totals": report.totals, "credit": report.credit,
                    "total": report.total})
        return
    title = (_("Payables aging as of {date}") if payables
             else _("Receivables aging as of {date}")).format(date=format_date(report.as_of))
    heads = tuple(BUCKET_TITLES[b] for b in BUCKETS)
    # the contact's unapplied credit, shown negative: the row adds up to its net total
    credit = (N_("Credit"),) if report.credit else ()
    foreign = any(r.foreign for r in report.rows)
    extra = (N_("Foreign"),) if foreign else ()
    t = _keep_whole(table("Contact", "Docs", *heads, *credit, "Total", *extra, title=title,
                          right=("Docs", *heads, *credit, "Total", *extra)), "Contact")
    for r in report.rows:
        shown = (", ".join(f"{fmt(v)} {c}" for c, v in sorted(r.foreign.items())),)
        t.add_row(esc(r.contact), str(r.documents), *(fmt(r.buckets[b]) for b in BUCKETS),
                  *((fmt(-r.credit),) if credit else ()), fmt(r.total),
                  *(shown if foreign else ()))
    t.add_section()
    t.add_row(_("Total"), "", *(fmt(report.totals[b]) for b in BUCKETS),
              *((fmt(-report.credit),) if credit else ()), fmt(report.total),
              *(("",) if foreign else ()))
    console().print(t)


def _period(start: str | None, end: str | None) -> tuple[Any, Any]:
    import datetime as dt

    from smallbiz.dates import year_start

    d2 = opt_date(end, "--to") or dt.date.today()
    d1 = opt_date(start, "--from") or year_start(d2)
    return d1, d2


@report_app.command("vat")
def report_vat(ctx: typer.Context, start: str | None = FROM, end: str | None = TO,
               month: str | None = typer.Option(
                   None, "--month", help="The monthly VAT return of this month (YYYY-MM): "
                   "the declaration's figures."),
               json_out: bool = JSON) -> None:
    """VAT for a period: output VAT on invoices minus input VAT on bills, per rate
    (--month: the monthly VAT return)."""
    if month is not None:
        from smallbiz.cli.firm import print_vat_return

        print_vat_return(ctx, month, json_out)
        return
    d1, d2 = _period(start, end)
    r = state(ctx).book().vat_report(d1, d2)
    if want_json(ctx, json_out):
        print_json({"report": "vat", "from": r.start, "to": r.end,
                    "output": [{"rate": _qty(x.rate), "net": x.net, "vat": x.vat}
                               for x in r.output],
                    "input": [{"rate": _qty(x.rate), "net": x.net, "vat": x.vat}
                              for x in r.input],
                    "output_vat": r.output_vat, "input_vat": r.input_vat,
                    "net_vat": r.net_vat})
        return
    t = table("", "Rate %", "Net", "VAT",
              title=_("VAT {start} to {end}").format(start=format_date(r.start),
                                                     end=format_date(r.end)),
              right=("Rate %", "Net", "VAT"))
    for label, rows in ((_("Output (sales)"), r.output), (_("Input (purchases)"), r.input)):
        for x in rows:
            t.add_row(label, _qty(x.rate), fmt(x.net), fmt(x.vat))
            label = ""
    t.add_section()
    t.add_row(_("Output VAT"), "", "", fmt(r.output_vat))
    t.add_row(_("Input VAT"), "", "", fmt(r.input_vat))
    t.add_row(f"[b]{_(r.net_label)}[/b]", "", "",
              f"[b]{fmt(abs(r.net_vat))}[/b]")
    console().print(t)


@report_app.command("sales")
def report_sales(ctx: typer.Context,
                 by: str = typer.Option("customer", "--by", help="customer or product."),
                 start: str | None = FROM, end: str | None = TO,
                 top: int | None = typer.Option(None, "--top", min=1,
                                                help="Only the N biggest (totals stay for "
                                                     "all)."),
                 json_out: bool = JSON) -> None:
    """Invoiced sales of a period per customer or per product, biggest first (cancelled
    invoices left out)."""
    from dataclasses import replace

    d1, d2 = _period(start, end)
    r = state(ctx).book().sales_report(d1, d2, by=by)
    if top is not None:
        r = replace(r, rows=r.rows[:top])
    key = "name" if r.by == "customer" else "sku"
    if want_json(ctx, json_out):
        print_json({"report": "sales", "by": r.by, "from": r.start, "to": r.end,
                    "rows": [{key: x.key, **({"name": x.name} if r.by == "product" else {}),
                              "invoices": x.documents,
                              **({"quantity": _qty(x.quantity)} if x.quantity is not None
                                 else {}),
                              "net": x.net, "vat": x.vat, "gross": x.gross} for x in r.rows],
                    "net": r.net, "vat": r.vat, "gross": r.gross})
        return
    if r.by == "customer":
        t = table("Customer", "Invoices", "Net", "VAT", "Gross",
                  title=_("Sales by customer {start} to {end}").format(
                      start=format_date(r.start), end=format_date(r.end)),
                  right=("Invoices", "Net", "VAT", "Gross"))
        for x in r.rows:
            t.add_row(esc(x.name), str(x.documents), fmt(x.net), fmt(x.vat), fmt(x.gross))
        t.add_section()
        t.add_row(_("Total"), "", fmt(r.net), fmt(r.vat), fmt(r.gross))
    else:
        t = table("SKU", "Product", "Quantity", "Net", "VAT", "Gross",
                  title=_("Sales by product {start} to {end}").format(
                      start=format_date(r.start), end=format_date(r.end)),
                  right=("Quantity", "Net", "VAT", "Gross"))
        for x in r.rows:
            t.add_row(esc(x.key), esc(x.name), _qty(x.quantity), fmt(x.net), fmt(x.vat),
                      fmt(x.gross))
        t.add_section()
        t.add_row(_("Total"), "", "", fmt(r.net), fmt(r.vat), fmt(r.gross))
    console().print(t)

