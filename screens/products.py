"""Products & Stock: levels, average cost, value, below-reorder highlighted; the stock
adjustment form; new products; one product's recent moves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.dates import format_date
from smallbiz.i18n import N_, _, ngettext
from smallbiz.money import format_quantity
from smallbiz.screens.base import BookScreen, plain
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar
from smallbiz.screens.widgets.virtual_table import Column, ListSource, Row, VirtualTable

KINDS = [(N_("Stock item"), "stock"), (N_("Service"), "service")]


def qty(value: Decimal | None) -> str:
    return "" if value is None else format_quantity(value)


def unit_cost(value: Decimal | None) -> str:
    """An average cost as people read it: four decimals (it is kept to six), the same in
    every row so a column lines up."""
    if value is None:
        return ""
    from smallbiz.money import format_number

    return format_number(value.quantize(Decimal("0.0001")))  # the language's marks


def adjust_form(book: Book, sku: str = "") -> FormDialog:
    def save(values: dict[str, str]) -> Any:
        return book.adjust_stock(book.product_ref(values["sku"]), values["qty"],
                                 cost=values["cost"] or None, reason=values["reason"],
                                 on=values["date"] or None, opening=values["opening"] == "yes")

    return FormDialog(_("Stock adjustment"), [
        FormField("sku", _("Product"), sku, complete=book.product_matches),
        FormField("qty", _("Quantity (+ adds, - removes)"), placeholder="e.g. -2 or 10"),
        FormField("cost", _("Unit cost for stock added (empty: average cost)")),
        FormField("reason", _("Reason"), placeholder=_("e.g. count on 31 March")),
        FormField("date", _("Date"), dates.today().isoformat(), date=True),
        FormField("opening", _("Opening stock (against equity)?"), "no",
                  choices=[(_("No: a count correction"), "no"), (_("Yes: opening stock"), "yes")]),
    ], save, note=_("Posts Dr/Cr Inventory against Stock adjustments (opening: equity)."))


def edit_product_form(book: Book, p: Any) -> FormDialog:
    """Change a product's name, prices, VAT rate, reorder level or a service's expense
    account (never its stock)."""
    from smallbiz.screens.journal import account_completer

    def save(values: dict[str, str]) -> Any:
        account = values.get("account")
        return book.edit_product(p.sku, name=values["name"], price=values["price"],
                                 cost=values["cost"], vat_rate=values["vat"],
                                 reorder=values.get("reorder", ""), unit=values["unit"],
                                 expense_account=None if account is None
                                 else book.account_ref(account))

    return FormDialog(_("Edit {sku}").format(sku=p.sku), [
        FormField("name", _("Name"), p.name),
        FormField("price", _("Sale price (net of VAT)"), plain(p.price)),
        FormField("cost", _("Purchase cost (empty: none)"),
                  plain(p.cost) if p.cost is not None else ""),
        FormField("unit", _("Unit"), p.unit),
        FormField("vat", _("VAT rate %"), plain(p.vat_rate)),
        *([FormField("account", _("Expense account on bills (empty: Other expenses)"),
                     p.expense_account or "", complete=account_completer(book))]
          if p.kind == "service" else [
              FormField("reorder", _("Reorder level (empty: none)"),
                        qty(p.reorder_level) if p.reorder_level is not None else "")]),
    ], save, note=_("Stock changes by an adjustment (a), not here."))


def product_form(book: Book) -> FormDialog:
    from smallbiz.screens.journal import account_completer

    def save(values: dict[str, str]) -> Any:
        return book.add_product(values["sku"], values["name"], price=values["price"],
                                cost=values["cost"], unit=values["unit"] or None,
                                vat_rate=values["vat"], reorder=values["reorder"],
                                service=values["kind"] == "service",
                                expense_account=book.account_ref(values["account"]) or None)

    return FormDialog(_("New product"), [
        FormField("sku", _("SKU")),
        FormField("name", _("Name")),
        FormField("kind", _("Kind"), "stock", choices=KINDS),
        FormField("price", _("Sale price (net of VAT)")),
        FormField("cost", _("Purchase cost (optional)")),
        FormField("unit", _("Unit"), "pcs"),
        FormField("vat", _("VAT rate % (empty: the book's)")),
        FormField("reorder", _("Reorder level (optional)")),
        FormField("account", _("A service's expense account on bills (optional)"),
                  complete=account_completer(book)),
    ], save)


class ProductsScreen(BookScreen):
    PLACE_TITLE = N_("Products & Stock")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New product"), id="products.new"),
        Binding("a", "adjust", N_("Adjust stock"), id="products.adjust"),
        Binding("e", "edit", N_("Edit"), id="products.edit"),
        Binding("l", "low", N_("Low only"), id="products.low"),
        Binding("slash", "filter", N_("Filter"), key_display="/", show=False,
                id="products.filter"),
        Binding("i", "import", N_("Import"), show=False,
                id="products.import"),
    ]

    def __init__(self, low_only: bool = False) -> None:
        super().__init__()
        self.low_only = low_only

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Input(placeholder=_("type to filter by SKU or name (↓ to the list)"),
                    id="product-filter")
        yield VirtualTable([Column(_("SKU"), 12), Column(_("Name"), min_width=16),
                            Column(_("On hand"), 9, "right"), Column(_("Unit"), 5, optional=True),
                            Column(_("Avg cost"), 11, "right"),
                            Column(_("Value"), 13, "right"),
                            Column(_("Reorder"), 8, "right", optional=True),
                            Column(_("Price"), 11, "right", optional=True)], ListSource([]),
                           empty=_("No products — press n to add one"), id="products")
        yield Static("", id="products-summary")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#products", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()

    def resumed(self) -> None:
        self.load()

    @on(Input.Changed, "#product-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.load()

    @on(Input.Submitted, "#product-filter")
    def _go(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def on_key(self, event: Any) -> None:
        self.type_to_filter(event, self.query_one("#product-filter", Input), self.table)

    @work(thread=True, exclusive=True, group="products")
    def load(self) -> None:
        search = self.query_one("#product-filter", Input).value
        try:
            rows = self.book.products(search, low_only=self.low_only)
        except Exception as exc:
            self.deliver(self.notify, str(exc), severity="error")
            return
        self.deliver(self.show, rows)

    def show(self, rows: list[Any]) -> None:
        f = self.fmt
        out = []
        for p in rows:
            low = p.kind == "stock" and p.reorder_level is not None \
                and p.on_hand <= p.reorder_level
            stock = p.kind == "stock"
            out.append(Row((p.sku,), (
                p.sku, p.name, qty(p.on_hand) if stock else "—", p.unit,
                unit_cost(p.average_cost) if stock else "",
                f(p.value) if stock else "", qty(p.reorder_level), f(p.price)),
                style="warning" if low else ("muted" if not stock else ""), data=p.sku))
        self.table.set_source(ListSource(out), keep_cursor=True)
        value = sum((p.value for p in rows if p.kind == "stock"), Decimal(0))
        low = sum(1 for r in out if r.style == "warning")
        self.query_one("#products-summary", Static).update(
            ngettext("{n} product", "{n} products", len(rows)).format(n=len(rows))
            + " · " + _("stock value {v} · {low} at or below reorder level{only}").format(
                v=f(value), low=low, only=_(" (showing only those)") if self.low_only else ""))

    def action_filter(self) -> None:
        self.query_one("#product-filter", Input).focus()

    def action_low(self) -> None:
        self.low_only = not self.low_only
        self.load()

    def _reload(self, result: Any) -> None:
        if result is not None:
            if getattr(result, "entry_number", None):
                self.notify(_("Posted {n}").format(n=result.entry_number))
            self.load()

    def action_new(self) -> None:
        self.app.push_screen(product_form(self.book), self._reload)

    def action_import(self) -> None:
        """Ask for a products CSV, import it in a worker with a progress bar."""
        from smallbiz.screens.modals.progress import ProgressDialog

        def chosen(path: str | None) -> None:
            if path:
                self.app.push_screen(ProgressDialog(
                    _("Importing {file}").format(file=path), "",
                    lambda total, step: self.book.import_products(path, total, step)),
                    lambda n: (self.notify(ngettext("Imported {n} product", "Imported {n} products",
                                                    n).format(n=n)),
                               self.load()) if n is not None else None)

        self.app.push_screen(FormDialog(_("Import products"), [
            FormField("path", _("CSV file"), placeholder="products.csv")],
            lambda v: v["path"].strip() or None,
            note=_("Every row is checked first: all of the file is imported, or nothing.")),
            chosen)

    def action_edit(self) -> None:
        row = self.table.current_row
        if row is None:
            self.notify(_("No product highlighted"), severity="warning")
            return
        product = self.attempt(self.book.product, row.data)
        if product is not None:
            self.app.push_screen(edit_product_form(self.book, product), self._reload)

    def action_adjust(self) -> None:
        row = self.table.current_row
        self.app.push_screen(adjust_form(self.book, row.data if row else ""), self._reload)

    @on(VirtualTable.Selected, "#products")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(ProductDialog(event.row.data))


class ProductDialog(ModalScreen[None]):
    """One product: details, quantities on open orders, recent stock moves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="product.close"),
    ]

    def __init__(self, sku: str) -> None:
        super().__init__()
        self.sku = sku

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(self.sku, classes="dialog-title", id="product-title")
            yield Static("", id="product-head")
            yield DataTable(id="product-moves", cursor_type="row")

    def on_mount(self) -> None:
        book: Book = self.app.book  # type: ignore[attr-defined]
        try:
            v = book.product_360(self.sku)
        except Exception as exc:
            self.notify(str(exc), severity="error")
            return
        p = v.product
        f = book.format
        self.query_one("#product-title", Label).update(f"{p.sku} · {p.name}")
        extra = "".join(f" · {k.replace('_', ' ')} {qty(val)}" for k, val in v.extra.items())
        self.query_one("#product-head", Static).update(
            _("{kind} · on hand {q} {unit} · average cost {c} · value {v} · price {pr} · "
              "VAT {vat}%").format(kind=p.kind, q=qty(p.on_hand), unit=p.unit,
                                   c=unit_cost(p.average_cost) or "-",
                                   v=f(p.value), pr=f(p.price), vat=plain(p.vat_rate))
            + extra)
        table = self.query_one(DataTable)
        table.add_columns(_("Date"), _("Qty"), _("Value"), _("Source"), _("Memo"))
        for m in v.recent_moves:
            table.add_row(format_date(m.date), qty(m.quantity), f(m.value), m.source, m.memo)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
