"""Importing a statement file: read it (the format's parser), store its new lines, then
match what is certain, all in the caller's one transaction. And the saved mappings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from smallbiz import audit
from smallbiz.bank import formats, tabular
from smallbiz.bank.lines import Imported, store_statement
from smallbiz.bank.matching import auto_match
from smallbiz.bank.parsed import FORMATS, ParsedStatement
from smallbiz.dates import now
from smallbiz.errors import NotFound, RuleViolation, UserError, ValidationError
from smallbiz.i18n import _, check_locale
from smallbiz.sql import Tx

#: Statement files are small; anything bigger is not one.
MAX_FILE = 64 * 1024 * 1024


def read_file(path: str) -> bytes:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE:
            raise ValidationError(_("{f}: more than 64 MiB is not a bank statement").format(
                f=p.name))
        return p.read_bytes()
    except OSError as exc:
        raise UserError(_("{f}: cannot read it ({why})").format(
            f=path, why=exc.strerror or type(exc).__name__)) from None


def parse(s: Tx, data: bytes, name: str, fmt: str = "auto",
          mapping: str | None = None, locale: str | None = None) -> ParsedStatement:
    """The statement in `data`, read as `fmt` (auto: detected); a CSV or XLSX file's
    amounts and dates in `locale` when it is given (`tabular.parse_rows`)."""
    if fmt not in ("auto", *FORMATS):
        raise ValidationError(_("--format: one of auto, {formats}").format(
            formats=", ".join(FORMATS)), field="--format")
    if fmt == "auto":
        fmt = formats.detect_format(name, data)
    if fmt == "ofx":
        return formats.parse_ofx(data)
    if fmt == "camt053":
        return formats.parse_camt053(data)
    if fmt == "mt940":
        return formats.parse_mt940(data)
    rows = tabular.csv_rows(data) if fmt == "csv" else tabular.xlsx_rows(data)
    chosen = tabular.choose_mapping([str(h) for h in rows[0]], list_mappings(s), mapping)
    return tabular.parse_rows(rows, chosen, fmt, locale)


def import_statement(s: Tx, data: bytes, name: str, *, account: str | None = None,
                     fmt: str = "auto", mapping: str | None = None,
                     locale: str | None = None) -> Imported:
    """Read, validate and store a statement's new lines, then match the certain ones.
    Nothing is written when the file has an error (`line N:`, `entry N:`) or is in
    another currency than the account. `locale`: how a CSV/XLSX file writes its amounts
    and dates (ka, en), instead of its mapping's decimal mark and date format."""
    if locale is not None and fmt not in ("auto", "csv", "xlsx"):
        raise ValidationError(_("--locale: only for CSV and XLSX statements"), field="--locale")
    if locale is not None:
        check_locale(locale)  # an unknown locale is refused before the file is read
    parsed = parse(s, data, name, fmt, mapping, locale)
    if not parsed.lines and parsed.closing_balance is None:
        raise ValidationError(_("{f}: the statement has no lines").format(f=Path(name).name))
    stored = store_statement(s, parsed, name, account)
    summary = auto_match(s) if stored.added else None
    if summary is None:
        return stored
    return replace(stored, payments=summary.payments, by_rule=summary.by_rule,
                   transfers=summary.transfers)


# -- mappings --------------------------------------------------------------------------------

def list_mappings(s: Tx) -> list[tabular.Mapping]:
    return [tabular.Mapping.from_json(str(n), str(spec))
            for n, spec in s.all("SELECT name, spec FROM bank_mapping ORDER BY name")]


def add_mapping(s: Tx, mapping: tabular.Mapping) -> tabular.Mapping:
    """Save a mapping by name (validated; a preset's name or a saved one is refused)."""
    tabular.validate(mapping)
    for text in mapping.columns().values():
        if any(ord(ch) < 32 for ch in text):
            raise ValidationError(_("a column header has a control character"), field="name")
    if any(p.name == mapping.name for p in tabular.PRESETS) or s.scalar(
            "SELECT 1 FROM bank_mapping WHERE name = :n", {"n": mapping.name}):
        raise RuleViolation(_("mapping '{n}' exists already").format(n=mapping.name),
                            field="name")
    s.insert("bank_mapping", {"name": mapping.name, "spec": mapping.to_json(),
                              "created_at": now()})
    audit.record(s, "create", "bank_mapping", mapping.name, mapping.to_json()[:300])
    return mapping


def remove_mapping(s: Tx, name: str) -> None:
    if s.execute("DELETE FROM bank_mapping WHERE name = :n", {"n": name}).rowcount == 0:
        raise NotFound(_("no saved mapping '{n}'").format(n=name), field="name")
    audit.record(s, "delete", "bank_mapping", name, "")
