"""Alembic environment: smallbiz passes its own connection (see smallbiz.db)."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - smallbiz always supplies one
    raise RuntimeError("run migrations through smallbiz.db.Database")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
