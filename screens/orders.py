"""Sales and Purchases: order lists by status, and the order screen — an editor while the
order is a draft (customer/supplier and product complete as you type, lines added and
removed by key, totals and VAT live), then one key per step: confirm, ship or receive,
invoice, record payment, cancel (each asks first where it posts to the books)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from smallbiz import dates
from smallbiz.app.book import Book, LinePreview
from smallbiz.dates import format_date
from smallbiz.errors import UserError
from smallbiz.i18n import N_, _, ngettext, translate_choices
from smallbiz.screens.base import BookScreen, document_status, figure, plain, unit_amount
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog, FormField, field_matches
from smallbiz.screens.widgets.completing_input import CompletingInput
from smallbiz.screens.widgets.date_input import DateInput
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar
from smallbiz.screens.widgets.virtual_table import Column, FuncSource, Row, VirtualTable

STATUSES = [(N_("All"), "all"), (N_("Draft"), "draft"), (N_("Confirmed"), "confirmed"),
            (N_("Shipped"), "shipped"), (N_("Received"), "received"),
            (N_("Invoiced"), "invoiced"), (N_("Paid"), "paid"), (N_("Cancelled"), "cancelled")]
STATUS_STYLE = {"draft": "muted", "cancelled": "muted", "paid": "good", "confirmed": "warning"}


def kind_title(kind: str) -> str:
    return _("Sales") if kind == "sale" else _("Purchases")


def party(kind: str) -> str:
    return _("Customer") if kind == "sale" else _("Supplier")


#: (action, question, posts to the books?) per key
ACTIONS = {
    "confirm": (N_("Confirm {n}?"), False),
    "ship": (N_("Ship {n}? Stock goes out at average cost and COGS is posted."), True),
    "receive": (N_("Receive {n}? Stock comes in and the supplier's bill is posted."), True),
    "invoice": (N_("Invoice {n}? Posts the receivable, sales and output VAT."), True),
    "cancel": (N_("Cancel {n}? Anything it posted is reversed; its number is kept."), True),
}


def run_order_action(screen: BookScreen, kind: str, action: str, number: str,
                     done: Any) -> None:
    """Ask (where it posts), then do one step of an order and say what it produced."""
    if action in ("ship", "invoice") and kind != "sale":
        screen.notify(_("A purchase is received, not shipped or invoiced (press r)"),
                      severity="warning")
        return
    if action == "receive" and kind != "purchase":
        screen.notify(_("A sale is shipped (press s)"), severity="warning")
        return
    question, posts = ACTIONS[action]

    def said(result: Any) -> None:
        if result is None:
            return
        made = ", ".join([result.reference] * (result.reference != result.order)
                         + list(result.entries))
        screen.notify(_("{n} is {status}").format(n=result.order, status=result.status)
                      + (f" · {made}" if made else ""))
        done(result)

    if posts:  # a step that posts is dated (default today), and may take part of the lines
        screen.app.push_screen(step_form(screen.book, kind, action, number,
                                         _(question).format(n=number)), said)
        return

    def go(yes: bool | None) -> None:
        if yes:
            said(screen.attempt(screen.book.order_action, kind, action, number))

    screen.app.push_screen(ConfirmDialog(_(question).format(n=number)), go)


#: The field for a bill's supplier reference (receive, a direct bill, the bill itself).
SUPPLIER_REF_LABEL = N_("Supplier's bill number (optional)")
#: A new document's currency and a foreign document's rate: the same fields on every form
#: (a direct invoice or bill, an order, its invoice or receipt, a payment, a credit).
CURRENCY_LABEL = N_("Currency (empty: the book's; prices in it)")
RATE_LABEL = N_("Rate (empty: the rate table's for the date)")


def currency_field(label: str = CURRENCY_LABEL) -> FormField:
    """A document's (or an account's) currency, another than the book's (empty: the
    book's); `label` untranslated (`N_`)."""
    return FormField("currency", _(label), placeholder="USD")


def rate_field() -> FormField:
    """The rate of a document in another currency (empty: the rate table's)."""
    return FormField("rate", _(RATE_LABEL))


def step_form(book: Book, kind: str, action: str, number: str, question: str) -> FormDialog:
    """Ship, receive, invoice or cancel an order on a date, for all that is open or the
    lines given (`1=10 2=3`: line 1's 10, line 2's 3); an order in another currency is
    invoiced (received) at a rate (empty: the rate table's for the date)."""
    foreign = False
    if action in ("invoice", "receive"):
        try:
            foreign = book.order(kind, number).currency is not None
        except UserError:
            pass  # the save says what is wrong with the number

    def save(values: dict[str, str]) -> Any:
        from smallbiz.app.documents import parse_quantities

        typed = values["date"].strip()  # as in a date field: `yesterday`, `-3`, `1.12` …
        on = dates.parse_typed_date(typed, field="date") if typed else None
        if action == "cancel":
            return book.order_action(kind, "cancel", number, on)
        lines = parse_quantities(values.get("lines", ""), option=_("lines"))
        rate = values.get("rate", "").strip() or None
        if action == "ship":
            return book.ship(number, lines=lines, on=on)
        if action == "receive":
            return book.receive(number, lines=lines, on=on, rate=rate,
                                supplier_ref=values.get("supplier_ref", ""))
        return book.invoice_sale(number, lines=lines, on=on, rate=rate)

    fields = [FormField("date", _("Date"), dates.today().isoformat(), date=True)]
    if action != "cancel":
        fields.append(FormField("lines", _("Lines (POS=QTY …; empty: all that is open)"),
                                placeholder="1=10 2=3"))
    if action == "receive":  # this books the supplier's bill
        fields.append(FormField("supplier_ref", _(SUPPLIER_REF_LABEL),
                                placeholder=_("e.g. F-2026/118")))
    if foreign:
        fields.append(rate_field())
    return FormDialog(question, fields, save, note=_("This posts to the books."))


def payment_form(book: Book, number: str, balance: Decimal | None) -> FormDialog:
    """Record a payment of an invoice or bill (amount defaults to the balance due). A
    document in another currency is paid in it: the amount in its currency (default its
    balance due in it) and a rate (empty: the rate table's rate of the date)."""
    from smallbiz.screens.journal import account_completer

    currency = None
    try:
        doc = book.invoice(number)
        currency = doc.currency
        if currency is not None:
            balance = doc.balance_due_fx
    except UserError:
        pass  # the save says what is wrong with the number

    def save(values: dict[str, str]) -> Any:
        account = values["account"].strip()
        rate = values.get("rate", "").strip() or None
        paid = book.record_payment(number, values["amount"], on=values["date"],
                                   account=book.account_ref(account) if account else None,
                                   rate=rate)
        warn_overdrawn(dialog.app, book, [paid.account])
        return paid

    fields = [
        FormField("amount", _("Amount") if currency is None else
                  _("Amount in {currency}").format(currency=currency),
                  book.format(balance, grouping=False) if balance is not None else ""),
        FormField("date", _("Date"), dates.today().isoformat(), date=True),
        FormField("account", _("Into / from account (empty: the bank account)"),
                  complete=account_completer(book)),
    ]
    if currency is not None:
        fields.append(rate_field())
    dialog = FormDialog(_("Record a payment of {n}").format(n=number), fields, save,
                        note=_("Posts the payment (PAY- number) to the books."))
    return dialog


def warn_overdrawn(app: Any, book: Book, accounts: list[str]) -> None:
    """A warning (not a refusal) for each bank or cash account a payment took below zero;
    safe from the worker a save runs in."""
    for code, name, balance in book.overdrawn(accounts):
        app.notify(_("{code} {name} is below zero now: {balance}").format(
            code=code, name=name, balance=book.format(balance)), severity="warning",
            timeout=8)


#: The steps an order in each status can take next.
NEXT_STEPS = {"draft": {"confirm", "cancel"},
              "confirmed": {"ship", "receive", "invoice", "cancel"},
              "shipped": {"invoice", "cancel"},
              "received": {"cancel"}, "invoiced": {"ship", "cancel"},
              "paid": {"ship", "cancel"}, "cancelled": set()}


def step_applies(kind: str, step: str, status: str | None, delivered: bool | None) -> bool:
    """Does `step` apply to an order of `kind` in `status` (`delivered`: shipped or
    received already; None when not known, as on the list)?"""
    if step in ("ship", "invoice") and kind != "sale":
        return False
    if step == "receive" and kind != "purchase":
        return False
    if status is None:
        return False
    if step in ("ship", "receive") and delivered:
        return False
    return step in NEXT_STEPS.get(status, set())


def step_bindings(prefix: str) -> list[BindingType]:
    """One key per step of an order, the same on the list and on the order."""
    steps = [("c", "step('confirm')", N_("Confirm"), "confirm"),
             ("s", "step('ship')", N_("Ship"), "ship"),
             ("r", "step('receive')", N_("Receive"), "receive"),
             ("i", "step('invoice')", N_("Invoice"), "invoice"),
             ("p", "pay", N_("Payment"), "pay"),
             ("x", "step('cancel')", N_("Cancel order"), "cancel")]
    return [Binding(key, action, label, id=f"{prefix}.{name}")
            for key, action, label, name in steps]


def in_currency(amount: str, currency: str | None) -> str:
    """A formatted amount of an order, with its currency's code when not the book's."""
    return f"{amount} {currency}" if currency else amount


class OrdersScreen(BookScreen):
    """All sales (or purchase) orders, newest at the bottom, filtered by status."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="orders.new",
                tooltip=N_("Start a new order")),
        *step_bindings("orders"),
        Binding("ctrl+o", "status", N_("Status filter"), priority=True, id="orders.status"),
        # not in the footer (the steps need its room): F1 and the palette list them
        Binding("q", "quotes", N_("Quotes"), show=False, id="orders.quotes"),
        Binding("u", "recurring", N_("Recurring invoices"), show=False,
                id="orders.recurring"),
    ]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.PLACE_TITLE = kind_title(kind)  # type: ignore[misc]
        self._after_new = False
        self._loaded_filter: object = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(classes="form-row"):
            yield Label(_("Status"), classes="field-label-inline")
            yield Select(translate_choices(STATUSES), value="all", allow_blank=False,
                         id="order-status")
            yield Static("", id="order-count", classes="field-label-inline")
        yield VirtualTable([Column(_("Order"), 13), Column(_("Date"), 10),
                            Column(party(self.kind), min_width=16), Column(_("Status"), 10),
                            Column(_("Net"), 13, "right", optional=True),
                            Column(_("Total"), 13, "right"),
                            Column(_("Delivered"), 10, optional=True),
                            Column(_("Invoice"), 14, optional=True)], None,
                           empty=_("No orders — press n for a new one"), start_at_end=True,
                           id="orders")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#orders", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()

    def resumed(self) -> None:
        self.load()

    def load(self) -> None:
        value = self.query_one("#order-status", Select).value
        self._loaded_filter = value
        status = None if value in ("all", Select.NULL) else str(value)
        book, kind, f = self.book, self.kind, self.fmt

        def page(offset: int, limit: int, after: Any) -> list[Row]:
            return [Row((o.date, o.id), (o.number, format_date(o.date), o.contact, _(o.status),
                                         f(o.net), in_currency(f(o.gross), o.currency),
                                         format_date(o.shipped_on) if o.shipped_on else "",
                                         o.invoice or ""),
                        style=STATUS_STYLE.get(o.status, ""), data=(o.number, o.status))
                    for o in book.orders_page(kind, status, offset, limit, after)]

        # back from a new order: show the newest; otherwise stay on the same row
        keep = self.table.row_count is not None and not self._after_new
        self._after_new = False
        self.table.set_source(FuncSource(lambda: book.orders_count(kind, status), page),
                              keep_cursor=keep)

    @on(VirtualTable.Loaded, "#orders")
    def _counted(self, event: VirtualTable.Loaded) -> None:
        self.query_one("#order-count", Static).update(
            ngettext("{n} order", "{n} orders", event.count).format(n=event.count))

    @on(Select.Changed, "#order-status")
    def _status(self, event: Select.Changed) -> None:
        if event.value != self._loaded_filter:  # not the Select settling on mount
            self.load()

    def action_status(self) -> None:
        self.query_one("#order-status", Select).focus()

    def current(self) -> str | None:
        row = self.table.current_row
        if row is None:
            self.notify(_("No order highlighted"), severity="warning")
            return None
        return str(row.data[0])

    @on(VirtualTable.Highlighted, "#orders")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        self.refresh_bindings()  # the footer offers the highlighted order's next steps

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the steps that apply to the highlighted order (its kind and status)."""
        if action in ("quotes", "recurring"):
            return self.kind == "sale"  # quotes and recurring invoices are sales
        if action not in ("step", "pay"):
            return True
        row = self.table.current_row if self.is_mounted else None
        status = row.data[1] if row is not None else None  # as stored (the cell: as said)
        if action == "pay":
            return status in ("invoiced", "received", "shipped") and bool(
                row is not None and row.cells[7])
        return step_applies(self.kind, str(parameters[0]), status,
                            bool(row.cells[6]) if row is not None else None)

    @on(VirtualTable.Selected, "#orders")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(OrderScreen(self.kind, number=event.row.data[0]))

    def action_new(self) -> None:
        self._after_new = True
        self.app.push_screen(OrderScreen(self.kind))

    def action_step(self, action: str) -> None:
        number = self.current()
        if number:
            run_order_action(self, self.kind, action, number, lambda _r: self.load())

    def action_pay(self) -> None:
        number = self.current()
        if not number:
            return
        order = self.attempt(self.book.order, self.kind, number)
        if order is None:
            return
        if not order.invoice:
            self.notify(_("{n} has no invoice yet").format(n=number), severity="warning")
            return
        self.app.push_screen(payment_form(self.book, order.invoice, order.balance_due),
                             lambda p: self.load() if p else None)

    def action_quotes(self) -> None:
        from smallbiz.screens.quotes import QuotesScreen

        self.app.push_screen(QuotesScreen())

    def action_new_quote(self) -> None:
        from smallbiz.screens.quotes import QuotesScreen

        screen = QuotesScreen()
        self.app.push_screen(screen, lambda _r: None)
        self.call_after_refresh(screen.action_new)

    def action_recurring(self) -> None:
        from smallbiz.screens.quotes import RecurringScreen

        self.app.push_screen(RecurringScreen())

    def action_receive_pick(self) -> None:
        """From the palette: show confirmed purchases to receive."""
        select = self.query_one("#order-status", Select)
        select.value = "confirmed"
        self.table.focus()
        self.notify(_("Highlight the purchase and press r to receive it"))


class OrderScreen(BookScreen):
    """One order: the editor while it is a draft, then its steps by key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save draft"), priority=True, id="order.save"),
        Binding("ctrl+n", "add_line", N_("Add line"), priority=True, id="order.add_line"),
        Binding("ctrl+d", "remove_line", N_("Remove line"), priority=True,
                id="order.remove_line"),
        *step_bindings("order"),
    ]

    def __init__(self, kind: str, *, number: str | None = None, contact: str = "",
                 product: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.number = number
        self.contact = contact
        self.product = product  # a new order's first line starts with it (a reorder)
        self.lines: list[LinePreview] = []
        self.order: Any = None
        self.PLACE_TITLE = (number or (_("New sale") if kind == "sale"  # type: ignore[misc]
                                       else _("New purchase")))

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        book = self.book
        role = "customer" if self.kind == "sale" else "supplier"
        yield NavBar(self.PLACE_TITLE)
        with Vertical(id="order-form"):
            with Horizontal(classes="form-row"):
                yield Label(party(self.kind), classes="field-label-inline")
                yield CompletingInput(lambda t: book.contact_names(t, role), value=self.contact,
                                      placeholder=_("type a name"), id="order-contact")
                yield Label(_("Date"), classes="field-label-inline")
                yield DateInput(dates.today(), id="order-date")
            with Horizontal(classes="form-row"):
                yield Label(_("Notes"), classes="field-label-inline")
                yield Input(id="order-notes")
                yield Label(_("Currency"), classes="field-label-inline")
                yield Input(placeholder=_("book's"), id="order-currency",
                            tooltip=_(CURRENCY_LABEL))
            yield Label("", id="order-state", classes="panel-title")
            with Horizontal(classes="form-row", id="line-entry"):
                yield CompletingInput(book.product_matches, placeholder=_("product (SKU or name)"),
                                      value=self.product, id="line-product")
                yield Input(placeholder=_("qty"), id="line-qty", classes="qty")
                yield Input(placeholder=_("price"), id="line-price", classes="price")
                yield Input(placeholder=_("disc %"), id="line-discount", classes="qty")
            yield Static("", id="line-preview")
            table: DataTable[Any] = DataTable(id="order-lines", cursor_type="row",
                                              zebra_stripes=True)
            yield table
            yield Static("", id="order-totals")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#order-lines", DataTable)
        for label in (_("#"), _("SKU"), _("Description"), _("Qty"), _("Unit price"), _("Disc %"),
                      _("VAT %"), _("Net"), _("VAT"), _("Total")):
            table.add_column(label)
        if self.number:
            self.load()
        else:
            self.query_one("#order-contact" if not self.contact else "#line-product").focus()
            self.update_totals()

    def book_changed(self) -> None:
        """A payment or step from elsewhere (the CLI, a second app): show the order as it
        is, unless typing here is not saved yet."""
        if self.number and not self.has_unsaved():
            self.load(focus=False)

    def load(self, *, focus: bool = True) -> None:
        order = self.attempt(self.book.order, self.kind, self.number)
        if order is None:
            return
        self.order = order
        self.query_one("#order-contact", Input).value = order.contact
        self.query_one("#order-date", Input).value = order.date.isoformat()
        self.query_one("#order-notes", Input).value = order.notes
        self.query_one("#order-currency", Input).value = order.currency or ""
        self.lines = [LinePreview(ln.sku, ln.description, ln.unit, ln.quantity, ln.unit_price,
                                  ln.discount, ln.vat_rate, ln.net, ln.vat, ln.gross,
                                  order.currency or "")
                      for ln in order.lines]
        editable = order.status == "draft"
        for widget in self.query("#order-form Input"):  # a draft's currency too
            widget.disabled = not editable
        self.query_one("#line-entry").display = editable
        self.refresh_lines()
        state = [_("{n} · {status}").format(n=order.number, status=order.status)]
        if order.currency:
            state.append(_("prices in {currency}").format(currency=order.currency))
        if order.shipped_on:
            state.append((_("shipped {d}") if self.kind == "sale" else _("received {d}"))
                         .format(d=format_date(order.shipped_on)))
        if order.invoice:
            paid = order.balance_due is not None and order.balance_due < order.gross
            state.append(_("{inv} ({status}), balance due {x}").format(
                inv=order.invoice, status=document_status(order.invoice_status, paid),
                x=self.fmt(order.balance_due)))
        self.query_one("#order-state", Label).update(" · ".join(state))
        if focus:
            self.query_one("#order-lines", DataTable).focus()
        self.refresh_bindings()

    # -- lines -----------------------------------------------------------------------------------
    def refresh_lines(self) -> None:
        table = self.query_one("#order-lines", DataTable)
        table.clear()
        f = self.fmt
        for i, ln in enumerate(self.lines, start=1):
            table.add_row(figure(str(i)), ln.sku, ln.name, figure(plain(ln.quantity)),
                          figure(unit_amount(ln.unit_price, self.book.digits)),
                          figure(plain(ln.discount)),
                          figure(plain(ln.vat_rate)), Text(f(ln.net), justify="right"),
                          Text(f(ln.vat), justify="right"), Text(f(ln.gross), justify="right"))
        self.update_totals()

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        return (sum((ln.net for ln in self.lines), Decimal(0)),
                sum((ln.vat for ln in self.lines), Decimal(0)),
                sum((ln.gross for ln in self.lines), Decimal(0)))

    def currency(self) -> str:
        """The order's currency code as typed (a new order, a draft) or saved; empty: the
        book's."""
        if self.order is not None and self.order.status != "draft":
            return self.order.currency or ""
        return self.book.currency_code(self.query_one("#order-currency", Input).value)

    def in_currency(self, amount: Decimal) -> str:
        """An amount of this order, with its currency's code when not the book's."""
        return in_currency(self.fmt(amount), self.currency())

    def update_totals(self) -> None:
        net, vat, gross = self.totals()
        f = self.in_currency
        self.query_one("#order-totals", Static).update(
            ngettext("{n} line · net {net} · VAT {vat} · total {gross}",
                     "{n} lines · net {net} · VAT {vat} · total {gross}",
                     len(self.lines)).format(
                n=len(self.lines), net=f(net), vat=f(vat), gross=f(gross)))

    def _line_values(self) -> tuple[str, str, str, str]:
        return tuple(self.query_one(f"#line-{k}", Input).value  # type: ignore[return-value]
                     for k in ("product", "qty", "price", "discount"))

    def preview(self) -> LinePreview | None:
        product, qty, price, discount = self._line_values()
        if not product.strip():
            return None
        return self.book.line_preview(self.kind, product, qty, price, discount,
                                      currency=self.currency())

    @on(Input.Changed, "#order-currency")
    def _currency_changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-error")
        self.update_totals()
        self._line_changed(event)

    @on(Input.Changed, "#line-entry Input")
    def _line_changed(self, event: Input.Changed) -> None:
        label = self.query_one("#line-preview", Static)
        try:
            p = self.preview()
        except UserError as exc:
            label.update(exc.message)
            label.add_class("-error")
            return
        label.remove_class("-error")
        if p is None:
            label.update("")
            return
        label.update(_("{name}: {q} {unit} × {price} = net {net} + VAT {vat} = {gross}").format(
            name=p.name, q=plain(p.quantity), unit=p.unit, price=plain(p.unit_price),
            net=self.fmt(p.net), vat=self.fmt(p.vat), gross=self.in_currency(p.gross)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id and event.input.id.startswith("line-"):
            self.action_add_line()
        else:
            self.focus_next()

    def action_add_line(self) -> None:
        if self.order is not None and self.order.status != "draft":
            return
        try:
            p = self.preview()
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        if p is None:
            self.query_one("#line-product", Input).focus()
            return
        self.lines.append(p)
        for k in ("product", "qty", "price", "discount"):
            self.query_one(f"#line-{k}", Input).value = ""
        self.query_one("#line-preview", Static).update("")
        self.refresh_lines()
        self.query_one("#line-product", Input).focus()

    def action_remove_line(self) -> None:
        if not self.lines or (self.order is not None and self.order.status != "draft"):
            return
        table = self.query_one("#order-lines", DataTable)
        index = table.cursor_row if self.focused is table else len(self.lines) - 1
        del self.lines[max(0, min(index, len(self.lines) - 1))]
        self.refresh_lines()

    # -- saving and steps --------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.order is not None and self.order.status != "draft":
            self.notify(_("Only a draft can be changed"), severity="warning")
            return
        if any(v.strip() for v in self._line_values()):
            self.action_add_line()  # a line typed but not added yet counts
        contact = self.query_one("#order-contact", Input).value

        def failed(exc: UserError) -> None:
            self.notify(exc.message, severity="error", timeout=8)
            if exc.field in (party(self.kind).lower(), "customer", "supplier", "contact"):
                self.query_one("#order-contact", Input).focus()
            elif exc.field == "date":
                self.query_one("#order-date", Input).focus()
            elif field_matches(exc.field, "currency", _("Currency")):
                box = self.query_one("#order-currency", Input)
                box.add_class("-error")
                box.tooltip = exc.message
                box.focus()

        def saved(order: Any) -> None:
            self.number = order.number
            self.notify(_("Saved {n} (draft): press c to confirm").format(n=order.number))
            self.load()

        self.write(self.book.save_order, self.kind, contact, list(self.lines),
                   number=self.number, on=self.query_one("#order-date", DateInput).iso(),
                   notes=self.query_one("#order-notes", Input).value,
                   currency=self.currency(), done=saved,
                   failed=failed)

    def action_step(self, action: str) -> None:
        if self.number is None:
            self.notify(_("Save the order first (ctrl+s)"), severity="warning")
            return
        if isinstance(self.focused, Input):
            return
        run_order_action(self, self.kind, action, self.number, lambda _r: self.load())

    def action_pay(self) -> None:
        if self.order is None or not self.order.invoice:
            self.notify(_("No invoice to pay yet"), severity="warning")
            return
        self.app.push_screen(payment_form(self.book, self.order.invoice,
                                          self.order.balance_due),
                             lambda p: self.load() if p else None)

    def has_unsaved(self) -> bool:
        """A new order with anything typed, or typing in a draft's line fields or currency."""
        if self.order is not None and self.order.status != "draft":
            return False
        typed = any(v.strip() for v in self._line_values())
        if self.order is None:
            return typed or bool(self.lines) or bool(self.currency()) or bool(
                self.query_one("#order-contact", Input).value.strip() != self.contact.strip())
        return typed or self.currency() != (self.order.currency or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the steps that make sense for this order's kind and state."""
        order = self.order
        if action == "step":
            if order is None:
                return False
            return step_applies(self.kind, str(parameters[0]), order.status,
                                order.shipped_on is not None)
        if action == "pay":
            return bool(order and order.invoice and order.balance_due)
        if action in ("save", "add_line", "remove_line"):
            return order is None or order.status == "draft"
        return True
