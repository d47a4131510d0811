"""The demo company: a believable small Georgian trading and services firm.

`fill_demo(db)` fills an empty book, `create_demo_book(path)` makes a new one (the
TUI's `--demo`). Everything goes through the same services a user's commands use, in
one transaction, so every invariant `smallbiz check` verifies holds.

Deterministic: a seeded `random.Random`, and every date is counted back from an
anchor day (default: today). The same anchor gives the same book; the year of
activity always ends on the anchor, so there are invoices overdue and follow-ups
due today whenever the demo is made.

The firm is Georgian with full details (legal name, tax ID, VAT payer, addresses, two
bank accounts, director: `DEMO_DETAILS`). What it makes: ~60 customers and leads
(organizations with their people, and private customers), 10 suppliers, 40 products
and services with opening stock, twelve months of purchases (received, billed, mostly
paid), sales (confirmed, shipped, invoiced; paid on time, late, partly or not at all;
the last weeks still in progress; a few cancelled), monthly rent, salaries and
utilities, interactions with follow-ups, deals in every stage, and one export to a
customer abroad (zero-rated, with its waybill's fields).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from smallbiz.db import Database
from smallbiz.errors import RuleViolation
from smallbiz.i18n import N_, _
from smallbiz.sql import Tx

SEED = 2026
DEMO_COMPANY = "Kavkasia Tools LLC"
#: The demo's expense accounts of the default chart and their like in the Georgian chart
#: (data/charts/ge.csv): rent, utilities, telephone and internet, salaries.
GEORGIAN_EXPENSES = {"6000": "7310", "6200": "7320", "6600": "7340", "6100": "7210"}


#: What `smallbiz demo` counts (the keys of `summary`, as its table shows them).
SUMMARY_WORDS = (
    N_("customers"), N_("leads"), N_("suppliers"), N_("contacts"), N_("products"),
    N_("services"), N_("sales orders"), N_("purchase orders"), N_("invoices"), N_("bills"),
    N_("payments"), N_("interactions"), N_("deals"), N_("journal entries"),
)


def demo_chart() -> str:
    """The chart a new demo book starts with: the Georgian one (`ge`, names in Georgian)
    when the language in force is Georgian, else the default chart."""
    from smallbiz.i18n import language

    return "ge" if language() == "ka" else "default"
#: The demo firm's details, as its invoices print them (settings; see smallbiz.settings).
DEMO_DETAILS = {
    "legal_name": "შპს „კავკასია თულსი“",
    "legal_form": "შპს (LLC)",
    "country": "GE",
    "tax_id": "405512873",
    "vat_payer": "yes",
    "vat_registered_on": "2021-04-01",
    "legal_address": "დავით აღმაშენებლის გამზ. 154, თბილისი 0112",
    "actual_address": "გურამიშვილის გამზ. 17, თბილისი 0192 (საწყობი)",
    "phone": "+995 32 219 40 40",
    "email": "info@kavkasia-tools.ge",
    "bank_accounts": "სს „თიბისი ბანკი“, GE61TB7777777777777777; "
                     "სს „საქართველოს ბანკი“, GE59BG0000000123456789",
    "director": "გიორგი მაისურაძე",
    "invoice_language": "auto",
}
#: A customer abroad: its invoices are exports at 0 % (zero-rated) and print in English.
EXPORT_CUSTOMER = ("Ararat Build LLC", "Yerevan", "Tigran Mets Ave 40", "Armenia",
                   "02587391")
#: Progress steps `fill_demo` reports: setup, one per week of the year, the wrap-up.
STEPS = 3 + 53 + 1
RECENT_DAYS = 14

# -- the cast --------------------------------------------------------------------------------

ORGANIZATIONS = [
    ("Kartuli Foods LLC", "Tbilisi", "Chavchavadze Ave 12"),
    ("ბათუმის სამშენებლო შპს", "Batumi", "Gorgiladze St 45"),
    ("Mtatsminda Bakery", "Tbilisi", "Leselidze St 8"),
    ("Rioni Logistics", "Kutaisi", "Tsereteli St 101"),
    ("ალაზნის ღვინის მარანი", "Telavi", "Erekle II St 3"),
    ("Svaneti Guesthouses", "Mestia", "Seti Square 2"),
    ("Tbilisi Print House", "Tbilisi", "Kostava St 67"),
    ("კოლხეთის აგრო", "Zugdidi", "Rustaveli St 22"),
    ("Rustavi Metalworks", "Rustavi", "Megobroba Ave 5"),
    ("Gori Fresh Market", "Gori", "Stalin Ave 19"),
    ("Borjomi Spa Hotel", "Borjomi", "Rustaveli St 50"),
    ("თელავის ავეჯი", "Telavi", "Chavchavadze St 14"),
    ("Saburtalo Dental Clinic", "Tbilisi", "Pekini Ave 31"),
    ("Poti Port Services", "Poti", "Davit Aghmashenebeli St 9"),
    ("Kakheti Cellars", "Sighnaghi", "Kostava St 4"),
    ("Vake Fitness Club", "Tbilisi", "Abashidze St 77"),
    ("Imereti Builders", "Kutaisi", "Paliashvili St 16"),
    ("ზესტაფონის ფერო", "Zestaponi", "Industrial Zone 1"),
    ("Mtskheta Souvenirs", "Mtskheta", "Arsukidze St 11"),
    ("Old Tbilisi Café", "Tbilisi", "Erekle II St 10"),
    ("Adjara Tea Company", "Kobuleti", "Agmashenebeli St 120"),
    ("Didube Auto Service", "Tbilisi", "Tsereteli Ave 118"),
    ("აჭარის ხილი", "Batumi", "Chavchavadze St 60"),
    ("Ananuri Stone Works", "Dusheti", "Kazbegi Rd 7"),
]
FIRST = ["Giorgi", "Nino", "Davit", "Mariam", "Levan", "Tamar", "Irakli", "Ana", "Luka", "Salome",
         "Nikoloz", "Eka", "Zurab", "Ketevan", "Sandro", "Natia", "Lasha", "Maka", "Beka", "Tea"]
LAST = ["Beridze", "Kapanadze", "Gelashvili", "Maisuradze", "Lomidze", "Tsiklauri", "Javakhishvili",
        "Abashidze", "Kvaratskhelia", "Nozadze", "Chkheidze", "Gogua", "Bakradze", "Japaridze"]
GEORGIAN_PEOPLE = ["გიორგი ბერიძე", "ნინო კაპანაძე", "დავით გელაშვილი", "მარიამ ლომიძე",
                   "ლევან წიკლაური", "თამარ აბაშიძე", "ირაკლი ნოზაძე", "ანა ჯაფარიძე",
                   "ეკა ჩხეიძე", "ზურაბ გოგუა", "ქეთევან ბაქრაძე", "სანდრო ჯავახიშვილი",
                   "ნათია მაისურაძე", "ლაშა კვარაცხელია", "მაკა ცინცაძე", "ბექა ნოზაძე"]
SUPPLIERS = [
    ("Caucasus Hardware Import", "Tbilisi"), ("Batumi Supply", "Batumi"),
    ("Euro Tools Georgia", "Tbilisi"), ("ქუთაისის მეტალი", "Kutaisi"),
    ("Anatolia Trading Ltd", "Istanbul"), ("Black Sea Paints", "Poti"),
    ("Georgian Timber Co", "Ambrolauri"), ("Electro Plus", "Tbilisi"),
    ("Safety First Distribution", "Rustavi"), ("Kvemo Kartli Fasteners", "Marneuli"),
]
#: (sku, name, price, cost, unit, reorder, supplier index, typical quantity)
STOCK_PRODUCTS = [
    ("TOOL-01", "Claw hammer 450 g", "25.00", "12.00", "pcs", 10, 0, 4),
    ("TOOL-02", "Screwdriver set 12 pc", "38.00", "19.50", "set", 6, 2, 3),
    ("TOOL-03", "Cordless drill 18 V", "289.00", "172.00", "pcs", 4, 2, 1),
    ("TOOL-04", "Angle grinder 125 mm", "165.00", "98.00", "pcs", 4, 2, 1),
    ("TOOL-05", "Spirit level 60 cm", "32.00", "14.80", "pcs", 6, 0, 2),
    ("TOOL-06", "Tape measure 8 m", "18.50", "7.90", "pcs", 12, 0, 5),
    ("TOOL-07", "Pipe wrench 14\"", "54.00", "27.00", "pcs", 4, 3, 2),
    ("TOOL-08", "Adjustable spanner 250 mm", "29.00", "13.40", "pcs", 8, 3, 3),
    ("TOOL-09", "Hand saw 500 mm", "27.00", "11.90", "pcs", 6, 0, 2),
    ("TOOL-10", "Circular saw 1400 W", "345.00", "214.00", "pcs", 3, 4, 1),
    ("FAST-01", "Wood screws 4×40, box of 200", "9.80", "4.10", "box", 30, 9, 10),
    ("FAST-02", "Wall plugs 8 mm, bag of 100", "6.50", "2.35", "bag", 30, 9, 10),
    ("FAST-03", "Anchor bolts M10, box of 25", "21.00", "9.60", "box", 15, 9, 5),
    ("FAST-04", "Nails 70 mm", "5.20", "2.90", "kg", 40, 3, 12),
    ("PAINT-01", "Interior paint white 10 L", "79.00", "46.00", "can", 10, 5, 4),
    ("PAINT-02", "Facade paint 10 L", "112.00", "68.00", "can", 8, 5, 3),
    ("PAINT-03", "Wood varnish 2.5 L", "44.00", "24.50", "can", 8, 5, 3),
    ("PAINT-04", "Paint roller set", "16.00", "6.70", "set", 15, 5, 4),
    ("PAINT-05", "Masking tape 50 m", "7.50", "2.95", "roll", 40, 5, 8),
    ("ELEC-01", "Cable 3×2.5 mm², 100 m", "185.00", "121.00", "roll", 4, 7, 1),
    ("ELEC-02", "LED bulb E27 12 W", "8.90", "3.60", "pcs", 50, 7, 15),
    ("ELEC-03", "Socket, double, white", "14.50", "6.20", "pcs", 30, 7, 8),
    ("ELEC-04", "Circuit breaker 16 A", "19.00", "8.40", "pcs", 20, 7, 6),
    ("ELEC-05", "Extension cord 5 m", "24.00", "10.90", "pcs", 12, 7, 3),
    ("SAFE-01", "Work gloves, pair", "6.00", "2.10", "pair", 50, 8, 12),
    ("SAFE-02", "Safety helmet", "22.00", "9.80", "pcs", 15, 8, 4),
    ("SAFE-03", "Safety goggles", "12.00", "4.70", "pcs", 20, 8, 5),
    ("SAFE-04", "Hi-vis vest", "9.50", "3.80", "pcs", 25, 8, 6),
    ("WOOD-01", "Pine board 25×150×3000", "18.00", "10.40", "pcs", 40, 6, 12),
    ("WOOD-02", "Plywood 18 mm 1250×2500", "96.00", "61.00", "sheet", 10, 6, 4),
    ("WOOD-03", "OSB board 12 mm", "48.00", "29.50", "sheet", 15, 6, 6),
    ("CEM-01", "Cement M400, 50 kg", "21.50", "15.20", "bag", 40, 1, 15),
]
SERVICES = [
    ("SVC-01", "Installation, per hour", "40.00", "h"),
    ("SVC-02", "Delivery in the city", "25.00", "trip"),
    ("SVC-03", "Delivery outside the city", "0.90", "km"),
    ("SVC-04", "Tool repair", "35.00", "h"),
    ("SVC-05", "Electrical works, per hour", "55.00", "h"),
    ("SVC-06", "Painting works, per m²", "9.00", "m²"),
    ("SVC-07", "Consulting, per hour", "80.00", "h"),
    ("SVC-08", "Tool rental, per day", "30.00", "day"),
]
CALLS = ["Asked about prices for {p}", "Called to confirm the delivery date",
         "Wants a quote for {p}", "Complained about a late delivery; apologised",
         "Discussed a bigger order for the spring season", "Asked for an invoice copy",
         "Checked whether {p} is in stock", "Reminded about the open invoice"]
EMAILS = ["Sent the price list", "Sent a quote for {p}", "Sent payment details",
          "Sent the catalogue of new products", "Confirmed the order by email"]
MEETINGS = ["Visited their site to measure the job", "Met at the Tbilisi building fair",
            "Presented our installation services", "Negotiated yearly discount terms"]
NOTES = ["Prefers delivery in the morning", "Pays by bank transfer only",
         "Decision maker is the owner", "Interested in {p}"]
DEAL_TITLES = ["Renovation supplies", "Annual tool contract", "Warehouse shelving project",
               "Office electrical upgrade", "Hotel repainting", "Safety equipment for the site",
               "Spring building season order", "Kitchen fit-out", "Fence and gate materials",
               "Workshop equipment", "Maintenance contract", "New branch fit-out"]


@dataclass(order=True)
class _Event:
    day: dt.date
    seq: int
    action: Callable[[], None] = field(compare=False)


class _Builder:
    """Walks the year day by day, running what is due, then the day's new business."""

    def __init__(self, s: Tx, anchor: dt.date, rng: random.Random) -> None:
        self.s = s
        self.anchor = anchor
        self.start = anchor - dt.timedelta(days=364)
        self.rng = rng
        self.events: list[_Event] = []
        self.seq = itertools.count()
        self.customers: list[tuple[int, str]] = []  # (id, behaviour)
        self.leads: list[int] = []
        self.people: list[int] = []
        self.suppliers: list[int] = []
        self.product_supplier: dict[str, int] = {}
        self.typical: dict[str, int] = {}
        self.on_order: set[str] = set()
        self.counts: dict[str, int] = {}
        self.accounts: dict[str, str] = {}
        self.recent_sales = 0
        self.product_ids: dict[str, int] = {}

    # -- helpers ---------------------------------------------------------------------------
    def at(self, day: dt.date, action: Callable[[], None]) -> None:
        if day <= self.anchor:
            heapq.heappush(self.events, _Event(day, next(self.seq), action))

    def run_due(self, day: dt.date) -> None:
        while self.events and self.events[0].day <= day:
            heapq.heappop(self.events).action()

    def balance(self, number: str) -> tuple[Decimal, Decimal]:
        """An invoice's or bill's balance due and gross amount."""
        from smallbiz.orders.invoices import balance_due, resolve_invoice

        inv = resolve_invoice(self.s, number)
        return balance_due(inv), inv.gross

    def money(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low, high))

    # -- the cast --------------------------------------------------------------------------
    def make_contacts(self) -> None:
        from smallbiz.crm.service import create_contact

        rng, s = self.rng, self.s
        behaviours = ["prompt"] * 6 + ["late"] * 3 + ["partial", "bad"]
        for i, (name, city, street) in enumerate(ORGANIZATIONS):
            lead = i >= 18  # the last few are still prospects
            org = create_contact(
                s, name, kind="organization", customer=not lead, lead=lead,
                email=f"office@{_slug(name, i)}.ge", phone=_phone(rng),
                street=street, city=city, postcode=f"0{rng.randint(100, 699)}",
                country="Georgia", tax_id=str(rng.randint(200000000, 449999999)),
                payment_terms_days=rng.choice([None, None, None, 14, 45]),
                tags=["wholesale"] if i % 3 == 0 else [])
            (self.leads.append(org.id) if lead
             else self.customers.append((org.id, rng.choice(behaviours))))
            for _n in range(1 if i % 2 else 2):  # the people we talk to there
                person = create_contact(
                    s, f"{rng.choice(FIRST)} {rng.choice(LAST)}", organization=org.id,
                    email="", phone=_phone(rng))
                self.people.append(person.id)
        names = [f"{f} {last}" for f, last in zip(FIRST, LAST * 2, strict=False)]
        for j, name in enumerate(names + GEORGIAN_PEOPLE):
            lead = j % 4 == 3
            c = create_contact(s, name, customer=not lead, lead=lead, phone=_phone(rng),
                               email=f"{_slug(name, j)}@mail.ge", city=rng.choice(
                                   ["Tbilisi", "Batumi", "Kutaisi", "Rustavi"]),
                               country="Georgia", tags=["private"])
            (self.leads.append(c.id) if lead
             else self.customers.append((c.id, rng.choice(behaviours))))
        for k, (name, city) in enumerate(SUPPLIERS):
            sup = create_contact(s, name, kind="organization", supplier=True,
                                 email=f"sales@{_slug(name, k)}.ge", phone=_phone(rng),
                                 city=city, country="Turkey" if city == "Istanbul" else "Georgia",
                                 tax_id=_supplier_tax_id(city, rng),
                                 payment_terms_days=30)
            self.suppliers.append(sup.id)

    def make_products(self) -> None:
        from smallbiz.stock.service import add_product, adjust_stock

        for sku, name, price, cost, unit, reorder, sup, typical in STOCK_PRODUCTS:
            self.product_ids[sku] = add_product(self.s, sku, name, price=price, cost=cost,
                                                unit=unit, reorder=reorder).id
            self.product_supplier[sku] = self.suppliers[sup]
            self.typical[sku] = typical
        for sku, name, price, unit in SERVICES:
            add_product(self.s, sku, name, price=price, unit=unit, service=True)
        for sku, *_rest, reorder, _sup, _t in STOCK_PRODUCTS:
            adjust_stock(self.s, sku, reorder * self.rng.randint(5, 8), on=self.start,
                         opening=True, reason=_("Opening stock"))

    def opening_capital(self) -> None:
        from smallbiz.books.journal import PostingInput, post_entry

        post_entry(self.s, self.start, _("Owner's capital paid in"), [
            PostingInput(self.role("bank"), Decimal("60000.00")),
            PostingInput(self.role("opening_equity"), Decimal("-60000.00"))])

    def role(self, role: str) -> str:
        from smallbiz.books.accounts import account_by_role

        if role not in self.accounts:
            self.accounts[role] = account_by_role(self.s, role).code
        return self.accounts[role]

    def expense_account(self, code: str) -> str | None:
        """An expense account of the default chart (`6000`), or its like in the Georgian
        chart (`7310`), if this book has it."""
        from smallbiz.books.accounts import resolve_account
        from smallbiz.errors import NotFound

        if code not in self.accounts:
            self.accounts[code] = ""
            for candidate in (code, GEORGIAN_EXPENSES.get(code)):
                if candidate is None:
                    continue
                try:
                    self.accounts[code] = resolve_account(self.s, candidate).code
                    break
                except NotFound:
                    continue
        return self.accounts[code] or None

    # -- the year --------------------------------------------------------------------------
    def month_costs(self, day: dt.date) -> None:
        from smallbiz.books.journal import PostingInput, post_entry

        bank = self.role("bank")
        costs = []
        if day.day == 1:
            costs.append(("6000", Decimal("1200.00"), _("Shop and warehouse rent")))
        if day.day == 5:
            costs.append(("6200", self.money(240, 420) + Decimal("0.35"),
                          _("Electricity and water")))
            costs.append(("6600", Decimal("89.00"), _("Internet and phones")))
        if day.day == 25:
            costs.append(("6100", Decimal("4200.00"), _("Salaries")))
        for code, amount, memo in costs:
            account = self.expense_account(code)
            if account is not None:
                post_entry(self.s, day, memo, [PostingInput(account, amount),
                                               PostingInput(bank, -amount)])
        if day.day == 15:
            self.settle_vat(day)

    def settle_vat(self, day: dt.date) -> None:
        """Pay last month's VAT: output VAT minus input VAT, as of the month's end."""
        from smallbiz.books.journal import PostingInput, post_entry
        from smallbiz.books.reports import trial_balance

        month_end = day.replace(day=1) - dt.timedelta(days=1)
        if month_end < self.start:
            return
        balances = {r.code: r.balance for r in trial_balance(self.s, month_end).rows}
        out = balances.get(self.role("vat_out"), Decimal(0))
        vin = balances.get(self.role("vat_in"), Decimal(0))
        if out == 0 or -out <= vin:
            return  # nothing to pay (a refund is claimed with the return, not shown here)
        post_entry(self.s, day, _("VAT return {month}").format(month=month_end.strftime("%Y-%m")),
                   [PostingInput(self.role("vat_out"), -out),
                    PostingInput(self.role("vat_in"), -vin),
                    PostingInput(self.role("bank"), out + vin)])

    def restock(self, day: dt.date) -> None:
        """Order what has fallen to its reorder level, one purchase order per supplier."""
        from smallbiz.orders.lines import LineInput
        from smallbiz.orders.service import confirm_order, create_order, receive_order
        from smallbiz.stock.service import list_products

        low = [p for p in list_products(self.s, low_only=True) if p.sku not in self.on_order]
        by_supplier: dict[int, list[Any]] = {}
        for p in low:
            by_supplier.setdefault(self.product_supplier[p.sku], []).append(p)
        for supplier, products in sorted(by_supplier.items()):
            lines = []
            for p in products:
                assert p.reorder_level is not None and p.cost is not None
                qty = p.reorder_level * self.rng.randint(5, 8)
                drift = Decimal(self.rng.randint(-6, 8)) / 100  # suppliers change prices
                lines.append(LineInput(p.sku, qty, unit_price=(p.cost * (1 + drift))
                                       .quantize(Decimal("0.01"))))
                self.on_order.add(p.sku)
            order = create_order(self.s, "purchase", supplier, lines, on=day)
            confirm_order(self.s, "purchase", order.number)
            self.counts["purchase_orders"] = self.counts.get("purchase_orders", 0) + 1
            arrives = day + dt.timedelta(days=self.rng.randint(2, 6))
            skus = [p.sku for p in products]

            def receive(number: str = order.number, on: dt.date = arrives,
                        skus: list[str] = skus) -> None:
                result = receive_order(self.s, number, on=on)
                self.on_order.difference_update(skus)
                self.pay_bill(result.reference, on)

            self.at(arrives, receive)

    def pay_bill(self, bill: str, billed: dt.date) -> None:
        from smallbiz.orders.payments import AllocationInput, record_payment

        when = billed + dt.timedelta(days=self.rng.randint(15, 40))

        def pay() -> None:
            due, _gross = self.balance(bill)
            record_payment(self.s, "out", [AllocationInput(bill, due)], on=when)

        self.at(when, pay)

    def sale(self, day: dt.date) -> None:
        from smallbiz.orders.lines import LineInput
        from smallbiz.orders.service import (
            cancel_order,
            confirm_order,
            create_order,
            invoice_order,
            ship_order,
        )
        from smallbiz.stock.service import get_product

        rng = self.rng
        customer, behaviour = rng.choice(self.customers)
        lines: list[Any] = []
        for sku in rng.sample(sorted(self.typical), rng.randint(1, 4)):
            p = get_product(self.s, self.product_ids[sku])
            want = max(1, round(self.typical[sku] * rng.uniform(2.0, 7.0)))
            qty = min(Decimal(want), p.on_hand)
            if qty >= 1:
                discount = Decimal(rng.choice([0, 0, 0, 0, 5, 10]))
                lines.append(LineInput(sku, qty.to_integral_value(), discount=discount))
        if rng.random() < 0.35:
            sku, _n, _p, unit = rng.choice(SERVICES)
            lines.append(LineInput(sku, Decimal(rng.randint(1, 8))))
        if not lines:
            return
        order = create_order(self.s, "sale", customer, lines, on=day)
        self.counts["sales_orders"] = self.counts.get("sales_orders", 0) + 1
        recent = (self.anchor - day).days < RECENT_DAYS
        # the last two weeks are still in progress: draft, confirmed, shipped, invoiced
        stage = self.recent_sales % 5 if recent else 4
        self.recent_sales += recent
        if stage == 0:
            return  # still a draft
        confirm_order(self.s, "sale", order.number)
        if not recent and rng.random() < 0.02:
            cancel_order(self.s, "sale", order.number, on=day)  # the customer changed plans
            return
        if stage == 1:
            return  # confirmed, waiting to be shipped
        ship_order(self.s, order.number, on=day)
        if stage == 2:
            return  # shipped, invoice to follow
        invoice = invoice_order(self.s, order.number, on=day).reference
        self.counts["invoices"] = self.counts.get("invoices", 0) + 1
        if not recent and rng.random() < 0.015:
            cancel_order(self.s, "sale", order.number, on=day + dt.timedelta(days=2))
            return  # goods came back: stock, invoice and cost reversed
        self.collect(invoice, day, behaviour)

    def collect(self, invoice: str, day: dt.date, behaviour: str) -> None:
        from smallbiz.orders.payments import AllocationInput, record_payment

        rng = self.rng
        plans = {"prompt": [(rng.randint(3, 25), 1)],
                 "late": [(rng.randint(35, 80), 1)],
                 "partial": [(rng.randint(10, 30), 0.5), (rng.randint(50, 100), 1)],
                 "bad": [(rng.randint(40, 70), 0.3)] if rng.random() < 0.6 else []}[behaviour]
        for days, share in plans:
            when = day + dt.timedelta(days=days)

            def pay(when: dt.date = when, share: float = share) -> None:
                due, gross = self.balance(invoice)
                if due <= 0:
                    return
                amount = due if share == 1 else (gross * Decimal(str(share))).quantize(
                    Decimal("0.01"))
                record_payment(self.s, "in", [AllocationInput(invoice, min(amount, due))],
                               on=when, account=None if rng.random() < 0.85 else self.role("cash"))

            self.at(when, pay)

    # -- CRM -------------------------------------------------------------------------------
    def interactions(self) -> None:
        from smallbiz.crm.interactions import log_interaction, mark_done

        rng = self.rng
        products = [name for _sku, name, *_r in STOCK_PRODUCTS]
        talk = [c for c, _b in self.customers] + self.leads + self.suppliers[:3]
        for contact in talk:
            for _n in range(rng.randint(2, 5)):
                day = self.start + dt.timedelta(days=rng.randint(0, 364))
                kind = rng.choice(["call", "call", "email", "meeting", "note"])
                text_ = rng.choice({"call": CALLS, "email": EMAILS, "meeting": MEETINGS,
                                    "note": NOTES}[kind]).format(p=rng.choice(products))
                follow = None
                if kind != "note" and rng.random() < 0.35:
                    follow = day + dt.timedelta(days=rng.randint(2, 21))
                row = log_interaction(self.s, contact, text_, kind=kind, on=day,
                                      follow_up=follow)
                if follow is None or follow >= self.anchor:
                    continue
                # old follow-ups were dealt with; of the last month's, a few are overdue
                if (self.anchor - follow).days > 30 or rng.random() < 0.6:
                    mark_done(self.s, row.id)
        # what is on today's list
        for i, contact in enumerate(rng.sample(talk, 9)):
            back = rng.randint(1, 10)
            follow = self.anchor if i < 4 else self.anchor + dt.timedelta(days=rng.randint(1, 14))
            log_interaction(self.s, contact, rng.choice(
                [_("Call back about the quote"), _("Send the updated price list"),
                 _("Confirm the installation date"), _("Chase the overdue invoice")]),
                kind=rng.choice(["call", "email", "task"]),
                on=self.anchor - dt.timedelta(days=back), follow_up=follow)

    def deals(self) -> None:
        from smallbiz.crm.deals import add_deal

        rng = self.rng
        stages = (["lead"] * 6 + ["qualified"] * 6 + ["proposal"] * 6 + ["negotiation"] * 5
                  + ["won"] * 7 + ["lost"] * 5)
        who = self.leads + [c for c, _b in self.customers]
        for i, stage in enumerate(stages):
            contact = who[i % len(who)] if i < len(self.leads) else rng.choice(who)
            value = Decimal(rng.randrange(1500, 45000, 250))
            title = rng.choice(DEAL_TITLES)
            if stage in ("won", "lost"):
                closed = self.anchor - dt.timedelta(days=rng.randint(5, 300))
                add_deal(self.s, contact, title, value, stage=stage, on=closed,
                         expected_close=closed)
            else:
                close = self.anchor + dt.timedelta(days=rng.randint(7, 150))
                add_deal(self.s, contact, title, value, stage=stage, expected_close=close)

    # -- everything ------------------------------------------------------------------------
    def run(self, step: Callable[[int], None]) -> None:
        self.make_contacts()
        step(1)
        self.make_products()
        self.opening_capital()
        step(1)
        self.interactions()
        self.deals()
        step(1)
        day = self.start
        while day <= self.anchor:
            self.run_due(day)
            self.month_costs(day)
            if day.weekday() == 0:
                self.restock(day)
                step(1)
            busy = 0.8 if (self.anchor - day).days < RECENT_DAYS else 0.4
            if day.weekday() < 5 and self.rng.random() < busy:
                self.sale(day)
            day += dt.timedelta(days=1)
        self.run_due(self.anchor)
        self.export_sale()

    def export_sale(self) -> None:
        """One export, invoiced and open: zero-rated lines (VAT code `zero`), a customer
        abroad (after the year, so the rest of the demo stays as it was)."""
        from smallbiz.crm.service import create_contact
        from smallbiz.orders.lines import LineInput
        from smallbiz.orders.service import confirm_order, create_order, invoice_order, ship_order
        from smallbiz.orders.waybill import set_waybill
        from smallbiz.stock.service import get_product

        name, city, street, country, tax_id = EXPORT_CUSTOMER
        create_contact(self.s, name, kind="organization", customer=True, city=city,
                       street=street, country=country, tax_id=tax_id,
                       email="purchasing@ararat-build.am", payment_terms_days=30)
        lines = []
        for sku in sorted(self.typical)[:2]:
            if get_product(self.s, self.product_ids[sku]).on_hand >= 2:
                lines.append(LineInput(sku, Decimal(2), vat_rate=Decimal(0), vat_code="zero"))
        if not lines:
            return
        day = self.anchor - dt.timedelta(days=3)
        order = create_order(self.s, "sale", name, lines, on=day)
        confirm_order(self.s, "sale", order.number)
        ship_order(self.s, order.number, on=day)
        set_waybill(self.s, order.number, transport_type="road", vehicle_plate="TB-404-KT",
                    driver_id="01024055871", start_address=DEMO_DETAILS["actual_address"],
                    end_address=f"{street}, {city}, {country}")
        invoice_order(self.s, order.number, on=day)


def _supplier_tax_id(city: str, rng: random.Random) -> str:
    """A Georgian identification code (9 digits); a Turkish supplier has a VKN (10 digits
    with its check digit, as python-stdnum verifies)."""
    code = str(rng.randint(200000000, 449999999))
    return "4830000016" if city == "Istanbul" else code


def _slug(name: str, i: int) -> str:
    ascii_ = "".join(ch for ch in name.lower() if "a" <= ch <= "z")
    return ascii_[:16] or f"client{i + 1}"


def _phone(rng: random.Random) -> str:
    return f"+995 5{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _has_data(db: Database) -> bool:
    with db.read() as conn:
        for table in ("contact", "product", "journal_entry"):
            if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").first() is not None:
                return True
    return False


def summary(db: Database) -> dict[str, int]:
    """What the book holds, counted in SQL."""
    queries = {  # `smallbiz demo` shows each key as a row (SUMMARY_WORDS, translated)
        "customers": "SELECT COUNT(*) FROM contact WHERE is_customer",
        "leads": "SELECT COUNT(*) FROM contact WHERE is_lead",
        "suppliers": "SELECT COUNT(*) FROM contact WHERE is_supplier",
        "contacts": "SELECT COUNT(*) FROM contact",
        "products": "SELECT COUNT(*) FROM product WHERE kind = 'stock'",
        "services": "SELECT COUNT(*) FROM product WHERE kind = 'service'",
        "sales_orders": "SELECT COUNT(*) FROM trade_order WHERE kind = 'sale'",
        "purchase_orders": "SELECT COUNT(*) FROM trade_order WHERE kind = 'purchase'",
        "invoices": "SELECT COUNT(*) FROM invoice WHERE kind = 'invoice'",
        "bills": "SELECT COUNT(*) FROM invoice WHERE kind = 'bill'",
        "payments": "SELECT COUNT(*) FROM payment",
        "interactions": "SELECT COUNT(*) FROM interaction",
        "deals": "SELECT COUNT(*) FROM deal",
        "journal_entries": "SELECT COUNT(*) FROM journal_entry",
    }
    with db.read() as conn:
        return {k: int(conn.execute(q).scalar()) for k, q in queries.items()}


def fill_demo(db: Database, *, anchor: dt.date | None = None,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Fill an empty, opened book with the demo company (one transaction); returns counts.

    Refuses a book that already has contacts, products or journal entries.
    """
    from smallbiz.dates import today

    if _has_data(db):
        raise RuleViolation(_("{where} already has contacts, products or entries; the demo "
                              "fills an empty book (try --db demo.db)").format(where=db.where()))
    if db.money_digits != 2:
        raise RuleViolation(_("the demo company's prices have two decimals; this book's "
                              "currency has {d} (make a new book for the demo)").format(
                                  d=db.money_digits))
    step = progress or (lambda n=1: None)
    with db.transaction() as s:
        from smallbiz import settings

        if not settings.get_raw(s, "tax_id"):  # a book that has its own details keeps them
            settings.change_many(s, DEMO_DETAILS)
        _Builder(s, anchor or today(), random.Random(SEED)).run(step)
    step(1)
    return summary(db)


def create_demo_book(path: str | Path, *, anchor: dt.date | None = None,
                     progress: Callable[[int], None] | None = None,
                     chart: str | None = None) -> Database:
    """Create a new book at `path` holding the demo company, on `chart` (default:
    `demo_chart()`, by the language); returns it opened."""
    from smallbiz.book import init_book

    db = Database(path)
    init_book(db, company=DEMO_COMPANY, currency="GEL", vat_rate="18",
              chart=chart or demo_chart(),
              then=lambda side: fill_demo(side, anchor=anchor, progress=progress))
    return db.open()


# -- the throwaway folder of `smallbiz tui --demo` ---------------------------------------

DEMO_PREFIX = "smallbiz-demo-"
_DEMO_LOCK = ".in-use"


def remove_stale_demo_folders(parent: str | Path | None = None) -> list[Path]:
    """Remove the demo folders of earlier `tui --demo` runs that were killed (their lock
    died with their process); a folder a running demo holds is left alone. Returns the
    folders removed."""
    import os
    import shutil
    import tempfile

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no way to tell a live demo
        return []
    base = Path(parent if parent is not None else tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(base) if e.name.startswith(DEMO_PREFIX)
                   and e.is_dir(follow_symlinks=False) and e.stat().st_uid == os.getuid()]
    except OSError:
        return removed
    for entry in entries:
        folder = Path(entry.path)
        try:
            fd = os.open(folder / _DEMO_LOCK, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue  # not one of ours (or not yet locked): leave it
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a demo is running in it
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)
    return removed


@contextlib.contextmanager
def demo_folder(parent: str | Path | None = None) -> Iterator[Path]:
    """A new private temporary folder for a demo book, removed with everything in it
    when the block ends (however it ends). It is locked while in use, so a folder left
    by a killed run is recognised and removed by the next one."""
    import os
    import shutil
    import tempfile

    remove_stale_demo_folders(parent)
    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX, dir=parent))
    fd = os.open(folder / _DEMO_LOCK, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except (ImportError, OSError):  # pragma: no cover - no file locks here
            pass
        yield folder
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
