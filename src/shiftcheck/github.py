"""GitHub Actions output: workflow-command annotations and the job summary.

``render_github`` prints lines such as::

    ::warning file=docs/p.md,line=12,title=shift-2/parallel-system::A parallel unit ... “a PIU” (line 12, Budget)

GitHub shows them on the run and, for text files with a line, inline in the pull request diff.
DOCX and PDF have no lines, so their annotations sit at file level: the Markdown report written to
the job summary (``append_step_summary``) is the main view for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from shiftcheck.model import DocumentError, Report

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """One workflow command: ``::warning file=F,line=N,title=T::message``."""
    props = []
    if file:
        props.append(f"file={_prop(file)}")
    if line is not None:
        props.append(f"line={line}")
        if col is not None:
            props.append(f"col={col}")
    if title:
        props.append(f"title={_prop(title)}")
    head = f"::{level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{_data(message)}"


def _quote(text: str, limit: int = 200) -> str:
    from shiftcheck.report.text import shorten

    return shorten(text, limit)  # one line, cut at a word boundary


def render_github(
    entries: Iterable[Report | DocumentError],
    gate: Iterable[object] | None = None,
    opts: object = None,
) -> str:
    """Annotation lines for every document: input errors, unwaived and unmitigated red flags, a
    one-line level summary per document, and the gate's threshold failures (``GateResult`` list).

    Pass the gated reports (``GateResult.report``) so that disabled flags and severity overrides
    are reflected. ``opts.lang`` (``RenderOptions.lang``) names the report language; ``auto`` or
    none: each document's own."""
    lines: list[str] = []
    for entry in entries:
        if isinstance(entry, DocumentError):
            lines.append(
                annotation(
                    "error", entry.error, file=entry.path, title=f"shiftcheck: {entry.kind} error"
                )
            )
        else:
            lines += _report_annotations(entry, opts)
    for result in gate or ():
        lines += _gate_annotations(result, opts)
    return "\n".join(lines) + ("\n" if lines else "")


def _report_annotations(report: Report, opts: object = None) -> list[str]:
    """One line per open red flag (at its line when the document has lines), then the levels."""
    from shiftcheck.report._common import loc, tr_for

    tr = tr_for(report, opts)
    path = report.document.path
    lines: list[str] = []
    for shift in report.shifts:
        for hit in shift.red_flags:
            if hit.waived or hit.mitigated:
                continue
            msg = f"{hit.message} “{_quote(hit.quote)}” ({loc(hit.location, tr)})"
            if hit.suggestion:
                msg += f" {tr('github.suggestion')}{tr('sep.colon')}{hit.suggestion}"
            lines.append(
                annotation(
                    _LEVELS.get(hit.severity, "warning"),
                    msg,
                    file=path,
                    line=hit.location.line,
                    col=hit.location.column,
                    title=f"{shift.key}/{hit.key}",
                )
            )
    levels = ", ".join(f"{s.id}: {s.level}" for s in report.shifts)
    summary = tr(
        "github.summary",
        level=report.overall.level,
        score=f"{report.overall.score:.2f}",
        levels=levels,
    )
    lines.append(annotation("notice", summary, file=path, title=tr("github.summary_title")))
    return lines


def _gate_annotations(result: object, opts: object = None) -> list[str]:
    """The gate's threshold failures of one document (its red flags are annotated already), in
    the report language: ``opts.lang`` when it names one, else the document's (``result.lang``)."""
    from shiftcheck.report.i18n import translator

    option = getattr(opts, "lang", None)
    lang = option if option and option != "auto" else getattr(result, "lang", None)
    lines_in = getattr(result, "lines", None)
    failures = lines_in(lang) if callable(lines_in) else getattr(result, "failures", [])
    kinds = getattr(result, "kinds", []) or ["?"] * len(failures)
    title = translator(lang)("gate.title")
    return [
        annotation("error", failure, file=getattr(result, "path", None) or None, title=title)
        for failure, kind in zip(failures, kinds, strict=False)
        if kind != "red_flag"
    ]


def in_github_actions(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("GITHUB_ACTIONS") == "true"


def append_step_summary(markdown: str, env: Mapping[str, str] | None = None) -> bool:
    """Append Markdown to the job summary when ``$GITHUB_STEP_SUMMARY`` is set; True if written."""
    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as f:
        f.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True
