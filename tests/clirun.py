"""Running the command line for the tests: in a child process, the way a user does
(:func:`run_cli`), or in the test's own process, to reach its monkeypatches (:func:`run_main`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: variables of the test runner's environment that would change what the command does
DROPPED = ("GITHUB_ACTIONS", "SHIFTCHECK_CONFIG")


def run_cli(
    args: list[str],
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    text: bool = True,
) -> subprocess.CompletedProcess:
    """``python -m shiftcheck ARGS`` in ``cwd``: UTF-8 output without colour, no GitHub Actions
    or config variable from outside; ``env`` adds or overrides variables. ``timeout``: the command
    must finish (a hang fails the test instead of stalling the suite); ``text=False`` keeps the
    output as bytes."""
    e = {k: v for k, v in os.environ.items() if k not in DROPPED}
    e.update({"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "shiftcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=text,
        env=e,
        timeout=timeout,
    )


def run_main(capsys: Any, *args: str) -> tuple[int, str, str]:
    """``shiftcheck ARGS`` through ``shiftcheck.cli.main`` in this process: ``(exit code, stdout,
    stderr)`` as captured by pytest's ``capsys``."""
    from shiftcheck.cli import main

    with pytest.raises(SystemExit) as e:
        main(list(args))
    out, err = capsys.readouterr()
    return int(e.value.code or 0), out, err
