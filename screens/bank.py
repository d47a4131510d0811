"""Bank: one account's unmatched statement lines, newest first, the suggestions for the
highlighted line beside it, and the reconciliation (statement vs book vs unmatched) always
in view. Keys: 1/2/3 (or a) accept a suggestion, b books the line to an account (with
completion), s splits it across accounts and invoices, m matches it to an invoice or bill
(its number or the supplier's own reference), i ignores it, M runs the certain matches and
rules, [ and ] change account."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from smallbiz.dates import format_date
from smallbiz.i18n import N_, _
from smallbiz.screens.base import BookScreen
from smallbiz.screens.journal import account_completer
from smallbiz.screens.orders import in_currency
from smallbiz.screens.widgets.completing_input import CompletingInput
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar


class BookToAccount(ModalScreen[str | None]):
    """Ask for the account a line is booked to (completes as you type)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="bank.book.cancel"),
    ]
    DEFAULT_CSS = """
    BookToAccount { align: center middle; }
    BookToAccount > Vertical { width: 70; height: auto; border: round $accent;
                               padding: 1 2; background: $surface; }
    """

    def __init__(self, book: Any, line: str) -> None:
        super().__init__()
        self.book = book
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.line, markup=False)
            yield Label(_("Book to account (enter to post, escape to cancel)"))
            yield CompletingInput(account_completer(self.book), placeholder=_("code or name"),
                                  id="bank-account")

    def on_mount(self) -> None:
        self.query_one("#bank-account", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = self.book.account_ref(event.value)
        if value:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SplitLine(ModalScreen[str | None]):
    """Ask how a line splits: `6100=60; 6800` (accounts, one without an amount takes the
    rest) and/or documents (`INV-2026-0001; 6800=-2.50`: the invoice takes what the
    accounts leave), a bill also by its supplier's own reference (`F-2026/118; 6800=2.50`),
    as the hand match `m` and `bank match --bill` take it (see `parse_split`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="bank.split.cancel"),
    ]
    DEFAULT_CSS = BookToAccount.DEFAULT_CSS.replace("BookToAccount", "SplitLine")
    PROMPT = N_("Split: CODE=AMOUNT; CODE (the rest); INV-…, BILL-… or the supplier's "
                "own reference (enter to post)")
    PLACEHOLDER = "6100=60; 6800"
    FIELD = "bank-split"

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.line, markup=False)
            yield Label(_(self.PROMPT))
            yield Input(placeholder=self.PLACEHOLDER, id=self.FIELD)

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIELD}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MatchLine(SplitLine):
    """Ask which invoice or bill a line pays: its number, or a bill's supplier's own
    reference (`orders.invoices.resolve_document_ref`, as `bank match --bill`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="bank.match.cancel"),
    ]
    DEFAULT_CSS = BookToAccount.DEFAULT_CSS.replace("BookToAccount", "MatchLine")
    PROMPT = N_("Pays: an INV-… or BILL-… number, or the supplier's own reference "
                "(enter to post)")
    PLACEHOLDER = "BILL-2026-0001, F-2026/118"
    FIELD = "bank-match"


def parse_split(text: str, accounts: Collection[str]
                ) -> tuple[list[str], list[tuple[str, str | None]]]:
    """'INV-2026-0001; 6800=-2.50' -> documents, (account, amount) parts. An item is an
    account part when it has an amount (`CODE=AMOUNT`) or is one of `accounts` (the
    chart's codes: that account takes the rest); an INV-/BILL- number, or anything else
    without an amount, is a document: its number or a bill's supplier's own reference,
    resolved by the one resolver (`orders.invoices.resolve_document_ref`) when posted."""
    documents, parts = [], []
    for item in text.replace(",", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        head, eq, amount = (x.strip() for x in item.partition("="))
        if head.upper().startswith(("INV-", "BILL-")) or not (eq or head in accounts):
            documents.append(head)
        else:
            parts.append((head, amount if eq else None))
    return documents, parts


class BankScreen(BookScreen):
    PLACE_TITLE = _("Bank")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,1", "accept(0)", N_("Accept"), id="bank.accept"),
        Binding("2", "accept(1)", N_("2nd"), show=False, id="bank.accept_2",
                tooltip=N_("Accept the second suggestion")),
        Binding("3", "accept(2)", N_("3rd"), show=False, id="bank.accept_3",
                tooltip=N_("Accept the third suggestion")),
        Binding("b", "book", N_("Book to account"), id="bank.book"),
        Binding("s", "split", N_("Split"), id="bank.split"),
        Binding("i", "ignore", N_("Ignore"), id="bank.ignore"),
        Binding("m", "match", N_("Match"), id="bank.match",
                tooltip=N_("Match the line to an invoice or bill: its number or the "
                           "supplier's own reference")),
        Binding("M", "auto", N_("Auto-match"), show=False,
                id="bank.auto"),
        Binding("right_square_bracket", "account(1)", N_("Next account"), show=False,
                id="bank.next"),
        Binding("left_square_bracket", "account(-1)", N_("Previous account"), show=False,
                id="bank.previous"),
    ]

    def __init__(self, account: str | None = None, line: int | None = None) -> None:
        """`account`: the bank account's code to show first (default: the first); `line`:
        the statement line to highlight (the Today queue's)."""
        super().__init__()
        self.first_line = line
        self.accounts: list[tuple[str, str, int]] = []
        self.account: str | None = account
        self.lines: list[Any] = []
        self.suggested: list[Any] = []
        self.suggesting: int | None = None  # the line whose suggestions were asked for

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Static("", id="bank-summary")
        with Horizontal(id="bank-body"):
            yield DataTable(id="bank-lines", cursor_type="row", zebra_stripes=True)
            yield Static("", id="bank-suggestions")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#bank-lines", DataTable)
        table.add_columns(_("Line"), _("Date"), _("Amount"), _("Description"),
                          _("Counterparty"))
        table.styles.width = "2fr"
        self.query_one("#bank-suggestions", Static).styles.width = "1fr"
        self.query_one("#bank-suggestions", Static).styles.padding = (0, 1)
        self.query_one("#bank-body").styles.height = "1fr"
        table.focus()

    def resumed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="bank")
    def load(self, keep: int | None = None) -> None:
        try:
            accounts = self.book.bank_accounts()
            account = self.account if any(a[0] == self.account for a in accounts) else (
                accounts[0][0] if accounts else None)
            lines = (self.book.bank_lines(account=account, unmatched=True, newest_first=True)
                     if account else [])
            rec = self.book.reconcile_bank(account) if account else None
        except Exception as exc:
            self.deliver(self.notify, str(exc), severity="error")
            return
        self.deliver(self.show, accounts, account, lines, rec, keep)

    def show(self, accounts: list[tuple[str, str, int]], account: str | None,
             lines: list[Any], rec: Any, keep: int | None) -> None:
        self.accounts, self.account, self.lines = accounts, account, lines
        self.suggesting = None  # the lines changed: ask again
        table = self.query_one("#bank-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for ln in lines:  # a foreign account's lines in its currency, as `bank list`
            table.add_row(str(ln.id), format_date(ln.date), in_currency(self.fmt(ln.amount),
                                                                        ln.currency),
                          escape(ln.description), escape(ln.counterparty), key=str(ln.id))
        ids = [ln.id for ln in lines]
        if self.first_line in ids:
            keep, self.first_line = ids.index(self.first_line), None
        if lines:
            table.move_cursor(row=min(keep if keep is not None else row, len(lines) - 1))
        self.query_one("#bank-summary", Static).update(self._summary(rec))
        self.suggest()

    def _summary(self, rec: Any) -> str:
        if rec is None:
            return _("No statement imported yet: smallbiz bank import FILE")
        others = " · ".join(f"{escape(c)} {n}" for c, _n, n in self.accounts if c != rec.account)

        def money(amount: Any) -> str:
            """An amount of the account's: in its currency, with its code when foreign
            (`bank reconcile` shows an account kept in another currency in it)."""
            return "—" if amount is None else in_currency(self.fmt(amount), rec.currency)

        name = escape(rec.account_name) + (f" ({rec.currency})" if rec.currency else "")
        text = _("{code} {name} · {d} · statement {st} · book {bk} · unmatched {u} ({n}) · "
                 "difference {x}").format(
            code=escape(rec.account), name=name, d=format_date(rec.as_of),
            st=money(rec.statement_balance), bk=money(rec.book_balance),
            u=money(rec.unmatched), n=rec.unmatched_lines, x=money(rec.difference))
        if rec.outside_lines:
            text += " · " + _("outside the statement {o} ({n})").format(
                o=money(rec.outside), n=rec.outside_lines)
        return text + (f"   [dim]{_('other accounts')}: {others}[/]" if others else "")

    def current(self) -> Any:
        table = self.query_one("#bank-lines", DataTable)
        if not self.lines or table.cursor_row is None or table.cursor_row >= len(self.lines):
            return None
        return self.lines[table.cursor_row]

    @on(DataTable.RowHighlighted, "#bank-lines")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        self.suggest()

    def suggest(self) -> None:
        line = self.current()
        if line is None:
            self.suggested, self.suggesting = [], None
            self.query_one("#bank-suggestions", Static).update(_("Nothing to match"))
            return
        if line.id == self.suggesting:  # a reload and the cursor's move both ask: once
            return
        self.suggesting = line.id
        self.find_suggestions(line.id)

    @work(thread=True, exclusive=True, group="bank-suggest")
    def find_suggestions(self, line_id: int) -> None:
        try:
            found = self.book.bank_suggestions(line_id)
        except Exception:
            found = []
        self.deliver(self._show_suggestions, line_id, found)

    def _show_suggestions(self, line_id: int, found: list[Any]) -> None:
        line = self.current()
        if line is None or line.id != line_id:
            return
        self.suggested = found
        if not found:
            text = _("No suggestion: b books the line to an account, i ignores it")
        else:
            text = _("Suggestions") + "\n" + "\n".join(  # what each owes in the line's currency
                f"{i}. {escape(s.number)} {escape(s.contact)}\n   "
                f"{in_currency(self.fmt(s.balance_due), line.currency)} "
                f"· {format_date(s.date)}" for i, s in enumerate(found, start=1))
        self.query_one("#bank-suggestions", Static).update(text)

    def action_accept(self, index: int) -> None:
        line = self.current()
        if line is None or index >= len(self.suggested):
            self.notify(_("No such suggestion"), severity="warning")
            return
        self.match(line, documents=[self.suggested[index].number])

    def match(self, line: Any, **how: Any) -> Any:
        """Match the line (Book.match_bank_line), say what was posted, reload."""
        done = self.attempt(self.book.match_bank_line, line.id, **how)
        if done is not None:
            self.notify(_("Line {i}: {ref}").format(i=line.id, ref=done.reference))
            self.load(self.query_one("#bank-lines", DataTable).cursor_row)
        return done

    def action_book(self) -> None:
        line = self.current()
        if line is None:
            return

        def booked(account: str | None) -> None:
            if not account:
                return
            done = self.match(line, account=account)
            if done is not None and done.offer_rule is not None and done.offer_rule.text:
                self.offer_rule(done.offer_rule)

        self.app.push_screen(BookToAccount(self.book, self.label(line)), booked)

    def offer_rule(self, offer: Any) -> None:
        from smallbiz.screens.modals.confirm import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                rule = self.attempt(self.book.add_bank_rule, text=offer.text,
                                    account=offer.account, contact=offer.contact)
                if rule is not None:
                    self.notify(_("Rule {i}: '{t}' → {a}").format(i=rule.id, t=rule.text,
                                                                  a=rule.account))

        self.app.push_screen(ConfirmDialog(
            _("Always book lines with '{t}' to {a}?").format(t=offer.text, a=offer.account),
            _("A rule: such lines are booked on import and by auto-match.")), answer)

    def label(self, line: Any) -> str:
        """A line as a dialog names it: date, amount, description."""
        return f"{line.date} {self.fmt(line.amount)} {line.description}"

    def ask(self, dialog: type[SplitLine], then: Any) -> None:
        """Ask `dialog` about the highlighted line, then `then(line, answer)`."""
        line = self.current()
        if line is not None:
            self.app.push_screen(dialog(self.label(line)),
                                 lambda text: then(line, text) if text else None)

    def action_split(self) -> None:
        def split(line: Any, text: str) -> None:
            documents, parts = parse_split(text, {a.code for a in self.book.accounts()})
            self.match(line, documents=documents, splits=parts)

        self.ask(SplitLine, split)

    def action_match(self) -> None:
        self.ask(MatchLine, lambda line, text: self.match(line, documents=[text.strip()]))

    def action_ignore(self) -> None:
        line = self.current()
        if line is not None and self.attempt(self.book.ignore_bank_line, line.id):
            self.load(self.query_one("#bank-lines", DataTable).cursor_row)

    def action_auto(self) -> None:
        done = self.attempt(self.book.auto_match_bank)
        if done is not None:
            self.notify(_("Matched {n} line(s)").format(n=done.total))
            self.load()

    def action_account(self, step: int) -> None:
        codes = [a[0] for a in self.accounts]
        if self.account in codes and len(codes) > 1:
            self.account = codes[(codes.index(self.account) + step) % len(codes)]
            self.load(0)
