"""`smallbiz import ...` and `smallbiz export ...` (other packages add their formats)."""

from __future__ import annotations

import typer

import_app = typer.Typer(help="Import contacts, products or a journal.", no_args_is_help=True)
export_app = typer.Typer(help="Export contacts or the journal.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
