"""A document (invoice, bill, quote) read into a dialog off the event loop: the shared
part of the dialogs that show one; each says how to read it (`read`) and shows it
(`show`)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.screen import ModalScreen

from smallbiz.errors import UserError


class DocumentDialog(ModalScreen[Any]):
    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: Any = None

    def read(self, book: Any) -> Any:
        """The document's view from the book."""
        raise NotImplementedError

    def show(self, view: Any) -> None:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="document")
    def load(self) -> None:
        try:
            view = self.read(self.app.book)  # type: ignore[attr-defined]
        except UserError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self.show, view)
