"""`smallbiz bank import|list|match|unmatch|ignore|rule|mapping|reconcile`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from smallbiz.cli.report import fmt, opt_date
from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.dates import format_date
from smallbiz.i18n import _

if TYPE_CHECKING:
    from smallbiz.bank.lines import LineView
    from smallbiz.bank.reconcile import Reconciliation
    from smallbiz.bank.rules import RuleView

JSON = typer.Option(False, "--json", help=JSON_HELP)
ACCOUNT = typer.Option(None, "--account", help="The bank account's code (default: the account "
                                               "with the bank role).")

bank_app = typer.Typer(help="Bank statements: import, list, match, unmatch, ignore, rules, "
                            "mappings, reconcile.", no_args_is_help=True, rich_markup_mode=None)
rule_app = typer.Typer(help="Matching rules: add, list, remove.", no_args_is_help=True,
                       rich_markup_mode=None)
mapping_app = typer.Typer(help="CSV/XLSX column mappings: add, list, remove.",
                          no_args_is_help=True, rich_markup_mode=None)
bank_app.add_typer(rule_app, name="rule")
bank_app.add_typer(mapping_app, name="mapping")


def register(app: typer.Typer) -> None:
    app.add_typer(bank_app, name="bank")


def line_json(ln: LineView) -> dict[str, Any]:
    return {"id": ln.id, "account": ln.account, "date": ln.date, "amount": ln.amount,
            "description": ln.description, "counterparty": ln.counterparty,
            "reference": ln.reference, "balance": ln.balance, "status": ln.status,
            "match_kind": ln.match_kind, "matched_to": ln.matched_to,
            "payment": ln.payment, "entry": ln.entry,
            **({"currency": ln.currency} if ln.currency else {})}


@bank_app.command("import")
def import_cmd(ctx: typer.Context, file: str = typer.Argument(..., metavar="FILE"),
               account: str | None = ACCOUNT,
               fmt_: str = typer.Option("auto", "--format",
                                        help="auto|ofx|camt053|mt940|csv|xlsx"),
               mapping: str | None = typer.Option(None, "--mapping",
                                                  help="CSV/XLSX: the mapping's name."),
               locale: str | None = typer.Option(
                   None, "--locale", metavar="ka|en",
                   help="CSV/XLSX: how the file writes amounts and dates, ka (1 234,56 and "
                        "01.12.2026) or en (1,234.56 and 2026-12-01), instead of the "
                        "mapping's decimal mark and date format."),
               json_out: bool = JSON) -> None:
    """Import a statement; lines already there are not added again; certain matches and
    rules are applied at once."""
    r = state(ctx).book().import_statement(file, account=account, fmt=fmt_, mapping=mapping,
                                           locale=locale)
    if want_json(ctx, json_out):
        print_json({"statement": r.statement_id, "account": r.account, "format": r.format,
                    "lines": r.lines, "added": r.added, "already_there": r.duplicates,
                    "matched": {"payments": r.payments, "rules": r.by_rule,
                                "transfers": r.transfers}})
        return
    typer.echo(_("{added} line(s) added to {acc}, {dup} already there; matched: {p} "
                 "payment(s), {r} by rule, {t} transfer(s)").format(
        added=r.added, acc=r.account, dup=r.duplicates, p=r.payments, r=r.by_rule,
        t=r.transfers))


@bank_app.command("list")
def list_cmd(ctx: typer.Context, account: str | None = ACCOUNT,
             unmatched: bool = typer.Option(False, "--unmatched", help="Only unmatched lines."),
             start: str | None = typer.Option(None, "--from", help="First day."),
             end: str | None = typer.Option(None, "--to", help="Last day."),
             json_out: bool = JSON) -> None:
    """Statement lines in date order, with what each is matched to."""
    rows = state(ctx).book().bank_lines(account=account, unmatched=unmatched,
                                        start=opt_date(start, "--from"),
                                        end=opt_date(end, "--to"))
    if want_json(ctx, json_out):
        print_json([line_json(ln) for ln in rows])
        return
    t = table("Line", "Date", "Account", "Amount", "Description", "Counterparty", "Status",
              "Matched to", title=_("Statement lines"), right=("Line", "Amount"))
    for ln in rows:
        t.add_row(str(ln.id), ln.date.isoformat(), esc(ln.account),
                  fmt(ln.amount) + (f" {ln.currency}" if ln.currency else ""),
                  esc(ln.description), esc(ln.counterparty), ln.status, esc(ln.matched_to or ""))
    console().print(t)


@bank_app.command("match")
def match_cmd(ctx: typer.Context,
              line: str | None = typer.Argument(None, metavar="LINE"),
              invoice: list[str] = typer.Option([], "--invoice", help="INV-… it pays "
                                                "(repeat for several)."),
              bill: list[str] = typer.Option([], "--bill", help="BILL-… it pays, or the "
                                             "supplier's own reference for it (repeat)."),
              account: str | None = typer.Option(None, "--account", help="Book it (or what "
                                                 "the rest leave) to this account."),
              split: list[str] = typer.Option([], "--split", metavar="CODE[=AMOUNT]",
                                              help="Book this part to an account (the line's "
                                                   "direction; negative the other way; one "
                                                   "part may omit =AMOUNT for the rest)."),
              contact: str | None = typer.Option(None, "--contact", help="With --account: "
                                                 "the contact of the posting."),
              memo: str = typer.Option("", "--memo", help="The entry's memo."),
              auto: bool = typer.Option(False, "--auto", help="Apply rules and certain "
                                        "matches to all unmatched lines."),
              json_out: bool = JSON) -> None:
    """Match a line to invoices, bills or an account; or --auto for all lines."""
    from smallbiz.errors import ValidationError

    book = state(ctx).book()
    if auto:
        if line or invoice or bill or account:
            raise ValidationError(_("--auto takes no LINE, --invoice, --bill or --account"))
        m = book.auto_match_bank()
        if want_json(ctx, json_out):
            print_json({"payments": m.payments, "rules": m.by_rule, "transfers": m.transfers})
        else:
            typer.echo(_("matched: {p} payment(s), {r} by rule, {t} transfer(s)").format(
                p=m.payments, r=m.by_rule, t=m.transfers))
        return
    if line is None:
        raise ValidationError(_("LINE: give a statement line id (bank list), or --auto"),
                              field="line")
    splits = []
    for text in split:
        code, eq, amount = text.partition("=")
        splits.append((code.strip(), amount.strip() if eq else None))
    r = book.match_bank_line(line, documents=[*invoice, *bill] or None, account=account,
                             splits=splits, contact=contact, memo=memo)
    if want_json(ctx, json_out):
        print_json({"line": r.line, "numbers": r.numbers})
        return
    for number in r.numbers:
        typer.echo(number)
    if r.offer_rule is not None and r.offer_rule.text:
        o = r.offer_rule
        typer.echo(_("tip: to book such lines by themselves: smallbiz bank rule add "
                     "--text \"{t}\" --account {a}").format(t=o.text, a=o.account), err=True)


@bank_app.command("unmatch")
def unmatch_cmd(ctx: typer.Context, line: str = typer.Argument(..., metavar="LINE"),
                json_out: bool = JSON) -> None:
    """Cancel what the match posted (by reversal); the line is unmatched again."""
    undone = state(ctx).book().unmatch_bank_line(line)
    if want_json(ctx, json_out):
        print_json({"line": int(line), "cancelled": undone})
    else:
        for number in undone or [_("line {i} is unmatched").format(i=line)]:
            typer.echo(number)


@bank_app.command("ignore")
def ignore_cmd(ctx: typer.Context, line: str = typer.Argument(..., metavar="LINE")) -> None:
    """Set a line aside: it needs no booking (unmatch brings it back)."""
    ln = state(ctx).book().ignore_bank_line(line)
    typer.echo(_("line {i} ignored").format(i=ln.id))


def reconcile_json(r: Reconciliation) -> dict[str, Any]:
    return {"account": r.account, "as_of": r.as_of, "statement_date": r.statement_date,
            "statement_balance": r.statement_balance, "book_balance": r.book_balance,
            "unmatched": r.unmatched, "unmatched_lines": r.unmatched_lines,
            "outside": r.outside, "outside_lines": r.outside_lines,
            "later": r.later, "later_lines": r.later_lines,
            "difference": r.difference, "reconciled": r.reconciled,
            **({"currency": r.currency} if r.currency else {})}


@bank_app.command("reconcile")
def reconcile_cmd(ctx: typer.Context, account: str | None = ACCOUNT,
                  as_of: str | None = typer.Option(None, "--as-of", help="Default: the latest "
                                                   "statement's closing date."),
                  json_out: bool = JSON) -> None:
    """Statement closing balance vs the book's balance and the unmatched lines."""
    r = state(ctx).book().reconcile_bank(account, opt_date(as_of, "--as-of"))
    if want_json(ctx, json_out):
        print_json(reconcile_json(r))
        return
    t = table("", "Amount", title=f"{esc(r.account)} {esc(r.account_name)}"
              + (f" ({r.currency})" if r.currency else "") + f"  {format_date(r.as_of)}",
              right=("Amount",))
    shown = fmt(r.statement_balance) if r.statement_balance is not None else _("(none)")
    t.add_row(_("Statement closing balance"), shown)
    if r.outside_lines:
        t.add_row(_("Lines outside it, from statements without a balance ({n})").format(
            n=r.outside_lines), fmt(r.outside))
    if r.later_lines:
        t.add_row(_("Lines after it, up to {d} ({n})").format(d=format_date(r.as_of),
                                                              n=r.later_lines),
                  fmt(r.later))
    t.add_row(_("Unmatched lines ({n})").format(n=r.unmatched_lines), fmt(r.unmatched))
    t.add_row(_("Book balance"), fmt(r.book_balance))
    t.add_row(_("Difference"), fmt(r.difference) if r.difference is not None else "")
    console().print(t)


# -- rules -----------------------------------------------------------------------------------

def rule_json(r: RuleView) -> dict[str, Any]:
    return {"id": r.id, "text": r.text, "counterparty": r.counterparty, "min": r.amount_min,
            "max": r.amount_max, "account": r.account, "contact": r.contact, "memo": r.memo}


@rule_app.command("add")
def rule_add(ctx: typer.Context,
             account: str = typer.Option(..., "--account", help="Book fitting lines here."),
             text: str = typer.Option("", "--text", help="Description or reference "
                                      "contains this (any case)."),
             counterparty: str = typer.Option("", "--counterparty", help="Counterparty "
                                              "contains this."),
             amount_min: str | None = typer.Option(None, "--min", help="Signed amount at "
                                                   "least (money out is negative)."),
             amount_max: str | None = typer.Option(None, "--max", help="Signed amount at "
                                                   "most."),
             contact: str | None = typer.Option(None, "--contact", help="Posting's contact."),
             memo: str = typer.Option("", "--memo", help="The entries' memo."),
             json_out: bool = JSON) -> None:
    """Add a rule: lines that fit are booked to the account on import and by match --auto."""
    r = state(ctx).book().add_bank_rule(account=account, text=text, counterparty=counterparty,
                                        amount_min=amount_min, amount_max=amount_max,
                                        contact=contact, memo=memo)
    if want_json(ctx, json_out):
        print_json(rule_json(r))
    else:
        typer.echo(_("rule {i}").format(i=r.id))


@rule_app.command("list")
def rule_list(ctx: typer.Context, json_out: bool = JSON) -> None:
    """The rules, the first that fits a line wins."""
    book = state(ctx).book()
    rules = book.bank_rules()
    if want_json(ctx, json_out):
        print_json([rule_json(r) for r in rules])
        return
    t = table("Rule", "When", "Account", "Contact", title=_("Bank rules"), right=("Rule",))
    for r in rules:
        t.add_row(str(r.id), esc(book.describe_bank_rule(r)), esc(f"{r.account} "
                                                                  f"{r.account_name}"),
                  esc(r.contact or ""))
    console().print(t)


@rule_app.command("remove")
def rule_remove(ctx: typer.Context, rule: int = typer.Argument(..., metavar="RULE")) -> None:
    """Remove a rule (what it booked stays booked)."""
    r = state(ctx).book().remove_bank_rule(rule)
    typer.echo(_("rule {i} removed").format(i=r.id))


# -- mappings --------------------------------------------------------------------------------

@mapping_app.command("add")
def mapping_add(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME"),
                date: str = typer.Option(..., "--date", help="Header of the date column."),
                amount: str = typer.Option("", "--amount", help="Signed amount column."),
                debit: str = typer.Option("", "--debit", help="Money out column."),
                credit: str = typer.Option("", "--credit", help="Money in column."),
                description: str = typer.Option("", "--description"),
                counterparty: str = typer.Option("", "--counterparty"),
                reference: str = typer.Option("", "--reference"),
                balance: str = typer.Option("", "--balance", help="Running balance column."),
                currency: str = typer.Option("", "--currency"),
                date_format: str = typer.Option("yyyy-mm-dd", "--date-format",
                                                help="yyyy-mm-dd|dd.mm.yyyy|dd/mm/yyyy|"
                                                     "mm/dd/yyyy"),
                decimal: str = typer.Option(".", "--decimal", help="'.' or ','")) -> None:
    """Save a column mapping by name; files with these headers use it next time."""
    from smallbiz.bank.tabular import Mapping

    m = state(ctx).book().add_bank_mapping(Mapping(
        name, date=date, amount=amount, debit=debit, credit=credit, description=description,
        counterparty=counterparty, reference=reference, balance=balance, currency=currency,
        date_format=date_format, decimal=decimal))
    typer.echo(_("mapping {n} saved").format(n=m.name))


@mapping_app.command("list")
def mapping_list(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Saved mappings, then the presets."""
    found = state(ctx).book().bank_mappings()
    if want_json(ctx, json_out):
        print_json([{"name": m.name, "preset": preset, "columns": m.columns(),
                     "date_format": m.date_format, "decimal": m.decimal}
                    for m, preset in found])
        return
    t = table("Name", "Kind", "Columns", "Dates", "Decimal", title=_("Column mappings"))
    for m, preset in found:
        t.add_row(esc(m.name), _("preset") if preset else _("saved"),
                  esc(", ".join(f"{k}={v}" for k, v in m.columns().items())), m.date_format,
                  m.decimal)
    console().print(t)


@mapping_app.command("remove")
def mapping_remove(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME")) -> None:
    """Remove a saved mapping."""
    state(ctx).book().remove_bank_mapping(name)
    typer.echo(_("mapping {n} removed").format(n=name))
