"""`contact show` (with its address-book details and what other parts add) and `journal
show` (with an entry's status, code and comments) say their headings in Georgian."""

from __future__ import annotations

import re
from pathlib import Path

LATIN = re.compile(r"[A-Za-z]{3,}")


def test_contact_show_in_georgian(cli, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "name,title,department,birthday,street,city,address_label,addresses,nickname,website\n"
        'Nino Beridze,ბუღალტერი,ფინანსები,1980-12-01,რუსთაველი 1,თბილისი,work,"[{""label"":'
        '""home"",""street"":""ვაჟა 2"",""city"":""თბილისი"",""region"":"""",""postcode"":'
        '"""",""country"":""GE""}]",ნინი,ნინო.გე\n', encoding="utf-8")
    assert cli("import", "contacts", str(path)).exit_code == 0
    out = cli("--lang", "ka", "contact", "show", "Nino").stdout
    for line in ("თანამდებობა        ბუღალტერი", "განყოფილება        ფინანსები",
                 "დაბადების დღე      01.12.1980", "მეტსახელი          ნინი",
                 "ვებგვერდი          ნინო.გე", "მისამართი (სახლი)  ვაჟა 2, თბილისი, GE",
                 "სულ დებიტორული დავალიანება: 0,00", "კრედიტი მომწოდებელთან: 0,00"):
        assert line in out, out
    headings = "\n".join(line for line in out.splitlines()[1:])
    assert set(LATIN.findall(headings)) == set(), out
    english = cli("contact", "show", "Nino").stdout
    assert "Address (home)" in english and "Birthday" in english and "1980-12-01" in english


def test_journal_show_in_georgian(cli, tmp_path: Path) -> None:
    path = tmp_path / "j.journal"
    path.write_text("account 6000  ; type: X\naccount 1010  ; type: A\n"
                    "2026-11-05 * (C1) ქირა  ; წინასწარ\n    6000  1234.5 GEL  ; ოფისი\n"
                    "    1010  -1234.5 GEL\n", encoding="utf-8")
    assert cli("import", "journal", str(path)).exit_code == 0
    out = cli("--lang", "ka", "journal", "show", "JE-2026-0001").stdout
    assert out.splitlines()[0] == "JE-2026-0001  05.11.2026  ქირა  [შეჯერებული]  (კოდი C1)"
    assert "ანგარიში ┃ სახელი ┃   დებეტი ┃  კრედიტი ┃ სტატუსი ┃ კომენტარი" in out, out
    assert "1\xa0234,50" in out and "ოფისი" in out
    assert not LATIN.findall(out.replace("JE-", "")), out
    english = cli("journal", "show", "JE-2026-0001").stdout
    assert english.splitlines()[0] == "JE-2026-0001  2026-11-05  ქირა  [cleared]  (code C1)"
    assert "Status" in english and "Comment" in english and "1,234.50" in english
