"""Upgrades: a book written at EVERY earlier schema revision (filled with plain SQL, as
that release would have written it) is upgraded by the current code on open, with every
row of every table intact, a private backup copy of the old book beside it, and every
invariant holding; a failed upgrade leaves the book exactly as it was; two processes
opening an old book at once both succeed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from smallbiz import db as db_module
from smallbiz.check import run_checks
from smallbiz.db import MIGRATIONS_DIR, Database, head_revision
from smallbiz.errors import UserError
from tests import engine
from tests.conftest import content_hash, make_runner, new_location
from tests.engine import Location, on_postgresql
from tests.reliability.conftest import PYTHON, ROOT, copy_book, smallbiz

STAMP = "'2025-03-01 10:00:00.000000'"


def _revisions() -> list[str]:
    from smallbiz.db import revisions

    return revisions()


EARLIER = [r for r in _revisions() if r < head_revision()]


def _fts_fill() -> str:
    """The search-index fill of migration 0002, exactly as that release ran it."""
    path = MIGRATIONS_DIR / "versions" / "0002_crm.py"
    spec = importlib.util.spec_from_file_location("m0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._FTS_FILL


def _statements(script: str) -> list[str]:
    return [sql.strip() for sql in re.split(r";\s*\n", script) if sql.strip()]


#: From this revision on a book seals its entries and chains its audit rows: its rows are
#: written as the release before wrote them, then that book is opened by this release.
SEALED = "0009"


def old_book(path: Location, rev: str) -> None:
    """A book as release `rev` left it, with representative rows (`fill`)."""
    old = Database(path)
    old.upgrade_to(min(rev, "0008"))
    old.dispose()
    fill(path, min(rev, "0008"))
    if rev >= SEALED:
        old = Database(path)
        old.upgrade_to(rev)
        old.dispose()
        fill_later(path, rev)


SPEC = ('{"amount": "amount", "balance": "balance", "counterparty": "counterparty", '
        '"credit": "", "currency": "currency", "date": "date", "date_format": "yyyy-mm-dd", '
        '"debit": "", "decimal": ".", "description": "description", "reference": "reference"}')


def fill_later(path: Location, rev: str) -> None:
    """Rows for the tables the releases after 0009 added (after lock date and seals, as
    those releases' services wrote them: nothing here is a journal entry)."""
    statements = []
    if rev >= "0010":
        statements += _statements("""
            INSERT INTO contact_address (contact_id, position, label, street, city, region,
                                         postcode, country)
                VALUES (1, 1, 'work', 'Rustaveli 1', 'Tbilisi', '', '0108', 'GE');
        """)
    if rev >= "0012":  # a March statement (no closing balance) with a line still unmatched, a rule
        statements += _statements(f"""
            INSERT INTO bank_statement (id, account_id, format, file_name, currency,
                                        start_date, end_date, closing_date, closing_balance,
                                        lines, duplicates, imported_at)
                VALUES (1, 1, 'csv', 'march.csv', 'GEL', '2025-03-01', '2025-03-31',
                        '2025-03-31', NULL, 1, 0, {STAMP});
            INSERT INTO bank_line (id, account_id, statement_id, date, amount, description,
                                   counterparty, reference, balance, dedup_key, status)
                VALUES (1, 1, 1, '2025-03-31', 1000, 'Interest', 'Bank', '', NULL,
                        'hash:old-1', 'unmatched');
            INSERT INTO bank_rule (id, text_contains, counterparty, account_id, memo,
                                   created_at)
                VALUES (1, 'fee', '', 6, 'Bank fee', {STAMP});
            INSERT INTO bank_mapping (id, name, spec, created_at)
                VALUES (1, 'old bank', '{SPEC}', {STAMP});
        """)
    if rev >= "0015":  # a monthly template that issued the March invoice
        statements += _statements(f"""
            INSERT INTO recurring_invoice (id, name, contact_id, every_months, day,
                                           start_date, end_date, status, created_at)
                VALUES (1, 'Hammers monthly', 1, 1, 10, '2025-03-10', NULL, 'active',
                        {STAMP});
            INSERT INTO recurring_line (id, template_id, position, product_id, quantity,
                                        unit_price, discount, description)
                VALUES (1, 1, 1, 1, 2000, NULL, NULL, '');
            INSERT INTO recurring_issue (id, template_id, period, order_id, invoice_id,
                                         created_at)
                VALUES (1, 1, '2025-03-10', 1, 1, {STAMP});
        """)
    if rev >= "0017":  # a dollar rate in the book's rate table (lari per dollar, millionths)
        statements += _statements(f"""
            INSERT INTO fx_rate (id, currency, date, rate, created_at)
                VALUES (1, 'USD', '2025-03-01', 2695000, {STAMP});
        """)
    if statements:
        engine.execute(path, *statements)
        engine.sync_sequences(path)


def fill(path: Location, rev: str) -> None:
    """Representative rows for every table that exists at `rev` (plain SQL, in the subset
    both databases take; on PostgreSQL the id sequences then continue after the rows, as
    they would after that release had written them)."""
    key = ", name_key" if rev >= "0002" else ""
    keys = (lambda *k: ", " + ", ".join(f"'{x}'" for x in k)) if rev >= "0002" else (
        lambda *k: "")
    statements = _statements(f"""
        INSERT INTO setting (key, value) VALUES ('company_name', 'Old Firm'),
            ('currency', 'GEL'), ('vat_rate', '18'), ('payment_terms_days', '30'),
            ('negative_stock', 'false'), ('chart', 'default'), ('lock_date', '2025-01-31');
        INSERT INTO account (id, code, name, type, role, archived) VALUES
            (1, '1010', 'Bank account', 'asset', 'bank', FALSE),
            (2, '1200', 'Inventory', 'asset', 'inventory', FALSE),
            (3, '3000', 'Owner''s equity', 'equity', 'opening_equity', FALSE),
            (4, '3200', 'Retained earnings', 'equity', 'retained_earnings', FALSE),
            (5, '4000', 'Sales of goods', 'income', 'sales', FALSE),
            (6, '6000', 'Rent', 'expense', NULL, FALSE),
            (7, '6010', 'Old rent', 'expense', NULL, TRUE),
            (8, '1100', 'Accounts receivable', 'asset', 'receivable', FALSE),
            (9, '2100', 'VAT payable (output VAT)', 'liability', 'vat_out', FALSE),
            (10, '5000', 'Cost of goods sold', 'expense', 'cogs', FALSE);
        UPDATE account SET parent_id = 6 WHERE id = 7;
        INSERT INTO contact (id, kind, name, email, phone, city, tax_id, notes,
                             payment_terms_days, is_customer, created_at, updated_at{key})
        VALUES (1, 'organization', 'Kartuli Foods LLC', 'office@kartuli.ge', '+995 32 2 00 00',
                'Tbilisi', '404123456', 'Pays on time', 14, TRUE, {STAMP}, {STAMP}
                {keys('kartuli foods llc')}),
               (2, 'person', 'ნინო ბერიძე', 'nino@kartuli.ge', '', '', '', '', NULL, TRUE,
                {STAMP}, {STAMP}{keys('ნინო ბერიძე')}),
               (3, 'person', 'Archived Person', '', '', '', '', '', NULL, FALSE,
                {STAMP}, {STAMP}{keys('archived person')});
        UPDATE contact SET organization_id = 1 WHERE id = 2;
        UPDATE contact SET archived = TRUE WHERE id = 3;
        INSERT INTO journal_entry (id, number, year, seq, date, memo, source, created_at) VALUES
            (1, 'JE-2025-0001', 2025, 1, '2025-01-02', 'Opening capital', 'manual', {STAMP}),
            (2, 'JE-2025-0002', 2025, 2, '2025-02-03', 'Cash sale', 'manual', {STAMP}),
            (3, 'JE-2025-0003', 2025, 3, '2025-02-28', 'Rent February', 'manual', {STAMP});
        INSERT INTO journal_entry (id, number, year, seq, date, memo, source, reverses_id,
                                   created_at)
            VALUES (4, 'JE-2025-0004', 2025, 4, '2025-03-01', 'Reversal of JE-2025-0003',
                    'reversal', 3, {STAMP});
        INSERT INTO posting (entry_id, account_id, date, amount, contact_id, memo) VALUES
            (1, 1, '2025-01-02', 1000000, NULL, ''), (1, 3, '2025-01-02', -1000000, NULL, ''),
            (2, 1, '2025-02-03', 12345, 1, 'paid cash'), (2, 5, '2025-02-03', -12345, 1, ''),
            (3, 6, '2025-02-28', 80000, NULL, ''), (3, 1, '2025-02-28', -80000, NULL, ''),
            (4, 6, '2025-03-01', -80000, NULL, ''), (4, 1, '2025-03-01', 80000, NULL, '');
        INSERT INTO account_period (account_id, period, amount) VALUES
            (1, '2025-01', 1000000), (3, '2025-01', -1000000), (1, '2025-02', -67655),
            (5, '2025-02', -12345), (6, '2025-02', 80000), (6, '2025-03', -80000),
            (1, '2025-03', 80000);
        INSERT INTO number_sequence (prefix, year, last) VALUES ('JE', 2025, 4);
        INSERT INTO audit_log (at, "user", action, entity, entity_id, summary) VALUES
            ({STAMP}, 'owner', 'init', 'book', 'GEL', 'book created'),
            ({STAMP}, 'owner', 'post', 'journal_entry', 'JE-2025-0001', 'Opening capital');
    """)
    if rev >= "0002":
        statements += _statements(f"""
            UPDATE contact SET email_label = 'work' WHERE id = 1;
            INSERT INTO contact_channel (contact_id, kind, label, value, position) VALUES
                (1, 'email', 'billing', 'billing@kartuli.ge', 1),
                (1, 'phone', 'mobile', '+995 555 12 34 56', 1);
            INSERT INTO tag (id, name, name_key) VALUES (1, 'VIP', 'vip'),
                (2, 'Wholesale', 'wholesale');
            INSERT INTO contact_tag (contact_id, tag_id) VALUES (1, 1), (1, 2), (2, 1);
            INSERT INTO interaction (contact_id, kind, date, summary, follow_up, done,
                                     created_at)
                VALUES (1, 'call', '2025-02-01', 'Asked for prices', '2025-03-01', FALSE,
                        {STAMP}),
                       (2, 'meeting', '2025-02-02', 'Met at the fair', NULL, FALSE, {STAMP});
            INSERT INTO deal (contact_id, title, value, stage, probability, expected_close,
                              created_at, updated_at)
                VALUES (1, 'Spring order', 500000, 'proposal', 5000, '2025-04-30',
                        {STAMP}, {STAMP});
        """)
        if not on_postgresql():  # SQLite's FTS5 search index, filled as 0002 filled it
            statements += ["DELETE FROM contact_fts", _fts_fill()]
    if rev >= "0003":
        statements += _statements(f"""
            INSERT INTO product (id, sku, name, kind, unit, price, cost, vat_rate,
                                 reorder_level, on_hand, stock_value, avg_cost, archived,
                                 created_at, updated_at) VALUES
                (1, 'TOOL-01', 'Hammer', 'stock', 'pcs', 2500, 12000000, 1800, 5000,
                 10000, 12000, 12000000, FALSE, {STAMP}, {STAMP}),
                (2, 'SVC-01', 'Installation hour', 'service', 'h', 4000, NULL, 1800, NULL,
                 0, 0, NULL, FALSE, {STAMP}, {STAMP});
            INSERT INTO stock_move (id, product_id, date, quantity, value, source, source_id,
                                    memo, created_at)
                VALUES (1, 1, '2025-02-10', 10000, 12000, 'opening', NULL, 'Opening stock',
                        {STAMP});
            INSERT INTO journal_entry (id, number, year, seq, date, memo, source, source_id,
                                       created_at)
                VALUES (5, 'JE-2025-0005', 2025, 5, '2025-02-10', 'Opening stock TOOL-01',
                        'opening', 1, {STAMP});
            INSERT INTO posting (entry_id, account_id, date, amount, memo) VALUES
                (5, 2, '2025-02-10', 12000, 'TOOL-01 10'), (5, 3, '2025-02-10', -12000, '');
            INSERT INTO account_period (account_id, period, amount) VALUES
                (2, '2025-02', 12000), (3, '2025-02', -12000);
            UPDATE number_sequence SET last = 5 WHERE prefix = 'JE';
        """)
    if rev >= "0004":  # a sale shipped, invoiced and partly paid
        statements += _statements(f"""
            INSERT INTO trade_order (id, kind, number, year, seq, contact_id, date, status,
                                     notes, net, vat, gross, created_at, updated_at)
                VALUES (1, 'sale', 'SO-2025-0001', 2025, 1, 1, '2025-03-10', 'invoiced',
                        'deliver Monday', 5000, 900, 5900, {STAMP}, {STAMP});
            INSERT INTO order_line (id, order_id, position, product_id, description,
                                    is_service, unit, quantity, unit_price, discount, vat_rate,
                                    net, vat, gross)
                VALUES (1, 1, 1, 1, 'Hammer', FALSE, 'pcs', 2000, 25000000, 0, 1800, 5000,
                        900, 5900);
            INSERT INTO shipment (id, order_id, kind, date, status, value, created_at)
                VALUES (1, 1, 'shipment', '2025-03-10', 'posted', 2400, {STAMP});
            INSERT INTO shipment_line (shipment_id, order_line_id, product_id, quantity, value)
                VALUES (1, 1, 1, 2000, 2400);
            INSERT INTO stock_move (id, product_id, date, quantity, value, source, source_id,
                                    memo, created_at)
                VALUES (2, 1, '2025-03-10', -2000, -2400, 'shipment', 1, 'SO-2025-0001',
                        {STAMP});
            UPDATE product SET on_hand = 8000, stock_value = 9600 WHERE id = 1;
            INSERT INTO invoice (id, kind, number, year, seq, contact_id, order_id, date,
                                 due_date, status, net, vat, gross, paid, created_at)
                VALUES (1, 'invoice', 'INV-2025-0001', 2025, 1, 1, 1, '2025-03-10',
                        '2025-03-24', 'open', 5000, 900, 5900, 1000, {STAMP});
            INSERT INTO invoice_line (invoice_id, position, product_id, description,
                                      is_service, unit, quantity, unit_price, discount,
                                      vat_rate, net, vat, gross)
                VALUES (1, 1, 1, 'Hammer', FALSE, 'pcs', 2000, 25000000, 0, 1800, 5000, 900,
                        5900);
            INSERT INTO payment (id, direction, number, year, seq, contact_id, date,
                                 account_id, amount, memo, status, created_at)
                VALUES (1, 'in', 'PAY-2025-0001', 2025, 1, 1, '2025-03-15', 1, 1000, '',
                        'posted', {STAMP});
            INSERT INTO payment_allocation (payment_id, invoice_id, amount) VALUES (1, 1, 1000);
            INSERT INTO journal_entry (id, number, year, seq, date, memo, source, source_id,
                                       created_at) VALUES
                (6, 'JE-2025-0006', 2025, 6, '2025-03-10', 'Shipment SO-2025-0001', 'shipment',
                 1, {STAMP}),
                (7, 'JE-2025-0007', 2025, 7, '2025-03-10', 'Invoice INV-2025-0001', 'invoice',
                 1, {STAMP}),
                (8, 'JE-2025-0008', 2025, 8, '2025-03-15', 'Payment PAY-2025-0001', 'payment',
                 1, {STAMP});
            INSERT INTO posting (entry_id, account_id, date, amount, contact_id) VALUES
                (6, 10, '2025-03-10', 2400, NULL), (6, 2, '2025-03-10', -2400, NULL),
                (7, 8, '2025-03-10', 5900, 1), (7, 5, '2025-03-10', -5000, 1),
                (7, 9, '2025-03-10', -900, 1),
                (8, 1, '2025-03-15', 1000, 1), (8, 8, '2025-03-15', -1000, 1);
            INSERT INTO account_period (account_id, period, amount) VALUES
                (10, '2025-03', 2400), (2, '2025-03', -2400), (8, '2025-03', 4900),
                (5, '2025-03', -5000), (9, '2025-03', -900);
            UPDATE account_period SET amount = amount + 1000
                WHERE account_id = 1 AND period = '2025-03';
            UPDATE number_sequence SET last = 8 WHERE prefix = 'JE';
            INSERT INTO number_sequence (prefix, year, last) VALUES
                ('SO', 2025, 1), ('INV', 2025, 1), ('PAY', 2025, 1);
        """)
    # From 0009 on, the guards refuse rows dated before the lock date: the release wrote
    # them before it was set, so they go in with the guards off, then chained and sealed
    # as that release's services would have.
    engine.execute(path, *statements, triggers=rev < "0009")
    engine.sync_sequences(path)
    if rev >= "0009":
        _chain_and_seal(path)


def _chain_and_seal(path: Location) -> None:
    import sqlalchemy as sa

    from smallbiz.audit import chain_hash
    from smallbiz.books.seal import seal_new_entries
    from smallbiz.sql import on_sqlalchemy

    previous, updates = "", []
    for row in engine.rows(path, 'SELECT id, at, "user", action, entity, entity_id, summary '
                                 "FROM audit_log ORDER BY id"):
        previous = chain_hash(previous, *row[1:])
        updates.append(("UPDATE audit_log SET chain = ? WHERE id = ?", (previous, row[0])))
    engine.execute(path, *updates, triggers=False)
    eng = sa.create_engine(Database(path).url)
    with eng.begin() as conn:
        seal_new_entries(on_sqlalchemy(conn))
    eng.dispose()


def _tables(path: Location) -> dict[str, list[str]]:
    """Every ordinary table and its columns (the FTS indexes and their shadow tables are
    derived data, rebuilt at will; alembic's own table changes by design)."""
    names = [t for t in engine.tables(path)
             if not t.startswith(("sqlite_", "contact_fts", "invoice_fts", "contact_search"))
             and t != "alembic_version"]
    return {t: list(engine.columns(path, t)) for t in names}


def _snapshot(path: Location, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    return {t: engine.rows(
        path, f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{t}" ORDER BY 1, 2'
    ) for t, cols in tables.items()}


def _upgraded(path: Location, tables: dict[str, list[str]], rev: str
              ) -> dict[str, list[tuple]]:
    """The snapshot after an upgrade from `rev`, less what 0017 adds by design (to a book
    from before it): the exchange gain and loss accounts (new rows 4950 / 7950, or the
    role on an account that had none)."""
    found = _snapshot(path, tables)
    if rev < "0017" and "account" in tables and "role" in tables["account"]:
        cols = tables["account"]
        role, code = cols.index("role"), cols.index("code")
        found["account"] = [
            row[:role] + (None,) + row[role + 1:] if row[role] in ("fx_gain", "fx_loss")
            else row for row in found["account"]
            if not (row[role] in ("fx_gain", "fx_loss") and row[code] in ("4950", "7950"))]
    return found


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_earlier_revision_is_covered() -> None:
    assert EARLIER == _revisions()[:-1] and EARLIER, "a book from each earlier release"
    assert EARLIER[0] == "0001"


@pytest.mark.parametrize("rev", EARLIER)
def test_a_book_from_an_earlier_revision_upgrades_with_nothing_lost(tmp_path: Path, rev: str):
    path = new_location(tmp_path / "old.db")
    old_book(path, rev)
    tables = _tables(path)
    before = _snapshot(path, tables)
    empty = [t for t, found in before.items() if not found]
    assert not empty, f"fill() has no rows for {empty} at {rev}: add what that release wrote"
    original = content_hash(path)

    # Open it the way a user does: any command (here `check`, a real process).
    r = smallbiz(path, "check")
    assert r.returncode == 0, r.stdout + r.stderr

    assert Database(path).current_revision() == head_revision()
    assert _upgraded(path, tables, rev) == before, "a row or value changed in the upgrade"
    backups = list(tmp_path.glob(f"old.db.rev{rev}-*.bak"))
    if on_postgresql():
        assert backups == []  # on a server: pg_dump first (README)
    else:
        assert len(backups) == 1
        assert _mode(backups[0]) == 0o600 and _mode(path) == 0o600
        assert Database(backups[0]).current_revision() == rev
        assert content_hash(backups[0]) == original, "the backup is the book as it was"

    # The upgraded book keeps working with the current code: numbering continues, the
    # lock date holds, the old contacts and products are found.
    run = make_runner(path)
    r = run("journal", "add", "--date", "2025-03-05", "--posting", "6000=10", "--posting",
            "1010")
    entries = 8 if rev >= "0004" else 5 if rev >= "0003" else 4
    assert (r.exit_code, r.stdout.strip()) == (0, f"JE-2025-{entries + 1:04d}"), r.stderr
    assert run("journal", "add", "--date", "2025-01-15", "--posting", "6000=1",
               "--posting", "1010").exit_code == 1  # before the old lock date
    tb = {row["code"]: row["balance"] for row in
          run("report", "tb", "--as-of", "2025-12-31", "--json").json()["rows"]}
    if rev >= "0004":
        assert tb["1010"] == "10123.45" and tb["4000"] == "-173.45" and tb["1100"] == "49.00"
    else:
        assert tb["1010"] == "10113.45" and tb["4000"] == "-123.45"
    assert run("contact", "show", "ნინო", "--json").json()["name"] == "ნინო ბერიძე"
    if rev >= "0002":
        found = run("contact", "list", "--search", "billing@kartuli", "--json").json()
        assert [c["name"] for c in found] == ["Kartuli Foods LLC"]
    if rev >= "0003":
        product = run("product", "show", "TOOL-01", "--json").json()
        assert (product["on_hand"], product["value"]) == (("8", "96.00") if rev >= "0004"
                                                          else ("10", "120.00"))
    if rev >= "0004":
        assert run("invoice", "show", "INV-2025-0001", "--json").json()["balance_due"] == \
            "49.00"
        # the invoices' text filter finds the old invoice by its order's notes (0022's
        # index on SQLite, filled by the upgrade) and by its customer's name
        for text in ("deliver mon", "KARTULI"):
            found = run("invoice", "list", "--search", text, "--json").json()
            assert [i["number"] for i in found] == ["INV-2025-0001"], text
        assert run("pay", "in", "INV-2025-0001", "49.00", "--date", "2025-03-20"
                   ).stdout.strip() == "PAY-2025-0002"
        assert run("sale", "new", "Kartuli Foods LLC", "--line", "TOOL-01=2", "--date",
                   "2025-03-06").exit_code == 0
    assert run("check").exit_code == 0


FAILING_MIGRATION = '''"""A migration that fails half way (test only).

Revision ID: {rev}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("contact", sa.Column("half_done", sa.Integer, nullable=True))
    op.execute("UPDATE contact SET name = 'CLOBBERED'")
    op.execute("DELETE FROM setting WHERE key <> 'lock_date'")  # (the lock date: never)
    raise RuntimeError("simulated failure in the middle of an upgrade")


def downgrade() -> None:
    pass
'''


@pytest.fixture
def failing_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real migrations plus one more that fails after changing things."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    nxt = f"{int(head[:4]) + 1:04d}"
    (folder / "versions" / f"{nxt}_boom.py").write_text(
        FAILING_MIGRATION.format(rev=nxt, down=head))
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", folder)
    return folder


def test_a_failed_upgrade_leaves_the_book_untouched(templates, tmp_path: Path,
                                                    failing_migrations: Path) -> None:
    path = copy_book(templates["shop"], tmp_path / "book.db")
    rev = Database(path).current_revision()
    before = content_hash(path)
    with pytest.raises(UserError) as failure:
        Database(path).open()
    message = failure.value.message
    assert "simulated failure" in message and "unchanged" in message
    assert content_hash(path) == before
    assert Database(path).current_revision() == rev
    assert "half_done" not in engine.tables(path)
    if on_postgresql():  # one transaction on a server, no copy
        return
    backups = list(tmp_path.glob(f"book.db.rev{rev}-*.bak"))
    assert len(backups) == 1 and content_hash(backups[0]) == before
    assert str(backups[0]) in message  # the user is told where the copy is


def test_a_failed_upgrade_is_one_error_line_for_the_cli(templates, tmp_path: Path,
                                                        failing_migrations: Path) -> None:
    path = copy_book(templates["shop"], tmp_path / "book.db")
    before = content_hash(path)
    code = (f"import smallbiz.db, pathlib\n"
            f"smallbiz.db.MIGRATIONS_DIR = pathlib.Path({str(failing_migrations)!r})\n"
            f"from smallbiz.cli.main import app\n"
            f"app(['--db', {str(path)!r}, 'report', 'tb'], prog_name='smallbiz')\n")
    r = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("error: upgrading") and "Traceback" not in r.stderr
    assert content_hash(path) == before


def test_two_processes_opening_an_old_book_at_once(tmp_path: Path) -> None:
    """Both upgrade-on-open attempts end well: one upgrades, the other waits and finds
    the book already current."""
    path = new_location(tmp_path / "old.db")
    old_book(path, EARLIER[-1])
    tables = _tables(path)
    before = _snapshot(path, tables)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([PYTHON, "-m", "smallbiz", "--db", str(path), "check"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, out + err
    assert Database(path).current_revision() == head_revision()
    assert _upgraded(path, tables, EARLIER[-1]) == before
    db = Database(path).open()
    assert run_checks(db) == []
    db.dispose()
