"""Reading untrusted documents in a child process with a time limit and a memory cap.

``read_guarded(path, limits, pdf_engine, display, timeout) -> Document`` behaves like
:func:`shiftcheck.readers.read` (same Document, same one-line :class:`~shiftcheck.errors.InputError`
subclasses), and in addition:

* a read that takes longer than ``timeout`` seconds (default ``limits.timeout``; 0 = none) is
  killed: ``LimitExceeded("took longer than N s to read")``;
* the reader may use at most ``limits.max_memory_mb`` MB of address space on top of what the
  process already had (``RLIMIT_AS`` in the child; 0 = no cap): running out gives a one-line
  :class:`~shiftcheck.errors.LimitExceeded`;
* a crash of a C library (a segfault in PDFium, libxml2 or zlib, an abort) kills only the child and
  becomes a one-line :class:`~shiftcheck.errors.CorruptDocument` (or ``LimitExceeded`` when it
  looks like an allocation failure).

Design (measured on this project's 2-CPU Linux dev box, see ``bench/speed.py``):

* **Which files.** DOCX and PDF always go through a child: their readers run C code (libxml2,
  zlib, PDFium) on hostile bytes, and a tiny file can be a bomb. Plain text and Markdown are read by
  pure-Python code, linear in the input, and check ``timeout`` themselves
  (:class:`shiftcheck.readers.Deadline`: per line, per markdown-it block and inline rule), so a
  small one is read in-process, under the same timeout and with the same one-line error. From
  :data:`TEXT_THRESHOLD` (1 MB) on they go through the child too, for ``max_memory_mb`` (markdown-it
  can take a few hundred MB per MB of dense input) and a hard stop. Anything whose format cannot
  even be sniffed is handed to :func:`~shiftcheck.readers.read` in-process, which raises the right
  one-line error.
* **How.** On POSIX, when the calling process has a single thread (the CLI, a ``--jobs`` worker),
  the child is a plain ``os.fork()``: the reader module is imported in the parent first and the
  parent's objects are frozen out of the child's garbage collector (``gc.freeze``), so the child
  starts warm and touches few of the parent's pages. Measured on the 2-CPU dev box: fork + wait
  ~5-8 ms; a small DOCX/PDF (examples/) costs ~10 ms more than an in-process read (16 -> 26 ms;
  up to 50 ms on a busy machine); a 600-page proposal (8,000-11,000 blocks) ~250-350 ms more
  (JSON encode in the child ~80 ms, decode ~60 ms, copy-on-write faults), against 0.7 s (DOCX)
  and 3.5-7 s (PDF) of reading. A fresh interpreter per file costs ~130-180 ms more
  (interpreter start plus importing lxml and pypdfium2 again), so it is only the fallback: when
  other threads are running (where ``fork()`` is unsafe), or there is no ``fork()`` (Windows),
  the child is ``python -m shiftcheck._worker`` (arguments as JSON on stdin, the message on
  stdout), equally isolated. (``multiprocessing``'s ``spawn``/``forkserver`` were not used: they
  re-import the caller's ``__main__`` in the child, which fails or re-runs user scripts.)
* **Transport.** The child sends the Document as JSON (the codec of :mod:`shiftcheck.cache`), never
  a pickle: what comes out of a process that parsed hostile bytes is data, not code. Reader errors
  travel as ``(class name, path, problem, hint)`` and are rebuilt from the classes of
  :mod:`shiftcheck.errors` only (``ShiftcheckError`` objects do not survive pickling anyway: their
  ``args`` hold the rendered line, not the constructor's arguments).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib
import json
import os
import select
import signal
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from shiftcheck import errors as _errors
from shiftcheck.cache import decode_document, encode_document
from shiftcheck.document import Document
from shiftcheck.errors import CorruptDocument, LimitExceeded, ShiftcheckError
from shiftcheck.limits import DEFAULT_LIMITS, Limits

#: text and Markdown files at least this large are read in a child too (smaller ones in-process,
#: where their readers keep the timeout themselves)
TEXT_THRESHOLD = 1024 * 1024
#: formats always read in a child
ISOLATED_FORMATS = ("docx", "pdf")

_ERROR_CLASSES = {
    name: cls
    for name, cls in vars(_errors).items()
    if isinstance(cls, type) and issubclass(cls, ShiftcheckError) and cls is not _errors.RubricError
}
_CRASH_HINT = "The file is damaged or hostile: open it in its editor and save a clean copy"
_MEMORY_HINT = "Raise --max-memory or split the document"


def read_guarded(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    pdf_engine: str = "auto",
    display: str | None = None,
    timeout: float | None = None,
    *,
    isolate: bool | None = None,
) -> Document:
    """Read ``path`` like :func:`shiftcheck.readers.read`, in a child process when it is a DOCX or
    PDF (or a big text file), with ``timeout`` seconds (default ``limits.timeout``) and
    ``limits.max_memory_mb``. ``isolate`` forces (True) or prevents (False) the child."""
    from shiftcheck.readers import _MODULES, detect_format, read

    limits = limits or DEFAULT_LIMITS
    shown = display if display is not None else os.fspath(path)
    if timeout is None:
        timeout = limits.timeout
    kind = None
    try:
        size = os.stat(path).st_size
        if os.path.isfile(path) and size and not (limits.max_bytes and size > limits.max_bytes):
            kind = detect_format(path)
    except (OSError, ShiftcheckError):
        kind = None
    if kind is None:  # missing, empty, too big, unsupported...: read() says which, in one line
        return read(path, limits, pdf_engine=pdf_engine, display=shown)
    if isolate is None:
        isolate = kind in ISOLATED_FORMATS or size >= TEXT_THRESHOLD
    if not isolate:
        if timeout != limits.timeout:  # the text readers check limits.timeout themselves
            limits = dataclasses.replace(limits, timeout=timeout)
        return read(path, limits, pdf_engine=pdf_engine, display=shown)
    importlib.import_module(_MODULES[kind])  # once in the parent: forked children start warm
    if kind == "pdf" and pdf_engine != "pdfminer":
        importlib.import_module("shiftcheck.readers.pdf.extract_pdfium")
        importlib.import_module("shiftcheck.readers.pdf.layout")
    args = (os.fspath(path), asdict(limits), pdf_engine, shown)
    if hasattr(os, "fork") and threading.active_count() == 1:
        raw, status = _run_forked(args, timeout, shown)
    else:
        raw, status = _run_subprocess(args, timeout, shown)
    return _outcome(raw, status, shown, kind, limits)


# ---------------------------------------------------------------------------------------------
# the child


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


def _child_payload(args: tuple[str, dict[str, Any], str, str]) -> bytes:
    """Read in the child; return the message for the parent (never raises)."""
    path, limits_dict, engine, shown = args
    try:
        with contextlib.suppress(ValueError, OSError, AttributeError):
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
        if "faulthandler" in sys.modules:  # a crash is reported by the parent, in one line
            sys.modules["faulthandler"].disable()
        limits = Limits(**limits_dict)
        _limit_memory(limits.max_memory_mb)
        from shiftcheck.readers import read

        doc = read(path, limits, pdf_engine=engine, display=shown)
        return b"D" + encode_document(doc)
    except ShiftcheckError as e:
        try:
            return b"E" + json.dumps([e.__class__.__name__, e.path, e.problem, e.hint]).encode()
        except (MemoryError, TypeError, ValueError):
            return b"M"
    except MemoryError:
        return b"M"
    except BaseException as e:
        try:
            return b"X" + f"{e.__class__.__name__}: {str(e)[:120]}".encode("utf-8", "replace")
        except BaseException:
            return b"X"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _run_forked(args: tuple, timeout: float, shown: str) -> tuple[bytes, int | None]:
    """Fork, read in the child, collect its message. Returns (message, wait status)."""
    r, w = os.pipe()
    gc.freeze()  # the child's collector then leaves the parent's objects (and their pages) alone
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        os.close(r)
        os.close(w)
        raise
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # child
        code = 0
        try:
            os.close(r)
            _write_all(w, _child_payload(args))
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout if timeout else None
    timed_out = False
    try:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], wait)
            if not ready:
                continue
            data = os.read(r, 1 << 20)
            if not data:
                break
            chunks.append(data)
    except BaseException:  # Ctrl-C while waiting: stop the child too
        _kill(pid)
        raise
    finally:
        os.close(r)
    if timed_out:
        _kill(pid)
        raise _timeout_error(shown, timeout)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks), status


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _run_subprocess(args: tuple, timeout: float, shown: str) -> tuple[bytes, int | None]:
    """Read in a fresh interpreter (``python -m shiftcheck._worker``): arguments as JSON on stdin,
    the message on stdout. Used where ``fork()`` is unsafe or missing."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "shiftcheck._worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        raw, _ = proc.communicate(json.dumps(list(args)).encode("utf-8"), timeout=timeout or None)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise _timeout_error(shown, timeout) from None
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    code = proc.returncode
    # as a wait status: killed by signal N -> N, exit code N -> N << 8
    return raw, (-code & 0x7F) if code < 0 else (code & 0xFF) << 8


def _timeout_error(shown: str, timeout: float) -> LimitExceeded:
    from shiftcheck.readers import timeout_error  # the same line as a reader that stops itself

    return timeout_error(shown, timeout)


# ---------------------------------------------------------------------------------------------
# the parent: message -> Document or one-line error


def _outcome(raw: bytes, status: int | None, shown: str, kind: str, limits: Limits) -> Document:
    tag, body = raw[:1], raw[1:]
    if tag == b"D":
        try:
            return decode_document(body, shown)
        except (ValueError, TypeError, RecursionError):
            raise CorruptDocument(
                shown,
                f"could not be read as {kind.upper()} (the reader sent back damaged data)",
                _CRASH_HINT,
            ) from None
    if tag == b"E":
        raise _rebuild(body, shown, kind)
    if tag == b"M" or _is_memory_death(status):
        if limits.max_memory_mb:
            raise LimitExceeded(
                shown,
                f"needs more than the {limits.max_memory_mb} MB memory limit to read",
                _MEMORY_HINT,
            )
        raise LimitExceeded(shown, "needs more memory than is available to read", _MEMORY_HINT)
    if tag == b"X":
        detail = body.decode("utf-8", "replace").replace("\n", " ")
        raise CorruptDocument(
            shown,
            f"could not be read as {kind.upper()} ({detail or 'the reader failed'})",
            _CRASH_HINT,
        )
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        raise CorruptDocument(shown, f"crashed the {kind.upper()} reader ({name})", _CRASH_HINT)
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
    raise CorruptDocument(
        shown, f"stopped the {kind.upper()} reader unexpectedly (exit code {code})", _CRASH_HINT
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
        name, path, problem, hint = json.loads(body)
        cls = _ERROR_CLASSES[name]
        if (
            not isinstance(problem, str)
            or not isinstance(hint, str)
            or not isinstance(path, str | None)
        ):
            raise TypeError
    except (ValueError, TypeError, KeyError):
        return CorruptDocument(
            shown,
            f"could not be read as {kind.upper()} (the reader sent back damaged data)",
            _CRASH_HINT,
        )
    if cls is LimitExceeded and problem.startswith("needs more memory"):  # MemoryError in read()
        problem = "needs more memory than the reader may use (see --max-memory)"
        hint = _MEMORY_HINT
    return cls(path, problem, hint)


__all__ = ["ISOLATED_FORMATS", "TEXT_THRESHOLD", "read_guarded"]
