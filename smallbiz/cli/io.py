"""`smallbiz import ...` and `smallbiz export ...` (other packages add their formats)."""

from __future__ import annotations

from typing import Any

import typer

from smallbiz.cli.state import JSON_HELP, print_json, progress, state, want_json
from smallbiz.i18n import _

JSON = typer.Option(False, "--json", help=JSON_HELP)

import_app = typer.Typer(help="Import contacts, products or a journal.", no_args_is_help=True,
                         rich_markup_mode=None)
export_app = typer.Typer(help="Export contacts or the journal.", no_args_is_help=True,
                         rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


class Bar:
    """A long job's progress callbacks (`Book`'s `set_total`, `advance`) on a `progress`
    bar: it starts when the job knows its total, and ends with the `with` block."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._bar: Any = None
        self._advance: Any = None

    def __enter__(self) -> Bar:
        return self

    def set_total(self, total: int | None) -> None:
        self._bar = progress(total, self.description)
        self._advance = self._bar.__enter__()

    def advance(self, n: int = 1) -> None:
        if self._advance is not None:
            self._advance(n)

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


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
    book = state(ctx).book()
    with Bar(_("Importing journal")) as bar:
        result = book.import_journal(file, bar.set_total, bar.advance)
    if want_json(ctx, json_out):
        print_json({"file": result.file, "entries": result.entries,
                    "postings": result.postings, "first": result.first, "last": result.last,
                    "accounts_created": result.accounts_created})
    elif result.entries:
        typer.echo(_("Imported {n} entries ({first} .. {last}) and created {accounts} "
                     "accounts").format(n=result.entries, first=result.first,
                                        last=result.last,
                                        accounts=len(result.accounts_created)))
    else:
        typer.echo(_("No transactions in {file}: nothing imported").format(file=result.file))


@export_app.command("journal")
def export_journal(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="Where to write the journal (hledger/ledger syntax)."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists (never the "
                               "book or its -wal/-shm files)."),
    json_out: bool = JSON,
) -> None:
    """Write every journal entry as an hledger/ledger journal (hledger -f FILE bal)."""
    book = state(ctx).book()
    with Bar(_("Exporting journal")) as bar:
        result = book.export_journal(file, overwrite=force, set_total=bar.set_total,
                                     advance=bar.advance)
    if want_json(ctx, json_out):
        print_json({"file": result.file, "entries": result.entries,
                    "postings": result.postings, "from": result.first_date,
                    "to": result.last_date})
    else:
        typer.echo(_("Exported {n} entries ({postings} postings) to {file}").format(
            n=result.entries, postings=result.postings, file=result.file))
