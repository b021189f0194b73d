"""DOCX: the review where writers work, as Word comments in their own file.

For a DOCX input, :func:`annotate` writes a copy of the document with one Word comment on each
quoted sentence (evidence and red flags; findings that quote the same words share one comment),
anchored on exactly those words in the paragraph the reader found them in: body paragraphs, table
cells (a table-row quote spans the row's cells), footnotes and endnotes, text boxes. Each comment
names the shift, its level, the finding and, for a red flag, the suggested rewrite; the first
evidence comment of a shift also carries the shift's rationale and what to add next. A summary
comment on the first paragraph (the title) lists the nine levels and the top recommendations.

What changes in the file: the parts that hold an anchor (``word/document.xml``, and the notes
parts when a quote sits in a note) get ``w:commentRangeStart``/``w:commentRangeEnd`` and a
``w:commentReference`` run, and a run is split in two (same run properties) where a quote begins
or ends inside it; the comments part is created or extended (existing comments kept, new ids
above every id in use), with its relationship and content-type entry spliced into the existing
bytes. Every other part is copied byte for byte; text, tracked changes (``w:ins``/``w:del``),
existing comments and styles are untouched. When the quoted words cannot be found (the file
changed since the review), the comment covers the whole paragraph and says so.

For PDF, Markdown and text inputs, :func:`render_report` writes a fresh DOCX report: title,
facts, the nine-row table, a section per shift (rationale, evidence, red flags, add next) and the
top recommendations.

Design choice: lxml and :mod:`zipfile`, not python-docx. python-docx 1.2 can add comments, but
only to whole runs of the main body (no footnotes, text boxes or runs inside hyperlinks and
tracked insertions), it re-serializes every part it loads and it drops parts it does not know;
here only the parts that receive an anchor are rewritten, which keeps the rest of the package
byte-identical. Paragraphs are located with the DOCX reader itself
(:func:`shiftcheck.readers.docx.read_with_sources`), so a location in the report maps to the
same XML paragraph the quote was read from.

Output is deterministic: comments carry no date, zip entries of a fresh report a fixed time.

The modules: :mod:`.words` (what each comment says, from the i18n catalog), :mod:`.anchor`
(where a quote runs in a paragraph's XML, and the markers around it), :mod:`.ooxml` (namespaces,
elements, a part written back behind its own prolog), :mod:`.package` (the zip read and written,
the new part's relationship and content type), :mod:`.annotate` (the reviewed copy) and
:mod:`.fresh` (a new Word report).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shiftcheck.report.docx.annotate import DEFAULT_AUTHOR, annotate
from shiftcheck.report.docx.fresh import batch_report, fresh_report
from shiftcheck.report.text import one_line

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.limits import Limits
    from shiftcheck.model import BatchReport, Report
    from shiftcheck.report import RenderOptions


def _author(opts: RenderOptions | None) -> str:
    author = one_line(getattr(opts, "author", None) or "") if opts is not None else ""
    return author or DEFAULT_AUTHOR


def is_annotatable(report: Report) -> bool:
    """A review of a DOCX whose file is still there gets the commented copy; others a report."""
    return report.document.format == "docx" and Path(report.document.path).is_file()


def render_report(
    report: Report,
    opts: RenderOptions,
    *,
    source: str | Path | None = None,
    limits: Limits | None = None,
) -> bytes:
    """The commented copy of a DOCX input (``source``, default the report's own path), else a
    fresh DOCX report."""
    if source is not None or is_annotatable(report):
        return annotate(
            report,
            source or report.document.path,
            author=_author(opts),
            limits=limits,
            summary_only=opts.summary,
            opts=opts,
        )
    return fresh_report(report, summary=opts.summary, opts=opts)


def render_batch(batch: BatchReport, opts: RenderOptions) -> bytes:
    """One DOCX report of every document, then the portfolio table (the command line writes one
    file per document instead; see :func:`output_name`)."""
    return batch_report(batch, opts)


def output_name(document_path: str, fmt: str) -> str:
    """The file name of one document's DOCX in a batch's ``-o`` folder: a DOCX keeps its name
    (``proposal.docx``, a ``.docm`` stays ``.docm``), another input gets ``.docx`` added
    (``concept.pdf.docx``), so no two inputs of one folder share an output."""
    name = Path(document_path).name
    if fmt == "docx" and name.lower().endswith((".docx", ".docm")):
        return name
    return name + ".docx"


__all__ = [
    "DEFAULT_AUTHOR",
    "annotate",
    "fresh_report",
    "is_annotatable",
    "output_name",
    "render_batch",
    "render_report",
]
