"""Report formats: one module per format behind one small interface.

>>> from shiftcheck.report import RenderOptions, render
>>> text = render("markdown", report, RenderOptions())            # doctest: +SKIP
>>> text = render("sarif", [report_a, error_b], RenderOptions(threshold=2))  # doctest: +SKIP

``data`` is a :class:`~shiftcheck.model.Report` (one document), a
:class:`~shiftcheck.model.BatchReport`, or a list of entries, each a ``Report`` or a
``DocumentError`` (a batch). A batch renders every document's report and then a portfolio table
(document x shift levels, a column per criterion present); ``json`` renders one ``{"schema_version", "tool", "documents"}`` object
``sarif`` one run with the results of every document, and ``github`` the workflow-command
annotations of every document. Every format shows ``Report.warnings``.

Each format module has ``render_report(report, options) -> str`` and
``render_batch(batch, options) -> str``. Format modules are imported lazily.
Rendering is deterministic: no timestamps, no machine names, paths exactly as given.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import BatchReport, DocumentError, Report, ToolInfo

#: format name -> module path (imported on first use)
FORMATS: dict[str, str] = {
    "terminal": "shiftcheck.report.terminal",
    "markdown": "shiftcheck.report.markdown",
    "json": "shiftcheck.report.json",
    "sarif": "shiftcheck.report.sarif",
    "html": "shiftcheck.report.html",
    "github": "shiftcheck.report.github",
}

#: formats whose output is a file, not text (``render_bytes``): ``docx`` is the reviewed copy of
#: a DOCX input with Word comments, or a fresh Word report for other inputs
BINARY_FORMATS: dict[str, str] = {
    "docx": "shiftcheck.report.docx",
}

#: file-name suffix -> format, for inferring ``--format`` from ``--output``
SUFFIXES: dict[str, str] = {
    ".txt": "terminal",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".docm": "docx",
}

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "SUFFIXES",
    "RenderOptions",
    "UnknownFormat",
    "format_for_path",
    "prepare",
    "render",
    "render_bytes",
]


def format_for_path(path: str) -> str | None:
    """The format a file name asks for (``report.sarif.json`` -> sarif), or None when unknown."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith((".sarif.json", ".sarif")):
        return "sarif"
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:]) if dot > 0 else None


class UnknownFormat(ValueError):
    """``render`` was asked for a format that is not in :data:`FORMATS`."""


@dataclass(frozen=True)
class RenderOptions:
    """How to render. Every format ignores the options it has no use for."""

    #: terminal width in columns (terminal format); None means 80. Never read from the real terminal.
    width: int | None = None
    #: ANSI colors (terminal format); False gives plain text without any escape code
    color: bool = False
    #: header and summary table only (terminal, markdown)
    summary: bool = False
    #: add every raw match with its status and why (terminal, markdown)
    verbose: bool = False
    #: SARIF: emit a ``shift-<id>/below-threshold`` result for each shift whose level is below this
    threshold: int | None = None
    #: SARIF: each document's own threshold by document path (the gate's per-path ``fail_under``;
    #: None for a document without one); a document not in it takes ``threshold``
    thresholds: Mapping[str, int | None] | None = None
    #: SARIF: when set, artifact URIs are relative to ``%SRCROOT%`` and the run declares
    #: ``originalUriBaseIds.SRCROOT.uri = base_uri`` (e.g. ``file:///home/ci/repo/``)
    base_uri: str | None = None
    #: SARIF: a directory; document paths under it are made relative to it (repo-relative URIs)
    root: str | None = None
    #: DOCX: the author of the Word comments (config ``report.author``)
    author: str = "shiftcheck"
    #: the language of the program's words: ``auto`` (None) gives each report the language of its
    #: document (see :func:`shiftcheck.report.i18n.resolve`), ``en`` or ``fr`` one for all
    lang: str | None = None


def _entries(data: object) -> tuple[ToolInfo | None, list[Report | DocumentError], bool]:
    """-> (tool or None, entries, is_batch)."""
    from shiftcheck.model import BatchReport, DocumentError, Report

    if isinstance(data, Report):
        return data.tool, [data], False
    if isinstance(data, BatchReport):
        return data.tool, list(data.documents), True
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        entries = list(data)
        for e in entries:
            if not isinstance(e, (Report, DocumentError)):
                raise TypeError(
                    f"batch entries must be Report or DocumentError, not {type(e).__name__}"
                )
        return None, entries, True
    raise TypeError(f"cannot render {type(data).__name__}: expected Report, BatchReport or a list")


def as_batch(data: object) -> BatchReport:
    """Any accepted ``data`` as a :class:`BatchReport` (the tool info from the first report)."""
    from shiftcheck import __version__
    from shiftcheck.model import BatchReport, Report, ToolInfo

    tool, entries, _ = _entries(data)
    if tool is None:
        tool = next(
            (e.tool for e in entries if isinstance(e, Report)), ToolInfo(version=__version__)
        )
    return BatchReport(tool=tool, documents=entries)


def render(
    fmt: str,
    data: Report | BatchReport | Sequence[Report | DocumentError],
    options: RenderOptions | None = None,
) -> str:
    """Render ``data`` in format ``fmt`` (a key of :data:`FORMATS`) and return the text."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return _dispatch(FORMATS[fmt], data, options)


def prepare(fmt: str) -> None:
    """Import the writer of ``fmt`` ahead of rendering, e.g. while a child process reviews (an
    unknown format is left for :func:`render` to report)."""
    module_name = FORMATS.get(fmt) or BINARY_FORMATS.get(fmt)
    if module_name is not None:
        importlib.import_module(module_name)


def _dispatch(module_name: str, data, options: RenderOptions | None):
    """Call the format module's ``render_report`` for one report, ``render_batch`` for several."""
    opts = options or RenderOptions()
    module = importlib.import_module(module_name)
    _, entries, is_batch = _entries(data)
    if not is_batch:
        return module.render_report(entries[0], opts)
    return module.render_batch(as_batch(data), opts)


def render_bytes(
    fmt: str,
    data: Report | BatchReport | Sequence[Report | DocumentError],
    options: RenderOptions | None = None,
) -> bytes:
    """Render ``data`` in a format of :data:`BINARY_FORMATS` (``docx``) and return the file's bytes.
    A single DOCX report gives the reviewed copy of its document (read again from its path)."""
    if fmt not in BINARY_FORMATS:
        raise UnknownFormat(
            f"unknown file format {fmt!r}; choose one of: {', '.join(BINARY_FORMATS)}"
        )
    return _dispatch(BINARY_FORMATS[fmt], data, options)
