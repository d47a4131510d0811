"""The books through the real CLI: the issue's tour, JSON shapes, and bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import content_hash, make_runner
from tests.engine import on_postgresql


def test_tour(cli, book_path: Path, tmp_path: Path) -> None:
    r = cli("journal", "add", "--date", "2026-01-05", "--memo", "Owner invests",
            "--posting", "1010=5000", "--posting", "3000")
    assert (r.exit_code, r.stdout.strip()) == (0, "JE-2026-0001")
    r = cli("journal", "add", "--date", "2026-01-09", "--memo", "Rent",
            "--posting", "6000=800.00", "--posting", "1010")
    assert r.stdout.strip() == "JE-2026-0002"

    tb = cli("report", "tb", "--as-of", "2026-01-31", "--json").json()
    assert tb["rows"] == [
        {"code": "1010", "name": "Bank account", "type": "asset", "balance": "4200.00"},
        {"code": "3000", "name": "Owner's equity", "type": "equity", "balance": "-5000.00"},
        {"code": "6000", "name": "Rent", "type": "expense", "balance": "800.00"}]
    assert (tb["total_debit"], tb["total_credit"]) == ("5000.00", "5000.00")
    # the global --json works as well as the per-command one
    assert cli("--json", "report", "tb", "--as-of", "2026-01-31").json() == tb

    pl = cli("report", "pl", "--from", "2026-01-01", "--to", "2026-01-31", "--json").json()
    assert (pl["total_income"], pl["total_expenses"], pl["net_income"]) == (
        "0.00", "800.00", "-800.00")
    bs = cli("report", "bs", "--as-of", "2026-01-31", "--json").json()
    assert (bs["total_assets"], bs["total_liabilities"], bs["total_equity"], bs["balanced"]) == (
        "4200.00", "0.00", "4200.00", True)
    led = cli("report", "ledger", "1010", "--to", "2026-01-31", "--json").json()
    assert [(x["number"], x["amount"], x["balance"]) for x in led["rows"]] == [
        ("JE-2026-0001", "5000.00", "5000.00"), ("JE-2026-0002", "-800.00", "4200.00")]

    r = cli("journal", "reverse", "JE-2026-0002", "--date", "2026-01-10")
    assert r.stdout.strip() == "JE-2026-0003"
    rows = cli("journal", "list", "--json").json()
    assert [(x["number"], x["source"], x["total"]) for x in rows] == [
        ("JE-2026-0001", "manual", "5000.00"), ("JE-2026-0002", "manual", "800.00"),
        ("JE-2026-0003", "reversal", "800.00")]
    shown = cli("journal", "show", "JE-2026-0002", "--json").json()
    assert shown["reversed_by"] == "JE-2026-0003"

    assert cli("check").exit_code == 0
    r = cli("backup", str(tmp_path / "copy.db"))
    if on_postgresql():  # a server's book is backed up with the server's tools
        assert r.exit_code == 1 and "use your server's tools" in r.stderr, r.stderr
    else:
        assert r.exit_code == 0 and (tmp_path / "copy.db").exists()
        assert make_runner(tmp_path / "copy.db")("check").exit_code == 0

    r = cli("lock", "2026-01-31")
    assert r.exit_code == 0
    r = cli("settings", "--json")
    assert r.json()["lock_date"] == "2026-01-31"
    audit = cli("audit", "--entity", "journal_entry", "--json").json()
    assert [a["id"] for a in audit] == ["JE-2026-0003", "JE-2026-0002", "JE-2026-0001"]


def test_human_tables_render(cli) -> None:
    cli("journal", "add", "--date", "2026-01-05", "--posting", "1010=5,000.50", "--posting",
        "3000")
    out = cli("report", "tb", "--as-of", "2026-01-05").stdout
    assert "Bank account" in out and "5,000.50" in out
    assert "Owner's equity" in cli("account", "list").stdout


def test_account_add_and_settings(cli) -> None:
    r = cli("account", "add", "6950", "Software subscriptions", "--type", "expenses")
    assert (r.exit_code, r.stdout.strip()) == (0, "6950")
    accounts = {a["code"]: a for a in cli("account", "list", "--json").json()}
    assert accounts["6950"]["type"] == "expense"
    assert cli("settings", "vat_rate", "7.5").exit_code == 0
    assert cli("settings", "vat_rate", "--json").json() == {"vat_rate": "7.50"}


BAD = [
    (["journal", "add", "--date", "2026-13-01", "--posting", "1010=1", "--posting", "3000"],
     "--date: '2026-13-01' is not a date"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=abc", "--posting", "3000"],
     "--posting 1 ('1010=abc'): 'abc' is not a valid amount"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=1e5", "--posting", "3000"],
     "not a valid amount"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=1.001", "--posting", "3000"],
     "more than 2 decimals"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=nan", "--posting", "3000"],
     "not a valid amount"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=5", "--posting", "3000=-4"],
     "does not balance"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "1010=5"], "at least two"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "9999=5", "--posting", "3000"],
     "no account matches '9999'"),
    (["journal", "add", "--date", "2026-01-01", "--posting", "=5", "--posting", "3000"],
     "expected ACCOUNT=AMOUNT"),
    (["journal", "reverse", "JE-2026-0099"], "no journal entry 'JE-2026-0099'"),
    (["journal", "show", "nope"], "no journal entry"),
    (["report", "ledger", "nope"], "no account matches 'nope'"),
    (["report", "tb", "--as-of", "yesterday"], "is not a date"),
    (["report", "pl", "--from", "2026-02-01", "--to", "2026-01-01"], "is after"),
    (["account", "add", "1010", "Dup", "--type", "asset"], "already exists"),
    (["account", "add", "9000", "X", "--type", "stuff"], "account type: 'stuff'"),
    (["account", "add", "9 0", "X", "--type", "asset"], "without spaces"),
    (["lock", "someday"], "not a date"),
    (["settings", "vat_rate", "120"], "not between 0 and 100"),
    (["settings", "currency", "USD"], "smallbiz init"),
    (["settings", "colour", "red"], "unknown setting"),
    (["settings", "payment_terms_days", "soon"], "number of days"),
    (["init"], "already holds a book"),
    (["audit", "--since", "last week"], "not a date"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a[:2]) + f"#{i}"
                                                    for i, (a, _) in enumerate(BAD)])
def test_bad_input_is_a_clear_error_and_writes_nothing(cli, book_path: Path, args,
                                                       message: str) -> None:
    cli("journal", "add", "--date", "2026-01-05", "--posting", "1010=10", "--posting", "3000")
    before = content_hash(book_path)
    r = cli(*args)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.startswith("error: ") and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert content_hash(book_path) == before


def test_missing_book_and_usage_errors(another_book) -> None:
    missing = another_book("missing.db")  # no file; on a server, an empty database
    run = make_runner(missing)
    r = run("report", "tb")
    assert r.exit_code == 1 and "no book at" in r.stderr and "smallbiz init" in r.stderr
    assert not isinstance(missing, Path) or not missing.exists()
    r = run("journal", "add", "--nonsense")
    assert r.exit_code == 2


@pytest.mark.sqlite_only("smallbiz backup copies SQLite files")
def test_backup_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    (tmp_path / "exists.db").write_text("precious")
    r = cli("backup", str(tmp_path / "exists.db"))
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert (tmp_path / "exists.db").read_text() == "precious"


def test_installed_command_runs_as_a_process(book_path: Path, book) -> None:
    exe = Path(sys.executable).with_name("smallbiz")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "smallbiz"]
    r = subprocess.run([*cmd, "--db", str(book_path), "journal", "add", "--date", "2026-02-01",
                        "--posting", "1010=1", "--posting", "nope"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip() == "error: no account matches 'nope'"
    r = subprocess.run([*cmd, "--db", str(book_path), "check"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr


def test_user_text_is_not_read_as_markup(cli) -> None:
    cli("journal", "add", "--date", "2026-01-05", "--memo", "Paid [red]rent[/red] [1/2]",
        "--posting", "6000=1", "--posting", "1010")
    assert "Paid [red]rent[/red] [1/2]" in cli("journal", "list").stdout
    assert "[red]rent[/red]" in cli("report", "ledger", "6000", "--to", "2026-12-31").stdout
