"""Helpers shared by the report formats (no rendering library imports here)."""

from __future__ import annotations

import re

from shiftcheck.model import Evidence, Report, ShiftResult

#: where the shifts are explained; SARIF helpUri and HTML links append ``#shift-<id>``
DOCS_URL = "https://github.com/shiftcheck/shiftcheck/blob/main/docs/shifts.md"
INFORMATION_URI = "https://github.com/shiftcheck/shiftcheck"

DEFAULT_LEVEL_NAMES = {0: "Absent", 1: "Mentioned", 2: "Described", 3: "Operationalised"}

#: short axis labels for the nine critical shifts (fallback: the shift's title)
SHORT_NAMES = {
    1: "Country priorities",
    2: "Sovereignty",
    3: "Trust",
    4: "Long-term systems",
    5: "Context",
    6: "Adaptive learning",
    7: "Whole system",
    8: "Equity & power",
    9: "Feedback & evaluation",
}

_STRENGTH_RANK = {"operational": 3, "described": 2, "mentioned": 1}
_WS = re.compile(r"\s+")


def docs_url(shift_id: int) -> str:
    return f"{DOCS_URL}#shift-{shift_id}"


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


def short_name(shift: ShiftResult) -> str:
    return SHORT_NAMES.get(shift.id) or shift.title


def one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    """One line, at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


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
