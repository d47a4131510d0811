"""Statement files read by maintained parsers: OFX 1.x (SGML) and 2.x (XML) with ofxtools,
CAMT.053 (ISO 20022) with defusedxml, MT940 with mt-940. Each returns a `ParsedStatement`
or raises a `ValidationError` naming the line or entry (`line N:`, `entry N:`).

CAMT files are XML from outside: defusedxml refuses a DTD, entity declarations (the
"billion laughs" expansion) and external entities before anything is read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from smallbiz.bank.parsed import ParsedLine, ParsedStatement, clean_text
from smallbiz.errors import ValidationError
from smallbiz.i18n import _


def detect_format(name: str, data: bytes) -> str:
    """ofx | camt053 | mt940 | csv | xlsx, from the file's start (then its name)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = name.lower()
    if data[:2] == b"PK" or lower.endswith(".xlsx"):
        return "xlsx"
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head.upper() or b"<?OFX" in head:
        return "ofx"
    if head.startswith(b"<") and (b"camt.053" in data[:4096] or b"BkToCstmrStmt" in data):
        return "camt053"
    if head.startswith(b"<"):
        return "camt053"  # other XML: the CAMT reader says what is wrong with it
    if re.search(rb"^:20:", data[:4096], re.MULTILINE) or head.startswith(b"{1:"):
        return "mt940"
    if lower.endswith((".ofx", ".qfx")):
        return "ofx"
    if lower.endswith((".sta", ".mt940", ".940")):
        return "mt940"
    return "csv"


# -- OFX ------------------------------------------------------------------------------------

def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle) if needle else -1
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def parse_ofx(data: bytes) -> ParsedStatement:
    from ofxtools.Parser import OFXTree

    text = data.decode("latin-1")
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
    except Exception as exc:  # ofxtools raises several kinds; each says what it read
        message = " ".join(str(exc).split())[:200]
        found = re.search(r"<(\w+)>", message)
        line = _line_of(text, found.group(0)) if found else 1
        raise ValidationError(_("line {n}: not a readable OFX statement ({why})").format(
            n=line, why=message or type(exc).__name__)) from None
    statements = list(getattr(ofx, "statements", []) or [])
    if not statements:
        raise ValidationError(_("line 1: the OFX file holds no bank statement"))
    if len(statements) > 1:
        raise ValidationError(_("line 1: the OFX file holds {n} statements; import one "
                                "account's file at a time").format(n=len(statements)))
    st = statements[0]
    lines = []
    for i, tr in enumerate(st.banktranlist or [], start=1):
        fitid = str(tr.fitid or "").strip()
        where = f"line {_line_of(text, fitid)}" if fitid else _("entry {n}").format(n=i)
        if tr.trnamt is None or tr.dtposted is None:
            raise ValidationError(_("{where}: a transaction needs an amount and a date")
                                  .format(where=where))
        name = clean_text(tr.name or getattr(tr, "payee", None) or "", where, "name")
        memo = clean_text(tr.memo or "", where, "memo")
        ref = clean_text(tr.refnum or tr.checknum or "", where, "reference")
        lines.append(ParsedLine(tr.dtposted.date(), Decimal(tr.trnamt), memo or name, name,
                                ref, None, f"ofx:{fitid}" if fitid else None, where))
    bal = getattr(st, "ledgerbal", None)
    return ParsedStatement(
        "ofx", str(st.curdef or "") or None, lines,
        Decimal(bal.balamt) if bal is not None and bal.balamt is not None else None,
        bal.dtasof.date() if bal is not None and bal.dtasof is not None else None,
        str(getattr(st.account, "acctid", "") or ""))


# -- CAMT.053 --------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Any, *path: str) -> Any:
    """The first descendant along `path` of local names (namespaces ignored)."""
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c.tag) == name), None)
    return el


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _text(el: Any, *path: str) -> str:
    found = _child(el, *path) if path else el
    return (found.text or "").strip() if found is not None else ""


def _camt_amount(el: Any, where: str) -> tuple[Decimal, str]:
    if el is None or not (el.text or "").strip():
        raise ValidationError(_("{where}: no amount").format(where=where))
    try:
        value = Decimal(el.text.strip())
    except InvalidOperation:
        raise ValidationError(_("{where}: amount '{v}' is not a number").format(
            where=where, v=el.text.strip()[:40])) from None
    return value, (el.get("Ccy") or "").strip().upper()


def _camt_date(el: Any, where: str) -> dt.date | None:
    if el is None:
        return None
    text = _text(el, "Dt") or _text(el, "DtTm")[:10]
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError(_("{where}: date '{v}' is not YYYY-MM-DD").format(
            where=where, v=text[:20])) from None


def _sign(indicator: str, where: str) -> int:
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise ValidationError(_("{where}: CdtDbtInd must be CRDT or DBIT, not '{v}'").format(
        where=where, v=indicator[:10]))


def parse_camt053(data: bytes) -> ParsedStatement:
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise ValidationError(_("line 1: the XML declares a DTD or entities, which a bank "
                                "statement never needs; refused ({why})").format(
            why=type(exc).__name__)) from None
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise ValidationError(_("line {n}: not well-formed XML ({why})").format(
            n=line, why=str(exc)[:120])) from None
    statement = _child(root, "BkToCstmrStmt", "Stmt")
    if statement is None:
        raise ValidationError(_("line 1: not a CAMT.053 statement (no BkToCstmrStmt/Stmt)"))
    currency = _text(statement, "Acct", "Ccy").upper() or None
    closing: tuple[Decimal, dt.date | None] | None = None
    for bal in _children(statement, "Bal"):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd")
        if code in ("CLBD", "CLAV") and (closing is None or code == "CLBD"):
            amount, ccy = _camt_amount(_child(bal, "Amt"), "balance")
            currency = currency or ccy or None
            amount *= _sign(_text(bal, "CdtDbtInd") or "CRDT", "balance")
            closing = (amount, _camt_date(_child(bal, "Dt"), "balance"))
    lines: list[ParsedLine] = []
    for n, entry in enumerate(_children(statement, "Ntry"), start=1):
        where = _("entry {n}").format(n=n)
        amount, ccy = _camt_amount(_child(entry, "Amt"), where)
        if currency and ccy and ccy != currency:
            raise ValidationError(_("{where}: amount in {ccy}, the statement is in {cur}")
                                  .format(where=where, ccy=ccy, cur=currency))
        currency = currency or ccy or None
        sign = _sign(_text(entry, "CdtDbtInd"), where)
        if _text(entry, "RvslInd").lower() == "true":
            sign = -sign
        status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
        if status and status.upper() not in ("BOOK", ""):
            continue  # pending or informational entries are not on the account yet
        day = _camt_date(_child(entry, "BookgDt"), where) or _camt_date(
            _child(entry, "ValDt"), where)
        if day is None:
            raise ValidationError(_("{where}: no booking date").format(where=where))
        entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        info = _text(entry, "AddtlNtryInf")
        details = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
        with_amounts = [tx for tx in details
                        if _child(tx, "AmtDtls", "TxAmt", "Amt") is not None
                        or _child(tx, "Amt") is not None]
        parts = with_amounts if len(with_amounts) > 1 else []
        if parts:  # a batch booking: one line per transaction, adding up to the entry
            total = Decimal(0)
            for k, tx in enumerate(parts, start=1):
                part_where = f"{where}, transaction {k}"
                el = _child(tx, "AmtDtls", "TxAmt", "Amt")
                value, _ccy = _camt_amount(el if el is not None else _child(tx, "Amt"),
                                           part_where)
                tx_sign = _sign(_text(tx, "CdtDbtInd"), part_where) if _text(
                    tx, "CdtDbtInd") else sign
                total += value * tx_sign
                key = _text(tx, "Refs", "AcctSvcrRef") or (
                    f"{entry_ref}/{k}" if entry_ref else "")
                lines.append(_camt_line(tx, day, value * tx_sign, info, key, part_where))
            if total != amount * sign:
                raise ValidationError(_("{where}: its transactions add up to {a}, the entry "
                                        "says {b}").format(where=where, a=total,
                                                           b=amount * sign))
        else:
            tx = details[0] if details else None
            lines.append(_camt_line(tx, day, amount * sign, info, entry_ref, where))
    return ParsedStatement("camt053", currency, lines,
                           closing[0] if closing else None, closing[1] if closing else None,
                           _text(statement, "Acct", "Id", "IBAN"))


def _camt_line(tx: Any, day: dt.date, amount: Decimal, info: str, key: str,
               where: str) -> ParsedLine:
    party = ""
    if tx is not None:
        side = ("Dbtr", "DbtrAcct") if amount > 0 else ("Cdtr", "CdtrAcct")
        party = (_text(tx, "RltdPties", side[0], "Nm")
                 or _text(tx, "RltdPties", side[0], "Pty", "Nm"))
    unstructured = " ".join(_text(u) for u in _children(_child(tx, "RmtInf"), "Ustrd")) \
        if tx is not None else ""
    ref = ""
    if tx is not None:
        ref = (_text(tx, "RmtInf", "Strd", "CdtrRefInf", "Ref")
               or _text(tx, "Refs", "EndToEndId"))
        if ref == "NOTPROVIDED":
            ref = ""
    text = unstructured or info
    return ParsedLine(day, amount, clean_text(text, where, "text"),
                      clean_text(party, where, "counterparty"),
                      clean_text(ref, where, "reference"), None,
                      f"camt:{key}" if key else None, where)


# -- MT940 -----------------------------------------------------------------------------------

_TAG61 = re.compile(rb"^:61:", re.MULTILINE)


def parse_mt940(data: bytes) -> ParsedStatement:
    import mt940

    text = data.decode("utf-8", errors="replace") if not data.startswith(b"\xff") else \
        data.decode("latin-1")
    if not text.lstrip().startswith((":20:", "{1:", ":940:")) and ":20:" not in text[:2000]:
        raise ValidationError(_("line 1: not an MT940 statement (no :20: field)"))
    tag_lines = [text.count("\n", 0, m.start()) + 1 for m in _TAG61.finditer(data)]
    try:
        statements = mt940.parse(text)
    except Exception as exc:
        raise ValidationError(_("line 1: not a readable MT940 statement ({why})").format(
            why=" ".join(str(exc).split())[:160])) from None
    transactions = list(statements)
    if len(transactions) != len(tag_lines):
        raise ValidationError(_("line {n}: a :61: statement line could not be read").format(
            n=tag_lines[len(transactions)] if len(transactions) < len(tag_lines) else 1))
    currency = None
    lines = []
    for i, tr in enumerate(transactions):
        where = f"line {tag_lines[i]}"
        d = tr.data
        amount = d.get("amount")
        day = d.get("date") or d.get("entry_date")
        if amount is None or day is None:
            raise ValidationError(_("{where}: a :61: line needs a date and an amount").format(
                where=where))
        currency = currency or getattr(amount, "currency", None)
        details = d.get("transaction_details") or ""
        purpose = d.get("purpose") or ""
        party = d.get("applicant_name") or ""
        ref = d.get("customer_reference") or ""
        if ref == "NONREF":
            ref = ""
        lines.append(ParsedLine(dt.date(day.year, day.month, day.day), Decimal(amount.amount),
                                clean_text(purpose or details, where, "details"),
                                clean_text(party, where, "counterparty"),
                                clean_text(ref, where, "reference"), None, None, where))
    final = statements.data.get("final_closing_balance")
    closing = closing_date = None
    if final is not None:
        closing = Decimal(final.amount.amount)
        currency = currency or getattr(final.amount, "currency", None)
        closing_date = dt.date(final.date.year, final.date.month, final.date.day)
    return ParsedStatement("mt940", currency, lines, closing, closing_date,
                           str(statements.data.get("account_identification") or ""))
