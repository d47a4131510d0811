"""`smallbiz deal edit`: title, value, close date, stage and probability of a deal, through
the real CLI, with one audit row per edit and nothing written on a refusal."""

from __future__ import annotations

from tests import engine
from tests.conftest import content_hash


def _deal(cli):
    r = cli("contact", "add", "Gela Beridze", "--customer")
    assert r.exit_code == 0, r.stderr
    r = cli("deal", "add", "Gela", "Olive oil", "--value", "500", "--stage", "proposal",
            "--close", "2027-01-10", "--json")
    assert r.exit_code == 0, r.stderr
    return r.json()


def test_edit_value_title_close_and_stage(cli, book_path):
    d = _deal(cli)
    r = cli("deal", "edit", "Olive oil", "--value", "750.50", "--title", "Olive oil, 40 tins",
            "--close", "2027-02-01", "--json")
    assert r.exit_code == 0, r.stderr
    e = r.json()
    assert (e["id"], e["title"], e["value"], e["expected_close"], e["stage"],
            e["probability"], e["weighted"]) == (
        d["id"], "Olive oil, 40 tins", "750.50", "2027-02-01", "proposal", "50.00", "375.25")
    # a new stage takes its default probability; the close date can be cleared
    e = cli("deal", "edit", str(d["id"]), "--stage", "negotiation", "--close", "",
            "--json").json()
    assert (e["stage"], e["probability"], e["expected_close"]) == ("negotiation", "75.00",
                                                                  None)
    e = cli("deal", "edit", "Olive", "--probability", "60", "--json").json()
    assert (e["stage"], e["probability"], e["weighted"]) == ("negotiation", "60.00", "450.30")
    # the human form prints the id, like add and move
    r = cli("deal", "edit", "Olive", "--stage", "won")
    assert r.exit_code == 0 and r.stdout.strip() == str(d["id"])
    listed = cli("deal", "list", "--json").json()
    assert [(x["title"], x["stage"], x["value"], x["probability"]) for x in listed] == [
        ("Olive oil, 40 tins", "won", "750.50", "100.00")]
    audit = engine.rows(book_path, "SELECT action, summary FROM audit_log WHERE entity = ? "
                                   "ORDER BY id", ("deal",))
    assert [a for a, _s in audit] == ["create", "edit", "edit", "edit", "edit"]
    assert "value: 500.00 -> 750.50" in audit[1][1] and "close: 2027-01-10 -> 2027-02-01" \
        in audit[1][1]
    assert "stage: negotiation -> won" in audit[4][1]
    assert cli("check").exit_code == 0


def test_an_edit_that_changes_nothing_writes_nothing(cli, book_path):
    _deal(cli)
    before = content_hash(book_path)
    assert cli("deal", "edit", "Olive oil", "--value", "500").exit_code == 0
    assert content_hash(book_path) == before


def test_refusals_write_nothing(cli, book_path):
    _deal(cli)
    before = content_hash(book_path)
    for args, message in [
        (("--value", "-1"), "must not be negative"),
        (("--value", "1.234"), "more than 2 decimals"),
        (("--title", "  "), "must not be empty"),
        (("--close", "soon"), "close"),
        (("--stage", "maybe"), "stage"),
        (("--stage", "won", "--probability", "50"), "a won deal is 100%"),
    ]:
        r = cli("deal", "edit", "Olive oil", *args)
        assert r.exit_code == 1, (args, r.stdout)
        assert r.stderr.startswith("error: ") and message in r.stderr, (args, r.stderr)
    r = cli("deal", "edit", "Nothing", "--value", "1")
    assert r.exit_code == 1 and "no deal matches 'Nothing'" in r.stderr
    assert content_hash(book_path) == before
