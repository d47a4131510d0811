"""The top line: the company, where you are, and every place with its key (clickable)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from smallbiz.i18n import _, pgettext
from smallbiz.screens.nav import PLACES


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar {
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, title: str = "") -> None:
        super().__init__("", markup=False)
        self.title_text = title

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        mode = getattr(self.app, "current_mode", "")
        company = getattr(getattr(self.app, "book", None), "company_name", "") or ""
        width = self.size.width or 120
        # the widest that fits: labels and the company, then fewer (never a cut key)
        tries = ((True, True), (True, False), (False, True), (False, False))
        for labels, with_company in tries:
            parts: list[Content] = []
            for p in PLACES:
                short = " " + pgettext("nav", p.short) if labels else ""
                text = Content(f" {p.key.upper()}{short} ")
                style = "bold reverse" if p.mode == mode else ""
                parts.append(Content.from_markup(
                    f"[{style} @click=app.goto('{p.mode}')]$text[/]", text=text))
            bar = Content("").join(parts)
            title = _(self.title_text)
            head = f" {company} · {title} " if company and with_company else f" {title} "
            if cell_len(head) + bar.cell_length <= width or (labels, with_company) == tries[-1]:
                gap = max(1, width - cell_len(head) - bar.cell_length)
                self.update(Content.assemble((head, "bold"), " " * gap, bar))
                return
