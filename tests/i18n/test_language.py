"""Which language is in force: --lang, then the book's setting, then the environment."""

from __future__ import annotations

from smallbiz.i18n import _, choose_language, env_language, language, normalize_language


def test_the_order_of_choice() -> None:
    env = {"LANG": "ka_GE.UTF-8"}
    assert choose_language("en", "ka", env) == "en"
    assert choose_language(None, "en", env) == "en"
    assert choose_language(None, None, env) == "ka"
    assert choose_language(None, "", {}) == "en"
    assert env_language({"LC_ALL": "", "LC_MESSAGES": "ka_GE", "LANG": "en_US"}) == "ka"
    assert env_language({"LC_ALL": "C", "LANG": "ka_GE"}) is None  # C: POSIX, English
    assert normalize_language("ka_GE.UTF-8@latin") == "ka"
    assert normalize_language("fr_FR") is None


def test_the_book_setting_chooses_the_language_of_messages(cli) -> None:
    assert cli("settings", "lang", "ka").exit_code == 0
    r = cli("contact", "show", "999")
    assert r.exit_code == 1 and "error" not in r.stderr and GEORGIAN(r.stderr), r.stderr
    r = cli("--lang", "en", "contact", "show", "999")
    assert r.stderr.startswith("error: "), r.stderr
    bad = cli("settings", "lang", "fr")
    assert bad.exit_code == 1


def test_a_run_after_another_starts_from_the_environment(cli) -> None:
    cli("--lang", "ka", "contact", "list")
    cli("--lang", "en", "contact", "list")
    assert language() == "en" and _("Options") == "Options"


def GEORGIAN(text: str) -> bool:
    return any("\u10d0" <= ch <= "\u10ff" for ch in text)
