"""The dashboard's figures in plain SQL on a read snapshot equal the services' answers:
overdue invoices (partly paid, cancelled, paid, due today, not yet due), the weighted
pipeline (per-deal rounding, won and lost deals out) and the follow-ups due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from smallbiz.app.dashboard import OverdueInvoice, dashboard
from smallbiz.crm.deals import add_deal
from smallbiz.crm.interactions import log_interaction, mark_done
from smallbiz.crm.service import create_contact
from smallbiz.orders import payments as pay
from smallbiz.orders import service as orders
from tests.orders.conftest import day
from tests.orders.test_reports import invoice

AS_OF = day("2026-06-30")


@pytest.fixture
def firm(shop):
    """Invoices of a customer with terms 0 (due the day they are dated) around 2026-06-30,
    deals in every stage and follow-ups due before, on and after that day."""
    with shop.transaction() as s:
        create_contact(s, "Cash Customer", customer=True, payment_terms_days=0)
        made = {}
        for price, on in (("1", "2026-06-30"),      # due today: not overdue
                          ("2", "2026-06-29"),      # 1 day
                          ("4", "2026-05-31"),      # 30 days
                          ("8", "2026-05-30"),      # 31
                          ("16", "2026-05-01"),     # 60
                          ("32", "2026-04-30"),     # 61
                          ("64", "2026-04-01"),     # 90, 0.50 paid
                          ("128", "2026-03-31"),    # 91, 1.00 paid
                          ("0.25", "2026-03-31"),   # 91 too: after INV for 128 by number
                          ("3", "2026-05-15"),      # paid in full
                          ("256", "2026-07-01"),    # not yet due
                          ("512", "2026-06-01")):   # cancelled
            made[price] = invoice(s, "Cash Customer", price, on)
        for price, amount in (("64", "0.50"), ("128", "1.00"), ("3", "3.00")):
            pay.record_payment(s, "in", [pay.AllocationInput(made[price][0], D(amount))],
                               on=day("2026-06-15"))
        orders.cancel_order(s, "sale", made["512"][1], on=day("2026-06-20"))

        add_deal(s, "Kartuli Foods LLC", "Tools", "1000.00", stage="proposal")     # 500.00
        add_deal(s, "Kartuli Foods LLC", "Nails", "0.05", stage="lead")            # 0.005 → 0.01
        add_deal(s, "ნინო ბერიძე", "Install", "10.00", probability="33.33")         # 3.333 → 3.33
        add_deal(s, "ნინო ბერიძე", "Shed", "200.00", stage="negotiation")          # 150.00
        add_deal(s, "ნინო ბერიძე", "Won one", "999.00", stage="won", on=AS_OF)
        add_deal(s, "Batumi Supply", "Lost one", "777.00", stage="lost", on=AS_OF)

        log_interaction(s, "Kartuli Foods LLC", "Call back", on="2026-06-01",
                        follow_up="2026-06-29")
        log_interaction(s, "ნინო ბერიძე", "Send the quote", on="2026-06-01",
                        follow_up="2026-06-30")
        log_interaction(s, "Batumi Supply", "Order nails", on="2026-06-01",
                        follow_up="2026-06-29")  # same day as the first: by id
        done = log_interaction(s, "Batumi Supply", "Done already", on="2026-06-01",
                               follow_up="2026-06-02")
        mark_done(s, done.id)
        log_interaction(s, "Kartuli Foods LLC", "Next month", on="2026-06-01",
                        follow_up="2026-07-01")
        log_interaction(s, "Kartuli Foods LLC", "A plain note", on="2026-06-01")
    return shop, made


def test_overdue_figures_equal_the_overdue_invoice_list(firm) -> None:
    db, made = firm
    with db.read() as r:
        d = dashboard(r, AS_OF)
    # open and due before 06-30: 2 + 4 + 8 + 16 + 32 + 63.50 + 127 + 0.25
    assert (d.receivable_overdue, d.overdue_invoices) == (D("252.75"), 8)
    assert d.worst_overdue == [
        OverdueInvoice(made["128"][0], "Cash Customer", D("127.00"), 91),
        OverdueInvoice(made["0.25"][0], "Cash Customer", D("0.25"), 91),
        OverdueInvoice(made["64"][0], "Cash Customer", D("63.50"), 90),
        OverdueInvoice(made["32"][0], "Cash Customer", D("32.00"), 61),
        OverdueInvoice(made["16"][0], "Cash Customer", D("16.00"), 60),
        OverdueInvoice(made["8"][0], "Cash Customer", D("8.00"), 31)]


def test_pipeline_and_follow_ups(firm) -> None:
    db, _made = firm
    with db.read() as r:
        d = dashboard(r, AS_OF)
    assert d.weighted_pipeline == D("653.34")  # 500 + 0.01 + 3.33 + 150; won and lost out
    assert d.followups_today == 3
    assert [(f.contact, f.summary, f.due) for f in d.next_followups] == [
        ("Kartuli Foods LLC", "Call back", day("2026-06-29")),
        ("Batumi Supply", "Order nails", day("2026-06-29")),
        ("ნინო ბერიძე", "Send the quote", day("2026-06-30"))]


def test_company_stock_and_sales(firm) -> None:
    db, _made = firm
    with db.read() as r:
        on_reader = dashboard(r, AS_OF)
    assert (on_reader.company, on_reader.currency) == ("Test Co", "GEL")
    assert on_reader.low_stock == ["TOOL-01"]  # no stock, reorder level 10
    # invoiced up to 06-30 (the 256 is dated 07-01; the 512 and its cancellation cancel out)
    assert sum(m.amount for m in on_reader.sales_by_month) == D("258.25")


def test_a_book_without_orders_or_deals_shows_zeros(book) -> None:
    with book.read() as r:
        d = dashboard(r, dt.date(2026, 6, 30))
    assert (d.receivable_overdue, d.overdue_invoices, d.worst_overdue) == (D("0.00"), 0, [])
    assert (d.weighted_pipeline, d.followups_today, d.next_followups) == (D("0.00"), 0, [])
