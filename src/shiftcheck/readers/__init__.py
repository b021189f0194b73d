"""Readers: path -> :class:`shiftcheck.document.Document`.

Each format has its own module exposing ``read(path, display, limits, **options) -> Document``;
the module is imported only when such a file is read (python-docx and pdfminer are slow imports).
Every failure a user can cause is raised as a :class:`shiftcheck.errors.InputError` subclass with a
one-line message; any other exception escaping a reader is a bug and is reported as such by
:func:`read`.
"""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

from shiftcheck.document import Document
from shiftcheck.errors import CorruptDocument, InputError, LimitExceeded, ShiftcheckError
from shiftcheck.limits import DEFAULT_LIMITS, Limits
from shiftcheck.readers.detect import sniff

FORMATS = ("docx", "pdf", "markdown", "text")
#: bump when a reader changes what it produces (keys the parsed-document cache)
READER_VERSION = "3"

_MODULES = {
    "docx": "shiftcheck.readers.docx",
    "pdf": "shiftcheck.readers.pdf",
    "markdown": "shiftcheck.readers.markdown",
    "text": "shiftcheck.readers.text",
}


def _mb(n: int) -> str:
    mb = n / 1048576
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB" if mb >= 0.01 else f"{n} bytes"


#: the one-line message of a read that ran out of ``--timeout`` (also sent by the sandbox when it
#: kills a reader)
TIMEOUT_HINT = "Raise --timeout or split the document"


def timeout_error(display: str, seconds: float, stage: str = "read") -> LimitExceeded:
    """``stage``: "read", or "review" when the document was read and its analysis ran out."""
    return LimitExceeded(display, f"took longer than {seconds:g} s to {stage}", TIMEOUT_HINT)


class Deadline:
    """``limits.timeout`` for readers that check it themselves (text and Markdown, in-process or
    in the sandbox's child): ``check()`` raises :func:`timeout_error` once the time is up. It reads
    the clock only every ``every`` calls, so it can sit in a per-line or per-token loop."""

    __slots__ = ("_at", "_count", "_display", "_every", "_seconds")

    def __init__(self, limits: Limits, display: str, every: int = 256) -> None:
        self._seconds = limits.timeout
        self._at = time.monotonic() + limits.timeout if limits.timeout else None
        self._display = display
        self._every = every
        self._count = 0

    def every(self, calls: int) -> Deadline:
        """The same deadline, reading the clock every ``calls`` checks."""
        other = Deadline.__new__(Deadline)
        other._seconds, other._at, other._display, other._every, other._count = (
            self._seconds,
            self._at,
            self._display,
            calls,
            0,
        )
        return other

    def check(self) -> None:
        if self._at is None:
            return
        self._count += 1
        if self._count >= self._every:
            self._count = 0
            if time.monotonic() > self._at:
                raise timeout_error(self._display, self._seconds)


def detect_format(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    with p.open("rb") as fh:
        head = fh.read(8192)
    return sniff(p, head)


#: the reader warning for pages that failed (a PDF with no text and such pages is damaged, not
#: scanned)
PAGES_UNREADABLE = "page(s) could not be read"


def read(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    *,
    pdf_engine: str = "auto",
    display: str | None = None,
) -> Document:
    """Read a document. Raises :class:`InputError` (one-line message) for anything unreadable."""
    limits = limits or DEFAULT_LIMITS
    shown = display if display is not None else os.fspath(path)
    p = Path(path)
    _check_file(p, shown, limits)
    kind = _detect(p, shown)
    doc = _run_reader(kind, p, shown, limits, pdf_engine)
    doc.path = shown
    doc.format = kind
    if not any(b.text.strip() for b in doc.body()):
        raise _no_text(doc, kind, shown)
    return doc


def _check_file(p: Path, shown: str, limits: Limits) -> None:
    """Refuse what is not a readable, non-empty file within the size limit."""
    if not p.exists():
        raise InputError(shown, "no such file", "Check the path and try again")
    if p.is_dir():
        try:
            os.scandir(p).close()
        except OSError as e:  # a folder met while walking or globbing that cannot be listed
            why = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
            raise InputError(
                shown,
                f"is a folder that cannot be opened ({why}); the documents in it were not reviewed",
                "Check the folder's permissions",
            ) from None
        raise InputError(
            shown,
            "is a folder, not a document",
            "Pass the files inside it, or use 'shiftcheck review FOLDER'",
        )
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(
            shown, f"cannot be read ({e.strerror or e})", "Check the file's permissions"
        ) from None
    if size == 0:
        raise InputError(
            shown, "is empty (0 bytes)", "Save the document again or pick the right file"
        )
    if limits.max_bytes and size > limits.max_bytes:
        raise LimitExceeded(
            shown,
            f"is {_mb(size)}, over the {_mb(limits.max_bytes)} input limit",
            "Split the file, or raise the limit with --max-size",
        )


def _detect(p: Path, shown: str) -> str:
    """The file's format, from its first bytes and suffix (errors name ``shown``)."""
    try:
        return detect_format(p)
    except ShiftcheckError as e:
        e.path = shown
        raise
    except PermissionError:
        raise InputError(
            shown, "cannot be opened (permission denied)", "Check the file's permissions"
        ) from None
    except OSError as e:
        raise InputError(
            shown, f"cannot be read ({e.strerror or e})", "Check the file and try again"
        ) from None


def _run_reader(kind: str, p: Path, shown: str, limits: Limits, pdf_engine: str) -> Document:
    """The format's reader; anything but a :class:`ShiftcheckError` escaping it becomes one line
    (memory, nesting, or a reader bug named by its exception)."""
    module = importlib.import_module(_MODULES[kind])
    try:
        options = {"engine": pdf_engine} if kind == "pdf" else {}
        doc: Document = module.read(p, shown, limits, **options)
    except ShiftcheckError:
        raise
    except MemoryError:
        raise LimitExceeded(
            shown,
            "needs more memory than is available to read",
            "Split the file or raise the memory limit",
        ) from None
    except RecursionError:
        raise CorruptDocument(
            shown,
            "is nested too deeply to read safely (corrupt or hostile file)",
            "Open it in its editor and save a clean copy",
        ) from None
    except Exception as e:
        raise CorruptDocument(
            shown,
            f"could not be read as {kind.upper() if kind in ('docx', 'pdf') else kind} ({e.__class__.__name__}: {str(e)[:120]})",
            "The file may be damaged: open it in its editor and save a copy, or export it as PDF",
        ) from None
    return doc


def _no_text(doc: Document, kind: str, shown: str) -> InputError:
    """The error for a document with no body text: damaged PDF pages, a scanned PDF, or none."""
    from shiftcheck.errors import NoTextError

    if kind == "pdf" and any(PAGES_UNREADABLE in w for w in doc.warnings):
        return CorruptDocument(
            shown,
            "is damaged: its pages could not be read",
            "Open it in a PDF viewer and save or print a new copy",
        )
    if kind == "pdf":
        return NoTextError(
            shown,
            "has no extractable text; it looks scanned (images of pages)",
            "Run OCR on it first (e.g. ocrmypdf) or use the original DOCX",
        )
    return NoTextError(shown, "contains no text to review", "Check that this is the right file")
