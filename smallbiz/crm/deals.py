"""Deals (the sales pipeline) and the probability-weighted forecast.

A deal's probability is its stage's default (lead 10 %, qualified 25 %, proposal 50 %,
negotiation 75 %, won 100 %, lost 0 %) unless given; moving a deal to another stage takes
that stage's default again unless a probability is given with the move. Won deals are
100 % and lost deals 0 %, always; both get a closed date.

Weighted value = value × probability, rounded half-up to the currency's minor unit per
deal (in SQL on integer minor units, so sums are exact).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from smallbiz import audit
from smallbiz.crm.common import parse_choice
from smallbiz.crm.pipeline import OPEN_SQL as _OPEN_SQL
from smallbiz.crm.pipeline import OPEN_STAGES, STAGES, WEIGHTED_MINOR
from smallbiz.crm.service import resolve_contact
from smallbiz.dates import as_date, now, parse_date, parse_optional_date
from smallbiz.errors import RuleViolation, ValidationError
from smallbiz.i18n import _
from smallbiz.money import from_minor, parse_amount, parse_percent, round_amount, to_minor
from smallbiz.refs import as_id, choose, like_prefix
from smallbiz.sql import Row, Tx
from smallbiz.textcheck import refuse_control

DEFAULT_PROBABILITY = {stage: Decimal(pct).quantize(Decimal("0.01")) for stage, pct in (
    ("lead", 10), ("qualified", 25), ("proposal", 50), ("negotiation", 75), ("won", 100),
    ("lost", 0))}


@dataclass(frozen=True)
class DealView:
    id: int
    title: str
    contact_id: int
    contact: str
    value: Decimal
    stage: str
    probability: Decimal
    weighted: Decimal
    expected_close: dt.date | None
    closed_on: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


def parse_stage(value: str, *, field: str = "stage") -> str:
    return parse_choice(value, STAGES, field=field, what=_("stage"))


def _probability(stage: str, given: str | Decimal | int | None) -> Decimal:
    if given is None or (isinstance(given, str) and not given.strip()):
        return DEFAULT_PROBABILITY[stage]
    pct = parse_percent(given, field="probability")
    if stage == "won" and pct != 100 or stage == "lost" and pct != 0:
        raise ValidationError(_("probability: a {stage} deal is {pct}%").format(
            stage=stage, pct=f"{DEFAULT_PROBABILITY[stage].normalize():f}"), field="probability")
    return pct


def weighted(value: Decimal, probability: Decimal, digits: int) -> Decimal:
    return round_amount(value * probability / 100, digits)


#: A deal's own row (`Row`; value in minor units, probability in hundredths of a percent).
_DEAL = ("SELECT id, contact_id, title, value, stage, probability, expected_close, closed_on "
         "FROM deal ")


def _view(s: Tx, d: Row, contact: str) -> DealView:
    digits = s.money_digits
    value, pct = from_minor(d.value, digits), from_minor(d.probability, 2)
    return DealView(d.id, d.title, d.contact_id, contact, value, d.stage, pct,
                    weighted(value, pct, digits), as_date(d.expected_close),
                    as_date(d.closed_on))


def _title(title: str | None) -> str:
    name = " ".join(refuse_control(title or "", "title").split())
    if not name:
        raise ValidationError(_("title: must not be empty"), field="title")
    if len(name) > 200:
        raise ValidationError(_("title: longer than 200 characters"), field="title")
    return name


def _value(s: Tx, value: str | Decimal | int) -> Decimal:
    amount = parse_amount(value, s.money_digits, field="value")
    if amount < 0:
        raise ValidationError(_("value: must not be negative"), field="value")
    return amount


def add_deal(s: Tx, contact: str | int, title: str, value: str | Decimal | int, *,
             stage: str = "lead", probability: str | Decimal | int | None = None,
             expected_close: str | dt.date | None = None,
             on: str | dt.date | None = None) -> DealView:
    """Open a deal with a contact. Validates the title, value (not negative, currency
    decimals), stage, probability (0–100; won is 100, lost 0) and dates. A deal added as
    won or lost is closed on `on` (default today). Writes the deal and an audit row."""
    name = _title(title)
    amount = _value(s, value)
    stage = parse_stage(stage)
    pct = _probability(stage, probability)
    close = parse_optional_date(expected_close, field="close")
    closed = parse_date(on if on is not None else "today", field="date") \
        if stage not in OPEN_STAGES else None
    who = resolve_contact(s, contact)
    stamp = now()
    deal_id = s.insert("deal", {
        "contact_id": who.id, "title": name, "value": to_minor(amount, s.money_digits),
        "stage": stage, "probability": to_minor(pct, 2), "expected_close": close,
        "closed_on": closed, "created_at": stamp, "updated_at": stamp})
    audit.record(s, "create", "deal", deal_id, f"{name} ({who.name}, {amount}, {stage})")
    return _view(s, _deal(s, deal_id), who.name)


def _deal(s: Tx, deal_id: int) -> Row:
    d = s.row(_DEAL + "WHERE id = :i", {"i": deal_id})
    assert d is not None
    return d


def _contact_name(s: Tx, contact_id: int) -> str:
    return str(s.execute("SELECT name FROM contact WHERE id = :i",
                         {"i": contact_id}).scalar())


def _resolve(s: Tx, ref: str | int) -> Row:
    if isinstance(ref, int) and not isinstance(ref, bool):  # an id from code
        by_id = s.row(_DEAL + "WHERE id = :i", {"i": ref})
        if by_id is not None:
            return by_id
    text_ = " ".join(str(ref).split())
    if not text_:
        raise ValidationError(_("deal: a deal is required"), field="deal")
    low = text_.lower()
    exact = s.rows(_DEAL + "WHERE lower(title) = :t ORDER BY id LIMIT 20", {"t": low})
    if not exact and (deal_id := as_id(text_)) is not None:
        exact = s.rows(_DEAL + "WHERE id = :i", {"i": deal_id})
    prefixed: list[Row] = []
    if not exact:
        prefixed = s.rows(_DEAL + "WHERE lower(title) LIKE :p ESCAPE '\\' ORDER BY id "
                          "LIMIT 50", {"p": like_prefix(low)})
    return choose(text_, _("deal"), exact, prefixed, lambda d: f"{d.title} (id {d.id})",
                  field="deal")


def resolve_deal(s: Tx, ref: str | int) -> DealView:
    """A deal by id, exact title (case-insensitive) or unique title prefix."""
    d = _resolve(s, ref)
    return _view(s, d, _contact_name(s, d.contact_id))


def move_deal(s: Tx, ref: str | int, stage: str, *,
              probability: str | Decimal | int | None = None,
              on: str | dt.date | None = None) -> DealView:
    """Move a deal to another stage: its probability becomes that stage's default (or the
    one given); won and lost deals are closed on `on` (default today), reopened deals lose
    their closed date. Writes an audit row."""
    d = _resolve(s, ref)
    new = parse_stage(stage)
    if new == d.stage and probability is None:
        raise RuleViolation(_("deal '{title}' is already at stage {stage}").format(
            title=d.title, stage=new))
    pct = _probability(new, probability)
    closed = parse_date(on if on is not None else "today", field="--date")
    old = d.stage
    s.update("deal", d.id, {"stage": new, "probability": to_minor(pct, 2),
                            "closed_on": closed if new not in OPEN_STAGES else None,
                            "updated_at": now()})
    audit.record(s, "move", "deal", d.id, f"{d.title}: {old} -> {new} ({pct}%)")
    return _view(s, _deal(s, d.id), _contact_name(s, d.contact_id))


def edit_deal(s: Tx, ref: str | int, *, title: str | None = None,
              value: str | Decimal | int | None = None,
              expected_close: str | dt.date | None = None, stage: str | None = None,
              probability: str | Decimal | int | None = None,
              on: str | dt.date | None = None) -> DealView:
    """Change a deal's title, value, expected close date (`""` clears it), stage or
    probability; what is left out (None) stays. Validates like `add_deal`; a new stage
    takes its default probability unless one is given, and won/lost close the deal on
    `on` (default today) like `move_deal`. Writes the deal and one audit row listing
    what changed (nothing changed: nothing written)."""
    d = _resolve(s, ref)
    digits = s.money_digits
    changes: dict[str, object] = {}
    shown: list[str] = []
    if title is not None and (name := _title(title)) != d.title:
        changes["title"] = name
        shown.append(f"title: {d.title} -> {name}")
    if value is not None and (minor := to_minor(_value(s, value), digits)) != d.value:
        changes["value"] = minor
        shown.append(f"value: {from_minor(d.value, digits)} -> {from_minor(minor, digits)}")
    if expected_close is not None:
        close = parse_optional_date(expected_close, field="close")
        if close != as_date(d.expected_close):
            changes["expected_close"] = close
            shown.append(f"close: {as_date(d.expected_close) or '-'} -> {close or '-'}")
    new_stage = parse_stage(stage) if stage is not None and str(stage).strip() else d.stage
    given = probability if probability is not None and str(probability).strip() else None
    if new_stage != d.stage or given is not None:
        pct = to_minor(_probability(new_stage, given), 2)
        if new_stage != d.stage:
            closed = parse_date(on if on is not None else "today", field="--date")
            changes["stage"] = new_stage
            changes["closed_on"] = closed if new_stage not in OPEN_STAGES else None
            shown.append(f"stage: {d.stage} -> {new_stage}")
        if pct != d.probability:
            changes["probability"] = pct
            shown.append(f"probability: {from_minor(d.probability, 2)} -> "
                         f"{from_minor(pct, 2)}%")
    if changes:
        s.update("deal", d.id, {**changes, "updated_at": now()})
        audit.record(s, "edit", "deal", d.id,
                     f"{d.title}: {', '.join(shown)}")
    return _view(s, _deal(s, d.id), _contact_name(s, d.contact_id))


_SELECT = ("SELECT d.id, d.title, d.contact_id, c.name, d.value, d.stage, d.probability, "
           "d.expected_close, d.closed_on FROM deal d JOIN contact c ON c.id = d.contact_id")


def _row_view(row: tuple, digits: int) -> DealView:
    value = from_minor(row[4], digits)
    pct = from_minor(row[6], 2)
    return DealView(row[0], row[1], row[2], row[3], value, row[5], pct,
                    weighted(value, pct, digits), as_date(row[7]), as_date(row[8]))


def list_deals(s: Tx, *, stage: str | None = None, contact: str | int | None = None,
               open_only: bool = False, limit: int | None = None) -> list[DealView]:
    """Deals, open ones first by expected close (no date last), then closed ones, newest
    first."""
    where = ["1=1"]
    params: dict[str, object] = {}
    if stage:
        where.append("d.stage = :stage")
        params["stage"] = parse_stage(stage)
    if open_only:
        where.append(f"d.stage IN {_OPEN_SQL}")
    if contact is not None:
        where.append("d.contact_id = :c")
        params["c"] = resolve_contact(s, contact).id
    is_open = f"d.stage IN {_OPEN_SQL}"
    sql = (f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY "
           f"CASE WHEN {is_open} THEN 0 ELSE 1 END, "
           f"CASE WHEN {is_open} THEN d.expected_close END IS NULL, "
           f"CASE WHEN {is_open} THEN d.expected_close END, d.closed_on DESC, d.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    digits = s.money_digits
    return [_row_view(tuple(r), digits) for r in s.execute(sql, params)]


def deals_of(s: Tx, contact_id: int) -> list[DealView]:
    return list_deals(s, contact=contact_id)


@dataclass(frozen=True)
class ForecastMonth:
    month: str | None  # "2027-03"; None: open deals without an expected close date
    count: int
    value: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Forecast:
    start: dt.date | None
    end: dt.date | None
    months: tuple[ForecastMonth, ...]
    open_count: int
    open_value: Decimal
    weighted_value: Decimal
    won_count: int
    won_value: Decimal
    lost_count: int
    lost_value: Decimal


def pipeline_weighted_value(s: Tx) -> Decimal:
    """Open deals' value × probability, rounded half-up per deal, summed (the forecast's
    weighted value without a period)."""
    weighted_minor = s.scalar(f"SELECT COALESCE(SUM({WEIGHTED_MINOR}), 0) FROM deal "
                              f"WHERE stage IN {_OPEN_SQL}")
    return from_minor(weighted_minor, s.money_digits)


def forecast(s: Tx, start: str | dt.date | None = None,
             end: str | dt.date | None = None) -> Forecast:
    """The probability-weighted pipeline: open deals per month of expected close (count,
    value, weighted value), and the deals won and lost (by closed date). With a period,
    only open deals expected to close in it and deals closed in it count; without one,
    every open deal (those without a date in a last row) and every closed deal."""
    d1 = parse_optional_date(start, field="--from")
    d2 = parse_optional_date(end, field="--to")
    if d1 is not None and d2 is not None and d2 < d1:
        raise ValidationError(_("--to: {end} is before --from {start}").format(end=d2, start=d1),
                              field="--to")
    params: dict[str, object] = {}
    open_where = [f"stage IN {_OPEN_SQL}"]
    closed_where = ["stage IN ('won', 'lost')"]
    if d1 is not None:
        params["d1"] = d1
        open_where.append("expected_close >= :d1")
        closed_where.append("closed_on >= :d1")
    if d2 is not None:
        params["d2"] = d2
        open_where.append("expected_close <= :d2")
        closed_where.append("closed_on <= :d2")
    month = "substr(CAST(expected_close AS TEXT), 1, 7)"
    rows = s.execute(
        f"SELECT {month}, COUNT(*), SUM(value), SUM({WEIGHTED_MINOR}) "
        f"FROM deal WHERE {' AND '.join(open_where)} GROUP BY {month}", params).all()
    digits = s.money_digits
    months = sorted((ForecastMonth(m, int(n), from_minor(v, digits), from_minor(w, digits))
                     for m, n, v, w in rows), key=lambda r: (r.month is None, r.month or ""))
    closed = {stage: (int(n), from_minor(v, digits)) for stage, n, v in s.execute(
        f"SELECT stage, COUNT(*), SUM(value) FROM deal WHERE {' AND '.join(closed_where)} "
        "GROUP BY stage", params)}
    zero = from_minor(0, digits)
    won = closed.get("won", (0, zero))
    lost = closed.get("lost", (0, zero))
    return Forecast(d1, d2, tuple(months), sum(m.count for m in months),
                    sum((m.value for m in months), zero),
                    sum((m.weighted for m in months), zero),
                    won[0], won[1], lost[0], lost[1])

