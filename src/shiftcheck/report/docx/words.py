"""The words of the Word comments: findings grouped by the words they quote, each comment's
paragraphs, and the summary comment on the title. Every string comes from the report catalog
(:mod:`shiftcheck.report.i18n`, keys ``docx.*`` for this format's own)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shiftcheck.model import Evidence, Location, RedFlagHit, Report, ShiftResult
from shiftcheck.report._common import (
    flag_state,
    label,
    level_name,
    loc,
    overall_name,
    severity_name,
    strength_name,
    strongest,
)
from shiftcheck.report.i18n import Translator
from shiftcheck.report.text import one_line, shorten

#: (text, bold) per paragraph of a comment
Paragraphs = list[tuple[str, bool]]


def strength_words(report: Report, tr: Translator, strength: str) -> str:
    return one_line(strength_name(report, strength, tr))


def where(tr: Translator, location: Location) -> str:
    return loc(location, tr)


def shift_line(report: Report, tr: Translator, s: ShiftResult) -> str:
    return tr(
        "docx.shift", id=s.id, title=label(s), level=s.level, name=one_line(level_name(report, s))
    )


def evidence_line(report: Report, tr: Translator, ev: Evidence) -> str:
    indicator = one_line(ev.indicator_title or ev.indicator)
    return tr(
        "docx.evidence", indicator=indicator, strength=strength_words(report, tr, ev.strength)
    )


def flag_lines(tr: Translator, f: RedFlagHit) -> list[str]:
    """The red flag with its severity, its state (mitigated, waived) and the suggested rewrite."""
    lines = [tr("docx.flag", severity=severity_name(f.severity, tr), message=one_line(f.message))]
    state = flag_state(f, tr)
    if state:
        lines.append(state)
    if f.suggestion:
        lines.append(tr("label.suggest") + tr("sep.colon") + one_line(f.suggestion))
    return lines


def _shift_context(tr: Translator, s: ShiftResult) -> list[str]:
    """The rationale and what to add next: once per shift, on its first comment."""
    lines = [one_line(s.rationale)] if s.rationale else []
    if s.recommendations:
        lines.append(tr("head.add_next") + tr("sep.colon").rstrip())
        lines += [f"• {one_line(r)}" for r in s.recommendations]
    return lines


@dataclass
class Finding:
    shift: ShiftResult
    item: Evidence | RedFlagHit


@dataclass
class Comment:
    """One comment: the findings that quote the same words at the same place."""

    quote: str
    location: Location
    findings: list[Finding] = field(default_factory=list)
    context_for: set[int] = field(default_factory=set)  # shift ids whose rationale it carries
    whole_paragraph: bool = False
    #: ("footnote" | "endnote", its number) when the comment sits on a note's reference mark
    in_note: tuple[str, int] | None = None

    def paragraphs(self, report: Report, tr: Translator) -> Paragraphs:
        """(text, bold) per paragraph of the comment."""
        out: Paragraphs = []
        if self.in_note is not None:
            kind, n = self.in_note
            out.append((tr(f"docx.in_{kind}", n=n, quote=one_line(self.quote)), False))
        done: set[int] = set()
        for f in self.findings:
            s = f.shift
            if s.id not in done:
                out.append((shift_line(report, tr, s), True))
            if isinstance(f.item, RedFlagHit):
                out += [(t, False) for t in flag_lines(tr, f.item)]
            else:
                out.append((evidence_line(report, tr, f.item), False))
            if s.id in self.context_for and s.id not in done:
                out += [(t, False) for t in _shift_context(tr, s)]
            done.add(s.id)
        if self.whole_paragraph:
            out.append((tr("docx.whole_paragraph", quote=shorten(self.quote, 120)), False))
        return out


def comments_of(report: Report) -> list[Comment]:
    """Findings grouped by (place, quote), in document order of first appearance per shift."""
    groups: dict[tuple, Comment] = {}
    for s in report.shifts:
        items: list[Evidence | RedFlagHit] = []
        best = strongest(s)
        if best is not None:
            items.append(best)
        items += [e for e in s.evidence if e is not best]
        items += list(s.red_flags)
        for n, item in enumerate(items):
            at = item.location
            key = (at.paragraph, at.table, at.row, at.page, at.line, one_line(item.quote))
            c = groups.get(key)
            if c is None:
                c = groups[key] = Comment(item.quote, at)
            c.findings.append(Finding(s, item))
            if n == 0:
                c.context_for.add(s.id)
    return list(groups.values())


def summary_paragraphs(report: Report, tr: Translator, unplaced: list[Comment]) -> Paragraphs:
    """The summary comment on the title: the overall level, every shift's level, the top
    recommendations, the warnings and the findings that found no place in this copy."""
    overall = tr(
        "docx.summary",
        level=report.overall.level,
        name=one_line(overall_name(report)),
        score=f"{report.overall.score:.2f}",
    )
    out: Paragraphs = [(overall, True)]
    for s in report.shifts:
        n_flags = len(s.red_flags)
        flags = f" · {tr.n('count.flags', n_flags)}" if n_flags else ""
        out.append((f"{shift_line(report, tr, s)}{flags}", False))
    if report.recommendations:
        out.append((tr("head.top"), True))
        out += [(f"{i}. {one_line(r)}", False) for i, r in enumerate(report.recommendations[:3], 1)]
    if report.warnings:
        out.append((tr.n("head.warnings", len(report.warnings)), True))
        out += [(f"• {one_line(w)}", False) for w in report.warnings]
    if unplaced:
        out.append((tr.n("docx.unplaced", len(unplaced)), True))
        for c in unplaced:
            out.append((f"• “{shorten(c.quote, 160)}” ({where(tr, c.location)})", False))
            out += [(f"  {p}", False) for p, _bold in c.paragraphs(report, tr)[:2]]
    return out
