"""The README's test command is the one CI runs (a line of `.ci/run`, before the speed
guard)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_runs_the_tests_as_ci_does() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Run the tests", 1)[1]
    command = section.split("```\n", 2)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert command in ci
    assert ci[-1] == ".venv/bin/python bench/guard.py"  # the speed guard, after the tests
    assert ci.index(command) < len(ci) - 1
    assert "--engine=postgresql" in command  # both engines, one after the other
