"""Reports: trial balance, P&L, balance sheet, aging, VAT, stock, forecast — with a
period picker. The core computes every figure; this screen only lays them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.dates import format_date, month_start, next_month, year_start
from smallbiz.errors import UserError
from smallbiz.i18n import N_, _, translate_choices
from smallbiz.screens.base import BookScreen, plain
from smallbiz.screens.widgets.date_input import DateInput, typed_date
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar


@dataclass
class Report:
    title: str
    columns: list[str]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    right: set[int] = field(default_factory=set)  # right-aligned column indexes
    note: str = ""
    #: What enter on a row opens: row index -> ("account", code) or ("contact", name).
    opens: dict[int, tuple[str, str]] = field(default_factory=dict)

    def link_accounts(self) -> Report:
        """Rows with an account code open that account's ledger."""
        self.opens.update({i: ("account", row[0]) for i, row in enumerate(self.rows)
                           if row and row[0]})
        return self


def _tb(book: Book, start: dt.date | None, end: dt.date) -> Report:
    tb = book.trial_balance(end)
    f = book.format
    rep = Report(_("Trial balance as of {d}").format(d=format_date(end)),
                 [_("Code"), _("Account"), _("Type"), _("Debit"), _("Credit")], right={3, 4})
    for r in tb.rows:
        rep.rows.append((r.code, r.name, _(r.type), f(r.balance) if r.balance > 0 else "",
                         f(-r.balance) if r.balance < 0 else ""))
    rep.rows.append(("", _("Total"), "", f(tb.total_debit), f(tb.total_credit)))
    return rep.link_accounts()


def _pl(book: Book, start: dt.date | None, end: dt.date) -> Report:
    pl = book.profit_and_loss(start, end)
    f = book.format
    rep = Report(_("Profit and loss {a} to {b}").format(a=format_date(pl.start),
                                                        b=format_date(pl.end)),
                 [_("Code"), _("Account"), _("Amount")], right={2})
    rep.rows.append(("", _("Income"), ""))
    rep.rows += [(r.code, r.name, f(-r.balance)) for r in pl.income]
    rep.rows.append(("", _("Total income"), f(pl.total_income)))
    rep.rows.append(("", _("Expenses"), ""))
    rep.rows += [(r.code, r.name, f(r.balance)) for r in pl.expenses]
    rep.rows.append(("", _("Total expenses"), f(pl.total_expenses)))
    rep.rows.append(("", _("Net income"), f(pl.net_income)))
    return rep.link_accounts()


def _bs(book: Book, start: dt.date | None, end: dt.date) -> Report:
    bs = book.balance_sheet(end)
    f = book.format
    rep = Report(_("Balance sheet as of {d}").format(d=format_date(end)),
                 [_("Code"), _("Account"), _("Amount")], right={2})
    for label, rows, sign, total in (
            (_("Assets"), bs.assets, 1, bs.total_assets),
            (_("Liabilities"), bs.liabilities, -1, bs.total_liabilities),
            (_("Equity"), bs.equity, -1, bs.total_equity)):
        rep.rows.append(("", label, ""))
        rep.rows += [(r.code, r.name, f(sign * r.balance)) for r in rows]
        rep.rows.append(("", _("Total {what}").format(what=label.lower()), f(total)))
    rep.rows.append(("", _("Liabilities + equity"), f(bs.total_liabilities + bs.total_equity)))
    if not bs.balanced:
        rep.note = _("The balance sheet does not balance: run 'smallbiz check'")
    return rep.link_accounts()


def _aging(book: Book, start: dt.date | None, end: dt.date, payables: bool = False) -> Report:
    from smallbiz.orders.reports import BUCKET_TITLES, BUCKETS

    ag = book.aging(payables=payables, as_of=end)
    f = book.format
    title = _("Payables aging as of {date}") if payables else _("Receivables aging as of "
                                                                 "{date}")
    # the unapplied credit, negative, when someone has any: each row adds up to its total
    credit = [_("Credit")] if ag.credit else []
    rep = Report(title.format(date=format_date(end)),
                 [_("Contact"), _("Docs"), *[_(BUCKET_TITLES[b]) for b in BUCKETS], *credit,
                  _("Total")],
                 right=set(range(1, len(BUCKETS) + 3 + len(credit))))
    for r in ag.rows:
        rep.opens[len(rep.rows)] = ("contact", r.contact)
        rep.rows.append((r.contact, str(r.documents), *[f(r.buckets[b]) for b in BUCKETS],
                         *([f(-r.credit)] if credit else []), f(r.total)))
    rep.rows.append((_("Total"), "", *[f(ag.totals[b]) for b in BUCKETS],
                     *([f(-ag.credit)] if credit else []), f(ag.total)))
    rep.note = _("Buckets are days past the due date.")
    return rep


def _vat(book: Book, start: dt.date | None, end: dt.date) -> Report:
    vr = book.vat_report(start or year_start(end), end)
    f = book.format
    rep = Report(_("VAT {a} to {b}").format(a=format_date(vr.start), b=format_date(vr.end)),
                 [_("Side"), _("Rate %"), _("Net"), _("VAT")], right={1, 2, 3})
    for side, rows in ((_("Output (sales)"), vr.output), (_("Input (purchases)"), vr.input)):
        for r in rows:
            rep.rows.append((side, plain(r.rate), f(r.net), f(r.vat)))
    rep.rows.append((_("Output VAT"), "", "", f(vr.output_vat)))
    rep.rows.append((_("Input VAT"), "", "", f(vr.input_vat)))
    rep.rows.append((_(vr.net_label), "", "", f(abs(vr.net_vat))))
    return rep


def _stock(book: Book, start: dt.date | None, end: dt.date) -> Report:
    from smallbiz.money import format_quantity
    from smallbiz.screens.products import unit_cost

    rows = book.stock_report()
    f = book.format
    rep = Report(_("Stock now (valued at moving average cost)"),
                 [_("SKU"), _("Name"), _("On hand"), _("Unit"), _("Avg cost"), _("Value"),
                  _("Reorder"), ""], right={2, 4, 5, 6})
    for r in rows:
        rep.rows.append((r.sku, r.name, format_quantity(r.on_hand), r.unit,
                         unit_cost(r.average_cost),
                         f(r.value), format_quantity(r.reorder_level)
                         if r.reorder_level is not None else "",
                         _("reorder") if r.below_reorder else ""))
    rep.rows.append(("", _("Total"), "", "", "", f(sum((r.value for r in rows), Decimal(0))),
                     "", ""))
    return rep


def _forecast(book: Book, start: dt.date | None, end: dt.date) -> Report:
    fc = book.forecast(start, end)
    f = book.format
    rep = Report(_("Sales forecast: open deals by expected close"),
                 [_("Month"), _("Deals"), _("Value"), _("Weighted")], right={1, 2, 3})
    for m in fc.months:
        rep.rows.append((m.month or _("no date"), str(m.count), f(m.value), f(m.weighted)))
    rep.rows.append((_("Open pipeline"), str(fc.open_count), f(fc.open_value),
                     f(fc.weighted_value)))
    rep.rows.append((_("Won"), str(fc.won_count), f(fc.won_value), ""))
    rep.rows.append((_("Lost"), str(fc.lost_count), f(fc.lost_value), ""))
    return rep


#: A text column is never narrowed below this (it is cut with an ellipsis).
MIN_TEXT = 8


def fit_widths(report: Report, room: int) -> list[int]:
    """Column widths for `room` cells: each as wide as its content; when that is too wide,
    the text columns (names, labels) give way, widest first, down to MIN_TEXT — figures
    (right-aligned columns) are never cut."""
    from rich.cells import cell_len

    widths = [max([cell_len(c), *(cell_len(row[i]) for row in report.rows if i < len(row))])
              for i, c in enumerate(report.columns)]
    over = sum(widths) + 2 * len(widths) - room  # a cell's padding: one each side
    while over > 0:
        text = [i for i in range(len(widths)) if i not in report.right and widths[i] > MIN_TEXT]
        if not text:
            break
        widest = max(text, key=lambda i: widths[i])
        cut = min(over, widths[widest] - MIN_TEXT)
        widths[widest] -= cut
        over -= cut
    return widths


def _accounts(book: Book, start: dt.date | None, end: dt.date) -> Report:
    """The chart of accounts (`account list`): each account's type, parent and the
    currency a bank or cash account is kept in (empty: the book's)."""
    rep = Report(_("Chart of accounts"),
                 [_("Code"), _("Account"), _("Type"), _("Parent"), _("Currency")])
    rep.rows += [(a.code, a.name, _(a.type), a.parent_code or "", a.currency or "")
                 for a in book.accounts()]
    return rep.link_accounts()


ReportFn = Callable[[Book, "dt.date | None", dt.date], Report]

REPORTS: list[tuple[str, str, bool]] = [
    # (id, title, uses a period (True) or an as-of date (False))
    ("tb", N_("Trial balance"), False),
    ("pl", N_("Profit and loss"), True),
    ("bs", N_("Balance sheet"), False),
    ("aging", N_("Receivable aging"), False),
    ("aging_payables", N_("Payable aging"), False),
    ("vat", N_("VAT"), True),
    ("stock", N_("Stock"), False),
    ("forecast", N_("Forecast"), True),
    ("accounts", N_("Accounts"), False),  # the chart of accounts
]


def report_functions() -> dict[str, ReportFn]:
    return {"tb": _tb, "pl": _pl, "bs": _bs, "aging": _aging,
            "aging_payables": lambda b, s, e: _aging(b, s, e, payables=True), "vat": _vat,
            "stock": _stock, "forecast": _forecast, "accounts": _accounts}


def period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if preset == "this_month":
        return month_start(today), today
    if preset == "last_month":
        last = month_start(today) - dt.timedelta(days=1)
        return month_start(last), last
    if preset == "this_quarter":
        return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if preset == "last_quarter":
        first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = first - dt.timedelta(days=1)
        return dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end
    if preset == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if preset == "next_12_months":
        return month_start(today), next_month(today.replace(year=today.year + 1)) - \
            dt.timedelta(days=1)
    return year_start(today), today


PRESETS = [
    (N_("This month"), "this_month"), (N_("Last month"), "last_month"),
    (N_("This quarter"), "this_quarter"), (N_("Last quarter"), "last_quarter"),
    (N_("This year"), "this_year"), (N_("Last year"), "last_year"),
    (N_("Next 12 months"), "next_12_months"),
]


class ReportsScreen(BookScreen):
    PLACE_TITLE = N_("Reports")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "refresh", N_("Refresh"), priority=True, id="reports.refresh"),
        Binding("ctrl+o", "focus_period", N_("Period"), priority=True, id="reports.period"),
        Binding("ctrl+l", "list", N_("Reports"), priority=True, id="reports.list"),
    ]

    def __init__(self, report: str = "tb", preset: str = "this_year") -> None:
        """`report` and `preset`: what it opens on (the Today queue's VAT return opens the
        VAT report for last or this month)."""
        super().__init__()
        self.current = report
        self.preset = preset
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(id="reports"):
            yield OptionList(*[Option(_(title), id=key) for key, title, _p in REPORTS],
                             id="report-list")
            with Vertical(id="report-body"):
                with Horizontal(classes="form-row"):
                    start, end = period(self.preset, dates.today())
                    yield Select(translate_choices(PRESETS), value=self.preset,
                                 allow_blank=False, id="report-preset")
                    yield Label(_("From"), classes="field-label-inline")
                    yield DateInput(start, id="report-from", field=_("from"))
                    yield Label(_("To"), classes="field-label-inline")
                    yield DateInput(end, id="report-to", field=_("to"))
                yield Label("", id="report-title", classes="panel-title")
                yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="report-note")
        yield AppFooter()

    def on_mount(self) -> None:
        keys = [k for k, _t, _p in REPORTS]
        self.query_one("#report-list", OptionList).highlighted = (
            keys.index(self.current) if self.current in keys else 0)
        self.query_one("#report-list", OptionList).focus()
        self.action_refresh()

    def book_changed(self) -> None:
        self.action_refresh()

    def action_show(self, key: str) -> None:
        keys = [k for k, _t, _p in REPORTS]
        if key in keys:
            self.query_one("#report-list", OptionList).highlighted = keys.index(key)
        self.current = key
        self.action_refresh()

    def action_focus_period(self) -> None:
        self.query_one("#report-preset", Select).focus()

    @on(OptionList.OptionHighlighted, "#report-list")
    def _picked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.current:
            self.current = event.option.id
            self.action_refresh()

    @on(DataTable.RowSelected, "#report-table")
    async def _open_row(self, event: DataTable.RowSelected) -> None:
        """Follow the figure: an account's ledger for the report's period, or the
        contact's open documents (escape comes back to this row)."""
        report = self.report
        target = report.opens.get(event.cursor_row) if report else None
        if target is None:
            return
        kind, ref = target
        if kind == "account":
            from smallbiz.screens.journal import LedgerScreen

            start = typed_date(self.query_one("#report-from", DateInput))
            end = typed_date(self.query_one("#report-to", DateInput)) or dates.today()
            uses_period = {k: p for k, _t, p in REPORTS}.get(self.current, False)
            await self.app.push_screen(LedgerScreen(ref, start if uses_period else None, end))
        else:
            contact = self.attempt(self.book.contact_360, ref)
            if contact is not None:
                from smallbiz.screens.contacts import ContactScreen

                await self.app.push_screen(ContactScreen(contact.id))

    @on(OptionList.OptionSelected, "#report-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#report-table", DataTable).focus()

    @on(Select.Changed, "#report-preset")
    def _preset(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        start, end = period(str(event.value), dates.today())
        dates_in = (self.query_one("#report-from", Input), self.query_one("#report-to", Input))
        shown = (dates.format_date(start), dates.format_date(end))
        if (dates_in[0].value, dates_in[1].value) == shown:
            return  # the preset the screen opened with (Select posts it on mount): no change
        dates_in[0].value, dates_in[1].value = shown
        self.action_refresh()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_refresh()

    def action_refresh(self) -> None:
        try:
            start = typed_date(self.query_one("#report-from", DateInput))
            end = typed_date(self.query_one("#report-to", DateInput)) or dates.today()
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        self.compute(self.current, start, end)

    @work(thread=True, exclusive=True, group="report")
    def compute(self, key: str, start: dt.date | None, end: dt.date) -> None:
        fn = report_functions().get(key)
        try:
            if fn is None:
                raise UserError(_("this report is not available in this version"))
            report = fn(self.book, start, end)
        except (UserError, ImportError) as exc:
            report = Report(dict((k, _(t)) for k, t, _p in REPORTS).get(key, key), [""],
                            note=getattr(exc, "message", None) or str(exc))
        except Exception as exc:  # a bug: say so, keep the app alive
            report = Report(key, [""], note=f"{type(exc).__name__}: {exc}")
        self.deliver(self.show, report)

    def show(self, report: Report) -> None:
        same = self.report is not None and self.report.title == report.title
        self.report = report
        # Titles, notes and cells hold user text (names, memos, an error's message): shown
        # as plain Text, never read as markup (a DataTable reads a str cell as markup).
        self.query_one("#report-title", Label).update(Text(report.title))
        self.query_one("#report-note", Static).update(Text(report.note))
        table = self.query_one("#report-table", DataTable)
        keep_row = table.cursor_row if same else 0
        table.clear(columns=True)
        # Widths from the content, given: DataTable measures new rows when it is next idle,
        # and a second report arriving before that left columns as narrow as their titles.
        widths = fit_widths(report, self.table_room())
        for i, c in enumerate(report.columns):
            table.add_column(Text(c, justify="right") if i in report.right else c, key=str(i),
                             width=widths[i])
        for row in report.rows:
            table.add_row(*[Text(c, justify="right" if i in report.right else "left")
                            for i, c in enumerate(row)])
        if 0 < keep_row < table.row_count:
            table.move_cursor(row=keep_row)  # refreshed after a write: stay on the row

    #: Below this width the list of reports steps aside while a report is read.
    NARROW = 110

    def table_room(self) -> int:
        """Columns the report table has (the screen's width when the list steps aside)."""
        width = self.size.width or self.app.size.width
        if not self.has_class("-reading"):
            width -= self.query_one("#report-list").outer_size.width or 20
        return max(20, width - 2)  # the vertical scrollbar

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")

    def on_descendant_focus(self, event: Any) -> None:
        reading = self.app.size.width < self.NARROW and event.widget.id == "report-table"
        if reading != self.has_class("-reading"):
            self.set_class(reading, "-reading")
            if self.report is not None:
                self.call_after_refresh(self.show, self.report)

    def action_list(self) -> None:
        """Back to the list of reports (it steps aside on a narrow screen)."""
        self.set_class(False, "-reading")
        self.query_one("#report-list", OptionList).focus()

    def rows(self) -> list[tuple[str, ...]]:
        """What the table shows (tests read it)."""
        return list(self.report.rows) if self.report else []
