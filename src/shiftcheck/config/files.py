"""Reading one configuration file, YAML or ``pyproject.toml``, with the line of every key.

A :class:`Located` is the file's data plus ``line_for(data path) -> line``, so that every error
and every source can name ``file:line``. YAML goes through :mod:`shiftcheck.yamlsafe` (bounded,
with lines); TOML through ``tomllib`` and a best-effort scan of the ``[tool.shiftcheck]`` lines.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from shiftcheck.config.schema import ConfigError
from shiftcheck.yamlsafe import load_yaml, read_yaml_text

LineFor = Callable[[tuple], int | None]


class Located:
    """One configuration file's data with a way to find the line of a key."""

    def __init__(self, data: dict, display: str, label: str, line_for: LineFor) -> None:
        self.data = data
        #: name used in error messages (``.shiftcheck.yaml``)
        self.display = display
        #: prefix used in sources (``.shiftcheck.yaml`` or ``SHIFTCHECK_CONFIG=/x.yaml``)
        self.label = label
        self.line_for = line_for

    @property
    def is_toml(self) -> bool:
        return self.label.endswith("[tool.shiftcheck]")


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory unless far above it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("../../..") else str(path)


def load_file(path: Path, label: str | None) -> Located:
    """Read a configuration file (``label``: the source prefix, default its displayed path)."""
    display = display_path(path)
    if path.name == "pyproject.toml":
        loc = _read_pyproject(path, display)
        if loc is None:
            if not path.is_file():
                raise ConfigError(
                    display, [f"{display}: configuration file not found. Check the path"]
                )
            raise ConfigError(display, [f"{display}: has no [tool.shiftcheck] table"])
        if label:
            loc.label = label
        return loc
    return _read_yaml(path, display, label or display)


def _read_yaml(path: Path, display: str, label: str) -> Located:
    try:
        text = read_yaml_text(path, display, error=ConfigError)
    except FileNotFoundError:
        raise ConfigError(
            display, [f"{display}: configuration file not found. Check the path"]
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            display, [f"{display}: cannot read configuration ({e.__class__.__name__})"]
        ) from None
    data, lines = load_yaml(text, display, error=ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            display,
            [
                f"{display}:1: the configuration must be a YAML mapping of keys (see 'shiftcheck init')"
            ],
        )
    return Located(data, display, label, lines.line_for)


def _read_pyproject(path: Path, display: str) -> Located | None:
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError):
        return None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(display, [f"{display}: invalid TOML ({e})"]) from None
    table = doc.get("tool", {}).get("shiftcheck") if isinstance(doc.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(display, [f"{display}: [tool.shiftcheck] must be a table"])
    key_lines = _toml_key_lines(text)

    def line_for(loc: tuple) -> int | None:
        for n in range(len(loc), 0, -1):
            if loc[:n] in key_lines:
                return key_lines[loc[:n]]
        return key_lines.get(())

    return Located(table, display, f"{display} [tool.shiftcheck]", line_for)


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _toml_key_lines(text: str) -> dict[tuple, int]:
    """Lines of keys under ``[tool.shiftcheck]`` (a best effort for error messages)."""
    out: dict[tuple, int] = {}
    table: tuple | None = None
    arrays: dict[tuple, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        m = _TOML_HEADER.match(raw)
        if m:
            parts = tuple(p.strip().strip("\"'") for p in m.group(2).split("."))
            if parts[:2] == ("tool", "shiftcheck"):
                table = parts[2:]
                if m.group(1) == "[[":
                    idx = arrays.get(table, -1) + 1
                    arrays[table] = idx
                    table = (*table, idx)
                out.setdefault(table, n)
            else:
                table = None
            continue
        if table is None:
            continue
        k = _TOML_KEY.match(raw)
        if k:
            parts = tuple(p.strip().strip("\"'") for p in k.group(1).split("."))
            out.setdefault((*table, *parts), n)
    return out
