"""``review --format docx``: one Word file per reviewed document, and where each one goes.

A DOCX input gets a commented copy, other inputs a fresh Word report (both rendered by
:mod:`shiftcheck.report.docx`). One document: ``-o FILE.docx`` (``.docm`` for a macro-enabled
input), or standard output when it is not a terminal. Several: ``-o FOLDER``, one file each, named
by :func:`shiftcheck.report.docx.output_name` in the input's sub-folder. What cannot work is
refused before any document is read (:func:`check_docx_request`) or before any file is written
(nothing is written when one file would replace an input document).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shiftcheck.errors import UsageError
from shiftcheck.model import Report

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.config import EffectiveConfig

#: a reviewed document -> its Word file
Renderer = Callable[[Report], bytes]

_WORD_SUFFIXES = (".docx", ".docm")


def check_docx_request(inputs: list[str], out: Path | None) -> None:
    """Before any document is read: Word files need ``-o`` (or a pipe), and several documents a
    folder."""
    several = len(inputs) > 1 or any(os.path.isdir(i) for i in inputs)
    if out is None and not several and sys.stdout.isatty():
        raise UsageError(
            None, "--format docx writes a Word file, not text for the terminal", "Pass -o FILE.docx"
        )
    if several and (
        out is None
        or (out.exists() and not out.is_dir())
        or (not out.exists() and out.suffix.lower() in _WORD_SUFFIXES)
    ):
        raise UsageError(
            str(out) if out is not None else None,
            "--format docx writes one Word file per document, so several documents need a folder",
            "Pass -o FOLDER (with --mkdir to create it)",
        )


def docx_renderer(config: EffectiveConfig, summary: bool) -> Renderer:
    """Each document's Word file, under its own per-path limits and the configured author."""
    from shiftcheck.report import RenderOptions
    from shiftcheck.report.docx import render_report

    opts = RenderOptions(summary=summary, author=config.config.report.author or "shiftcheck")

    def render(report: Report) -> bytes:
        limits = config.for_path(report.document.path).limits.to_limits()
        return render_report(report, opts, limits=limits)

    return render


def write_word_files(
    reports: list[Report],
    inputs: list[Path],
    out: Path | None,
    render: Renderer,
    *,
    single: bool,
    mkdir: bool,
    err: Any,
) -> None:
    """Write the Word file of each report: to ``out`` (a file, or a folder for several), or to
    standard output for a single document without ``-o``. ``inputs`` are never overwritten."""
    if out is None or (single and not out.is_dir()):
        if not single:
            raise UsageError(
                None,
                "--format docx gives one Word file per document",
                "Pass -o FOLDER to write one for each of the documents",
            )
        if reports:  # else its error line is on stderr
            _write_one(reports[0], out, render, inputs, mkdir)
        return
    _check_folder(out, mkdir)
    plan = _plan(reports, out)
    _refuse_clash(plan, inputs, out)
    from shiftcheck.output import write_atomic

    for r, target in plan:
        write_atomic(target, render(r), inputs=inputs, make_parents=True)
    if plan:
        print(f"wrote {len(plan)} Word file{'s' if len(plan) != 1 else ''} to {out}", file=err)


def _write_one(
    report: Report, out: Path | None, render: Renderer, inputs: list[Path], mkdir: bool
) -> None:
    if out is None:
        sys.stdout.buffer.write(render(report))
        sys.stdout.flush()
        return
    from shiftcheck.output import write_atomic

    _check_macro_suffix(report, out)
    write_atomic(out, render(report), inputs=inputs, make_parents=mkdir)


def _check_macro_suffix(report: Report, target: Path) -> None:
    """Word opens a macro-enabled package only as .docm, and a plain one only as .docx."""
    macro_in = report.document.format == "docx" and report.document.path.lower().endswith(".docm")
    macro_out = str(target).lower().endswith(".docm")
    if macro_in and not macro_out and Path(target).suffix:
        raise UsageError(
            str(target),
            "the reviewed document is macro-enabled (.docm), so its copy must be a .docm too",
            "Name the output FILE.docm",
        )
    if macro_out and not macro_in:
        raise UsageError(
            str(target),
            "a .docm output needs a macro-enabled (.docm) input",
            "Name the output FILE.docx",
        )


def _check_folder(out: Path, mkdir: bool) -> None:
    """``-o`` for several Word files must be a folder, existing or to be made with ``--mkdir``."""
    if out.exists() and not out.is_dir():
        raise UsageError(
            str(out),
            "is a file, but --format docx writes one Word file per document",
            "Give a folder for -o",
        )
    if not out.exists():
        if out.suffix.lower() in _WORD_SUFFIXES:
            raise UsageError(
                str(out),
                "names one file, but --format docx writes one Word file per document",
                "Give a folder for -o (with --mkdir to create it)",
            )
        if not mkdir:
            raise UsageError(str(out), "folder does not exist", "Create it first or pass --mkdir")


def _plan(reports: list[Report], out: Path) -> list[tuple[Report, Path]]:
    """Each report's target: its input's sub-folder (below the inputs' common folder) in ``out``."""
    from shiftcheck.report.docx import output_name

    folders = [os.path.dirname(os.path.abspath(r.document.path)) for r in reports]
    common = os.path.commonpath(folders) if folders else ""
    plan: list[tuple[Report, Path]] = []
    for r, folder in zip(reports, folders, strict=True):
        target = (
            out / os.path.relpath(folder, common) / output_name(r.document.path, r.document.format)
        )
        plan.append((r, Path(os.path.normpath(target))))
    return plan


def _refuse_clash(plan: list[tuple[Report, Path]], inputs: list[Path], out: Path) -> None:
    real_inputs = {os.path.realpath(p) for p in inputs}
    clash = next((t for _, t in plan if os.path.realpath(t) in real_inputs), None)
    if clash is not None:
        raise UsageError(
            str(out), f"would overwrite the input document {clash}", "Choose another folder for -o"
        )
