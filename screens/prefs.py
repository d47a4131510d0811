"""What the app remembers between runs for this user (not the book): the theme, the
language. A small JSON file in the user's config folder (`$SMALLBIZ_CONFIG_DIR` overrides
it); a missing or damaged file is the defaults, never an error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV_VAR = "SMALLBIZ_CONFIG_DIR"


def prefs_path() -> Path:
    folder = os.environ.get(ENV_VAR)
    if not folder:
        import platformdirs

        folder = platformdirs.user_config_dir("smallbiz", appauthor=False)
    return Path(folder) / "tui.json"


def load() -> dict[str, Any]:
    try:
        data = json.loads(prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(key: str, value: Any) -> None:
    """Store one preference; a folder we cannot write is no reason to stop the app."""
    data = load()
    if data.get(key) == value:
        return
    data[key] = value
    path = prefs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
