"""Contacts: resolve what a user types to a contact; the contact 360 view.

(Minimal core used by other packages; the CRM work extends this module, keeping these
signatures.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from smallbiz import audit
from smallbiz.crm.models import Contact
from smallbiz.dates import now
from smallbiz.errors import ValidationError
from smallbiz.i18n import _
from smallbiz.refs import choose, like_prefix


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str
    kind: str
    is_customer: bool
    is_supplier: bool
    is_lead: bool
    archived: bool
    payment_terms_days: int | None


def _ref(c: Contact) -> ContactRef:
    return ContactRef(c.id or 0, c.name, c.kind, c.is_customer, c.is_supplier, c.is_lead,
                      c.archived, c.payment_terms_days)


def resolve_contact(s: Session, ref: str | int, *, field: str = "contact",
                    include_archived: bool = True) -> ContactRef:
    """A contact by id, exact name (case-insensitive), email, or unique name prefix."""
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("{field}: a contact is required").format(field=field),
                              field=field)
    base = select(Contact)
    if not include_archived:
        base = base.where(Contact.archived == False)  # noqa: E712
    exact = list(s.exec(base.where(or_(func.lower(Contact.name) == text.lower(),
                                       func.lower(Contact.email) == text.lower())).limit(20)))
    if not exact and text.isdigit():
        c = s.get(Contact, int(text))
        exact = [c] if c is not None else []
    prefixed: list[Contact] = []
    if not exact:
        prefixed = list(s.exec(base.where(func.lower(Contact.name).like(
            like_prefix(text.lower()), escape="\\")).order_by(Contact.name).limit(50)))
    c = choose(text, _("contact"), exact, prefixed, lambda c: c.name, field=field)
    return _ref(c)


def create_contact(s: Session, name: str, *, kind: str = "person", customer: bool = False,
                   supplier: bool = False, lead: bool = False, **fields: Any) -> ContactRef:
    """Create a contact (the CRM work adds full validation, tags and search indexing)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("name: must not be empty"), field="name")
    stamp = now()
    c = Contact(name=name, kind=kind, is_customer=customer, is_supplier=supplier, is_lead=lead,
                created_at=stamp, updated_at=stamp, **fields)
    s.add(c)
    s.flush()
    audit.record(s, "create", "contact", c.id, name)
    return _ref(c)


#: Providers that add sections to the contact 360 view (orders adds open orders,
#: invoices, balance, payments). Each takes (session, contact_id) and returns a dict of
#: JSON-able values (lists of dicts, Decimals, dates) merged into the view.
CONTACT_360_PROVIDERS: list[Callable[[Session, int], dict[str, Any]]] = []


def register_360_provider(fn: Callable[[Session, int], dict[str, Any]]) -> None:
    if fn not in CONTACT_360_PROVIDERS:
        CONTACT_360_PROVIDERS.append(fn)
