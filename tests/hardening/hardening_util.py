"""Helpers for the hostile-input tests (``from .hardening_util import ...``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from shiftcheck.document import Document
from shiftcheck.errors import InputError


def one_line(e: InputError) -> str:
    line = e.line()
    assert "\n" not in line and line.strip(), repr(line)
    assert "Traceback" not in line
    return line


def outcome(
    fn: Callable[[], Document], limit: float = 20.0
) -> tuple[Document | None, InputError | None, float]:
    """Run a read: (document, None, seconds) or (None, one-line InputError, seconds); any other
    exception fails the test."""
    t = time.perf_counter()
    try:
        doc = fn()
        err = None
    except InputError as e:
        one_line(e)
        doc, err = None, e
    took = time.perf_counter() - t
    assert took < limit, f"took {took:.1f} s"
    return doc, err, took
