"""shiftcheck: check proposals and programme designs against the nine critical shifts.

The public API is :func:`review` (path or Document -> Report). Heavy modules are imported lazily so
that ``shiftcheck --version`` stays fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.document import Document
    from shiftcheck.model import Report
    from shiftcheck.rubric.schema import Rubric

__all__ = ["__version__", "review"]


def review(
    source: str | os.PathLike[str] | Document,
    rubric: str | os.PathLike[str] | Rubric | None = None,
    **options: Any,
) -> Report:
    """Review a document (a path or a :class:`shiftcheck.document.Document`) against a rubric.

    ``rubric`` is a rubric name (``"critical-shifts"``), a path to a YAML file, a loaded
    :class:`shiftcheck.rubric.schema.Rubric`, or ``None`` for the default rubric. ``options`` are
    those of :func:`shiftcheck.api.review` (``lang``, ``limits``, ``pdf_engine``, ``verbose``,
    ``display``, ``guarded``, ``cache``, ``disable``). The document is read in this process;
    ``guarded=True`` reviews under the time and memory limits, reading and analysing DOCX, PDF and
    large text files in a child process.
    """
    from shiftcheck.api import review as _review

    return _review(source, rubric=rubric, **options)
