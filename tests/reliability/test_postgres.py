"""PostgreSQL, for real: the README's commands and the server's settings, on a
real server (issue: PostgreSQL, the defects a real server showed).

They run with `--engine=postgresql` (tests/engine.py: the server of `SMALLBIZ_TEST_PG`, a
SQLAlchemy URL of a database the tests may create databases from; `.ci/run` starts a
throwaway cluster on 127.0.0.1 and sets it), and are skipped on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path

import pytest

from tests import engine
from tests.reliability.conftest import CHILD_ENV, PYTHON, ROOT

pytestmark = pytest.mark.postgresql_only("a real PostgreSQL server's own behaviour")


def _admin(sql: str) -> None:
    engine.admin(sql)


@pytest.fixture
def pg() -> str:
    """A new, empty database on the test server (dropped when the test ends); its URL."""
    return engine.new_database("pg")


def sb(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([PYTHON, "-m", "smallbiz", "--db", url, *args], capture_output=True,
                       text=True, cwd=ROOT, env=CHILD_ENV, timeout=300)
    if check:
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def sb_json(url: str, *args: str) -> object:
    return json.loads(sb(url, "--json", *args).stdout)


def _tour(url: str, tmp_path: Path) -> list[str]:
    """The README's tour; what each report printed."""
    sb(url, "init", "--company", "Tbilisi Tools", "--currency", "GEL", "--vat-rate", "18")
    sb(url, "journal", "add", "--date", "2026-01-05", "--memo", "Owner invests",
       "--posting", "1010=5000", "--posting", "3000")
    sb(url, "journal", "add", "--date", "2026-01-09", "--memo", "Rent",
       "--posting", "6000=800.00", "--posting", "1010")
    journal = tmp_path / f"in-{uuid.uuid4().hex[:6]}.journal"
    journal.write_text("2026-02-01 Fees\n    expenses:6800 Bank fees  12.50 GEL\n"
                       "    assets:1010 Bank\n")
    sb(url, "import", "journal", str(journal))
    sb(url, "journal", "add", "--date", "2026-02-03", "--memo", "after the import",
       "--posting", "6000=1", "--posting", "1010")  # the id sequence moved on
    sb(url, "contact", "add", "Gela Beridze", "--company", "Kartuli Foods LLC",
       "--phone", "+995 555 12 34 56", "--customer")
    sb(url, "contact", "add", "ნინო ცინცაძე", "--customer")
    sb(url, "product", "add", "TOOL-01", "Hammer", "--price", "25")
    sb(url, "stock", "adjust", "TOOL-01", "10", "--cost", "12", "--date", "2026-02-01")
    order = sb(url, "sale", "new", "Gela Beridze", "--line", "TOOL-01=2",
               "--date", "2026-02-05").stdout.strip()
    sb(url, "sale", "confirm", order)
    sb(url, "sale", "ship", order, "--date", "2026-02-05")
    sb(url, "sale", "invoice", order, "--date", "2026-02-05")
    out = []
    for args in (("report", "tb", "--as-of", "2026-12-31"), ("report", "bs", "--as-of",
                 "2026-12-31"), ("report", "pl", "--from", "2026-01-01", "--to", "2026-12-31"),
                 ("report", "aging", "--as-of", "2026-04-30"), ("report", "stock"),
                 ("contact", "list", "--search", "5551234"), ("contact", "list", "--search",
                 "ნი"), ("contact", "list", "--search", "Be"), ("journal", "list"), ("check",)):
        out.append(sb(url, *args).stdout)
    return out


def test_the_readme_tour_gives_what_sqlite_gives(pg: str, tmp_path: Path) -> None:
    on_pg = _tour(pg, tmp_path)
    on_sqlite = _tour(str(tmp_path / "same.db"), tmp_path)
    assert on_pg == on_sqlite
    assert "Gela Beridze" in on_pg[5], "a phone typed without spaces is found"
    assert "ნინო" in on_pg[6] and "Gela" in on_pg[7]


def test_times_and_dates_do_not_follow_the_servers_settings(pg: str) -> None:
    name = pg.rpartition("/")[2]
    _admin(f"ALTER DATABASE {name} SET timezone TO 'Asia/Tbilisi'")
    _admin(f"ALTER DATABASE {name} SET DateStyle TO 'SQL, DMY'")
    sb(pg, "init")
    sb(pg, "contact", "add", "Nino", "--customer")
    sb(pg, "deal", "add", "Nino", "Tools for Nino", "--value", "1000", "--close", "2026-03-15")
    rows = sb_json(pg, "audit")
    at = dt.datetime.fromisoformat(rows[0]["at"])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs((now - at).total_seconds()) < 600, (at, now)
    forecast = sb(pg, "report", "forecast").stdout
    assert "2026-03" in forecast, forecast


def test_the_database_refuses_what_smallbiz_refuses(pg: str) -> None:
    import sqlalchemy

    sb(pg, "init")
    sb(pg, "journal", "add", "--date", "2026-01-05", "--memo", "x", "--posting", "1010=5",
       "--posting", "3000")
    sb(pg, "lock", "2026-01-31")
    engine = sqlalchemy.create_engine(pg)
    try:
        for sql in ("TRUNCATE posting CASCADE", "DELETE FROM audit_log",
                    "INSERT INTO posting (entry_id, account_id, date, amount, memo) "
                    "VALUES (1, 1, '2026-03-01', 5, '')",
                    "UPDATE setting SET value = '2025-01-01' WHERE key = 'lock_date'",
                    "INSERT INTO journal_entry (number, year, seq, date, memo, source, "
                    "created_at) VALUES ('JE-2026-0099', 2026, 99, '2026-01-10', '', "
                    "'manual', now())"):
            with pytest.raises(sqlalchemy.exc.DBAPIError), engine.begin() as conn:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()
    sb(pg, "check")


def test_a_server_error_is_one_line_without_the_password(pg: str) -> None:
    base, _slash, _db = pg.rpartition("/")
    scheme, _sep, rest = base.partition("://")
    host = rest.rpartition("@")[2]
    url = f"{scheme}://nobody:s3cret@{host}/no_such_database"
    for args in (("check",), ("init",), ("report", "tb")):
        r = sb(url, *args, check=False)
        assert r.returncode == 1
        assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr
        assert "s3cret" not in r.stderr + r.stdout
