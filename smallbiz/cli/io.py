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


def _pairs(values: list[str], option: str) -> dict[str, str]:
    """`NAME=VALUE` options as a dict (the name may hold spaces, not '=')."""
    out = {}
    for value in values:
        name, eq, what = value.rpartition("=")
        if not eq or not name.strip() or not what.strip():
            raise typer.BadParameter(f"'{value}': write NAME=VALUE", param_hint=option)
        out[name.strip()] = what.strip()
    return out


@import_app.command("journal")
def import_journal(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="An hledger/ledger journal in the book's currency."),
    commodity: list[str] = typer.Option(
        [], "--commodity", help="Read a commodity symbol as the book's currency, e.g. "
        "'$=CAD' (repeatable; $ is USD, € EUR, £ GBP, ₾ GEL without it)."),
    account_type: list[str] = typer.Option(
        [], "--account-type", help="The type of a top-level account (or any account and "
        "those below it), e.g. 'me=asset', 'Retained earnings=equity' (repeatable)."),
    skip_virtual: bool = typer.Option(
        False, "--skip-virtual", help="Leave out unbalanced virtual postings (account) "
        "instead of refusing the file (they are counted)."),
    allow_include_outside: bool = typer.Option(
        False, "--allow-include-outside", help="Read included files outside the journal's "
        "folder too."),
    json_out: bool = JSON,
) -> None:
    """Post every transaction of a plain-text journal: all of them, or nothing.

    Reads dates (and secondary dates), status marks, (codes), descriptions, comments and
    tags, postings in the book's currency (its code or symbol), balanced virtual postings
    [account], balance assertions (checked), and the directives account, commodity, P,
    include, comment blocks, Y, alias, decimal-mark and D. Accounts are TYPE:CODE NAME
    (e.g. assets:1010 Bank account) or any name under a top-level name whose type is
    known (assets, liabilities, equity, income, expenses, in several languages) or given
    with --account-type or an `account NAME  ; type: A` declaration.
    """
    book = state(ctx).book()
    with Bar(_("Importing journal")) as bar:
        result = book.import_journal(
            file, bar.set_total, bar.advance,
            commodities=_pairs(commodity, "--commodity"),
            account_types=_pairs(account_type, "--account-type"),
            skip_virtual=skip_virtual, allow_include_outside=allow_include_outside)
    if want_json(ctx, json_out):
        print_json({"file": result.file, "entries": result.entries,
                    "postings": result.postings, "first": result.first, "last": result.last,
                    "accounts_created": result.accounts_created, "notes": result.notes,
                    "skipped_virtual": result.skipped_virtual})
        return
    for note in result.notes:
        typer.echo(_("note: {note}").format(note=note), err=True)
    if result.entries:
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
