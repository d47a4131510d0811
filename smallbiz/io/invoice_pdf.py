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
from smallbiz.io.words import amount_in_words
from smallbiz.money import format_amount, format_quantity
from smallbiz.taxid import format_iban

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


#: The PDF's labels in the languages an invoice is printed in (not the UI's language: an
#: invoice is labelled for its customer, or in both languages; see
#: `smallbiz.orders.document.document_languages`). key -> (English, Georgian)
LABELS: dict[str, tuple[str, str]] = {
    "invoice": ("INVOICE", "ანგარიშ-ფაქტურა"),
    "bill": ("BILL", "შესყიდვის ანგარიში"),
    "invoice_title": ("Invoice", "ანგარიშ-ფაქტურა"),
    "bill_title": ("Bill", "შესყიდვის ანგარიში"),
    "quote": ("QUOTE", "კომერციული შეთავაზება"),
    "quote_title": ("Quote", "კომერციული შეთავაზება"),
    "credit_note": ("CREDIT NOTE", "კრედიტ-ნოტა"),
    "credit_note_title": ("Credit note", "კრედიტ-ნოტა"),
    "debit_note": ("DEBIT NOTE", "დებეტ-ნოტა"),
    "debit_note_title": ("Debit note", "დებეტ-ნოტა"),
    "valid_until": ("Valid until", "მოქმედების ვადა"),
    "seller": ("SELLER", "გამყიდველი"),
    "buyer": ("BUYER", "მყიდველი"),
    "supplier": ("SUPPLIER", "მომწოდებელი"),
    "tax_id": ("Tax ID", "საიდენტიფიკაციო კოდი"),
    "address": ("Address", "მისამართი"),
    "legal_address": ("Legal address", "იურიდიული მისამართი"),
    "actual_address": ("Actual address", "ფაქტობრივი მისამართი"),
    "vat_payer": ("VAT payer", "დღგ-ის გადამხდელი"),
    "bank": ("Bank", "ბანკი"),
    "iban": ("IBAN", "ანგარიში (IBAN)"),
    "number": ("Number", "ნომერი"),
    "date": ("Date", "თარიღი"),
    "due_date": ("Due date", "გადახდის ვადა"),
    "order": ("Order", "შეკვეთა"),
    "no": ("No.", "№"),
    "description": ("Description", "დასახელება"),
    "unit": ("Unit", "ერთ."),
    "qty": ("Qty", "რაოდ."),
    "unit_price": ("Unit price", "ფასი"),
    "discount": ("Disc.", "ფასდ."),
    "vat_rate": ("VAT rate", "დღგ %"),
    "net": ("Net", "დღგ-ს გარეშე"),
    "vat": ("VAT", "დღგ"),
    "gross": ("Gross", "სულ"),
    "zero": ("0 % export", "0 % ექსპორტი"),
    "exempt": ("exempt", "გათავისუფლებული"),
    "total_net": ("Total net", "სულ დღგ-ს გარეშე"),
    "total_vat": ("Total VAT", "დღგ სულ"),
    "total": ("Total {currency}", "სულ {currency}"),
    "paid": ("Paid", "გადახდილია"),
    "balance_due": ("Balance due {currency}", "გადასახდელი {currency}"),
    "in_words": ("Amount in words", "თანხა სიტყვიერად"),
    "issued_by": ("Issued by", "გასცა"),
    "received_by": ("Received by", "მიიღო"),
    "director": ("Director", "დირექტორი"),
    "signature": ("signature, name", "ხელმოწერა, სახელი, გვარი"),
    "cancelled": ("CANCELLED: this document is void.", "გაუქმებულია: დოკუმენტი ბათილია."),
    "paid_in_full": ("Paid in full. Thank you.", "სრულად გადახდილია. გმადლობთ."),
    "overdue": ("Overdue since {due}: please pay {amount} {currency} now, quoting {number}.",
                "ვადა გავიდა {due}: გთხოვთ, გადაიხადოთ {amount} {currency}, დანიშნულებაში "
                "მიუთითეთ {number}."),
    "please_pay": ("Please pay {amount} {currency} by {due}, quoting {number}.",
                   "გთხოვთ, გადაიხადოთ {amount} {currency} {due}-მდე, დანიშნულებაში მიუთითეთ "
                   "{number}."),
}


class Labels:
    """The labels of one document: one language, or both joined with ' / '."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = tuple(x for x in languages if x in ("ka", "en")) or ("en",)

    def __call__(self, key: str, *, sep: str = " / ", **values: str) -> str:
        en, ka = LABELS[key]
        texts = [(ka if lang == "ka" else en).format(**values) for lang in self.languages]
        return sep.join(texts)

    def head(self, key: str) -> str:
        """A column heading: one language a line."""
        return self(key, sep="\n")


def _party_lines(p: Party, say: Labels, *, seller: bool) -> list[str]:
    lines = []
    if p.legal_form:
        lines.append(p.legal_form)
    if p.tax_id:
        vat = f"  ·  {say('vat_payer')}" if p.vat_payer else ""
        lines.append(f"{say('tax_id')}: {p.tax_id}{vat}")
    if p.address:
        label = say("legal_address") if seller else say("address")
        lines.append(f"{label}: " + ", ".join(p.address))
    if p.actual_address:
        lines.append(f"{say('actual_address')}: {p.actual_address}")
    contact = "  ·  ".join(x for x in (p.email, p.phone) if x)
    if contact:
        lines.append(contact)
    for account in p.banks:
        lines.append(f"{say('bank')}: {account.bank}  ·  {say('iban')}: "
                     f"{format_iban(account.iban)}")
    return lines


def _logo(pdf: FPDF, doc: InvoiceDocument) -> float:
    """The seller's logo at the top left (when it is there); returns its height."""
    path = doc.company.logo
    if not path or not Path(path).is_file():
        return 0.0
    try:
        pdf.image(path, x=MARGIN, y=pdf.get_y(), h=14)
    except Exception:  # noqa: BLE001  an unreadable image leaves the logo out, not the invoice
        return 0.0
    return 16.0


def _header(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    width = pdf.w - 2 * MARGIN
    top = pdf.get_y()
    room = _logo(pdf, doc)
    # the document, right
    x = MARGIN + width * 0.5
    pdf.set_xy(x, top)
    pdf.set_font(FONT, "B", 16 if len(say.languages) > 1 else 18)
    pdf.multi_cell(width * 0.5, 8, say(doc.kind), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    facts = [(say("number"), doc.number), (say("date"), doc.date.isoformat()),
             (say("valid_until") if doc.kind == "quote" else say("due_date"),
              doc.due_date.isoformat())]
    if doc.order_number:
        facts.append((say("order"), doc.order_number))
    for label, value in facts:
        pdf.set_x(x)
        pdf.set_text_color(*GREY)
        pdf.cell(width * 0.5 - 36, 5, label, align="R")
        pdf.set_text_color(0)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(36, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
    pdf.set_y(max(top + room, pdf.get_y()) + 5)


def _parties(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    """Seller left, buyer right (on a bill: the supplier sells, we buy)."""
    width = pdf.w - 2 * MARGIN
    col = width / 2 - 3
    if doc.kind in ("invoice", "quote", "credit_note"):  # we sell
        boxes = [(say("seller"), doc.company, True), (say("buyer"), doc.customer, False)]
    else:
        boxes = [(say("supplier"), doc.customer, False), (say("buyer"), doc.company, True)]
    top = pdf.get_y()
    bottoms = []
    for i, (title, party, ours) in enumerate(boxes):
        x = MARGIN + i * (col + 6)
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 8)
        pdf.set_text_color(*GREY)
        pdf.cell(col, 5, title, new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(col, 5.5, party.name, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 8.5)
        for line in _party_lines(party, say, seller=ours):
            pdf.multi_cell(col, 4.4, line, new_x="LEFT", new_y="NEXT")
        bottoms.append(pdf.get_y())
    pdf.set_xy(MARGIN, max(bottoms) + 5)


def _rate(rate: Decimal, code: str, say: Labels) -> str:
    if code in ("zero", "exempt"):
        return say(code)
    return _pct(rate)


def _lines(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    from fpdf.fonts import FontFace

    d = doc.digits
    with_discount = any(ln.discount for ln in doc.lines)
    heads = [say.head(k) for k in ("no", "description", "unit", "qty", "unit_price")]
    widths = [8, 50, 14, 16, 20]
    if with_discount:
        heads.append(say.head("discount"))
        widths.append(14)
    heads += [say.head(k) for k in ("vat_rate", "net", "vat", "gross")]
    widths += [18, 22, 18, 22]
    widths[1] += pdf.w - 2 * MARGIN - sum(widths)
    align = ["RIGHT", "LEFT", "LEFT"] + ["RIGHT"] * (len(heads) - 3)
    pdf.set_font(FONT, "", 8)
    head_style = FontFace(family=FONT, emphasis="BOLD", fill_color=SHADE, size_pt=7.5)
    pdf.set_draw_color(*RULE)
    with pdf.table(col_widths=widths, text_align=align, headings_style=head_style,
                   borders_layout="HORIZONTAL_LINES", line_height=4.6, padding=(1, 1.0),
                   first_row_as_headings=True, width=pdf.w - 2 * MARGIN) as table:
        table.row(heads)
        for i, ln in enumerate(doc.lines, start=1):
            desc = ln.description + (f"\n{ln.sku}" if ln.sku and ln.sku != ln.description
                                     else "")
            cells = [str(i), desc, ln.unit, format_quantity(ln.quantity),
                     _amount(ln.unit_price, max(d, _decimals(ln.unit_price)))]
            if with_discount:
                cells.append(_pct(ln.discount) if ln.discount else "")
            cells += [_rate(ln.vat_rate, ln.vat_code, say), _amount(ln.net, d),
                      _amount(ln.vat, d), _amount(ln.gross, d)]
            table.row(cells)
    pdf.set_draw_color(0)
    pdf.ln(4)


def _decimals(value: Decimal) -> int:
    """Decimals a unit price really has (12.5 → 1, 3.125 → 3), at most six."""
    text = f"{value.normalize():f}"
    return min(len(text.split(".")[1]), 6) if "." in text else 0


def _totals(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    d = doc.digits
    width = pdf.w - 2 * MARGIN
    top = pdf.get_y()
    # VAT summary, left
    pdf.set_font(FONT, "B", 7.5)
    pdf.set_text_color(*GREY)
    cols = (26, 24, 22, 24)
    heads = tuple(say.head(k) for k in ("vat_rate", "net", "vat", "gross"))
    row_top = pdf.get_y()
    for i, (w, head) in enumerate(zip(cols, heads, strict=True)):
        pdf.set_xy(MARGIN + sum(cols[:i]), row_top)
        pdf.multi_cell(w, 3.8, head, align="R")
    pdf.set_y(max(pdf.get_y(), row_top + 5))
    pdf.set_text_color(0)
    pdf.set_font(FONT, "", 8.5)
    for t in doc.vat_totals:
        for w, value in zip(cols, (_rate(t.rate, t.code, say), _amount(t.net, d),
                                   _amount(t.vat, d), _amount(t.gross, d)), strict=True):
            pdf.cell(w, 5, value, align="R")
        pdf.ln(5)
    left_bottom = pdf.get_y()
    # totals, right
    x = MARGIN + width - 78
    pdf.set_y(top)
    rows = [(say("total_net"), doc.total_net, False), (say("total_vat"), doc.total_vat, False),
            (say("total", currency=doc.currency), doc.total_gross, True),
            (say("paid"), doc.paid, False),
            (say("balance_due", currency=doc.currency), doc.balance_due, True)]
    if doc.kind == "quote":  # an offer: nothing is owed or paid yet
        rows = rows[:3]
    for label, value, strong in rows:
        pdf.set_x(x)
        pdf.set_font(FONT, "B" if strong else "", 8.5 if len(say.languages) > 1 else 9.5)
        if strong:
            pdf.set_fill_color(*SHADE)
        pdf.cell(50, 6.5, label, fill=strong)
        pdf.cell(28, 6.5, _amount(value, d), align="R", fill=strong, new_x="LMARGIN",
                 new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)
    # the total in words, in each of the document's languages
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(width, 5, say("in_words") + ":", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    for lang in say.languages:
        pdf.multi_cell(width, 4.6, amount_in_words(doc.total_gross, doc.currency, d, lang),
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _footer_note(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "", 9)
    if doc.status == "cancelled":
        pdf.set_text_color(170, 30, 30)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, say("cancelled"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    elif doc.balance_due == 0 and doc.total_gross != 0:
        pdf.multi_cell(width, 5, say("paid_in_full"), new_x="LMARGIN", new_y="NEXT")
    elif doc.kind == "invoice":
        from smallbiz.dates import today

        key = "overdue" if doc.due_date < today() else "please_pay"
        pdf.multi_cell(width, 5, say(key, amount=_amount(doc.balance_due, doc.digits),
                                     currency=doc.currency, due=doc.due_date.isoformat(),
                                     number=doc.number), new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf: FPDF, doc: InvoiceDocument, say: Labels) -> None:
    """Two signature lines: who issued it (the seller's director, when known) and who
    received it."""
    width = pdf.w - 2 * MARGIN
    col = width / 2 - 8
    pdf.ln(10)
    top = pdf.get_y()
    left = say("issued_by")
    if doc.company.director and doc.kind == "invoice":
        left += f" ({say('director')}: {doc.company.director})"
    for i, label in enumerate((left, say("received_by"))):
        x = MARGIN + i * (col + 16)
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(col, 4.6, label, new_x="LEFT", new_y="NEXT")
        pdf.ln(7)
        pdf.set_draw_color(*GREY)
        y = pdf.get_y()
        pdf.line(x, y, x + col, y)
        pdf.set_xy(x, y + 0.5)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*GREY)
        pdf.cell(col, 4, say("signature"))
        pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.ln(6)


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
    say = Labels(doc.languages)
    pdf.set_title(say(f"{doc.kind}_title") + f" {doc.number}")
    pdf.set_author(doc.company.name)
    pdf.set_creator("smallbiz")
    pdf.add_page()
    _header(pdf, doc, say)
    _parties(pdf, doc, say)
    _lines(pdf, doc, say)
    _totals(pdf, doc, say)
    _footer_note(pdf, doc, say)
    _signatures(pdf, doc, say)
    data = pdf.output()
    with atomic_output(path, force=force, book=book, mode="wb") as fh:
        fh.write(data)
    return Path(path).expanduser()
