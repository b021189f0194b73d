"""Which configuration file applies: the nearest ``.shiftcheck.yaml`` / ``.shiftcheck.yml`` or
``pyproject.toml`` with a ``[tool.shiftcheck]`` table, walking up from the working directory."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from shiftcheck.config.schema import CONFIG_NAMES


def discover(cwd: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``.shiftcheck.yaml``/``.yml`` or ``pyproject.toml`` with ``[tool.shiftcheck]``,
    walking up from ``cwd`` to the filesystem root. In one folder the YAML file wins."""
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = folder / name
            if p.is_file():
                return p
        p = folder / "pyproject.toml"
        if p.is_file() and _has_tool_table(p):
            return p
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "[tool.shiftcheck" in _safe_read(path)
    tool = doc.get("tool")
    return isinstance(tool, dict) and "shiftcheck" in tool


def _safe_read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
