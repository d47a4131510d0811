"""Generate a realistic smallbiz book in bulk, for the benchmarks.

    python bench/generate.py OUT.db --contacts 100000 --products 500 --transactions 1000000

A trading company selling goods and services to its customers over a few years:
sales orders that are shipped (stock out at moving-average cost, Dr COGS / Cr
Inventory) and invoiced (Dr Receivable / Cr Sales, Services, VAT out), customer
payments (some late, some partial, a few never: the aging report has work to do),
purchase orders received from suppliers when stock runs low (the bill: Dr Inventory,
VAT in / Cr Payable) and paid later, and the overheads of a small business: rent,
wages, utilities, telephone, insurance, depreciation, office supplies, travel, bank
charges, and the monthly VAT settlement. `--transactions` counts journal entries.

Every row is computed in integers (minor units, thousandths, millionths) exactly as
the services compute it, and written with SQLAlchemy Core bulk inserts
(`exec_driver_sql` executemany) in one transaction, so the book keeps every invariant
`smallbiz check` verifies: balanced, gapless numbered entries and documents with their
counters, immutable postings (triggers stay on), per-account monthly totals
(`account_period`), product running totals equal to their stock moves and to the
Inventory account, invoices' paid amounts equal to their allocations, and the
receivable/payable sub-ledgers per contact equal to the open documents. Contacts get
their search documents through the CRM's own bulk path (`reindex_all`), and the invoices'
search index (SQLite) is written in one statement at the end (`orders.search.rebuild`,
its triggers off for the load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COMPANY = "Bench Trading Ltd"
CURRENCY = "GEL"
VAT_BP = 1800  # 18 % in hundredths of a percent
TERMS_DAYS = 30
CHUNK = 20_000  # rows per executemany
BULK_TABLES = ("contact", "contact_tag", "product", "journal_entry", "posting", "trade_order",
               "order_line", "shipment", "shipment_line", "stock_move", "invoice",
               "invoice_line", "payment", "payment_allocation")

FIRST = ("Nino Giorgi Mariam Luka Ana Davit Salome Levan Tamar Irakli Elene Nika Natia Zurab "
         "Keti Sandro Maia Lasha Eka Beka Anna John Mary James Linda Peter Sarah Thomas Laura "
         "Daniel Emma Michael Olivia David Sophie Paul Julia Mark Clara Jan Eva Tomas Lena "
         "Marco Giulia Pierre Claire Hans Greta Ivan Olga Aleksandre Teona Mzia Gela "
         "ნინო გიორგი მარიამ ლუკა ანა დავით სალომე ლევან თამარ ირაკლი").split()
LAST = ("Beridze Kapanadze Gelashvili Maisuradze Giorgadze Lomidze Tsiklauri Bolkvadze "
        "Nozadze Abashidze Mikeladze Tabatadze Kvaratskhelia Chikovani Jaiani Smith Johnson "
        "Brown Taylor Wilson Davies Evans Thomas Roberts Walker Wright Green Hall Wood Clarke "
        "Müller Schmidt Schneider Fischer Weber Meyer Novak Horvat Rossi Russo Ferrari "
        "Bianchi Dubois Moreau Laurent Petrov Ivanov Popescu Nagy Kowalski Andersen Hansen "
        "ბერიძე კაპანაძე გელაშვილი მაისურაძე გიორგაძე ლომიძე წიკლაური აბაშიძე").split()
ORG_A = ("Blue Green Red Golden Silver Northern Southern Eastern Western Central Royal "
         "Smart Bright Rapid Prime First United Global Local City Mountain River Black "
         "Sea Old New Grand Little Tbilisi Batumi Kutaisi Alpine Urban Rustic Modern").split()
ORG_B = ("Bakery Trading Logistics Builders Foods Textiles Motors Pharmacy Hotel Cafe Studio "
         "Design Print Electric Plumbing Garden Furniture Books Wine Dairy Farm Tech Media "
         "Travel Clinic Dental Fitness Market Supplies Tools Services Consulting Imports "
         "Exports Kitchen Fashion Auto Hardware").split()
ORG_C = "Ltd LLC GmbH Co JSC Group Partners & Sons".split(" ")
CITIES = ("Tbilisi Batumi Kutaisi Rustavi Zugdidi Gori Poti Telavi Berlin Vienna London "
          "Paris Milan Warsaw Prague Istanbul Yerevan Baku").split()
GOODS = ("Hammer Drill Saw Wrench Screwdriver Pliers Ladder Paint Brush Roller Tape Glue "
         "Nails Screws Bolts Cable Lamp Switch Socket Pipe Valve Faucet Tile Cement Sand "
         "Board Plank Hinge Lock Key Chain Rope Bucket Shovel Rake Hose Gloves Helmet Boots "
         "Vest Mask Filter Battery Charger Fan Heater Heater-Pro Kettle Toaster").split()
GRADES = "Basic Standard Pro Heavy Compact Mini Max Eco Plus Deluxe".split()
SERVICES = ("Installation Delivery Repair Consulting Maintenance Assembly Training Design "
            "Inspection Cleaning").split()
TAGS = ("vip", "wholesale", "newsletter", "trade-fair", "retail", "partner")

#: Overheads: (account code, memo, VAT applies, share of the daily mix, amount range in units)
OCCASIONAL = (
    ("6300", "Office supplies", True, 4, (20, 400)),
    ("6400", "Advertising", True, 2, (100, 3000)),
    ("6500", "Travel", False, 2, (30, 900)),
    ("6700", "Accountant's fee", True, 1, (300, 1500)),
    ("6800", "Bank charges", False, 3, (1, 40)),
    ("7100", "Repairs", True, 1, (50, 2000)),
    ("7900", "Sundry expenses", False, 1, (5, 200)),
)
#: Monthly overheads on a fixed day: (day, account code, memo, VAT applies, amount in units)
MONTHLY = (
    (1, "6000", "Rent", True, 4500),
    (10, "6200", "Electricity and water", True, 650),
    (12, "6600", "Telephone and internet", True, 180),
    (15, "6900", "Insurance", False, 320),
)


def half_up(n: int, d: int) -> int:
    """round(n / d) half away from zero, in integers (d > 0)."""
    return (2 * n + d) // (2 * d) if n >= 0 else -((-2 * n + d) // (2 * d))


def period(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def stamp(d: dt.date, second: int) -> str:
    """A DateTime as SQLAlchemy stores it on SQLite, some time on that day."""
    second %= 36_000
    hour, minute = 8 + second // 3600, second // 60 % 60
    return f"{d.isoformat()} {hour:02d}:{minute:02d}:{second % 60:02d}.000000"


def fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@dataclass(frozen=True)
class Sizes:
    contacts: int
    products: int
    transactions: int
    seed: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Result:
    path: Path
    contacts: int
    products: int
    entries: int
    postings: int
    sales: int
    purchases: int
    payments: int
    open_invoices: int
    seconds: float


class Table:
    """Rows of one table, written in chunks with executemany (SQLAlchemy Core)."""

    def __init__(self, conn: Any, name: str, columns: Sequence[str]) -> None:
        self.conn, self.name, self.columns = conn, name, tuple(columns)
        self.sql = (f"INSERT INTO {name} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})")
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self._check_schema()

    def _check_schema(self) -> None:
        info = self.conn.exec_driver_sql(f"PRAGMA table_info({self.name})").all()
        if not info:
            raise SystemExit(f"generate: table {self.name} does not exist (is the schema at head?)")
        have = {r[1] for r in info}
        missing = [c for c in self.columns if c not in have]
        required = [r[1] for r in info if r[3] and r[4] is None and not r[5]
                    and r[1] not in self.columns]
        if missing or required:
            raise SystemExit(f"generate: table {self.name} changed (unknown columns {missing}, "
                             f"required columns not generated {required}); update generate.py")

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.conn.exec_driver_sql(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


class Ids:
    """Next id per table (the book may already hold rows, e.g. its chart of accounts)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        n = self.next.get(table)
        if n is None:
            n = int(self.conn.exec_driver_sql(
                f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").scalar())
        self.next[table] = n + 1
        return n


@dataclass
class Product:
    id: int
    sku: str
    name: str
    service: bool
    price: int  # minor units
    cost: int  # minor units (default purchase cost)
    supplier: int  # contact id
    reorder: int  # thousandths
    on_hand: int = 0  # thousandths
    value: int = 0  # minor units
    avg: int | None = None  # millionths


@dataclass(frozen=True)
class Delivered:
    """An order written with its lines and shipped or received."""

    order_id: int
    invoice_id: int
    shipment_id: int
    number: str
    seq: int
    created: str
    net: int
    vat: int
    goods: int  # net of the stock lines
    value: int  # stock value moved (cost of a sale, net of a purchase's stock lines)


@dataclass
class OpenDoc:
    """An invoice or bill not yet fully paid, and its order; written when settled or at
    the end (foreign keys are deferred to the commit)."""

    id: int
    kind: str  # invoice | bill
    number: str
    year: int
    seq: int
    contact: int
    contact_name: str
    order_id: int
    date: dt.date
    due: dt.date
    net: int
    vat: int
    gross: int
    paid: int
    created: str
    order_row: tuple[Any, ...]  # trade_order row without status/updated_at


class Book:
    """The simulation: events in date order, every amount as the services compute it."""

    def __init__(self, conn: Any, sizes: Sizes, digits: int, *, quiet: bool) -> None:
        self.conn, self.sizes, self.digits, self.quiet = conn, sizes, digits, quiet
        self.unit = 10 ** digits
        self.rng = random.Random(sizes.seed)
        self.ids = Ids(conn)
        self.accounts = {code: acc_id for acc_id, code in
                         conn.exec_driver_sql("SELECT id, code FROM account").all()}
        self.role = dict(conn.exec_driver_sql(
            "SELECT role, id FROM account WHERE role IS NOT NULL").all())
        t = Table
        self.t_contact = t(conn, "contact", (
            "id", "kind", "name", "name_key", "organization_id", "is_customer", "is_supplier",
            "is_lead", "email", "email_label", "phone", "phone_label", "street", "city",
            "postcode", "country", "tax_id", "notes", "payment_terms_days", "archived",
            "created_at", "updated_at"))
        self.t_tag = t(conn, "tag", ("id", "name", "name_key"))
        self.t_contact_tag = t(conn, "contact_tag", ("contact_id", "tag_id"))
        self.t_product = t(conn, "product", (
            "id", "sku", "name", "kind", "unit", "price", "cost", "vat_rate", "reorder_level",
            "on_hand", "stock_value", "avg_cost", "archived", "created_at", "updated_at"))
        self.t_entry = t(conn, "journal_entry", (
            "id", "number", "year", "seq", "date", "memo", "source", "source_id", "reverses_id",
            "created_at"))
        self.t_posting = t(conn, "posting", (
            "id", "entry_id", "account_id", "date", "amount", "contact_id", "memo"))
        self.t_order = t(conn, "trade_order", (
            "id", "kind", "number", "year", "seq", "contact_id", "date", "notes", "net", "vat",
            "gross", "created_at", "cancelled_on", "status", "updated_at"))
        line_cols = ("description", "is_service", "unit", "quantity", "unit_price", "discount",
                     "vat_rate", "net", "vat", "gross")
        self.t_order_line = t(conn, "order_line",
                              ("id", "order_id", "position", "product_id", *line_cols))
        self.t_shipment = t(conn, "shipment", (
            "id", "order_id", "kind", "date", "status", "value", "created_at"))
        self.t_shipment_line = t(conn, "shipment_line", (
            "id", "shipment_id", "order_line_id", "product_id", "quantity", "value"))
        self.t_move = t(conn, "stock_move", (
            "id", "product_id", "date", "quantity", "value", "source", "source_id", "memo",
            "created_at"))
        self.t_invoice = t(conn, "invoice", (
            "id", "kind", "number", "year", "seq", "contact_id", "order_id", "date", "due_date",
            "status", "net", "vat", "gross", "paid", "created_at"))
        self.t_invoice_line = t(conn, "invoice_line",
                                ("id", "invoice_id", "position", "product_id", *line_cols))
        self.t_payment = t(conn, "payment", (
            "id", "direction", "number", "year", "seq", "contact_id", "date", "account_id",
            "amount", "memo", "status", "created_at"))
        self.t_allocation = t(conn, "payment_allocation",
                              ("id", "payment_id", "invoice_id", "amount"))
        self.tables = [self.t_contact, self.t_tag, self.t_contact_tag, self.t_product,
                       self.t_entry, self.t_posting, self.t_order, self.t_order_line,
                       self.t_shipment, self.t_shipment_line, self.t_move, self.t_invoice,
                       self.t_invoice_line, self.t_payment, self.t_allocation]
        self.sequences: dict[tuple[str, int], int] = defaultdict(int)
        self.periods: dict[tuple[int, str], int] = defaultdict(int)
        self.entries = 0
        self.clock = 0
        self.customers: list[int] = []
        self.suppliers: list[int] = []
        self.names: dict[int, str] = {}
        self.terms: dict[int, int | None] = {}
        self.products: list[Product] = []
        self.daily_units = 1.0
        self.scale = 1.0
        self.open_docs: dict[int, OpenDoc] = {}
        self.dues: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)  # day -> (doc, amount)
        self.counts: dict[str, int] = defaultdict(int)

    # -- numbering and the journal ----------------------------------------------------------
    def number(self, prefix: str, on: dt.date) -> tuple[str, int]:
        key = (prefix, on.year)
        self.sequences[key] += 1
        seq = self.sequences[key]
        return f"{prefix}-{on.year}-{seq:04d}", seq

    def now(self, on: dt.date) -> str:
        self.clock += 7
        return stamp(on, self.clock)

    def post(self, on: dt.date, memo: str, lines: Iterable[tuple[int, int, int | None, str]],
             source: str = "manual", source_id: int | None = None) -> None:
        """One balanced entry: lines are (account id, amount, contact id, memo); zero
        amounts are left out, as the documents do."""
        kept = [ln for ln in lines if ln[1] != 0]
        assert len(kept) >= 2 and sum(ln[1] for ln in kept) == 0, (memo, kept)
        entry_id = self.ids.take("journal_entry")
        number, seq = self.number("JE", on)
        day = on.isoformat()
        self.t_entry.add((entry_id, number, on.year, seq, day, memo, source, source_id, None,
                          self.now(on)))
        per = period(on)
        for account_id, amount, contact_id, line_memo in kept:
            self.t_posting.add((self.ids.take("posting"), entry_id, account_id, day, amount,
                                contact_id, line_memo))
            self.periods[(account_id, per)] += amount
        self.entries += 1

    def money(self, low: int, high: int) -> int:
        """A random amount between low and high currency units, in minor units."""
        return self.rng.randint(low * self.unit, high * self.unit)

    def vat_of(self, net: int) -> int:
        return half_up(net * VAT_BP, 10_000)

    # -- master data ----------------------------------------------------------------------------
    def make_contacts(self) -> None:
        rng, n = self.rng, self.sizes.contacts
        created = stamp(self.sizes.start, 0)
        orgs_wanted = max(1, n // 7)
        org_names: set[str] = set()
        org_ids: list[int] = []
        tag_ids = []
        for name in TAGS:
            tag_id = self.ids.take("tag")
            self.t_tag.add((tag_id, name, name))
            tag_ids.append(tag_id)
        for i in range(n):
            cid = self.ids.take("contact")
            city = rng.choice(CITIES)
            if i < orgs_wanted:
                kind = "organization"
                name = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)} {rng.choice(ORG_C)}"
                if name in org_names:
                    name = f"{name} {i}"
                org_names.add(name)
                org_ids.append(cid)
                org = None
                supplier = i % 20 == 0
                customer = not supplier or i % 3 == 0
                lead = not customer and not supplier
                email = f"info{i}@{name.split()[0].lower()}-{name.split()[1].lower()}.example"
            else:
                kind = "person"
                first, last = rng.choice(FIRST), rng.choice(LAST)
                name = f"{first} {last}"
                org = rng.choice(org_ids) if rng.random() < 0.3 else None
                supplier = False
                customer = rng.random() < 0.7
                lead = not customer
                local = f"{fold(first)}.{fold(last)}"
                email = f"{local if local.isascii() else 'client'}{i}@mail.example"
            phone = f"+995 5{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
            terms = rng.choice((14, 45, 60)) if kind == "organization" and i % 5 == 0 else None
            self.t_contact.add((
                cid, kind, name, fold(name), org, customer, supplier, lead, email, "work",
                phone, "mobile", f"{rng.randint(1, 200)} Main Street", city,
                f"{rng.randint(100, 9999):04d}", "Georgia" if i % 4 else "Germany",
                f"{rng.randint(100_000_000, 999_999_999)}" if kind == "organization" else "",
                "", terms, False, created, created))
            if rng.random() < 0.1:
                self.t_contact_tag.add((cid, rng.choice(tag_ids)))
            self.names[cid] = name
            self.terms[cid] = terms
            if customer:
                self.customers.append(cid)
            if supplier:
                self.suppliers.append(cid)
        if not self.customers:
            self.customers = list(self.names)
        if not self.suppliers:
            self.suppliers = list(self.names)[:1]

    def make_products(self) -> None:
        rng, n = self.rng, self.sizes.products
        created = stamp(self.sizes.start, 1)
        services = max(1, n // 10)
        # Units of one product sold per day: about 0.31 sales per entry, 1.67 lines a sale,
        # 90 % of them goods, 3.67 units a line. Stock is bought for 20-60 days of sales.
        days = (self.sizes.end - self.sizes.start).days + 1
        self.daily_units = self.sizes.transactions / days * 1.71 / max(1, n - services)
        for i in range(n):
            pid = self.ids.take("product")
            service = i >= n - services
            if service:
                name = f"{SERVICES[i % len(SERVICES)]} {GRADES[i // len(SERVICES) % len(GRADES)]}"
                sku = f"SRV-{i:05d}"
                price = self.money(40, 400)
                cost = price * 6 // 10
            else:
                name = f"{GOODS[i % len(GOODS)]} {GRADES[i // len(GOODS) % len(GRADES)]}"
                sku = f"P-{i:05d}"
                price = self.money(2, 600)
                cost = price * rng.randint(50, 75) // 100
            reorder = 0 if service else max(2, round(self.daily_units * 7)) * 1000
            p = Product(pid, sku, name, service, price, cost, rng.choice(self.suppliers), reorder)
            self.products.append(p)
            self.t_product.add((pid, sku, name, "service" if service else "stock", "pcs",
                                price, cost * 10 ** (6 - self.digits), VAT_BP,
                                None if service else reorder, 0, 0, None, False, created,
                                created))

    # -- documents ------------------------------------------------------------------------------
    def line(self, product: Product, qty: int, price_minor: int, discount_bp: int
             ) -> tuple[int, int, int, int]:
        """(unit price in millionths, net, vat, gross) of a line, half-up as the services do."""
        unit_price = price_minor * 10 ** (6 - self.digits)
        net = half_up(qty * unit_price * (10_000 - discount_bp) * self.unit,
                      1000 * 10 ** 6 * 10_000)
        vat = self.vat_of(net)
        return unit_price, net, vat, net + vat

    def write_lines(self, order_id: int, lines: list[tuple[Product, int, int, int]],
                    invoice_id: int | None
                    ) -> tuple[int, int, list[tuple[int, Product, int, int]]]:
        """Order lines (and the invoice's copy); returns net, vat and
        [(line id, product, quantity, line net)]."""
        net = vat = 0
        written = []
        for pos, (p, qty, price, discount) in enumerate(lines, start=1):
            unit_price, ln_net, ln_vat, ln_gross = self.line(p, qty, price, discount)
            amounts = (p.name, p.service, "pcs", qty, unit_price, discount, VAT_BP, ln_net,
                       ln_vat, ln_gross)
            line_id = self.ids.take("order_line")
            self.t_order_line.add((line_id, order_id, pos, p.id, *amounts))
            if invoice_id is not None:
                self.t_invoice_line.add((self.ids.take("invoice_line"), invoice_id, pos, p.id,
                                         *amounts))
            net += ln_net
            vat += ln_vat
            written.append((line_id, p, qty, ln_net))
        return net, vat, written

    @staticmethod
    def order(kind: str, contact: int, on: dt.date, d: Delivered) -> tuple[Any, ...]:
        """The trade_order row, but for its status and updated_at (known when settled)."""
        return (d.order_id, kind, d.number, on.year, d.seq, contact, on.isoformat(), "", d.net,
                d.vat, d.net + d.vat, d.created, None)

    def open_doc(self, kind: str, order_row: tuple[Any, ...], d: Delivered) -> OpenDoc:
        """The invoice or bill of a delivered order, numbered now, written when settled."""
        contact, on = order_row[5], dt.date.fromisoformat(order_row[6])
        number, seq = self.number("INV" if kind == "invoice" else "BILL", on)
        terms = self.terms.get(contact)
        due = on + dt.timedelta(days=TERMS_DAYS if terms is None else terms)
        doc = OpenDoc(d.invoice_id, kind, number, on.year, seq, contact, self.names[contact],
                      d.order_id, on, due, d.net, d.vat, d.net + d.vat, 0, d.created, order_row)
        self.open_docs[d.invoice_id] = doc
        return doc

    def purchase(self, on: dt.date, first: Product, need: int) -> None:
        """A purchase order for `first` (and maybe other products of its supplier), received
        at once: stock in at the line cost, the bill posted."""
        rng = self.rng
        others = [p for p in rng.sample(self.products, min(3, len(self.products)))
                  if p is not first and not p.service and p.supplier == first.supplier]
        lines = []
        for p in [first, *others]:
            qty = max(20, round(self.daily_units * rng.randint(20, 60))) * 1000 + p.reorder
            if p is first:
                qty += need
            cost = max(1, p.cost * rng.randint(95, 105) // 100)
            lines.append((p, qty, cost, 0))
        d = self.deliver("purchase", on, lines)
        bill = self.open_doc("bill", self.order("purchase", first.supplier, on, d), d)
        self.post(on, f"Bill {bill.number} {bill.contact_name} ({d.number})", [
            (self.role["inventory"], d.net, None, bill.number),
            (self.role["vat_in"], d.vat, None, bill.number),
            (self.role["payable"], -bill.gross, bill.contact, bill.number)],
            "bill", bill.id)
        pay_on = on + dt.timedelta(days=rng.randint(20, 45))
        self.dues[pay_on].append((bill.id, bill.gross))
        self.counts["purchases"] += 1

    def deliver(self, kind: str, on: dt.date, lines: list[tuple[Product, int, int, int]]
                ) -> Delivered:
        """A numbered order with its lines (and the invoice's copy), shipped or received the
        same day: stock moves at average cost out, at line cost in."""
        order_id, invoice_id = self.ids.take("trade_order"), self.ids.take("invoice")
        number, seq = self.number("SO" if kind == "sale" else "PO", on)
        created = self.now(on)
        net, vat, written = self.write_lines(order_id, lines, invoice_id)
        shipment_id = self.ids.take("shipment")
        total = goods = 0
        for line_id, p, qty, ln_net in written:
            if p.service:
                continue
            goods += ln_net
            if kind == "sale":
                value = self.issue(p, on, qty, shipment_id, number, created)
            else:
                value = ln_net
                self.receive(p, on, qty, value, shipment_id, number, created)
            self.t_shipment_line.add((self.ids.take("shipment_line"), shipment_id, line_id,
                                      p.id, qty, value))
            total += value
        self.t_shipment.add((shipment_id, order_id, "shipment" if kind == "sale" else "receipt",
                             on.isoformat(), "posted", total, created))
        return Delivered(order_id, invoice_id, shipment_id, number, seq, created, net, vat,
                         goods, total)

    def receive(self, p: Product, on: dt.date, qty: int, value: int, shipment_id: int,
                memo: str, created: str) -> None:
        self.t_move.add((self.ids.take("stock_move"), p.id, on.isoformat(), qty, value,
                         "receipt", shipment_id, memo, created))
        p.on_hand += qty
        p.value += value
        p.avg = half_up(p.value * 10 ** (9 - self.digits), p.on_hand)

    def issue(self, p: Product, on: dt.date, qty: int, shipment_id: int, memo: str,
              created: str) -> int:
        cost = p.value if qty == p.on_hand else half_up(qty * p.value, p.on_hand)
        self.t_move.add((self.ids.take("stock_move"), p.id, on.isoformat(), -qty, -cost,
                         "shipment", shipment_id, memo, created))
        p.on_hand -= qty
        p.value -= cost
        if p.on_hand > 0:
            p.avg = half_up(p.value * 10 ** (9 - self.digits), p.on_hand)
        return cost

    def sale(self, on: dt.date) -> int:
        """A sales order shipped and invoiced the same day; returns the entries it posted."""
        rng = self.rng
        if rng.random() < 0.5:  # regulars buy half of the time
            customer = self.customers[int(rng.paretovariate(1.2)) % min(500, len(self.customers))]
        else:
            customer = rng.choice(self.customers)
        lines = []
        for p in rng.sample(self.products, rng.choice((1, 1, 1, 2, 2, 3))):
            qty = (1 if p.service else rng.choice((1, 1, 2, 3, 5, 10))) * 1000
            lines.append((p, qty, p.price, 500 if rng.random() < 0.1 else 0))
        entries = 1
        for p, qty, _price, _d in lines:
            if not p.service and p.on_hand - qty < p.reorder:
                self.purchase(on, p, qty)
                entries += 1
        d = self.deliver("sale", on, lines)
        name = self.names[customer]
        if d.value:
            self.post(on, f"Shipment {d.number} to {name}", [
                (self.role["cogs"], d.value, None, d.number),
                (self.role["inventory"], -d.value, None, d.number)], "shipment", d.shipment_id)
            entries += 1
        inv = self.open_doc("invoice", self.order("sale", customer, on, d), d)
        self.post(on, f"Invoice {inv.number} {name} ({d.number})", [
            (self.role["receivable"], inv.gross, customer, inv.number),
            (self.role["sales"], -d.goods, None, inv.number),
            (self.role["services"], -(d.net - d.goods), None, inv.number),
            (self.role["vat_out"], -d.vat, None, inv.number)], "invoice", inv.id)
        self.schedule_receipt(inv)
        self.counts["sales"] += 1
        return entries

    def schedule_receipt(self, inv: OpenDoc) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            return  # never paid: a bad debt for the aging report
        if roll < 0.63:
            delay = rng.randint(3, 30)
        elif roll < 0.93:
            delay = rng.randint(31, 75)
        else:
            delay = rng.randint(76, 150)
        if rng.random() < 0.08 and inv.gross > 2 * self.unit:  # paid in two instalments
            first = inv.gross // 2
            self.dues[inv.date + dt.timedelta(days=delay // 2)].append((inv.id, first))
            self.dues[inv.date + dt.timedelta(days=delay)].append((inv.id, inv.gross - first))
        else:
            self.dues[inv.date + dt.timedelta(days=delay)].append((inv.id, inv.gross))

    def payment(self, on: dt.date, doc: OpenDoc, amount: int) -> None:
        incoming = doc.kind == "invoice"
        pay_id = self.ids.take("payment")
        number, seq = self.number("PAY", on)
        account = self.role["cash"] if incoming and self.rng.random() < 0.1 else self.role["bank"]
        self.t_payment.add((pay_id, "in" if incoming else "out", number, on.year, seq,
                            doc.contact, on.isoformat(), account, amount, "", "posted",
                            self.now(on)))
        self.t_allocation.add((self.ids.take("payment_allocation"), pay_id, doc.id, amount))
        sign = 1 if incoming else -1
        other = self.role["receivable" if incoming else "payable"]
        memo = (f"Payment {number} from {doc.contact_name}" if incoming
                else f"Payment {number} to {doc.contact_name}")
        self.post(on, memo, [(account, sign * amount, None, number),
                             (other, -sign * amount, doc.contact, doc.number)],
                  "payment", pay_id)
        doc.paid += amount
        if doc.paid == doc.gross:
            self.write_doc(doc, on)
            del self.open_docs[doc.id]
        self.counts["payments"] += 1

    def write_doc(self, doc: OpenDoc, updated: dt.date) -> None:
        status = "open" if doc.paid < doc.gross else "paid"
        self.t_invoice.add((doc.id, doc.kind, doc.number, doc.year, doc.seq, doc.contact,
                            doc.order_id, doc.date.isoformat(), doc.due.isoformat(), status,
                            doc.net, doc.vat, doc.gross, doc.paid, doc.created))
        if status == "paid":
            order_status = "paid"
        else:
            order_status = "invoiced" if doc.kind == "invoice" else "received"
        self.t_order.add((*doc.order_row, order_status, self.now(updated)))

    def overhead(self, on: dt.date, code: str, memo: str, vat: bool, net: int) -> None:
        tax = self.vat_of(net) if vat else 0
        self.post(on, memo, [(self.accounts[code], net, None, ""),
                             (self.role["vat_in"], tax, None, ""),
                             (self.role["bank"], -(net + tax), None, "")])

    def fixed(self, units: int) -> int:
        """A fixed cost of a firm with 100,000 a month of sales, scaled to this one's sales."""
        return round(units * self.scale) * self.unit

    def balance(self, account_id: int) -> int:
        return sum(v for (a, _p), v in self.periods.items() if a == account_id)

    def month_end(self, on: dt.date) -> None:
        """Wages, depreciation and the cash taken to the bank, on the month's last day."""
        self.post(on, f"Wages {period(on)}", [
            (self.accounts["6100"], self.fixed(12_000), None, ""),
            (self.role["bank"], -self.fixed(12_000), None, "")])
        self.post(on, f"Depreciation {period(on)}", [
            (self.accounts["7000"], self.fixed(400), None, ""),
            (self.accounts["1510"], -self.fixed(400), None, "")])
        cash = self.balance(self.role["cash"])
        if cash > 0:
            self.post(on, f"Cash deposited {period(on)}", [
                (self.role["bank"], cash, None, ""), (self.role["cash"], -cash, None, "")])

    def vat_settlement(self, on: dt.date) -> None:
        out = -self.balance(self.role["vat_out"])
        vin = self.balance(self.role["vat_in"])
        if out or vin:
            self.post(on, f"VAT settlement {period(on)}", [
                (self.role["vat_out"], out, None, ""), (self.role["vat_in"], -vin, None, ""),
                (self.role["bank"], vin - out, None, "")])

    # -- the timeline ------------------------------------------------------------------------------
    def run(self) -> None:
        sizes, rng = self.sizes, self.rng
        target = sizes.transactions
        days = (sizes.end - sizes.start).days + 1
        start = sizes.start
        # About 0.31 sales per entry at about 1,700 net each: the month's sales, as a
        # multiple of 100,000, scales rent, wages and the other fixed costs.
        self.scale = max(0.05, target / days * 30 * 0.31 * 1700 / 100_000)
        self.post(start, "Opening balance: owner's investment", [
            (self.role["bank"], self.fixed(250_000), None, ""),
            (self.role["opening_equity"], -self.fixed(250_000), None, "")], "opening")
        if target > 1:
            self.overhead(start, "1500", "Shop fittings and van", True, self.fixed(60_000))
        weights = [w for *_x, w, _r in OCCASIONAL]
        budget = 0.0
        for i in range(days):
            if self.entries >= target:
                break
            on = start + dt.timedelta(days=i)
            budget += (target - self.entries) / (days - i)
            last_day = i == days - 1
            for doc_id, amount in self.dues.pop(on, ()):
                if self.entries >= target:
                    break
                doc = self.open_docs.get(doc_id)
                if doc is not None:
                    self.payment(on, doc, min(amount, doc.gross - doc.paid))
                    budget -= 1
            fixed = [m for m in MONTHLY if m[0] == on.day]
            for _day, code, memo, vat, amount in fixed:
                if self.entries < target:
                    self.overhead(on, code, f"{memo} {period(on)}", vat, self.fixed(amount))
                    budget -= 1
            if on.day == 20 and self.entries < target:
                self.vat_settlement(on)
                budget -= 1
            if (on + dt.timedelta(days=1)).day == 1 and self.entries + 3 <= target:
                self.month_end(on)
                budget -= 3
            while (budget >= 1 or last_day) and self.entries < target:
                left = target - self.entries
                if left >= 6 and rng.random() < 0.85:
                    budget -= self.sale(on)
                else:
                    code, memo, vat, _w, (low, high) = rng.choices(OCCASIONAL, weights)[0]
                    self.overhead(on, code, memo, vat, self.money(low, high))
                    budget -= 1

    def finish(self, started: float) -> None:
        """Write what was kept open, the product totals, counters and monthly totals."""
        last = self.sizes.end
        for doc in self.open_docs.values():
            self.write_doc(doc, last)
        self.counts["open"] = sum(1 for d in self.open_docs.values() if d.kind == "invoice")
        for t in self.tables:
            t.flush()
        conn = self.conn
        conn.exec_driver_sql(
            "UPDATE product SET on_hand = ?, stock_value = ?, avg_cost = ? WHERE id = ?",
            [(p.on_hand, p.value, p.avg, p.id) for p in self.products if not p.service])
        conn.exec_driver_sql(
            "INSERT INTO number_sequence (prefix, year, last) VALUES (?, ?, ?) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = excluded.last",
            [(prefix, year, last) for (prefix, year), last in self.sequences.items()])
        conn.exec_driver_sql(
            "INSERT INTO account_period (account_id, period, amount) VALUES (?, ?, ?) "
            "ON CONFLICT (account_id, period) DO UPDATE SET amount = "
            "account_period.amount + excluded.amount",
            [(a, p, v) for (a, p), v in self.periods.items()])
        from smallbiz.sql import on_sqlalchemy

        try:
            from smallbiz.crm.search import reindex_all
        except ImportError:  # the CRM search is not there yet: mirror migration 0002
            conn.exec_driver_sql(
                "INSERT INTO contact_fts (rowid, doc) SELECT c.id, c.name || ' ' || "
                "COALESCE(o.name, '') || ' ' || c.email || ' ' || c.phone FROM contact c "
                "LEFT JOIN contact o ON o.id = c.organization_id")
        else:
            reindex_all(on_sqlalchemy(conn))
        try:
            from smallbiz.orders.search import rebuild
        except ImportError:  # no invoice search index yet (before 0022)
            pass
        else:
            rebuild(on_sqlalchemy(conn))
        from smallbiz import audit
        from smallbiz.books.seal import seal_new_entries
        from smallbiz.sql import on_sqlalchemy

        seal_new_entries(on_sqlalchemy(conn))  # as every posting transaction does
        audit.record(on_sqlalchemy(conn), "import", "book", "bench",
                     f"bench/generate.py: {self.t_contact.count} contacts, "
                     f"{len(self.products)} products, {self.entries} entries, "
                     f"{self.t_posting.count} postings (seed {self.sizes.seed})")
        if not self.quiet:
            print(f"generate: rows written in {time.perf_counter() - started:.1f} s; "
                  "committing", file=sys.stderr)


def generate(out: Path, sizes: Sizes, *, force: bool = False, quiet: bool = False) -> Result:
    """Create a new book at `out` and fill it (refuses an existing file unless `force`)."""
    from smallbiz.book import init_book
    from smallbiz.db import Database

    started = time.perf_counter()
    if out.exists():
        if not force:
            raise SystemExit(f"generate: {out} exists (use --force to replace it)")
        for suffix in ("", "-wal", "-shm"):
            out.with_name(out.name + suffix).unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    db = Database(out)
    init_book(db, company=COMPANY, currency=CURRENCY, vat_rate=str(VAT_BP // 100))
    db.open()
    engine = db.engine.execution_options(smallbiz_write=True)
    with engine.connect() as conn:
        # Documents are written when their state is final (an invoice when paid), after
        # rows that point to them; so the foreign keys are switched off for the load
        # (outside the transaction, where SQLite allows it) and `smallbiz check` runs
        # PRAGMA foreign_key_check on the result.
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            # Secondary indexes are built once at the end (a sort), not row by row.
            indexes = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({', '.join(repr(t) for t in BULK_TABLES)})").all()
            for name, _sql in indexes:
                conn.exec_driver_sql(f"DROP INDEX {name}")
            # The triggers that keep the invoices' search index (0022) are off too: it is
            # rebuilt in one statement at the end (`Book.finish`), as the contacts' is.
            search_triggers = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'invoice\\_fts\\_%' ESCAPE '\\'").all()
            for name, _sql in search_triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            book = Book(conn, sizes, db.money_digits, quiet=quiet)
            book.make_contacts()
            book.make_products()
            book.run()
            book.finish(started)
            for _name, sql in [*indexes, *search_triggers]:
                conn.exec_driver_sql(sql)
        raw.execute("PRAGMA foreign_keys = ON")
    db.dispose()
    return Result(out, book.t_contact.count, len(book.products), book.entries,
                  book.t_posting.count, book.counts["sales"], book.counts["purchases"],
                  book.counts["payments"], book.counts["open"],
                  time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="the book to create (a new SQLite file)")
    ap.add_argument("--contacts", type=int, default=1000)
    ap.add_argument("--products", type=int, default=500)
    ap.add_argument("--transactions", type=int, default=10_000,
                    help="journal entries to post (documents, payments, overheads)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=None,
                    help="first day (default: 5 years before --end)")
    ap.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today(),
                    help="last day (default: today)")
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.contacts < 2 or args.products < 2 or args.transactions < 1:
        ap.error("need at least 2 contacts, 2 products and 1 transaction")
    start = args.start or args.end.replace(year=args.end.year - 5, day=1)
    result = generate(args.out, Sizes(args.contacts, args.products, args.transactions,
                                      args.seed, start, args.end),
                      force=args.force, quiet=args.quiet)
    if not args.quiet:
        print(f"{result.path}: {result.contacts} contacts, {result.products} products, "
              f"{result.entries} entries, {result.postings} postings ({result.sales} sales, "
              f"{result.purchases} purchases, {result.payments} payments, "
              f"{result.open_invoices} open invoices) in {result.seconds:.1f} s")


if __name__ == "__main__":
    main()
