"""Batches: expand command-line inputs to documents and review them, in parallel when asked.

One unreadable document never hides the others: each becomes a :class:`DocumentError` entry in
the results, in input order. The whole workflow (config, waivers, gate, output) is
:mod:`shiftcheck.service`.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from shiftcheck.errors import ShiftcheckError
from shiftcheck.model import DocumentError, Report
from shiftcheck.suffixes import is_document, is_markdown

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future

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
    {
        "readme",
        "changelog",
        "changes",
        "history",
        "license",
        "licence",
        "copying",
        "contributing",
        "code_of_conduct",
        "security",
        "authors",
        "notice",
    }
)


def is_housekeeping(name: str) -> bool:
    """``README.md``, ``LICENSE.txt``, ``CODE_OF_CONDUCT.md``...: the whole name before its suffix."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem.lower().replace("-", "_") in _HOUSEKEEPING


#: the first line of a Markdown report shiftcheck wrote (single document or portfolio), and the
#: header line of a terminal-text report
_OWN_MARKDOWN = (
    "## shiftcheck review: ",
    "# shiftcheck portfolio review (",
    "<!-- shiftcheck report",
)


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
        line.startswith("format: ")
        and "  words: " in line
        and "  rubric: " in line
        and nxt.startswith("overall: ")
        for line, nxt in itertools.pairwise(head)
    )


def _skipped(name: str, path: str) -> bool:
    return (
        _is_lock_file(name) or not _supported(name) or is_housekeeping(name) or is_own_report(path)
    )


def _entries(folder: str) -> list[os.DirEntry[str]] | None:
    """The folder's entries sorted by name; None when it cannot be listed (permission denied...)."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # a symlink to a folder counts (followed once, see _walk)
    except OSError:
        return False


def _walk(folder: str) -> list[str]:
    """Supported files under a folder, recursively, sorted, skipping hidden folders, Word lock
    files, repository housekeeping files (README, CHANGELOG, LICENSE...) and shiftcheck's own
    reports.

    Symlinked folders are followed once: a folder whose resolved path was already walked is not
    walked again (a link back up the tree cannot loop). A folder that cannot be listed is returned
    as a path of its own, so that reading it gives its one-line error (never silently skipped)."""
    out: list[str] = []
    seen: set[str] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        real = os.path.realpath(here)
        if real in seen:
            continue
        seen.add(real)
        entries = _entries(here)
        if entries is None:
            out.append(here)
            continue
        subfolders = []
        for entry in entries:
            path = os.path.join(here, entry.name)
            if _is_dir(entry):
                if not entry.name.startswith("."):
                    subfolders.append(path)
            elif not _skipped(entry.name, path):
                out.append(path)
        stack.extend(reversed(subfolders))  # depth first, in name order, as os.walk
    return [p[2:] if p.startswith("./") else p for p in out]


def _name_matches(name: str, part: str) -> bool:
    """One path component against one pattern component (glob rules: a wildcard does not match a
    leading dot)."""
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part)


def _glob_match(parts: tuple[str, ...], names: tuple[str, ...], *, prefix: bool = False) -> bool:
    """Do ``names`` (a relative path's components) match the pattern ``parts`` (``**`` = any
    number of folders)? With ``prefix``: could a path under ``names`` still match?"""
    if not parts:
        return not names and not prefix
    if not names:
        return prefix or all(p == "**" for p in parts)
    if parts[0] == "**":
        if names[0].startswith("."):
            return _glob_match(parts[1:], names, prefix=prefix)
        return _glob_match(parts[1:], names, prefix=prefix) or _glob_match(
            parts, names[1:], prefix=prefix
        )
    return _name_matches(names[0], parts[0]) and _glob_match(parts[1:], names[1:], prefix=prefix)


def _glob(pattern: str) -> list[str]:
    """Paths matching ``pattern`` (``**`` recursive), like ``glob.glob(pattern, recursive=True)``
    but symlinked folders are followed once by resolved path (a symlink loop cannot hang the
    expansion), and a folder that cannot be listed on the way is returned as a path of its own
    (its one-line error comes when it is read)."""
    parts = (pattern.replace(os.altsep, os.sep) if os.altsep else pattern).split(os.sep)
    fixed: list[str] = []
    while parts and not (_GLOB_CHARS & set(parts[0])):
        fixed.append(parts.pop(0))
    if not parts:
        return [pattern] if os.path.lexists(pattern) else []
    base = os.sep.join(fixed) if fixed else ""
    if fixed == [""]:  # an absolute pattern: /*.md
        base = os.sep
    wanted = tuple(p for i, p in enumerate(parts) if p != "**" or i == 0 or parts[i - 1] != "**")
    found: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[str, tuple[str, ...]]] = [(base, ())]
    while stack:
        here, names = stack.pop()
        real = os.path.realpath(here or ".")
        if real in seen:
            continue
        seen.add(real)
        entries = _entries(here or ".")
        if entries is None:
            if here and os.path.isdir(here):
                found.append(here)  # unreadable: reading it says so
            continue
        for entry in entries:
            sub = (*names, entry.name)
            path = os.path.join(here, entry.name) if here else entry.name
            if _glob_match(wanted, sub):
                found.append(path)
            if _is_dir(entry) and _glob_match(wanted, sub, prefix=True):
                stack.append((path, sub))
    return sorted(set(found))


def _key(path: str) -> str:
    """One key per file: a document reached through a symlink and by its own name is one."""
    return os.path.normcase(os.path.realpath(path))


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
            matches = _glob(arg)
            found = False
            for m in matches:
                if os.path.isdir(m):
                    for p in _walk(m):
                        add(p)
                        found = True
                elif (
                    _supported(m)
                    and not _is_lock_file(os.path.basename(m))
                    and not is_own_report(m)
                ):
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
        return DocumentError(
            path=path,
            error=f"{path}: out of memory while reviewing. Try a smaller --max-pages",
            kind="limit",
        )
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


def run_batch(
    paths: list[str], review_fn: ReviewFn, jobs: int = 1, progress: bool = False
) -> list[Result]:
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


def _run_parallel(
    paths: list[str], review_fn: ReviewFn, jobs: int, bar: _Progress | None
) -> list[Result]:
    from concurrent.futures import ProcessPoolExecutor, as_completed  # not for one document

    from shiftcheck.model import build_models

    build_models()  # once here, not in every worker
    results: list[Result | None] = [None] * len(paths)
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures: dict[Future, int] = {
            pool.submit(review_one, review_fn, p): i for i, p in enumerate(paths)
        }
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
    return [
        r if r is not None else _failed(p, RuntimeError("no result"))
        for r, p in zip(results, paths, strict=True)
    ]


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
