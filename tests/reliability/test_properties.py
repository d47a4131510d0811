"""Properties over random input, with hypothesis:

- any text typed as an amount or quantity is either a number the book can store (at most
  the currency's decimals, below a trillion) or a ValidationError naming the field;
- any posting line the journal reader's string-method path reads, it reads exactly as the
  regular-expression path does;
- any text (journal-like fragments mixed with garbage, control characters and bytes that
  are not UTF-8) given to `import journal` either imports or fails with `line N:` naming a
  line of the file; never another exception, and a failure writes nothing;
- random sequences of operations through the TUI's `Book` services (contacts, products,
  stock, sales with every step, partial shipments and invoices, direct invoices and bills,
  credit notes with and without returns, quotes accepted into orders, payments,
  cancellations, journal entries and reversals): every `check` invariant holds after
  every step, and a refused step writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from smallbiz.app.book import Book, JournalLine
from smallbiz.check import run_checks
from smallbiz.db import Database
from smallbiz.errors import UserError, ValidationError
from smallbiz.io.journal_import import import_journal
from smallbiz.money import parse_amount, parse_quantity
from tests import engine
from tests.conftest import content_hash, make_runner, new_location
from tests.engine import Location
from tests.reliability.conftest import build_shop, copy_book

NUMBERISH = st.text(alphabet="0123456789.,-+ eE٣²１NaInfity\x00\t", max_size=30)


NOISE = st.text(alphabet="ab1;-. \t:GEL٣", max_size=4)
#: Posting lines: an account, a gap, a sign, a number, a commodity and a memo, each usual or
#: odd, with noise in between.
POSTING_LINES = st.lists(st.one_of(
    st.tuples(st.sampled_from(["assets:1010 Bank", "Ex", "a b", "*", "! x", "(x)", "[y]",
                               "a;b", "x\u00a0y"]),
              st.sampled_from(["  ", " ", "\t", "   ", ""]),
              st.sampled_from(["", "-", "+", "--"]),
              st.sampled_from(["5", "12.5", "0.005", "1234567890123", "12345678901", "٣",
                               "²", "5.", ".5", "1,000", ""]),
              st.sampled_from(["", " GEL", "GEL", "  GEL", " USD", " gel", " GEL X"]),
              st.sampled_from(["", "  ; memo ", " ;x", ";", "  ;  a ; b"]),
              ).map("".join),
    NOISE), min_size=1, max_size=3)


@settings(max_examples=1500, deadline=None)
@given(parts=POSTING_LINES, digits=st.sampled_from([0, 2, 3]))
def test_the_fast_posting_reader_agrees_with_the_regular_one(parts: list[str],
                                                            digits: int) -> None:
    from smallbiz.io.journal_parse import JournalParser

    body = "".join(parts).strip()
    if not body or body[0] == ";":
        return  # not a posting line (the parser skips these before)
    parser = JournalParser("f", currency="GEL", digits=digits, lock_date=None)
    fast = parser.plain_posting(body)
    if fast is None:
        return
    assert (*fast, None, None) == parser.usual_posting(1, body)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(NUMBERISH, st.text(max_size=40)), digits=st.sampled_from([0, 2, 3]))
def test_any_amount_text_parses_or_names_the_field(text: str, digits: int) -> None:
    try:
        value = parse_amount(text, digits, field="--amount")
    except ValidationError as exc:
        assert exc.message.startswith("--amount: ")
        return
    assert abs(value) < Decimal(10) ** 12
    assert value.as_tuple().exponent == -digits


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(NUMBERISH, st.text(max_size=40)))
def test_any_quantity_text_parses_or_names_the_field(text: str) -> None:
    try:
        value = parse_quantity(text, field="quantity")
    except ValidationError as exc:
        assert exc.message.startswith("quantity: ")
        return
    assert abs(value) < Decimal(10) ** 12 and value.as_tuple().exponent == -3


# -- import journal of random text --------------------------------------------------------

FRAGMENTS = ["2026-03-01", "2026/03/02", "2026-02-30", "2026-13-01", "1999-1-1", " * ", " ! ",
             "(X1)", "(", " Sale ", " ; note", "\n", "\n", "\n", "\n    ", "\n\t", "  ",
             "assets:1010 Bank account", "income:4000 Sales of goods", "equity:3000",
             "expenses:Fees", "assets", "liabilities:Loans", "cash", "  5.00 GEL",
             "  -5.00 GEL", "  GEL 12", "  1,500", "  1,234.56 GEL", "  3 USD", "  @ 2 GEL",
             "  = 5", "  0", "  99999999999999999999", " 1.234 ", "~ monthly", "= expr",
             "include x", "account a", "P 2026-01-01 USD 2 GEL", "[assets:1010]",
             "(assets:1010)", "; comment", "# comment", "\x00", "\x1b[31m", "\ufeff", "ნინო",
             "\u202e", "\r\n", "  ;  posting memo"]
BYTES = [b"\xff", b"\xc3", b"\xe9", b"\x80\x80"]


@st.composite
def journal_bytes(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)),
                          max_size=60))
    data = "".join(parts).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BYTES)) + data[at:]
    return data


@pytest.fixture(scope="module")
def journal_book(tmp_path_factory: pytest.TempPathFactory, templates) -> Database:
    path = copy_book(templates["plain"], tmp_path_factory.mktemp("hypo") / "book.db")
    db = Database(path).open()
    yield db
    db.dispose()


class _Undo(Exception):
    """Raised to roll a transaction back."""


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=journal_bytes())
def test_import_of_random_text_imports_or_names_the_line(journal_book: Database,
                                                         data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.journal"
        path.write_bytes(data)
        lines = data.count(b"\n") + 1
        try:
            with journal_book.transaction() as s:  # rolled back: each example starts afresh
                result = import_journal(s, path)
                raise _Undo
        except _Undo:
            pass
        except UserError as exc:
            m = re.match(rf"{re.escape(str(path))}: line (\d+): ", exc.message)
            assert m, exc.message
            assert 1 <= int(m.group(1)) <= lines
            return
        # every line that starts with a digit is a transaction header: all were imported
        headers = re.findall(rb"^\d", data.removeprefix(b"\xef\xbb\xbf"), re.M)
        assert result.entries == len(headers)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=journal_bytes())
def test_import_of_random_text_through_the_cli(shop_path: Path, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.journal"
        path.write_bytes(data)
        before = content_hash(shop_path)
        r = make_runner(shop_path)("import", "journal", str(path))  # re-raises exceptions
        if r.exit_code == 0:
            return
        assert r.exit_code == 1 and r.stderr.startswith(f"error: {path}: line ")
        assert content_hash(shop_path) == before


# -- random operations through the TUI's services -----------------------------------------

NAMES = ["Kartuli Foods LLC", "Nino Beridze", "Batumi Supply", "Giorgi", "გიორგი ბერიძე"]
SKUS = ["TOOL-01", "NAIL-01", "SVC-01", "NEW-1"]
QTYS = ["1", "2.5", "0.333", "40", "100001"]


class BookMachine(RuleBasedStateMachine):
    """The shop's book driven through `smallbiz.app.book.Book`, as the TUI drives it."""

    template: Location | None = None

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        path = copy_book(self.template, Path(self.folder.name) / "book.db")
        self.db = Database(path).open()
        self.book = Book(self.db)
        self.path = path
        self.day = dt.date(2026, 3, 1)
        self.orders: list[str] = []
        self.invoices: list[str] = []
        self.payments: list[str] = []
        self.entries: list[str] = []
        self.notes: list[str] = []
        self.quotes: list[str] = []

    def teardown(self) -> None:
        self.db.dispose()
        engine.discard(self.path)
        self.folder.cleanup()

    def attempt(self, action) -> object:
        """Do one step; a refused one (UserError) must have written nothing."""
        before = content_hash(self.path)
        try:
            return action()
        except UserError:
            assert content_hash(self.path) == before
            return None

    @rule()
    def next_day(self) -> None:
        self.day += dt.timedelta(days=1)

    @rule(name=st.sampled_from(NAMES), org=st.booleans())
    def add_contact(self, name: str, org: bool) -> None:
        self.attempt(lambda: self.book.add_contact(name, kind="organization" if org else
                                                   "person", roles=["customer"]))

    @rule(sku=st.sampled_from(SKUS), price=st.sampled_from(["5", "0.33", "1234.5", "abc"]))
    def add_product(self, sku: str, price: str) -> None:
        self.attempt(lambda: self.book.add_product(sku, f"Product {sku}", price=price,
                                                   cost="2"))

    @rule(sku=st.sampled_from(SKUS), qty=st.sampled_from(["5", "-3", "0.5", "-200000"]))
    def adjust_stock(self, sku: str, qty: str) -> None:
        self.attempt(lambda: self.book.adjust_stock(sku, qty, cost=None if qty[0] == "-"
                                                    else "3", on=self.day.isoformat()))

    @rule(customer=st.sampled_from(NAMES), sku=st.sampled_from(SKUS),
          qty=st.sampled_from(QTYS), steps=st.sampled_from([0, 1, 2, 3, 3, 3]),
          paid=st.sampled_from([None, "0.01", "1", "20"]),
          credit=st.sampled_from([None, None, "0.5", "all"]), back=st.booleans())
    def sale(self, customer: str, sku: str, qty: str, steps: int, paid: str | None,
             credit: str | None, back: bool) -> None:
        line = self.attempt(lambda: self.book.line_preview("sale", sku, qty))
        if line is None:
            return
        order = self.attempt(lambda: self.book.save_order("sale", customer, [line],
                                                          on=self.day.isoformat()))
        if order is None:
            return
        self.orders.append(order.number)
        for action in ("confirm", "ship", "invoice")[:steps]:
            result = self.attempt(lambda a=action: self.book.order_action(
                "sale", a, order.number, on=None if a == "confirm" else self.day))
            if result is None:
                break
            if action == "invoice":
                self.invoices.append(result.reference)
                if paid is not None:
                    self.pay_invoice(result.reference, paid)
                if credit is not None:
                    self.credit_invoice(result.reference, None if credit == "all" else credit,
                                        back)

    def pay_invoice(self, invoice: str, amount: str) -> None:
        pay = self.attempt(lambda: self.book.record_payment(invoice, amount,
                                                            on=self.day.isoformat()))
        if pay is not None:
            self.payments.append(pay.number)

    @precondition(lambda self: self.invoices)
    @rule(i=st.integers(0, 9), amount=st.sampled_from(["1", "0.01", "50", "100000"]))
    def pay(self, i: int, amount: str) -> None:
        self.pay_invoice(self.invoices[i % len(self.invoices)], amount)

    @precondition(lambda self: self.payments)
    @rule(i=st.integers(0, 9))
    def cancel_payment(self, i: int) -> None:
        number = self.payments[i % len(self.payments)]
        self.attempt(lambda: self.book.cancel_payment(number, on=self.day))

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 9))
    def cancel_order(self, i: int) -> None:
        number = self.orders[i % len(self.orders)]
        self.attempt(lambda: self.book.order_action("sale", "cancel", number, on=self.day))

    @precondition(lambda self: self.orders)
    @rule(i=st.integers(0, 9), qty=st.sampled_from(["1", "0.5", "3", "100001"]),
          then_invoice=st.booleans(), everything=st.booleans())
    def ship_part(self, i: int, qty: str, then_invoice: bool, everything: bool) -> None:
        number = self.orders[i % len(self.orders)]
        self.attempt(lambda: self.book.ship(number, lines={1: Decimal(qty)}, on=self.day))
        if then_invoice:
            result = self.attempt(lambda: self.book.invoice_sale(
                number, everything=everything, on=self.day))
            if result is not None:
                self.invoices.append(result.reference)

    @rule(kind=st.sampled_from(["invoice", "bill"]),
          contact=st.sampled_from(["Kartuli Foods LLC", "Batumi Supply", "Nobody"]),
          what=st.sampled_from(["SVC-01", "Rent", "TOOL-01"]),
          price=st.sampled_from([None, Decimal("0.33"), Decimal("118.00")]),
          account=st.sampled_from([None, "6200", "4900", "9999"]))
    def direct(self, kind: str, contact: str, what: str, price: Decimal | None,
               account: str | None) -> None:
        from smallbiz.orders.direct import DirectLine

        doc = self.attempt(lambda: self.book.issue_direct(
            kind, contact, [DirectLine(what, Decimal("1.5"), price, account=account)],
            on=self.day))
        if doc is not None and kind == "invoice":
            self.invoices.append(doc.number)

    @precondition(lambda self: self.invoices)
    @rule(i=st.integers(0, 9), qty=st.sampled_from([None, "1", "0.25", "1000"]),
          back=st.booleans())
    def credit(self, i: int, qty: str | None, back: bool) -> None:
        self.credit_invoice(self.invoices[i % len(self.invoices)], qty, back)

    def credit_invoice(self, number: str, qty: str | None, back: bool) -> None:
        note = self.attempt(lambda: self.book.credit(
            number, lines=None if qty is None else {1: Decimal(qty)}, with_return=back,
            on=self.day))
        if note is not None:
            self.notes.append(note.number)

    @precondition(lambda self: self.notes)
    @rule(i=st.integers(0, 9))
    def cancel_credit(self, i: int) -> None:
        number = self.notes[i % len(self.notes)]
        self.attempt(lambda: self.book.cancel_credit(number, on=self.day))

    @rule(customer=st.sampled_from(NAMES), sku=st.sampled_from(SKUS),
          qty=st.sampled_from(QTYS), action=st.sampled_from(["accept", "decline", "send",
                                                             "cancel", None]))
    def quote(self, customer: str, sku: str, qty: str, action: str | None) -> None:
        from smallbiz.orders.lines import LineInput

        q = self.attempt(lambda: self.book.create_quote(
            customer, [LineInput(sku, Decimal(qty))], on=self.day))
        if q is None:
            return
        self.quotes.append(q.number)
        if action is not None:
            r = self.attempt(lambda: self.book.quote_action(action, q.number, on=self.day))
            if r is not None and action == "accept":
                self.orders.append(r.reference)
                self.attempt(lambda: self.book.order_action("sale", "confirm", r.reference))

    @rule(amount=st.sampled_from(["10", "0.01", "123.45"]),
          account=st.sampled_from(["6000", "6800", "4000", "9999"]))
    def journal_entry(self, amount: str, account: str) -> None:
        entry = self.attempt(lambda: self.book.post_journal_entry(self.day, "random", [
            JournalLine(account, debit=Decimal(amount)),
            JournalLine("1010", credit=Decimal(amount))]))
        if entry is not None:
            self.entries.append(entry.number)

    @precondition(lambda self: self.entries)
    @rule(i=st.integers(0, 9))
    def reverse(self, i: int) -> None:
        number = self.entries[i % len(self.entries)]
        self.attempt(lambda: self.book.reverse_entry(number, self.day))

    @invariant()
    def every_check_holds(self) -> None:
        assert run_checks(self.db) == []


@pytest.fixture(scope="module")
def machine_template(tmp_path_factory: pytest.TempPathFactory) -> Location:
    path = new_location(tmp_path_factory.mktemp("machine") / "shop.db")
    build_shop(path)
    return path


def test_random_operations_through_the_tui_services_keep_every_invariant(machine_template):
    BookMachine.template = machine_template
    run = settings(max_examples=18, stateful_step_count=30, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])(BookMachine).TestCase
    run("runTest").runTest()
