"""GitHub Actions workflow commands as a report format: ``::error``/``::warning``/``::notice`` lines.

For each document, in order: its warnings (reader and engine notes) as ``::warning`` at file level,
then the annotations of :func:`shiftcheck.github.render_github` (open red flags and a one-line level
summary); a document error is one ``::error``. The gate's threshold failures, when given, come last.
"""

from __future__ import annotations

from collections.abc import Iterable

from shiftcheck.github import annotation
from shiftcheck.github import render_github as _annotations
from shiftcheck.model import BatchReport, DocumentError, Report
from shiftcheck.report import RenderOptions
from shiftcheck.report.text import one_line

WARNING_TITLE = "shiftcheck warning"


def warning_lines(report: Report, opts: RenderOptions | None = None) -> list[str]:
    """One ``::warning`` line per warning of ``report``, titled in the report language
    (``opts.lang``, else the document's)."""
    from shiftcheck.report._common import tr_for

    title = tr_for(report, opts)("github.warning_title")
    return [
        annotation("warning", one_line(w), file=report.document.path, title=title)
        for w in report.warnings
    ]


def render_github(
    entries: Iterable[Report | DocumentError],
    gate: Iterable[object] | None = None,
    opts: RenderOptions | None = None,
) -> str:
    """Annotation lines for every entry (warnings first for each document), then the gate's
    failures; in ``opts.lang`` when it names a language, else in each document's own."""
    parts: list[str] = []
    for entry in entries:
        if isinstance(entry, Report):
            parts += [line + "\n" for line in warning_lines(entry, opts)]
        parts.append(_annotations([entry], opts=opts))
    if gate is not None:
        parts.append(_annotations([], gate, opts))
    return "".join(parts)


def render_report(report: Report, opts: RenderOptions) -> str:
    return render_github([report], opts=opts)


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    if not batch.documents:
        from shiftcheck.report.i18n import translator

        tr = translator(opts.lang if opts.lang in ("en", "fr") else "en")
        return (
            annotation("notice", tr("github.no_documents"), title=tr("github.summary_title")) + "\n"
        )
    return render_github(batch.documents, opts=opts)
