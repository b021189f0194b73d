"""The messages between the sandbox's child process and its parent (:mod:`shiftcheck.sandbox`).

The child reads (and, for a whole review, analyses) under its memory cap and answers with one
message: a tag byte, then its body.

* ``D`` + the Document as JSON (the codec of :mod:`shiftcheck.codec`), or ``R`` + the Report as
  JSON (:func:`shiftcheck.modeldata.json_form`; the parent rebuilds it with its shape checked,
  without building a validator); a review child first sends ``P`` once the document is read (a timeout after it is the
  analysis's);
* ``E`` + ``[class name, path, problem, hint, problems]``: a one-line error of the reader, rebuilt
  in the parent from the classes of :mod:`shiftcheck.errors` only;
* ``M``: out of memory (a ``MemoryError``, or a peak at the ``RLIMIT_AS`` cap whatever C code
  raised); ``X`` + ``class: text``: anything else.

Never a pickle: what comes out of a process that parsed hostile bytes is data, not code
(``ShiftcheckError`` objects do not survive pickling anyway: their ``args`` hold the rendered
line, not the constructor's arguments). The parent turns a message and the child's wait status
into the Document or Report, or into one :class:`~shiftcheck.errors.CorruptDocument` /
:class:`~shiftcheck.errors.LimitExceeded` line (a crash by signal, a death at the memory cap).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shiftcheck import errors as _errors
from shiftcheck.codec import decode_document, encode_document
from shiftcheck.document import Document
from shiftcheck.errors import CorruptDocument, LimitExceeded, RubricError, ShiftcheckError
from shiftcheck.limits import Limits

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import Report

#: ``reader(path, limits, pdf_engine=..., display=...) -> Document``, like readers.read
Reader = Callable[..., Document]

_ERROR_CLASSES = {
    name: cls
    for name, cls in vars(_errors).items()
    if isinstance(cls, type) and issubclass(cls, ShiftcheckError) and cls is not _errors.RubricError
}
CRASH_HINT = "The file is damaged or hostile: open it in its editor and save a clean copy"
_MEMORY_HINT = "Raise --max-memory or split the document"


# ---------------------------------------------------------------------------------------------
# the child: read (and analyse), answer with one message


def _enter_child(max_memory_mb: int) -> None:
    """The child's settings: Ctrl-C is the parent's (it kills us), a crash is reported by the
    parent in one line (no faulthandler dump), the address space capped."""
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "faulthandler" in sys.modules:
        sys.modules["faulthandler"].disable()
    _limit_memory(max_memory_mb)


def _limit_memory(max_mb: int) -> None:
    if not max_mb:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    current = 0
    with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/self/statm") as fh:
        current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = current + max_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def child_payload(args: tuple[str, dict[str, Any], str, str]) -> bytes:
    """Read in the child; return the message for the parent (never raises)."""
    path, limits_dict, engine, shown = args
    try:
        limits = Limits(**limits_dict)
        _enter_child(limits.max_memory_mb)
        from shiftcheck.readers import read

        doc = read(path, limits, pdf_engine=engine, display=shown)
        return b"D" + encode_document(doc)
    except BaseException as e:
        return _error_payload(e)


def _error_payload(e: BaseException) -> bytes:
    if isinstance(e, ShiftcheckError):
        try:
            problems = e.problems if isinstance(e, RubricError) else None
            return (
                b"E"
                + json.dumps([e.__class__.__name__, e.path, e.problem, e.hint, problems]).encode()
            )
        except (MemoryError, TypeError, ValueError):
            return b"M"
    if isinstance(e, MemoryError) or _hit_memory_cap():
        # C code that runs out under RLIMIT_AS does not always say MemoryError (a 50 MB text:
        # "SystemError: error return without exception set"): a peak at the cap is the cause
        return b"M"
    try:
        return b"X" + f"{e.__class__.__name__}: {str(e)[:120]}".encode("utf-8", "replace")
    except BaseException:
        return b"X"


def _hit_memory_cap() -> bool:
    """Did this process's address space reach (nearly) its ``RLIMIT_AS`` cap (``VmPeak``)?"""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return False
        with open("/proc/self/status") as fh:
            peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmPeak:"))
    except (ImportError, OSError, ValueError, StopIteration, IndexError):
        return False
    return peak >= soft * 0.95


#: the child's mark, sent once the document is read (a timeout after it is the analysis's)
READ_DONE = b"P"


def review_payload(
    read_doc: Callable[[Reader], Document],
    analyse: Callable[[Document], Report],
    limits: Limits,
    fd: int,
) -> bytes:
    """Read and analyse in the child; the Report as JSON (never raises)."""
    from shiftcheck.modeldata import json_form

    try:
        _enter_child(limits.max_memory_mb)
        from shiftcheck.readers import read

        doc = read_doc(read)
        write_all(fd, READ_DONE)
        data = json_form(analyse(doc))
        return b"R" + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except BaseException as e:
        return _error_payload(e)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


# ---------------------------------------------------------------------------------------------
# the parent: message -> Document or one-line error


def report_outcome(raw: bytes, status: int | None, shown: str, kind: str, limits: Limits) -> Report:
    reviewing = raw[:1] == READ_DONE
    if reviewing:
        raw = raw[1:]
    if raw[:1] == b"R":
        from shiftcheck.model import Report
        from shiftcheck.modeldata import rebuild_model

        try:  # the shape is checked; the values are data (see shiftcheck.modeldata)
            return rebuild_model(Report, json.loads(raw[1:]))
        except (ValueError, TypeError, KeyError, RecursionError):
            raise CorruptDocument(
                shown,
                "could not be reviewed (the child process sent back damaged data)",
                CRASH_HINT,
            ) from None
    document_outcome(raw, status, shown, kind, limits, "review" if reviewing else "read")
    raise AssertionError("unreachable")  # pragma: no cover - _outcome raises on anything but b"D"


def document_outcome(
    raw: bytes, status: int | None, shown: str, kind: str, limits: Limits, stage: str = "read"
) -> Document:
    tag, body = raw[:1], raw[1:]
    if (
        tag == b"D" and stage == "review"
    ):  # pragma: no cover - a review child never sends a Document
        tag = b""
    if tag == b"D":
        try:
            return decode_document(body, shown)
        except (ValueError, TypeError, RecursionError):
            raise CorruptDocument(
                shown,
                f"could not be read as {kind.upper()} (the reader sent back damaged data)",
                CRASH_HINT,
            ) from None
    if tag == b"E":
        raise _rebuild(body, shown, kind)
    if tag == b"M" or _is_memory_death(status):
        if limits.max_memory_mb:
            raise LimitExceeded(
                shown,
                f"needs more than the {limits.max_memory_mb} MB memory limit to {stage}",
                _MEMORY_HINT,
            )
        raise LimitExceeded(shown, f"needs more memory than is available to {stage}", _MEMORY_HINT)
    if tag == b"X":
        detail = body.decode("utf-8", "replace").replace("\n", " ")
        what = (
            f"could not be read as {kind.upper()}" if stage == "read" else "could not be reviewed"
        )
        raise CorruptDocument(shown, f"{what} ({detail or 'the reader failed'})", CRASH_HINT)
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        raise CorruptDocument(shown, f"crashed the {kind.upper()} reader ({name})", CRASH_HINT)
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
    raise CorruptDocument(
        shown, f"stopped the {kind.upper()} reader unexpectedly (exit code {code})", CRASH_HINT
    )


def _is_memory_death(status: int | None) -> bool:
    """SIGKILL (the kernel's OOM killer) or SIGABRT (C++ ``bad_alloc`` under RLIMIT_AS)."""
    return (
        status is not None
        and os.WIFSIGNALED(status)
        and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGABRT)
    )


def _rebuild(body: bytes, shown: str, kind: str) -> ShiftcheckError:
    try:
        name, path, problem, hint, *rest = json.loads(body)
        problems = rest[0] if rest else None
        if (
            not isinstance(problem, str)
            or not isinstance(hint, str)
            or not isinstance(path, str | None)
        ):
            raise TypeError
        if (
            name == "RubricError"
            and isinstance(problems, list)
            and all(isinstance(x, str) for x in problems)
        ):
            return RubricError(path, problems, hint)
        cls = _ERROR_CLASSES[name]
    except (ValueError, TypeError, KeyError):
        return CorruptDocument(
            shown,
            f"could not be read as {kind.upper()} (the reader sent back damaged data)",
            CRASH_HINT,
        )
    if cls is LimitExceeded and problem.startswith("needs more memory"):  # MemoryError in read()
        problem = "needs more memory than the reader may use (see --max-memory)"
        hint = _MEMORY_HINT
    return cls(path, problem, hint)
