"""`smallbiz check` across packages: documents and plain journal lines live side by side."""

from __future__ import annotations

from pathlib import Path


def test_manual_receivable_lines_do_not_break_the_subledger_check(cli, tmp_path: Path) -> None:
    # an opening balance on Receivable without a customer, as a journal import brings it
    journal = tmp_path / "opening.journal"
    journal.write_text("2026-01-01 Opening balances\n"
                       "    assets:1100 Accounts receivable    1500.00 GEL\n"
                       "    equity:3000 Owner's equity\n", encoding="utf-8")
    assert cli("import", "journal", str(journal)).exit_code == 0
    cli("contact", "add", "Nino Beridze", "--customer")
    cli("product", "add", "SVC-01", "Consulting hour", "--price", "100", "--service")
    so = cli("sale", "new", "Nino Beridze", "--line", "SVC-01=2", "--date", "2026-01-10")
    number = so.stdout.strip()
    for step in ("confirm", "invoice"):
        assert cli("sale", step, number).exit_code == 0
    r = cli("check")
    assert r.exit_code == 0, r.stderr
    tb = {row["code"]: row["balance"] for row in cli("report", "tb", "--as-of", "2026-12-31",
                                                      "--json").json()["rows"]}
    assert tb["1100"] == "1736.00"  # 1500 opening + 236 invoice (200 net + 18 % VAT)
