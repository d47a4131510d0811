"""`smallbiz report ...`: the books' reports (other packages add theirs to `report_app`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import typer

from smallbiz.cli.state import JSON_HELP, console, esc, print_json, state, table, want_json
from smallbiz.dates import format_date
from smallbiz.i18n import N_, _

report_app = typer.Typer(help="Reports: tb, pl, bs, ledger, and more.", no_args_is_help=True,
                         rich_markup_mode=None)

FROM = typer.Option(None, "--from", help="First day (YYYY-MM-DD or today).")
TO = typer.Option(None, "--to", help="Last day (YYYY-MM-DD or today). Default: today.")
AS_OF = typer.Option(None, "--as-of", help="Balances at the end of this day. Default: today.")
JSON = typer.Option(False, "--json", help=JSON_HELP)


def opt_date(value: str | None, field: str) -> dt.date | None:
    from smallbiz.dates import parse_optional_date

    return parse_optional_date(value, field=field)


def fmt(amount: Decimal) -> str:
    """An amount in a table: grouped, with the decimal mark of the language in force."""
    from smallbiz.money import format_number

    return format_number(amount)


def account_rows(rows: Any) -> list[dict[str, Any]]:
    """Report rows; an account kept in another currency also has its `currency` and its
    balance in it (`balance_fx`)."""
    return [{"code": r.code, "name": r.name, "type": r.type, "balance": r.balance,
             **({"currency": r.currency, "balance_fx": r.balance_fx}
                if getattr(r, "currency", None) else {})} for r in rows]


@report_app.command("tb")
def trial_balance(ctx: typer.Context, as_of: str | None = AS_OF, json_out: bool = JSON) -> None:
    """Trial balance: every account's balance (debit positive) at the end of a day."""
    report = state(ctx).book().trial_balance(opt_date(as_of, "--as-of"))
    if want_json(ctx, json_out):
        print_json({"report": "trial_balance", "as_of": report.as_of,
                    "rows": account_rows(report.rows), "total_debit": report.total_debit,
                    "total_credit": report.total_credit})
        return
    foreign = any(r.currency for r in report.rows)
    t = table("Code", "Account", "Type", "Debit", "Credit", *(("Foreign",) if foreign else ()),
              title=_("Trial balance as of {date}").format(date=format_date(report.as_of)),
              right=("Debit", "Credit", "Foreign"))
    for r in report.rows:
        t.add_row(esc(r.code), esc(r.name), _(r.type), fmt(r.balance) if r.balance > 0 else "",
                  fmt(-r.balance) if r.balance < 0 else "",
                  *((f"{fmt(r.balance_fx)} {r.currency}" if r.currency else "",)
                    if foreign else ()))
    t.add_section()
    t.add_row("", _("Total"), "", fmt(report.total_debit), fmt(report.total_credit),
              *(("",) if foreign else ()))
    console().print(t)


@report_app.command("pl")
def profit_and_loss(ctx: typer.Context, start: str | None = FROM, end: str | None = TO,
                    json_out: bool = JSON) -> None:
    """Profit and loss for a period (default: this year to date)."""
    report = state(ctx).book().profit_and_loss(opt_date(start, "--from"), opt_date(end, "--to"))
    if want_json(ctx, json_out):
        print_json({"report": "profit_and_loss", "from": report.start, "to": report.end,
                    "rows": account_rows(report.income + report.expenses),
                    "total_income": report.total_income,
                    "total_expenses": report.total_expenses, "net_income": report.net_income})
        return
    t = table("Code", "Account", "Amount",
              title=_("Profit and loss {start} to {end}").format(
                  start=format_date(report.start), end=format_date(report.end)),
              right=("Amount",))
    t.add_row("", "[b]{label}[/b]".format(label=_("Income")), "")
    for r in report.income:
        t.add_row(esc(r.code), esc(r.name), fmt(-r.balance))
    t.add_row("", _("Total income"), fmt(report.total_income))
    t.add_section()
    t.add_row("", "[b]{label}[/b]".format(label=_("Expenses")), "")
    for r in report.expenses:
        t.add_row(esc(r.code), esc(r.name), fmt(r.balance))
    t.add_row("", _("Total expenses"), fmt(report.total_expenses))
    t.add_section()
    t.add_row("", "[b]{label}[/b]".format(label=_("Net income")),
              f"[b]{fmt(report.net_income)}[/b]")
    console().print(t)


@report_app.command("bs")
def balance_sheet(ctx: typer.Context, as_of: str | None = AS_OF, json_out: bool = JSON) -> None:
    """Balance sheet at the end of a day; equity includes the earnings not yet closed."""
    report = state(ctx).book().balance_sheet(opt_date(as_of, "--as-of"))
    if want_json(ctx, json_out):
        print_json({"report": "balance_sheet", "as_of": report.as_of,
                    "rows": account_rows(report.assets + report.liabilities + report.equity),
                    "total_assets": report.total_assets,
                    "total_liabilities": report.total_liabilities,
                    "total_equity": report.total_equity, "balanced": report.balanced})
        return
    t = table("Code", "Account", "Amount",
              title=_("Balance sheet as of {date}").format(date=format_date(report.as_of)),
              right=("Amount",))
    for label, total_label, rows, sign, total in (
            (_("Assets"), _("Total assets"), report.assets, 1, report.total_assets),
            (_("Liabilities"), _("Total liabilities"), report.liabilities, -1,
             report.total_liabilities),
            (_("Equity"), _("Total equity"), report.equity, -1, report.total_equity)):
        t.add_row("", f"[b]{label}[/b]", "")
        for r in rows:
            t.add_row(esc(r.code), esc(r.name), fmt(sign * r.balance))
        t.add_row("", total_label, fmt(total))
        t.add_section()
    t.add_row("", _("Liabilities + equity"),
              fmt(report.total_liabilities + report.total_equity))
    console().print(t)


@report_app.command("ledger")
def ledger(ctx: typer.Context, account: str = typer.Argument(..., help="Account code or name."),
           start: str | None = FROM, end: str | None = TO, json_out: bool = JSON) -> None:
    """One account's postings with the running balance (debit positive)."""
    report = state(ctx).book().ledger(account, opt_date(start, "--from"), opt_date(end, "--to"))
    cur = report.currency
    if want_json(ctx, json_out):
        both = {"currency": cur, "opening_fx": report.opening_fx,
                "closing_fx": report.closing_fx} if cur else {}
        print_json({"report": "ledger", "code": report.code, "name": report.name,
                    "type": report.type, "from": report.start, "to": report.end,
                    "opening": report.opening, "closing": report.closing, **both,
                    "rows": [{"date": r.date, "number": r.number, "memo": r.memo,
                              "amount": r.amount, "balance": r.balance,
                              **({"amount_fx": r.amount_fx, "balance_fx": r.balance_fx}
                                 if cur else {})} for r in report.lines]})
        return
    # an account kept in another currency: its amounts in it, then in the book's
    extra = (N_("Foreign amount"), N_("Foreign balance")) if cur else ()

    def both(amount: Decimal | None, balance: Decimal | None) -> tuple[str, ...]:
        return ((f"{fmt(amount)} {cur}" if amount is not None else "",
                 f"{fmt(balance)} {cur}" if balance is not None else "") if cur else ())

    t = table("Date", "Entry", "Memo", *extra, "Amount", "Balance",
              title=esc(_("Ledger {code} {name}").format(code=report.code, name=report.name)),
              right=(*extra, "Amount", "Balance"))
    t.add_row("", "", _("Opening balance"), *both(None, report.opening_fx), "",
              fmt(report.opening))
    for r in report.lines:
        t.add_row(format_date(r.date), r.number, esc(r.memo), *both(r.amount_fx, r.balance_fx),
                  fmt(r.amount), fmt(r.balance))
    t.add_section()
    t.add_row("", "", _("Closing balance"), *both(None, report.closing_fx), "",
              fmt(report.closing))
    console().print(t)
