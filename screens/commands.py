"""The command palette (ctrl+p): every place, every action, and 'Go to contact …'."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from smallbiz.i18n import _
from smallbiz.screens.nav import PLACES

if TYPE_CHECKING:
    from smallbiz.screens.app import SmallBizApp

#: (title, help, mode, action on that mode's first screen); mode "": an action of the app,
#: where the user stands (the tools: `smallbiz.screens.tools`)
ACTIONS: list[tuple[str, str, str, str | None]] = [
    (_("New contact"), _("Add a person or organization"), "contacts", "new"),
    (_("Log an interaction"), _("Call, email, meeting or note on a contact"), "contacts",
     "log_pick"),
    (_("Follow-ups due"), _("Interactions with a follow-up date up to today"), "contacts",
     "followups"),
    (_("Import contacts"), _("From a CSV or vCard file, with a progress bar"), "contacts",
     "import"),
    (_("New deal"), _("Add a deal to the pipeline"), "deals", "new"),
    (_("New sale"), _("Start a sales order"), "sales", "new"),
    (_("Confirm sale"), _("Confirm the highlighted sales order"), "sales", None),
    (_("Ship sale"), _("Ship a confirmed sales order"), "sales", None),
    (_("Invoice sale"), _("Invoice a shipped sales order"), "sales", None),
    (_("New purchase"), _("Start a purchase order"), "purchases", "new"),
    (_("Receive purchase"), _("Receive a confirmed purchase order into stock"), "purchases",
     "receive_pick"),
    (_("Record payment"), _("A customer's payment of an open invoice"), "invoices",
     "pay_pick"),
    (_("Pay a bill"), _("Pay a supplier's open bill"), "invoices", "pay_bill_pick"),
    (_("Export invoice PDF"), _("Write the highlighted invoice as a PDF"), "invoices", "pdf"),
    (_("New product"), _("Add a stock item or a service"), "products", "new"),
    (_("Adjust stock"), _("Count, write off or add opening stock"), "products", "adjust"),
    (_("Import products"), _("From a CSV file"), "products", "import"),
    (_("New journal entry"), _("A manual entry: date, memo, account/amount rows"), "journal",
     "new"),
    (_("Reverse journal entry"), _("Post the mirror image of the highlighted entry"),
     "journal", "reverse"),
    (_("Account ledger"), _("One account's postings with the running balance"), "journal",
     "ledger"),
    (_("Trial balance"), _("Report"), "reports", "show('tb')"),
    (_("Profit and loss"), _("Report"), "reports", "show('pl')"),
    (_("Balance sheet"), _("Report"), "reports", "show('bs')"),
    (_("Receivable aging"), _("Report"), "reports", "show('aging')"),
    (_("Payable aging"), _("Report"), "reports", "show('aging_payables')"),
    (_("VAT report"), _("Report"), "reports", "show('vat')"),
    (_("Stock report"), _("Report"), "reports", "show('stock')"),
    (_("Sales forecast"), _("Report: the weighted pipeline per month"), "reports",
     "show('forecast')"),
    (_("New account"), _("Add an account to the chart"), "", "tool('new_account')"),
    (_("Change a setting"), _("Company name, VAT rate, payment terms, negative stock"), "",
     "tool('setting')"),
    (_("Lock the books"), _("Close the books up to a date"), "", "tool('lock')"),
    (_("Cancel a payment"), _("Reverse a payment by its PAY- number"), "",
     "tool('cancel_payment')"),
    (_("Back up the book"), _("A consistent copy of the book file"), "", "tool('backup')"),
    (_("Check the book"), _("Every invariant: balances, seals, the audit chain"), "",
     "tool('check')"),
    (_("Audit log"), _("Who changed what and when"), "", "tool('audit')"),
    (_("Export the journal"), _("Every entry as an hledger/ledger journal"), "",
     "tool('export_journal')"),
    (_("Export contacts"), _("As CSV or vCard"), "", "tool('export_contacts')"),
]


def palette_commands() -> list[tuple[str, str, str, str | None]]:
    places = [(_("Go to {place}").format(place=p.title),
               _("{key} from anywhere").format(key=p.key.upper()), p.mode, None)
              for p in PLACES]
    return places + [a for a in ACTIONS if a[3] is not None]


class SmallBizCommands(Provider):
    """Places and actions; contacts matching what is typed."""

    @property
    def sb_app(self) -> SmallBizApp:
        return self.app  # type: ignore[return-value]

    def _run(self, mode: str, action: str | None) -> Callable[[], Any]:
        if not mode and action:
            return partial(self.sb_app.run_action, action)
        return partial(self.sb_app.open_place, mode, action)

    async def discover(self) -> Hits:
        if not getattr(self.app, "ready", False):
            return
        for title, help_text, mode, action in palette_commands():
            yield DiscoveryHit(title, self._run(mode, action), help=help_text)

    async def search(self, query: str) -> Hits:
        if not getattr(self.app, "ready", False):
            return
        matcher = self.matcher(query)
        for title, help_text, mode, action in palette_commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._run(mode, action),
                          help=help_text)
        words = query.strip()
        for prefix in ("go to contact", "contact"):
            if words.lower().startswith(prefix):
                words = words[len(prefix):].strip()
                break
        if len(words) < 2:
            return
        try:
            contacts = await asyncio.to_thread(self.sb_app.book.contacts_page, words, None, 6)
        except Exception:  # the palette must keep working while the book is busy
            return
        for c in contacts:
            title = _("Go to contact {name}").format(name=c.name)
            yield Hit(0.9, title, partial(self.sb_app.open_contact, c.id),
                      help=", ".join(x for x in (", ".join(c.roles), c.email, c.organization or "")
                                         if x))
