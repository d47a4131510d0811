"""Shared fixtures: a real book (a SQLite file in tmp_path, or a database on a PostgreSQL
server with `--engine=postgresql`, see tests/engine.py) and a real CLI runner on it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smallbiz.book import init_book
from smallbiz.db import Database, masked_url
from tests import engine
from tests.engine import Location, content_hash, copy_book, new_location, on_postgresql

__all__ = ["Run", "content_hash", "copy_book", "make_runner", "new_location"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine", choices=engine.ENGINES,
        default=os.environ.get("SMALLBIZ_TEST_ENGINE") or engine.SQLITE,
        help="the database the books of the tests live on (default: $SMALLBIZ_TEST_ENGINE, "
             "else sqlite); postgresql uses the server of $SMALLBIZ_TEST_PG")


def pytest_configure(config: pytest.Config) -> None:
    engine.ENGINE = config.getoption("engine")
    config.pluginmanager.register(_LastingDatabases(), "smallbiz-lasting-databases")
    if engine.on_postgresql() and not engine.SERVER:
        why = ("--engine=postgresql needs a server: set SMALLBIZ_TEST_PG to a URL such as "
               "postgresql+psycopg://postgres@127.0.0.1:5433/postgres")
        if os.environ.get("SMALLBIZ_TEST_PG_REQUIRED") == "1":  # CI: never pass by skipping
            raise pytest.UsageError(why)
        pytest.exit(f"{why}; nothing was run", returncode=0)


def pytest_report_header(config: pytest.Config) -> str:
    where = f" ({masked_url(engine.SERVER)})" if engine.on_postgresql() else ""
    return f"smallbiz test engine: {engine.ENGINE}{where}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`sqlite_only` tests are skipped on PostgreSQL, `postgresql_only` ones on SQLite."""
    other, label = (("sqlite_only", "SQLite only") if engine.on_postgresql() else
                    ("postgresql_only", "PostgreSQL only (--engine=postgresql)"))
    for item in items:
        marker = item.get_closest_marker(other)
        if marker is not None:
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"{label}: {why}" if why else label))


class _LastingDatabases:
    """The databases a module- or session-scoped fixture makes last for the session (a
    plugin, not a conftest hook: a session-scoped fixture is set up for the session's
    node, which this folder's conftest hooks do not see)."""

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef) -> Any:
        if fixturedef.scope == "function":
            return (yield)
        with engine.lasting():
            return (yield)


@pytest.fixture(scope="session", autouse=True)
def _databases_of_the_session() -> Iterator[None]:
    yield
    if on_postgresql():
        engine.end_session()


@pytest.fixture(autouse=True)
def _language_of_the_test() -> Iterator[None]:
    """Each test starts in English, whatever the machine's locale, and ends there (a test
    that switches the language does not leak it into the next)."""
    from smallbiz.i18n import reset_language

    reset_language({})
    yield
    reset_language({})


@pytest.fixture(autouse=True)
def _databases_of_the_test() -> Iterator[None]:
    """On PostgreSQL, the databases a test made are dropped when it ends."""
    if not on_postgresql():
        yield
        return
    engine.begin_test()
    try:
        yield
    finally:
        engine.end_test()


#: Fixtures that copy a book to `book_path` (on PostgreSQL it need not be created first).
_COPIED_TO_BOOK_PATH = {"book", "cli", "shop", "history"}


@pytest.fixture
def book_path(request: pytest.FixtureRequest, tmp_path: Path) -> Location:
    """Where the test's book is (what `--db` takes): `tmp_path/book.db` on SQLite (no file
    yet); on PostgreSQL the URL of a new, empty database."""
    copied = bool(_COPIED_TO_BOOK_PATH & set(request.fixturenames))
    return new_location(tmp_path / "book.db", create=not copied)


@pytest.fixture
def another_book(tmp_path: Path) -> Callable[[str], Location]:
    """`another_book("copy.db")`: where a second book can be made (`tmp_path/copy.db` on
    SQLite, a new empty database on PostgreSQL)."""
    return lambda name: new_location(tmp_path / name)


@pytest.fixture(scope="session")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Location:
    """A new book (Test Co, GEL, VAT 18 %, the default chart), made once per test process
    for fixtures that copy it (creating a book costs far more than copying one)."""
    where = new_location(tmp_path_factory.mktemp("plain-template") / "plain.db")
    db = Database(where)
    init_book(db, company="Test Co", currency="GEL", vat_rate="18")
    db.dispose()
    return where


@pytest.fixture
def book(request: pytest.FixtureRequest, book_path: Location) -> Iterator[Database]:
    """A new book: Test Co, GEL, VAT 18 %, the default chart (on PostgreSQL a copy of
    `plain_template`)."""
    if on_postgresql():
        copy_book(request.getfixturevalue("plain_template"), book_path)
        db = Database(book_path).open()
    else:
        db = Database(book_path)
        init_book(db, company="Test Co", currency="GEL", vat_rate="18")
        db.open()
    yield db
    db.dispose()


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(book: Database, book_path: Location) -> Callable[..., Run]:
    """Run `smallbiz --db <book> ARGS...` in-process (Typer's CliRunner)."""
    return make_runner(book_path)


def make_runner(where: Location) -> Callable[..., Run]:
    """Run `smallbiz --db WHERE ARGS...` in-process; WHERE a file path or a database URL."""
    from smallbiz.cli.main import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, ["--db", str(where), *args], input=input,
                               catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run
