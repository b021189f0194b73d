"""The review pipeline, one path for a single file and for a batch.

``inputs -> expand (files, folders, globs) -> rubrics and waivers checked up front -> review each
document with its own per-path settings (optionally cached, optionally in a guarded child
process) -> waivers across the batch -> the gate per document -> render -> write``.

The command line (:mod:`shiftcheck.commands`) only parses flags into a :class:`ReviewRequest`,
calls :func:`run_review` and maps errors to exit codes. Library users call
:func:`review_documents` (no rendering, no writing) or :func:`shiftcheck.review` (one document).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shiftcheck.batch import expand_inputs, run_batch
from shiftcheck.errors import UsageError
from shiftcheck.model import DocumentError, Report

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.config import EffectiveConfig
    from shiftcheck.gate import GateResult
    from shiftcheck.waivers import WaiverOutcome

ReviewFn = Callable[[str], Report]
Result = Report | DocumentError


# --------------------------------------------------------------------------------------------
# formats


def report_formats() -> list[str]:
    """Every report format ``review`` can write: the renderers' formats plus ``github``, then the
    file formats (``docx``)."""
    from shiftcheck.report import BINARY_FORMATS, FORMATS

    return list(dict.fromkeys([*FORMATS, "github", *BINARY_FORMATS]))


def output_suffixes() -> list[str]:
    """The ``-o`` suffixes a format is inferred from (``.sarif.json`` included)."""
    from shiftcheck.report import SUFFIXES

    return [*SUFFIXES, ".sarif.json"]


def choose_format(
    fmt: str | None, output: Path | None, default: str, allowed: Sequence[str]
) -> str:
    """The format to write: ``--format``, else inferred from ``-o``'s suffix, else ``default``.

    An ``-o`` suffix that names no format is a :class:`UsageError` listing the suffixes that do
    (a file with no suffix takes the default). Every command that writes uses this."""
    chosen = fmt
    if chosen is None and output is not None:
        chosen = _format_from_suffix(output)
    if chosen is None:
        chosen = default
    if chosen not in allowed:
        raise UsageError(
            None, f"--format: unknown format '{chosen}'", f"Choose one of: {', '.join(allowed)}"
        )
    return chosen


def _format_from_suffix(output: Path) -> str | None:
    from shiftcheck.report import format_for_path

    found = format_for_path(str(output))
    if found is None and Path(output).suffix:
        raise UsageError(
            str(output),
            f"no report format has the suffix '{Path(output).suffix}'",
            f"Use one of {', '.join(output_suffixes())}, or pass --format",
        )
    return found


# --------------------------------------------------------------------------------------------
# reviewing one document with its per-path settings


class Reviewer:
    """A picklable ``review_fn``: reviews one path with the settings that apply to it (per-path
    ``overrides`` included). ``cache`` reuses parsed documents; ``guarded`` reads DOCX and PDF in
    a child process under the time and memory limits; ``meanwhile`` (picklable, or None) runs in
    this process while such a child reviews (see :func:`shiftcheck.api.review`). ``fn`` replaces
    :func:`shiftcheck.api.review` (tests)."""

    def __init__(
        self,
        config: EffectiveConfig,
        verbose: bool = False,
        fn: Callable[..., Report] | None = None,
        *,
        cache: bool = False,
        guarded: bool = True,
        meanwhile: Callable[[], object] | None = None,
    ) -> None:
        self.config = config
        self.verbose = verbose
        self.fn = fn
        self.cache = cache
        self.guarded = guarded
        self.meanwhile = meanwhile

    def options_for(self, path: str) -> dict[str, Any]:
        from shiftcheck.waivers import document_disables

        cfg = self.config.for_path(path)
        options: dict[str, Any] = {
            "rubric": self.config.rubric_for(path),
            "lang": None if cfg.lang == "auto" else cfg.lang,
            "limits": cfg.limits.to_limits(),
            "pdf_engine": cfg.pdf_engine,
            "verbose": self.verbose,
            "display": path,
            "disable": [*cfg.disable, *sorted(document_disables(path))],
        }
        if self.fn is None or cfg.report.lang != "auto":
            options["report_lang"] = cfg.report.lang
        if self.fn is None:  # options of shiftcheck.api.review only
            options.update(cache=self.cache, guarded=self.guarded, meanwhile=self.meanwhile)
        return options

    def __call__(self, path: str) -> Report:
        fn = self.fn
        if fn is None:
            from shiftcheck.api import review

            fn = review
        return fn(path, **self.options_for(path))


# --------------------------------------------------------------------------------------------
# the batch: expand, check up front, review, waive, gate


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
    #: each document's own ``fail_under`` (per-path overrides applied), by document path
    thresholds: dict[str, int | None] = field(default_factory=dict)

    @property
    def errors(self) -> list[DocumentError]:
        return [e for e in self.entries if isinstance(e, DocumentError)]

    def input_paths(self) -> list[Path]:
        """Every input document's path (reports are never written over them)."""
        return [Path(e.document.path if isinstance(e, Report) else e.path) for e in self.entries]

    def messages(self) -> list[str]:
        """Lines for stderr: document errors, gate failures, expired and unused waivers."""
        lines = [e.error for e in self.errors]
        for g in self.gate:
            lines += g.failures
        lines += self.waivers.messages()
        return list(dict.fromkeys(lines))  # the same rule twice in one paragraph: one line


def _expand(inputs: list[str]) -> list[str]:
    paths = expand_inputs(inputs)
    if not paths:
        from shiftcheck.suffixes import DOCUMENT_SUFFIXES

        raise UsageError(
            ", ".join(inputs) or None,
            "holds no document to review" if inputs else "no documents given",
            f"Pass {', '.join(DOCUMENT_SUFFIXES)} files, folders, or quoted globs",
        )
    return paths


def _check_rubrics(paths: list[str], config: EffectiveConfig) -> list[Any]:
    """Load every rubric the documents use (a bad rubric raises before any document is read) and
    register its aliases for waivers and rule-id checks."""
    from shiftcheck.rubric import load_rubric
    from shiftcheck.rulecheck import register_rubric

    rubrics = []
    for ref in dict.fromkeys(config.rubric_for(p) for p in paths):
        rubrics.append(load_rubric(ref))
        register_rubric(rubrics[-1])
    return rubrics


def _gate_all(
    entries: list[Result], config: EffectiveConfig
) -> tuple[list[Result], list[GateResult], dict[str, int | None]]:
    from shiftcheck.gate import evaluate

    gated: list[Result] = []
    results: list[GateResult] = []
    thresholds: dict[str, int | None] = {}
    for entry in entries:
        if isinstance(entry, DocumentError):
            gated.append(entry)
            continue
        g = evaluate(entry, config)
        results.append(g)
        gated.append(g.report if g.report is not None else entry)
        thresholds[entry.document.path] = config.for_path(entry.document.path).fail_under
    return gated, results, thresholds


def review_documents(
    inputs: Iterable[str | os.PathLike[str]],
    config: EffectiveConfig,
    *,
    verbose: bool = False,
    progress: bool = True,
    today: dt.date | None = None,
    review_fn: ReviewFn | None = None,
    cache: bool = False,
    guarded: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> ReviewOutcome:
    """Expand the inputs, check the rubrics and waivers up front (no document found, a bad rubric
    or waivers file raises, exit 2), review every document (``config.jobs`` processes), apply
    waivers across the batch, gate each report and compute the exit code.

    ``cache``, ``guarded`` and ``meanwhile`` are options of the default :class:`Reviewer`;
    ``review_fn`` replaces it (tests). Rubrics are checked whichever reviews."""
    from shiftcheck.gate import exit_code
    from shiftcheck.rulecheck import check_rule_ids
    from shiftcheck.waivers import apply_waivers, load_waivers

    paths = _expand([os.fspath(i) for i in inputs])
    rubrics = _check_rubrics(paths, config)
    reviewer = review_fn or Reviewer(
        config, verbose=verbose, cache=cache, guarded=guarded, meanwhile=meanwhile
    )
    waivers = load_waivers(
        config.path_of("waivers"), required=config.source_of("waivers") != "default"
    )
    check_rule_ids(
        config, rubrics, waivers
    )  # a misspelled rule id: exit 2 before reading any document
    entries = run_batch(paths, reviewer, jobs=config.config.jobs, progress=progress)
    outcome = apply_waivers(entries, waivers, today)
    gated, results, thresholds = _gate_all(entries, config)
    code = exit_code(
        [*[e for e in entries if isinstance(e, DocumentError)], *results], config.config.exit_zero
    )
    return ReviewOutcome(
        entries=entries,
        gated=gated,
        gate=results,
        waivers=outcome,
        exit_code=code,
        thresholds=thresholds,
    )


# --------------------------------------------------------------------------------------------
# the command: review, render, write


@dataclass
class ReviewRequest:
    """What ``shiftcheck review`` was asked for (flags already merged into ``config``)."""

    inputs: list[str]
    config: EffectiveConfig
    fmt: str | None = None
    output: Path | None = None
    mkdir: bool = False
    summary: bool = False
    verbose: bool = False
    cache: bool = False
    guarded: bool = True
    write_baseline: Path | None = None
    color: bool | None = None
    width: int | None = None
    progress: bool = False
    #: where messages go (stderr)
    err: Any = None


def _default_format(config: EffectiveConfig) -> str:
    from shiftcheck.github import in_github_actions

    return "github" if in_github_actions() else config.config.format


def run_review(req: ReviewRequest) -> int:
    """Review, print the messages, write the report (or the baseline); the exit code."""
    err = req.err or sys.stderr
    fmt = choose_format(req.fmt, req.output, _default_format(req.config), report_formats())
    from shiftcheck.report import prepare as prepare_format

    if fmt == "docx" and req.write_baseline is None:
        from shiftcheck.wordfiles import check_docx_request

        check_docx_request(req.inputs, req.output)
    outcome = review_documents(
        req.inputs,
        req.config,
        verbose=req.verbose,
        progress=req.progress,
        cache=req.cache,
        guarded=req.guarded,
        # while a child reviews the first document, this process imports the report's writer
        meanwhile=functools.partial(prepare_format, fmt),
    )
    for line in outcome.messages():
        print(line, file=err)
    if req.write_baseline is not None:
        return _write_baseline(req, outcome, err)
    if fmt == "docx":
        _deliver_docx(req, outcome, err)
        return outcome.exit_code
    text = render_outcome(outcome, fmt, req)
    _deliver(text, req, outcome)
    return outcome.exit_code


def _write_baseline(req: ReviewRequest, outcome: ReviewOutcome, err: Any) -> int:
    from shiftcheck.output import write_atomic
    from shiftcheck.waivers import write_baseline as baseline_text

    target = Path(req.write_baseline or "")
    write_atomic(
        target, baseline_text(outcome.gated, base=str(target.parent)), make_parents=req.mkdir
    )
    n = sum(
        1
        for e in outcome.gated
        if isinstance(e, Report)
        for s in e.shifts
        for f in s.red_flags
        if not f.waived
    )
    print(f"wrote {n} waiver(s) to {target}", file=err)
    return 2 if outcome.errors else 0


def _is_single(req: ReviewRequest, outcome: ReviewOutcome) -> bool:
    """One named file (not a folder or a glob): rendered as one report, not a batch."""
    return len(req.inputs) == 1 and len(outcome.entries) == 1 and not os.path.isdir(req.inputs[0])


def render_outcome(outcome: ReviewOutcome, fmt: str, req: ReviewRequest) -> str:
    """The report text in ``fmt`` ('' when a single document could not be read: its error line
    on stderr says it all)."""
    from shiftcheck.report import RenderOptions, render

    if fmt == "github":
        return _render_github(outcome, req.config.config.report.lang)
    single = _is_single(req, outcome)
    if not outcome.gated or (single and outcome.errors):
        return ""
    data: Report | list[Result] = (
        outcome.gated[0] if single and isinstance(outcome.gated[0], Report) else outcome.gated
    )
    color, width = _terminal_look(req)
    opts = RenderOptions(
        width=width,
        color=color,
        summary=req.summary,
        verbose=req.verbose,
        thresholds=outcome.thresholds,  # each document's own gate, per-path overrides applied
        root=os.getcwd() if fmt == "sarif" else None,
        lang=req.config.config.report.lang,
    )
    return render(fmt, data, opts)


def _render_github(outcome: ReviewOutcome, lang: str = "auto") -> str:
    """The github format's annotations (gate lines included) and the Markdown job summary, both
    in ``lang`` (``report.lang``: ``auto`` is each document's own language)."""
    from shiftcheck.github import append_step_summary
    from shiftcheck.report import RenderOptions, render
    from shiftcheck.report.github import render_github  # the github format, warnings included

    text = render_github(outcome.gated, outcome.gate, RenderOptions(lang=lang))
    if outcome.gated:
        opts = RenderOptions(summary=len(outcome.gated) > 3, lang=lang)
        append_step_summary(render("markdown", outcome.gated, opts))
    return text


def _terminal_look(req: ReviewRequest) -> tuple[bool, int | None]:
    to_tty = req.output is None and sys.stdout.isatty()
    color = req.color if req.color is not None else (to_tty and not os.environ.get("NO_COLOR"))
    width = req.width
    if width is None and to_tty:
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
    return bool(color), width


def _deliver(text: str, req: ReviewRequest, outcome: ReviewOutcome) -> None:
    if req.output is None:
        if text:
            sys.stdout.write(text)
        return
    from shiftcheck.output import write_atomic

    write_atomic(req.output, text, inputs=outcome.input_paths(), make_parents=req.mkdir)


def _deliver_docx(req: ReviewRequest, outcome: ReviewOutcome, err: Any) -> None:
    """One Word file per reviewed document (:mod:`shiftcheck.wordfiles`)."""
    from shiftcheck.wordfiles import docx_renderer, write_word_files

    write_word_files(
        [e for e in outcome.gated if isinstance(e, Report)],
        outcome.input_paths(),
        req.output,
        docx_renderer(req.config, req.summary),
        single=_is_single(req, outcome),
        mkdir=req.mkdir,
        err=err,
    )
