"""Writing reports safely: atomic replace, never over an input file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from shiftcheck.errors import UsageError


def write_atomic(path: Path, text: str, *, inputs: list[Path] | None = None, make_parents: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so an
    interrupted run leaves the old file or the new one, never half of one."""
    path = Path(path)
    target = os.path.realpath(path)
    for p in inputs or []:
        same = os.path.realpath(p) == target
        with contextlib.suppress(OSError):
            same = same or (path.exists() and os.path.samefile(path, p))
        if same:
            raise UsageError(str(path), "is one of the input documents; refusing to overwrite it", "Choose another --output file")
    if path.exists() and not path.is_file() and not path.is_dir():
        # a device or a FIFO (-o /dev/stdout, /dev/null): write into it, never replace it
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        if not make_parents:
            raise UsageError(str(path), f"folder '{parent}' does not exist", "Create it first or pass --mkdir")
        parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise UsageError(str(path), "is a folder", "Give a file name for --output")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        # mkstemp makes the file private (0600); a report gets the mode a plain open() would give
        # it, or keeps the mode of the file it replaces
        if hasattr(os, "fchmod"):  # POSIX
            try:
                mode = os.stat(path).st_mode & 0o7777
            except OSError:
                mode = 0o666 & ~_umask()
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
