"""Writing reports safely: atomic replace, never over an input file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from shiftcheck.errors import OutputError, UsageError

#: errno values that mean "no room left" (full disk, quota, file too large)
NO_SPACE = frozenset(getattr(errno, n) for n in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, n))


def output_error(target: str, e: OSError, *, atomic: bool = True) -> OutputError:
    """One line for a failed write to ``target``. ``atomic``: the old file (if any) is intact and
    no partial file is left ("nothing was written"); otherwise part of the output may be out."""
    outcome = "nothing was written" if atomic else "the output is incomplete"
    if e.errno in NO_SPACE:
        return OutputError(
            target, f"the disk is full; {outcome}", "Free some space or write the report elsewhere"
        )
    if e.errno == errno.EROFS:
        return OutputError(
            target, f"is on a read-only file system; {outcome}", "Choose another --output file"
        )
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM):
        return OutputError(
            target,
            f"cannot be written (permission denied); {outcome}",
            "Check the folder's permissions or choose another --output file",
        )
    return OutputError(
        target,
        f"cannot be written ({e.strerror or e.__class__.__name__}); {outcome}",
        "Check the path or choose another --output file",
    )


def write_atomic(
    path: Path, text: str | bytes, *, inputs: list[Path] | None = None, make_parents: bool = False
) -> None:
    """Write ``text`` (or a binary file's ``bytes``) to ``path`` through a temporary file in the same folder and a rename, so an
    interrupted run leaves the old file or the new one, never half of one. A failed write (disk
    full, permission denied, read-only) is one :class:`OutputError` line, exit 2."""
    try:
        _write_atomic(Path(path), text, inputs=inputs, make_parents=make_parents)
    except _PartialWrite as e:
        raise output_error(str(path), e.error, atomic=False) from None
    except OSError as e:
        raise output_error(str(path), e) from None


class _PartialWrite(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _write_device(path: Path, data: bytes) -> None:
    """Write into a device or FIFO. A failure before the first byte leaves nothing written (an
    OSError); a failure after it is a :class:`_PartialWrite`."""
    fd = os.open(path, os.O_WRONLY)
    done = 0
    try:
        view = memoryview(data)
        while done < len(data):
            done += os.write(fd, view[done:])
    except OSError as e:
        if done:
            raise _PartialWrite(e) from None
        raise
    finally:
        os.close(fd)


def _write_atomic(
    path: Path, text: str | bytes, *, inputs: list[Path] | None, make_parents: bool
) -> None:
    target = os.path.realpath(path)
    for p in inputs or []:
        same = os.path.realpath(p) == target
        with contextlib.suppress(OSError):
            same = same or (path.exists() and os.path.samefile(path, p))
        if same:
            raise UsageError(
                str(path),
                "is one of the input documents; refusing to overwrite it",
                "Choose another --output file",
            )
    if path.exists() and not path.is_file() and not path.is_dir():
        # a device or a FIFO (-o /dev/stdout, /dev/null): write into it, never replace it
        _write_device(path, text if isinstance(text, bytes) else text.encode("utf-8"))
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        if not make_parents:
            raise UsageError(
                str(path), f"folder '{parent}' does not exist", "Create it first or pass --mkdir"
            )
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
        with os.fdopen(fd, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))
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
