"""A customer's (or supplier's) statement as PDF, with fpdf2, set as the invoice PDF is
(`smallbiz.io.invoice_pdf`: DejaVu Sans from data/fonts/, embedded, searchable text).

The input is `smallbiz.orders.statements.Statement`: plain data, already rounded;
nothing here computes money except the sums the statement already holds.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from smallbiz.i18n import N_, _
from smallbiz.io.invoice_pdf import FONT, GREY, MARGIN, RULE, SHADE, _fonts
from smallbiz.money import format_amount

if TYPE_CHECKING:
    from decimal import Decimal

    from fpdf import FPDF

    from smallbiz.db import Database
    from smallbiz.orders.statements import Statement

KIND_LABEL = {"invoice": N_("Invoice"), "payment": N_("Payment"),
              "write_off": N_("Write-off"), "credit": N_("Credit note"),
              "refund": N_("Refund"), "cancellation": N_("Cancellation"), "other": N_("Other")}


def statement_file_name(st: Statement) -> str:
    """`statement-Kartuli_Foods_LLC-2026-03-31.pdf`: one safe file name, no folder part."""
    safe = re.sub(r"[^\w.-]", "_", st.contact).strip("._") or "contact"
    return f"statement-{safe[:60]}-{st.end.isoformat()}.pdf"


def _money(value: Decimal, digits: int) -> str:
    return format_amount(abs(value) if value == 0 else value, digits, grouping=True)


def _row(pdf: FPDF, cells: list[tuple[str, float, str]], *, bold: bool = False,
         fill: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", 8.5)
    for text, width, align in cells:
        pdf.cell(width, 6, text, align=align, fill=fill)
    pdf.ln(6)


def render_statement_pdf(st: Statement, company: str, currency: str,
                         path: str | os.PathLike[str], *, force: bool = False,
                         book: Database | None = None) -> Path:
    """Write the statement as an A4 PDF at `path` (replaced atomically; an existing file
    only with `force`, never the book: `smallbiz.outfiles.check_target`)."""
    from fpdf import FPDF

    from smallbiz.outfiles import atomic_output, check_target

    check_target(path, force=force, book=book)
    digits = len(str(st.closing).partition(".")[2])
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    _fonts(pdf)
    title = _("Statement of account")
    pdf.set_title(f"{title} {st.contact}")
    pdf.set_author(company)
    pdf.set_creator("smallbiz")
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(width, 6, company, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*GREY)
    pdf.cell(width, 6, _("{start} to {end}, in {currency}").format(
        start=st.start.isoformat(), end=st.end.isoformat(), currency=currency),
        new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(width, 6, st.contact, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for line in st.address + ([st.email] if st.email else []):
        pdf.cell(width, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    cols = [22.0, 30.0, 68.0, 30.0, 30.0]
    pdf.set_fill_color(*SHADE)
    _row(pdf, [(_("Date"), cols[0], "L"), (_("Reference"), cols[1], "L"),
               (_("Description"), cols[2], "L"), (_("Amount"), cols[3], "R"),
               (_("Balance"), cols[4], "R")], bold=True, fill=True)
    _row(pdf, [(st.start.isoformat(), cols[0], "L"), ("", cols[1], "L"),
               (_("Opening balance"), cols[2], "L"), ("", cols[3], "R"),
               (_money(st.opening, digits), cols[4], "R")])
    for ln in st.lines:
        text = _(KIND_LABEL[ln.kind]) + (f": {ln.description}" if ln.description else "")
        _row(pdf, [(ln.date.isoformat(), cols[0], "L"), (ln.reference, cols[1], "L"),
                   (text[:48], cols[2], "L"), (_money(ln.amount, digits), cols[3], "R"),
                   (_money(ln.balance, digits), cols[4], "R")])
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())
    _row(pdf, [(st.end.isoformat(), cols[0], "L"), ("", cols[1], "L"),
               (_("Closing balance"), cols[2], "L"), ("", cols[3], "R"),
               (_money(st.closing, digits), cols[4], "R")], bold=True)
    pdf.ln(4)
    if st.open_items:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(width, 7, _("Open items"), new_x="LMARGIN", new_y="NEXT")
        ocols = [40.0, 30.0, 30.0, 40.0, 40.0]
        _row(pdf, [(_("Document"), ocols[0], "L"), (_("Date"), ocols[1], "L"),
                   (_("Due"), ocols[2], "L"), (_("Days overdue"), ocols[3], "R"),
                   (_("Balance due"), ocols[4], "R")], bold=True, fill=True)
        for item in st.open_items:
            _row(pdf, [(item.number, ocols[0], "L"), (item.date.isoformat(), ocols[1], "L"),
                       (item.due_date.isoformat(), ocols[2], "L"),
                       (str(item.days_overdue), ocols[3], "R"),
                       (_money(item.balance_due, digits), ocols[4], "R")])
        pdf.ln(2)
    pdf.set_font(FONT, "B", 9)
    buckets = [(_("current") if b == "current" else b, v) for b, v in st.aging.items()]
    bw = width / (len(buckets) + 1)
    for label, _value in buckets:
        pdf.cell(bw, 6, label, align="R")
    pdf.cell(bw, 6, _("credit"), align="R")
    pdf.ln(6)
    pdf.set_font(FONT, "", 9)
    for _label, value in buckets:
        pdf.cell(bw, 6, _money(value, digits), align="R")
    pdf.cell(bw, 6, _money(-st.unapplied_credit, digits), align="R")
    pdf.ln(6)
    data = pdf.output()
    with atomic_output(path, force=force, book=book, mode="wb") as fh:
        fh.write(data)
    return Path(path).expanduser()
