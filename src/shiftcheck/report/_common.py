"""Helpers shared by the report formats (no rendering library imports here)."""

from __future__ import annotations

from shiftcheck.model import BatchReport, Evidence, Report, ShiftResult
from shiftcheck.report.text import one_line

DEFAULT_LEVEL_NAMES = {0: "Absent", 1: "Mentioned", 2: "Described", 3: "Operationalised"}

_STRENGTH_RANK = {"operational": 3, "described": 2, "mentioned": 1}


def label(shift: ShiftResult) -> str:
    """The shift's short label: the criterion's ``short_title``, else its title."""
    return one_line(shift.short_title or "") or one_line(shift.title)


def docs_command(report: Report, shift: ShiftResult) -> str:
    """The command that explains a shift with the documentation shipped in the package."""
    return f"shiftcheck rubric show {report.rubric.id} --shift {shift.id}"


def docs_link(shift: ShiftResult) -> str | None:
    """The criterion's documentation address when the rubric gives one; never an invented one."""
    return shift.docs_url or None


def level_legend(levels: dict[int, str] | None) -> str:
    """``Levels: 0 Absent, 1 Mentioned, 2 Described, 3 Operationalised.`` from the rubric's names."""
    names = {**DEFAULT_LEVEL_NAMES, **(levels or {})}
    return "Levels: " + ", ".join(f"{lvl} {one_line(names[lvl])}" for lvl in sorted(names)) + "."


def batch_levels(batch: BatchReport) -> dict[int, str]:
    """The level names of the first report in ``batch`` that has them (else the defaults)."""
    for e in batch.documents:
        if isinstance(e, Report) and e.levels:
            return e.levels
    return dict(DEFAULT_LEVEL_NAMES)


def batch_shifts(batch: BatchReport) -> list[ShiftResult]:
    """One shift per criterion id present in any report of ``batch``, in order of first appearance:
    the portfolio's columns (the first report's result stands for the criterion)."""
    seen: dict[int, ShiftResult] = {}
    for e in batch.documents:
        if isinstance(e, Report):
            for s in e.shifts:
                seen.setdefault(s.id, s)
    return list(seen.values())


def level_name(report: Report | None, shift: ShiftResult) -> str:
    if shift.level_name:
        return shift.level_name
    if report is not None and shift.level in report.levels:
        return report.levels[shift.level]
    return DEFAULT_LEVEL_NAMES.get(shift.level, str(shift.level))


def overall_name(report: Report) -> str:
    lvl = report.overall.level
    return report.levels.get(lvl) or DEFAULT_LEVEL_NAMES.get(lvl, str(lvl))


def pips(level: int, top: int = 3) -> str:
    level = max(0, min(top, level))
    return "●" * level + "○" * (top - level)


def strongest(shift: ShiftResult) -> Evidence | None:
    """The evidence with the highest strength (first one on ties), or None."""
    best: Evidence | None = None
    for ev in shift.evidence:
        if best is None or _STRENGTH_RANK.get(ev.strength, 0) > _STRENGTH_RANK.get(best.strength, 0):
            best = ev
    return best


def open_flags(shift: ShiftResult) -> int:
    """Red flags that are neither mitigated nor waived."""
    return sum(1 for f in shift.red_flags if not (f.mitigated or f.waived))


def flag_count(shift: ShiftResult, compact: bool = False) -> str:
    """``2`` or ``2 (+1 closed)`` (compact: ``2 (+1)``) when some flags are mitigated or waived."""
    n_open = open_flags(shift)
    closed = len(shift.red_flags) - n_open
    if not closed:
        return str(n_open)
    return f"{n_open} (+{closed})" if compact else f"{n_open} (+{closed} closed)"


def flag_state(flag) -> str | None:
    """``mitigated: ...`` / ``waived: ...`` or None for an open flag."""
    if flag.waived:
        return "waived" + (f": {one_line(flag.waiver_reason)}" if flag.waiver_reason else "")
    if flag.mitigated:
        return "mitigated" + (f": {one_line(flag.mitigation)}" if flag.mitigation else "")
    return None


def header_facts(report: Report) -> list[tuple[str, str]]:
    d = report.document
    facts = [("format", d.format)]
    if d.pages is not None:
        facts.append(("pages", str(d.pages)))
    facts.append(("words", str(d.words)))
    if d.language:
        facts.append(("language", d.language))
    facts.append(("rubric", f"{report.rubric.id} {report.rubric.version}"))
    facts.append(("overall", f"{pips(report.overall.level)} {overall_name(report)} ({report.overall.score:.2f})"))
    return facts
