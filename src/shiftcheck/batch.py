"""Batches: expand command-line inputs to documents and review them, in parallel when asked.

One unreadable document never hides the others: each becomes a :class:`DocumentError` entry in
the results, in input order.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shiftcheck.errors import ShiftcheckError
from shiftcheck.model import DocumentError, Report

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.config import EffectiveConfig
    from shiftcheck.gate import GateResult
    from shiftcheck.waivers import WaiverOutcome

#: suffixes picked up when expanding folders and globs
SUPPORTED_SUFFIXES = (".docx", ".pdf", ".md", ".markdown", ".txt")

_GLOB_CHARS = set("*?[")

ReviewFn = Callable[[str], Report]
Result = Report | DocumentError


def _is_lock_file(name: str) -> bool:
    """Word writes ``~$name.docx`` next to an open document."""
    return name.startswith("~$")


def _supported(path: str) -> bool:
    return path.lower().endswith(SUPPORTED_SUFFIXES)


#: repository housekeeping files skipped when a folder is walked (named explicitly, they are read)
_HOUSEKEEPING = ("readme", "changelog", "license", "licence", "contributing", "code_of_conduct", "security")


def _walk(folder: str) -> list[str]:
    """Supported files under a folder, recursively, sorted, skipping hidden folders, Word lock
    files and repository housekeeping files (README, CHANGELOG, LICENSE...)."""
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if _is_lock_file(name) or not _supported(name) or name.lower().startswith(_HOUSEKEEPING):
                continue
            path = os.path.join(root, name)
            out.append(path[2:] if path.startswith("./") else path)
    return out


def _key(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


def expand_inputs(args: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files as given, folders recursively (supported suffixes only), globs (``**`` recursive).

    Input order is kept and duplicates are dropped. A path that does not exist (or a glob that
    matches nothing) is kept as given so that reading it reports a proper error."""
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        k = _key(p)
        if k not in seen:
            seen.add(k)
            out.append(p)

    for raw in args:
        arg = os.fspath(raw)
        if arg == "-":
            add(arg)
        elif os.path.isdir(arg):
            for p in _walk(arg):
                add(p)
        elif os.path.exists(arg) or not (_GLOB_CHARS & set(arg)):
            add(arg)
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            found = False
            for m in matches:
                if os.path.isdir(m):
                    for p in _walk(m):
                        add(p)
                        found = True
                elif _supported(m) and not _is_lock_file(os.path.basename(m)):
                    add(m)
                    found = True
            if not found:
                add(arg)
    return out


# --------------------------------------------------------------------------------------------
# running


def review_one(review_fn: ReviewFn, path: str) -> Result:
    """Review one document; a user-facing error becomes a :class:`DocumentError` entry."""
    try:
        return review_fn(path)
    except ShiftcheckError as e:
        return DocumentError(path=path, error=e.line(), kind=e.kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        return DocumentError(path=path, error=f"{path}: out of memory while reviewing. Try a smaller --max-pages", kind="limit")
    except Exception as e:  # an internal error on one document must not stop the batch
        return DocumentError(
            path=path,
            error=f"{path}: internal error ({e.__class__.__name__}: {e}). Please report it with the file that caused it",
            kind="internal",
        )


def _failed(path: str, exc: BaseException) -> DocumentError:
    return DocumentError(
        path=path,
        error=f"{path}: the worker reviewing it stopped ({exc.__class__.__name__}). Retry with --jobs 1",
        kind="internal",
    )


def _want_progress(progress: bool, n: int) -> bool:
    if not progress or n <= 1:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def run_batch(paths: list[str], review_fn: ReviewFn, jobs: int = 1, progress: bool = False) -> list[Result]:
    """Review every path with ``review_fn(path) -> Report``; results in input order.

    ``jobs > 1`` uses that many worker processes (``0`` = one per CPU); ``review_fn`` must then be
    picklable: a top-level function or a ``functools.partial`` of one. A progress bar is drawn on
    stderr when ``progress`` is set, there is more than one document and stderr is a terminal."""
    paths = list(paths)
    if jobs == 0:
        jobs = os.cpu_count() or 1
    jobs = max(1, min(jobs, len(paths) or 1))
    bar = _Progress(len(paths)) if _want_progress(progress, len(paths)) else None
    try:
        if jobs == 1:
            results: list[Result] = []
            for p in paths:
                if bar:
                    bar.start(p)
                results.append(review_one(review_fn, p))
                if bar:
                    bar.advance()
            return results
        return _run_parallel(paths, review_fn, jobs, bar)
    finally:
        if bar:
            bar.stop()


def _run_parallel(paths: list[str], review_fn: ReviewFn, jobs: int, bar: _Progress | None) -> list[Result]:
    results: list[Result | None] = [None] * len(paths)
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures: dict[Future, int] = {pool.submit(review_one, review_fn, p): i for i, p in enumerate(paths)}
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as e:  # the worker died (crash, killed) or the result would not pickle
                results[i] = _failed(paths[i], e)
            if bar:
                bar.advance(paths[i])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [r if r is not None else _failed(p, RuntimeError("no result")) for r, p in zip(results, paths, strict=True)]


class _Progress:
    """A transient Rich progress bar on stderr."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("reviewing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("", total=total)
        self.progress.start()

    def start(self, path: str) -> None:
        self.progress.update(self.task, description=Path(path).name)

    def advance(self, path: str | None = None) -> None:
        if path is not None:
            self.progress.update(self.task, description=Path(path).name)
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()


# --------------------------------------------------------------------------------------------
# the whole review workflow: config -> inputs -> batch -> waivers -> gate -> exit code


class Reviewer:
    """A picklable ``review_fn``: reviews one path with the settings that apply to it (per-path
    ``overrides`` included). ``fn`` defaults to :func:`shiftcheck.api.review`."""

    def __init__(self, config: EffectiveConfig, verbose: bool = False, fn: Callable[..., Report] | None = None) -> None:
        self.config = config
        self.verbose = verbose
        self.fn = fn

    def options_for(self, path: str) -> dict:
        from shiftcheck.waivers import document_disables

        cfg = self.config.for_path(path)
        return {
            "rubric": self.config.rubric_for(path),
            "lang": None if cfg.lang == "auto" else cfg.lang,
            "limits": cfg.limits.to_limits(),
            "pdf_engine": cfg.pdf_engine,
            "verbose": self.verbose,
            "display": path,
            "disable": [*cfg.disable, *sorted(document_disables(path))],
        }

    def __call__(self, path: str) -> Report:
        fn = self.fn
        if fn is None:
            from shiftcheck.api import review as fn
        return fn(path, **self.options_for(path))


@dataclass
class ReviewOutcome:
    #: one entry per input document, in input order (waived flags marked)
    entries: list[Result]
    #: the same, with each report as gated (disabled flags removed, severities overridden):
    #: render these
    gated: list[Result]
    gate: list[GateResult]
    waivers: WaiverOutcome
    exit_code: int

    @property
    def errors(self) -> list[DocumentError]:
        return [e for e in self.entries if isinstance(e, DocumentError)]

    def messages(self) -> list[str]:
        """Lines for stderr: document errors, gate failures, expired and unused waivers."""
        lines = [e.error for e in self.errors]
        for g in self.gate:
            lines += g.failures
        lines += self.waivers.messages()
        return list(dict.fromkeys(lines))  # the same rule twice in one paragraph: one line


def review_documents(
    inputs: Iterable[str | os.PathLike[str]],
    config: EffectiveConfig,
    *,
    verbose: bool = False,
    progress: bool = True,
    today: dt.date | None = None,
    review_fn: ReviewFn | None = None,
) -> ReviewOutcome:
    """Expand the inputs, check the rubrics and waivers up front (no document found, a bad rubric
    or waivers file raises, exit 2), review every document (``config.jobs`` processes), apply waivers across the
    batch, gate each report and compute the exit code."""
    from shiftcheck.gate import evaluate, exit_code
    from shiftcheck.waivers import apply_waivers, check_rule_ids, load_waivers

    inputs = [os.fspath(i) for i in inputs]
    paths = expand_inputs(inputs)
    if not paths:
        from shiftcheck.errors import UsageError

        raise UsageError(
            ", ".join(inputs) or None,
            "holds no document to review" if inputs else "no documents given",
            "Pass .docx, .pdf, .md, .markdown or .txt files, folders, or quoted globs",
        )
    rubrics = []
    if review_fn is None or isinstance(review_fn, Reviewer):
        from shiftcheck.rubric import load_rubric
        from shiftcheck.waivers import register_rubric

        for ref in dict.fromkeys(config.rubric_for(p) for p in paths):
            rubrics.append(load_rubric(ref))  # RubricError: stop before reading any document
            register_rubric(rubrics[-1])
        review_fn = review_fn or Reviewer(config, verbose=verbose)
    waivers = load_waivers(config.path_of("waivers"), required=config.source_of("waivers") != "default")
    check_rule_ids(config, rubrics, waivers)  # a misspelled rule id: exit 2 before reading any document
    entries = run_batch(paths, review_fn, jobs=config.config.jobs, progress=progress)
    outcome = apply_waivers(entries, waivers, today)
    gated: list[Result] = []
    results: list[GateResult] = []
    for entry in entries:
        if isinstance(entry, DocumentError):
            gated.append(entry)
            continue
        g = evaluate(entry, config)
        results.append(g)
        gated.append(g.report if g.report is not None else entry)
    code = exit_code([*[e for e in entries if isinstance(e, DocumentError)], *results], config.config.exit_zero)
    return ReviewOutcome(entries=entries, gated=gated, gate=results, waivers=outcome, exit_code=code)
