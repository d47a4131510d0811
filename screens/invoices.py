"""Invoices (and bills): open, overdue, paid; record a payment; export the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from smallbiz.app.book import Book
from smallbiz.dates import format_date
from smallbiz.errors import UserError
from smallbiz.i18n import N_, _, ngettext, translate_choices
from smallbiz.screens.base import BookScreen, document_status, figure, plain, unit_amount
from smallbiz.screens.modals.document import DocumentDialog
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.orders import payment_form
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar
from smallbiz.screens.widgets.virtual_table import Column, FuncSource, Row, VirtualTable

WHICH = [(N_("Open"), "open"), (N_("Overdue"), "overdue"), (N_("Paid"), "paid"), (N_("All"), "all")]
KINDS = [(N_("Invoices"), "invoice"), (N_("Bills"), "bill")]


class InvoicesScreen(BookScreen):
    PLACE_TITLE = N_("Invoices")
    _loaded_filter: tuple[str, str, str] | None = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pay", N_("Record payment"), id="invoices.pay"),
        Binding("d", "pdf", N_("PDF"), id="invoices.pdf",
                tooltip=N_("Write the document as a PDF")),
        Binding("o", "which('open')", N_("Open"), show=False,
                id="invoices.open"),
        Binding("v", "which('overdue')", N_("Overdue"), show=False,
                id="invoices.overdue"),
        Binding("a", "which('all')", N_("All"), show=False, id="invoices.all",
                tooltip=N_("Show all documents, paid and cancelled too")),
        Binding("b", "bills", N_("Invoices/bills"), id="invoices.bills"),
        Binding("n", "new", N_("New"), id="invoices.new",
                tooltip=N_("An invoice (or bill) without an order")),
        Binding("k", "credit", N_("Credit note"), show=False,
                id="invoices.credit"),
        Binding("slash", "filter", N_("Filter"), key_display="/", show=False,
                id="invoices.filter",
                tooltip=N_("Filter by number, contact, supplier's reference or memo "
                           "(↓ to the list)")),
    ]

    def __init__(self, kind: str = "invoice", which: str = "open") -> None:
        """`kind` and `which`: the list it opens on (a dashboard figure opens the overdue
        invoices, the open bills, ...)."""
        super().__init__()
        self.first_kind, self.first_which = kind, which

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(classes="form-row"):
            yield Select(translate_choices(KINDS), value=self.first_kind, allow_blank=False,
                         id="invoice-kind")
            yield Select(translate_choices(WHICH), value=self.first_which, allow_blank=False,
                         id="invoice-which")
            field = Input(placeholder=_("/ filter…"), id="invoice-filter")
            field.tooltip = _("Filter by number, contact, supplier's reference or memo "
                              "(↓ to the list)")
            yield field
            yield Static("", id="invoice-summary", classes="field-label-inline")
        yield VirtualTable([Column(_("Number"), 14), Column(_("Date"), 10, optional=True),
                            Column(_("Due"), 10), Column(_("Contact"), min_width=16),
                            Column(_("Status"), 11, optional=True),
                            Column(_("Total"), 13, "right", optional=True),
                            Column(_("Balance due"), 13, "right"),
                            Column(_("Late"), 5, "right", optional=True)], None,
                           empty=_("Nothing here"), id="invoices")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#invoices", VirtualTable)

    @property
    def kind(self) -> str:
        return str(self.query_one("#invoice-kind", Select).value)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#invoice-filter", Input)

    def on_mount(self) -> None:
        self.table.focus()

    def resumed(self) -> None:
        self.load()

    def load(self) -> None:
        which = str(self.query_one("#invoice-which", Select).value)
        search = self.filter_input.value.strip()
        self._loaded_filter = (self.kind, which, search)
        book, kind, f = self.book, self.kind, self.fmt

        def page(offset: int, limit: int, after: Any) -> list[Row]:
            return [Row((r.date, r.id), (r.number, format_date(r.date), format_date(r.due_date),
                                         r.contact, document_status(r.status, r.paid),
                                         f(r.gross), f(r.balance_due),
                                         str(r.days_overdue or "")),
                        style="danger" if r.days_overdue else (
                            "good" if r.status == "paid" else
                            "muted" if r.status == "cancelled" else ""),
                        data=(r.number, r.balance_due))
                    for r in book.invoices_page(kind, which, offset, limit, after,
                                                search=search)]

        self.table.set_source(FuncSource(lambda: book.invoices_count(kind, which,
                                                                     search=search), page),
                              keep_cursor=self.table.row_count is not None)

    @on(VirtualTable.Loaded, "#invoices")
    def _counted(self, event: VirtualTable.Loaded) -> None:
        self.query_one("#invoice-summary", Static).update(
            ngettext("{n} document", "{n} documents", event.count).format(n=event.count))

    @on(Select.Changed)
    @on(Input.Changed, "#invoice-filter")
    def _changed(self, event: Select.Changed | Input.Changed) -> None:
        current = (self.kind, str(self.query_one("#invoice-which", Select).value),
                   self.filter_input.value.strip())
        if current != self._loaded_filter:  # not the Selects settling on mount
            self.load()

    @on(Input.Submitted, "#invoice-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def on_key(self, event: Any) -> None:
        self.type_to_filter(event, self.filter_input, self.table)

    def action_filter(self) -> None:
        self.filter_input.focus()

    def action_which(self, which: str) -> None:
        self.query_one("#invoice-which", Select).value = which

    def action_bills(self) -> None:
        select = self.query_one("#invoice-kind", Select)
        select.value = "bill" if self.kind == "invoice" else "invoice"

    def _current(self) -> tuple[str, Any] | None:
        row = self.table.current_row
        if row is None:
            self.notify(_("No document highlighted"), severity="warning")
            return None
        return row.data  # type: ignore[no-any-return]

    @on(VirtualTable.Selected, "#invoices")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(InvoiceDialog(event.row.data[0]))

    def action_pay(self) -> None:
        current = self._current()
        if current is not None:
            self.app.push_screen(payment_form(self.book, current[0], current[1]),
                                 lambda p: self.load() if p else None)

    def action_pay_pick(self) -> None:
        """From the palette: open invoices; highlight one and press p."""
        self.query_one("#invoice-kind", Select).value = "invoice"
        self.query_one("#invoice-which", Select).value = "open"
        self.table.focus()
        self.notify(_("Highlight the invoice and press p"))

    def action_pay_bill_pick(self) -> None:
        self.query_one("#invoice-kind", Select).value = "bill"
        self.query_one("#invoice-which", Select).value = "open"
        self.table.focus()
        self.notify(_("Highlight the bill and press p"))

    def action_pdf(self) -> None:
        current = self._current()
        if current is not None:
            ask_pdf(self, current[0])

    def action_new(self) -> None:
        """An invoice (or, on the bills, a bill) without an order."""
        from smallbiz.screens.documents import direct_form

        self.app.push_screen(direct_form(self.book, self.kind), self._made)

    def action_credit(self) -> None:
        from smallbiz.screens.documents import credit_form

        current = self._current()
        if current is not None:
            self.app.push_screen(credit_form(self.book, current[0]), self._made)

    def _made(self, doc: Any) -> None:
        if doc is not None:
            self.notify(_("{n} posted").format(n=doc.number))
            self.load()


def ask_pdf(screen: Any, number: str) -> None:
    """Ask where to write the PDF, then render it in a worker."""
    book: Book = screen.app.book

    def chosen(path: str | None) -> None:
        if path:
            render_pdf(screen, book, number, path)

    from smallbiz.io.invoice_pdf import pdf_file_name

    screen.app.push_screen(FormDialog(_("Export {n} as PDF").format(n=number), [
        FormField("path", _("File"), str(Path.cwd() / pdf_file_name(number)))],
        lambda v: v["path"].strip() or None), chosen)


def render_pdf(screen: Any, book: Book, number: str, path: str) -> None:
    def work_() -> None:
        try:
            written = book.invoice_pdf(number, str(Path(path).expanduser())).path
        except UserError as exc:
            screen.app.call_from_thread(screen.notify, exc.message, severity="error")
            return
        except OSError as exc:
            screen.app.call_from_thread(screen.notify, str(exc), severity="error")
            return
        screen.app.call_from_thread(screen.notify, _("Wrote {p}").format(p=written))

    screen.notify(_("Writing {n}.pdf …").format(n=number))
    screen.run_worker(work_, thread=True, group="pdf", name="invoice pdf")


class InvoiceDialog(DocumentDialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="invoice.close"),
        Binding("p", "pay", N_("Record payment"), id="invoice.pay"),
        Binding("d", "pdf", N_("PDF"), id="invoice.pdf",
                tooltip=N_("Write the document as a PDF")),
        Binding("c", "contact", N_("Contact"), id="invoice.contact"),
        Binding("r", "supplier_ref", N_("Supplier's ref"), id="invoice.supplier_ref"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(self.number, classes="dialog-title", id="invoice-title")
            yield Static("", id="invoice-head")
            yield DataTable(id="invoice-lines", cursor_type="row")
            yield Static("", id="invoice-payments")
            yield Static(_("p record payment · d PDF · c contact · esc close"),
                         classes="dialog-keys", id="invoice-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("SKU"), _("Description"), _("Qty"), _("Price"), _("VAT %"),
                          _("Net"), _("VAT"), _("Total"))
        self.load()

    def read(self, book: Any) -> Any:
        return book.invoice(self.number)

    def show(self, v: Any) -> None:
        self.view = v
        book = self.app.book  # type: ignore[attr-defined]
        f = book.format
        self.query_one("#invoice-title", Label).update(  # the contact's name as typed
            Text(f"{v.number} · {v.contact} · {document_status(v.status, v.paid)}"))
        head = _("dated {d}, due {due}{late} · order {o} · total {g} · paid {p} · "
                 "balance due {b}").format(
            d=v.date, due=v.due_date, o=v.order_number or "-", g=f(v.gross), p=f(v.paid),
            b=f(v.balance_due),
            late=ngettext(" ({n} day late)", " ({n} days late)", v.days_overdue).format(
                n=v.days_overdue) if v.days_overdue else "")
        if v.kind == "bill":
            head += "\n" + _("Supplier's reference: {r}").format(r=v.supplier_ref or "-")
            self.query_one("#invoice-keys", Static).update(
                _("p record payment · d PDF · c contact · r supplier's ref · esc close"))
        self.query_one("#invoice-head", Static).update(Text(head))
        self.refresh_bindings()
        table = self.query_one(DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(Text(ln.sku), Text(ln.description), figure(plain(ln.quantity)),
                          figure(unit_amount(ln.unit_price, book.digits)),
                          figure(plain(ln.vat_rate)),
                          Text(f(ln.net), justify="right"), Text(f(ln.vat), justify="right"),
                          Text(f(ln.gross), justify="right"))
        self.query_one("#invoice-payments", Static).update(
            "\n".join(_("{n} {d} {a} ({s})").format(n=p.number, d=p.date, a=f(p.amount),
                                                    s=p.status) for p in v.payments)
            or _("No payments yet"))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_pay(self) -> None:
        if self.view is not None:
            self.app.push_screen(payment_form(self.app.book,  # type: ignore[attr-defined]
                                              self.number, self.view.balance_due),
                                 lambda p: self.load() if p else None)

    def action_pdf(self) -> None:
        ask_pdf(self, self.number)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A supplier's reference belongs to a bill only."""
        if action == "supplier_ref":
            return self.view is not None and self.view.kind == "bill"
        return True

    def action_supplier_ref(self) -> None:
        from smallbiz.screens.documents import supplier_ref_form

        if self.view is None or self.view.kind != "bill":
            return
        book = self.app.book  # type: ignore[attr-defined]

        def done(v: Any) -> None:
            if v is not None:
                self.notify(_("{n}: supplier's reference saved").format(n=v.number))
                self.load()

        self.app.push_screen(supplier_ref_form(book, self.number, self.view.supplier_ref),
                             done)

    def action_contact(self) -> None:
        """The customer's or supplier's 360 view (escape comes back here)."""
        if self.view is not None:
            from smallbiz.screens.contacts import ContactScreen

            self.app.push_screen(ContactScreen(self.view.contact_id))
