"""The command palette (ctrl+p): every place, every action, and 'Go to contact …'."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from smallbiz.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language
from smallbiz.screens.nav import PLACES

if TYPE_CHECKING:
    from smallbiz.screens.app import SmallBizApp

#: (title, help, mode, action on that mode's first screen); mode "": an action of the app,
#: where the user stands (the tools: `smallbiz.screens.tools`)
ACTIONS: list[tuple[str, str, str, str | None]] = [
    (N_("New contact"), N_("Add a person or organization"), "contacts", "new"),
    (N_("Log an interaction"), N_("Call, email, meeting or note on a contact"), "contacts",
     "log_pick"),
    (N_("Follow-ups due"), N_("Interactions with a follow-up date up to today"), "contacts",
     "followups"),
    (N_("Import contacts"), N_("From a CSV or vCard file, with a progress bar"), "contacts",
     "import"),
    (N_("New deal"), N_("Add a deal to the pipeline"), "deals", "new"),
    (N_("New sale"), N_("Start a sales order"), "sales", "new"),
    (N_("Confirm sale"), N_("Confirm the highlighted sales order"), "sales", None),
    (N_("Ship sale"), N_("Ship a confirmed sales order"), "sales", None),
    (N_("Invoice sale"), N_("Invoice a shipped sales order"), "sales", None),
    (N_("Quotes"), N_("Quotes: new, accept into a sales order, decline"), "sales", "quotes"),
    (N_("New quote"), N_("A quote: lines and a valid-until date, no effect on the books"),
     "sales", "new_quote"),
    (N_("Recurring invoices"), N_("Templates that invoice every N months; run what is due"),
     "sales", "recurring"),
    (N_("New purchase"), N_("Start a purchase order"), "purchases", "new"),
    (N_("Receive purchase"), N_("Receive a confirmed purchase order into stock"), "purchases",
     "receive_pick"),
    (N_("Record payment"), N_("A customer's payment of an open invoice"), "invoices",
     "pay_pick"),
    (N_("Pay a bill"), N_("Pay a supplier's open bill"), "invoices", "pay_bill_pick"),
    (N_("Export invoice PDF"), N_("Write the highlighted invoice as a PDF"), "invoices", "pdf"),
    (N_("New product"), N_("Add a stock item or a service"), "products", "new"),
    (N_("Adjust stock"), N_("Count, write off or add opening stock"), "products", "adjust"),
    (N_("Import products"), N_("From a CSV file"), "products", "import"),
    (N_("New journal entry"), N_("A manual entry: date, memo, account/amount rows"), "journal",
     "new"),
    (N_("Reverse journal entry"), N_("Post the mirror image of the highlighted entry"),
     "journal", "reverse"),
    (N_("Account ledger"), N_("One account's postings with the running balance"), "journal",
     "ledger"),
    (N_("Match bank lines"), N_("Statement lines: accept a suggestion, book to an account"),
     "bank", None),
    (N_("Auto-match bank lines"), N_("Certain matches and rules on every unmatched line"),
     "bank", "auto"),
    (N_("Trial balance"), N_("Report"), "reports", "show('tb')"),
    (N_("Profit and loss"), N_("Report"), "reports", "show('pl')"),
    (N_("Balance sheet"), N_("Report"), "reports", "show('bs')"),
    (N_("Receivable aging"), N_("Report"), "reports", "show('aging')"),
    (N_("Payable aging"), N_("Report"), "reports", "show('aging_payables')"),
    (N_("VAT report"), N_("Report"), "reports", "show('vat')"),
    (N_("Stock report"), N_("Report"), "reports", "show('stock')"),
    (N_("Sales forecast"), N_("Report: the weighted pipeline per month"), "reports",
     "show('forecast')"),
    (_("New account"), _("Add an account to the chart"), "", "tool('new_account')"),
    (_("Change a setting"), _("Company name, VAT rate, payment terms, negative stock"), "",
     "tool('setting')"),
    (_("Lock the books"), _("Close the books up to a date"), "", "tool('lock')"),
    (_("Cancel a payment"), _("Reverse a payment by its PAY- number"), "",
     "tool('cancel_payment')"),
    (N_("Refund a credit"), N_("Pay a customer's credit back, or book a supplier's refund"),
     "", "tool('refund')"),
    (N_("Record an advance"), N_("Money from a customer or to a supplier before any "
                                 "document, in any currency"), "", "tool('advance')"),
    (N_("Apply a credit"), N_("A contact's credit to their open documents, per currency"),
     "", "tool('apply_credit')"),
    (_("Back up the book"), _("A consistent copy of the book file"), "", "tool('backup')"),
    (_("Check the book"), _("Every invariant: balances, seals, the audit chain"), "",
     "tool('check')"),
    (_("Audit log"), _("Who changed what and when"), "", "tool('audit')"),
    (_("Export the journal"), _("Every entry as an hledger/ledger journal"), "",
     "tool('export_journal')"),
    (_("Export contacts"), _("As CSV or vCard"), "", "tool('export_contacts')"),
]


def palette_commands() -> list[tuple[str, str, str, str | None]]:
    places = [(_("Go to {place}").format(place=_(p.title)),
               _("{key} from anywhere").format(key=p.key.upper()), p.mode, None)
              for p in PLACES]
    return places + [(_(title), _(help_text), mode, action)
                     for title, help_text, mode, action in ACTIONS if action is not None]


#: Below this fuzzy score a command's title only scatters the letters typed ("acme" in
#: "Cancel a payment"): it is not offered, so a contact's or document's name comes first.
STRONG_MATCH = 10

#: Document numbers by prefix: (what, how to open it).
_DOCUMENTS = {"INV": "invoice", "BILL": "invoice", "SO": "sale", "PO": "purchase",
              "JE": "entry", "PAY": "payment"}


def find_in_book(app: SmallBizApp, words: str) -> list[tuple[float, str, Any, str]]:
    """Palette hits from the book: a document by its number (`INV-2026-0014`), products by
    SKU or name, accounts by code or name. Runs in a thread (reads only)."""
    book = app.book
    out: list[tuple[float, str, Any, str]] = []
    head = words.split("-", 1)[0].upper()
    what = _DOCUMENTS.get(head)
    if what is not None and words.count("-") >= 2:
        number = words.strip().upper()
        try:
            if what == "invoice":
                number = book.invoice(number).number
            elif what in ("sale", "purchase"):
                number = book.order(what, number).number
            elif what == "entry":
                number = book.show_entry(number).number
            else:
                number = book.payment(number).number
        except Exception:
            number = ""
        if number:
            out.append((1.0, _("Open {n}").format(n=number),
                        partial(app.open_document, what, number), _("Document")))
    for match in book.product_matches(words, limit=4):
        sku = match.split(" ", 1)[0]
        out.append((0.95, _("Product {p}").format(p=match),
                    partial(app.open_product, sku), _("Products & Stock")))
    for a in book.account_matches(words, limit=4):
        out.append((0.9, _("Account {code} {name}").format(code=a.code, name=a.name),
                    partial(app.open_ledger, a.code), _("Its ledger")))
    return out


class SmallBizCommands(Provider):
    """Places and actions; contacts matching what is typed."""

    @property
    def sb_app(self) -> SmallBizApp:
        return self.app  # type: ignore[return-value]

    def _run(self, mode: str, action: str | None) -> Callable[[], Any]:
        if not mode and action:
            return partial(self.sb_app.run_action, action)
        return partial(self.sb_app.open_place, mode, action)

    def _languages(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """`Language: English` (or `ენა: ქართული`): the other languages, each switching the
        app to it at once."""
        return [(_("Language: {name}").format(name=LANGUAGE_NAMES[code]),
                 _("Switch the app's language (kept in the book's settings)"),
                 partial(self.sb_app.switch_language, code))
                for code in LANGUAGES if code != language()]

    async def discover(self) -> Hits:
        if not getattr(self.app, "ready", False):
            return
        for title, help_text, mode, action in palette_commands():
            yield DiscoveryHit(title, self._run(mode, action), help=help_text)
        for title, help_text, switch in self._languages():
            yield DiscoveryHit(title, switch, help=help_text)

    async def search(self, query: str) -> Hits:
        if not getattr(self.app, "ready", False):
            return
        matcher = self.matcher(query)
        for title, help_text, mode, action in palette_commands():
            score = matcher.match(title)
            if score >= STRONG_MATCH:
                yield Hit(score, matcher.highlight(title), self._run(mode, action),
                          help=help_text)
        for title, help_text, switch in self._languages():
            # found by its name in either language: `language`, `ენა`, `English`, …
            score = max(matcher.match(title), matcher.match(f"Language ენა {title}"))
            if score > 0:
                yield Hit(score, matcher.highlight(title), switch, help=help_text)
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
            yield Hit(1.0, title, partial(self.sb_app.open_contact, c.id),
                      help=", ".join(x for x in (", ".join(c.roles), c.email, c.organization or "")
                                         if x))
        try:
            found = await asyncio.to_thread(find_in_book, self.sb_app, words)
        except Exception:  # the palette must keep working while the book is busy
            return
        for score, title, open_it, help_text in found:
            yield Hit(score, title, open_it, help=help_text)
