"""Georgian in Latin letters: the national romanization system (2002).

`romanize("ნინო ბერიძე")` is `"nino beridze"`. The search key drops the apostrophes of
the ejectives (კ k', პ p', ტ t', ყ q', წ ts', ჭ ch') as people do when they type a
Georgian name in Latin letters, and is case-folded, so `beridze` finds `ბერიძე` and
`ნინო` (romanized to `nino`) finds `Nino`. Other scripts pass through case-folded.
"""

from __future__ import annotations

import unicodedata

#: Mkhedruli (and Mtavruli capitals, U+1C90..) -> national romanization, without the
#: ejectives' apostrophes.
_MKHEDRULI = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
    # letters out of modern use, as the system writes them
    "ჱ": "e", "ჲ": "i", "ჳ": "u", "ჴ": "kh", "ჵ": "o", "ჶ": "f", "ჷ": "", "ჸ": "", "ჹ": "",
    "ჺ": "",
}
_TABLE: dict[int, str] = {ord(k): v for k, v in _MKHEDRULI.items()}
# apostrophes (of the ejectives' full romanization, of O'Brien) are left out of the key
_TABLE.update({ord("'"): "", ord("\u2019"): "", ord("\u02bc"): ""})
# Mtavruli (capitals, Unicode 11) map to the same letters: U+1C90 + (letter - U+10D0).
_TABLE.update({0x1C90 + (ord(k) - 0x10D0): v for k, v in _MKHEDRULI.items()
               if 0x10D0 <= ord(k) <= 0x10FA})


def romanize(text: str) -> str:
    """`text` as its search key: NFC, Georgian letters romanized, apostrophes left out,
    case-folded, single spaces."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.translate(_TABLE).casefold().split())
