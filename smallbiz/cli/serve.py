"""`smallbiz serve`: the terminal app in a web browser."""

from __future__ import annotations

import typer

from smallbiz.cli.state import state


def serve(ctx: typer.Context,
          host: str = typer.Option("127.0.0.1", "--host",
                                   help="Address to listen on; any other than this "
                                        "computer's needs the token printed at start."),
          port: int = typer.Option(8000, "--port", help="Port to listen on.")) -> None:
    """Serve the terminal app to web browsers (one app per browser tab, same book)."""
    from smallbiz.tui_launch import serve as run

    run(state(ctx), host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
