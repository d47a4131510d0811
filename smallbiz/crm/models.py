"""Tables owned by the CRM package."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    """A person or an organization the firm deals with (customer, supplier, lead)."""

    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="person", max_length=16)  # person | organization
    name: str = Field(max_length=200, index=True)
    organization_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    is_customer: bool = False
    is_supplier: bool = False
    is_lead: bool = False
    email: str = Field(default="", max_length=200, index=True)
    phone: str = Field(default="", max_length=64)
    street: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    postcode: str = Field(default="", max_length=32)
    country: str = Field(default="", max_length=100)
    tax_id: str = Field(default="", max_length=64)
    notes: str = Field(default="")
    payment_terms_days: int | None = None  # None: the book's default terms
    archived: bool = Field(default=False, index=True)
    created_at: dt.datetime
    updated_at: dt.datetime
