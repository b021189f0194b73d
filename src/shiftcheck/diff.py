"""Compare two reviews of a document (before/after a revision): levels, evidence, red flags.

Evidence is the same when its indicator and normalized quote are the same; a red flag when its
rule key and normalized quote are the same. Moving a sentence to another page is not a change.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shiftcheck.model import Evidence, RedFlagHit, Report, ShiftResult
from shiftcheck.report.text import console_text, md, shorten, string_console
from shiftcheck.waivers import normalize_text


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShiftDiff(_Model):
    id: int
    key: str
    title: str
    #: None when the shift is missing from that report (a different rubric)
    level_before: int | None
    level_after: int | None
    score_before: float | None = None
    score_after: float | None = None
    evidence_gained: list[Evidence] = Field(default_factory=list)
    evidence_lost: list[Evidence] = Field(default_factory=list)
    flags_added: list[RedFlagHit] = Field(default_factory=list)
    flags_removed: list[RedFlagHit] = Field(default_factory=list)

    @property
    def delta(self) -> int:
        return (self.level_after or 0) - (self.level_before or 0)

    @property
    def changed(self) -> bool:
        return bool(
            self.level_before != self.level_after
            or self.evidence_gained
            or self.evidence_lost
            or self.flags_added
            or self.flags_removed
        )


class ReportDiff(_Model):
    old_path: str
    new_path: str
    rubric_before: str
    rubric_after: str
    overall_level_before: int
    overall_level_after: int
    overall_score_before: float
    overall_score_after: float
    shifts: list[ShiftDiff]

    @property
    def changed(self) -> bool:
        return (
            any(s.changed for s in self.shifts)
            or self.overall_score_before != self.overall_score_after
        )

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


def _ev_key(e: Evidence) -> tuple[str, str]:
    return (e.indicator, normalize_text(e.quote))


def _flag_key(h: RedFlagHit) -> tuple[str, str]:
    return (h.key, normalize_text(h.quote))


def _minus(a: list, b: list, key) -> list:
    keys_b = {key(x) for x in b}
    seen: set = set()
    out = []
    for x in a:
        k = key(x)
        if k in keys_b or k in seen:
            continue
        seen.add(k)
        out.append(x)
    return out


def _diff_shift(old: ShiftResult | None, new: ShiftResult | None) -> ShiftDiff:
    ref = new or old
    assert ref is not None
    old_ev = old.evidence if old else []
    new_ev = new.evidence if new else []
    old_fl = old.red_flags if old else []
    new_fl = new.red_flags if new else []
    return ShiftDiff(
        id=ref.id,
        key=ref.key,
        title=ref.title,
        level_before=old.level if old else None,
        level_after=new.level if new else None,
        score_before=old.score if old else None,
        score_after=new.score if new else None,
        evidence_gained=_minus(new_ev, old_ev, _ev_key),
        evidence_lost=_minus(old_ev, new_ev, _ev_key),
        flags_added=_minus(new_fl, old_fl, _flag_key),
        flags_removed=_minus(old_fl, new_fl, _flag_key),
    )


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Per shift (matched by key, then id): levels before/after, evidence gained and lost, red
    flags added and removed. Shifts keep the new report's order; shifts only in the old report
    follow."""
    old_by_key = {s.key: s for s in old.shifts}
    old_by_id = {s.id: s for s in old.shifts}
    used: set[int] = set()
    shifts: list[ShiftDiff] = []
    for s in new.shifts:
        o = old_by_key.get(s.key) or old_by_id.get(s.id)
        if o is not None and id(o) in used:
            o = None
        if o is not None:
            used.add(id(o))
        shifts.append(_diff_shift(o, s))
    for o in old.shifts:
        if id(o) not in used:
            shifts.append(_diff_shift(o, None))
    return ReportDiff(
        old_path=old.document.path,
        new_path=new.document.path,
        rubric_before=f"{old.rubric.id} {old.rubric.version}",
        rubric_after=f"{new.rubric.id} {new.rubric.version}",
        overall_level_before=old.overall.level,
        overall_level_after=new.overall.level,
        overall_score_before=old.overall.score,
        overall_score_after=new.overall.score,
        shifts=shifts,
    )


def load_report(path: str | os.PathLike[str], review_fn=None, **options) -> Report:
    """A saved JSON report (``--format json``) or a document to review now."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        from shiftcheck.errors import InputError

        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(
                str(path), f"cannot read the report ({e.__class__.__name__})", "Check the path"
            ) from None
        try:
            return Report.model_validate_json(text)
        except ValueError:
            raise InputError(
                str(path),
                "is not a shiftcheck JSON report of one document",
                "Save one with 'shiftcheck review FILE --format json -o FILE.json'",
            ) from None
    if review_fn is None:
        from shiftcheck import review as review_fn
    return review_fn(str(path), **options)


# --------------------------------------------------------------------------------------------
# rendering


def _lvl(level: int | None) -> str:
    return "-" if level is None else str(level)


def _arrow(d: ShiftDiff) -> str:
    if d.level_before is None:
        return "new"
    if d.level_after is None:
        return "removed"
    if d.delta > 0:
        return f"▲ +{d.delta}"
    if d.delta < 0:
        return f"▼ {d.delta}"
    return "="


def _short(text: str) -> str:
    return shorten(text, 140)


def _flag_state(h: RedFlagHit) -> str:
    if h.waived:
        return ", waived"
    if h.mitigated:
        return ", mitigated"
    return ""


def _detail_lines(d: ShiftDiff) -> list[tuple[str, str, str]]:
    """(sign, kind, text) for every change in a shift."""
    out: list[tuple[str, str, str]] = []
    for e in d.evidence_gained:
        out.append(("+", "evidence", f"{e.indicator}: “{_short(e.quote)}” ({e.location.short()})"))
    for e in d.evidence_lost:
        out.append(("-", "evidence", f"{e.indicator}: “{_short(e.quote)}” ({e.location.short()})"))
    for h in d.flags_added:
        out.append(
            (
                "+",
                "red flag",
                f"{d.key}/{h.key} ({h.severity}{_flag_state(h)}): “{_short(h.quote)}” ({h.location.short()})",
            )
        )
    for h in d.flags_removed:
        out.append(
            (
                "-",
                "red flag",
                f"{d.key}/{h.key} ({h.severity}{_flag_state(h)}): “{_short(h.quote)}” ({h.location.short()})",
            )
        )
    return out


def render_diff_terminal(diff: ReportDiff, width: int = 100, color: bool = False) -> str:
    """A Rich table (shift | before | after | change), then the changes of each changed shift."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = string_console(width, color, color_system="standard")
    console.print(Text(f"{diff.old_path} → {diff.new_path}", style="bold"))
    if diff.rubric_before != diff.rubric_after:
        console.print(
            Text(
                f"note: rubric changed ({diff.rubric_before} → {diff.rubric_after}); levels may not be comparable",
                style="yellow",
            )
        )
    table = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Shift", overflow="fold")
    table.add_column("Before", justify="center")
    table.add_column("After", justify="center")
    table.add_column("Change", justify="left", no_wrap=True)
    for d in diff.shifts:
        arrow = _arrow(d)
        style = "green" if d.delta > 0 else "red" if d.delta < 0 else ""
        if arrow == "=" and d.changed:
            arrow = "= (details below)"
        table.add_row(
            f"{d.id}. {d.title}",
            _lvl(d.level_before),
            _lvl(d.level_after),
            Text(arrow, style=style),
        )
    od = round(diff.overall_score_after - diff.overall_score_before, 2)
    table.add_row(
        Text("Overall", style="bold"),
        f"{diff.overall_level_before} ({diff.overall_score_before:.2f})",
        f"{diff.overall_level_after} ({diff.overall_score_after:.2f})",
        Text(f"{od:+.2f}" if od else "=", style="green" if od > 0 else "red" if od < 0 else ""),
    )
    console.print(table)
    changed = [d for d in diff.shifts if d.changed and _detail_lines(d)]
    if not changed:
        console.print("No changes in evidence or red flags.")
    for d in changed:
        console.print()
        console.print(
            Text(
                f"Shift {d.id}: {d.title} ({_lvl(d.level_before)} → {_lvl(d.level_after)})",
                style="bold",
            )
        )
        for sign, kind, text in _detail_lines(d):
            # gained evidence and removed red flags are improvements
            good = (sign == "+") == (kind == "evidence")
            line = Text(f"  {sign} {kind}: ", style="green" if good else "red")
            line.append(text, style="")
            console.print(line, overflow="fold")
    return console_text(console, color)


def render_diff_markdown(diff: ReportDiff) -> str:
    lines = [
        f"## shiftcheck diff: `{diff.old_path}` → `{diff.new_path}`",
        "",
    ]
    if diff.rubric_before != diff.rubric_after:
        lines += [
            f"> Note: the rubric changed ({diff.rubric_before} → {diff.rubric_after}); levels may not be comparable.",
            "",
        ]
    lines += ["| Shift | Before | After | Change |", "|---|:-:|:-:|---|"]
    for d in diff.shifts:
        lines.append(
            f"| {d.id}. {md(d.title)} | {_lvl(d.level_before)} | {_lvl(d.level_after)} | {_arrow(d)} |"
        )
    od = round(diff.overall_score_after - diff.overall_score_before, 2)
    lines.append(
        f"| **Overall** | {diff.overall_level_before} ({diff.overall_score_before:.2f}) | "
        f"{diff.overall_level_after} ({diff.overall_score_after:.2f}) | {f'{od:+.2f}' if od else '='} |"
    )
    changed = [d for d in diff.shifts if d.changed and _detail_lines(d)]
    if not changed:
        lines += ["", "No changes in evidence or red flags."]
    for d in changed:
        lines += [
            "",
            f"### Shift {d.id}: {md(d.title)} ({_lvl(d.level_before)} → {_lvl(d.level_after)})",
            "",
        ]
        for sign, kind, text in _detail_lines(d):
            lines.append(f"- **{_VERBS[(sign, kind)]}**: {md(text)}")
    return "\n".join(lines) + "\n"


_VERBS = {
    ("+", "evidence"): "Evidence gained",
    ("-", "evidence"): "Evidence lost",
    ("+", "red flag"): "Red flag added",
    ("-", "red flag"): "Red flag removed",
}


def render_diff_html(diff: ReportDiff) -> str:
    """One self-contained HTML page: the level table, then the changes of each changed shift."""
    from html import escape

    rows = "".join(
        f"<tr><td>{d.id}. {escape(d.title)}</td><td>{_lvl(d.level_before)}</td><td>{_lvl(d.level_after)}</td>"
        f"<td>{escape(_arrow(d))}</td></tr>\n"
        for d in diff.shifts
    )
    od = round(diff.overall_score_after - diff.overall_score_before, 2)
    rows += (
        f"<tr><th>Overall</th><td>{diff.overall_level_before} ({diff.overall_score_before:.2f})</td>"
        f"<td>{diff.overall_level_after} ({diff.overall_score_after:.2f})</td><td>{f'{od:+.2f}' if od else '='}</td></tr>\n"
    )
    title = f"shiftcheck diff: {diff.old_path} → {diff.new_path}"
    body = [f"<h1>{escape(title)}</h1>"]
    if diff.rubric_before != diff.rubric_after:
        body.append(
            f"<p><strong>Note:</strong> the rubric changed ({escape(diff.rubric_before)} → {escape(diff.rubric_after)}); levels may not be comparable.</p>"
        )
    body.append(
        f"<table>\n<tr><th>Shift</th><th>Before</th><th>After</th><th>Change</th></tr>\n{rows}</table>"
    )
    changed = [d for d in diff.shifts if d.changed and _detail_lines(d)]
    if not changed:
        body.append("<p>No changes in evidence or red flags.</p>")
    for d in changed:
        items = "".join(
            f"<li><strong>{_VERBS[(sign, kind)]}</strong>: {escape(text)}</li>\n"
            for sign, kind, text in _detail_lines(d)
        )
        body.append(
            f"<h2>Shift {d.id}: {escape(d.title)} ({_lvl(d.level_before)} → {_lvl(d.level_after)})</h2>\n<ul>\n{items}</ul>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>'
        + escape(title)
        + "</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


#: the formats ``shiftcheck diff`` writes
DIFF_FORMATS = ("terminal", "markdown", "json", "html")


def render_diff(diff: ReportDiff, fmt: str, *, width: int = 100, color: bool = False) -> str:
    """``diff`` in one of :data:`DIFF_FORMATS`."""
    if fmt == "json":
        import json

        return json.dumps(diff.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_diff_markdown(diff)
    if fmt == "html":
        return render_diff_html(diff)
    return render_diff_terminal(diff, width=width, color=color)
