"""Tax IDs and IBANs: Georgian ones checked by their shape, other countries' through
python-stdnum where it knows the country, free text elsewhere.

Georgia (საქართველო): a legal entity's identification code (საიდენტიფიკაციო კოდი) has 9
digits, a person's personal number (პირადი ნომერი) 11; an individual entrepreneur's
tax ID is the personal number, so an organization may have either.
"""

from __future__ import annotations

from smallbiz.errors import ValidationError
from smallbiz.i18n import _

#: Country names people write, to ISO 3166 codes (two-letter codes pass as they are).
_COUNTRIES = {
    "georgia": "ge", "საქართველო": "ge", "sakartvelo": "ge",
    "germany": "de", "deutschland": "de", "გერმანია": "de",
    "turkey": "tr", "türkiye": "tr", "turkiye": "tr", "თურქეთი": "tr",
    "azerbaijan": "az", "აზერბაიჯანი": "az", "armenia": "am", "სომხეთი": "am",
    "ukraine": "ua", "უკრაინა": "ua", "united kingdom": "gb", "uk": "gb",
    "great britain": "gb", "usa": "us", "united states": "us", "აშშ": "us",
    "france": "fr", "italy": "it", "spain": "es", "netherlands": "nl", "poland": "pl",
    "austria": "at", "belgium": "be", "bulgaria": "bg", "czechia": "cz", "estonia": "ee",
    "lithuania": "lt", "latvia": "lv", "romania": "ro", "sweden": "se", "switzerland": "ch",
    "china": "cn", "russia": "ru", "რუსეთი": "ru", "kazakhstan": "kz",
}


def country_code(country: str) -> str:
    """The ISO code of a country as written on a contact ("" when not known)."""
    c = " ".join(country.split()).casefold()
    if len(c) == 2 and c.isalpha() and c.isascii():
        return c
    return _COUNTRIES.get(c, "")


def is_georgian(country: str) -> bool:
    return country_code(country) == "ge"


def clean_tax_id(value: str, country: str, *, organization: bool = True,
                 field: str = "tax_id") -> str:
    """The tax ID as stored: Georgian ones 9 (legal entity) or 11 (personal number)
    digits, other countries' validated by python-stdnum where it has them (compact
    form), free text otherwise. Raises ValidationError naming `field`."""
    text = " ".join(value.split())
    if not text:
        return ""
    cc = country_code(country)
    if cc == "ge":
        digits = text.replace(" ", "").replace("-", "")
        ok = digits.isdigit() and digits.isascii() and (
            len(digits) in (9, 11) if organization else len(digits) == 11)
        if not ok:
            what = (_("9 digits for a legal entity (საიდენტიფიკაციო კოდი) or 11 digits for "
                      "an individual entrepreneur's personal number") if organization else
                    _("11 digits (პირადი ნომერი, the personal number)"))
            raise ValidationError(_("{field}: '{value}' is not a Georgian tax ID: expected "
                                    "{what}").format(field=field, value=text, what=what),
                                  field=field)
        return digits
    if not cc:
        return text
    return _stdnum_checked(text, cc, field)


def _stdnum_checked(text: str, cc: str, field: str) -> str:
    from stdnum import get_cc_module
    from stdnum.exceptions import ValidationError as StdnumError

    modules = [m for m in (get_cc_module(cc, "vat"), get_cc_module(cc, "tin")) if m]
    if not modules:
        return text
    for m in modules:
        try:
            return str(m.validate(text))
        except StdnumError:
            continue
    names = " / ".join(str(getattr(m, "__doc__", "") or "").split("\n")[0].rstrip(".")
                       for m in modules)
    raise ValidationError(_("{field}: '{value}' is not a valid tax ID for {country} "
                            "({names})").format(field=field, value=text, country=cc.upper(),
                                                names=names), field=field)


def clean_iban(value: str, *, field: str = "iban") -> str:
    """An IBAN in its compact form (GE29NB0000000101904917); checksum verified."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        return str(iban.validate(value))
    except StdnumError:
        raise ValidationError(_("{field}: '{value}' is not a valid IBAN").format(
            field=field, value=" ".join(value.split())), field=field) from None


def format_iban(value: str) -> str:
    """An IBAN in groups of four, as printed."""
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
