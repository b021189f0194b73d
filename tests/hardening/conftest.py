"""Hostile-input tests: a private cache folder (the DOCX/PDF builders are imported from
``tests.readers``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Never touch the user's real cache folder."""
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
