"""The contact 360 view: everything the firm knows about one contact, in one call.

The CLI's `contact show` and the TUI's contact screen both render it. Other packages add
sections through `smallbiz.crm.service.register_360_provider` (orders adds open orders,
invoices with balance due, total owed, payments); their results arrive in `extra`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from smallbiz.crm import details
from smallbiz.crm.deals import DealView, deals_of
from smallbiz.crm.interactions import (
    InteractionView,
    count_interactions,
    interactions_of,
    next_follow_up,
)
from smallbiz.crm.search import roles_of, tags_of
from smallbiz.crm.service import Channel, _resolve, extra_channels
from smallbiz.dates import as_datetime
from smallbiz.sql import Tx


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    kind: str
    roles: tuple[str, ...]
    emails: tuple[Channel, ...]  # the first is the main one
    phones: tuple[Channel, ...]
    street: str
    city: str
    postcode: str
    country: str
    tax_id: str
    notes: str
    payment_terms_days: int | None
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    organization: tuple[int, str] | None  # (id, name) of the person's organization
    members: tuple[Member, ...]  # an organization's people (first `members` of them)
    member_count: int
    tags: tuple[str, ...]
    interactions: tuple[InteractionView, ...]  # newest first
    interaction_count: int
    deals: tuple[DealView, ...]
    next_follow_up: InteractionView | None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Address-book details (crm.details): region, birthday, title, further addresses, ...
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return self.emails[0].value if self.emails else ""

    @property
    def phone(self) -> str:
        return self.phones[0].value if self.phones else ""

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, self.postcode, self.city, self.country) if p)


#: A section of the 360 view another package adds (orders: open orders, invoices,
#: balance, payments): (transaction, contact id) -> JSON-able values for `extra`.
Section = Callable[[Tx, int], dict[str, Any]]


def contact_360(s: Tx, ref: str | int, *, interactions: int = 20, members: int = 100,
                sections: Sequence[Section] = ()) -> ContactView:
    """One contact's details, organization (or an organization's members), tags, latest
    interactions, deals, next follow-up, and the `sections` the composition root passes
    (`smallbiz.app.root`)."""
    c = _resolve(s, ref)
    assert c.id is not None
    more_emails, more_phones = extra_channels(s, c.id)
    emails = ((Channel(c.email, c.email_label),) if c.email else ()) + tuple(more_emails)
    phones = ((Channel(c.phone, c.phone_label),) if c.phone else ()) + tuple(more_phones)
    org = None
    if c.organization_id is not None:
        org_name = s.execute("SELECT name FROM contact WHERE id = :i",
                             {"i": c.organization_id}).scalar()
        org = (c.organization_id, org_name)
    people: tuple[Member, ...] = ()
    member_count = 0
    if c.kind == "organization":
        member_count = int(s.execute(
            "SELECT COUNT(*) FROM contact WHERE organization_id = :i", {"i": c.id}).scalar())
        people = tuple(Member(*r) for r in s.execute(
            "SELECT id, name, email, phone FROM contact WHERE organization_id = :i "
            "ORDER BY name_key, id LIMIT :n", {"i": c.id, "n": members}))
    extra: dict[str, Any] = {}
    for section in sections:
        extra.update(section(s, c.id))
    return ContactView(
        id=c.id, name=c.name, kind=c.kind,
        roles=roles_of(c.is_customer, c.is_supplier, c.is_lead),
        emails=emails, phones=phones, street=c.street, city=c.city, postcode=c.postcode,
        country=c.country, tax_id=c.tax_id, notes=c.notes,
        payment_terms_days=c.payment_terms_days, archived=c.archived,
        created_at=as_datetime(c.created_at), updated_at=as_datetime(c.updated_at),
        organization=org, members=people,
        member_count=member_count, tags=tuple(tags_of(s, [c.id]).get(c.id, ())),
        interactions=tuple(interactions_of(s, c.id, limit=interactions)),
        interaction_count=count_interactions(s, c.id), deals=tuple(deals_of(s, c.id)),
        next_follow_up=next_follow_up(s, c.id), extra=extra, details=contact_details(s, c.id))


def contact_details(s: Tx, contact_id: int) -> dict[str, Any]:
    """The address-book details of a contact that have a value (JSON-able)."""
    row = s.row(f"SELECT {details.SELECT} FROM contact c WHERE c.id = :i", {"i": contact_id})
    if row is None:
        return {}
    values = details.from_columns(tuple(row))
    values["name_parts"] = list(values["name_parts"])
    # the names of the card properties kept for export (not their values: a photo)
    values["vcard_extra"] = [line.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].upper()
                             for line in values["vcard_extra"]]
    values["addresses"] = [asdict(a) for a in
                           details.addresses_of(s, [contact_id]).get(contact_id, [])]
    return {k: v for k, v in values.items() if v}


def interaction_dict(i: InteractionView) -> dict[str, Any]:
    return {"id": i.id, "contact": i.contact, "kind": i.kind, "date": i.date,
            "summary": i.summary, "follow_up": i.follow_up, "done": i.done}


def deal_dict(d: DealView) -> dict[str, Any]:
    return {"id": d.id, "title": d.title, "contact": d.contact, "value": d.value,
            "stage": d.stage, "probability": d.probability, "weighted": d.weighted,
            "expected_close": d.expected_close, "closed_on": d.closed_on}


def view_dict(v: ContactView) -> dict[str, Any]:
    """The view as JSON-able data; `extra` sections are merged into the top level."""
    data: dict[str, Any] = {
        "id": v.id, "name": v.name, "kind": v.kind, "roles": list(v.roles),
        "email": v.email, "phone": v.phone,
        "emails": [{"value": e.value, "label": e.label} for e in v.emails],
        "phones": [{"value": p.value, "label": p.label} for p in v.phones],
        "address": {"street": v.street, "city": v.city, "postcode": v.postcode,
                    "country": v.country},
        "tax_id": v.tax_id, "notes": v.notes, "payment_terms_days": v.payment_terms_days,
        "archived": v.archived, "created_at": v.created_at, "updated_at": v.updated_at,
        "organization": ({"id": v.organization[0], "name": v.organization[1]}
                         if v.organization else None),
        "tags": list(v.tags),
        "interactions": [interaction_dict(i) for i in v.interactions],
        "interaction_count": v.interaction_count,
        "deals": [deal_dict(d) for d in v.deals],
        "next_follow_up": interaction_dict(v.next_follow_up) if v.next_follow_up else None,
        "details": dict(v.details),
    }
    if v.kind == "organization":
        data["members"] = [{"id": m.id, "name": m.name, "email": m.email, "phone": m.phone}
                           for m in v.members]
        data["member_count"] = v.member_count
    for key, value in v.extra.items():
        data.setdefault(key, value)
    return data
