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

#: (title, help, mode, action on that mode's first screen)
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
]


def palette_commands() -> list[tuple[str, str, str, str | None]]:
    places = [(_("Go to {place}").format(place=_(p.title)),
               _("{key} from anywhere").format(key=p.key.upper()), p.mode, None)
              for p in PLACES]
    return places + [(_(title), _(help_text), mode, action)
                     for title, help_text, mode, action in ACTIONS if action is not None]


class SmallBizCommands(Provider):
    """Places and actions; contacts matching what is typed."""

    @property
    def sb_app(self) -> SmallBizApp:
        return self.app  # type: ignore[return-value]

    def _run(self, mode: str, action: str | None) -> Callable[[], Any]:
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
            if score > 0:
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
            yield Hit(0.9, title, partial(self.sb_app.open_contact, c.id),
                      help=", ".join(x for x in (", ".join(c.roles), c.email, c.organization or "")
                                         if x))
