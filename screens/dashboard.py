"""Dashboard: the exact picture of the firm now — money, who owes whom, stock, pipeline,
follow-ups, overdue invoices and sales per month. Recomputed whenever it is shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import DataTable, Label, Static

from smallbiz.app.dashboard import Dashboard, MonthSales
from smallbiz.dates import format_date
from smallbiz.i18n import N_, _, ngettext
from smallbiz.screens.base import BookScreen
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar

BAR_PARTS = " ▏▎▍▌▋▊▉█"

FIGURES = [
    ("cash", N_("Cash and bank")),
    ("receivable", N_("Receivable")),
    ("overdue", N_("  of which overdue")),
    ("payable", N_("Payable")),
    ("stock", N_("Stock value")),
    ("low", N_("Below reorder level")),
    ("pipeline", N_("Weighted pipeline")),
    ("followups", N_("Follow-ups due (today or late)")),
    ("overdue_invoices", N_("Overdue invoices")),
]


def sales_chart(months: list[MonthSales], width: int, fmt: object) -> Text:
    """Horizontal bars, one month a line, with eighth-cell precision."""
    text = Text()
    peak = max((m.amount for m in months), default=Decimal(0))
    amounts = [fmt(m.amount) for m in months]  # type: ignore[operator]
    amount_width = max((len(a) for a in amounts), default=4)
    bar_width = max(4, width - 8 - amount_width - 2)
    for m, amount in zip(months, amounts, strict=True):
        eighths = int(m.amount / peak * bar_width * 8) if peak > 0 and m.amount > 0 else 0
        bar = "█" * (eighths // 8) + (BAR_PARTS[eighths % 8] if eighths % 8 else "")
        text.append(f"{m.month} ", style="dim")
        text.append(bar.ljust(bar_width), style="bold green")
        text.append(f" {amount.rjust(amount_width)}\n")
    return text


def one_line_each(lines: list[str]) -> str:
    """One item a line (app.tcss cuts long lines with an ellipsis instead of wrapping)."""
    return "\n".join(lines) or _("none")


def vat_line(d: Dashboard, fmt: Any) -> str:
    """The VAT reminder (a VAT payer) or the threshold warning (a firm that is not)."""
    if d.vat_due is not None:
        v = d.vat_due
        amount = (_("payable {amount}") if v.payable >= 0 else _("refundable {amount}")).format(
            amount=fmt(abs(v.payable)))
        return _("VAT return {month} due {due} ({days} days): {amount}").format(
            month=v.month, due=v.due_date.isoformat(), days=v.days_left, amount=amount)
    if d.vat_threshold is not None:
        t = d.vat_threshold
        text = (_("Taxable turnover {turnover} over 12 months is above the VAT threshold of "
                  "{threshold}: register as a VAT payer") if t.exceeded else
                _("Taxable turnover {turnover} over 12 months nears the VAT threshold of "
                  "{threshold}"))
        return text.format(turnover=fmt(t.turnover), threshold=fmt(t.threshold))
    return ""


#: What list each figure opens (enter on it): a place's screen, filtered.
FIGURE_LISTS = {
    "cash": ("bank", {}), "receivable": ("invoices", {"which": "open"}),
    "overdue": ("invoices", {"which": "overdue"}),
    "payable": ("invoices", {"kind": "bill", "which": "open"}),
    "stock": ("products", {}), "low": ("products", {"low_only": True}),
    "pipeline": ("deals", {}), "followups": ("followups", {}),
    "overdue_invoices": ("invoices", {"which": "overdue"}),
}


class FigureRow(Horizontal, can_focus=True):
    """One figure of the dashboard; enter opens the list behind it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open the list"), id="dashboard.open_figure"),
        Binding("down", "app.focus_next", N_("Next"), show=False, id="dashboard.next_figure"),
        Binding("up", "app.focus_previous", N_("Previous"), show=False,
                id="dashboard.previous_figure"),
    ]

    class Opened(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, key: str) -> None:
        super().__init__(classes="figure", id=f"row-{key}")
        self.key = key

    def action_open(self) -> None:
        self.post_message(self.Opened(self.key))

    def on_click(self) -> None:
        self.focus()
        self.action_open()


class DashboardScreen(BookScreen):
    PLACE_TITLE = N_("Dashboard")
    AUTO_FOCUS = "#today"  # the queue on arrival; f moves to the figures
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", N_("Refresh"), id="dashboard.refresh"),
        Binding("t", "today", N_("Today"), id="dashboard.today"),
        Binding("f", "figures", N_("Figures"), id="dashboard.figures",
                tooltip=N_("Into the figures: enter opens the list behind one")),
        Binding("escape", "app.back", N_("Back"), show=False, id="dashboard.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Dashboard | None = None
        self.figures: dict[str, str] = {}
        self.queue: list[Any] = []  # the Today queue (smallbiz.app.today.TodayItem)

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(id="dashboard"):
            with Vertical(id="figures", classes="panel"):
                yield Label(_("Now"), id="dashboard-when", classes="panel-title")
                for key, label in FIGURES:
                    with FigureRow(key):
                        yield Label(_(label), classes="figure-label")
                        yield Static("…", classes="figure-value", id=f"fig-{key}")
                yield Label(_("Today (t, then enter acts on an item)"),
                            classes="panel-title list-title")
                yield DataTable(id="today", cursor_type="row", show_header=False,
                                classes="today-list")
            with Vertical(id="sales-panel", classes="panel"):
                yield Label(_("Net sales per month"), classes="panel-title")
                yield Static("", id="sales-chart")
                yield Label(_("Follow-ups due"), classes="panel-title list-title")
                yield Static("", id="dashboard-followups", classes="dashboard-list")
                yield Static("", id="dashboard-vat", classes="dashboard-list")
                yield Label(_("Reminders due"), classes="panel-title list-title",
                            id="dashboard-reminders-title")
                yield Static("", id="dashboard-reminders", classes="dashboard-list")
                yield Static("", id="dashboard-recurring", classes="dashboard-list")
        yield AppFooter()

    def resumed(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    #: Which load is the latest: an earlier one still reading shows nothing and stops.
    load_count = 0

    def load(self) -> None:
        """Read the figures first (painted as soon as they are read), then the slower ones
        (VAT, customers to remind), then the Today queue, off the event loop. A load
        started while one reads supersedes it (its rows are dropped; not a cancelled
        worker, which a thread cannot be)."""
        self.load_count += 1
        count = self.load_count

        def read() -> None:
            try:
                data = self.book.dashboard(later=False)
                self.app.call_from_thread(self.show_loaded, count, self.show, data)
                if count != self.load_count:
                    return
                data = self.book.dashboard_later(data)
                self.app.call_from_thread(self.show_loaded, count, self.show, data)
                if count != self.load_count:
                    return
                queue = self.book.today_queue(data.today)
            except Exception as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="error")
                return
            self.app.call_from_thread(self.show_loaded, count, self.show_queue, queue)

        self.run_worker(read, thread=True, group="dashboard", name="load")

    def show_loaded(self, count: int, show: Any, loaded: Any) -> None:
        """`show(loaded)`: the figures or the queue load `count` read, unless a later load
        has begun or this dashboard has gone (the language switched and every place was
        built again while it read)."""
        if count != self.load_count or not self.is_attached:
            return
        try:
            show(loaded)
        except NoMatches:  # its widgets were being removed as the load ended
            return

    def show_queue(self, queue: list[Any]) -> None:
        from rich.text import Text

        self.queue = queue
        table = self.query_one("#today", DataTable)
        at = table.cursor_row
        amounts = [self.fmt(i.amount) if i.amount is not None else "" for i in queue]
        wide = max([0, *(len(a) for a in amounts)])
        bar = 2 if len(queue) > table.size.height else 0  # room for the scrollbar
        room = max(12, (table.size.width or 46) - wide - 5 - bar)
        table.clear(columns=True)
        table.add_column("item", width=room)
        table.add_column("amount", width=wide)
        for item, amount in zip(queue, amounts, strict=True):
            line = Text(item.title)
            line.append(f"  {item.detail}", style="dim")
            line.truncate(room, overflow="ellipsis")
            table.add_row(line, Text(amount, justify="right"))
        if 0 < at < table.row_count:
            table.move_cursor(row=at)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Act on a Today item where it stands; back here, the queue is read again."""
        if event.data_table.id != "today" or not 0 <= event.cursor_row < len(self.queue):
            return
        item = self.queue[event.cursor_row]
        if item.kind == "follow_up" and item.contact_id is not None:
            from smallbiz.screens.contacts import ContactScreen

            self.app.push_screen(ContactScreen(item.contact_id))
            self.notify(_("l logs the call and sets the next follow-up"))
        elif item.kind == "overdue_invoices":
            from smallbiz.screens.invoices import InvoicesScreen

            self.app.push_screen(InvoicesScreen(which="overdue"))
        elif item.kind in ("invoice", "bill"):
            from smallbiz.screens.invoices import InvoiceDialog

            self.app.push_screen(InvoiceDialog(item.ref))
        elif item.kind == "reorder":
            from smallbiz.screens.orders import OrderScreen

            self.app.push_screen(OrderScreen("purchase", product=item.ref))
        elif item.kind == "bank_line":
            from smallbiz.screens.bank import BankScreen

            account, line = item.ref
            self.app.push_screen(BankScreen(account, line))
        elif item.kind == "vat":
            from smallbiz.screens.reports import ReportsScreen

            this_month = self.data is not None and item.ref == self.data.today.strftime("%Y-%m")
            self.app.push_screen(ReportsScreen("vat", "this_month" if this_month
                                               else "last_month"))
        elif item.kind == "quote":
            from smallbiz.screens.quotes import QuoteDialog

            self.app.push_screen(QuoteDialog(item.ref), lambda _r: self.load())
        elif item.kind == "recurring":
            self._issue_recurring(item)

    def _issue_recurring(self, item: Any) -> None:
        """Issue the template's occurrences due (after asking), then read the queue
        again."""
        from smallbiz.screens.modals.confirm import ConfirmDialog

        day = self.data.today if self.data is not None else None

        def issued(run: Any) -> None:
            for label, why in run.failed:
                self.notify(_("recurring invoice {t}: {e}").format(t=label, e=why),
                            severity="error")
            if run.issued:
                self.notify(_("Issued {numbers}").format(
                    numbers=", ".join(i.invoice for i in run.issued)))
            self.load()

        def answer(yes: bool | None) -> None:
            if yes:
                self.write(self.book.run_recurring, until=day, template=item.ref,
                           done=issued)

        self.app.push_screen(ConfirmDialog(item.title + "?", item.detail), answer)

    def action_today(self) -> None:
        self.query_one("#today", DataTable).focus()

    def action_figures(self) -> None:
        """Into the figures (↑/↓ move, enter opens the list behind one)."""
        self.query_one(FigureRow).focus()

    def on_figure_row_opened(self, event: FigureRow.Opened) -> None:
        """The list behind a figure, on top of the dashboard: escape comes back to it, on
        the same figure."""
        place, options = FIGURE_LISTS[event.key]
        if place == "followups":
            from smallbiz.screens.contacts import FollowUpsScreen

            self.app.push_screen(FollowUpsScreen())
        elif place == "invoices":
            from smallbiz.screens.invoices import InvoicesScreen

            self.app.push_screen(InvoicesScreen(**options))
        elif place == "products":
            from smallbiz.screens.products import ProductsScreen

            self.app.push_screen(ProductsScreen(**options))
        elif place == "deals":
            from smallbiz.screens.deals import DealsScreen

            self.app.push_screen(DealsScreen())
        elif place == "bank":
            from smallbiz.screens.bank import BankScreen

            unmatched = [code for code, n in (self.data.bank_unmatched if self.data else [])
                         if n]
            self.app.push_screen(BankScreen(unmatched[0] if unmatched else None))

    def show(self, d: Dashboard) -> None:
        self.data = d
        fmt = self.fmt
        na = _("n/a")
        low = d.low_stock
        values = {
            "cash": fmt(d.cash_and_bank) + "".join(
                "  " + _("{code}: {n} unmatched").format(code=code, n=n)
                for code, n in d.bank_unmatched if n),
            "receivable": fmt(d.receivable),
            "overdue": fmt(d.receivable_overdue) if d.receivable_overdue is not None else na,
            "payable": fmt(d.payable),
            "stock": fmt(d.stock_value),
            "low": (str(len(low)) + (f"  {', '.join(low[:3])}" + (" …" if len(low) > 3 else "")
                                     if low else "")) if low is not None else na,
            "pipeline": fmt(d.weighted_pipeline) if d.weighted_pipeline is not None else na,
            "followups": str(d.followups_today) if d.followups_today is not None else na,
            "overdue_invoices": str(d.overdue_invoices) if d.overdue_invoices is not None
            else na,
        }
        self.figures = values
        for key, value in values.items():
            self.query_one(f"#fig-{key}", Static).update(value)
        warn = {"overdue": bool(d.receivable_overdue), "low": bool(low),
                "overdue_invoices": bool(d.overdue_invoices), "followups": bool(d.followups_today)}
        for key, on in warn.items():
            self.query_one(f"#row-{key}").set_class(on, "-alert")
        self.query_one("#dashboard-when", Label).update(
            _("{company} · {currency} · as of {day}").format(
                company=d.company, currency=d.currency, day=format_date(d.today)))
        chart = self.query_one("#sales-chart", Static)
        chart.update(sales_chart(d.sales_by_month, chart.size.width or 60, fmt))
        self.query_one("#dashboard-followups", Static).update(one_line_each(
            [f"{format_date(f.due)}  {f.contact}: {f.summary}" for f in d.next_followups]))
        reminders = [ngettext("{contact}: {n} invoice, {amount}, {days} days late",
                              "{contact}: {n} invoices, {amount}, {days} days late",
                              r.invoices).format(contact=r.contact, n=r.invoices,
                                                 amount=fmt(r.balance_due),
                                                 days=r.days_overdue)
                     for r in d.reminders]
        self.query_one("#dashboard-reminders", Static).update(Text(one_line_each(reminders)))
        self.query_one("#dashboard-reminders-title").display = bool(reminders)
        self.query_one("#dashboard-reminders").display = bool(reminders)
        recurring = self.query_one("#dashboard-recurring", Static)
        recurring.update(ngettext("{n} recurring invoice due (enter on it in Today issues it)",
                                  "{n} recurring invoices due (enter on one in Today "
                                  "issues it)", d.recurring_due or 0).format(
            n=d.recurring_due)
                         if d.recurring_due else "")
        recurring.display = bool(d.recurring_due)
        vat = self.query_one("#dashboard-vat", Static)
        vat.update(vat_line(d, fmt))
        vat.set_class(bool(d.vat_threshold) or bool(d.vat_due and d.vat_due.days_left <= 5),
                      "-alert")
