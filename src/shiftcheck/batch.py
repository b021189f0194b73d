"""Batches: expand command-line inputs to documents and review them, in parallel when asked.

One unreadable document never hides the others: each becomes a :class:`DocumentError` entry in
the results, in input order. The whole workflow (config, waivers, gate, output) is
:mod:`shiftcheck.service`.
"""

from __future__ import annotations

import glob
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from shiftcheck.errors import ShiftcheckError
from shiftcheck.model import DocumentError, Report
from shiftcheck.suffixes import DOCUMENT_SUFFIXES, is_document, is_markdown

#: suffixes picked up when expanding folders and globs (one definition: :mod:`shiftcheck.suffixes`)
SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES

_GLOB_CHARS = set("*?[")

ReviewFn = Callable[[str], Report]
Result = Report | DocumentError


def _is_lock_file(name: str) -> bool:
    """Word writes ``~$name.docx`` next to an open document."""
    return name.startswith("~$")


def _supported(path: str) -> bool:
    return is_document(path)


#: repository housekeeping files skipped when a folder is walked (named explicitly, they are read).
#: Whole names only: ``README.md`` is skipped, ``security-food-proposal.md`` is reviewed.
_HOUSEKEEPING = frozenset(
    {"readme", "changelog", "changes", "history", "license", "licence", "copying", "contributing", "code_of_conduct", "security", "authors", "notice"}
)


def is_housekeeping(name: str) -> bool:
    """``README.md``, ``LICENSE.txt``, ``CODE_OF_CONDUCT.md``...: the whole name before its suffix."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem.lower().replace("-", "_") in _HOUSEKEEPING


#: the first line of a Markdown report shiftcheck wrote (single document or portfolio), and the
#: header line of a terminal-text report
_OWN_MARKDOWN = ("## shiftcheck review: ", "# shiftcheck portfolio review (", "<!-- shiftcheck report")


def is_own_report(path: str) -> bool:
    """A Markdown or text report that shiftcheck wrote (so a report saved into the reviewed
    folder is not reviewed as a proposal on the next run)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = [fh.readline() for _ in range(6)]
    except OSError:
        return False
    first = head[0].lstrip("\ufeff")
    if is_markdown(path):
        return first.startswith(_OWN_MARKDOWN)
    return any(
        line.startswith("format: ") and "  words: " in line and "  rubric: " in line and nxt.startswith("overall: ")
        for line, nxt in itertools.pairwise(head)
    )


def _skipped(name: str, path: str) -> bool:
    return _is_lock_file(name) or not _supported(name) or is_housekeeping(name) or is_own_report(path)


def _walk(folder: str) -> list[str]:
    """Supported files under a folder, recursively, sorted, skipping hidden folders, Word lock
    files, repository housekeeping files (README, CHANGELOG, LICENSE...) and shiftcheck's own
    reports."""
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(root, name)
            if _skipped(name, path):
                continue
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
                elif _supported(m) and not _is_lock_file(os.path.basename(m)) and not is_own_report(m):
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
