"""Files that cannot be imported: exit 1, a message with the place, nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import content_hash

GOOD_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good@example.ge\r\nEND:VCARD\r\n"
BAD = {
    "latin1.csv": ("name,email\nJos\xe9 Garc\xeda,jose@example.es\n".encode("latin-1"),
                   "latin1.csv: line 2: not UTF-8 text (byte 0xE9)"),
    "cp1251.vcf": (("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nEND:VCARD\r\n")
                   .encode("cp1251"), "cp1251.vcf: line 3: not UTF-8 text"),
    "broken.vcf": ((GOOD_CARD + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n"
                    "THIS LINE HAS NO COLON\r\nEND:VCARD\r\n").encode(),
                   "card 2 (line 6): broken card: line 9: not a property (no ':'): "
                   "THIS LINE HAS NO COLON"),
    "unfinished.vcf": ((GOOD_CARD + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cut off\r\n").encode(),
                       "card 2 (line 6): no END:VCARD"),
    "nocards.vcf": (b"just some text\n", "line 1: text outside a card"),
    "noname.csv": (b"full_name,email\nA B,a@b.ge\n",
                   "noname.csv: line 1: required column 'name' is missing"),
    "empty.csv": (b"", "no header row"),
    "twice.csv": (b"name,company,organization\nA,B,C\n", "both mean organization"),
    "badrow.csv": (b"name,email\nGood,good@example.ge\nBad,bad@\n",
                   "line 3: email: 'bad@' is not an email address"),
    "quote.csv": (b'name,email\n"Unclosed,a@b.ge\n', "line 2"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_refused_and_nothing_written(cli, book_path, tmp_path, name):
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    cli("contact", "add", "Existing Person")
    before = content_hash(book_path)
    r = cli("import", "contacts", str(path))
    assert r.exit_code == 1, r.stdout
    assert r.stderr.startswith("error: ") and message in r.stderr, r.stderr
    assert content_hash(book_path) == before


def test_unknown_format_and_missing_file(cli, tmp_path):
    r = cli("import", "contacts", str(tmp_path / "contacts.txt"))
    assert r.exit_code == 1 and "--format csv|vcard" in r.stderr
    r = cli("import", "contacts", str(tmp_path / "missing.csv"))
    assert r.exit_code == 1 and "cannot read it" in r.stderr
    r = cli("export", "contacts", str(tmp_path / "no" / "such" / "dir.csv"))
    assert r.exit_code == 1 and "does not exist" in r.stderr
    r = cli("export", "contacts", str(tmp_path / "x.vcf"), "--vcard-version", "2.1")
    assert r.exit_code == 1 and "not 3.0 or 4.0" in r.stderr


def test_utf16_with_bom_is_read(cli, tmp_path):
    path = tmp_path / "outlook.csv"
    path.write_bytes("name,email\nნინო ბერიძე,nino@example.ge\n".encode("utf-16"))
    r = cli("import", "contacts", str(path), "--json")
    assert r.exit_code == 0 and r.json()["created"] == 1, r.stderr
