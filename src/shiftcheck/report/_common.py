"""Helpers shared by the report formats (no rendering library imports here).

Every helper that shows words takes the :class:`~shiftcheck.report.i18n.Translator` of the
report (:func:`tr_for`); without one it speaks English.
"""

from __future__ import annotations

from shiftcheck.model import BatchReport, Evidence, Location, MatchDetail, Report, ShiftResult
from shiftcheck.report.i18n import Translator, resolve, translator
from shiftcheck.report.text import one_line
from shiftcheck.report.wording import where

DEFAULT_LEVEL_NAMES = {0: "Absent", 1: "Mentioned", 2: "Described", 3: "Operationalised"}

_STRENGTH_RANK = {"operational": 3, "described": 2, "mentioned": 1}
#: an evidence strength is named like the level it supports (one vocabulary for both)
STRENGTH_LEVEL = {"mentioned": 1, "described": 2, "operational": 3}


def tr_for(report: Report | None, opts: object = None) -> Translator:
    """The translator of ``report``: ``opts.lang`` when it names a language, else the report
    document's language (``auto``)."""
    option = getattr(opts, "lang", None)
    return translator(resolve(option, report.document.language if report is not None else None))


def batch_tr(batch: BatchReport, opts: object = None) -> Translator:
    """The translator of a batch's shared parts (portfolio, titles): ``opts.lang``, else the
    language every report shares, else English."""
    option = getattr(opts, "lang", None)
    if option and option != "auto":
        return translator(resolve(option, None))
    langs = {resolve(None, e.document.language) for e in batch.documents if isinstance(e, Report)}
    return translator(langs.pop() if len(langs) == 1 else "en")


def label(shift: ShiftResult) -> str:
    """The shift's short label: the criterion's ``short_title``, else its title."""
    return one_line(shift.short_title or "") or one_line(shift.title)


def loc(location: Location, tr: Translator | None = None) -> str:
    """A quote's location in the report's words (``p.7, Governance`` / ``p. 7, Gouvernance``)."""
    return where(location, tr)


def docs_command(report: Report, shift: ShiftResult) -> str:
    """The command that explains a shift with the documentation shipped in the package."""
    return f"shiftcheck rubric show {report.rubric.id} --shift {shift.id}"


def docs_link(shift: ShiftResult) -> str | None:
    """The criterion's documentation address when the rubric gives one; never an invented one."""
    return shift.docs_url or None


def _names(levels: dict[int, str] | None, tr: Translator) -> dict[int, str]:
    return {**{lvl: tr(f"level.{lvl}") for lvl in range(4)}, **(levels or {})}


def level_legend(levels: dict[int, str] | None, tr: Translator | None = None) -> str:
    """``Levels: 0 Absent, 1 Mentioned, 2 Described, 3 Operationalised.`` from the rubric's names."""
    tr = tr or translator("en")
    names = _names(levels, tr)
    return tr("legend", items=", ".join(f"{lvl} {one_line(names[lvl])}" for lvl in sorted(names)))


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
    return tr_for(report)(f"level.{shift.level}") if 0 <= shift.level <= 3 else str(shift.level)


def strength_name(report: Report | None, strength: str, tr: Translator | None = None) -> str:
    """An evidence strength named like the level it supports (``operational`` ->
    ``Operationalised``), so level names and strengths share one vocabulary."""
    lvl = STRENGTH_LEVEL.get(strength)
    if lvl is None:
        return strength
    if report is not None and lvl in report.levels:
        return report.levels[lvl]
    return (tr or tr_for(report))(f"level.{lvl}")


def catalog_word(group: str, value: str, tr: Translator | None = None) -> str:
    """``value`` (a severity, a match's status or kind) in the report's words: the catalog's
    ``<group>.<value>``, or ``value`` as it is when the catalog has no such entry."""
    try:
        return (tr or translator("en"))(f"{group}.{value}")
    except KeyError:
        return value


def severity_name(severity: str, tr: Translator | None = None) -> str:
    return catalog_word("severity", severity, tr)


def match_labels(m: MatchDetail, tr: Translator) -> tuple[str, str]:
    """A ``--verbose`` match's status and kind in the report's words (``counted``, ``indicator``;
    ``compté``, ``indicateur``); a status or kind the catalog does not know is shown as it is."""
    return catalog_word("status", m.status, tr), catalog_word("kind", m.kind, tr)


def overall_name(report: Report) -> str:
    lvl = report.overall.level
    return report.levels.get(lvl) or tr_for(report)(f"level.{lvl}")


def pips(level: int, top: int = 3) -> str:
    level = max(0, min(top, level))
    return "●" * level + "○" * (top - level)


def strongest(shift: ShiftResult) -> Evidence | None:
    """The evidence with the highest strength (first one on ties), or None."""
    best: Evidence | None = None
    for ev in shift.evidence:
        if best is None or _STRENGTH_RANK.get(ev.strength, 0) > _STRENGTH_RANK.get(
            best.strength, 0
        ):
            best = ev
    return best


def open_flags(shift: ShiftResult) -> int:
    """Red flags that are neither mitigated nor waived."""
    return sum(1 for f in shift.red_flags if not (f.mitigated or f.waived))


def flag_count(shift: ShiftResult, compact: bool = False, tr: Translator | None = None) -> str:
    """``2`` or ``2 (+1 closed)`` (compact: ``2 (+1)``) when some flags are mitigated or waived."""
    n_open = open_flags(shift)
    closed = len(shift.red_flags) - n_open
    if not closed:
        return str(n_open)
    if compact:
        return f"{n_open} (+{closed})"
    return (tr or translator("en"))("count.closed", open=n_open, closed=closed)


def flag_state(flag, tr: Translator | None = None) -> str | None:
    """``mitigated: ...`` / ``waived: ...`` or None for an open flag."""
    tr = tr or translator("en")
    if flag.waived:
        return tr("state.waived") + (
            tr("sep.colon") + one_line(flag.waiver_reason) if flag.waiver_reason else ""
        )
    if flag.mitigated:
        return tr("state.mitigated") + (
            tr("sep.colon") + one_line(flag.mitigation) if flag.mitigation else ""
        )
    return None


def header_facts(report: Report, tr: Translator | None = None) -> list[tuple[str, str]]:
    tr = tr or translator("en")
    d = report.document
    facts = [(tr("fact.format"), d.format)]
    if d.pages is not None:
        facts.append((tr("fact.pages"), str(d.pages)))
    facts.append((tr("fact.words"), str(d.words)))
    if d.language:
        facts.append((tr("fact.language"), d.language))
    facts.append((tr("fact.rubric"), f"{report.rubric.id} {report.rubric.version}"))
    facts.append(
        (
            tr("fact.overall"),
            f"{pips(report.overall.level)} {overall_name(report)} ({report.overall.score:.2f})",
        )
    )
    return facts
