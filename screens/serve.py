"""`smallbiz serve`: the same app in a web browser (textual-serve), one app process per
browser tab, all on the same book (SQLite WAL or PostgreSQL).

Local-only by default (127.0.0.1). Bound to any other address, the page asks for a token
made at start (in the URL printed once: `?token=...`); the page sets it as a cookie that
the terminal's websocket must carry, so nobody on the network who lacks the URL gets in.
"""

from __future__ import annotations

import os
import secrets
import shlex
import socket
import sys
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from smallbiz.i18n import _

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
COOKIE = "smallbiz_token"


class BookServer(Server):
    """textual-serve's server, with the token check in front of the page and the app."""

    def __init__(self, command: str, *, host: str, port: int, token: str | None,
                 public_url: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="smallbiz",
                         public_url=public_url)
        self.token = token

    def _allowed(self, given: str | None) -> bool:
        return self.token is None or (given is not None
                                      and secrets.compare_digest(given, self.token))

    async def handle_index(self, request: web.Request) -> Any:
        if not self._allowed(request.query.get("token") or request.cookies.get(COOKIE)):
            raise web.HTTPForbidden(text=_("smallbiz: open the address with its token, as "
                                           "printed when the server started.\n"))
        response = await super().handle_index(request)
        if self.token is not None:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def handle_websocket(self, request: web.Request) -> Any:
        if not self._allowed(request.cookies.get(COOKIE) or request.query.get("token")):
            raise web.HTTPForbidden(text="smallbiz: no token\n")
        return await super().handle_websocket(request)


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


def address(host: str, port: int, token: str | None) -> str:
    """The URL to open (with the token when there is one)."""
    shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def make_server(book_url: str, host: str, port: int) -> tuple[BookServer, str]:
    """The server for the book at `book_url`, and the address to open. Each browser tab
    runs `python -m smallbiz tui` on the book (named by $SMALLBIZ_DB, so a database
    password never shows in the process list)."""
    token = None if is_local(host) else secrets.token_urlsafe(18)
    os.environ["SMALLBIZ_DB"] = book_url
    command = shlex.join([sys.executable, "-m", "smallbiz", "tui"])
    url = address(host, port, token)
    public = url.split("/?", 1)[0].rstrip("/")
    return BookServer(command, host=host, port=port, token=token, public_url=public), url


def serve(book_url: str, host: str, port: int) -> None:
    server, url = make_server(book_url, host, port)
    print(_("smallbiz in the browser: open {url}").format(url=url), flush=True)
    if server.token is not None:
        print(_("warning: serving on {host}, not only this computer: anyone with this "
                "address (and its token) can open the book. Use it on a network you trust; "
                "the connection is not encrypted.").format(host=host), file=sys.stderr,
              flush=True)
    server.serve()
