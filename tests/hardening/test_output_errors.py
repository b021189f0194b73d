"""Writing the report fails: one line naming the file and what happened, exit 2, never "internal
error". Before: ``-o /dev/full`` gave "shiftcheck: internal error (OSError: [Errno 28] No space
left on device). Please report it".
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ..clirun import run_main as run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "01-strong-state-led-nutrition.md"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
has_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
#: a real read-only folder (root writes anywhere: the permission error is also simulated)
unless_root = pytest.mark.skipif(
    AS_ROOT or sys.platform == "win32", reason="root writes anywhere; simulated above"
)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, tmp_path / "p.md")
    return tmp_path


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "internal error" not in lines[0] and "Traceback" not in err
    return lines[0]


@has_dev_full
@pytest.mark.parametrize(
    "command", [["review", "p.md"], ["review", "p.md", "-f", "json"], ["diff", "p.md", "p.md"]]
)
def test_o_dev_full(here, capsys, command):
    code, _, err = run(capsys, *command, "-o", "/dev/full")
    assert code == 2
    assert (
        one_line(err)
        == "/dev/full: the disk is full; nothing was written. Free some space or write the report elsewhere"
    )


@has_dev_full
def test_stdout_on_a_full_disk(here):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "shiftcheck", "review", "p.md", "-f", "markdown"],
            cwd=here,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=60,
        )
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        "standard output: the disk is full; the output is incomplete. Free some space or write the report elsewhere"
    )


def _fail(monkeypatch, where: str, err: OSError) -> None:
    def boom(*a, **k):
        raise err

    monkeypatch.setattr(os if where != "mkstemp" else tempfile, where, boom)


@pytest.mark.parametrize(
    ("where", "err", "line"),
    [
        (
            "fsync",
            OSError(errno.ENOSPC, "No space left on device"),
            "r.md: the disk is full; nothing was written. Free some space or write the report elsewhere",
        ),
        (
            "fsync",
            OSError(errno.EDQUOT, "Disk quota exceeded"),
            "r.md: the disk is full; nothing was written. Free some space or write the report elsewhere",
        ),
        (
            "mkstemp",
            PermissionError(errno.EACCES, "Permission denied"),
            "r.md: cannot be written (permission denied); nothing was written. Check the folder's permissions or choose another --output file",
        ),
        (
            "replace",
            OSError(errno.EROFS, "Read-only file system"),
            "r.md: is on a read-only file system; nothing was written. Choose another --output file",
        ),
        (
            "replace",
            OSError(errno.EIO, "Input/output error"),
            "r.md: cannot be written (Input/output error); nothing was written. Check the path or choose another --output file",
        ),
    ],
    ids=["disk-full", "quota", "permission", "read-only", "io-error"],
)
def test_a_failed_report_write_is_one_line_and_leaves_the_old_file(
    here, capsys, monkeypatch, where, err, line
):
    (here / "r.md").write_text("the previous report\n")
    _fail(monkeypatch, where, err)
    code, _, out_err = run(capsys, "review", "p.md", "-o", "r.md")
    assert code == 2
    assert one_line(out_err) == line
    assert (here / "r.md").read_text() == "the previous report\n"
    assert sorted(p.name for p in here.iterdir()) == ["p.md", "r.md"]  # no temporary file left


def test_a_baseline_write_is_one_line_too(here, capsys, monkeypatch):
    _fail(monkeypatch, "fsync", OSError(errno.ENOSPC, "No space left on device"))
    code, _, err = run(capsys, "review", "p.md", "--write-baseline", "base.yaml")
    assert code == 2
    assert (
        one_line(err)
        == "base.yaml: the disk is full; nothing was written. Free some space or write the report elsewhere"
    )


@unless_root
def test_a_real_read_only_folder(here, capsys):
    (here / "ro").mkdir()
    (here / "ro").chmod(0o555)
    try:
        code, _, err = run(capsys, "review", "p.md", "-o", "ro/r.md")
    finally:
        (here / "ro").chmod(0o755)
    assert code == 2
    assert one_line(err).startswith(
        "ro/r.md: cannot be written (permission denied); nothing was written."
    )


# --------------------------------------------------------------------------------------------
# shiftcheck init writes its starter file the way reports are written (before: Path.write_text,
# so a full disk was "standard output: ... the output is incomplete" and a half-written file
# could be left behind)

INIT_DISK_FULL = (
    ": the disk is full; nothing was written. Free some space or write the report elsewhere"
)


def test_init_on_a_full_disk_is_one_line_and_leaves_nothing(here, capsys, monkeypatch):
    _fail(monkeypatch, "fsync", OSError(errno.ENOSPC, "No space left on device"))
    code, out, err = run(capsys, "init")
    assert code == 2 and out == ""
    assert one_line(err) == ".shiftcheck.yaml" + INIT_DISK_FULL
    assert sorted(p.name for p in here.iterdir()) == ["p.md"]  # no file, no temporary file


@has_dev_full
def test_init_into_dev_full(here, capsys):
    code, out, err = run(capsys, "init", "/dev/full", "--force")
    assert code == 2 and out == ""
    assert one_line(err) == "/dev/full" + INIT_DISK_FULL


def test_init_into_a_folder_it_cannot_write_is_one_line(here, capsys, monkeypatch):
    (here / "locked").mkdir()
    _fail(monkeypatch, "mkstemp", PermissionError(errno.EACCES, "Permission denied"))
    code, out, err = run(capsys, "init", "locked/.shiftcheck.yaml")
    assert code == 2 and out == ""
    assert one_line(err) == (
        "locked/.shiftcheck.yaml: cannot be written (permission denied); nothing was written. "
        "Check the folder's permissions or choose another --output file"
    )
    assert list((here / "locked").iterdir()) == []


@unless_root
def test_init_into_a_real_read_only_folder(here, capsys):
    (here / "ro").mkdir()
    (here / "ro").chmod(0o555)
    try:
        code, _, err = run(capsys, "init", "ro/.shiftcheck.yaml")
    finally:
        (here / "ro").chmod(0o755)
    assert code == 2
    assert one_line(err).startswith(
        "ro/.shiftcheck.yaml: cannot be written (permission denied); nothing was written."
    )
    assert list((here / "ro").iterdir()) == []


def test_init_into_a_missing_folder_needs_mkdir(here, capsys):
    code, _, err = run(capsys, "init", "conf/.shiftcheck.yaml")
    assert code == 2
    assert one_line(err) == (
        "conf/.shiftcheck.yaml: folder 'conf' does not exist. Create it first or pass --mkdir"
    )
    code, out, err = run(capsys, "init", "conf/.shiftcheck.yaml", "--mkdir")
    assert code == 0, err
    assert out.startswith("wrote conf/.shiftcheck.yaml")
    assert (
        (here / "conf" / ".shiftcheck.yaml")
        .read_text(encoding="utf-8")
        .startswith("# shiftcheck configuration.")
    )
