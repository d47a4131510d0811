"""A quote (QT-) in a dialog: its customer, validity, lines and totals; `a` accepts it (it
becomes a draft sales order), `x` declines it, `e` marks it expired. The Today queue opens
it when its validity ends soon."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from smallbiz.i18n import N_, _
from smallbiz.screens.base import figure, plain, run_write, unit_amount
from smallbiz.screens.modals.document import DocumentDialog


class QuoteDialog(DocumentDialog):
    """Dismisses with the last step's result (None: nothing done)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="quote.close"),
        Binding("a", "step('accept')", N_("Accept"), id="quote.accept"),
        Binding("x", "step('decline')", N_("Decline"), id="quote.decline"),
        Binding("e", "step('expire')", N_("Expired"), id="quote.expire"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__(number)
        self.result: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(self.number, classes="dialog-title", id="quote-title")
            yield Static("", id="quote-head")
            yield DataTable(id="quote-lines", cursor_type="row")
            yield Static(_("a accept (a sales order) · x decline · e expired · esc close"),
                         classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("SKU"), _("Description"), _("Qty"),
                                              _("Price"), _("Total"))
        self.load()

    def read(self, book: Any) -> Any:
        return book.quote(self.number)

    def show(self, v: Any) -> None:
        self.view = v
        book = self.app.book  # type: ignore[attr-defined]
        f = book.format
        self.query_one("#quote-title", Label).update(
            Text(f"{v.number} · {v.contact} · {_(v.status)}"))
        self.query_one("#quote-head", Static).update(Text(
            _("dated {d}, valid until {u} · net {n} · VAT {v} · total {g}").format(
                d=v.date, u=v.valid_until or "-", n=f(v.net), v=f(v.vat), g=f(v.gross))))
        table = self.query_one(DataTable)
        table.clear()
        for ln in v.lines:
            table.add_row(Text(ln.sku), Text(ln.description), figure(plain(ln.quantity)),
                          figure(unit_amount(ln.unit_price, book.digits)),
                          Text(f(ln.gross), justify="right"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only an open quote (draft or sent) takes a step."""
        if action == "step":
            return self.view is not None and self.view.status in ("draft", "sent")
        return True

    def action_step(self, action: str) -> None:
        if self.view is None or self.view.status not in ("draft", "sent"):
            return
        book = self.app.book  # type: ignore[attr-defined]

        def done(result: Any) -> None:
            self.result = result
            made = f" · {result.reference}" if result.reference != result.order else ""
            self.notify(_("{n} is {status}").format(n=result.order, status=_(result.status))
                        + made)
            self.load()

        run_write(self, lambda: book.quote_action(action, self.number), done)

    def action_close(self) -> None:
        self.dismiss(self.result)
