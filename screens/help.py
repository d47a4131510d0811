"""F1 / `?`: every key of the app, grouped by where it works, with the binding ids
(ids let a user keymap move a key)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from smallbiz.i18n import N_, _


def _key_label(app: App[Any], key: str) -> str:
    def one(k: str) -> str:
        shown = app.get_key_display(Binding(k, ""))
        return shown.upper() if k[:1] == "f" and k[1:].isdigit() else shown

    return " / ".join(one(k.strip()) for k in key.split(","))


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(where, bindings) for the app and every screen, form and widget with keys."""
    from smallbiz.screens import (
        bank,
        contacts,
        dashboard,
        deals,
        invoices,
        journal,
        orders,
        products,
        quotes,
        reports,
    )
    from smallbiz.screens.app import SmallBizApp
    from smallbiz.screens.base import BookScreen
    from smallbiz.screens.modals.confirm import ConfirmDialog
    from smallbiz.screens.modals.form import FormDialog
    from smallbiz.screens.modals.pick import PickOne
    from smallbiz.screens.widgets.completing_input import CompletingInput
    from smallbiz.screens.widgets.virtual_table import VirtualTable

    groups: list[tuple[str, Any]] = [
        (_("Everywhere"), SmallBizApp),
        (_("Every screen"), BookScreen),
        (_("Dashboard"), dashboard.DashboardScreen),
        (_("Dashboard figure"), dashboard.FigureRow),
        (_("Contacts"), contacts.ContactsScreen),
        (_("Contact (360 view)"), contacts.ContactScreen),
        (_("Follow-ups due"), contacts.FollowUpsScreen),
        (_("Deals"), deals.DealsScreen),
        (_("Sales / Purchases"), orders.OrdersScreen),
        (_("Order"), orders.OrderScreen),
        (_("Quotes"), quotes.QuotesScreen),
        (_("Quote"), quotes.QuoteDialog),
        (_("Recurring invoices"), quotes.RecurringScreen),
        (_("Invoices"), invoices.InvoicesScreen),
        (_("Invoice"), invoices.InvoiceDialog),
        (_("Quote"), quotes.QuoteDialog),
        (_("Products & Stock"), products.ProductsScreen),
        (_("Product"), products.ProductDialog),
        (_("Journal"), journal.JournalScreen),
        (_("Journal entry"), journal.EntryDialog),
        (_("Journal entry form"), journal.JournalEntryForm),
        (_("Account ledger"), journal.LedgerScreen),
        (_("Reports"), reports.ReportsScreen),
        (_("Bank"), bank.BankScreen),
        (_("Bank: book to account"), bank.BookToAccount),
        (_("Bank: split line"), bank.SplitLine),
        (_("Bank: match line"), bank.MatchLine),
        (_("Lists"), VirtualTable),
        (_("Completing fields"), CompletingInput),
        (_("Forms"), FormDialog),
        (_("Questions"), ConfirmDialog),
        (_("Pick one"), PickOne),
        (_("This help"), HelpScreen),
    ]
    out = []
    for title, cls in groups:
        own = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
        if own:
            out.append((title, own))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", N_("Close"), id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            yield Static(_("ctrl+p opens the command palette: every place and action, "
                           "and 'Go to contact …'. escape goes back."), classes="dialog-detail")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Where"), _("Key"), _("Does"), _("Id"))
        for where, bindings in binding_groups():
            for b in bindings:
                table.add_row(where, _key_label(self.app, b.key),
                              _(b.tooltip or b.description) or b.action, b.id or "")
        table.focus()

    def rows(self) -> list[tuple[str, str, str, str]]:
        table = self.query_one(DataTable)
        return [tuple(str(c) for c in table.get_row_at(i))  # type: ignore[misc]
                for i in range(table.row_count)]

    def action_close(self) -> None:
        self.dismiss(None)
