"""`smallbiz serve`: the page is served on 127.0.0.1 without a token; bound to another
address it wants the token printed at start (the websocket too); and in a real headless
Chromium the dashboard shows and a typed filter changes the contacts list.

The browser test needs the Debian packages chromium and chromium-driver (.ci/run installs
them); without them it is skipped, unless SMALLBIZ_TEST_BROWSER_REQUIRED is set (CI), when
their absence fails."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(location, host: str = "127.0.0.1") -> Iterator[tuple[int, str]]:
    """`smallbiz --db LOCATION serve` in its own process: (port, the address it printed)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "smallbiz", "--db", str(location), "serve",
                             "--host", host, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "open http://" in line, line + (proc.stderr.read() if proc.stderr else "")
        url = line.strip().rsplit(" ", 1)[1]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_local_serve_needs_no_token(book, book_path) -> None:
    with serving(book_path) as (port, url):
        assert "token" not in url
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "smallbiz" in page and "/ws" in page


def test_serving_beyond_this_computer_wants_the_token(book, book_path) -> None:
    with serving(book_path, host="0.0.0.0") as (port, url):
        token = url.split("?token=", 1)[1]
        assert len(token) >= 20
        assert _get(f"http://127.0.0.1:{port}/")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/?token=wrong")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/ws")[0] == 403
        assert _get(f"http://127.0.0.1:{port}/?token={token}")[0] == 200


# -- a real browser -------------------------------------------------------------------------

def _chromedriver() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


#: Run before the page's own scripts: keep what the app sends over its websocket (the
#: terminal draws on a canvas, so the page's DOM holds no text to read).
TAP_OUTPUT = """
window.__out = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new NativeWebSocket(...args);
  ws.binaryType = "arraybuffer";
  ws.addEventListener("message", (e) => {
    window.__out.push(typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data));
  });
  return ws;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
"""
_ESCAPE = re.compile(r"\x1b(\[[0-9;?$]*[A-Za-z]|\][^\x07\x1b]*(\x07|\x1b\\\\)?)")


class WebDriver:
    """The few W3C WebDriver calls the test needs, over chromedriver's HTTP API."""

    def __init__(self, base: str, browser: str) -> None:
        self.base = base
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": browser,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]
        self.s("POST", "/goog/cdp/execute", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                            "params": {"source": TAP_OUTPUT}})

    def call(self, method: str, path: str, body: dict | None = None) -> Any:
        data = json.dumps(body or {}).encode() if method == "POST" else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())["value"]

    def s(self, method: str, path: str, body: dict | None = None) -> Any:
        return self.call(method, f"/session/{self.session}{path}", body)

    def script(self, js: str) -> Any:
        return self.s("POST", "/execute/sync", {"script": js, "args": []})

    def output(self, since: int = 0) -> str:
        """What the app has drawn since message `since`, as plain text."""
        raw = str(self.script(f"return window.__out.slice({since}).join('')") or "")
        return _ESCAPE.sub(" ", raw)

    def mark(self) -> int:
        return int(self.script("return window.__out.length"))

    def keys(self, text: str) -> None:
        self.script("document.querySelector('.xterm-helper-textarea').focus()")
        actions = [a for ch in text for a in ({"type": "keyDown", "value": ch},
                                              {"type": "keyUp", "value": ch})]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "kb",
                                                 "actions": actions}]})

    def wait_for(self, words: str, since: int = 0, seconds: float = 40) -> str:
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            text = self.output(since)
            if words in text:
                return text
            time.sleep(0.5)
        raise AssertionError(f"{words!r} never showed; the app drew:\n{text[-3000:]}")

    def quit(self) -> None:
        self.call("DELETE", f"/session/{self.session}")


@pytest.mark.sqlite_only
def test_the_app_in_headless_chromium(book, book_path) -> None:
    found = _chromedriver()
    if found is None:
        if os.environ.get("SMALLBIZ_TEST_BROWSER_REQUIRED"):
            pytest.fail("chromium and chromium-driver are required here (CI) but missing")
        pytest.skip("no chromium + chromedriver here (Debian: apt-get install chromium "
                    "chromium-driver); CI runs this test")
    browser, driver_bin = found
    from smallbiz.app.book import Book

    Book(book).add_contact("Zurab Browser")
    Book(book).add_contact("Nino Other")
    port = _free_port()
    driver = subprocess.Popen([driver_bin, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        with serving(book_path) as (_port, url):
            web = WebDriver(f"http://127.0.0.1:{port}", browser)
            try:
                web.s("POST", "/url", {"url": url})
                web.wait_for("Dashboard")
                start = web.mark()
                web.keys("\ue033")  # F3: Contacts
                shown = web.wait_for("Zurab Browser", start)
                assert "Nino Other" in shown  # both, Nino first
                start = web.mark()
                web.keys("zurab")  # a letter starts the filter
                after = web.wait_for("Zurab Browser", start)  # moved up to the first row
                time.sleep(1)
                after = web.output(start)
                assert "Nino Other" not in after
            finally:
                web.quit()
    finally:
        driver.terminate()
        driver.wait(timeout=10)

