"""Aging as of any day of a history where documents are paid in parts, paid later,
re-paid after a cancelled payment, cancelled after the day, or dated after it.

`reports.aging` sums only the documents that can have a balance on the day (or, early
in the book, every document dated by then); these tests hold it to the definition
computed over every document and allocation, for receivables and payables, on every
day of the history and with both ways of choosing the documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from smallbiz.crm.service import create_contact
from smallbiz.money import from_minor
from smallbiz.orders import payments as pay
from smallbiz.orders import reports
from smallbiz.orders import service as orders
from smallbiz.orders.lines import LineInput
from tests.engine import copy_book
from tests.orders.conftest import assert_ok, day, rd

FIRST, LAST = day("2026-01-01"), day("2026-06-01")


def sale(s, customer, price, on):
    """Invoice 1 × SVC-01 at `price` (no VAT) on `on`: (INV number, SO number)."""
    so = orders.create_order(s, "sale", customer,
                             [LineInput("SVC-01", D(1), D(price), vat_rate=D(0))], on=day(on))
    orders.confirm_order(s, "sale", so.number)
    return orders.invoice_order(s, so.number, on=day(on)).reference, so.number


def purchase(s, quantity, on):
    """Receive `quantity` × TOOL-01 at 12.00 + 18 % VAT on `on`: (BILL number, PO number)."""
    po = orders.create_order(s, "purchase", "Batumi Supply",
                             [LineInput("TOOL-01", D(quantity), D("12.00"))], on=day(on))
    orders.confirm_order(s, "purchase", po.number)
    return orders.receive_order(s, po.number, on=day(on)).reference, po.number


def paid(s, direction, on, *allocations):
    """A payment on `on` of (document number, amount) pairs: its PAY number."""
    return pay.record_payment(s, direction, [pay.AllocationInput(n, D(a)) for n, a in allocations],
                              on=day(on)).number


@pytest.fixture(scope="module")
def history_template(tmp_path_factory, templates):
    """The shop with two customers on terms 0 and a supplier, January to May 2026."""
    from smallbiz.db import Database

    path = copy_book(templates["shop"], tmp_path_factory.mktemp("aging-history") / "history.db")
    db = Database(path).open()
    with db.transaction() as s:
        create_contact(s, "Cash Kartuli", customer=True, payment_terms_days=0)
        create_contact(s, "Cash Nino", customer=True, payment_terms_days=0)
        g, g_so = sale(s, "Cash Kartuli", "600", "2026-01-02")
        orders.cancel_order(s, "sale", g_so, on=day("2026-01-03"))  # before it was due
        c, _ = sale(s, "Cash Kartuli", "300", "2026-01-05")
        a, _ = sale(s, "Cash Kartuli", "100", "2026-01-10")
        b, _ = sale(s, "Cash Nino", "200", "2026-01-20")
        p1 = paid(s, "in", "2026-01-25", (c, "180"))
        paid(s, "in", "2026-02-01", (b, "50"))  # partial payments of B
        h, _ = sale(s, "Cash Nino", "700", "2026-02-01")  # never paid
        paid(s, "in", "2026-02-10", (c, "120"))  # C paid in full ...
        e, e_so = sale(s, "Cash Nino", "400", "2026-02-15")
        paid(s, "in", "2026-02-20", (b, "70"))
        pe = paid(s, "in", "2026-02-20", (e, "30"))
        k, _ = sale(s, "Cash Kartuli", "50", "2026-02-25")
        pay.cancel_payment(s, pe, on=day("2026-03-04"))
        orders.cancel_order(s, "sale", e_so, on=day("2026-03-05"))  # E cancelled
        pay.cancel_payment(s, p1, on=day("2026-03-10"))  # ... and open again
        paid(s, "in", "2026-03-12", (c, "180"))  # ... and paid again
        paid(s, "in", "2026-03-15", (a, "100"), (k, "50"))  # A and K in one payment
        paid(s, "in", "2026-04-01", (b, "80"))  # B's rest
        r, _ = sale(s, "Cash Nino", "90", "2026-01-12")
        pr = paid(s, "in", "2026-01-14", (r, "90"))
        pay.cancel_payment(s, pr, on=day("2026-03-20"))
        paid(s, "in", "2026-02-01", (r, "90"))  # recorded after, dated before: 02-01 to
        # 03-19 both payments count and R is overpaid
        sale(s, "Cash Kartuli", "500", "2026-05-01")  # F: after most as-of days
        x, _ = purchase(s, 10, "2026-01-15")  # 141.60
        paid(s, "out", "2026-02-10", (x, "70"))
        _y, y_po = purchase(s, 5, "2026-02-05")  # 70.80
        orders.cancel_order(s, "purchase", y_po, on=day("2026-03-02"))
        paid(s, "out", "2026-03-20", (x, "71.60"))
        z, _ = purchase(s, 1, "2026-03-25")  # 14.16
        pz = paid(s, "out", "2026-03-25", (z, "14.16"))
        pay.cancel_payment(s, pz, on=day("2026-04-02"))
    assert_ok(db)
    db.dispose()
    return path


@pytest.fixture
def history(history_template, book_path):
    from smallbiz.db import Database

    db = Database(copy_book(history_template, book_path)).open()
    yield db
    db.dispose()


def full_scan(db, *, payables=False, as_of):
    """The aging by its definition, in Python over every document and allocation:
    {contact: (documents, buckets, total)} of the nonzero balances."""
    with db.read() as s:
        docs = s.execute(
            "SELECT i.id, c.name, i.date, i.due_date, i.gross, i.status, i.cancelled_on"
            " FROM invoice i JOIN contact c ON c.id = i.contact_id WHERE i.kind = :kind",
            {"kind": "bill" if payables else "invoice"}).all()
        allocations = s.execute(
            "SELECT pa.invoice_id, pa.amount, p.date, p.status, p.cancelled_on"
            " FROM payment_allocation pa JOIN payment p ON p.id = pa.payment_id").all()
    iso = as_of.isoformat()
    paid: dict[int, int] = {}
    for invoice_id, amount, on, status, cancelled_on in allocations:
        if str(on) <= iso and (status == "posted" or str(cancelled_on) > iso):
            paid[invoice_id] = paid.get(invoice_id, 0) + amount
    out: dict[str, tuple[int, dict[str, D], D]] = {}
    for id_, name, on, due_on, gross, status, cancelled_on in docs:
        due = gross - paid.get(id_, 0)
        if (str(on) > iso or (status == "cancelled" and str(cancelled_on) <= iso)
                or due == 0):
            continue
        late = (as_of - dt.date.fromisoformat(str(due_on))).days
        bucket = ("current" if late <= 0 else "0-30" if late <= 30 else "31-60" if late <= 60
                  else "61-90" if late <= 90 else "90+")
        count, buckets, total = out.get(name, (0, dict.fromkeys(reports.BUCKETS, D("0.00")),
                                               D("0.00")))
        buckets[bucket] += from_minor(due, 2)
        out[name] = (count + 1, buckets, total + from_minor(due, 2))
    return out


def as_dict(report):
    return {r.contact: (r.documents, r.buckets, r.total) for r in report.rows}


def aging_by(db, sql, *, payables=False, as_of):
    """`reports.aging` with its documents chosen by `sql`, one of its two ways."""
    saved = reports._AGING
    reports._AGING = {"candidates": sql, "dated_by": sql}
    try:
        return rd(db, reports.aging, payables=payables, as_of=as_of)
    finally:
        reports._AGING = saved


def totals(db, as_of, *, payables=False):
    report = rd(db, reports.aging, payables=payables, as_of=day(as_of))
    return {r.contact: (r.documents, r.total) for r in report.rows}


def test_receivables_on_hand_checked_days(history):
    # 03-01: A unpaid (paid 03-15); C's first payment is cancelled only on 03-10, so C is
    # settled; K 50. B 200 - 50 - 70; E 400 less 30 whose payment is cancelled later, and
    # E itself is cancelled later; H 700; R paid twice (-90) until the first payment is
    # cancelled on 03-20. G was cancelled on 01-03, F is dated 05-01.
    assert totals(history, "2026-03-01") == {"Cash Kartuli": (2, D("150.00")),
                                             "Cash Nino": (4, D("1060.00"))}
    # 03-11: C's first payment is cancelled (180 due again), E is cancelled
    assert totals(history, "2026-03-11") == {"Cash Kartuli": (3, D("330.00")),
                                             "Cash Nino": (3, D("690.00"))}
    # 04-30: everything paid but H; F is not dated yet
    assert totals(history, "2026-04-30") == {"Cash Nino": (1, D("700.00"))}
    assert totals(history, "2026-05-01") == {"Cash Kartuli": (1, D("500.00")),
                                             "Cash Nino": (1, D("700.00"))}
    # on 01-02 G (cancelled the next day) counts
    assert totals(history, "2026-01-02") == {"Cash Kartuli": (1, D("600.00"))}


def test_payables_on_hand_checked_days(history):
    # 03-01: X 141.60 - 70, Y 70.80 (cancelled 03-02)
    assert totals(history, "2026-03-01", payables=True) == {"Batumi Supply": (2, D("142.40"))}
    assert totals(history, "2026-03-02", payables=True) == {"Batumi Supply": (1, D("71.60"))}
    # 03-26: X paid 03-20; Z paid 03-25 by a payment cancelled only on 04-02
    assert totals(history, "2026-03-26", payables=True) == {}
    assert totals(history, "2026-04-02", payables=True) == {"Batumi Supply": (1, D("14.16"))}


@pytest.mark.parametrize("payables", [False, True], ids=["receivables", "payables"])
def test_every_day_equals_the_full_scan(history, payables):
    as_of, days, chosen = FIRST, 0, set()
    while as_of <= LAST:
        expected = full_scan(history, payables=payables, as_of=as_of)
        report = rd(history, reports.aging, payables=payables, as_of=as_of)
        assert as_dict(report) == expected, as_of
        assert report.total == sum((t for _n, _b, t in expected.values()), D("0.00"))
        for way, sql in reports._AGING.items():  # either way, whichever is chosen
            assert aging_by(history, sql, payables=payables, as_of=as_of) == report, (
                as_of, way)
        chosen.add(rd(history, reports._aging_strategy,
                      "bill" if payables else "invoice", as_of))
        days += 1 if expected else 0
        as_of += dt.timedelta(days=1)
    assert days > 100 and chosen == {"candidates", "dated_by"}


def test_early_days_take_every_document_dated_by_then_late_days_the_candidates(history):
    assert rd(history, reports._aging_strategy, "invoice", day("2026-01-10")) == "dated_by"
    assert rd(history, reports._aging_strategy, "invoice", day("2026-04-30")) == "candidates"
    assert rd(history, reports._aging_strategy, "bill", day("2026-12-31")) == "candidates"


@pytest.mark.parametrize("payables", [False, True], ids=["receivables", "payables"])
@pytest.mark.parametrize("way", ["candidates", "dated_by"])
def test_each_contacts_open_documents_every_day_equal_the_full_scan(history, monkeypatch,
                                                                    payables, way):
    """A statement's open items (`open_documents`, one contact's) are the aging's
    documents of that contact, on every day, whichever way they are chosen."""
    monkeypatch.setattr(reports, "_aging_strategy", lambda s, kind, as_of: way)
    with history.read() as s:
        contacts = dict(s.execute("SELECT name, id FROM contact").all())
    as_of = FIRST
    while as_of <= LAST:
        expected = full_scan(history, payables=payables, as_of=as_of)
        for name, contact_id in contacts.items():
            docs = rd(history, reports.open_documents, contact_id, payables=payables,
                      as_of=as_of)
            buckets = dict.fromkeys(reports.BUCKETS, D("0.00"))
            for doc in docs:
                buckets[doc.bucket] += doc.balance_due
            got = (len(docs), buckets, sum((d.balance_due for d in docs), D("0.00")))
            assert (got if docs else None) == expected.get(name), (as_of, name)
        as_of += dt.timedelta(days=7)
