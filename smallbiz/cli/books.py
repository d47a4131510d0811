"""Book-level commands: init, tui, check, lock, settings, audit, backup, account, journal."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import typer

from smallbiz.cli.state import (
    JSON_HELP,
    console,
    esc,
    print_json,
    say,
    state,
    table,
    want_json,
)
from smallbiz.dates import format_date
from smallbiz.i18n import N_, _
from smallbiz.money import format_number, shown_rate

#: Account types, shown translated.
WORDS = (N_("asset"), N_("liability"), N_("equity"), N_("income"), N_("expense"))

if TYPE_CHECKING:
    from smallbiz.app.book import Book, JournalLine

JSON = typer.Option(False, "--json", help=JSON_HELP)

account_app = typer.Typer(help="The chart of accounts.", no_args_is_help=True,
                          rich_markup_mode=None)
journal_app = typer.Typer(help="Journal entries: add, list, show, reverse.", no_args_is_help=True,
                          rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("tui")(tui)
    app.command("check")(check)
    app.command("lock")(lock)
    app.command("settings")(settings_cmd)
    app.command("audit")(audit_cmd)
    app.command("backup")(backup)
    app.add_typer(account_app, name="account")
    app.add_typer(journal_app, name="journal")


def init(
    ctx: typer.Context,
    company: str = typer.Option("My Company", "--company", help="Company name."),
    currency: str = typer.Option("GEL", "--currency", help="ISO 4217 base currency (or its "
                                 "symbol: $ is USD, € EUR, ₾ GEL)."),
    vat_rate: str = typer.Option("0", "--vat-rate", help="Default VAT rate in percent."),
    chart: str = typer.Option("default", "--chart",
                              help="Chart of accounts template: default, or ge (Georgian)."),
    json_out: bool = JSON,
) -> None:
    """Create a new book with a chart of accounts."""
    from smallbiz.book import init_book

    info = init_book(state(ctx).unopened(), company=company, currency=currency,
                     vat_rate=vat_rate, chart=chart)
    if want_json(ctx, json_out):
        print_json({"book": info.where, "company": info.company_name, "currency": info.currency,
                    "vat_rate": info.vat_rate, "chart": info.chart, "accounts": info.accounts})
    else:
        say(_("Created book for {company} ({currency}, VAT {rate}%) with {n} accounts at "
              "{where}").format(company=info.company_name, currency=info.currency,
                                rate=info.vat_rate, n=info.accounts, where=info.where))


def open_tui(ctx: typer.Context, *, demo: bool) -> None:
    from smallbiz.tui_launch import launch

    launch(state(ctx), demo=demo)


def tui(ctx: typer.Context,
        demo: bool = typer.Option(False, "--demo", help="Open a fresh throwaway demo book.")
        ) -> None:
    """Open the terminal app."""
    open_tui(ctx, demo=demo)


def check(ctx: typer.Context, json_out: bool = JSON,
          full: bool = typer.Option(False, "--full",
                                    help="Also check every index entry of the SQLite file "
                                         "against its row (several times longer on a big "
                                         "book).")) -> None:
    """Verify every invariant of the book; exit 1 with one line per problem."""
    from smallbiz.check import run_checks
    from smallbiz.errors import BookDamaged

    try:
        db = state(ctx).database()
    except BookDamaged as exc:
        db = None
        problems = [_("integrity: {message}").format(message=exc.message)]
    if db is not None:
        problems = run_checks(db, full=full)
    if want_json(ctx, json_out):
        print_json({"ok": not problems, "problems": problems})
    elif problems:
        for p in problems:
            typer.echo(p, err=True)
    else:
        say(_("ok: every check passed"))
    if problems:
        raise typer.Exit(1)


def lock(ctx: typer.Context,
         date: str | None = typer.Argument(None, help="Close the books up to and including "
                                                      "this date."),
         future: bool = typer.Option(False, "--future",
                                     help="Allow a lock date after today."),
         reopen: str | None = typer.Option(None, "--reopen", metavar="DATE",
                                           help="Open the books again from DATE on (the lock "
                                                "date becomes the day before)."),
         reason: str | None = typer.Option(None, "--reason",
                                           help="Why the period is reopened (recorded in the "
                                                "audit log; needed with --reopen)."),
         json_out: bool = JSON) -> None:
    """Close the books up to DATE: nothing on or before it can be posted or reversed.

    `lock --reopen DATE --reason TEXT` opens them again from DATE on; the audit log
    records who did it, when and why.
    """
    from smallbiz.errors import ValidationError

    if (date is None) == (reopen is None):
        raise ValidationError(_("lock: give either DATE or --reopen DATE"), field="date")
    book = state(ctx).book()
    if reopen is not None:
        new = book.reopen_books(reopen, reason or "")
    else:
        new = book.lock_books(date or "", future=future)
    if want_json(ctx, json_out):
        print_json({"lock_date": new})
    elif reopen is not None:
        say(_("Books reopened from {start}; closed up to {date}").format(
            start=format_date(new + dt.timedelta(days=1)), date=format_date(new)))
    else:
        say(_("Books closed up to {date}").format(date=format_date(new)))


def settings_cmd(ctx: typer.Context,
                 key: str | None = typer.Argument(None, help="Setting to show or change."),
                 value: str | None = typer.Argument(None, help="New value."),
                 json_out: bool = JSON) -> None:
    """Show or change settings: company_name, vat_rate, payment_terms_days, negative_stock,
    lang, and the company's details printed on invoices: legal_name, legal_form, country,
    tax_id, vat_payer, vat_registered_on, legal_address, actual_address, phone, email,
    bank_accounts ('Bank, IBAN; Bank, IBAN'), director, logo, invoice_language."""
    book = state(ctx).book()
    if value is not None and key is not None:
        data = {key: book.change_setting(key, value)}
    else:
        raw = book.raw_settings()
        if key is not None:
            if key not in raw:
                from smallbiz.errors import ValidationError

                raise ValidationError(_("unknown setting '{key}' (one of: {keys})").format(
                    key=key, keys=", ".join(sorted(raw))))
            raw = {key: raw[key]}
        data = raw
    if want_json(ctx, json_out):
        print_json(data)
    else:
        t = table("Setting", "Value")
        for k, v in sorted(data.items()):
            t.add_row(k, esc(v))
        console().print(t)


def audit_cmd(ctx: typer.Context,
              since: str | None = typer.Option(None, "--since", help="From this day on."),
              entity: str | None = typer.Option(None, "--entity", help="e.g. journal_entry."),
              limit: int = typer.Option(200, "--limit", min=1, max=10**9,
                                         help="Most recent N rows."),
              json_out: bool = JSON) -> None:
    """Who changed what, and when (newest first)."""
    from smallbiz.dates import parse_optional_date

    since_d = parse_optional_date(since, field="--since")
    rows = state(ctx).book().audit_log(since=since_d, entity=entity, limit=limit)
    if want_json(ctx, json_out):
        print_json([{"at": r.at, "user": r.user, "action": r.action, "entity": r.entity,
                     "id": r.entity_id, "summary": r.summary} for r in rows])
        return
    t = table("When", "User", "Action", "Entity", "Id", "Summary")
    for r in rows:
        t.add_row(r.at.isoformat(sep=" "), esc(r.user), r.action, r.entity, esc(r.entity_id),
                  esc(r.summary))
    console().print(t)


def backup(ctx: typer.Context, file: str = typer.Argument(..., help="Where to write the copy."),
           force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
           json_out: bool = JSON) -> None:
    """Write a consistent copy of the book (safe while others are writing)."""
    db = state(ctx).database()
    dest = db.backup(file, overwrite=force)
    if want_json(ctx, json_out):
        print_json({"backup": str(dest)})
    else:
        say(_("Backup written to {path}").format(path=dest))


# -- accounts ---------------------------------------------------------------------------

@account_app.command("list")
def account_list(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List the chart of accounts."""
    rows = state(ctx).book().accounts(include_archived=True)
    if want_json(ctx, json_out):
        print_json([{"code": a.code, "name": a.name, "type": a.type, "parent": a.parent_code,
                     "role": a.role, "archived": a.archived,
                     **({"currency": a.currency} if a.currency else {})} for a in rows])
        return
    t = table("Code", "Name", "Type", "Parent", "Role", "Currency")
    for a in rows:
        t.add_row(esc(a.code), esc(a.name), _(a.type), esc(a.parent_code or ""), a.role or "",
                  a.currency or "")
    console().print(t)


@account_app.command("add")
def account_add(ctx: typer.Context, code: str = typer.Argument(...),
                name: str = typer.Argument(...),
                type_: str = typer.Option(..., "--type",
                                          help="asset, liability, equity, income or expense."),
                parent: str | None = typer.Option(None, "--parent", help="Parent account code."),
                currency: str | None = typer.Option(
                    None, "--currency",
                    help="A bank or cash account kept in another currency (e.g. USD): every "
                         "posting to it carries its amount in that currency."),
                json_out: bool = JSON) -> None:
    """Add an account to the chart."""
    acc = state(ctx).book().add_account(code, name, type_, parent=parent, currency=currency)
    if want_json(ctx, json_out):
        print_json({"code": acc.code, "name": acc.name, "type": acc.type,
                    **({"currency": acc.currency} if acc.currency else {})})
    else:
        typer.echo(acc.code)


# -- journal ----------------------------------------------------------------------------

#: A foreign amount: `100USD`, `-50.25 EUR`, `100USD@2.70` (rate: book currency per unit);
#: the number has a digit and no letter (`abc`, `nan` stay plain amounts, refused as such).
_FOREIGN = re.compile(r"^\s*(?P<amount>[^@A-Za-z]*\d[^@A-Za-z]*?)\s*(?P<currency>[A-Za-z]{3})\s*"
                      r"(?:@\s*(?P<rate>\S+))?\s*$")


def parse_posting(text: str, index: int, book: Book) -> JournalLine:
    """`ACCOUNT=AMOUNT` (debit positive, credit negative), `ACCOUNT` (balancing), or
    `ACCOUNT=AMOUNT CUR[@RATE]` (a foreign amount, converted at RATE, default the rate
    table's for the entry's date)."""
    from smallbiz.app.book import JournalLine
    from smallbiz.errors import ValidationError

    account, sep, amount = text.partition("=")
    if not account.strip():
        raise ValidationError(f"--posting {index} ('{text}'): expected ACCOUNT=AMOUNT or ACCOUNT",
                              field=f"posting {index}")
    if not sep:
        return JournalLine(account.strip(), balancing=True)
    foreign = _FOREIGN.match(amount)
    if foreign is not None:
        value = book.parse_amount(foreign["amount"], field=f"--posting {index} ('{text}')")
        return JournalLine(account.strip(), currency=foreign["currency"].upper(),
                           amount_fx=value, rate=foreign["rate"])
    value = book.parse_amount(amount, field=f"--posting {index} ('{text}')")
    if value < 0:
        return JournalLine(account.strip(), credit=-value)
    return JournalLine(account.strip(), debit=value)


@journal_app.command("add")
def journal_add(
    ctx: typer.Context,
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD or today."),
    memo: str = typer.Option("", "--memo", help="What the entry is for."),
    posting: list[str] = typer.Option(
        ..., "--posting", "-p",
        help="ACCOUNT=AMOUNT (debit positive, credit negative); one may omit =AMOUNT; "
             "ACCOUNT=AMOUNT CUR[@RATE] for an amount in another currency (a foreign "
             "bank account's), at the rate table's rate of the day unless @RATE."),
    json_out: bool = JSON,
) -> None:
    """Post a balanced journal entry; prints its number. It warns (on stderr, as a payment
    does) of a bank or cash account it leaves below zero."""
    from smallbiz.cli.orders import warn_overdrawn
    from smallbiz.dates import parse_date

    book = state(ctx).book()
    on = parse_date(date, field="--date")
    lines = [parse_posting(p, i, book) for i, p in enumerate(posting, start=1)]
    entry = book.post_journal_entry(on, memo, lines)
    warn_overdrawn(book, [p.account_code for p in entry.postings])
    if want_json(ctx, json_out):
        print_json({"number": entry.number, "date": entry.date, "memo": entry.memo,
                    "postings": [{"account": p.account_code, "amount": p.amount}
                                 for p in entry.postings]})
    else:
        typer.echo(entry.number)


@journal_app.command("list")
def journal_list(
    ctx: typer.Context,
    start: str | None = typer.Option(None, "--from", help="First day."),
    end: str | None = typer.Option(None, "--to", help="Last day."),
    account: str | None = typer.Option(None, "--account", help="Only entries touching it."),
    limit: int | None = typer.Option(None, "--limit", min=1, max=10**9,
                                      help="At most N entries."),
    json_out: bool = JSON,
) -> None:
    """List journal entries in date order."""
    from smallbiz.dates import parse_optional_date

    d1 = parse_optional_date(start, field="--from")
    d2 = parse_optional_date(end, field="--to")
    rows = state(ctx).book().entries(start=d1, end=d2, account=account, limit=limit)
    if want_json(ctx, json_out):
        print_json([{"number": r.number, "date": r.date, "memo": r.memo, "source": r.source,
                     "total": r.total} for r in rows])
        return
    t = table("Number", "Date", "Memo", "Source", "Total", right=("Total",))
    for r in rows:
        t.add_row(r.number, format_date(r.date), esc(r.memo), r.source, format_number(r.total))
    console().print(t)


@journal_app.command("show")
def journal_show(ctx: typer.Context, number: str = typer.Argument(...),
                 json_out: bool = JSON) -> None:
    """Show one entry with its postings."""
    e = state(ctx).book().show_entry(number)
    if want_json(ctx, json_out):
        print_json({"number": e.number, "date": e.date, "memo": e.memo, "source": e.source,
                    "reverses": e.reverses, "reversed_by": e.reversed_by,
                    "status": e.status, "code": e.code, "comment": e.comment,
                    "date2": e.date2,
                    "postings": [{"account": p.account_code, "name": p.account_name,
                                  "amount": p.amount, "memo": p.memo, "status": p.status,
                                  "comment": p.comment,
                                  **({"currency": p.fx[0], "amount_fx": p.fx[1],
                                      "rate": f"{shown_rate(p.fx[2]):f}"} if p.fx else {})}
                                 for p in e.postings]})
        return
    marks = {"*": _("cleared"), "!": _("pending")}
    title = f"{e.number}  {format_date(e.date)}  {e.memo}"
    if e.date2:
        title += "  (" + _("second date {date}").format(date=format_date(e.date2)) + ")"
    if e.status:
        title += f"  [{marks[e.status]}]"
    if e.code:
        title += "  (" + _("code {code}").format(code=e.code) + ")"
    if e.reverses:
        title += "  (" + _("reverses {number}").format(number=e.reverses) + ")"
    if e.reversed_by:
        title += "  (" + _("reversed by {number}").format(number=e.reversed_by) + ")"
    carried = e.comment is not None or any(p.status or p.comment for p in e.postings)
    foreign = any(p.fx for p in e.postings)
    columns = (N_("Account"), N_("Name"), N_("Debit"), N_("Credit"),
               *((N_("Foreign"),) if foreign else ()),
               *((N_("Status"), N_("Comment")) if carried else ()))
    t = table(*columns, title=esc(title), right=("Debit", "Credit"))
    for p in e.postings:
        extra = ((f"{format_number(p.fx[1])} {p.fx[0]} @ {shown_rate(p.fx[2])}" if p.fx else "",)
                 if foreign else ())
        extra += ((marks.get(p.status or "", ""), esc(p.comment or p.memo)) if carried else ())
        t.add_row(esc(p.account_code), esc(p.account_name),
                  format_number(p.amount) if p.amount > 0 else "",
                  format_number(-p.amount) if p.amount < 0 else "", *extra)
    console().print(t)
    if e.comment:
        for line in e.comment.split("\n"):
            if line:
                console().print(esc(f"; {line}"))


@journal_app.command("reverse")
def journal_reverse(ctx: typer.Context, number: str = typer.Argument(...),
                    date: str | None = typer.Option(None, "--date",
                                                    help="Date of the reversal (default today)."),
                    json_out: bool = JSON) -> None:
    """Post a reversing entry for NUMBER; prints the reversal's number. It warns (on
    stderr, as a payment does) of a bank or cash account it leaves below zero."""
    from smallbiz.cli.orders import warn_overdrawn
    from smallbiz.dates import parse_optional_date

    on: dt.date | None = parse_optional_date(date, field="--date")
    book = state(ctx).book()
    entry = book.reverse_entry(number, on)
    warn_overdrawn(book, [p.account_code for p in entry.postings])
    if want_json(ctx, json_out):
        print_json({"number": entry.number, "date": entry.date, "reverses": number.upper()})
    else:
        typer.echo(entry.number)
