"""The library API: ``review(path_or_document, rubric=None) -> Report``. The CLI calls only this."""

from __future__ import annotations

import os
import time
from typing import Any

from shiftcheck import __version__
from shiftcheck.document import Document
from shiftcheck.limits import Limits


def detect_document_language(doc: Document) -> str:
    try:
        from shiftcheck.lang import detect_language
    except ImportError:  # pragma: no cover - lang module always ships
        return "en"
    sample = []
    n = 0
    for b in doc.body():
        sample.append(b.text)
        n += len(b.text)
        if n > 120_000:
            break
    return detect_language("\n".join(sample)) or "en"


def review(
    source: Any,
    rubric: Any = None,
    *,
    lang: str | None = None,
    limits: Limits | None = None,
    pdf_engine: str = "auto",
    verbose: bool = False,
    display: str | None = None,
    timings: dict[str, float] | None = None,
    guarded: bool = True,
    cache: bool = False,
    disable: Any = (),
) -> Any:
    """Review one document. ``source`` is a path or a Document; ``rubric`` a name, path or Rubric.

    ``guarded`` reads DOCX and PDF files in a child process under ``limits.timeout`` and
    ``limits.max_memory_mb`` (:mod:`shiftcheck.sandbox`); ``cache`` keeps parsed documents in the
    user cache folder, keyed by content hash and reader version (:mod:`shiftcheck.cache`).
    ``disable`` lists red-flag rule ids switched off (``shift-2/parallel-system``, a bare key, an
    alias or a glob): they never fire, so they neither show nor cap a level."""
    from shiftcheck.engine import analyze
    from shiftcheck.model import DocumentSummary, Report, RubricRef, ToolInfo
    from shiftcheck.readers import read
    from shiftcheck.rubric import load_rubric
    from shiftcheck.scoring import overall, score_criterion, top_recommendations

    t0 = time.perf_counter()
    rub = load_rubric(rubric)
    if isinstance(source, Document):
        doc = source
    else:
        shown = display if display is not None else os.fspath(source)
        reader = read
        if guarded:
            from shiftcheck.sandbox import read_guarded as reader
        if cache:
            from shiftcheck.cache import cached_read

            doc = cached_read(source, limits, pdf_engine, shown, reader=reader)
        else:
            doc = reader(source, limits, pdf_engine=pdf_engine, display=shown)
    t1 = time.perf_counter()
    language = lang if lang and lang != "auto" else (doc.language or detect_document_language(doc))
    if language not in rub.languages:
        language = rub.languages[0]
    disabled: frozenset[tuple[int, str]] = frozenset()
    if disable:
        from shiftcheck.waivers import disabled_flags

        disabled = frozenset(disabled_flags(rub, disable))
    analysis = analyze(doc, rub, language, disabled)
    t2 = time.perf_counter()
    results = [score_criterion(rub, c, analysis.matches, verbose=verbose) for c in rub.criteria]
    report = Report(
        tool=ToolInfo(version=__version__),
        document=DocumentSummary(
            path=doc.path, format=doc.format, title=doc.title, pages=doc.pages, words=doc.words, language=language
        ),
        rubric=RubricRef(id=rub.id, version=rub.version, title=rub.title),
        overall=overall(results),
        shifts=results,
        recommendations=top_recommendations(results),
        levels={d.level: d.name for d in rub.levels},
    )
    t3 = time.perf_counter()
    if timings is not None:
        timings.update({"read": t1 - t0, **analysis.timings, "score": t3 - t2})
    return report
