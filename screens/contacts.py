"""Contacts: a list filtered as you type (virtual: 100k contacts open like 10), and the
360 view of one contact with one key each to log an interaction, add a deal, start a
sale or edit the contact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static, TabbedContent, TabPane

from smallbiz import dates
from smallbiz.app.book import Book
from smallbiz.dates import format_date
from smallbiz.errors import ValidationError
from smallbiz.i18n import N_, _
from smallbiz.screens.base import BookScreen
from smallbiz.screens.modals.confirm import ConfirmDialog
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar
from smallbiz.screens.widgets.virtual_table import Column, FuncSource, Row, VirtualTable

KINDS = [(N_("Person"), "person"), (N_("Organization"), "organization")]
INTERACTION_KINDS = [(N_("Call"), "call"), (N_("Email"), "email"), (N_("Meeting"), "meeting"),
                     (N_("Note"), "note"), (N_("Task"), "task")]
STAGES = [(N_("Lead"), "lead"), (N_("Qualified"), "qualified"), (N_("Proposal"), "proposal"),
          (N_("Negotiation"), "negotiation"), (N_("Won"), "won"), (N_("Lost"), "lost")]
ROLE_NAMES = ("customer", "supplier", "lead")


def contacts_source(book: Book, query: str) -> FuncSource:
    def page(offset: int, limit: int, after: Any) -> list[Row]:
        return [Row((c.name_key, c.id), (c.name, ", ".join(c.roles), c.email, c.phone,
                                         c.organization or ""),
                    style="muted" if c.archived else "", data=c.id)
                for c in book.contacts_page(query, after, limit, offset)]

    return FuncSource(lambda: book.contacts_count(query), page)


def parse_roles(text: str) -> list[str]:
    roles = [r.strip().lower() for r in text.replace(";", ",").split(",") if r.strip()]
    for r in roles:
        if r not in ROLE_NAMES:
            raise ValidationError(_("roles: '{r}' is not one of customer, supplier, lead")
                                  .format(r=r), field="roles")
    return roles


def contact_form(book: Book, contact_id: int | None = None) -> FormDialog:
    """New contact, or edit one (prefilled from its 360 view)."""
    v = book.contact_360(contact_id) if contact_id is not None else None
    fields = [
        FormField("name", _("Name"), v.name if v else ""),
        FormField("kind", _("Kind"), v.kind if v else "person", choices=KINDS),
        FormField("organization", _("Organization (a person's company)"),
                  v.organization[1] if v and v.organization else "",
                  complete=lambda t: book.contact_names(t)),
        FormField("roles", _("Roles: customer, supplier, lead"),
                  ", ".join(v.roles) if v else "customer"),
        FormField("email", _("Email"), v.email if v else ""),
        FormField("phone", _("Phone"), v.phone if v else ""),
        FormField("street", _("Street"), v.street if v else ""),
        FormField("city", _("City"), v.city if v else ""),
        FormField("postcode", _("Postcode"), v.postcode if v else ""),
        FormField("country", _("Country"), v.country if v else ""),
        FormField("tax_id", _("Tax ID"), v.tax_id if v else ""),
        FormField("terms", _("Payment terms, days (empty: the book's)"),
                  str(v.payment_terms_days) if v and v.payment_terms_days is not None else ""),
        FormField("tags", _("Tags, comma-separated"), ", ".join(v.tags) if v else ""),
        FormField("notes", _("Notes"), v.notes if v else ""),
    ]
    address = ("street", "city", "postcode", "country", "tax_id", "notes")

    def save(values: dict[str, str]) -> int:
        roles = parse_roles(values["roles"])
        tags = [t.strip() for t in values["tags"].split(",") if t.strip()]
        terms = values["terms"].strip() or None
        if contact_id is None:
            return book.add_contact(values["name"], kind=values["kind"],
                                    organization=values["organization"],
                                    emails=[values["email"]], phones=[values["phone"]],
                                    roles=roles, terms=terms, tags=tags,
                                    **{k: values[k] for k in address}).contact.id
        old = set(v.tags) if v else set()
        return book.edit_contact(contact_id, name=values["name"], kind=values["kind"],
                                 organization=values["organization"] or None,
                                 email=values["email"], phone=values["phone"],
                                 payment_terms_days=terms,
                                 add_tags=[t for t in tags if t not in old],
                                 remove_tags=[t for t in old if t not in tags],
                                 **{k: values[k] for k in address},
                                 **{r: r in roles for r in ROLE_NAMES}).id

    title = _("Edit {name}").format(name=v.name) if v else _("New contact")
    return FormDialog(title, fields, save)


def log_form(book: Book, contact: str) -> FormDialog:
    today = dates.today().isoformat()

    def save(values: dict[str, str]) -> Any:
        return book.log_interaction(contact, values["summary"], kind=values["kind"],
                                    on=values["date"] or None, follow_up=values["follow_up"])

    return FormDialog(_("Log an interaction with {name}").format(name=contact), [
        FormField("kind", _("Kind"), "call", choices=INTERACTION_KINDS),
        FormField("summary", _("What happened"), placeholder=_("e.g. Asked for a quote")),
        FormField("date", _("Date"), today, date=True),
        FormField("follow_up", _("Follow up on (optional)"), placeholder=_("+7, 1.12, …"),
                  date=True),
    ], save)


def deal_form(book: Book, contact: str = "") -> FormDialog:
    def save(values: dict[str, str]) -> Any:
        return book.add_deal(values["contact"], values["title"], values["value"],
                             stage=values["stage"], expected_close=values["close"])

    return FormDialog(_("New deal"), [
        FormField("contact", _("Contact"), contact, complete=lambda t: book.contact_names(t)),
        FormField("title", _("Title"), placeholder=_("e.g. Tools for the new workshop")),
        FormField("value", _("Value")),
        FormField("stage", _("Stage"), "lead", choices=STAGES),
        FormField("close", _("Expected close (optional)"), placeholder=_("+30, 1.12, …"),
                  date=True),
    ], save)


class ContactsScreen(BookScreen):
    PLACE_TITLE = N_("Contacts")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="contacts.new",
                tooltip=N_("Add a contact")),
        Binding("ctrl+n", "new", N_("New"), show=False, priority=True,
                id="contacts.new_anywhere",
                tooltip=N_("Add a contact, also while typing a filter")),
        Binding("slash", "filter", N_("Filter"), key_display="/", id="contacts.filter"),
        Binding("f", "followups", N_("Follow-ups due"), id="contacts.followups"),
        Binding("i", "import", N_("Import"), id="contacts.import"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield Input(placeholder=_("type to filter: name, email, phone, tag (↓ to the list)"),
                    id="contact-filter")
        yield VirtualTable([Column(_("Name"), min_width=20), Column(_("Roles"), 17),
                            Column(_("Email"), 26, optional=True),
                            Column(_("Phone"), 17, optional=True),
                            Column(_("Organization"), 20, optional=True)],
                           contacts_source(self.book, ""),
                           empty=_("No contacts match — ctrl+n adds one"), id="contacts")
        yield AppFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#contacts", VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#contact-filter", Input)

    def on_mount(self) -> None:
        self.table.focus()

    def book_changed(self) -> None:
        self.table.reload(keep_cursor=True)

    @on(Input.Changed, "#contact-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.table.set_source(contacts_source(self.book, event.value))

    @on(Input.Submitted, "#contact-filter")
    def _open_first(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.action_select()

    def on_key(self, event: Any) -> None:
        self.type_to_filter(event, self.filter_input, self.table)

    def action_filter(self) -> None:
        self.filter_input.focus()

    @on(VirtualTable.Selected, "#contacts")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.app.push_screen(ContactScreen(event.row.data))

    def action_new(self) -> None:
        def created(contact_id: int | None) -> None:
            if contact_id is not None:
                self.table.reload()
                self.app.push_screen(ContactScreen(contact_id))

        self.app.push_screen(contact_form(self.book), created)

    def action_log_pick(self) -> None:
        """From the palette: pick a contact, then log an interaction with it."""
        self.notify(_("Choose the contact (enter), then press l"))
        self.filter_input.focus()

    def action_followups(self) -> None:
        self.app.push_screen(FollowUpsScreen())

    def action_import(self) -> None:
        """Ask for a CSV or vCard file, import it in a worker with a progress bar."""
        from smallbiz.screens.modals.progress import ProgressDialog

        def chosen(path: str | None) -> None:
            if path:
                self.app.push_screen(ProgressDialog(
                    _("Importing {file}").format(file=path), "",
                    lambda total, step: self.book.import_contacts(path, total, step)),
                    self._imported)

        self.app.push_screen(FormDialog(_("Import contacts"), [
            FormField("path", _("CSV or vCard file"), placeholder="contacts.csv")],
            lambda v: v["path"].strip() or None,
            note=_("Duplicates (same email, or same name in the same organization) are "
                   "skipped; invalid records are skipped and counted.")), chosen)

    def _imported(self, report: Any) -> None:
        if report is None:
            return
        self.notify(_("Imported {c} new contacts ({o} organizations made), skipped {d} "
                      "duplicates and {r} invalid records").format(
            c=report.created, o=report.organizations_created, d=len(report.duplicates),
            r=len(report.rejected)), timeout=10)
        self.table.reload()


def _table(widget_id: str, *columns: str) -> DataTable[Any]:
    table: DataTable[Any] = DataTable(id=widget_id, cursor_type="row", zebra_stripes=True)
    table.add_columns(*columns)
    return table


class ContactScreen(BookScreen):
    """The 360 view of one contact."""

    PLACE_TITLE = N_("Contact")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", N_("Log"), id="contact.log",
                tooltip=N_("Log a call, email or meeting, with the next follow-up")),
        Binding("d", "deal", N_("Deal"), id="contact.deal"),
        Binding("s", "sale", N_("Sale"), id="contact.sale"),
        Binding("p", "purchase", N_("Purchase"), id="contact.purchase"),
        Binding("e", "edit", N_("Edit"), id="contact.edit"),
        Binding("t", "statement", N_("Statement"), id="contact.statement"),
        # rare, and not in the footer (80 columns, Georgian): F1 lists them
        Binding("a", "archive", N_("Archive"), show=False, id="contact.archive",
                tooltip=N_("Archive the contact (hidden from lists, history kept), or "
                           "bring it back")),
        Binding("delete", "delete", N_("Delete"), show=False, id="contact.delete",
                tooltip=N_("Delete a contact nothing refers to (one with history can "
                           "only be archived)")),
    ]

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.view: Any = None

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(id="contact-head"):
            with Vertical(id="contact-card", classes="panel"):
                yield Label("", id="contact-name", classes="panel-title")
                yield Static("", id="contact-details")
            with Vertical(id="contact-money", classes="panel"):
                yield Label(_("Balance"), classes="panel-title")
                yield Static("", id="contact-balance")
        with TabbedContent(id="contact-tabs"):
            with TabPane(_("Invoices"), id="tab-invoices"):
                yield _table("c-invoices", _("Invoice"), _("Date"), _("Due"), _("Total"),
                             _("Paid"), _("Balance due"), _("Days late"))
            with TabPane(_("Orders"), id="tab-orders"):
                yield _table("c-orders", _("Order"), _("Kind"), _("Date"), _("Status"),
                             _("Total"))
            with TabPane(_("Interactions"), id="tab-interactions"):
                yield _table("c-interactions", _("Date"), _("Kind"), _("Summary"),
                             _("Follow up"), _("Done"))
            with TabPane(_("Deals"), id="tab-deals"):
                yield _table("c-deals", _("Deal"), _("Stage"), _("Value"), _("Weighted"),
                             _("Close"))
            with TabPane(_("Payments"), id="tab-payments"):
                yield _table("c-payments", _("Payment"), _("In/out"), _("Date"), _("Amount"),
                             _("Account"), _("Status"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()

    def book_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="contact360")
    def load(self) -> None:
        try:
            view = self.book.contact_360(self.contact_id)
        except Exception as exc:
            self.deliver(self.notify, str(exc), severity="error")
            return
        self.deliver(self.show, view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A sale is offered for a customer or lead, a purchase for a supplier (both for a
        contact with no role yet)."""
        roles = set(self.view.roles) if self.view is not None else set()
        if action == "sale":
            return roles != {"supplier"}
        if action == "purchase":
            return not roles or "supplier" in roles
        return True

    def show(self, v: Any) -> None:
        self.view = v
        self.refresh_bindings()
        f = self.fmt
        self.query_one("#contact-name", Label).update(v.name)
        lines = [" · ".join(x for x in (_(v.kind), ", ".join(v.roles),
                                         v.organization[1] if v.organization else "") if x)]
        lines += [x for x in (v.email, v.phone, v.address, v.tax_id and f"tax id {v.tax_id}")
                  if x]
        if v.tags:
            lines.append(_("tags: {t}").format(t=", ".join(v.tags)))
        if v.next_follow_up is not None:
            nf = v.next_follow_up
            lines.append(_("next follow-up {d}: {s}").format(d=nf.follow_up, s=nf.summary))
        if v.kind == "organization" and v.member_count:
            lines.append(_("people: {names}").format(
                names=", ".join(m.name for m in v.members[:5]) +
                (" …" if v.member_count > 5 else "")))
        self.query_one("#contact-details", Static).update("\n".join(lines))
        extra = v.extra
        balance = []
        if "total_owed" in extra:
            balance.append(_("Owes us      {x}").format(x=f(extra["total_owed"])))
            balance.append(_("We owe them  {x}").format(x=f(extra["total_we_owe"])))
            if extra.get("credit"):
                balance.append(_("Their credit {x}").format(x=f(extra["credit"])))
        else:
            balance.append(_("(orders are not installed)"))
        open_deals = [d for d in v.deals if d.is_open]
        balance.append(_("Open deals   {n} · weighted {x}").format(
            n=len(open_deals), x=f(sum((d.weighted for d in open_deals), Decimal(0)))))
        self.query_one("#contact-balance", Static).update("\n".join(balance))
        self._fill("c-invoices", [
            (i["number"], str(i["date"]), str(i["due_date"]), f(i["gross"]), f(i["paid"]),
             f(i["balance_due"]), str(i["days_overdue"] or ""))
            for i in extra.get("open_invoices", []) + extra.get("open_bills", [])],
            right={3, 4, 5, 6}, keyed=True)
        self._fill("c-orders", [(o["number"], o["kind"], str(o["date"]), o["status"],
                                 f(o["gross"])) for o in extra.get("open_orders", [])],
                   right={4}, keyed=True)
        self._fill("c-interactions", [
            (format_date(i.date), _(i.kind), i.summary, format_date(i.follow_up),
             "✓" if i.done else "")
            for i in v.interactions])
        self._fill("c-deals", [(d.title, _(d.stage), f(d.value), f(d.weighted),
                                str(d.expected_close or d.closed_on or "")) for d in v.deals],
                   right={2, 3})
        self._fill("c-payments", [(p["number"], p["direction"], str(p["date"]), f(p["amount"]),
                                   p["account"], p["status"]) for p in extra.get("payments", [])],
                   right={3})

    def _fill(self, widget_id: str, rows: list[tuple[str, ...]],
              right: frozenset[int] | set[int] = frozenset(), keyed: bool = False) -> None:
        """Rows of one tab; figures right-aligned. Refilled after a write, the cursor
        stays on its row."""
        table = self.query_one(f"#{widget_id}", DataTable)
        at = table.cursor_row
        table.clear()
        for row in rows:
            # Text, not str: a DataTable reads a str cell as markup ("[b]" in a name)
            table.add_row(*[Text(c, justify="right") if i in right else Text(c)
                            for i, c in enumerate(row)], key=row[0] if keyed else None)
        if 0 < at < table.row_count:
            table.move_cursor(row=at)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a line opens the document it stands for (escape comes back)."""
        table_id = event.data_table.id
        number = str(event.row_key.value or "")
        if table_id == "c-invoices" and number:
            from smallbiz.screens.invoices import InvoiceDialog

            self.app.push_screen(InvoiceDialog(number))
        elif table_id == "c-orders" and number:
            from smallbiz.screens.orders import OrderScreen

            kind = str(event.data_table.get_row(event.row_key)[1])
            self.app.push_screen(OrderScreen(kind, number=number), self._reload)

    def _reload(self, result: Any) -> None:
        if result is not None:
            self.load()

    def action_log(self) -> None:
        if self.view is not None:
            self.app.push_screen(log_form(self.book, self.view.name), self._reload)

    def action_deal(self) -> None:
        if self.view is not None:
            self.app.push_screen(deal_form(self.book, self.view.name), self._reload)

    def action_edit(self) -> None:
        self.app.push_screen(contact_form(self.book, self.contact_id), self._reload)

    def action_statement(self) -> None:
        from smallbiz.screens.statement import StatementScreen

        self.app.push_screen(StatementScreen(self.contact_id))
    def action_archive(self) -> None:
        """Archive the contact (hidden from lists, history kept), or bring it back."""
        if self.view is None:
            return
        archived = not self.view.archived
        question = (_("Archive {name}?") if archived else _("Bring {name} back from the "
                                                            "archive?")).format(name=self.view.name)

        def answer(yes: bool | None) -> None:
            if yes:
                self.write(self.book.set_archived, self.contact_id, archived,
                           done=lambda _r: (self.notify(_("Archived") if archived
                                                        else _("Back from the archive")),
                                            self.load()))

        self.app.push_screen(ConfirmDialog(question), answer)

    def action_delete(self) -> None:
        """Delete a contact nothing refers to (one with history can only be archived)."""
        if self.view is None:
            return
        name = self.view.name

        def deleted(_ref: Any) -> None:
            self.notify(_("{name} deleted").format(name=name))
            self.dismiss()

        def answer(yes: bool | None) -> None:
            if yes:
                self.write(self.book.delete_contact, self.contact_id, done=deleted)

        self.app.push_screen(ConfirmDialog(_("Delete {name}?").format(name=name),
                                           _("Only a contact with no documents, deals or "
                                             "interactions can be deleted.")), answer)

    def action_sale(self) -> None:
        self._order("sale")

    def action_purchase(self) -> None:
        self._order("purchase")

    def _order(self, kind: str) -> None:
        from smallbiz.screens.orders import OrderScreen

        if self.view is not None:
            self.app.push_screen(OrderScreen(kind, contact=self.view.name), self._reload)


class FollowUpsScreen(BookScreen):
    """Open follow-ups due today or earlier; `x` ticks one off, enter opens the contact."""

    PLACE_TITLE = N_("Follow-ups due")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "done", N_("Done"), id="followups.done"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        yield _table("followups", _("Due"), _("Contact"), _("Kind"), _("Summary"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one(DataTable).focus()

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for i in self.attempt(self.book.due_follow_ups) or []:
            table.add_row(str(i.follow_up), Text(i.contact), i.kind, Text(i.summary),
                          key=f"{i.id}:{i.contact_id}")

    def _current(self) -> tuple[int, int] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        a, b = key.split(":")
        return int(a), int(b)

    def action_done(self) -> None:
        current = self._current()
        if current:
            def marked(_view: Any) -> None:
                self.notify(_("Done"))
                self.load()

            self.write(self.book.mark_done, current[0], done=marked)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        current = self._current()
        if current:
            self.app.push_screen(ContactScreen(current[1]))
