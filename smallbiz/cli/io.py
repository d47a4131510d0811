"""`smallbiz import ...` and `smallbiz export ...` (other packages add their formats)."""

from __future__ import annotations

import os

import typer

from smallbiz.cli.state import JSON_HELP, print_json, progress, state, want_json

JSON = typer.Option(False, "--json", help=JSON_HELP)

import_app = typer.Typer(help="Import contacts, products or a journal.", no_args_is_help=True,
                         rich_markup_mode=None)
export_app = typer.Typer(help="Export contacts or the journal.", no_args_is_help=True,
                         rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


@import_app.command("journal")
def import_journal(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="An hledger/ledger journal in the book's currency."),
    json_out: bool = JSON,
) -> None:
    """Post every transaction of a plain-text journal: all of them, or nothing.

    Reads dates, status marks, (codes), descriptions, postings, one commodity (the book's
    currency) and ; comments. Accounts are TYPE:CODE NAME (e.g. assets:1010 Bank account)
    or any name under assets, liabilities, equity, income or expenses (created if new).
    """
    from smallbiz.io.journal_parse import parsing, settings_for_parsing

    db = state(ctx).database()
    try:
        size: int | None = os.path.getsize(file)
    except OSError:
        size = None  # the importer says what is wrong with the file
    # The reader process starts first (before the progress bar starts its thread; see
    # journal_parse.can_fork): it parses while this one writes, in plain SQL (no ORM).
    with parsing(file, **settings_for_parsing(db)) as source, \
            progress(size, "Importing journal") as advance, db.transaction() as s:
        from smallbiz.io.journal_import import import_journal as run_import

        result = run_import(s, file, advance=advance, source=source)
    if want_json(ctx, json_out):
        print_json({"file": result.file, "entries": result.entries,
                    "postings": result.postings, "first": result.first, "last": result.last,
                    "accounts_created": result.accounts_created})
    elif result.entries:
        typer.echo(f"Imported {result.entries} entries ({result.first} .. {result.last}) "
                   f"and created {len(result.accounts_created)} accounts")
    else:
        typer.echo(f"No transactions in {result.file}: nothing imported")


@export_app.command("journal")
def export_journal(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="Where to write the journal (hledger/ledger syntax)."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never the "
                               "book or its -wal/-shm files)."),
    json_out: bool = JSON,
) -> None:
    """Write every journal entry as an hledger/ledger journal (hledger -f FILE bal)."""
    from smallbiz.io.journal_export import count_entries
    from smallbiz.io.journal_export import export_journal as run_export

    db = state(ctx).database()
    with db.read() as s:
        total = count_entries(s)
        with progress(total, "Exporting journal") as advance:
            result = run_export(s, file, overwrite=force, advance=advance, db=db)
    if want_json(ctx, json_out):
        print_json({"file": result.file, "entries": result.entries,
                    "postings": result.postings, "from": result.first_date,
                    "to": result.last_date})
    else:
        typer.echo(f"Exported {result.entries} entries ({result.postings} postings) "
                   f"to {result.file}")
