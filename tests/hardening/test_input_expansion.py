"""Input expansion: symlinked folders followed once by resolved path (folders and globs), and
every folder or file that cannot be read is one error line, exit 2, the rest still reviewed.

Before: a quoted glob ``"loop/**/*.md"`` over a symlink loop hung (``glob.glob`` follows
symlinks with no memory of where it has been), and a folder walk skipped an unreadable subfolder
in silence (``os.walk`` drops errors): exit 0 with its documents never reviewed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shiftcheck.batch import expand_inputs

from ..clirun import run_main as run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "01-strong-state-led-nutrition.md"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX symlinks"
)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _doc(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, path)


def _loop(root: Path) -> None:
    """loop/sub/a.md, loop/sub/up -> loop, loop/sub/again -> loop/sub: two cycles."""
    _doc(root / "loop" / "sub" / "a.md")
    os.symlink("..", root / "loop" / "sub" / "up")
    os.symlink("../sub", root / "loop" / "sub" / "again")


@needs_symlinks
def test_glob_over_a_symlink_loop_finishes_with_each_document_once(here):
    _loop(here)
    assert expand_inputs(["loop/**/*.md"]) == ["loop/sub/a.md"]
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "shiftcheck",
            "review",
            "loop/**/*.md",
            "--summary",
            "--timeout",
            "5",
        ],
        cwd=here,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("a.md") == 1


@needs_symlinks
def test_folder_walk_follows_a_symlinked_folder_once(here):
    _loop(here)
    _doc(here / "elsewhere" / "b.md")
    os.symlink("../elsewhere", here / "loop" / "linked")
    assert expand_inputs(["loop"]) == ["loop/linked/b.md", "loop/sub/a.md"]
    # the same folder reached twice (through the link and by name) is reviewed once
    assert expand_inputs(["loop", "elsewhere"]) == ["loop/linked/b.md", "loop/sub/a.md"]


@needs_symlinks
def test_glob_matches_like_glob_glob_without_the_loop(here):
    for name in ("a/x.md", "a/b/y.md", "a/.hidden/z.md", "a/b/.w.md", "c.md", "a/b/n.pdf"):
        _doc(here / name)
    assert expand_inputs(["a/**/*.md"]) == ["a/b/y.md", "a/x.md"]
    assert expand_inputs(["*.md"]) == ["c.md"]
    assert expand_inputs(["a/*/*"]) == ["a/b/n.pdf", "a/b/y.md"]
    assert expand_inputs(["**/n.pdf"]) == ["a/b/n.pdf"]
    assert expand_inputs([str(here / "a" / "*.md")]) == [str(here / "a" / "x.md")]


def _refuse_listing(monkeypatch, *names: str) -> None:
    """Simulate folders that cannot be listed (chmod 000 does not stop root)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.path.normpath(os.fspath(path))) in names:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("arg", ["docs", "docs/**/*.md"])
def test_an_unreadable_subfolder_is_one_line_and_exit_2_the_rest_reviewed(
    here, capsys, monkeypatch, arg
):
    _doc(here / "docs" / "a.md")
    _doc(here / "docs" / "secret" / "b.md")
    _doc(here / "docs" / "z" / "c.md")
    _refuse_listing(monkeypatch, "secret")
    code, out, err = run(capsys, "review", arg, "--summary")
    assert code == 2
    assert err.strip().splitlines() == [
        "docs/secret: is a folder that cannot be opened (permission denied); the documents in it were not reviewed. "
        "Check the folder's permissions"
    ]
    assert "docs/a.md" in out and "docs/z/c.md" in out


def test_an_unreadable_file_in_a_folder_is_one_line_and_exit_2(here, capsys, monkeypatch):
    import shiftcheck.readers as readers

    _doc(here / "docs" / "a.md")
    _doc(here / "docs" / "locked.md")
    real = readers.detect_format

    def detect(path):
        if os.path.basename(path) == "locked.md":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(readers, "detect_format", detect)
    code, out, err = run(capsys, "review", "docs", "--summary")
    assert code == 2
    assert err.strip().splitlines() == [
        "docs/locked.md: cannot be opened (permission denied). Check the file's permissions"
    ]
    assert "docs/a.md" in out


@pytest.mark.skipif(
    AS_ROOT or sys.platform == "win32", reason="root reads any folder; simulated above"
)
def test_a_real_unreadable_subfolder(here, capsys):
    _doc(here / "docs" / "a.md")
    _doc(here / "docs" / "secret" / "b.md")
    (here / "docs" / "secret").chmod(0)
    try:
        code, out, err = run(capsys, "review", "docs", "--summary")
    finally:
        (here / "docs" / "secret").chmod(0o755)
    assert code == 2
    assert err.strip().splitlines() == [
        "docs/secret: is a folder that cannot be opened (permission denied); the documents in it were not reviewed. "
        "Check the folder's permissions"
    ]
    assert "docs/a.md" in out
