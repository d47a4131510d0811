"""Quotes and recurring invoice templates, opened from the Sales place (q, u) or the
palette: a quote list (new, accept, decline; enter shows its lines; accepting opens the
sales order it became) and the recurring templates (new, run what is due). Each write is
one `Book` method, run off the event loop (`BookScreen.write`)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.dates import format_date
from smallbiz.errors import ValidationError
from smallbiz.i18n import N_, _
from smallbiz.screens.base import BookScreen, figure, plain, unit_amount
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar

#: What a quote in each status may do next (the lifecycle's table, for the footer).
QUOTE_NEXT = {"draft": {"accept", "decline", "expire"}, "sent": {"accept", "decline", "expire"}}


def _lines(values: dict[str, str], names: tuple[str, ...]) -> list[Any]:
    """The `SKU=QTY[@PRICE]` lines typed in the fields `names` (empty ones left out)."""
    from smallbiz.orders.lines import parse_line_spec

    texts = [values[n].strip() for n in names]
    lines = [parse_line_spec(text, i, option=_("line"))
             for i, text in enumerate(texts, start=1) if text]
    if not lines:
        raise ValidationError(_("a document needs at least one line (SKU=QTY)"),
                              field="line1")
    return lines


def _date(text: str, field: str) -> Any:
    typed = text.strip()
    return dates.parse_typed_date(typed, field=field) if typed else None


def quote_form(book: Book) -> FormDialog:
    """A new quote: the customer, up to three lines, its date and valid-until date."""

    def save(values: dict[str, str]) -> Any:
        return book.create_quote(values["contact"], _lines(values, ("line1", "line2", "line3")),
                                 on=_date(values["date"], "date"),
                                 valid_until=_date(values["valid_until"], "valid_until"))

    return FormDialog(_("New quote"), [
        FormField("contact", _("Customer"), complete=lambda t: book.contact_names(t, "customer")),
        FormField("line1", _("Line (SKU=QTY@PRICE)"), placeholder="SVC-01=3"),
        FormField("line2", _("Line")), FormField("line3", _("Line")),
        FormField("date", _("Date"), dates.today().isoformat(), date=True),
        FormField("valid_until", _("Valid until (empty: 30 days on)"), date=True)],
        save, note=_("A quote has no effect on stock or the books."))


def recurring_form(book: Book) -> FormDialog:
    """A new recurring invoice template: the customer, up to two lines, every N months on
    day D from a start date to an optional end."""

    def save(values: dict[str, str]) -> Any:
        try:
            every = int(values["every"].strip() or "1")
            day = int(values["day"]) if values["day"].strip() else None
        except ValueError:
            raise ValidationError(_("every and day are whole numbers"), field="every") from None
        start = _date(values["start"], "start") or dates.today()
        return book.add_recurring(values["contact"], _lines(values, ("line1", "line2")),
                                  every=every, day=day, start=start,
                                  end=_date(values["end"], "end"),
                                  name=values["name"].strip())

    return FormDialog(_("New recurring invoice"), [
        FormField("contact", _("Customer"), complete=lambda t: book.contact_names(t, "customer")),
        FormField("name", _("Name"), placeholder=_("Retainer")),
        FormField("line1", _("Line (SKU=QTY@PRICE)"), placeholder="SVC-01=10"),
        FormField("line2", _("Line")),
        FormField("every", _("Every N months"), "1"),
        FormField("day", _("On day (empty: the start's day)")),
        FormField("start", _("First invoice on"), dates.today().isoformat(), date=True),
        FormField("end", _("Last one on or before (empty: no end)"), date=True)],
        save, note=_("Issues nothing now: 'run due' issues what is due."))


class QuotesScreen(BookScreen):
    """Every quote in date order, with the sales order each became."""

    PLACE_TITLE: ClassVar[str] = N_("Quotes")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New quote"), id="quotes.new"),
        Binding("a", "step('accept')", N_("Accept"), id="quotes.accept"),
        Binding("d", "step('decline')", N_("Decline"), id="quotes.decline"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield DataTable(id="quotes", cursor_type="row", zebra_stripes=True)
        yield Static("", id="quotes-empty")
        yield AppFooter()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#quotes", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.add_columns(_("Quote"), _("Date"), _("Valid until"), _("Customer"),
                               _("Status"), _("Total"), _("Order"))
        self.table.focus()

    def resumed(self) -> None:
        self.load()

    def load(self) -> None:
        rows = self.attempt(self.book.quotes)
        if rows is None:
            return
        self.rows = rows
        keep = self.table.cursor_row
        self.table.clear()
        for q in rows:
            self.table.add_row(q.number, format_date(q.date),
                               format_date(q.valid_until) if q.valid_until else "",
                               Text(q.contact), _(q.status), figure(self.fmt(q.gross)),
                               q.order or "", key=q.number)
        if rows:
            self.table.move_cursor(row=min(keep, len(rows) - 1))
        self.query_one("#quotes-empty", Static).update(
            "" if rows else _("No quotes — press n for a new one"))
        self.refresh_bindings()

    def current(self) -> Any:
        if not self.rows or self.table.cursor_row >= len(self.rows):
            return None
        return self.rows[self.table.cursor_row]

    @on(DataTable.RowHighlighted, "#quotes")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()  # the footer offers what the highlighted quote can do

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "step":
            return True
        q = self.current() if self.is_mounted else None
        return q is not None and parameters[0] in QUOTE_NEXT.get(q.status, set())

    @on(DataTable.RowSelected, "#quotes")
    def _open(self, event: DataTable.RowSelected) -> None:
        q = self.current()
        if q is not None:
            self.app.push_screen(QuoteDialog(q.number), self._after_dialog)

    def _after_dialog(self, order: str | None) -> None:
        self.load()
        if order:
            self._open_order(order)

    def _open_order(self, order: str) -> None:
        from smallbiz.screens.orders import OrderScreen

        self.app.push_screen(OrderScreen("sale", number=order))

    def action_new(self) -> None:
        self.app.push_screen(quote_form(self.book), self._created)

    def _created(self, view: Any) -> None:
        if view is not None:
            self.notify(_("{n} created").format(n=view.number))
            self.load()

    def action_step(self, action: str) -> None:
        q = self.current()
        if q is not None:
            quote_step(self, q.number, action, self._stepped)

    def _stepped(self, result: Any) -> None:
        self.load()
        if result.reference != result.order:  # accepted: the sales order it became
            self._open_order(result.reference)


def quote_step(screen: Any, number: str, action: str, done: Any) -> None:
    """Ask, then accept (a draft sales order is made of it) or decline a quote."""
    question = {"accept": _("Accept {n}? It becomes a draft sales order."),
                "expire": _("Mark {n} expired?")}.get(action, _("Decline {n}?")).format(n=number)

    def said(result: Any) -> None:
        screen.notify(_("{n} is {status}").format(n=number, status=_(result.status))
                      + (f" · {result.reference}" if result.reference != number else ""))
        done(result)

    def go(yes: bool | None) -> None:
        if yes:
            screen.write(screen.book.quote_action, action, number, done=said)

    screen.app.push_screen(ConfirmDialog(question), go)


class QuoteDialog(ModalScreen[str | None]):
    """One quote's lines and totals; a and d accept or decline it. Dismisses with the
    sales order an accepted quote became (the list opens it), else None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="quote.close"),
        Binding("a", "step('accept')", N_("Accept"), id="quote.accept"),
        Binding("d", "step('decline')", N_("Decline"), id="quote.decline"),
        Binding("e", "step('expire')", N_("Expired"), id="quote.expire"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    @property
    def book(self) -> Book:
        return self.app.book  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(self.number, classes="dialog-title", id="quote-title")
            yield Static("", id="quote-head")
            yield DataTable(id="quote-lines", cursor_type="row")
            yield Static(_("a accept · d decline · e expired · esc close"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("SKU"), _("Description"), _("Qty"),
                                              _("Price"), _("Net"), _("VAT"), _("Total"))
        self.load()

    def load(self) -> None:
        try:
            v = self.book.quote(self.number)
        except Exception as exc:  # noqa: BLE001  (a user error or a busy book: say it)
            self.notify(str(exc), severity="error")
            return
        f = self.book.format
        self.query_one("#quote-title", Label).update(
            Text(f"{v.number} · {v.contact} · {_(v.status)}"))
        self.query_one("#quote-head", Static).update(Text(
            _("dated {d}, valid until {until} · total {g}").format(
                d=format_date(v.date), until=format_date(v.valid_until) if v.valid_until
                else "-", g=f(v.gross))))
        table = self.query_one(DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(Text(ln.sku), Text(ln.description), figure(plain(ln.quantity)),
                          figure(unit_amount(ln.unit_price, self.book.digits)),
                          figure(f(ln.net)), figure(f(ln.vat)), figure(f(ln.gross)))
        self.status = v.status
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "step":
            return True
        return parameters[0] in QUOTE_NEXT.get(getattr(self, "status", ""), set())

    def action_step(self, action: str) -> None:
        def done(result: Any) -> None:
            self.dismiss(result.reference if result.reference != result.order else None)

        quote_step(self, self.number, action, done)

    def write(self, fn: Any, *args: Any, done: Any) -> None:
        from smallbiz.screens.base import run_write

        run_write(self, lambda: fn(*args), done)

    def action_close(self) -> None:
        self.dismiss(None)


class RecurringScreen(BookScreen):
    """The recurring invoice templates: what each issues, when next, what is due today."""

    PLACE_TITLE: ClassVar[str] = N_("Recurring invoices")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New template"), id="recurring.new"),
        Binding("u", "run_due", N_("Run due"), id="recurring.run"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield DataTable(id="recurring", cursor_type="row", zebra_stripes=True)
        yield Static("", id="recurring-note")
        yield AppFooter()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#recurring", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.add_columns(_("Name"), _("Customer"), _("Every"), _("Day"), _("Next"),
                               _("Due"), _("Status"), _("Lines"))
        self.table.focus()

    def resumed(self) -> None:
        self.load()

    def load(self) -> None:
        rows = self.attempt(self.book.recurring)
        if rows is None:
            return
        self.table.clear()
        for t in rows:
            self.table.add_row(Text(t.name or f"#{t.id}"), Text(t.contact),
                               _("{n} mo.").format(n=t.every_months), str(t.day),
                               format_date(t.next_date) if t.next_date else "",
                               str(len(t.due)), _(t.status), Text(", ".join(t.lines)))
        due = sum(len(t.due) for t in rows)
        self.query_one("#recurring-note", Static).update(
            (_("{n} invoices due — press u to issue them").format(n=due) if due
             else _("Nothing due today")) if rows
            else _("No templates — press n for a new one"))

    def action_new(self) -> None:
        self.app.push_screen(recurring_form(self.book), self._created)

    def _created(self, view: Any) -> None:
        if view is not None:
            self.notify(_("Template {name} saved").format(name=view.name or f"#{view.id}"))
            self.load()

    def action_run_due(self) -> None:
        def done(run: Any) -> None:
            self.notify(_("{n} invoices issued").format(n=len(run.issued))
                        + "".join(f" · {i.invoice}" for i in run.issued))
            for label, why in run.failed:
                self.notify(f"{label}: {why}", severity="error", timeout=8)
            self.load()

        self.write(self.book.run_recurring, done=done)
