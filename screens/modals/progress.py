"""A long job (building the demo, an import) in a worker, with a progress bar.

`job(set_total, advance)` runs in a thread; it may call `set_total(n)` once it knows how
many steps there are and `advance(k)` as it goes. The dialog dismisses with the job's
result, or with None after showing the error (a UserError's message, or the bug's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static
from textual.worker import Worker, WorkerState

Job = Callable[[Callable[[int], None], Callable[[int], None]], Any]


class ProgressDialog(ModalScreen[Any]):
    def __init__(self, title: str, detail: str, job: Job) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.job = job

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, classes="dialog-detail")
            yield ProgressBar(id="job-progress", show_eta=False)

    def on_mount(self) -> None:
        self.run_job()

    @work(thread=True, exclusive=True, group="progress-dialog")
    def run_job(self) -> Any:
        bar = self.query_one(ProgressBar)

        def set_total(n: int) -> None:
            self.app.call_from_thread(bar.update, total=n, progress=0)

        def advance(n: int = 1) -> None:
            self.app.call_from_thread(bar.advance, n)

        try:
            return self.job(set_total, advance)
        except Exception as exc:  # the user sees why; the app stays up
            return Failed(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Dismiss once the worker has finished (dismissing from inside it would cancel it).
        if event.state != WorkerState.SUCCESS:
            return
        result = event.worker.result
        if isinstance(result, Failed):
            self.app.notify(result.message, severity="error", timeout=10)
            result = None
        self.dismiss(result)


class Failed:
    def __init__(self, message: str) -> None:
        self.message = message
