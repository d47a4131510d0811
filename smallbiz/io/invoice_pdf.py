"""A printable one-page invoice (or bill) as PDF, with fpdf2.

The text is set in DejaVu Sans, shipped in data/fonts/ (it covers Latin, Cyrillic,
Greek and Georgian), embedded as a subset with a Unicode map, so the PDF's text can
be searched and copied. The input is `smallbiz.orders.document.InvoiceDocument`:
plain data, already rounded; nothing here computes money.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from smallbiz.datafiles import data_path
from smallbiz.errors import UserError
from smallbiz.i18n import _
from smallbiz.money import format_amount, format_quantity

if TYPE_CHECKING:
    from fpdf import FPDF

    from smallbiz.db import Database
    from smallbiz.orders.document import InvoiceDocument, Party

FONTS_DIR = data_path("fonts")
FONT = "DejaVu"
MARGIN = 15.0
GREY = (110, 110, 110)
RULE = (190, 190, 190)
SHADE = (238, 240, 243)


def _fonts(pdf: FPDF) -> None:
    regular, bold = FONTS_DIR / "DejaVuSans.ttf", FONTS_DIR / "DejaVuSans-Bold.ttf"
    for f in (regular, bold):
        if not f.is_file():
            raise UserError(_("font {path} is missing; reinstall smallbiz").format(path=f))
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))


def _amount(value: Decimal, digits: int) -> str:
    return format_amount(value, digits, grouping=True)


def _pct(value: Decimal) -> str:
    return format_quantity(value) + " %"


def _party_lines(p: Party) -> list[str]:
    lines = list(p.address)
    if p.tax_id:
        lines.append(_("Tax ID: {id}").format(id=p.tax_id))
    contact = "  ·  ".join(x for x in (p.email, p.phone) if x)
    if contact:
        lines.append(contact)
    return lines


#: The document's title by kind (a quote and the notes print with the invoice's layout).
TITLES = {"invoice": "INVOICE", "bill": "BILL", "quote": "QUOTE", "credit_note": "CREDIT NOTE",
          "debit_note": "DEBIT NOTE"}


def _header(pdf: FPDF, doc: InvoiceDocument) -> None:
    width = pdf.w - 2 * MARGIN
    title = _(TITLES.get(doc.kind, "BILL"))
    top = pdf.get_y()
    # the seller, left
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(width * 0.55, 7, doc.company.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    for line in _party_lines(doc.company):
        pdf.cell(width * 0.55, 4.6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    left_bottom = pdf.get_y()
    # the document, right
    x = MARGIN + width * 0.55
    pdf.set_xy(x, top)
    pdf.set_font(FONT, "B", 20)
    pdf.cell(width * 0.45, 9, title, align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    facts = [(_("Number"), doc.number), (_("Date"), doc.date.isoformat()),
             (_("Valid until") if doc.kind == "quote" else _("Due date"),
              doc.due_date.isoformat())]
    if doc.order_number:
        facts.append((_("Order"), doc.order_number))
    for label, value in facts:
        pdf.set_x(x)
        pdf.set_text_color(*GREY)
        pdf.cell(width * 0.45 - 40, 5, label, align="R")
        pdf.set_text_color(0)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(40, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _customer(pdf: FPDF, doc: InvoiceDocument) -> None:
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*GREY)
    pdf.cell(width, 5, _("BILL TO") if doc.kind in ("invoice", "quote", "credit_note")
             else _("FROM SUPPLIER"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(width * 0.6, 5.5, doc.customer.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for line in _party_lines(doc.customer):
        pdf.cell(width * 0.6, 4.6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _lines(pdf: FPDF, doc: InvoiceDocument) -> None:
    from fpdf.fonts import FontFace

    d = doc.digits
    with_discount = any(ln.discount for ln in doc.lines)
    heads = [_("Description"), _("Qty"), _("Unit price")]
    widths = [62, 20, 22]
    if with_discount:
        heads.append(_("Disc."))
        widths.append(14)
    heads += [_("VAT %"), _("Net"), _("VAT"), _("Gross")]
    widths += [16, 22, 20, 22]
    free = pdf.w - 2 * MARGIN - sum(widths)
    widths[0] += free
    align = ["LEFT"] + ["RIGHT"] * (len(heads) - 1)
    pdf.set_font(FONT, "", 8.5)
    head_style = FontFace(family=FONT, emphasis="BOLD", fill_color=SHADE)
    pdf.set_draw_color(*RULE)
    with pdf.table(col_widths=widths, text_align=align, headings_style=head_style,
                   borders_layout="HORIZONTAL_LINES", line_height=5, padding=(1, 1.2),
                   first_row_as_headings=True, width=pdf.w - 2 * MARGIN) as table:
        table.row(heads)
        for ln in doc.lines:
            desc = ln.description + (f"\n{ln.sku}" if ln.sku and ln.sku != ln.description
                                     else "")
            cells = [desc, f"{format_quantity(ln.quantity)} {ln.unit}".strip(),
                     _amount(ln.unit_price, max(d, _decimals(ln.unit_price)))]
            if with_discount:
                cells.append(_pct(ln.discount) if ln.discount else "")
            cells += [_pct(ln.vat_rate), _amount(ln.net, d), _amount(ln.vat, d),
                      _amount(ln.gross, d)]
            table.row(cells)
    pdf.set_draw_color(0)
    pdf.ln(4)


def _decimals(value: Decimal) -> int:
    """Decimals a unit price really has (12.5 → 1, 3.125 → 3), at most six."""
    text = f"{value.normalize():f}"
    return min(len(text.split(".")[1]), 6) if "." in text else 0


def _totals(pdf: FPDF, doc: InvoiceDocument) -> None:
    d = doc.digits
    width = pdf.w - 2 * MARGIN
    top = pdf.get_y()
    # VAT summary, left
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*GREY)
    cols = (22, 26, 24, 26)
    for w, head in zip(cols, (_("VAT rate"), _("Net"), _("VAT"), _("Gross")), strict=True):
        pdf.cell(w, 5, head, align="R")
    pdf.ln(5)
    pdf.set_text_color(0)
    pdf.set_font(FONT, "", 8.5)
    for t in doc.vat_totals:
        for w, value in zip(cols, (_pct(t.rate), _amount(t.net, d), _amount(t.vat, d),
                                   _amount(t.gross, d)), strict=True):
            pdf.cell(w, 5, value, align="R")
        pdf.ln(5)
    left_bottom = pdf.get_y()
    # totals, right
    x = MARGIN + width - 80
    pdf.set_y(top)
    rows = [(_("Total net"), doc.total_net, False), (_("Total VAT"), doc.total_vat, False),
            (_("Total {currency}").format(currency=doc.currency), doc.total_gross, True),
            (_("Paid"), doc.paid, False),
            (_("Balance due {currency}").format(currency=doc.currency), doc.balance_due, True)]
    if doc.kind == "quote":  # an offer: nothing is owed or paid yet
        rows = rows[:3]
    for label, value, strong in rows:
        pdf.set_x(x)
        pdf.set_font(FONT, "B" if strong else "", 10 if strong else 9)
        if strong:
            pdf.set_fill_color(*SHADE)
        pdf.cell(48, 6.5, label, fill=strong)
        pdf.cell(32, 6.5, _amount(value, d), align="R", fill=strong, new_x="LMARGIN",
                 new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 8)


def _footer_note(pdf: FPDF, doc: InvoiceDocument) -> None:
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "", 9)
    if doc.status == "cancelled":
        pdf.set_text_color(170, 30, 30)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, _("CANCELLED: this document is void."), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.set_text_color(0)
    elif doc.balance_due == 0 and doc.total_gross != 0:
        pdf.multi_cell(width, 5, _("Paid in full. Thank you."), new_x="LMARGIN", new_y="NEXT")
    elif doc.kind == "invoice":
        from smallbiz.dates import today

        note = (_("Overdue since {due}: please pay {amount} {currency} now, quoting {number}.")
                if doc.due_date < today() else
                _("Please pay {amount} {currency} by {due}, quoting {number}."))
        pdf.multi_cell(width, 5, note.format(amount=_amount(doc.balance_due, doc.digits),
                                             currency=doc.currency, due=doc.due_date.isoformat(),
                                             number=doc.number), new_x="LMARGIN", new_y="NEXT")


def pdf_file_name(number: str) -> str:
    """`INV-2026-0001.pdf`: the document number as one safe file name (whatever the data
    says, no folder part: '../x' cannot lead out of the folder it is written in)."""
    safe = re.sub(r"[^\w.-]", "_", number).lstrip(".")
    return f"{safe or 'invoice'}.pdf"


def render_invoice_pdf(doc: InvoiceDocument, path: str | os.PathLike[str], *,
                       force: bool = False, book: Database | None = None) -> Path:
    """Write `doc` as a one-page A4 PDF at `path` (replaced atomically); returns the path.

    The target follows `smallbiz.outfiles.check_target`: an existing file only with
    `force`, never the book or its companions. Raises UserError when the folder does not
    exist or the file cannot be written.
    """
    from fpdf import FPDF

    from smallbiz.outfiles import atomic_output, check_target

    check_target(path, force=force, book=book)  # refuse before the work
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    _fonts(pdf)
    title = _(TITLES.get(doc.kind, "BILL")).capitalize() + f" {doc.number}"
    pdf.set_title(title)
    pdf.set_author(doc.company.name)
    pdf.set_creator("smallbiz")
    pdf.add_page()
    _header(pdf, doc)
    _customer(pdf, doc)
    _lines(pdf, doc)
    _totals(pdf, doc)
    _footer_note(pdf, doc)
    data = pdf.output()
    with atomic_output(path, force=force, book=book, mode="wb") as fh:
        fh.write(data)
    return Path(path).expanduser()
