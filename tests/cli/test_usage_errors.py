"""click's usage errors (typer's own copy of click says them in English only) in the
language in force: `--lang ka` or LANG=ka_GE.UTF-8 gives the usage line, the `Try ... for
help.` hint and the error itself in Georgian, with click's exit code 2; English stays word
for word what click says."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from smallbiz.cli.helptext import REASONS, USAGE_ERRORS, USAGE_FRAME
from smallbiz.i18n import _, set_language

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _shell(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "smallbiz", *args], capture_output=True,
                          text=True, env={**env, "LANG": lang, "COLUMNS": "100"})


def _english_words(text: str, allowed: set[str]) -> set[str]:
    """Latin words outside quotes and braces ('--limit', {name}: what the user typed or will
    type: names of options, arguments and commands)."""
    unquoted = re.sub(r"'[^']*'|\{[^}]*\}|--?[\w-]+|smallbiz", " ", text)
    return set(LATIN_WORD.findall(unquoted)) - allowed


#: Real mistakes and what click says of each in English (the last line of stderr).
MISTAKES = [
    (["contact", "list", "--x"], "Error: No such option: --x"),
    (["contact", "list", "--lmit", "3"],
     "Error: No such option: --lmit (Possible options: --limit)"),
    (["contact", "add"], "Error: Missing argument 'name'."),
    (["journal", "add"], "Error: Missing option '--date'."),
    (["contact", "list", "--limit", "abc"],
     "Error: Invalid value for '--limit': Input should be a valid integer, unable to parse "
     "string as an integer"),
    (["contact", "list", "--limit", "99999999999"],
     "Error: Invalid value for '--limit': Input should be less than or equal to 1000000000"),
    (["contact", "show", "a", "b"], "Error: Got unexpected extra argument(s) (b)"),
    (["contact", "list", "--limit"], "Error: Option '--limit' requires an argument."),
    (["--json=1", "contact", "list"], "Error: Option '--json' does not take a value."),
    (["contact", "lis"], "Error: No such command 'lis'. Did you mean 'list'?"),
    (["nosuch"], "Error: No such command 'nosuch'."),
]


@pytest.mark.parametrize(("args", "english"), MISTAKES)
def test_a_usage_error_is_said_in_georgian_and_english(cli, args, english) -> None:
    en = cli(*args)
    assert en.exit_code == 2
    assert en.stderr.rstrip("\n").splitlines()[-1] == english

    ka = cli("--lang", "ka", *args)
    assert ka.exit_code == 2 and ka.stdout == ""
    *frame, error = ka.stderr.rstrip("\n").splitlines()
    assert error.startswith("შეცდომა: ")
    assert not _english_words(error, set()), error
    if frame:  # the usage line and the hint, as click frames them
        assert frame[0].startswith("გამოყენება: ")  # `smallbiz` (`root` in CliRunner)
        assert re.fullmatch(r"დახმარება: '\w+[a-z ]* -h'\.", frame[1]), frame[1]
        assert frame[2] == ""
        assert not _english_words("\n".join(frame), {"root", *args}), frame


def test_the_georgian_words_of_each_mistake(tmp_path) -> None:
    """What a Georgian user reads, word for word, for the commonest mistakes."""
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _shell("--db", str(tmp_path / "b.db"), *args, lang="C")

    r = cli("--lang", "ka", "contact", "list", "--x")
    assert r.stderr == ("გამოყენება: smallbiz contact list [პარამეტრები]\n"
                        "დახმარება: 'smallbiz contact list -h'.\n\n"
                        "შეცდომა: ასეთი პარამეტრი არ არსებობს: --x\n")
    assert cli("--lang", "ka", "contact", "add").stderr.endswith(
        "შეცდომა: აკლია არგუმენტი 'name'.\n")
    assert cli("--lang", "ka", "contact", "list", "--limit", "abc").stderr.endswith(
        "შეცდომა: არასწორი მნიშვნელობა, '--limit': უნდა იყოს მთელი რიცხვი\n")
    assert cli("--lang", "ka", "contact", "lis").stderr.endswith(
        "შეცდომა: ასეთი ბრძანება არ არსებობს: 'lis'. იქნებ გულისხმობდით 'list'?\n")


def test_english_is_what_click_says(tmp_path) -> None:
    r = _shell("--db", str(tmp_path / "b.db"), "contact", "list", "--x", lang="C")
    assert r.stderr == ("Usage: smallbiz contact list [OPTIONS]\n"
                        "Try 'smallbiz contact list -h' for help.\n\n"
                        "Error: No such option: --x\n")


@pytest.mark.parametrize("lang", ["ka_GE.UTF-8", "en_US.UTF-8"])
def test_the_environment_chooses_the_language_of_usage_errors(tmp_path, lang) -> None:
    book = str(tmp_path / "b.db")
    r = _shell("--db", book, "contact", "list", "--bogus", lang=lang)
    assert r.returncode == 2 and r.stdout == ""
    if lang.startswith("ka"):
        assert r.stderr.endswith("შეცდომა: ასეთი პარამეტრი არ არსებობს: --bogus\n")
        assert "დახმარება: 'smallbiz contact list -h'." in r.stderr
        assert "Usage" not in r.stderr and "Try" not in r.stderr
    else:
        assert r.stderr.endswith("Error: No such option: --bogus\n")
    # `--lang` wins over the environment
    r = _shell("--db", book, "--lang", "en", "contact", "add", lang="ka_GE.UTF-8")
    assert r.returncode == 2 and r.stderr.endswith("Error: Missing argument 'name'.\n")


def test_a_group_without_its_command_still_shows_its_help(cli) -> None:
    r = cli("--lang", "ka", "contact")
    assert r.exit_code == 2
    assert "ბრძანებები:" in r.stdout + r.stderr


def test_every_form_has_its_georgian_words_and_fields() -> None:
    set_language("ka")
    for msgid in (*USAGE_ERRORS, *REASONS, *USAGE_FRAME):
        said = _(msgid)
        assert said != msgid, msgid
        assert set(re.findall(r"\{(\w+)\}", said)) == set(re.findall(r"\{(\w+)\}", msgid))
