"""Journal: the list of entries (virtual: a million rows open like ten), the fast entry
form, one entry's postings, reversing, and an account's ledger with running balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from smallbiz import dates
from smallbiz.app.book import Book, JournalLine
from smallbiz.dates import format_date, parse_optional_date
from smallbiz.errors import UserError, ValidationError
from smallbiz.i18n import N_, _
from smallbiz.screens.base import BookScreen
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.completing_input import CompletingInput
from smallbiz.screens.widgets.date_input import DateInput, typed_date
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar
from smallbiz.screens.widgets.virtual_table import Column, FuncSource, ListSource, Row, VirtualTable


def account_completer(book: Book) -> Any:
    def complete(text: str) -> list[str]:
        return [f"{a.code} {a.name}" for a in book.account_matches(text)]

    return complete


def entries_source(book: Book) -> FuncSource:
    def page(offset: int, limit: int, after: Any) -> list[Row]:
        return [Row((e.date, e.id), (e.number, format_date(e.date), e.memo, e.source,
                                     book.format(e.total)),
                    style="muted" if e.source == "reversal" else "", data=e.number)
                for e in book.entries_page(offset, limit, after)]

    return FuncSource(book.entries_count, page)


class JournalScreen(BookScreen):
    PLACE_TITLE = N_("Journal")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New entry"), id="journal.new"),
        Binding("r", "reverse", N_("Reverse"), id="journal.reverse"),
        Binding("l", "ledger", N_("Ledger"), id="journal.ledger"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield VirtualTable(
            [Column(_("Number"), 13), Column(_("Date"), 10), Column(_("Memo"), min_width=16),
             Column(_("Source"), 10, optional=True), Column(_("Total"), 16, "right")],
            entries_source(self.book), empty=_("No entries yet — press n to add one"),
            start_at_end=True, id="entries")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#entries", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()

    def refresh_entries(self) -> None:
        self.table.reload()

    def book_changed(self) -> None:
        self.table.reload(keep_cursor=True)

    def action_new(self) -> None:
        self.app.push_screen(JournalEntryForm(), self._posted)

    def _posted(self, number: str | None) -> None:
        if number:
            self.refresh_entries()

    @on(VirtualTable.Selected, "#entries")
    def open_entry(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(EntryDialog(event.row.data), self._posted)

    def action_reverse(self) -> None:
        row = self.table.current_row
        if row is None:
            self.notify(_("No entry highlighted"), severity="warning")
            return
        ask_reverse(self, row.data, self._posted)

    def action_ledger(self) -> None:
        self.app.push_screen(LedgerScreen())


def ask_reverse(screen: BookScreen, number: str, done: Any) -> None:
    """Ask for the reversal's date (today, or the entry's own date when that is later),
    then post it."""
    book = screen.book
    try:
        default = max(dates.today(), book.show_entry(number).date)
    except UserError:
        default = dates.today()

    def reverse(values: dict[str, str]) -> str:
        on = parse_optional_date(values["date"], field="date")
        from smallbiz.screens.orders import warn_overdrawn

        entry = book.reverse_entry(number, on)
        warn_overdrawn(screen.app, book, [p.account_code for p in entry.postings])
        screen.notify(_("Posted {rev}, reversing {number}").format(rev=entry.number,
                                                                 number=number))
        return entry.number

    screen.app.push_screen(FormDialog(
        _("Reverse {number}").format(number=number),
        [FormField("date", _("Date of the reversal"), value=default.isoformat(), date=True)],
        reverse, note=_("Posts the mirror image of {number}; the entry itself stays.").format(
            number=number)), done)


class EntryDialog(ModalScreen[str | None]):
    """One entry and its postings; `r` reverses it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="entry.close"),
        Binding("r", "reverse", N_("Reverse"), id="entry.reverse"),
        Binding("o", "source", N_("Open source"), id="entry.source"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.entry: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(self.number, classes="dialog-title", id="entry-title")
            yield DataTable(id="postings", cursor_type="row")
            yield Static(_("o open its source · r reverse · esc close"), classes="dialog-keys")

    def on_mount(self) -> None:
        book: Book = self.app.book  # type: ignore[attr-defined]
        try:
            e = book.show_entry(self.number)
        except UserError as exc:
            self.notify(exc.message, severity="error")
            self.dismiss(None)
            return
        self.entry = e
        title = f"{e.number}  {format_date(e.date)}  {e.memo}"
        if e.reverses:
            title += "  " + _("(reverses {n})").format(n=e.reverses)
        if e.reversed_by:
            title += "  " + _("(reversed by {n})").format(n=e.reversed_by)
        marks = {"*": _("cleared"), "!": _("pending")}
        if e.date2:
            title += "  " + _("(date2 {d})").format(d=e.date2)
        if e.status:
            title += f"  [{marks[e.status]}]"
        if e.code:
            title += "  " + _("(code {c})").format(c=e.code)
        if e.comment:
            title += "  ; " + " · ".join(line for line in e.comment.split("\n") if line)
        self.query_one("#entry-title", Label).update(Text(title))  # no markup in file text
        table = self.query_one(DataTable)
        carried = any(p.status for p in e.postings)
        table.add_columns(_("Account"), _("Name"), _("Debit"), _("Credit"), _("Memo"),
                          *((_("Status"),) if carried else ()))
        for p in e.postings:
            memo = " · ".join(p.comment.split("\n")) if p.comment else p.memo
            table.add_row(p.account_code, p.account_name,
                          book.format(p.amount) if p.amount > 0 else "",
                          book.format(-p.amount) if p.amount < 0 else "", memo,
                          *((marks.get(p.status or "", ""),) if carried else ()))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_source(self) -> None:
        """The document the entry was posted for: the invoice or bill, the payment's
        contact, the entry it reverses (escape comes back here)."""
        e = self.entry
        if e is None:
            return
        book = self.book
        try:
            if e.source in ("invoice", "bill") and e.source_id is not None:
                from smallbiz.screens.invoices import InvoiceDialog

                self.app.push_screen(InvoiceDialog(book.invoice(e.source_id).number))
                return
            if e.source == "payment" and e.source_id is not None:
                payment = book.payment(e.source_id)
                if len(payment.allocations) == 1:
                    from smallbiz.screens.invoices import InvoiceDialog

                    self.app.push_screen(InvoiceDialog(payment.allocations[0].invoice))
                else:
                    from smallbiz.screens.contacts import ContactScreen

                    self.app.push_screen(ContactScreen(payment.contact_id))
                return
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        if e.reverses:
            self.app.push_screen(EntryDialog(e.reverses))
            return
        self.notify(_("{n} has no source document (it was posted as {s})").format(
            n=e.number, s=e.source), severity="warning")

    def action_reverse(self) -> None:
        ask_reverse(self, self.number, self._reversed)  # type: ignore[arg-type]

    def _reversed(self, number: str | None) -> None:
        if number:
            self.dismiss(number)

    @property
    def book(self) -> Book:
        return self.app.book  # type: ignore[attr-defined,no-any-return]


class JournalLineRow(Horizontal):
    """Account, debit, credit — one posting of the entry form."""

    def __init__(self, book: Book, index: int) -> None:
        super().__init__(classes="journal-line")
        self.book = book
        self.index = index

    def compose(self) -> ComposeResult:
        yield Label(f"{self.index}", classes="line-no")
        yield CompletingInput(account_completer(self.book), placeholder=_("account"),
                              classes="line-account")
        yield Input(placeholder=_("debit"), classes="line-debit amount")
        yield Input(placeholder=_("credit"), classes="line-credit amount")

    @property
    def account(self) -> Input:
        return self.query_one(".line-account", Input)

    @property
    def debit(self) -> Input:
        return self.query_one(".line-debit", Input)

    @property
    def credit(self) -> Input:
        return self.query_one(".line-credit", Input)

    def is_blank(self) -> bool:
        return not (self.account.value.strip() or self.debit.value.strip()
                    or self.credit.value.strip())


class JournalEntryForm(BookScreen):
    """Date, memo, then account/debit/credit rows. The difference shows as you type;
    ctrl+s posts only a balanced entry and otherwise says why."""

    PLACE_TITLE = N_("New journal entry")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Post"), priority=True, id="entry_form.save"),
        Binding("ctrl+n", "add_line", N_("Add line"), priority=True, id="entry_form.add_line"),
        Binding("ctrl+d", "remove_line", N_("Remove line"), priority=True,
                id="entry_form.remove_line"),
        Binding("ctrl+b", "balance_line", N_("Balance here"), priority=True,
                id="entry_form.balance_line"),
        Binding("escape", "cancel", N_("Cancel"), id="entry_form.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._lines = 0
        self.saving = False  # a post is waiting for the book

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Vertical(id="entry-form"):
            with Horizontal(classes="form-row"):
                yield Label(_("Date"), classes="field-label-inline")
                yield DateInput(dates.today(), id="entry-date", classes="")
                yield Label(_("Memo"), classes="field-label-inline")
                yield Input(placeholder=_("what the entry is for"), id="entry-memo")
            yield Static("", classes="field-error", id="entry-date-error")
            with Horizontal(classes="journal-head"):
                yield Label("#", classes="line-no")
                yield Label(_("Account"), classes="line-account-head")
                yield Label(_("Debit"), classes="amount-head")
                yield Label(_("Credit"), classes="amount-head")
            with VerticalScroll(id="entry-lines", can_focus=False):
                yield self._new_line()
                yield self._new_line()
            yield Static("", id="entry-status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#entry-memo", Input).focus()
        self.update_status()

    def _new_line(self) -> JournalLineRow:
        self._lines += 1
        return JournalLineRow(self.book, self._lines)

    async def add_line(self) -> JournalLineRow:
        row = self._new_line()
        await self.query_one("#entry-lines", VerticalScroll).mount(row)
        return row

    @property
    def lines(self) -> list[JournalLineRow]:
        return list(self.query(JournalLineRow))

    def _focused_line(self) -> JournalLineRow | None:
        node = self.focused
        while node is not None and not isinstance(node, JournalLineRow):
            node = node.parent  # type: ignore[assignment]
        return node

    async def action_add_line(self) -> None:
        row = await self.add_line()
        row.account.focus()
        row.scroll_visible()

    def action_remove_line(self) -> None:
        row = self._focused_line()
        if row is None or len(self.lines) <= 2:
            self.notify(_("An entry keeps at least two lines"), severity="warning")
            return
        rows = self.lines
        i = rows.index(row)
        row.remove()
        nxt = rows[i + 1] if i + 1 < len(rows) else rows[i - 1]
        self.call_after_refresh(nxt.account.focus)
        self.call_after_refresh(self.update_status)

    # -- live totals ----------------------------------------------------------------------------
    def _amount(self, widget: Input, label: str) -> Decimal:
        text = widget.value.strip()
        if not text:
            widget.remove_class("-invalid")
            return Decimal(0)
        try:
            value = self.book.parse_amount(text, field=label)
        except ValidationError:
            widget.add_class("-invalid")
            raise
        if value < 0:
            widget.add_class("-invalid")
            raise ValidationError(_("{field}: enter a positive amount (use the other column)")
                                  .format(field=label), field=label)
        widget.remove_class("-invalid")
        return value

    def totals(self) -> tuple[Decimal, Decimal, list[str]]:
        """Debits, credits, and the problems with what is typed so far."""
        debit = credit = Decimal(0)
        problems: list[str] = []
        for n, row in enumerate(self.lines, start=1):
            for widget, kind in ((row.debit, _("debit")), (row.credit, _("credit"))):
                try:
                    value = self._amount(widget, _("line {n} {kind}").format(n=n, kind=kind))
                except ValidationError as exc:
                    problems.append(exc.message)
                    continue
                if kind == _("debit"):
                    debit += value
                else:
                    credit += value
        return debit, credit, problems

    def update_status(self) -> None:
        debit, credit, problems = self.totals()
        diff = debit - credit
        fmt = self.fmt
        status = self.query_one("#entry-status", Static)
        text = _("Debits {d} · Credits {c}").format(d=fmt(debit), c=fmt(credit))
        if problems:
            text += " — " + problems[0]
        elif diff == 0 and debit:
            text += " — " + _("balanced")
        elif diff > 0:
            text += " — " + _("difference {x}: credits are short").format(x=fmt(diff))
        elif diff < 0:
            text += " — " + _("difference {x}: debits are short").format(x=fmt(-diff))
        status.update(text)
        status.set_class(bool(problems) or diff != 0, "-unbalanced")
        status.set_class(not problems and diff == 0 and bool(debit), "-balanced")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "entry-date":
            self._check_date()
        else:
            self.update_status()

    def _check_date(self) -> dt.date | None:
        widget = self.query_one("#entry-date", DateInput)
        error = self.query_one("#entry-date-error", Static)
        try:
            value = widget.date()
        except ValidationError as exc:
            widget.add_class("-invalid")
            error.update(exc.message)
            return None
        widget.remove_class("-invalid")
        error.update("")
        return value

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        rows = self.lines
        if rows and event.input in (rows[-1].debit, rows[-1].credit) and not rows[-1].is_blank():
            debit, credit, problems = self.totals()
            if debit != credit and not problems:
                await self.action_add_line()
                return
        self.focus_next()

    def action_balance_line(self) -> None:
        """Put the amount that balances the entry into the focused line."""
        row = self._focused_line()
        if row is None:
            return
        row.debit.value = ""
        row.credit.value = ""
        debit, credit, problems = self.totals()
        if problems:
            self.notify(problems[0], severity="error")
            return
        diff = debit - credit
        if diff > 0:
            row.credit.value = self.book.format(diff, grouping=False)
        elif diff < 0:
            row.debit.value = self.book.format(-diff, grouping=False)

    # -- save ----------------------------------------------------------------------------------
    def action_save(self) -> None:
        on_date = self._check_date()
        debit, credit, problems = self.totals()
        status = self.query_one("#entry-status", Static)
        if on_date is None:
            self.refuse(_("Not posted: the date is not valid"))
            return
        if problems:
            self.refuse(_("Not posted: {problem}").format(problem=problems[0]))
            return
        if debit != credit:
            self.refuse(_("Not posted: the entry does not balance — debits {d}, credits {c}, "
                          "difference {x}").format(d=self.fmt(debit), c=self.fmt(credit),
                                                   x=self.fmt(abs(debit - credit))))
            return
        used = [row for row in self.lines if not row.is_blank()]
        lines = [JournalLine(row.account.value, self._amount(row.debit, "debit"),
                             self._amount(row.credit, "credit")) for row in used]
        lines = [JournalLine(self.book.account_ref(line.account), line.debit, line.credit)
                 for line in lines]
        memo = self.query_one("#entry-memo", Input).value
        if self.saving:
            return
        self.saving = True

        def posted(entry: Any) -> None:
            self.saving = False
            status.update(_("Posted {number}").format(number=entry.number))
            self.notify(_("Posted {number}").format(number=entry.number))
            self.dismiss(entry.number)

        def failed(exc: UserError) -> None:
            self.saving = False
            self.refuse(exc.message)
            self._focus_error(exc.field, used)

        def post() -> Any:
            """The entry, then a warning for a bank or cash account it left below zero
            (as a payment's form warns), both in the write's worker."""
            from smallbiz.screens.orders import warn_overdrawn

            entry = self.book.post_journal_entry(on_date, memo, lines)
            warn_overdrawn(self.app, self.book, [p.account_code for p in entry.postings])
            return entry

        self.write(post, done=posted, failed=failed)

    def refuse(self, message: str) -> None:
        status = self.query_one("#entry-status", Static)
        status.update(message)
        status.add_class("-unbalanced")
        self.notify(message, severity="error", timeout=8)

    def _focus_error(self, field: str | None, used: list[JournalLineRow]) -> None:
        if not field:
            return
        if field == "date":
            self.query_one("#entry-date", Input).focus()
        elif field.startswith("posting "):
            n = field.removeprefix("posting ").strip()
            if n.isdigit() and 0 < int(n) <= len(used):
                used[int(n) - 1].account.focus()

    def has_unsaved(self) -> bool:
        memo = self.query_one("#entry-memo", Input).value.strip()
        return bool(memo) or any(not row.is_blank() for row in self.lines)

    def action_cancel(self) -> None:
        if self.has_unsaved():
            def answer(yes: bool | None) -> None:
                if yes:
                    self.dismiss(None)

            self.app.push_screen(ConfirmDialog(_("Discard this entry?"),
                                               _("Nothing has been posted.")), answer)
        else:
            self.dismiss(None)


class LedgerScreen(BookScreen):
    """One account's postings in a period, with the running balance."""

    PLACE_TITLE = N_("Account ledger")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "load", N_("Show"), priority=True, id="ledger.show"),
    ]

    def __init__(self, account: str = "", start: dt.date | None = None,
                 end: dt.date | None = None) -> None:
        super().__init__()
        self.account = account
        self.start = start if account else dates.today().replace(month=1, day=1)
        self.end = end or dates.today()

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(classes="form-row"):
            yield Label(_("Account"), classes="field-label-inline")
            yield CompletingInput(account_completer(self.book), value=self.account,
                                  placeholder=_("code or name"), id="ledger-account")
            yield Label(_("From"), classes="field-label-inline")
            yield DateInput(self.start or "", id="ledger-from", field=_("from"))
            yield Label(_("To"), classes="field-label-inline")
            yield DateInput(self.end, id="ledger-to", field=_("to"))
        yield Static("", id="ledger-summary")
        yield VirtualTable([Column(_("Date"), 10), Column(_("Entry"), 13), Column(_("Memo")),
                            Column(_("Amount"), 15, "right"), Column(_("Balance"), 15, "right")],
                           ListSource([]), empty=_("Choose an account and press enter"),
                           id="ledger-lines")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#ledger-account", Input).focus()
        if self.account:
            self.action_load()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_load()

    def book_changed(self) -> None:
        if self.query_one("#ledger-lines", VirtualTable).row_count:
            self._refocus = False
            self.action_load()

    _refocus = True

    def action_load(self) -> None:
        account = self.book.account_ref(self.query_one("#ledger-account", Input).value)
        try:
            start = typed_date(self.query_one("#ledger-from", DateInput))
            end = typed_date(self.query_one("#ledger-to", DateInput))
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        if not account:
            self.notify(_("Choose an account"), severity="warning")
            return
        self.load(account, start, end)

    @work(thread=True, exclusive=True, group="ledger")
    def load(self, account: str, start: dt.date | None, end: dt.date | None) -> None:
        try:
            ledger = self.book.ledger(account, start, end)
        except UserError as exc:
            self.deliver(self.notify, exc.message, severity="error")
            return
        fmt = self.book.format
        rows = [Row((i,), (format_date(line.date), line.number, line.memo, fmt(line.amount),
                           fmt(line.balance)), data=line.number)
                for i, line in enumerate(ledger.lines)]
        summary = _("{code} {name} ({type}) · opening {o} · closing {c} · {n} postings").format(
            code=ledger.code, name=ledger.name, type=_(ledger.type), o=fmt(ledger.opening),
            c=fmt(ledger.closing), n=len(rows))
        self.deliver(self._show, summary, rows)

    def _show(self, summary: str, rows: list[Row]) -> None:
        self.query_one("#ledger-summary", Static).update(summary)
        table = self.query_one("#ledger-lines", VirtualTable)
        table.set_source(ListSource(rows), keep_cursor=not self._refocus)
        if self._refocus:
            table.focus()
        self._refocus = True

    @on(VirtualTable.Selected, "#ledger-lines")
    def open_entry(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(EntryDialog(event.row.data))
