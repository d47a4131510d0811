"""Amounts in words, as invoices write the total: Georgian and English.

Georgian counts in twenties (vigesimal) up to a hundred: 20 ოცი, 40 ორმოცი ("two
twenties"), 60 სამოცი, 80 ოთხმოცი; the numbers between add 1-19 with და ("and"):
37 = ოცდაჩვიდმეტი (20 + 17), 99 = ოთხმოცდაცხრამეტი (80 + 19). Hundreds are ასი,
ორასი, ..., ცხრაასი; thousands ათასი, millions მილიონი, billions მილიარდი. A word
loses its final ი when more follows: 120 = ას ოცი, 1500 = ათას ხუთასი, 2 000 001 =
ორი მილიონ ერთი. One thousand is just ათასი (not ერთი ათასი); one million is
ერთი მილიონი. After a numeral a noun stays singular: ორი ლარი.
"""

from __future__ import annotations

from decimal import Decimal

_KA_UNITS = ("", "ერთი", "ორი", "სამი", "ოთხი", "ხუთი", "ექვსი", "შვიდი", "რვა", "ცხრა",
             "ათი", "თერთმეტი", "თორმეტი", "ცამეტი", "თოთხმეტი", "თხუთმეტი", "თექვსმეტი",
             "ჩვიდმეტი", "თვრამეტი", "ცხრამეტი")
_KA_TWENTIES = ("", "ოცი", "ორმოცი", "სამოცი", "ოთხმოცი")  # 20, 40, 60, 80
_KA_HUNDREDS = ("", "ასი", "ორასი", "სამასი", "ოთხასი", "ხუთასი", "ექვსასი", "შვიდასი",
                "რვაასი", "ცხრაასი")
_KA_SCALES = ((10**9, "მილიარდი"), (10**6, "მილიონი"), (10**3, "ათასი"))


def _stem(word: str) -> str:
    """The form a number word takes when more follows: ასი -> ას, ოცი -> ოც.
    (რვა, ცხრა end in ა and keep it.)"""
    return word[:-1] if word.endswith("ი") else word


def _ka_below_100(n: int) -> str:
    if n < 20:
        return _KA_UNITS[n]
    twenty, rest = divmod(n, 20)
    if rest == 0:
        return _KA_TWENTIES[twenty]
    return _stem(_KA_TWENTIES[twenty]) + "და" + _KA_UNITS[rest]


def _ka_below_1000(n: int) -> str:
    hundred, rest = divmod(n, 100)
    if hundred == 0:
        return _ka_below_100(rest)
    if rest == 0:
        return _KA_HUNDREDS[hundred]
    return _stem(_KA_HUNDREDS[hundred]) + " " + _ka_below_100(rest)


def georgian_number(n: int) -> str:
    """A whole number (0 ... 999 999 999 999) in Georgian words."""
    if n < 0:
        return "მინუს " + georgian_number(-n)
    if n == 0:
        return "ნული"
    if n >= 10**12:
        raise ValueError(f"{n} is too large to write in words")
    parts: list[str] = []
    for scale, word in _KA_SCALES:
        count, n = divmod(n, scale)
        if count:
            parts.append(word if count == 1 and scale == 1000
                         else _ka_below_1000(count) + " " + word)
    if n:
        parts.append(_ka_below_1000(n))
    # every part but the last loses its final ი (ათასი ხუთასი -> ათას ხუთასი)
    last = parts.pop()
    return " ".join([_stem(p) for p in parts] + [last])


_EN_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety")
_EN_SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _en_below_1000(n: int) -> str:
    hundred, rest = divmod(n, 100)
    words = [f"{_EN_UNITS[hundred]} hundred"] if hundred else []
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else ""))
    elif rest:
        words.append(_EN_UNITS[rest])
    return " ".join(words)


def english_number(n: int) -> str:
    """A whole number (0 ... 999 999 999 999) in English words (no "and")."""
    if n < 0:
        return "minus " + english_number(-n)
    if n == 0:
        return "zero"
    if n >= 10**12:
        raise ValueError(f"{n} is too large to write in words")
    parts = []
    for scale, word in _EN_SCALES:
        count, n = divmod(n, scale)
        if count:
            parts.append(f"{_en_below_1000(count)} {word}")
    if n:
        parts.append(_en_below_1000(n))
    return " ".join(parts)


#: Currency -> (Georgian main unit, Georgian minor unit, English main, English minor).
_CURRENCIES = {
    "GEL": ("ლარი", "თეთრი", "lari", "tetri"),
    "USD": ("აშშ დოლარი", "ცენტი", "US dollars", "cents"),
    "EUR": ("ევრო", "ცენტი", "euro", "cents"),
    "GBP": ("გირვანქა სტერლინგი", "პენსი", "pounds sterling", "pence"),
}


def amount_in_words(amount: Decimal, currency: str, digits: int, language: str) -> str:
    """`1234.56 GEL` as `ათას ორას ოცდათოთხმეტი ლარი და 56 თეთრი` (ka) or `One thousand
    two hundred thirty-four lari and 56 tetri` (en): the whole units in words, the minor
    units in figures, as invoices write them."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    minor = int((amount - whole) * (10 ** digits)) if digits else 0
    ka_main, ka_minor, en_main, en_minor = _CURRENCIES.get(
        currency, (currency, "", currency, ""))
    if language == "ka":
        text = f"{georgian_number(whole)} {ka_main}"
        if digits:
            text += f" და {minor:0{digits}d} {ka_minor or '/ ' + str(10 ** digits)}"
        return ("მინუს " if sign else "") + text
    text = f"{english_number(whole)} {en_main}"
    if digits:
        text += f" and {minor:0{digits}d} {en_minor or '/ ' + str(10 ** digits)}"
    text = ("minus " if sign else "") + text
    return text[0].upper() + text[1:]
