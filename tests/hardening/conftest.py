"""Hostile-input tests: tests/readers (DOCX/PDF builders) on sys.path, a private cache folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

READERS_TESTS = Path(__file__).resolve().parents[1] / "readers"
if str(READERS_TESTS) not in sys.path:
    sys.path.insert(0, str(READERS_TESTS))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's real cache folder."""
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
