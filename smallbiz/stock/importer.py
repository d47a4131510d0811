"""`import products FILE.csv`: many products in one all-or-nothing bulk insert.

Columns (header row, any order; names case-insensitive):
    sku, name, price        required
    cost, unit, vat, reorder, kind (stock | service; default stock)
Every row is validated before anything is written; errors name the file line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from smallbiz import audit, settings
from smallbiz.dates import now
from smallbiz.errors import UserError, ValidationError
from smallbiz.i18n import _
from smallbiz.sql import Tx
from smallbiz.stock.service import stored_values, validate_product
from smallbiz.textcheck import read_text

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("cost", "unit", "vat", "reorder", "kind")
MAX_ERRORS = 20
BATCH = 5000


def _kind(value: str) -> bool:
    v = (value or "").strip().lower()
    if v in ("", "stock", "product", "goods"):
        return False
    if v in ("service", "services"):
        return True
    raise ValidationError(_("kind: '{value}' is not stock or service").format(value=value),
                          field="kind")


def import_products(s: Tx, path: str | Path,
                    progress: Callable[[int], None] | None = None) -> int:
    """Validate every row of a products CSV, then insert them all (or nothing).

    Refuses unknown or missing columns, bad values, SKUs repeated in the file or already
    in the book; the error lists up to 20 problems as `line N: ...`. Writes the
    products in bulk and one audit row. Returns the number imported.
    """
    file = Path(path)
    fh = io.StringIO(read_text(file), newline="")
    digits = s.money_digits
    default_vat = settings.load(s).vat_rate
    rows: list[dict[str, object]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    reader = csv.DictReader(fh)
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(_("missing column(s): {cols}").format(cols=", ".join(missing)))
            if unknown:
                names = list(dict.fromkeys(unknown))
                problems.append(_("unknown column(s): {cols}").format(
                    cols=", ".join(names[:MAX_ERRORS])
                    + (_(" ... and {m} more").format(m=len(names) - MAX_ERRORS)
                       if len(names) > MAX_ERRORS else "")))
            raise ValidationError(
                _("{path} line 1: {problems} (columns: {req}, optional {opt})").format(
                    path=file.name, problems="; ".join(problems), req=", ".join(REQUIRED),
                    opt=", ".join(OPTIONAL)), field="file")
        reader.fieldnames = header
        stamp = now()
        for record in reader:
            if progress is not None:
                progress(1)
            line = reader.line_num
            if None in record:
                errors.append(_("line {n}: more fields than columns").format(n=line))
                continue
            cell = {k: (v or "").strip() for k, v in record.items()}
            if not any(cell.values()):
                continue
            try:
                f = validate_product(
                    cell["sku"], cell["name"], price=cell["price"], cost=cell.get("cost") or None,
                    unit=cell.get("unit") or "pcs", vat_rate=cell.get("vat") or None,
                    reorder=cell.get("reorder") or None, service=_kind(cell.get("kind", "")),
                    digits=digits, default_vat=default_vat)
            except UserError as exc:
                errors.append(_("line {n}: {msg}").format(n=line, msg=exc.message))
                continue
            key = f.sku.lower()
            if key in seen:
                errors.append(_("line {n}: sku {sku} repeats line {first}").format(
                    n=line, sku=f.sku, first=seen[key]))
                continue
            seen[key] = line
            rows.append({**stored_values(s, {
                "sku": f.sku, "name": f.name, "kind": f.kind, "unit": f.unit, "price": f.price,
                "cost": f.cost, "vat_rate": f.vat_rate, "reorder_level": f.reorder_level}),
                "on_hand": 0, "stock_value": 0, "avg_cost": None, "archived": False,
                "created_at": stamp, "updated_at": stamp, "_line": line})
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise ValidationError(_("{path} line {n}: {reason}").format(
            path=file.name, n=reader.reader.line_num, reason=exc), field="file") from None
    keys = list(seen)
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for (sku,) in s.execute("SELECT sku FROM product WHERE lower(sku) IN :k",
                                {"k": chunk}):
            errors.append(_("line {n}: product {sku} already exists").format(
                n=seen[sku.lower()], sku=sku))
    if errors:
        errors.sort(key=lambda e: int(e.split(":")[0].split()[-1]) if e[:5] == "line " else 0)
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        raise ValidationError(
            _("{path}: nothing imported, {n} problem(s):\n").format(path=file.name,
                                                                    n=len(errors))
            + "\n".join(shown) + (_("\n... and {m} more").format(m=more) if more else ""),
            field="file")
    for row in rows:
        row.pop("_line")
    for i in range(0, len(rows), BATCH):
        s.insert_many("product", rows[i:i + BATCH])
    audit.record(s, "import", "product", file.name, f"{len(rows)} products from {file.name}")
    return len(rows)
