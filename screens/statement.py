"""A contact's statement (issue 17): the period's lines with the running balance, what
is open and its aging; reached from the contact's 360 view with `t`."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from smallbiz.dates import format_date
from smallbiz.i18n import _
from smallbiz.screens.base import BookScreen
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar


class StatementScreen(BookScreen):
    """The statement of one contact, from 1 January to today."""

    PLACE_TITLE = _("Statement")
    DEFAULT_CSS = """
    StatementScreen #statement-lines { height: 1fr; }
    StatementScreen #statement-open { height: auto; max-height: 10; }
    StatementScreen #statement-summary { padding: 0 1; }
    """
    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.statement: Any = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Label("", id="statement-title", classes="panel-title")
        yield Static("", id="statement-summary")
        lines: DataTable[Any] = DataTable(id="statement-lines", cursor_type="row",
                                          zebra_stripes=True)
        lines.add_columns(_("Date"), _("Reference"), _("Description"), _("Amount"),
                          _("Balance"))
        yield lines
        items: DataTable[Any] = DataTable(id="statement-open", cursor_type="row")
        items.add_columns(_("Open"), _("Date"), _("Due"), _("Days overdue"), _("Balance due"))
        yield items
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="statement")
    def load(self) -> None:
        try:
            st = self.book.statement(self.contact_id)
        except Exception as exc:
            self.deliver(self.notify, str(exc), severity="error")
            return
        self.deliver(self.show, st)

    def show(self, st: Any) -> None:
        self.statement = st
        f = self.fmt
        self.query_one("#statement-title", Label).update(escape(
            _("{contact}, {start} to {end}").format(contact=st.contact,
                                                    start=format_date(st.start),
                                                    end=format_date(st.end))))
        from smallbiz.orders.reports import BUCKET_TITLES

        aging = "  ".join(f"{_(BUCKET_TITLES.get(b, b))} {f(v)}" for b, v in st.aging.items())
        self.query_one("#statement-summary", Static).update(escape("\n".join([
            _("Opening {o}  ·  closing {c}  ·  credit {k}").format(
                o=f(st.opening), c=f(st.closing), k=f(st.unapplied_credit)),
            _("Aging: {a}").format(a=aging)])))
        lines = self.query_one("#statement-lines", DataTable)
        lines.clear()
        lines.add_row(format_date(st.start), "", _("Opening balance"), "", f(st.opening))
        for ln in st.lines:
            lines.add_row(format_date(ln.date), ln.reference, escape(ln.description),
                          f(ln.amount), f(ln.balance))
        lines.add_row(format_date(st.end), "", _("Closing balance"), "", f(st.closing))
        items = self.query_one("#statement-open", DataTable)
        items.clear()
        for i in st.open_items:
            items.add_row(i.number, format_date(i.date), format_date(i.due_date),
                          str(i.days_overdue), f(i.balance_due))
