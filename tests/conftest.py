"""Shared pytest options and fixtures (keep small and generic)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def pytest_configure(config: pytest.Config) -> None:
    # keep the rubric cache (on by default) out of the user's own cache folder; CLI subprocesses
    # inherit this too
    if "SHIFTCHECK_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["SHIFTCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="shiftcheck-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the files in tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden(name, text)``: compare ``text`` with ``tests/golden/<name>`` (exact bytes, UTF-8).

    With ``pytest --update-golden`` the file is (re)written instead.
    """
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(
                f"golden file tests/golden/{name} is missing; run pytest --update-golden to create it"
            )
        expected = path.read_bytes().decode("utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"golden/{name}",
                    tofile="actual",
                    n=2,
                )
            )
            if len(diff) > 6000:
                diff = diff[:6000] + "\n... (diff truncated)\n"
            pytest.fail(
                f"output differs from tests/golden/{name} (run pytest --update-golden if intended):\n{diff}"
            )

    return check
