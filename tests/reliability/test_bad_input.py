"""Bad input everywhere: every command group, fed malformed amounts, dates, quantities,
references, numbers too large to store, control characters, overlong text and hostile
files (wrong encodings, NUL bytes, binary garbage, 1M columns, a 100 MB line, broken
vCards, every unsupported journal syntax).

Each case runs the real CLI on a copy of a small shop's book and must end with exit
code 1, `error: ...` naming the field or the file line on stderr, nothing on stdout, no
traceback (the runner re-raises any exception) and the book's content unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import content_hash, make_runner
from tests.reliability.conftest import copy_book, smallbiz

HUGE = "9" * 23  # fits no 64-bit integer, in any unit
SHOP = "Kartuli Foods LLC"
J = ["journal", "add", "--date", "2026-03-01"]  # + postings
CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\n{extra}END:VCARD\r\n"


def _journal(body: str) -> bytes:
    return body.encode()


#: name -> bytes of a hostile file (written once per test process).
FILES: dict[str, bytes] = {
    # -- journals: encodings, garbage, every unsupported syntax ------------------------
    "nul.journal": b"2026-03-01 Nul\x00here\n    assets:1010  5 GEL\n    equity:3000\n",
    "esc.journal": b"2026-03-01 \x1b[2J cleared\n    assets:1010  5 GEL\n    equity:3000\n",
    "latin1.journal": "2026-03-01 Café\n    assets:1010  5 GEL\n    equity:3000\n"
                      .encode("latin-1"),
    "utf16.journal": "2026-03-01 x\n    assets:1010  5 GEL\n    equity:3000\n".encode("utf-16"),
    "binary.journal": bytes(range(256)) * 40,
    "truncated.journal": b"2026-03-01 Cut\n    assets:1010  5 GEL\n    equ",
    "unbalanced.journal": _journal("2026-03-01 x\n    assets:1010  5 GEL\n"
                                   "    equity:3000  -4 GEL\n"),
    "one_posting.journal": _journal("2026-03-01 x\n    assets:1010  5 GEL\n"),
    "two_missing.journal": _journal("2026-03-01 x\n    assets:1010\n    equity:3000\n"),
    "badacct.journal": _journal("2026-03-01 x\n    cash  5 GEL\n    equity:3000\n"),
    "baddate.journal": _journal("2026-02-30 x\n    assets:1010  5 GEL\n    equity:3000\n"),
    "huge.journal": _journal(f"2026-03-01 x\n    assets:1010  {HUGE} GEL\n    equity:3000\n"),
    "decimals.journal": _journal("2026-03-01 x\n    assets:1010  5.001 GEL\n    equity:3000\n"),
    "usd.journal": _journal("2026-03-01 x\n    assets:1010  5 USD\n    equity:3000\n"),
    "price.journal": _journal("2026-03-01 x\n    assets:1010  5 GEL @ 2 USD\n    equity:3000\n"),
    "assert.journal": _journal("2026-03-01 x\n    assets:1010  5 GEL = 999 GEL\n    equity:3000\n"),
    "virtual.journal": _journal("2026-03-01 x\n    (assets:1010)  5 GEL\n    equity:3000\n"),
    "periodic.journal": _journal("~ monthly\n    assets:1010  5 GEL\n    equity:3000\n"),
    "automated.journal": _journal("= expenses\n    assets:1010  5 GEL\n"),
    "include.journal": _journal("include /etc/passwd\n"),
    "account.journal": _journal("account assets:1010  ; type: Q\n"),
    "commodity.journal": _journal("D 1,000.00 USD\n"),
    "pricedir.journal": _journal("P 2026-01-01 USD 2.70 GEL\n2026-03-01 x\n"
                                 "    assets:1010  5 USD\n    equity:3000\n"),
    "secondary.journal": _journal("2026-03-01=2026-02-30 x\n    assets:1010  5 GEL\n"
                                  "    equity:3000\n"),
    "orphan.journal": _journal("    assets:1010  5 GEL\n"),
    "ambiguous.journal": _journal("2026-03-01 x\n    assets:1010  1,500 GEL\n    equity:3000\n"),
    "twosigns.journal": _journal("2026-03-01 x\n    assets:1010  -GEL -5\n    equity:3000\n"),
    "zero.journal": _journal("2026-03-01 x\n    assets:1010  0 GEL\n    equity:3000  0.01 GEL\n"),
    "late_error.journal": _journal("2026-03-01 ok\n    assets:1010  5 GEL\n    equity:3000\n\n"
                                   * 50 + "2026-03-02 bad\n    assets:1010  x GEL\n"
                                   "    equity:3000\n"),
    # -- contacts: CSV -----------------------------------------------------------------
    "latin1.csv": "name,email\nJosé García,jose@example.es\n".encode("latin-1"),
    "binary.csv": bytes(range(256)) * 40,
    "nul.csv": b"name,email\nNul\x00Name,nul@example.ge\n",
    "wide_row.csv": b"name\nWide" + b",x" * 1_000_000 + b"\n",
    "noheader.csv": b"",
    "noname.csv": b"email\nonly@example.ge\n",
    "badmail.csv": b"name,email\nGood,good@example.ge\nBad,bad@\n",
    "unclosed.csv": b'name,email\n"Unclosed,a@b.ge\n',
    "formula.csv": b"name,email\n=HYPERLINK(\"http://evil\")\x07,evil@example.ge\n",
    # -- contacts: vCard ----------------------------------------------------------------
    "nul.vcf": CARD.format(fn="Nul\x00Card", extra="").encode(),
    "esc.vcf": CARD.format(fn="Esc\x1b[31mRed", extra="").encode(),
    "binary.vcf": bytes(range(256)) * 40,
    "cp1251.vcf": CARD.format(fn="Иван Петров", extra="").encode("cp1251"),
    "nested.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n"
                  b"END:VCARD\r\n",
    "unfinished.vcf": b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cut off\r\n",
    "outside.vcf": b"just some text\r\n",
    "noname.vcf": CARD.format(fn="", extra="").replace("FN:\r\n", "").encode(),
    "badline.vcf": CARD.format(fn="X", extra="THIS LINE HAS NO COLON\r\n").encode(),
    "badparam.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n;TYPE=WORK:x\r\nEND:VCARD\r\n",
    # A photo is kept verbatim for export, base64 or not; a card past 1 MB is refused.
    "badb64.vcf": CARD.format(fn="X", extra="PHOTO;ENCODING=b;TYPE=JPEG:"
                              + "A" * (1024 * 1024 + 1) + "\r\n").encode(),
    "v21.vcf": b"BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;CELL:call me\r\nEND:VCARD\r\n",
    "longname.vcf": CARD.format(fn="N" * 5000, extra="").encode(),
    "bademail.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:not-an-email\r\nEND:VCARD\r\n",
    # -- products CSV -------------------------------------------------------------------
    "p_latin1.csv": "sku,name,price\nA-1,Café,5\n".encode("latin-1"),
    "p_binary.csv": bytes(range(256)) * 40,
    "p_nul.csv": b"sku,name,price\nNUL-1,Nul\x00name,5\n",
    "p_wide.csv": b"sku,name,price" + b",extra" * 1_000_000 + b"\nA-1,B,5\n",
    "p_huge.csv": f"sku,name,price\nA-1,B,{HUGE}\n".encode(),
    "p_badprice.csv": b"sku,name,price\nA-1,B,abc\n",
    "p_dup.csv": b"sku,name,price\nTOOL-01,Again,5\n",
    "p_missing.csv": b"sku,name\nA-1,B\n",
    "p_empty.csv": b"",
    "p_kind.csv": b"sku,name,price,kind\nA-1,B,5,robot\n",
}


#: name -> (start, end) of a file with a 100 MB line between them (written in chunks).
HUGE_LINES: dict[str, tuple[bytes, bytes]] = {
    "hugeline.journal": (b"2026-03-01 ", b"\n    assets:1010  5 GEL\n    equity:3000\n"),
    "hugeline.csv": (b"name,notes\nBig,", b"\n"),
    "p_hugeline.csv": (b"sku,name,price\nA-1,", b",5\n"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    chunk = b"z" * (1024 * 1024)
    for name, (start, end) in HUGE_LINES.items():
        with (folder / name).open("wb") as fh:
            fh.write(start)
            for _ in range(100):
                fh.write(chunk)
            fh.write(end)
    (folder / "a-folder").mkdir()
    (folder / "a-folder.csv").mkdir()
    return folder


#: (id, arguments, what the message must say). `{f}` is the folder of hostile files,
#: `{t}` a fresh empty folder.
CASES: list[tuple[str, list[str], str]] = [
    # -- journal --------------------------------------------------------------------------
    ("journal-bad-month", ["journal", "add", "--date", "2026-13-01", "--posting", "1010=5",
                           "--posting", "3000"], "--date: '2026-13-01' is not a date"),
    ("journal-feb-30", ["journal", "add", "--date", "2026-02-30", "--posting", "1010=5",
                        "--posting", "3000"], "--date: '2026-02-30'"),
    ("journal-word-date", [*J[:2], "--date", "yesterday", "--posting", "1010=5", "--posting",
                           "3000"], "--date: 'yesterday'"),
    ("journal-amount-word", [*J, "--posting", "1010=abc", "--posting", "3000"],
     "--posting 1 ('1010=abc'): 'abc' is not a valid amount"),
    ("journal-amount-decimals", [*J, "--posting", "1010=1.234", "--posting", "3000"],
     "'1.234' has more than 2 decimals"),
    ("journal-amount-exponent", [*J, "--posting", "1010=1e5", "--posting", "3000"],
     "'1e5' is not a valid amount"),
    ("journal-amount-nan", [*J, "--posting", "1010=NaN", "--posting", "3000"],
     "'NaN' is not a valid amount"),
    ("journal-amount-inf", [*J, "--posting", "1010=-Infinity", "--posting", "3000"],
     "'-Infinity' is not a valid amount"),
    ("journal-amount-huge", [*J, "--posting", f"1010={HUGE}", "--posting", "3000"],
     "--posting 1 ('1010=" + HUGE + "'): '" + HUGE + "' is too large"),
    ("journal-amount-spaces", [*J, "--posting", "1010=1 000", "--posting", "3000"],
     "'1 000' is not a valid amount"),
    ("journal-unknown-account", [*J, "--posting", "9999=5", "--posting", "3000"],
     "no account matches '9999'"),
    ("journal-unbalanced", [*J, "--posting", "1010=5", "--posting", "3000=-4"],
     "does not balance"),
    ("journal-one-posting", [*J, "--posting", "1010=5"], "at least two postings"),
    ("journal-no-account", [*J, "--posting", "=5", "--posting", "3000"],
     "--posting 1 ('=5'): expected ACCOUNT=AMOUNT"),
    ("journal-two-missing", [*J, "--posting", "1010", "--posting", "3000"],
     "only one posting may omit its amount"),
    ("journal-zero", [*J, "--posting", "1010=0", "--posting", "3000=0"], "non-zero amount"),
    ("journal-memo-nul", [*J, "--memo", "a\x00b", "--posting", "1010=5", "--posting", "3000"],
     "--memo: control character U+0000"),
    ("journal-memo-esc", [*J, "--memo=\x1b]0;pwned\x07", "--posting", "1010=5", "--posting",
                          "3000"], "--memo: control character U+001B"),
    ("journal-list-date", ["journal", "list", "--from", "2026-99-01"], "--from: '2026-99-01'"),
    ("journal-list-account", ["journal", "list", "--account", "9999"], "no account matches"),
    ("journal-show-missing", ["journal", "show", "JE-2026-9999"], "no journal entry"),
    ("journal-show-huge-id", ["journal", "show", HUGE], "no journal entry"),
    ("journal-show-superscript", ["journal", "show", "²"], "no journal entry '²'"),
    ("journal-reverse-missing", ["journal", "reverse", "JE-2026-9999"], "no journal entry"),
    ("journal-reverse-before", ["journal", "reverse", "JE-2026-0001", "--date", "2025-01-01"],
     "cannot be dated before the entry"),
    ("journal-reverse-date", ["journal", "reverse", "JE-2026-0001", "--date", "soon"],
     "--date: 'soon'"),
    # -- account ----------------------------------------------------------------------------
    ("account-dup", ["account", "add", "1010", "Dup", "--type", "asset"], "already exists"),
    ("account-type", ["account", "add", "7777", "New", "--type", "thing"], "account type"),
    ("account-parent", ["account", "add", "7777", "New", "--type", "asset", "--parent", "9999"],
     "no account matches '9999'"),
    ("account-empty", ["account", "add", "", "New", "--type", "asset"], "account code"),
    ("account-name-ctrl", ["account", "add", "7777", "Bell\x07", "--type", "asset"],
     "control character U+0007"),
    # -- contact ------------------------------------------------------------------------------
    ("contact-empty", ["contact", "add", "   "], "name: must not be empty"),
    ("contact-email", ["contact", "add", "Bob", "--email", "not-an-email"],
     "email: 'not-an-email' is not an email address"),
    ("contact-phone", ["contact", "add", "Bob", "--phone", "call me"], "phone"),
    ("contact-terms-word", ["contact", "add", "Bob", "--terms", "abc"], "payment terms"),
    ("contact-terms-negative", ["contact", "add", "Bob", "--terms=-5"],
     "payment terms: -5 is not between"),
    ("contact-terms-huge", ["contact", "add", "Bob", "--terms", HUGE], "payment terms"),
    ("contact-overlong", ["contact", "add", "N" * 5000], "name: longer than 200 characters"),
    ("contact-name-esc", ["contact", "add", "Evil\x1b[31mName"], "control character U+001B"),
    ("contact-notes-nul", ["contact", "add", "Bob", "--notes", "x\x00y"],
     "--notes: control character U+0000"),
    ("contact-list-kind", ["contact", "list", "--kind", "robot"], "kind: unknown kind"),
    ("contact-list-role", ["contact", "list", "--role", "boss"], "role: unknown role"),
    ("contact-show-missing", ["contact", "show", "Nobody Here"], "no contact matches"),
    ("contact-show-huge-id", ["contact", "show", HUGE], "no contact matches"),
    ("contact-show-superscript", ["contact", "show", "²"], "no contact matches '²'"),
    ("contact-edit-missing", ["contact", "edit", "Nobody", "--name", "X"], "no contact"),
    ("contact-edit-email", ["contact", "edit", SHOP, "--email", "bad@"], "email: 'bad@'"),
    ("contact-edit-terms", ["contact", "edit", SHOP, "--terms", "never"], "payment terms"),
    ("contact-edit-name", ["contact", "edit", SHOP, "--name", ""], "name: must not be empty"),
    ("contact-delete-used", ["contact", "delete", SHOP], "cannot be deleted"),
    ("contact-archive-missing", ["contact", "archive", "Nobody"], "no contact matches"),
    # -- log ----------------------------------------------------------------------------------
    ("log-contact", ["log", "add", "Nobody", "hello"], "no contact matches"),
    ("log-kind", ["log", "add", SHOP, "hi", "--kind", "party"], "kind: unknown kind 'party'"),
    ("log-date", ["log", "add", SHOP, "hi", "--date", "2026-02-31"], "date: '2026-02-31'"),
    ("log-follow-up", ["log", "add", SHOP, "hi", "--follow-up", "never"], "follow-up: 'never'"),
    ("log-empty", ["log", "add", SHOP, ""], "text: must not be empty"),
    ("log-text-ctrl", ["log", "add", SHOP, "ring\x07ring"], "control character U+0007"),
    ("log-due-date", ["log", "due", "--until", "someday"], "--until: 'someday'"),
    ("log-done-missing", ["log", "done", "99999"], "no interaction 99999"),
    ("log-done-word", ["log", "done", "abc"], "interaction: 'abc' is not an interaction"),
    ("log-done-huge", ["log", "done", HUGE], "is not an interaction number"),
    ("log-done-superscript", ["log", "done", "²"], "is not an interaction number"),
    # -- deal ---------------------------------------------------------------------------------
    ("deal-contact", ["deal", "add", "Nobody", "Big", "--value", "100"], "no contact matches"),
    ("deal-negative", ["deal", "add", SHOP, "Big", "--value=-100"], "value: must not be negative"),
    ("deal-value-word", ["deal", "add", SHOP, "Big", "--value", "abc"], "value: 'abc'"),
    ("deal-value-huge", ["deal", "add", SHOP, "Big", "--value", HUGE], "value: '9999"),
    ("deal-stage", ["deal", "add", SHOP, "Big", "--value", "100", "--stage", "maybe"],
     "stage: unknown stage 'maybe'"),
    ("deal-probability", ["deal", "add", SHOP, "Big", "--value", "100", "--probability", "150"],
     "probability: 150.00 is not between 0 and 100"),
    ("deal-probability-word", ["deal", "add", SHOP, "Big", "--value", "100", "--probability",
                               "abc"], "probability: 'abc'"),
    ("deal-close", ["deal", "add", SHOP, "Big", "--value", "100", "--close", "2026-00-10"],
     "close: '2026-00-10'"),
    ("deal-title", ["deal", "add", SHOP, "", "--value", "100"], "title: must not be empty"),
    ("deal-move-missing", ["deal", "move", "99999", "won"], "no deal matches"),
    ("deal-move-huge", ["deal", "move", HUGE, "won"], "no deal matches"),
    ("deal-move-superscript", ["deal", "move", "²", "won"], "no deal matches"),
    ("deal-move-stage", ["deal", "move", "1", "nowhere"], "stage: unknown stage"),
    # -- product --------------------------------------------------------------------------------
    ("product-dup", ["product", "add", "tool-01", "Dup", "--price", "5"], "already exists"),
    ("product-price-word", ["product", "add", "NEW-1", "New", "--price", "abc"], "price: 'abc'"),
    ("product-price-negative", ["product", "add", "NEW-1", "New", "--price=-5"],
     "price: a price cannot be negative"),
    ("product-price-decimals", ["product", "add", "NEW-1", "New", "--price", "1.001"],
     "price: '1.001' has more than 2 decimals"),
    ("product-price-huge", ["product", "add", "NEW-1", "New", "--price", HUGE],
     "price: '" + HUGE + "' is too large"),
    ("product-cost-huge", ["product", "add", "NEW-1", "New", "--price", "5", "--cost", HUGE],
     "cost: '" + HUGE + "' is too large"),
    ("product-reorder-huge", ["product", "add", "NEW-1", "New", "--price", "5", "--reorder",
                              HUGE], "reorder: '" + HUGE + "' is too large"),
    ("product-vat", ["product", "add", "NEW-1", "New", "--price", "5", "--vat", "200"],
     "vat: 200.00 is not between 0 and 100"),
    ("product-sku-space", ["product", "add", "A B", "New", "--price", "5"], "sku: 'A B'"),
    ("product-name-empty", ["product", "add", "NEW-1", "", "--price", "5"], "name: must not"),
    ("product-unit-empty", ["product", "add", "NEW-1", "New", "--price", "5", "--unit", ""],
     "unit:"),
    ("product-name-long", ["product", "add", "NEW-1", "N" * 300, "--price", "5"],
     "name: at most 200 characters"),
    ("product-show-missing", ["product", "show", "NOPE"], "no product matches 'NOPE'"),
    ("product-show-huge-id", ["product", "show", HUGE], "no product matches"),
    ("product-show-superscript", ["product", "show", "²"], "no product matches"),
    ("product-edit-price", ["product", "edit", "TOOL-01", "--price", "x"], "price: 'x'"),
    ("product-archive-stocked", ["product", "archive", "TOOL-01"], "still has"),
    # -- stock ----------------------------------------------------------------------------------
    ("stock-product", ["stock", "adjust", "NOPE", "5"], "no product matches"),
    ("stock-qty-word", ["stock", "adjust", "TOOL-01", "abc"], "quantity: 'abc'"),
    ("stock-qty-zero", ["stock", "adjust", "TOOL-01", "0"], "must not be zero"),
    ("stock-qty-decimals", ["stock", "adjust", "TOOL-01", "1.0001"], "more than 3 decimals"),
    ("stock-qty-huge", ["stock", "adjust", "TOOL-01", HUGE], "quantity: '" + HUGE + "' is too"),
    ("stock-value-huge", ["stock", "adjust", "TOOL-01", "999999999999", "--cost",
                          "999999999999"], "value (quantity × cost)"),
    ("stock-oversell", ["stock", "adjust", "TOOL-01", "--", "-99999999"], "not enough stock"),
    ("stock-service", ["stock", "adjust", "SVC-01", "5"], "is a service"),
    ("stock-cost-word", ["stock", "adjust", "TOOL-01", "5", "--cost", "abc"], "cost: 'abc'"),
    ("stock-date", ["stock", "adjust", "TOOL-01", "5", "--date", "2026-02-29"], "--date"),
    # -- sale -----------------------------------------------------------------------------------
    ("sale-contact", ["sale", "new", "Nobody", "--line", "TOOL-01=1"], "no contact matches"),
    ("sale-product", ["sale", "new", SHOP, "--line", "NOPE=1"], "no product matches 'NOPE'"),
    ("sale-qty-word", ["sale", "new", SHOP, "--line", "TOOL-01=abc"],
     "--line 1 ('TOOL-01=abc') quantity: 'abc'"),
    ("sale-qty-zero", ["sale", "new", SHOP, "--line", "TOOL-01=0"],
     "the quantity must be more than 0"),
    ("sale-qty-negative", ["sale", "new", SHOP, "--line", "TOOL-01=-1"], "more than 0"),
    ("sale-qty-huge", ["sale", "new", SHOP, "--line", f"TOOL-01={HUGE}"], "is too large"),
    ("sale-line-huge", ["sale", "new", SHOP, "--line", "TOOL-01=999999999@999999999"],
     "line 1: '999999998000000001' is too large"),
    ("sale-price-huge", ["sale", "new", SHOP, "--line", f"TOOL-01=1@{HUGE}"], "is too large"),
    ("sale-line-no-qty", ["sale", "new", SHOP, "--line", "TOOL-01"], "expected SKU=QTY"),
    ("sale-line-no-sku", ["sale", "new", SHOP, "--line", "=1"], "expected SKU=QTY"),
    ("sale-price-word", ["sale", "new", SHOP, "--line", "TOOL-01=1@abc"], "price: 'abc'"),
    ("sale-price-negative", ["sale", "new", SHOP, "--line", "TOOL-01=1@-5"],
     "a price cannot be negative"),
    ("sale-date", ["sale", "new", SHOP, "--line", "TOOL-01=1", "--date", "2026-04-31"],
     "--date: '2026-04-31'"),
    ("sale-discount", ["sale", "new", SHOP, "--line", "TOOL-01=1", "--discount", "120"],
     "--discount: 120.00 is not between"),
    ("sale-notes-ctrl", ["sale", "new", SHOP, "--line", "TOOL-01=1", "--notes", "\x1b[5m"],
     "--notes: control character U+001B"),
    ("sale-confirm-missing", ["sale", "confirm", "SO-2099-0001"], "no sales order matches"),
    ("sale-confirm-twice", ["sale", "confirm", "SO-2026-0001"], "only a draft can be confirmed"),
    ("sale-ship-draft", ["sale", "ship", "SO-2026-0002"], "confirm it before you ship it"),
    ("sale-ship-date", ["sale", "ship", "SO-2026-0001", "--date", "bad"], "--date: 'bad'"),
    ("sale-invoice-draft", ["sale", "invoice", "SO-2026-0002"], "confirm it before you invoice"),
    ("sale-cancel-missing", ["sale", "cancel", "NOPE"], "no sales order matches 'NOPE'"),
    ("sale-show-huge-id", ["sale", "show", HUGE], "no sales order matches"),
    ("sale-show-superscript", ["sale", "show", "²"], "no sales order matches"),
    ("sale-list-status", ["sale", "list", "--status", "weird"], "status: 'weird'"),
    # -- purchase -------------------------------------------------------------------------------
    ("purchase-contact", ["purchase", "new", "Nobody", "--line", "TOOL-01=1@5"],
     "no contact matches"),
    ("purchase-price", ["purchase", "new", "Batumi Supply", "--line", "TOOL-01=1@x"],
     "price: 'x'"),
    ("purchase-qty", ["purchase", "new", "Batumi Supply", "--line", "SVC-01=x@5"],
     "quantity: 'x'"),
    ("purchase-line-huge", ["purchase", "new", "Batumi Supply", "--line",
                            "TOOL-01=999999999@999999999"], "is too large"),
    ("purchase-confirm-missing", ["purchase", "confirm", "NOPE"], "no purchase order matches"),
    ("purchase-receive-missing", ["purchase", "receive", "PO-2026-0009"],
     "no purchase order matches"),
    ("purchase-receive-twice", ["purchase", "receive", "PO-2026-0001"], "PO-2026-0001"),
    ("purchase-cancel-missing", ["purchase", "cancel", "PO-2026-0009"], "no purchase order"),
    # -- invoice --------------------------------------------------------------------------------
    ("invoice-show-missing", ["invoice", "show", "INV-2026-0009"], "no invoice or bill matches"),
    ("invoice-show-huge-id", ["invoice", "show", HUGE], "no invoice or bill matches"),
    ("invoice-pdf-missing", ["invoice", "pdf", "NOPE"], "no invoice or bill matches"),
    ("invoice-pdf-folder", ["invoice", "pdf", "INV-2026-0001", "-o", "/nonexistent/dir/x.pdf"],
     "folder /nonexistent/dir does not exist"),
    ("invoice-list-date", ["invoice", "list", "--as-of", "never"], "--as-of: 'never'"),
    ("invoice-list-contact", ["invoice", "list", "--contact", "Nobody"], "no contact matches"),
    # -- pay ------------------------------------------------------------------------------------
    ("pay-amount-word", ["pay", "in", "INV-2026-0001", "abc"], "amount: 'abc'"),
    ("pay-amount-zero", ["pay", "in", "INV-2026-0001", "0"], "amount: 0.00 must be more than 0"),
    ("pay-amount-decimals", ["pay", "in", "INV-2026-0001", "1.001"], "more than 2 decimals"),
    ("pay-amount-huge", ["pay", "in", "INV-2026-0001", HUGE], "amount: '" + HUGE + "' is too"),
    ("pay-overpay", ["pay", "in", "INV-2026-0001", "99999"], "more than the balance due"),
    ("pay-missing", ["pay", "in", "INV-2026-0009", "5"], "no invoice matches"),
    ("pay-in-bill", ["pay", "in", "BILL-2026-0001", "5"], "no invoice matches"),
    ("pay-out-invoice", ["pay", "out", "INV-2026-0001", "5"], "no bill matches"),
    ("pay-date", ["pay", "in", "INV-2026-0001", "5", "--date", "2026-02-30"], "--date"),
    ("pay-account-missing", ["pay", "in", "INV-2026-0001", "5", "--account", "9999"],
     "no account matches '9999'"),
    ("pay-account-not-money", ["pay", "in", "INV-2026-0001", "5", "--account", "4000"],
     "--account: 4000"),
    ("pay-cancel-missing", ["pay", "cancel", "PAY-2026-0009"], "no payment matches"),
    ("pay-show-huge-id", ["pay", "show", HUGE], "no payment matches"),
    # -- report ---------------------------------------------------------------------------------
    ("report-tb-date", ["report", "tb", "--as-of", "someday"], "--as-of: 'someday'"),
    ("report-pl-order", ["report", "pl", "--from", "2026-05-01", "--to", "2026-01-01"],
     "--from 2026-05-01 is after --to 2026-01-01"),
    ("report-bs-date", ["report", "bs", "--as-of", "2026-13-13"], "--as-of: '2026-13-13'"),
    ("report-ledger-account", ["report", "ledger", "9999"], "no account matches"),
    ("report-ledger-date", ["report", "ledger", "1010", "--from", "nope"], "--from: 'nope'"),
    ("report-aging-date", ["report", "aging", "--as-of", "x"], "--as-of: 'x'"),
    ("report-vat-date", ["report", "vat", "--from", "2026-01-01", "--to", "y"], "--to: 'y'"),
    ("report-sales-by", ["report", "sales", "--by", "color"], "--by: 'color'"),
    ("report-forecast-date", ["report", "forecast", "--from", "x"], "--from: 'x'"),
    # -- settings, lock, backup, audit ----------------------------------------------------------
    ("settings-vat-word", ["settings", "vat_rate", "abc"], "vat_rate: 'abc'"),
    ("settings-vat-range", ["settings", "vat_rate", "150"], "vat_rate: 150.00 is not between"),
    ("settings-vat-huge", ["settings", "vat_rate", HUGE], "vat_rate: '" + HUGE + "' is too"),
    ("settings-terms", ["settings", "payment_terms_days", "many"], "payment_terms_days"),
    ("settings-bool", ["settings", "negative_stock", "maybe"], "negative_stock: 'maybe'"),
    ("settings-company-empty", ["settings", "company_name", " "], "company_name: must not"),
    ("settings-company-ctrl", ["settings", "company_name", "Evil\x1b[2J"],
     "control character U+001B"),
    ("settings-currency", ["settings", "currency", "USD"], "currency is changed with"),
    ("settings-unknown", ["settings", "nosuch", "1"], "unknown setting 'nosuch'"),
    ("lock-word", ["lock", "notadate"], "lock date: 'notadate'"),
    ("lock-feb-30", ["lock", "2026-02-30"], "lock date: '2026-02-30'"),
    ("backup-folder", ["backup", "/nonexistent/dir/x.db"], "folder /nonexistent/dir"),
    ("backup-onto-book", ["backup", "{book}", "--force"], "the target is the book itself"),
    ("audit-date", ["audit", "--since", "x"], "--since: 'x'"),
    # -- import journal ------------------------------------------------------------------------
    ("import-journal-missing", ["import", "journal", "{f}/missing.journal"], "no such file"),
    ("import-journal-folder", ["import", "journal", "{f}/a-folder"], "is a folder"),
    ("import-journal-nul", ["import", "journal", "{f}/nul.journal"],
     "nul.journal: line 1: control character U+0000 at column 15"),
    ("import-journal-esc", ["import", "journal", "{f}/esc.journal"],
     "line 1: control character U+001B"),
    ("import-journal-latin1", ["import", "journal", "{f}/latin1.journal"],
     "latin1.journal: line 1: not UTF-8 text (byte 0xe9"),
    ("import-journal-utf16", ["import", "journal", "{f}/utf16.journal"], "line 1: not UTF-8"),
    ("import-journal-binary", ["import", "journal", "{f}/binary.journal"], "line 1:"),
    ("import-journal-hugeline", ["import", "journal", "{f}/hugeline.journal"],
     "line 1: the line is longer than 16384 bytes"),
    ("import-journal-truncated", ["import", "journal", "{f}/truncated.journal"],
     "line 3: account 'equ': the type of 'equ' is not known"),
    ("import-journal-unbalanced", ["import", "journal", "{f}/unbalanced.journal"],
     "line 1: transaction does not balance"),
    ("import-journal-one-posting", ["import", "journal", "{f}/one_posting.journal"],
     "line 1: a transaction needs at least two postings"),
    ("import-journal-two-missing", ["import", "journal", "{f}/two_missing.journal"],
     "line 3: only one posting"),
    ("import-journal-account", ["import", "journal", "{f}/badacct.journal"],
     "line 2: account 'cash': the type of 'cash' is not known"),
    ("import-journal-date", ["import", "journal", "{f}/baddate.journal"],
     "line 1: '2026-02-30' is not a date"),
    ("import-journal-huge", ["import", "journal", "{f}/huge.journal"],
     "line 2: '" + HUGE + "' is too large"),
    ("import-journal-decimals", ["import", "journal", "{f}/decimals.journal"],
     "line 2: '5.001' has more than 2 decimals"),
    ("import-journal-commodity", ["import", "journal", "{f}/usd.journal"],
     "line 2: commodity 'USD' is not the book's currency GEL"),
    ("import-journal-price", ["import", "journal", "{f}/price.journal"],
     "line 2: '5 GEL @ 2 USD': the priced amount is not in another currency's ISO code"),
    ("import-journal-assertion", ["import", "journal", "{f}/assert.journal"],
     "line 2: balance assertion failed: assets:1010"),
    ("import-journal-virtual", ["import", "journal", "{f}/virtual.journal"],
     "line 2: unbalanced virtual posting '(assets:1010)'"),
    ("import-journal-periodic", ["import", "journal", "{f}/periodic.journal"],
     "line 1: periodic transactions (~) are not supported"),
    ("import-journal-automated", ["import", "journal", "{f}/automated.journal"],
     "line 1: automated transactions (=) are not supported"),
    ("import-journal-include", ["import", "journal", "{f}/include.journal"],
     "line 1: include '/etc/passwd' is outside the folder of include.journal"),
    ("import-journal-account-directive", ["import", "journal", "{f}/account.journal"],
     "line 1: account type 'Q' is not one of A, L, E, R, X, C, V"),
    ("import-journal-commodity-directive", ["import", "journal", "{f}/commodity.journal"],
     "line 1: D sets the default commodity 'USD', which is not the book's currency GEL"),
    ("import-journal-price-directive", ["import", "journal", "{f}/pricedir.journal"],
     "line 3: commodity 'USD' is not the book's currency GEL"),
    ("import-journal-secondary-date", ["import", "journal", "{f}/secondary.journal"],
     "line 1: '2026-02-30' is not a secondary date"),
    ("import-journal-orphan", ["import", "journal", "{f}/orphan.journal"],
     "line 1: an indented posting outside a transaction"),
    ("import-journal-ambiguous", ["import", "journal", "{f}/ambiguous.journal"],
     "line 2: '1,500' is ambiguous"),
    ("import-journal-two-signs", ["import", "journal", "{f}/twosigns.journal"], "line 2:"),
    ("import-journal-zero", ["import", "journal", "{f}/zero.journal"],
     "line 1: transaction does not balance"),
    ("import-journal-late-error", ["import", "journal", "{f}/late_error.journal"],
     "line 202: 'x GEL' is not an amount"),
    # -- import contacts -------------------------------------------------------------------
    ("import-contacts-missing", ["import", "contacts", "{f}/missing.csv"], "cannot read it"),
    ("import-contacts-folder", ["import", "contacts", "{f}/a-folder.csv"], "cannot read it"),
    ("import-contacts-format", ["import", "contacts", "{f}/nul.journal"], "--format csv|vcard"),
    ("import-contacts-latin1", ["import", "contacts", "{f}/latin1.csv"],
     "latin1.csv: line 2: not UTF-8 text (byte 0xE9)"),
    ("import-contacts-binary", ["import", "contacts", "{f}/binary.csv"], "not UTF-8 text"),
    ("import-contacts-nul", ["import", "contacts", "{f}/nul.csv"],
     "line 2: name: control character U+0000"),
    ("import-contacts-hugeline", ["import", "contacts", "{f}/hugeline.csv"],
     "hugeline.csv: line 2: field larger than field limit"),
    ("import-contacts-wide-row", ["import", "contacts", "{f}/wide_row.csv"],
     "line 2: 1000001 cells, but the header has 1"),
    ("import-contacts-empty", ["import", "contacts", "{f}/noheader.csv"], "no header row"),
    ("import-contacts-noname", ["import", "contacts", "{f}/noname.csv"],
     "line 1: required column 'name' is missing"),
    ("import-contacts-badmail", ["import", "contacts", "{f}/badmail.csv"],
     "line 3: email: 'bad@' is not an email address"),
    ("import-contacts-unclosed", ["import", "contacts", "{f}/unclosed.csv"], "line 2"),
    ("import-contacts-formula-ctrl", ["import", "contacts", "{f}/formula.csv"],
     "line 2: name: control character U+0007"),
    ("import-vcard-nul", ["import", "contacts", "{f}/nul.vcf"],
     "card 1 (line 1): name: control character U+0000"),
    ("import-vcard-esc", ["import", "contacts", "{f}/esc.vcf"], "control character U+001B"),
    ("import-vcard-binary", ["import", "contacts", "{f}/binary.vcf"], "not UTF-8 text"),
    ("import-vcard-cp1251", ["import", "contacts", "{f}/cp1251.vcf"],
     "cp1251.vcf: line 3: not UTF-8 text"),
    ("import-vcard-nested", ["import", "contacts", "{f}/nested.vcf"],
     "card 1 (line 1): no END:VCARD before the next card"),
    ("import-vcard-unfinished", ["import", "contacts", "{f}/unfinished.vcf"],
     "card 1 (line 1): no END:VCARD (the file ends inside the card)"),
    ("import-vcard-outside", ["import", "contacts", "{f}/outside.vcf"],
     "line 1: text outside a card"),
    ("import-vcard-noname", ["import", "contacts", "{f}/noname.vcf"],
     "card 1 (line 1): no name"),
    ("import-vcard-badline", ["import", "contacts", "{f}/badline.vcf"],
     "card 1 (line 1): broken card"),
    ("import-vcard-badparam", ["import", "contacts", "{f}/badparam.vcf"],
     "card 1 (line 1): broken card: line 4: a property without a name"),
    ("import-vcard-badb64", ["import", "contacts", "{f}/badb64.vcf"],
     "card 1 (line 1): line 4: the card is longer than"),
    ("import-vcard-v21", ["import", "contacts", "{f}/v21.vcf"], "card 1 (line 1): no name"),
    ("import-vcard-longname", ["import", "contacts", "{f}/longname.vcf"],
     "name: longer than 200 characters"),
    ("import-vcard-bademail", ["import", "contacts", "{f}/bademail.vcf"],
     "card 1 (line 1): no name"),
    # -- import products -------------------------------------------------------------------
    ("import-products-missing", ["import", "products", "{f}/missing.csv"], "cannot read"),
    ("import-products-folder", ["import", "products", "{f}/a-folder"], "cannot read"),
    ("import-products-latin1", ["import", "products", "{f}/p_latin1.csv"],
     "p_latin1.csv line 2: not UTF-8 text (byte 0xE9)"),
    ("import-products-binary", ["import", "products", "{f}/p_binary.csv"], "not UTF-8 text"),
    ("import-products-nul", ["import", "products", "{f}/p_nul.csv"],
     "line 2: name: control character U+0000"),
    ("import-products-hugeline", ["import", "products", "{f}/p_hugeline.csv"],
     "p_hugeline.csv line 2: field larger than field limit"),
    ("import-products-wide", ["import", "products", "{f}/p_wide.csv"],
     "line 1: unknown column(s): extra"),
    ("import-products-huge", ["import", "products", "{f}/p_huge.csv"],
     "line 2: price: '" + HUGE + "' is too large"),
    ("import-products-price", ["import", "products", "{f}/p_badprice.csv"],
     "line 2: price: 'abc'"),
    ("import-products-dup", ["import", "products", "{f}/p_dup.csv"],
     "line 2: product TOOL-01 already exists"),
    ("import-products-columns", ["import", "products", "{f}/p_missing.csv"],
     "line 1: missing column(s): price"),
    ("import-products-empty", ["import", "products", "{f}/p_empty.csv"],
     "line 1: missing column(s)"),
    ("import-products-kind", ["import", "products", "{f}/p_kind.csv"],
     "line 2: kind: 'robot' is not stock or service"),
    # -- export ------------------------------------------------------------------------------
    ("export-journal-folder", ["export", "journal", "{f}/a-folder"], "is a folder"),
    ("export-journal-no-dir", ["export", "journal", "/nonexistent/x.journal"],
     "folder /nonexistent does not exist"),
    ("export-journal-exists", ["export", "journal", "{f}/nul.journal"], "already exists"),
    ("export-contacts-folder", ["export", "contacts", "{f}/a-folder.csv"], "is a folder"),
    ("export-contacts-format", ["export", "contacts", "{t}/x.txt"], "--format csv|vcard"),
    ("export-contacts-no-dir", ["export", "contacts", "/nonexistent/x.csv"], "does not exist"),
    ("export-contacts-version", ["export", "contacts", "{t}/x.vcf", "--vcard-version", "2.1"],
     "not 3.0 or 4.0"),
]


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 200
    assert len({c[0] for c in CASES}) == len(CASES)
    groups = {c[1][0] for c in CASES}
    assert groups >= {"journal", "contact", "log", "deal", "product", "stock", "sale",
                      "purchase", "invoice", "pay", "report", "import", "export", "settings",
                      "lock", "backup", "account", "audit"}


@pytest.fixture(scope="module")
def shared_book(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shop for the whole corpus: every case must leave it unchanged
    (asserted per case, so a case that writes cannot hide behind another)."""
    return copy_book(templates["shop"], tmp_path_factory.mktemp("bad-input") / "shop.db")


#: `smallbiz backup` copies SQLite files; a server's book is refused before any target check.
_SQLITE_ONLY = pytest.mark.sqlite_only("smallbiz backup copies SQLite files")


@pytest.mark.parametrize("args, message", [
    pytest.param(a, m, id=i, marks=[_SQLITE_ONLY] if a[0] == "backup" else [])
    for i, a, m in CASES])
def test_refused_with_a_clear_error_and_nothing_written(shared_book: Path, files: Path,
                                                       tmp_path: Path, args: list[str],
                                                       message: str) -> None:
    run = make_runner(shared_book)
    argv = [a.format(f=files, t=tmp_path, book=shared_book) if "{" in a else a for a in args]
    before = content_hash(shared_book)
    r = run(*argv)  # the runner re-raises exceptions: a traceback fails the test
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert r.stderr.startswith("error: "), r.stderr
    assert message in r.stderr.splitlines()[0] or message in r.stderr, r.stderr
    assert len(r.stderr.splitlines()[0]) < 600, "one readable line, not a flood"
    assert r.stdout == ""
    assert content_hash(shared_book) == before
    assert not list(files.glob("*.partial")) and not list(tmp_path.iterdir())


#: Real processes for a sample (argv as the OS passes it, the interpreter's own exit path).
PROCESS_CASES = ["journal-amount-huge", "contact-show-superscript", "import-journal-nul",
                 "import-products-latin1", "export-contacts-folder", "sale-line-huge"]


@pytest.mark.parametrize("case", PROCESS_CASES)
def test_refused_in_a_real_process(shared_book: Path, files: Path, tmp_path: Path,
                                   case: str) -> None:
    args, message = next((a, m) for i, a, m in CASES if i == case)
    argv = [a.format(f=files, t=tmp_path, book=shared_book) for a in args]
    before = content_hash(shared_book)
    r = smallbiz(shared_book, *argv)
    assert r.returncode == 1 and r.stdout == "", (r.stdout, r.stderr)
    assert r.stderr.startswith("error: ") and message in r.stderr and "Traceback" not in r.stderr
    assert content_hash(shared_book) == before


def test_usage_errors_exit_2_without_traceback(shared_book: Path) -> None:
    """Values typer itself parses (integers) are usage errors: exit 2, never a crash, also
    when the number does not fit SQLite's integers."""
    run = make_runner(shared_book)
    before = content_hash(shared_book)
    for args in (["journal", "list", "--limit", HUGE], ["contact", "list", "--limit", HUGE],
                 ["contact", "list", "--after", HUGE], ["invoice", "list", "--limit", HUGE],
                 ["audit", "--limit", HUGE], ["sale", "list", "--limit", "0"],
                 ["contact", "list", "--after", "abc"]):
        r = run(*args)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert "Invalid value" in r.stderr or "valid integer" in r.stderr
    assert content_hash(shared_book) == before


def test_a_big_but_storable_amount_round_trips(shop_cli) -> None:
    """The limit is a trillion: 999,999,999,999.99 is still an amount a book can hold."""
    r = shop_cli("journal", "add", "--date", "2026-03-01", "--posting", "1010=999999999999.99",
                 "--posting", "3000", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["postings"][0]["amount"] == "999999999999.99"
    assert shop_cli("check").exit_code == 0


def test_tabs_and_line_breaks_are_text(shop_cli) -> None:
    r = shop_cli("contact", "add", "Tab Person", "--notes", "line one\nline two\tand a tab")
    assert r.exit_code == 0, r.stderr
    assert "\t" in shop_cli("contact", "show", "Tab Person", "--json").json()["notes"]


def test_no_file_outside_the_target_on_a_refused_export(shared_book: Path, tmp_path: Path
                                                        ) -> None:
    """A refused export leaves no partial file behind either."""
    run = make_runner(shared_book)
    target = tmp_path / "x.vcf"
    r = run("export", "contacts", str(target), "--vcard-version", "9")
    assert r.exit_code == 1
    assert os.listdir(tmp_path) == []


def test_the_tui_services_refuse_control_characters(opened_shop, shop_path) -> None:
    """What the CLI refuses centrally, the services the TUI calls refuse too (a paste into
    a form can carry an escape sequence)."""
    import datetime as dt
    from decimal import Decimal

    from smallbiz.app.book import Book, JournalLine
    from smallbiz.errors import UserError

    book = Book(opened_shop)
    evil = "Evil\x1b[2J"
    day = dt.date(2026, 3, 1)
    attempts = {
        "name": lambda: book.add_contact(evil),
        "email": lambda: book.add_contact("Someone", emails=["a\x00@b.ge"]),
        "text": lambda: book.log_interaction(SHOP, evil),
        "title": lambda: book.add_deal(SHOP, evil, "100"),
        "notes": lambda: book.save_order("sale", SHOP, [book.line_preview("sale", "TOOL-01",
                                                                          "1")], notes=evil),
        "memo": lambda: book.record_payment("INV-2026-0001", "1", memo=evil),
        "reason": lambda: book.adjust_stock("TOOL-01", "1", cost="12", reason=evil),
        "sku": lambda: book.add_product("EVIL\x07", "Evil", price="1"),
        "posting 1 memo": lambda: book.post_journal_entry(day, "ok", [
            JournalLine("1010", debit=Decimal(1), memo=evil),
            JournalLine("3000", credit=Decimal(1))]),
    }
    before = content_hash(shop_path)
    for field, attempt in attempts.items():
        with pytest.raises(UserError, match=f"{field}: control character"):
            attempt()
    assert content_hash(shop_path) == before
