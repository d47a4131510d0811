"""A payment that takes a bank or cash account below zero is posted with a warning (on
stderr in the CLI; the app's notification: tests/tui/test_overdrawn.py), never refused;
JSON on stdout stays clean."""

from __future__ import annotations


def _bill(cli, price="100"):
    assert cli("contact", "add", "Batumi Supply", "--supplier").exit_code == 0
    assert cli("product", "add", "TOOL", "Hammer", "--price", "150").exit_code == 0
    po = cli("purchase", "new", "Batumi Supply", "--line", f"TOOL=1@{price}").stdout.strip()
    cli("purchase", "confirm", po)
    return cli("purchase", "receive", po).stdout.strip()


def test_paying_a_bill_from_an_empty_bank_warns_and_posts(cli):
    bill = _bill(cli)  # 118.00, the bank holds nothing
    r = cli("pay", "out", bill, "118", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["amount"] == "118.00"
    assert "warning: 1010 " in r.stderr and "is below zero now: -118.00" in r.stderr
    assert cli("invoice", "show", bill, "--json").json()["status"] == "paid"


def test_no_warning_while_the_account_stays_above_zero(cli):
    bill = _bill(cli)
    assert cli("journal", "add", "--date", "today", "--memo", "Capital", "--posting",
               "1010=500", "--posting", "3000").exit_code == 0
    r = cli("pay", "out", bill, "118")
    assert r.exit_code == 0 and "warning" not in r.stderr


def test_a_journal_entry_that_overdraws_warns_as_a_payment_does(cli):
    """`journal add` posts and warns (stderr) of each bank or cash account it leaves below
    zero; JSON on stdout stays clean; an account that stays above zero, or one the entry
    does not touch, is not warned of."""
    r = cli("journal", "add", "--date", "today", "--memo", "Capital", "-p", "1010=500",
            "-p", "1000=50", "-p", "3000")
    assert r.exit_code == 0 and "warning" not in r.stderr
    r = cli("journal", "add", "--date", "today", "--memo", "Wages and a fee", "-p",
            "6100=600", "-p", "6800=80", "-p", "1010=-600", "-p", "1000=-80", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["memo"] == "Wages and a fee"  # stdout is the JSON alone
    assert sorted(r.stderr.splitlines()) == [
        "warning: 1000 Cash is below zero now: -30.00",
        "warning: 1010 Bank account is below zero now: -100.00"]
    r = cli("journal", "add", "--date", "today", "--memo", "Accrued wages", "-p", "6100=10",
            "-p", "2000")  # the bank is still below zero, but this entry leaves it alone
    assert r.exit_code == 0 and r.stderr == ""
    r = cli("journal", "add", "--date", "today", "--memo", "Top-up", "-p", "1010=100",
            "-p", "3000")  # back to zero: not below it
    assert r.exit_code == 0 and r.stderr == ""


def test_reversing_an_entry_that_overdraws_warns_too(cli):
    """Reversing the capital paid in takes the bank below zero once the money is spent:
    `journal reverse` posts the mirror image and warns, as `journal add` does."""
    je = cli("journal", "add", "--date", "today", "--memo", "Capital", "-p", "1010=500",
             "-p", "3000").stdout.strip()
    r = cli("journal", "add", "--date", "today", "--memo", "Rent", "-p", "6000=200", "-p",
            "1010")
    assert r.exit_code == 0 and r.stderr == ""
    r = cli("journal", "reverse", je, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["reverses"] == je
    assert r.stderr.splitlines() == ["warning: 1010 Bank account is below zero now: -200.00"]
