"""Contacts: a list filtered as you type (virtual: 100k contacts open like 10), and the
360 view of one contact."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input

from screens.base import BookScreen
from screens.widgets.navbar import NavBar
from screens.widgets.virtual_table import Column, FuncSource, Row, VirtualTable
from smallbiz.api import Book
from smallbiz.i18n import _


def contacts_source(book: Book, query: str) -> FuncSource:
    def page(offset: int, limit: int, after: Any) -> list[Row]:
        return [Row((c.name, c.id), (c.name, c.roles, c.email, c.phone, c.city),
                    style="muted" if c.archived else "", data=c.id)
                for c in book.contacts_page(query, after, limit, offset)]

    return FuncSource(lambda: book.contacts_count(query), page)


class ContactsScreen(BookScreen):
    PLACE_TITLE = _("Contacts")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", _("New"), id="contacts.new"),
        Binding("ctrl+n", "new", _("New"), show=False, priority=True, id="contacts.new_anywhere"),
        Binding("slash", "filter", _("Filter"), id="contacts.filter"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Input(placeholder=_("type to filter by name or email (↓ to the list)"),
                    id="contact-filter")
        yield VirtualTable([Column(_("Name")), Column(_("Roles"), 18), Column(_("Email"), 26),
                            Column(_("Phone"), 15), Column(_("City"), 12)],
                           contacts_source(self.book, ""),
                           empty=_("No contacts match — press ctrl+n to add one"),
                           id="contacts")
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#contacts", VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#contact-filter", Input)

    def on_mount(self) -> None:
        self.filter_input.focus()

    @on(Input.Changed, "#contact-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.table.set_source(contacts_source(self.book, event.value))

    @on(Input.Submitted, "#contact-filter")
    def _open_first(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.action_select()

    def on_key(self, event: Any) -> None:
        if event.key == "down" and self.focused is self.filter_input:
            event.stop()
            self.table.focus()

    def action_filter(self) -> None:
        self.filter_input.focus()

    @on(VirtualTable.Selected, "#contacts")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(ContactScreen(event.row.data))

    def action_new(self) -> None:
        self.notify(_("Adding contacts arrives with the CRM service"), severity="warning")


class ContactScreen(BookScreen):
    """The 360 view of one contact."""

    PLACE_TITLE = _("Contact")

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Footer()
