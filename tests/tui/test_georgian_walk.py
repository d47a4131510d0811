"""The app in Georgian shows no English word: a walk through every place (each F-key), what
each of its keys opens (forms, modals, the drill-down on enter), the help screen and the
palette, on the demo book. Allowed: the demo's own data (names, memos, accounts as the
book has them), codes (INV-, GEL, IBAN, ...), key names and product names."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from smallbiz.screens.nav import PLACES
from tests.tui.conftest import settle
from tests.tui.test_snapshots import screen_text

WORD = re.compile(r"[A-Za-z][A-Za-z']+")
#: Words that are no English a user reads as such: product and format names, codes,
#: key names.
ALLOWED = {
    "smallbiz", "SmallBiz", "GEL", "USD", "EUR", "IBAN", "SWIFT", "PDF", "CSV", "XLSX",
    "OFX", "CAMT", "MT", "vCard", "INV", "BILL", "PAY", "JE", "SO", "PO", "QT", "CN", "DN",
    "ctrl", "esc", "escape", "tab", "enter", "shift", "del", "delete", "space", "pgup", "pgdn",
    "home", "end", "up", "down", "left", "right", "backspace", "fx", "ID", "id", "OK",
    "hledger", "ledger", "Textual", "SQLite", "PostgreSQL", "Enter", "Esc", "Tab", "SVG",
    "account", "vat",  # keywords of a line typed as WHAT=QTY@PRICE;account=CODE;vat=PCT
}
#: A binding's id (`app.goto.contacts`, the help screen's last column): what a keymap
#: file names, not words.
BINDING_ID = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
#: Keys that leave the app or change the book's language, not places to look at.
SKIP_KEYS = {"ctrl+q", "ctrl+c", "q"}


def demo_words(path: Path) -> set[str]:
    """Every Latin word of the demo book's own text (user data)."""
    words: set[str] = set()
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            " AND name NOT LIKE '%fts%'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - our own names
                for value in row:
                    if isinstance(value, str):
                        words.update(WORD.findall(value))
    return words


PATH = re.compile(r"(?:~|\.{0,2})/[^\s]*")


def english(text: str, allowed: set[str], data: str) -> list[str]:
    """The Latin words of `text` that are neither allowed nor a piece of the demo's data
    (a name cut at a column's edge: `Installatio`, or its wrapped end)."""
    lower = {w.lower() for w in allowed}
    text = BINDING_ID.sub(" ", PATH.sub(" ", text))  # file paths, binding ids
    cut = {w.lower() for w in re.findall(r"([A-Za-z']+)…", text)}  # cut at both ends
    return sorted({w for w in WORD.findall(text) if w not in allowed and w.lower() not in lower
                   and len(w) > 1 and not _piece(w.lower(), data)
                   and not (w.lower() in cut and w.lower() in data)})


def _piece(word: str, data: str) -> bool:
    return f" {word}" in data or f"{word} " in data


@pytest.fixture
def allowed(demo_path: Path) -> tuple[set[str], str]:
    words = demo_words(demo_path)
    return ALLOWED | words, " " + " ".join(sorted(w.lower() for w in words)) + " "


async def _back_to(pilot, app, mode: str, screen) -> None:
    """Back to the place `screen` of `mode`: dialogs closed, the mode's drill-downs left."""
    from textual.screen import ModalScreen

    for _i in range(4):
        if not isinstance(app.screen, ModalScreen):
            break
        await pilot.press("escape")
        await settle(pilot, app)
    if app.current_mode != mode:
        await app.switch_mode(mode)
        await settle(pilot, app)
    while app.screen is not screen and len(app.screen_stack) > 1:
        app.pop_screen()
        await settle(pilot, app)
    assert app.screen is screen, f"could not leave {app.screen!r}"


async def test_every_place_its_keys_help_and_palette_are_georgian(demo_app, allowed) -> None:
    app = demo_app
    found: dict[str, list[str]] = {}
    texts: dict[str, str] = {}

    def look(where: str) -> None:
        texts[where] = screen_text(app)
        words = english(texts[where], *allowed)
        if words:
            found[where] = words

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await app.switch_language("ka")
        await settle(pilot, app)
        for place in PLACES:
            await pilot.press(place.key)
            await settle(pilot, app)
            screen = app.screen
            look(place.mode)
            keys = [b.binding.key for b in app.active_bindings.values()
                    if b.node is screen and b.binding.key not in SKIP_KEYS]
            for key in [*dict.fromkeys(keys), "enter"]:
                app.clear_notifications()
                await pilot.press(key)
                await settle(pilot, app)
                if app.screen is not screen or app.screen.query("Toast"):
                    look(f"{place.mode} {key}")
                await _back_to(pilot, app, place.mode, screen)
            await pilot.press("f1")
            await settle(pilot, app)
            look(f"{place.mode} help")
            await _back_to(pilot, app, place.mode, screen)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await pilot.pause(0.3)
        await settle(pilot, app)
        look("palette")
    for where in found:
        print(f"--- {where}\n{texts[where]}")
    assert found == {}, "\n".join(f"{where}: {', '.join(w)}" for where, w in found.items())
