"""What gets installed: one top-level package, smallbiz, in the wheel and in the checkout.

The checkout keeps the terminal app in screens/ and the shipped files in data/; the wheel
installs them as smallbiz/screens and smallbiz/data (pyproject.toml, `sources`), and the
links smallbiz/screens and smallbiz/data give the checkout (an editable install) the same
shape. The wheel is built by hatchling's PEP 517 hook, the one `pip install .` calls
(about 0.5 s; `pip wheel .` costs 2-9 s more, for its isolated build environment).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("screens", "data")  # checkout folder -> smallbiz/<folder> when installed


def _checkout_files(folder: str) -> set[str]:
    """The files of a checkout folder, as the wheel should hold them under smallbiz/."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(ROOT / folder):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if not name.endswith(".pyc"):
                rel = (Path(dirpath) / name).relative_to(ROOT).as_posix()
                out.add(f"smallbiz/{rel}")
    return out


def _build(hook: str, directory: Path) -> Path:
    """Run one of hatchling's PEP 517 hooks on the checkout, as pip does."""
    code = f"import sys, hatchling.build as b; print(b.{hook}(sys.argv[1]))"
    out = subprocess.run([sys.executable, "-c", code, str(directory)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120)
    return directory / out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("build_wheel", tmp_path_factory.mktemp("wheel"))


def test_the_wheel_installs_smallbiz_only_with_the_app_and_data_inside(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = wheel.name.split("-py")[0] + ".dist-info"
    assert {n.split("/")[0] for n in names} == {"smallbiz", dist_info}
    assert len(names) == len(set(names)), "a file is in the wheel twice"
    for folder in SHIPPED:
        expected = _checkout_files(folder)
        assert {n for n in names if n.startswith(f"smallbiz/{folder}/")} == expected
    assert {"smallbiz/screens/app.tcss", "smallbiz/data/charts/default.csv",
            "smallbiz/data/fonts/DejaVuSans.ttf", "smallbiz/data/fonts/DejaVuSans-Bold.ttf",
            "smallbiz/migrations/env.py",
            "smallbiz/data/locale/ka/LC_MESSAGES/smallbiz.mo",  # the compiled catalogs
            "smallbiz/data/locale/en/LC_MESSAGES/smallbiz.mo"} <= set(names)


#: Python on the unpacked wheel (PYTHONPATH), with the checkout taken off sys.path (the
#: editable install of the test run puts it there).
_OFF_THE_CHECKOUT = ("import sys\n"
                     "checkout = sys.argv.pop(1)\n"
                     "sys.path = [p for p in sys.path if p != checkout]\n")
_FROM_THE_WHEEL = _OFF_THE_CHECKOUT + """
import importlib.util
from pathlib import Path
import smallbiz, smallbiz.screens.app as app
from smallbiz.books.accounts import available_charts
from smallbiz.io.invoice_pdf import FONTS_DIR
assert Path(smallbiz.__file__).parent == Path(sys.argv[1]) / 'smallbiz', smallbiz.__file__
assert Path(app.__file__).parent == Path(sys.argv[1]) / 'smallbiz' / 'screens', app.__file__
assert app.SmallBizApp.CSS_PATH.is_file()
assert (FONTS_DIR / 'DejaVuSans.ttf').is_file() and (FONTS_DIR / 'DejaVuSans-Bold.ttf').is_file()
assert available_charts() == ['default', 'ge'], available_charts()
assert importlib.util.find_spec('screens') is None and importlib.util.find_spec('data') is None
print('ok')
"""


def test_the_installed_wheel_finds_its_app_and_data(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", _FROM_THE_WHEEL, str(ROOT), str(site)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
    # A new book loads the chart template and runs the migrations, from the wheel.
    init = _OFF_THE_CHECKOUT + "from smallbiz.cli.main import main\nmain()\n"
    args = ["--db", str(tmp_path / "b.db"), "init", "--company", "Wheel Co", "--currency", "GEL",
            "--vat-rate", "18"]
    made = subprocess.run([sys.executable, "-c", init, str(ROOT), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 and "with 35 accounts" in made.stdout, made.stderr
    # The Georgian catalog, from the wheel.
    made = subprocess.run([sys.executable, "-c", init, str(ROOT), "--lang", "ka", "--help"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 and made.stdout.startswith("გამოყენება:"), made.stderr


def test_the_editable_install_is_the_checkout_on_the_path(tmp_path: Path) -> None:
    """`pip install -e .` puts the checkout on sys.path and copies nothing."""
    editable = _build("build_editable", tmp_path)
    archive = zipfile.ZipFile(editable)
    names = [n for n in archive.namelist() if ".dist-info/" not in n]
    assert names == ["_smallbiz.pth"]
    assert Path(archive.read("_smallbiz.pth").decode().strip()) == ROOT


def test_the_checkout_has_the_installed_shape() -> None:
    """smallbiz/screens and smallbiz/data are links to the top-level folders (on Windows,
    check out with `git config core.symlinks true`)."""
    import smallbiz.screens
    from smallbiz.datafiles import data_path

    for folder in SHIPPED:
        link = ROOT / "smallbiz" / folder
        assert link.is_symlink() and link.resolve() == ROOT / folder, link
    assert Path(smallbiz.screens.__file__).resolve() == ROOT / "screens" / "__init__.py"
    assert data_path("fonts").resolve() == ROOT / "data" / "fonts"


def test_nothing_imports_the_top_level_folders() -> None:
    """Installed, only smallbiz.screens exists (lint-imports checks smallbiz/ as well)."""
    offenders = []
    for folder in ("smallbiz", "screens", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                         else [])
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names
                              if name.split(".")[0] in SHIPPED]
    assert offenders == []
