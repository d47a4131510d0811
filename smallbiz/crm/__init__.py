"""Contacts (CRM): people and organizations, interactions, follow-ups, deals, forecast."""
