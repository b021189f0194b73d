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

``review_guarded(path, read_doc, analyse, limits, ...) -> Report`` puts the whole review under
the same guard: the document is read *and analysed* in one child (DOCX, PDF, big text), which sends
back the Report as JSON, so ``timeout`` and ``max_memory_mb`` bound the engine too (a 4 MB text
stops at ``--timeout``, whichever stage it is in). Documents read in-process (small text and
Markdown, or where ``fork()`` is unsafe) are analysed in-process under a ``SIGALRM`` timer for
what is left of ``timeout`` (main thread, POSIX). A small text's analysis needs memory in
proportion to its size (under :data:`TEXT_THRESHOLD`: ~100 MB at most); where ``fork()`` is unsafe
(other threads running, Windows) the analysis of a DOCX or PDF has the timer but no memory cap. A
stop after the read is worded ``took longer than N s to review``. Measured on the examples: a
guarded review costs the same as before within noise (DOCX and PDF already forked; the Report's
JSON is ~0.4 ms each way).

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
* **Transport.** The child answers with one message, never a pickle: the Document or the Report as
  JSON, or a reader error as data rebuilt from :mod:`shiftcheck.errors` only
  (:mod:`shiftcheck.sandbox_messages`, which also turns a crash or a death at the memory cap into
  one line).
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
from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING

from shiftcheck.document import Document
from shiftcheck.errors import LimitExceeded, ShiftcheckError
from shiftcheck.limits import DEFAULT_LIMITS, Limits
from shiftcheck.sandbox_messages import (
    READ_DONE,
    Reader,
    child_payload,
    document_outcome,
    report_outcome,
    review_payload,
    write_all,
)

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import Report

#: text and Markdown files at least this large are read in a child too (smaller ones in-process,
#: where their readers keep the timeout themselves)
TEXT_THRESHOLD = 1024 * 1024
#: formats always read in a child
ISOLATED_FORMATS = ("docx", "pdf")


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

    from shiftcheck.readers import read

    limits, shown, timeout = _defaults(path, limits, display, timeout)
    kind, isolate = _plan(path, limits, isolate)
    if kind is None:  # missing, empty, too big, unsupported...: read() says which, in one line
        return read(path, limits, pdf_engine=pdf_engine, display=shown)
    if not isolate:
        if timeout != limits.timeout:  # the text readers check limits.timeout themselves
            limits = dataclasses.replace(limits, timeout=timeout)
        return read(path, limits, pdf_engine=pdf_engine, display=shown)
    _warm(kind, pdf_engine)
    args = (os.fspath(path), asdict(limits), pdf_engine, shown)
    if _can_fork():
        raw, status = _run_forked(lambda _fd: child_payload(args), timeout, shown)
    else:
        raw, status = _run_subprocess(args, timeout, shown)
    return document_outcome(raw, status, shown, kind, limits)


def _defaults(
    path: str | os.PathLike[str], limits: Limits | None, display: str | None, timeout: float | None
) -> tuple[Limits, str, float]:
    """``(limits, the name shown in messages, timeout)`` with the defaults filled in."""
    limits = limits or DEFAULT_LIMITS
    shown = display if display is not None else os.fspath(path)
    return limits, shown, limits.timeout if timeout is None else timeout


def _plan(
    path: str | os.PathLike[str], limits: Limits, isolate: bool | None
) -> tuple[str | None, bool]:
    """``(format, in a child?)``; format None when the file cannot even be sniffed (missing,
    empty, too big, unsupported: :func:`~shiftcheck.readers.read` raises the right line)."""
    from shiftcheck.readers import detect_format

    try:
        size = os.stat(path).st_size
        if not (
            os.path.isfile(path) and size and not (limits.max_bytes and size > limits.max_bytes)
        ):
            return None, False
        kind = detect_format(path)
    except (OSError, ShiftcheckError):
        return None, False
    if isolate is None:
        isolate = kind in ISOLATED_FORMATS or size >= TEXT_THRESHOLD
    return kind, isolate


def _warm(kind: str, pdf_engine: str) -> None:
    """Import the reader once in the parent: forked children start warm."""
    from shiftcheck.readers import _MODULES

    importlib.import_module(_MODULES[kind])
    if kind == "pdf" and pdf_engine != "pdfminer":
        importlib.import_module("shiftcheck.readers.pdf.extract_pdfium")
        importlib.import_module("shiftcheck.readers.pdf.layout")
    if kind == "pdf":  # the page-content check walks pages with pdfminer under every engine
        importlib.import_module("shiftcheck.readers.pdf.extract_pdfminer")


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def review_guarded(
    path: str | os.PathLike[str],
    read_doc: Callable[[Reader], Document],
    analyse: Callable[[Document], Report],
    limits: Limits | None = None,
    pdf_engine: str = "auto",
    display: str | None = None,
    timeout: float | None = None,
    *,
    isolate: bool | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Report:
    """A whole review of ``path`` under ``timeout`` (default ``limits.timeout``) and
    ``limits.max_memory_mb``: ``analyse(read_doc(reader))``.

    ``read_doc(reader)`` gets the document with ``reader`` (the document cache may sit in
    between); ``analyse(doc)`` turns it into the Report. Where :func:`read_guarded` would read in
    a child (DOCX, PDF, text from :data:`TEXT_THRESHOLD`) and ``fork()`` is safe, both run in one
    forked child that sends the Report back as JSON: the time limit is the whole review's and the
    memory cap holds for the engine too. Otherwise the read goes through :func:`read_guarded` and
    the analysis runs here under a timer for the rest of ``timeout`` (see the module doc). Errors
    are the one-line errors of :func:`read_guarded`.

    ``meanwhile`` runs here, once, while the child reviews: work this process needs afterwards
    anyway (importing the report writer), done on another core instead of after the review.
    Where there is no child it is not called."""
    limits, shown, timeout = _defaults(path, limits, display, timeout)
    kind, isolate = _plan(path, limits, isolate)
    if kind is not None and isolate and _can_fork():
        _warm(kind, pdf_engine)
        raw, status = _run_forked(
            lambda fd: review_payload(read_doc, analyse, limits, fd), timeout, shown, meanwhile
        )
        return report_outcome(raw, status, shown, kind, limits)
    start = time.monotonic()

    def reader(
        p: str | os.PathLike[str],
        lim: Limits | None = None,
        pdf_engine: str = pdf_engine,
        display: str | None = shown,
    ) -> Document:
        return read_guarded(
            p, lim, pdf_engine, display, timeout, isolate=isolate if kind is not None else None
        )

    doc = read_doc(reader)
    left = timeout - (time.monotonic() - start) if timeout else 0.0
    if timeout and left <= 0:
        raise _timeout_error(shown, timeout, reviewing=True)
    with _alarm(left, shown, timeout):
        return analyse(doc)


class _Expired(BaseException):
    """Raised by the SIGALRM handler (a BaseException, so no ``except Exception`` swallows it)."""


@contextlib.contextmanager
def _alarm(seconds: float, shown: str, timeout: float) -> Iterator[None]:
    """Stop the block after ``seconds`` with the timeout line, where a timer can interrupt it:
    POSIX, the main thread, no other real-time timer running. Elsewhere the block runs unbounded."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise _timeout_error(shown, timeout, reviewing=True) from None
    finally:
        signal.signal(signal.SIGALRM, previous)


def _run_forked(
    payload: Callable[[int], bytes],
    timeout: float,
    shown: str,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[bytes, int | None]:
    """Fork, run ``payload(write fd)`` in the child, collect its message. Returns (message, wait
    status). ``meanwhile()`` runs here after the fork (its errors are dropped: it only prepares
    work that raises them again where it is really done)."""
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
            write_all(w, payload(w))
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout if timeout else None
    timed_out = False
    try:
        if meanwhile is not None:
            with contextlib.suppress(Exception):
                meanwhile()
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
        raise _timeout_error(shown, timeout, reviewing=bool(chunks) and chunks[0][:1] == READ_DONE)
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


def _timeout_error(shown: str, timeout: float, *, reviewing: bool = False) -> LimitExceeded:
    from shiftcheck.readers import timeout_error  # the same line as a reader that stops itself

    return timeout_error(shown, timeout, "review" if reviewing else "read")


__all__ = ["ISOLATED_FORMATS", "TEXT_THRESHOLD", "read_guarded", "review_guarded"]
