"""`smallbiz contact|log|deal ...`, `report forecast`, `import contacts`, `export contacts`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.io import Bar, export_app, import_app
from smallbiz.cli.report import report_app
from smallbiz.cli.state import (
    JSON_HELP,
    LOCALE,
    console,
    details_grid,
    print_json,
    say,
    state,
    table,
    want_json,
)
from smallbiz.dates import format_date, format_date_text
from smallbiz.i18n import N_, _, ngettext

#: The stored words a table shows translated: stages, interaction kinds, roles.
WORDS = (N_("lead"), N_("qualified"), N_("proposal"), N_("negotiation"), N_("won"),
         N_("lost"), N_("call"), N_("email"), N_("meeting"), N_("note"), N_("task"),
         N_("customer"), N_("supplier"))

if TYPE_CHECKING:
    from smallbiz.crm.deals import DealView
    from smallbiz.crm.interactions import InteractionView
    from smallbiz.crm.search import ContactRow
    from smallbiz.crm.view import ContactView

JSON = typer.Option(False, "--json", help=JSON_HELP)

contact_app = typer.Typer(help="Contacts: people and organizations.", no_args_is_help=True,
                          rich_markup_mode=None)
log_app = typer.Typer(help="Interactions and follow-ups.", no_args_is_help=True,
                      rich_markup_mode=None)
deal_app = typer.Typer(help="Deals: the sales pipeline.", no_args_is_help=True,
                       rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(contact_app, name="contact")
    app.add_typer(log_app, name="log")
    app.add_typer(deal_app, name="deal")


def _err(message: str) -> None:
    typer.echo(message, err=True)


#: The address labels the importers write, shown translated (other labels as typed).
ADDRESS_LABELS = (N_("home"), N_("work"), N_("other"))


def _detail_rows(d: dict[str, Any]) -> list[tuple[str, str]]:
    """`contact show`'s lines of the address-book details."""
    d = {**d, "birthday": format_date_text(str(d.get("birthday", "")))}
    rows = [(_(label), str(d.get(key, ""))) for label, key in (
        (N_("Region"), "region"), (N_("Job title"), "title"), (N_("Role"), "role"),
        (N_("Department"), "department"), (N_("Birthday"), "birthday"),
        (N_("Nickname"), "nickname"), (N_("Website"), "website"))]
    for a in d.get("addresses", []):
        place = ", ".join(a[k] for k in ("street", "postcode", "city", "region", "country")
                          if a[k])
        label = _(a["label"]) if a["label"] in ADDRESS_LABELS else a["label"]
        rows.append((_("Address ({label})").format(label=label)
                     if a["label"] else _("Address"), place))
    if d.get("vcard_extra"):
        rows.append((_("vCard only"), ", ".join(dict.fromkeys(d["vcard_extra"]))))
    return rows


def _e(text: str) -> str:
    """User text in a Rich table or line: brackets stay brackets, not markup."""
    from rich.markup import escape

    return escape(text)


def _written(ctx: typer.Context, json_out: bool, data: Any, reference: int) -> None:
    """The result of a write: JSON, or the new or changed record's id alone on stdout."""
    if want_json(ctx, json_out):
        print_json(data)
    else:
        typer.echo(str(reference))


def _count(n: int, singular: str, plural: str) -> str:
    """`1 contact`, `1,234 contacts` (both forms are msgids: Georgian has one form after a
    number)."""
    return _(singular if n == 1 else plural).format(n=f"{n:,}")


def _money(value: Any) -> str:
    from smallbiz.money import format_number

    return format_number(value)


# -- contact ---------------------------------------------------------------------------------

ADDRESS_HELP = {"street": N_("Street and number."), "city": N_("City."),
                "postcode": N_("Postal code."), "country": N_("Country.")}


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's or organization's name."),
    org: bool = typer.Option(False, "--org", help="This contact is an organization."),
    company: str | None = typer.Option(None, "--company", metavar="ORG",
                                       help="The organization the person belongs to (made "
                                            "on the fly if missing)."),
    email: list[str] = typer.Option([], "--email", help="Email address (repeat for more)."),
    phone: list[str] = typer.Option([], "--phone", help="Phone number (repeat for more)."),
    customer: bool = typer.Option(False, "--customer", help="Role: customer."),
    supplier: bool = typer.Option(False, "--supplier", help="Role: supplier."),
    lead: bool = typer.Option(False, "--lead", help="Role: lead."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeat for more)."),
    street: str = typer.Option("", "--street", help=ADDRESS_HELP["street"]),
    city: str = typer.Option("", "--city", help=ADDRESS_HELP["city"]),
    postcode: str = typer.Option("", "--postcode", help=ADDRESS_HELP["postcode"]),
    country: str = typer.Option("", "--country", help=ADDRESS_HELP["country"]),
    tax_id: str = typer.Option("", "--tax-id", help="Tax identification number."),
    notes: str = typer.Option("", "--notes", help="Free text."),
    terms: str | None = typer.Option(None, "--terms", metavar="DAYS",
                                     help="Payment terms in days (default: the book's)."),
    update: bool = typer.Option(False, "--update",
                                help="If the contact exists (same email, or same name and "
                                     "organization), merge these details into it."),
    allow_duplicate: bool = typer.Option(False, "--allow-duplicate",
                                         help="Add it even if such a contact exists."),
    json_out: bool = JSON,
) -> None:
    """Add a contact; prints its id. An organization that already exists is completed
    with the details given instead of being added twice."""
    roles = [r for r, on in (("customer", customer), ("supplier", supplier), ("lead", lead))
             if on]
    policy = "allow" if allow_duplicate else "merge" if (update or org) else "refuse"
    result = state(ctx).book().add_contact(
        name, kind="organization" if org else "person", organization=company, emails=email,
        phones=phone, roles=roles, street=street, city=city, postcode=postcode,
        country=country, tax_id=tax_id, notes=notes, terms=terms, tags=tag,
        on_duplicate=policy)
    c = result.contact
    if want_json(ctx, json_out):
        print_json({"id": c.id, "name": c.name, "kind": c.kind, "created": result.created,
                    "organization_created": result.organization_created})
        return
    if result.organization_created:
        _err(_("note: organization '{name}' added").format(name=result.organization_created))
    if not result.created:
        _err(_("note: {name} already existed (id {id}); details merged").format(
            name=c.name, id=c.id))
    typer.echo(str(c.id))


def _row_dict(r: ContactRow) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "kind": r.kind, "organization": r.organization,
            "email": r.email, "phone": r.phone, "roles": list(r.roles), "tags": list(r.tags),
            "archived": r.archived}


@contact_app.command("list")
def contact_list(
    ctx: typer.Context,
    search: str | None = typer.Option(None, "--search", "-s",
                                      help="Text anywhere in name, organization, email, phone "
                                           "or tags (any script, any case)."),
    role: list[str] = typer.Option([], "--role", help="customer, supplier or lead (repeat to "
                                                      "require several)."),
    tag: list[str] = typer.Option([], "--tag", help="Only contacts with this tag (repeat to "
                                                    "require several)."),
    kind: str | None = typer.Option(None, "--kind", help="person or organization."),
    archived: bool = typer.Option(False, "--archived", help="Include archived contacts."),
    limit: int = typer.Option(50, "--limit", max=10**9, help="At most N contacts (one page)."),
    after: int | None = typer.Option(None, "--after", metavar="ID", min=0, max=2**63 - 1,
                                     help="The page after the contact with this id."),
    json_out: bool = JSON,
) -> None:
    """List contacts in name order, a page at a time."""
    from smallbiz.crm.search import ContactFilter

    f = ContactFilter(search=search, roles=tuple(role), tags=tuple(tag), kind=kind,
                      include_archived=archived)
    as_json = want_json(ctx, json_out)
    book = state(ctx).book()
    rows = book.contacts_page(f, limit=limit, after_id=after)
    total = None if as_json else book.contacts_count(f)
    if as_json:
        print_json([_row_dict(r) for r in rows])
        return
    t = table("Id", "Name", "Organization", "Email", "Phone", "Roles", "Tags", right=("Id",))
    for r in rows:
        name = _e(r.name) + (" " + _("(org)") if r.kind == "organization" else "") + \
            (" " + _("(archived)") if r.archived else "")
        t.add_row(str(r.id), name, _e(r.organization or ""), _e(r.email), _e(r.phone),
                  ", ".join(r.roles), _e(", ".join(r.tags)))
    console().print(t)
    more = (_("; next page: --after {id}").format(id=rows[-1].id)
            if rows and len(rows) == limit else "")
    say(_("{shown} of {total}").format(
        shown=len(rows), total=_count(total or 0, N_("{n} contact"), N_("{n} contacts"))) + more)


def _details(v: ContactView) -> None:
    grid = details_grid()
    kind = _("organization") if v.kind == "organization" else _("person")
    flags = ", ".join([kind, *(_(r) for r in v.roles)] + ([_("archived")] if v.archived else []))
    grid.add_row(_e(v.name), "({flags}, {id})".format(
        flags=flags, id=_("id {id}").format(id=v.id)))
    if v.organization:
        grid.add_row(_("Organization"), _e(v.organization[1]))
    for label, channels in ((_("Email"), v.emails), (_("Phone"), v.phones)):
        for i, ch in enumerate(channels):
            grid.add_row(label if i == 0 else "",
                         _e(ch.value + (f" ({ch.label})" if ch.label else "")))
    for label, value in ((_("Address"), v.address), (_("Tax id"), v.tax_id),
                         (_("Tags"), ", ".join(v.tags)),
                         (_("Payment terms"),
                          ngettext("{n} day", "{n} days", v.payment_terms_days).format(
                              n=v.payment_terms_days)
                          if v.payment_terms_days is not None else ""),
                         (_("Notes"), v.notes),
                         *_detail_rows(v.details)):
        if value:
            grid.add_row(label, _e(value))
    if v.next_follow_up:
        f = v.next_follow_up
        late = f.days_overdue()
        grid.add_row(_("Next follow-up"), f"{f.follow_up} {_(f.kind)}: {_e(f.summary)}"
                     + ("  [red]({late})[/red]".format(
                         late=ngettext("{n} day overdue", "{n} days overdue", late).format(
                             n=late)) if late else ""))
    console().print(grid)


#: The headings of what the other parts of smallbiz add to `contact show` (the sections
#: of `app.root`: their keys, `open_orders` → "Open orders"), for the catalogs.
EXTRA_WORDS = (
    N_("Open orders"), N_("Open invoices"), N_("Open bills"), N_("Total owed"),
    N_("Total we owe"), N_("Quotes"), N_("Credit"), N_("Supplier credit"), N_("Payments"),
    N_("Number"), N_("Kind"), N_("Date"), N_("Status"), N_("Gross"), N_("Due date"),
    N_("Paid"), N_("Balance due"), N_("Days overdue"), N_("Valid until"), N_("Deal"),
    N_("Order"), N_("Direction"), N_("Amount"), N_("Account"),
)
#: Columns whose values are stored words (sale, confirmed, in), shown translated.
_WORD_COLUMNS = ("kind", "status", "direction")


def _render_extra(key: str, value: Any) -> None:
    title = _(key.replace("_", " ").capitalize())
    if isinstance(value, list):
        if not value:
            return
        if all(isinstance(v, dict) for v in value):
            columns: list[str] = []
            for v in value:
                columns.extend(k for k in v if k not in columns)
            t = table(*(c.replace("_", " ").capitalize() for c in columns), title=title)
            for v in value:
                t.add_row(*(_e(_(v[c])) if c in _WORD_COLUMNS and isinstance(v.get(c), str)
                            else _plain(v.get(c)) for c in columns))
            console().print(t)
        else:
            say(f"{title}: " + ", ".join(_plain(v) for v in value))
    elif isinstance(value, dict):
        say(f"{title}:")
        for k, v in value.items():
            say(f"  {k}: {_plain(v)}")
    else:
        say(f"{title}: {_plain(value)}")


def _plain(value: Any) -> str:
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _money(value)
    if hasattr(value, "isoformat"):
        return format_date(value)
    return _e(str(value))


def _interaction_table(rows: list[InteractionView], title: str, *,
                       with_contact: bool = True) -> Any:
    columns = [N_("Id"), N_("Date"), N_("Kind"), N_("Contact"), N_("Summary"), N_("Follow-up")]
    if not with_contact:
        columns.remove("Contact")
    t = table(*columns, title=title, right=("Id",))
    for i in rows:
        follow = ""
        if i.follow_up:
            follow = str(i.follow_up) + (" " + _("done") if i.done else "")
            late = i.days_overdue()
            if late:
                follow += " [red]({late})[/red]".format(late=_("{n}d late").format(n=late))
        cells = [str(i.id), str(i.date), _(i.kind), _e(i.contact), _e(i.summary), follow]
        if not with_contact:
            del cells[3]
        t.add_row(*cells)
    return t


def _deal_table(rows: list[DealView], title: str | None = None) -> Any:
    t = table("Id", "Title", "Contact", "Stage", "Value", "Prob.", "Weighted", "Close",
              title=title, right=("Id", "Value", "Prob.", "Weighted"))
    for d in rows:
        close = str(d.closed_on) if d.closed_on else str(d.expected_close or "")
        t.add_row(str(d.id), _e(d.title), _e(d.contact), _(d.stage), _money(d.value),
                  f"{d.probability.normalize():f}%", _money(d.weighted), close)
    return t


@contact_app.command("show")
def contact_show(ctx: typer.Context,
                 contact: str = typer.Argument(..., help="Id, name, email or unique prefix."),
                 json_out: bool = JSON) -> None:
    """The contact 360 view: details, organization, interactions, deals, next follow-up,
    and what the other parts of smallbiz know (orders, invoices, balance)."""
    from smallbiz.crm.view import view_dict

    v = state(ctx).book().contact_360(contact)
    if want_json(ctx, json_out):
        print_json(view_dict(v))
        return
    _details(v)
    if v.kind == "organization" and v.members:
        t = table("Id", "Name", "Email", "Phone", title=_("Members ({n})").format(n=v.member_count),
                  right=("Id",))
        for m in v.members:
            t.add_row(str(m.id), _e(m.name), _e(m.email), _e(m.phone))
        console().print(t)
    if v.interactions:
        shown = _("latest {n} of {total}").format(n=len(v.interactions),
                                                 total=v.interaction_count) \
            if v.interaction_count > len(v.interactions) else str(v.interaction_count)
        console().print(_interaction_table(list(v.interactions),
                                           _("Interactions ({shown})").format(shown=shown),
                                           with_contact=False))
    if v.deals:
        console().print(_deal_table(list(v.deals), _("Deals")))
    for key, value in v.extra.items():
        _render_extra(key, value)


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help="Id, name, email or unique prefix."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    org: bool | None = typer.Option(None, "--org/--person",
                                    help="Make it an organization / a person."),
    company: str | None = typer.Option(None, "--company", metavar="ORG",
                                       help="Belongs to this organization (made if missing)."),
    no_company: bool = typer.Option(False, "--no-company", help="Belongs to no organization."),
    email: str | None = typer.Option(None, "--email", help="Main email ('' clears it)."),
    phone: str | None = typer.Option(None, "--phone", help="Main phone ('' clears it)."),
    customer: bool | None = typer.Option(None, "--customer/--no-customer", help="Role."),
    supplier: bool | None = typer.Option(None, "--supplier/--no-supplier", help="Role."),
    lead: bool | None = typer.Option(None, "--lead/--no-lead", help="Role."),
    tag: list[str] = typer.Option([], "--tag", help="Add a tag (repeatable)."),
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag (repeatable)."),
    street: str | None = typer.Option(None, "--street", help=ADDRESS_HELP["street"]),
    city: str | None = typer.Option(None, "--city", help=ADDRESS_HELP["city"]),
    postcode: str | None = typer.Option(None, "--postcode", help=ADDRESS_HELP["postcode"]),
    country: str | None = typer.Option(None, "--country", help=ADDRESS_HELP["country"]),
    tax_id: str | None = typer.Option(None, "--tax-id", help="Tax identification number."),
    notes: str | None = typer.Option(None, "--notes", help="Free text (replaces the notes)."),
    terms: str | None = typer.Option(None, "--terms", metavar="DAYS",
                                     help="Payment terms in days, or 'default'."),
    json_out: bool = JSON,
) -> None:
    """Change a contact; only the options given change. Prints its id."""
    from smallbiz.errors import ValidationError

    if company is not None and no_company:
        raise ValidationError("--company and --no-company exclude each other")
    changes: dict[str, Any] = {k: v for k, v in {
        "name": name, "email": email, "phone": phone, "customer": customer,
        "supplier": supplier, "lead": lead, "street": street, "city": city,
        "postcode": postcode, "country": country, "tax_id": tax_id, "notes": notes,
    }.items() if v is not None}
    if org is not None:
        changes["kind"] = "organization" if org else "person"
    if company is not None:
        changes["organization"] = company
    if no_company:
        changes["organization"] = None
    if terms is not None:
        changes["payment_terms_days"] = terms
    c = state(ctx).book().edit_contact(contact, add_tags=tag, remove_tags=untag, **changes)
    _written(ctx, json_out, {"id": c.id, "name": c.name, "kind": c.kind}, c.id)


def _set_archived(ctx: typer.Context, contact: str, archived: bool, json_out: bool) -> None:
    c = state(ctx).book().set_archived(contact, archived)
    _written(ctx, json_out, {"id": c.id, "name": c.name, "archived": c.archived}, c.id)


@contact_app.command("archive")
def contact_archive(ctx: typer.Context,
                    contact: str = typer.Argument(..., help="Id, name, email or prefix."),
                    json_out: bool = JSON) -> None:
    """Archive a contact: hidden from lists and search, kept for the books and history."""
    _set_archived(ctx, contact, True, json_out)


@contact_app.command("unarchive")
def contact_unarchive(ctx: typer.Context,
                      contact: str = typer.Argument(..., help="Id, name, email or prefix."),
                      json_out: bool = JSON) -> None:
    """Bring an archived contact back."""
    _set_archived(ctx, contact, False, json_out)


@contact_app.command("delete")
def contact_delete(ctx: typer.Context,
                   contact: str = typer.Argument(..., help="Id, name, email or prefix."),
                   json_out: bool = JSON) -> None:
    """Delete a contact nothing refers to (a mistake); one with history can only be
    archived."""
    c = state(ctx).book().delete_contact(contact)
    _written(ctx, json_out, {"id": c.id, "name": c.name, "deleted": True}, c.id)


# -- log -------------------------------------------------------------------------------------

@log_app.command("add")
def log_add(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help="Id, name, email or unique prefix."),
    text: str = typer.Argument(..., help="What happened."),
    kind: str = typer.Option("note", "--kind", help="call, email, meeting, note or task."),
    date: str = typer.Option("today", "--date", help="When (YYYY-MM-DD or today)."),
    follow_up: str | None = typer.Option(None, "--follow-up", metavar="DATE",
                                         help="Follow up on this day (a task: its date)."),
    json_out: bool = JSON,
) -> None:
    """Record an interaction with a contact; prints its id (for `log done`)."""
    from smallbiz.crm.view import interaction_dict

    i = state(ctx).book().log_interaction(contact, text, kind=kind, on=date,
                                          follow_up=follow_up)
    _written(ctx, json_out, interaction_dict(i), i.id)


@log_app.command("due")
def log_due(ctx: typer.Context,
            until: str = typer.Option("today", "--until", help="Due on or before this day."),
            json_out: bool = JSON) -> None:
    """Open follow-ups due by a day (default today), the most overdue first."""
    from smallbiz.crm.view import interaction_dict

    rows = state(ctx).book().due_follow_ups(until)
    if want_json(ctx, json_out):
        print_json([{**interaction_dict(i), "days_overdue": i.days_overdue()} for i in rows])
        return
    console().print(_interaction_table(rows, f"Follow-ups due by {until}"))


@log_app.command("done")
def log_done(ctx: typer.Context,
             interaction: str = typer.Argument(..., metavar="ID",
                                               help="The interaction's id."),
             json_out: bool = JSON) -> None:
    """Mark an interaction's follow-up done."""
    from smallbiz.crm.view import interaction_dict

    i = state(ctx).book().mark_done(interaction)
    _written(ctx, json_out, interaction_dict(i), i.id)


# -- deal ------------------------------------------------------------------------------------

@deal_app.command("add")
def deal_add(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help="Id, name, email or unique prefix."),
    title: str = typer.Argument(..., help="What the deal is about."),
    value: str = typer.Option(..., "--value", help="Expected value in the book currency."),
    stage: str = typer.Option("lead", "--stage",
                              help="lead, qualified, proposal, negotiation, won or lost."),
    probability: str | None = typer.Option(None, "--probability", metavar="PCT",
                                           help="Chance of winning (default: the stage's)."),
    close: str | None = typer.Option(None, "--close", metavar="DATE",
                                     help="Expected close date."),
    json_out: bool = JSON,
) -> None:
    """Open a deal; prints its id."""
    from smallbiz.crm.view import deal_dict

    d = state(ctx).book().add_deal(contact, title, value, stage=stage, probability=probability,
                                   expected_close=close)
    _written(ctx, json_out, deal_dict(d), d.id)


@deal_app.command("list")
def deal_list(ctx: typer.Context,
              stage: str | None = typer.Option(None, "--stage", help="Only this stage."),
              contact: str | None = typer.Option(None, "--contact", help="Only this contact."),
              open_only: bool = typer.Option(False, "--open", help="Only open deals."),
              json_out: bool = JSON) -> None:
    """Deals: open ones by expected close, then closed ones."""
    from smallbiz.crm.view import deal_dict

    rows = state(ctx).book().deals(stage=stage, contact=contact, open_only=open_only)
    if want_json(ctx, json_out):
        print_json([deal_dict(d) for d in rows])
        return
    console().print(_deal_table(rows))


@deal_app.command("move")
def deal_move(ctx: typer.Context,
              deal: str = typer.Argument(..., help="Id, title or unique title prefix."),
              stage: str = typer.Argument(..., help="The new stage."),
              probability: str | None = typer.Option(None, "--probability", metavar="PCT",
                                                     help="Chance (default: the stage's)."),
              date: str | None = typer.Option(None, "--date",
                                              help="Closed on (won/lost; default today)."),
              json_out: bool = JSON) -> None:
    """Move a deal to another stage; prints its id."""
    from smallbiz.crm.view import deal_dict

    d = state(ctx).book().move_deal(deal, stage, probability=probability, on=date)
    _written(ctx, json_out, deal_dict(d), d.id)


@deal_app.command("edit")
def deal_edit(ctx: typer.Context,
              deal: str = typer.Argument(..., help="Id, title or unique title prefix."),
              title: str | None = typer.Option(None, "--title", help="New title."),
              value: str | None = typer.Option(None, "--value", help="New expected value."),
              close: str | None = typer.Option(None, "--close", metavar="DATE",
                                               help="New expected close date ('' clears it)."),
              stage: str | None = typer.Option(None, "--stage", help="New stage."),
              probability: str | None = typer.Option(None, "--probability", metavar="PCT",
                                                     help="New chance of winning."),
              json_out: bool = JSON) -> None:
    """Change a deal's title, value, expected close, stage or probability; prints its id."""
    from smallbiz.crm.view import deal_dict

    d = state(ctx).book().edit_deal(deal, title=title, value=value, expected_close=close,
                                    stage=stage, probability=probability)
    _written(ctx, json_out, deal_dict(d), d.id)


@report_app.command("forecast")
def report_forecast(ctx: typer.Context,
                    start: str | None = typer.Option(None, "--from",
                                                     help="First day of the period."),
                    end: str | None = typer.Option(None, "--to", help="Last day."),
                    json_out: bool = JSON) -> None:
    """Weighted pipeline per month of expected close, and deals won and lost."""
    f = state(ctx).book().forecast(start, end)
    if want_json(ctx, json_out):
        print_json({"report": "forecast", "from": f.start, "to": f.end,
                    "rows": [{"month": m.month, "count": m.count, "value": m.value,
                              "weighted": m.weighted} for m in f.months],
                    "open_count": f.open_count, "open_value": f.open_value,
                    "weighted_value": f.weighted_value,
                    "won_count": f.won_count, "won_value": f.won_value,
                    "lost_count": f.lost_count, "lost_value": f.lost_value})
        return
    period = (_("{start} to {end}").format(start=f.start or "…", end=f.end or "…")
              if f.start or f.end else _("all deals"))
    t = table("Month", "Deals", "Value", "Weighted",
              title=_("Forecast ({period})").format(period=period),
              right=("Deals", "Value", "Weighted"))
    for m in f.months:
        t.add_row(m.month or _("no date"), str(m.count), _money(m.value), _money(m.weighted))
    t.add_section()
    t.add_row(_("Open pipeline"), str(f.open_count), _money(f.open_value),
              _money(f.weighted_value))
    t.add_row(_("Won"), str(f.won_count), _money(f.won_value), "")
    t.add_row(_("Lost"), str(f.lost_count), _money(f.lost_value), "")
    console().print(t)


# -- import / export -------------------------------------------------------------------------

FORMAT = typer.Option(None, "--format", help="csv or vcard (default: from the file name).")


@import_app.command("contacts")
def import_contacts(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="A .csv or .vcf file."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid",
                                      help="Import the good records, report the rejects "
                                           "(default: all or nothing)."),
    update: bool = typer.Option(False, "--update",
                                help="Merge duplicates into the existing contacts (default: "
                                     "report and skip them)."),
    fmt: str | None = FORMAT,
    locale: str | None = LOCALE,
    json_out: bool = JSON,
) -> None:
    """Import contacts from CSV (smallbiz, Google, Outlook, LinkedIn, Yahoo, Thunderbird
    layouts) or vCard (2.1, 3.0 or 4.0). All or nothing unless
    --skip-invalid; duplicates (same email, or same name and organization) are reported,
    or merged with --update."""
    book = state(ctx).book()
    with Bar(_("Importing contacts")) as bar:
        report = book.import_contacts(file, bar.set_total, bar.advance, fmt=fmt,
                                      skip_invalid=skip_invalid, update=update,
                                      locale=locale)
    if want_json(ctx, json_out):
        print_json({"file": file, "created": report.created, "updated": report.updated,
                    "duplicates": [{"where": d.where, "name": d.name, "existing_id": d.existing_id,
                                    "reason": d.reason} for d in report.duplicates],
                    "rejected": [{"where": r.where, "error": r.error} for r in report.rejected],
                    "ignored_columns": list(report.ignored_columns),
                    "not_kept": dict(report.not_kept),
                    "kept_for_export": dict(report.kept_for_export),
                    "notes": list(report.notes)})
        return
    if report.ignored_columns:
        names = list(dict.fromkeys(report.ignored_columns))  # a header may repeat one 1M times
        _err(_("warning: unknown columns ignored: {names}").format(names=", ".join(names[:20]))
             + (_(" ... and {n} more").format(n=len(names) - 20) if len(names) > 20 else ""))
    for d in report.duplicates:
        verb = _("merged into") if update else _("skipped, duplicate of")
        known = (_("id {id}").format(id=d.existing_id) + ", "
                 if d.existing_id is not None else "")  # a row above
        _err(f"{d.where}: {d.name}: {verb} '{d.existing}' ({known}{d.reason})")
    for r in report.rejected:
        _err(_("{where}: rejected: {error}").format(where=r.where, error=r.error))
    for note in report.notes:
        _err(note)
    if report.not_kept:
        _err(_("not kept: {fields}").format(
            fields=", ".join(f"{what} ({n})" for what, n in report.not_kept)))
    if report.kept_for_export:
        _err(_("kept for vCard export only: {fields}").format(
            fields=", ".join(f"{what} ({n})" for what, n in report.kept_for_export)))
    say(_("Imported {what}").format(what=_count(report.created, N_("{n} new contact"),
                                                N_("{n} new contacts")))
        + (_(", updated {n}").format(n=report.updated) if report.updated else "")
        + (_(", {n} duplicates").format(n=len(report.duplicates))
           if report.duplicates and not update else "")
        + (_(", {n} rejected").format(n=len(report.rejected)) if report.rejected else "")
        + _(" from {file}").format(file=_e(file)))


@export_app.command("contacts")
def export_contacts(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="A .csv or .vcf file to write ('-': stdout)."),
    vcard_version: str = typer.Option("4.0", "--vcard-version", help="4.0 or 3.0."),
    archived: bool = typer.Option(False, "--archived", help="Include archived contacts."),
    fmt: str | None = FORMAT,
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never the "
                               "book or its -wal/-shm files)."),
    json_out: bool = JSON,
) -> None:
    """Export contacts to CSV or vCard (4.0, or 3.0 with --vcard-version 3.0)."""
    book = state(ctx).book()
    with Bar(_("Exporting contacts")) as bar:
        count = book.export_contacts(file, fmt=fmt, vcard_version=vcard_version,
                                     include_archived=archived, force=force,
                                     set_total=bar.set_total, advance=bar.advance)
    if want_json(ctx, json_out):
        print_json({"file": file, "contacts": count})
    elif file != "-":
        say(_("Exported {what} to {file}").format(
            what=_count(count, N_("{n} contact"), N_("{n} contacts")), file=_e(file)))
