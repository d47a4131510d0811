"""Deals: the pipeline as a board, one column per stage. ←/→ change column; ] and [
(or shift+→/←) move the highlighted deal to the next or previous stage; w wins it, x loses
it; e edits its title, value, close date, stage or probability; enter opens its
contact."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from smallbiz.i18n import N_, _, ngettext
from smallbiz.screens.base import BookScreen, plain
from smallbiz.screens.contacts import STAGES, ContactScreen, deal_form
from smallbiz.screens.modals.form import FormDialog, FormField
from smallbiz.screens.widgets.footer import AppFooter
from smallbiz.screens.widgets.navbar import NavBar

STAGE_IDS = [key for _label, key in STAGES]


def deal_card(d: Any, f: Any) -> Text:
    # value and probability on lines of their own: at 80 columns a card is 10 cells wide
    return Text.assemble((d.title, "bold"), "\n", (d.contact, "dim"), "\n",
                         f(d.value), "\n", (f"{plain(d.probability)}%", "dim"))


def edit_deal_form(book: Any, d: Any) -> FormDialog:
    """Change a deal's title, value, expected close, stage or probability (empty: the
    stage's)."""
    def save(values: dict[str, str]) -> Any:
        pct: str | None = values["probability"].strip() or None
        if values["stage"] != d.stage and pct == plain(d.probability):
            pct = None  # left as the old stage had it: the new stage's default
        return book.edit_deal(d.id, title=values["title"], value=values["value"],
                              expected_close=values["close"], stage=values["stage"],
                              probability=pct)

    return FormDialog(_("Edit deal"), [
        FormField("title", _("Title"), d.title),
        FormField("value", _("Value"), plain(d.value)),
        FormField("close", _("Expected close (empty: none)"),
                  d.expected_close.isoformat() if d.expected_close else "",
                  placeholder=_("+30, 1.12, …"), date=True),
        FormField("stage", _("Stage"), d.stage, choices=STAGES),
        FormField("probability", _("Probability % (empty: the stage's)"),
                  plain(d.probability)),
    ], save, note=d.contact)


class StageColumn(Vertical):
    def __init__(self, stage: str, title: str) -> None:
        super().__init__(classes="stage", id=f"stage-{stage}")
        self.stage = stage
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="stage-title")
        yield OptionList(id=f"deals-{self.stage}", classes="stage-deals")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)


class DealsScreen(BookScreen):
    PLACE_TITLE = N_("Deals")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New deal"), id="deals.new"),
        Binding("e", "edit", N_("Edit"), id="deals.edit"),
        Binding("right_square_bracket,shift+right", "move(1)", N_("Next stage"),
                id="deals.next_stage"),
        Binding("left_square_bracket,shift+left", "move(-1)", N_("Previous stage"),
                show=False, id="deals.previous_stage"),
        Binding("w", "to('won')", N_("Won"), id="deals.won",
                tooltip=N_("Mark the deal won")),
        Binding("x", "to('lost')", N_("Lost"), id="deals.lost"),
        Binding("left", "column(-1)", N_("Column left"), show=False, id="deals.left"),
        Binding("right", "column(1)", N_("Column right"), show=False, id="deals.right"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.deals: dict[int, Any] = {}
        self.follow: int | None = None  # a deal to highlight once the board is read again

    def compose(self) -> ComposeResult:
        yield NavBar(self.PLACE_TITLE)
        with Horizontal(id="board"):
            for label, key in STAGES:
                yield StageColumn(key, _(label))
        yield Static("", id="pipeline-summary")
        yield AppFooter()

    def columns(self) -> list[StageColumn]:
        return list(self.query(StageColumn))

    def on_mount(self) -> None:
        self.columns()[0].options.focus()

    def resumed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="deals")
    def load(self, select: int | None = None) -> None:
        try:
            deals = self.book.deals()
        except Exception as exc:
            self.deliver(self.notify, str(exc), severity="error")
            return
        self.deliver(self.show, deals, select)

    def show(self, deals: Sequence[Any], select: int | None = None) -> None:
        f = self.fmt
        if select is None:
            select, self.follow = self.follow, None
        self.deals = {d.id: d for d in deals}
        for column in self.columns():
            mine = [d for d in deals if d.stage == column.stage]
            total = sum((d.value for d in mine), Decimal(0))
            column.query_one(".stage-title", Label).update(
                f"{column.title} ({len(mine)})\n{f(total)}")
            options = column.options
            keep = options.highlighted
            options.clear_options()
            options.add_options([Option(deal_card(d, f), id=str(d.id)) for d in mine])
            if select is not None and select in [d.id for d in mine]:
                options.highlighted = [d.id for d in mine].index(select)
                options.focus()
            elif mine:
                options.highlighted = min(keep or 0, len(mine) - 1)
        open_deals = [d for d in deals if d.is_open]
        self.query_one("#pipeline-summary", Static).update(
            ngettext("Open pipeline {v} · weighted {w} · {n} open deal",
                     "Open pipeline {v} · weighted {w} · {n} open deals",
                     len(open_deals)).format(
                v=f(sum((d.value for d in open_deals), Decimal(0))),
                w=f(sum((d.weighted for d in open_deals), Decimal(0))), n=len(open_deals)))

    def _focused_column(self) -> int:
        for i, column in enumerate(self.columns()):
            if column.options.has_focus:
                return i
        return 0

    def current(self) -> Any:
        column = self.columns()[self._focused_column()]
        options = column.options
        if options.highlighted is None or not options.option_count:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.deals.get(int(option.id or 0))

    def action_column(self, step: int) -> None:
        columns = self.columns()
        i = (self._focused_column() + step) % len(columns)
        columns[i].options.focus()

    def action_move(self, step: int) -> None:
        deal = self.current()
        if deal is None:
            return
        i = STAGE_IDS.index(deal.stage) + step
        if 0 <= i < len(STAGE_IDS):
            self.action_to(STAGE_IDS[i])

    def action_to(self, stage: str) -> None:
        deal = self.current()
        if deal is None:
            self.notify(_("No deal highlighted"), severity="warning")
            return
        def moved(done: Any) -> None:
            self.notify(_("{t}: {a} → {b}").format(t=done.title, a=deal.stage, b=done.stage))
            self.load(done.id)

        self.write(self.book.move_deal, deal.id, stage, done=moved)

    def action_new(self) -> None:
        self.app.push_screen(deal_form(self.book), lambda d: self.load() if d else None)

    def action_edit(self) -> None:
        deal = self.current()
        if deal is None:
            self.notify(_("No deal highlighted"), severity="warning")
            return

        def edited(done: Any) -> None:
            if done is not None:
                self.notify(_("{t} saved").format(t=done.title))
                self.follow = done.id  # the board is read again when it is back on top

        self.app.push_screen(edit_deal_form(self.book, deal), edited)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        deal = self.deals.get(int(event.option.id or 0))
        if deal is not None:
            self.app.push_screen(ContactScreen(deal.contact_id))
