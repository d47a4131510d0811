"""Shared fixtures: a real SQLite book in tmp_path and a real CLI runner on it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smallbiz.book import init_book
from smallbiz.db import Database


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def book(book_path: Path) -> Database:
    """A new book: Test Co, GEL, VAT 18 %, the default chart."""
    db = Database(book_path)
    init_book(db, company="Test Co", currency="GEL", vat_rate="18")
    yield db.open()
    db.dispose()


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(book: Database, book_path: Path) -> Callable[..., Run]:
    """Run `smallbiz --db <book> ARGS...` in-process (Typer's CliRunner)."""
    return make_runner(book_path)


def make_runner(path: Path) -> Callable[..., Run]:
    from smallbiz.cli.main import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, ["--db", str(path), *args], input=input,
                               catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


def content_hash(path: Path) -> str:
    """A hash of every table's rows: equal before and after means nothing was written."""
    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            for row in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()
