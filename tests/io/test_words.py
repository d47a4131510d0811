"""Amounts in words: Georgian (vigesimal) and English, checked number by number."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from smallbiz.io.words import amount_in_words, english_number, georgian_number


@pytest.mark.parametrize("n, words", [
    (0, "ნული"), (1, "ერთი"), (8, "რვა"), (10, "ათი"), (11, "თერთმეტი"), (19, "ცხრამეტი"),
    (20, "ოცი"), (21, "ოცდაერთი"), (30, "ოცდაათი"), (37, "ოცდაჩვიდმეტი"), (40, "ორმოცი"),
    (45, "ორმოცდახუთი"), (50, "ორმოცდაათი"), (60, "სამოცი"), (77, "სამოცდაჩვიდმეტი"),
    (80, "ოთხმოცი"), (90, "ოთხმოცდაათი"), (99, "ოთხმოცდაცხრამეტი"), (100, "ასი"),
    (101, "ას ერთი"), (120, "ას ოცი"), (200, "ორასი"), (365, "სამას სამოცდახუთი"),
    (800, "რვაასი"), (888, "რვაას ოთხმოცდარვა"), (900, "ცხრაასი"), (1000, "ათასი"),
    (1001, "ათას ერთი"), (1500, "ათას ხუთასი"), (1990, "ათას ცხრაას ოთხმოცდაათი"),
    (2000, "ორი ათასი"), (2026, "ორი ათას ოცდაექვსი"), (20000, "ოცი ათასი"),
    (20500, "ოცი ათას ხუთასი"), (100000, "ასი ათასი"), (999999,
     "ცხრაას ოთხმოცდაცხრამეტი ათას ცხრაას ოთხმოცდაცხრამეტი"),
    (1000000, "ერთი მილიონი"), (1000001, "ერთი მილიონ ერთი"), (2000000, "ორი მილიონი"),
    (1234567, "ერთი მილიონ ორას ოცდათოთხმეტი ათას ხუთას სამოცდაშვიდი"),
    (3000000000, "სამი მილიარდი"),
])
def test_georgian_numbers(n, words):
    assert georgian_number(n) == words


@pytest.mark.parametrize("n, words", [
    (0, "zero"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
    (115, "one hundred fifteen"), (1001, "one thousand one"),
    (1234567, "one million two hundred thirty-four thousand five hundred sixty-seven"),
])
def test_english_numbers(n, words):
    assert english_number(n) == words


def test_amounts_in_words():
    assert (amount_in_words(D("1234.56"), "GEL", 2, "ka")
            == "ათას ორას ოცდათოთხმეტი ლარი და 56 თეთრი")
    assert (amount_in_words(D("1234.56"), "GEL", 2, "en")
            == "One thousand two hundred thirty-four lari and 56 tetri")
    assert amount_in_words(D("0.05"), "GEL", 2, "ka") == "ნული ლარი და 05 თეთრი"
    assert amount_in_words(D("21"), "USD", 2, "ka") == "ოცდაერთი აშშ დოლარი და 00 ცენტი"
    assert amount_in_words(D("-3.10"), "EUR", 2, "en") == "Minus three euro and 10 cents"
