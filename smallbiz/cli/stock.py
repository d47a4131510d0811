"""`smallbiz product ...`, `stock adjust`, `report stock`, `import products`, `demo`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.io import Bar, import_app
from smallbiz.cli.report import report_app
from smallbiz.cli.state import (
    JSON_HELP,
    LOCALE,
    console,
    esc,
    print_json,
    say,
    state,
    table,
    want_json,
)
from smallbiz.dates import format_date
from smallbiz.i18n import _, ngettext

if TYPE_CHECKING:
    from smallbiz.stock.reports import ProductInfo
    from smallbiz.stock.service import MoveInfo

JSON = typer.Option(False, "--json", help=JSON_HELP)

product_app = typer.Typer(help="Products and services: add, list, show, edit, archive.",
                          no_args_is_help=True, rich_markup_mode=None)
stock_app = typer.Typer(help="Stock counts and opening stock.", no_args_is_help=True,
                        rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(product_app, name="product")
    app.add_typer(stock_app, name="stock")
    app.command("demo")(demo)


# -- formatting ------------------------------------------------------------------------------

def _qty(value: Any) -> str:
    from smallbiz.money import format_quantity

    return "" if value is None else format_quantity(value)


def _pct(value: Any) -> str:
    return _qty(value)


def _cost(value: Any, digits: int, *, short: bool = False) -> str:
    """A unit cost; `short` (tables for people) rounds an average to two more decimals."""
    from smallbiz.money import round_amount
    from smallbiz.stock.reports import format_unit_cost

    if short and value is not None:
        value = round_amount(value, digits + 2)
    return format_unit_cost(value, digits)


def product_json(p: ProductInfo, digits: int) -> dict[str, Any]:
    return {"sku": p.sku, "name": p.name, "kind": p.kind, "unit": p.unit, "price": p.price,
            "cost": _cost(p.cost, digits) or None, "vat_rate": _pct(p.vat_rate),
            "reorder_level": _qty(p.reorder_level) or None, "on_hand": _qty(p.on_hand),
            "average_cost": _cost(p.average_cost, digits) or None, "value": p.value,
            "below_reorder": p.below_reorder, "archived": p.archived,
            "expense_account": p.expense_account}


def move_json(m: MoveInfo) -> dict[str, Any]:
    return {"id": m.id, "date": m.date, "sku": m.sku, "quantity": _qty(m.quantity),
            "value": m.value, "source": m.source, "source_id": m.source_id, "memo": m.memo}


def _money(value: Any) -> str:
    from smallbiz.money import format_number

    return format_number(value)


# -- products --------------------------------------------------------------------------------

@product_app.command("add")
def product_add(
    ctx: typer.Context,
    sku: str = typer.Argument(..., help="Stock-keeping unit code, unique (e.g. TOOL-01)."),
    name: str = typer.Argument(..., help="What the product is called."),
    price: str = typer.Option(..., "--price", help="Sale price per unit, without VAT."),
    cost: str | None = typer.Option(None, "--cost", help="Default purchase cost per unit."),
    unit: str = typer.Option("pcs", "--unit", help="Unit of measure (pcs, kg, h, ...)."),
    vat: str | None = typer.Option(None, "--vat", help="VAT rate in percent (default: the "
                                                        "book's)."),
    reorder: str | None = typer.Option(None, "--reorder", help="Reorder level (quantity)."),
    service: bool = typer.Option(False, "--service", help="A service: no stock is kept."),
    expense_account: str | None = typer.Option(
        None, "--expense-account", metavar="CODE",
        help="A service's expense account: its lines on bills post there (default: Other "
             "expenses)."),
    json_out: bool = JSON,
) -> None:
    """Add a product (or a service with --service); prints its SKU."""
    book = state(ctx).book()
    p = book.add_product(sku, name, price=price, cost=cost, unit=unit, vat_rate=vat,
                         reorder=reorder, service=service, expense_account=expense_account)
    if want_json(ctx, json_out):
        print_json(product_json(p, book.digits))
    else:
        typer.echo(p.sku)


@product_app.command("list")
def product_list(
    ctx: typer.Context,
    low: bool = typer.Option(False, "--low", help="Only products at or below reorder level."),
    search: str | None = typer.Option(None, "--search", help="Text in the SKU or name."),
    all_: bool = typer.Option(False, "--all", help="Include archived products."),
    json_out: bool = JSON,
) -> None:
    """List products and services with stock, average cost and value."""
    book = state(ctx).book()
    rows = book.products(search, low_only=low, include_archived=all_)
    digits = book.digits
    if want_json(ctx, json_out):
        print_json([product_json(p, digits) for p in rows])
        return
    right = (_("Price"), _("VAT %"), _("On hand"), _("Avg cost"), _("Value"), _("Reorder"))
    t = table(_("SKU"), _("Name"), _("Unit"), *right, right=right)
    for p in rows:
        flag = " [red]" + _("low") + "[/red]" if p.below_reorder else ""
        stock = p.kind == "stock"
        t.add_row(esc(p.sku) + (" " + _("(archived)") if p.archived else ""), esc(p.name),
                  esc(p.unit),
                  _money(p.price), _pct(p.vat_rate),
                  (_qty(p.on_hand) + flag) if stock else _("service"),
                  _cost(p.average_cost, digits, short=True) if stock else "",
                  _money(p.value) if stock else "", _qty(p.reorder_level))
    console().print(t)


@product_app.command("show")
def product_show(ctx: typer.Context, product: str = typer.Argument(..., help="SKU or name."),
                 json_out: bool = JSON) -> None:
    """One product: stock, average cost, value, open orders and recent moves."""
    book = state(ctx).book()
    view = book.product_360(product)
    digits = book.digits
    p = view.product
    if want_json(ctx, json_out):
        extra = {k: _qty(v) if k.endswith("_quantity") else v for k, v in view.extra.items()}
        print_json(product_json(p, digits)
                   | {"recent_moves": [move_json(m) for m in view.recent_moves]} | extra)
        return
    t = table(_("Field"), _("Value"), title=esc(f"{p.sku}  {p.name}"))
    t.add_row(_("Kind"), _(p.kind))
    t.add_row(_("Unit"), esc(p.unit))
    t.add_row(_("Sale price"), _money(p.price))
    t.add_row(_("VAT rate"), _pct(p.vat_rate) + " %")
    t.add_row(_("Default cost"), _cost(p.cost, digits))
    if p.expense_account:
        t.add_row(_("Expense account"), esc(p.expense_account))
    if p.kind == "stock":
        t.add_row(_("On hand"), _qty(p.on_hand) + (" " + _("(at or below reorder level)")
                                                   if p.below_reorder else ""))
        t.add_row(_("Average cost"), _cost(p.average_cost, digits))
        t.add_row(_("Stock value"), _money(p.value))
        t.add_row(_("Reorder level"), _qty(p.reorder_level))
    for key, value in view.extra.items():
        if not isinstance(value, list | dict):
            t.add_row(_(key.replace("_", " ").capitalize()),
                      _qty(value) if hasattr(value, "quantize") else esc(value))
    if p.archived:
        t.add_row(_("Archived"), _("yes"))
    console().print(t)
    if view.recent_moves:
        mt = table(_("Date"), _("Quantity"), _("Value"), _("Source"), _("Memo"),
                   title=_("Recent moves"), right=(_("Quantity"), _("Value")))
        for m in view.recent_moves:
            mt.add_row(format_date(m.date), _qty(m.quantity), _money(m.value),
                       m.source + (f" {m.source_id}" if m.source_id is not None else ""),
                       esc(m.memo))
        console().print(mt)


@product_app.command("edit")
def product_edit(
    ctx: typer.Context,
    product: str = typer.Argument(..., help="SKU or name."),
    sku: str | None = typer.Option(None, "--sku", help="New SKU."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    price: str | None = typer.Option(None, "--price", help="New sale price."),
    cost: str | None = typer.Option(None, "--cost", help="New default cost ('' clears it)."),
    unit: str | None = typer.Option(None, "--unit", help="New unit."),
    vat: str | None = typer.Option(None, "--vat", help="New VAT rate in percent."),
    reorder: str | None = typer.Option(None, "--reorder",
                                       help="New reorder level ('' clears it)."),
    expense_account: str | None = typer.Option(
        None, "--expense-account", metavar="CODE",
        help="A service's expense account on bills ('' clears it: Other expenses)."),
    json_out: bool = JSON,
) -> None:
    """Change a product's details (not its stock: use `stock adjust`); prints its SKU."""
    book = state(ctx).book()
    p = book.edit_product(product, sku=sku, name=name, price=price, cost=cost, unit=unit,
                          vat_rate=vat, reorder=reorder, expense_account=expense_account)
    if want_json(ctx, json_out):
        print_json(product_json(p, book.digits))
    else:
        typer.echo(p.sku)


@product_app.command("archive")
def product_archive(ctx: typer.Context, product: str = typer.Argument(..., help="SKU or name."),
                    undo: bool = typer.Option(False, "--undo", help="Bring it back."),
                    json_out: bool = JSON) -> None:
    """Hide a product from lists and new documents (it must have no stock)."""
    book = state(ctx).book()
    p = book.archive_product(product, archived=not undo)
    if want_json(ctx, json_out):
        print_json(product_json(p, book.digits))
    else:
        typer.echo(p.sku)


# -- stock -----------------------------------------------------------------------------------

@stock_app.command("adjust", context_settings={"ignore_unknown_options": True})
def stock_adjust(
    ctx: typer.Context,
    product: str = typer.Argument(..., help="SKU or name."),
    qty: str = typer.Argument(..., help="Quantity to add (positive) or remove (negative)."),
    cost: str | None = typer.Option(None, "--cost", help="Unit cost of added stock (default: "
                                                         "the average, else the default cost)."),
    reason: str = typer.Option("", "--reason", help="Why (the journal entry's memo)."),
    date: str = typer.Option("today", "--date", help="YYYY-MM-DD or today."),
    opening: bool = typer.Option(False, "--opening",
                                 help="Opening stock: posted against equity."),
    json_out: bool = JSON,
) -> None:
    """Correct a stock count or enter opening stock; prints the journal entry number."""
    from smallbiz.dates import parse_date

    book = state(ctx).book()
    on = parse_date(date, field="--date")
    result = book.adjust_stock(product, qty, cost=cost, reason=reason, on=on, opening=opening)
    if want_json(ctx, json_out):
        print_json({"number": result.entry_number, "move": move_json(result.move),
                    "product": product_json(result.product, book.digits)})
    elif result.entry_number:
        typer.echo(result.entry_number)
    else:
        typer.echo(_("no journal entry: the adjustment has no value"), err=True)


# -- report stock ----------------------------------------------------------------------------

@report_app.command("stock")
def report_stock(ctx: typer.Context,
                 low: bool = typer.Option(False, "--low", help="Only items at or below their "
                                                               "reorder level."),
                 json_out: bool = JSON) -> None:
    """Stock on hand, average cost and value per product; items to reorder."""
    book = state(ctx).book()
    rows = book.stock_report(low_only=low)
    digits = book.digits
    total = sum((r.value for r in rows), start=_zero(digits))
    if want_json(ctx, json_out):
        print_json({"report": "stock", "low_only": low, "rows": [
            {"sku": r.sku, "name": r.name, "unit": r.unit, "on_hand": _qty(r.on_hand),
             "average_cost": _cost(r.average_cost, digits) or None, "value": r.value,
             "reorder_level": _qty(r.reorder_level) or None, "below_reorder": r.below_reorder}
            for r in rows], "total_value": total})
        return
    t = table(_("SKU"), _("Name"), _("On hand"), _("Unit"), _("Avg cost"), _("Value"),
              _("Reorder"), "", title=_("Stock to reorder") if low else _("Stock"),
              right=(_("On hand"), _("Avg cost"), _("Value"), _("Reorder")))
    for r in rows:
        t.add_row(esc(r.sku), esc(r.name), _qty(r.on_hand), esc(r.unit),
                  _cost(r.average_cost, digits, short=True),
                  _money(r.value), _qty(r.reorder_level),
                  _("reorder") if r.below_reorder else "")
    t.add_section()
    t.add_row("", _("Total"), "", "", "", _money(total), "", "")
    console().print(t)


def _zero(digits: int) -> Any:
    from smallbiz.money import from_minor

    return from_minor(0, digits)


# -- import products -------------------------------------------------------------------------

@import_app.command("products")
def import_products_cmd(ctx: typer.Context,
                        file: str = typer.Argument(..., help="CSV with a header row: sku, name, "
                                                             "price[, cost, unit, vat, reorder, "
                                                             "kind]."),
                        locale: str | None = LOCALE,
                        json_out: bool = JSON) -> None:
    """Import products from CSV: all rows or none (errors name the line)."""
    book = state(ctx).book()
    with Bar(_("Importing products")) as bar:
        count = book.import_products(file, bar.set_total, bar.advance, locale=locale)
    if want_json(ctx, json_out):
        print_json({"imported": count})
    else:
        say(ngettext("Imported {n} product", "Imported {n} products", count).format(n=count))


# -- demo ------------------------------------------------------------------------------------

def demo(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Fill an empty book with a realistic demo company (a year of business up to today).

    Creates the book when there is none yet (Kavkasia Tools LLC, GEL, VAT 18 %; in
    Georgian, `--lang ka`, on the Georgian chart of accounts).
    """
    from smallbiz.cli.state import progress
    from smallbiz.demo import DEMO_COMPANY, STEPS, demo_chart, fill_demo

    st = state(ctx)
    with progress(STEPS, _("Building the demo company")) as advance:
        if not st.unopened().exists():  # a new book: made whole, with the demo, or not at all
            from smallbiz.book import init_book

            init_book(st.unopened(), company=DEMO_COMPANY, currency="GEL", vat_rate="18",
                      chart=demo_chart(), then=lambda side: fill_demo(side, progress=advance))
            db = st.database()
            from smallbiz.demo import summary

            counts = summary(db)
        else:
            db = st.database()
            counts = fill_demo(db, progress=advance)
    if want_json(ctx, json_out):
        print_json(counts)
        return
    t = table(_("What"), _("Count"), right=(_("Count"),),
              title=_("Demo company created in {where}").format(where=db.where()))
    for key, value in counts.items():
        t.add_row(_(key.replace("_", " ")), str(value))
    console().print(t)
