"""The library API: ``review(path_or_document, rubric=None) -> Report`` (one document, read in
this process unless ``guarded``). Batches, config, waivers and the gate: :mod:`shiftcheck.service`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from shiftcheck import __version__
from shiftcheck.document import Document
from shiftcheck.limits import Limits

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import Report, ShiftResult
    from shiftcheck.rubric.schema import Rubric


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
    source: str | os.PathLike[str] | Document,
    rubric: str | os.PathLike[str] | Rubric | None = None,
    *,
    lang: str | None = None,
    limits: Limits | None = None,
    pdf_engine: str = "auto",
    verbose: bool = False,
    display: str | None = None,
    timings: dict[str, float] | None = None,
    guarded: bool = False,
    cache: bool = False,
    disable: Iterable[str] = (),
    report_lang: str | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Report:
    """Review one document. ``source`` is a path or a Document; ``rubric`` a name, path or Rubric
    (None: the default rubric).

    The document is read in this process. ``guarded=True`` reviews under ``limits.timeout`` and
    ``limits.max_memory_mb``, reading and analysing DOCX, PDF and large text files in a child
    process (:mod:`shiftcheck.sandbox`; the command line does this for untrusted input); ``cache`` keeps parsed documents in the user
    cache folder, keyed by content hash and reader version (:mod:`shiftcheck.cache`).
    ``disable`` lists red-flag rule ids switched off (``sovereignty/parallel-system``, a bare key,
    an alias or a glob): they never fire, so they neither show nor cap a level. ``report_lang``
    (``auto``, ``en``, ``fr``; None is ``auto``) is the language of the report's words: ``auto``
    follows the document's language. ``meanwhile`` (``guarded`` only) is called once in this
    process while the child reviews: work needed after the review anyway, such as importing the
    report writer, done on another core."""
    from shiftcheck.rubric import load_rubric

    t0 = time.perf_counter()
    rub = load_rubric(rubric)
    if isinstance(source, Document):
        return _analyse(
            source, rub, lang, _disabled(rub, disable), verbose, timings, t0, report_lang
        )
    if guarded:  # read and analysis under the time and memory limits (in one child where it can)
        from shiftcheck import sandbox

        disabled = _disabled(rub, disable)  # a bad rule id is raised here, not in the child
        return sandbox.review_guarded(
            source,
            lambda reader: _read(source, limits, pdf_engine, display, reader=reader, cache=cache),
            lambda doc: _analyse(doc, rub, lang, disabled, verbose, timings, t0, report_lang),
            limits,
            pdf_engine,
            display if display is not None else os.fspath(source),
            meanwhile=meanwhile,
        )
    from shiftcheck.readers import read

    doc = _read(source, limits, pdf_engine, display, reader=read, cache=cache)
    return _analyse(doc, rub, lang, _disabled(rub, disable), verbose, timings, t0, report_lang)


def _analyse(
    doc: Document,
    rub: Rubric,
    lang: str | None,
    disabled: frozenset[tuple[int, str]],
    verbose: bool,
    timings: dict[str, float] | None,
    t0: float,
    report_lang: str | None = None,
) -> Report:
    from shiftcheck.engine import analyze
    from shiftcheck.scoring import score_criterion

    t1 = time.perf_counter()
    language = _language(doc, rub, lang)
    analysis = analyze(doc, rub, language, disabled)
    t2 = time.perf_counter()
    results = [score_criterion(rub, c, analysis.matches, verbose=verbose) for c in rub.criteria]
    report = _report(doc, rub, language, results, [*doc.warnings, *analysis.warnings])
    from shiftcheck.report.localize import finish

    finish(report, rub, report_lang, (b.text for b in doc.body()))
    t3 = time.perf_counter()
    if timings is not None:
        timings.update({"read": t1 - t0, **analysis.timings, "score": t3 - t2})
    return report


def _read(
    source: str | os.PathLike[str],
    limits: Limits | None,
    pdf_engine: str,
    display: str | None,
    *,
    reader: Callable[..., Document],
    cache: bool,
) -> Document:
    shown = display if display is not None else os.fspath(source)
    if cache:
        from shiftcheck.cache import cached_read

        return cached_read(source, limits, pdf_engine, shown, reader=reader)
    return reader(source, limits, pdf_engine=pdf_engine, display=shown)


def _language(doc: Document, rub: Rubric, lang: str | None) -> str:
    language = lang if lang and lang != "auto" else (doc.language or detect_document_language(doc))
    return language if language in rub.languages else rub.languages[0]


def _disabled(rub: Rubric, disable: Iterable[str]) -> frozenset[tuple[int, str]]:
    refs = list(disable)
    if not refs:
        return frozenset()
    from shiftcheck.ruleids import disabled_flags

    return frozenset(disabled_flags(rub, refs))


def _report(
    doc: Document, rub: Rubric, language: str, results: list[ShiftResult], warnings: list[str]
) -> Report:
    from shiftcheck.model import DocumentSummary, Report, RubricRef, ToolInfo
    from shiftcheck.scoring import overall, top_recommendations

    # built from values of the right types (the shifts scoring constructed, the rubric's names):
    # constructed, not validated; validation stays where data comes in (rubric, config, waivers,
    # JSON reports read back)
    return Report.model_construct(
        tool=ToolInfo.model_construct(version=__version__),
        document=DocumentSummary.model_construct(
            path=doc.path,
            format=doc.format,
            title=doc.title,
            pages=doc.pages,
            words=doc.words,
            language=language,
        ),
        rubric=RubricRef.model_construct(id=rub.id, version=rub.version, title=rub.title),
        overall=overall(results),
        shifts=results,
        recommendations=top_recommendations(results),
        levels={d.level: d.name for d in rub.levels},
        warnings=list(dict.fromkeys(warnings)),  # reader and engine notes, each once
    )
