"""GitHub-flavoured Markdown, ready to paste as a pull-request comment.

A title line, a facts line, the summary table (shift | level | strongest evidence | red flags), then
one collapsible ``<details>`` block per shift. Text from the document is escaped: Markdown
punctuation gets a backslash (so ``|`` cannot break a table cell), and text inside the HTML
``<summary>`` is HTML-escaped.
"""

from __future__ import annotations

import html

from shiftcheck.model import BatchReport, DocumentError, Report, ShiftResult
from shiftcheck.report import RenderOptions
from shiftcheck.report._common import (
    batch_levels,
    batch_shifts,
    batch_tr,
    docs_command,
    docs_link,
    flag_count,
    flag_state,
    header_facts,
    level_legend,
    level_name,
    loc,
    match_labels,
    pips,
    severity_name,
    strength_name,
    strongest,
    tr_for,
)
from shiftcheck.report.i18n import Translator
from shiftcheck.report.text import md, md_block, md_code, one_line, shorten


def _level(report: Report, s: ShiftResult) -> str:
    return f"{pips(s.level)} {md(level_name(report, s))}"


def _title(report: Report, heading: str, tr: Translator) -> list[str]:
    d = report.document
    out = [f"{heading} {tr('title.review', path=md(d.path))}", ""]
    if d.title:
        out += [f"**{md(d.title)}**", ""]
    facts = header_facts(report, tr)
    out += [
        " · ".join(
            f"{k}{tr('sep.colon')}{md(v) if i < len(facts) - 1 else v}"
            for i, (k, v) in enumerate(facts)
        ),
        "",
    ]
    if report.warnings:
        out += [f"**{tr.n('head.warnings', len(report.warnings))}**", ""]
        out += [f"- {md(w)}" for w in report.warnings]
        out.append("")
    return out


def _summary_table(report: Report, tr: Translator) -> list[str]:
    head = [
        tr("col.num"),
        tr("col.shift"),
        tr("col.level"),
        tr("col.evidence"),
        tr("col.red_flags"),
    ]
    out = ["| " + " | ".join(head) + " |", "|---:|---|---|---|---:|"]
    for s in report.shifts:
        ev = strongest(s)
        evidence = (
            f"*{tr('none.evidence')}*"
            if ev is None
            else f"“{md(shorten(ev.quote, 90))}” ({md(loc(ev.location, tr))})"
        )
        out.append(
            f"| {s.id} | {md(s.title)} | {_level(report, s)} | {evidence} | {md(flag_count(s, tr=tr))} |"
        )
    out.append("")
    return out


def _about(report: Report, s: ShiftResult, tr: Translator) -> str:
    link = docs_link(s)
    if link:
        return f"[{tr('about.link')}](<{link}>)"
    return f"{tr('about.link')}{tr('sep.colon')}{md_code(docs_command(report, s))}"


def _details(report: Report, s: ShiftResult, opts: RenderOptions, tr: Translator) -> list[str]:
    n = len(s.red_flags)
    flags = f" · {html.escape(tr.n('count.flags', n))}" if n else ""
    summary = f"<b>{s.id}. {html.escape(one_line(s.title))}</b> · {pips(s.level)} {html.escape(level_name(report, s))}{flags}"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if s.from_ or s.to:
        out += [f"*{md(s.from_)} → {md(s.to)}* ({_about(report, s, tr)})", ""]
    out += [md_block(s.rationale), ""]
    if s.evidence:
        out += [f"**{tr('head.evidence')}**", ""]
        for ev in s.evidence:
            out.append(
                f"- “{md(ev.quote)}” — *{md(loc(ev.location, tr))}* ({md(strength_name(report, ev.strength, tr))})"
            )
        out.append("")
    if s.red_flags:
        out += [f"**{tr('head.red_flags')}**", ""]
        for f in s.red_flags:
            state = flag_state(f, tr)
            mark = f" — *{md(state)}*" if state else ""
            out.append(
                f"- **{md(f.message)}** ({md(loc(f.location, tr))}, {md(severity_name(f.severity, tr))}){mark}"
            )
            out.append(f"  > {md_block(f.quote)}")
            if f.suggestion:
                out.append("")
                out.append(f"  {tr('label.suggest')}{tr('sep.colon')}{md(f.suggestion)}")
        out.append("")
    if s.recommendations:
        out += [f"**{tr('head.add_next')}**", ""]
        out += [f"- {md(r)}" for r in s.recommendations]
        out.append("")
    if opts.verbose and s.matches:
        out += [f"**{tr('head.matches')}**", ""]
        for m in s.matches:
            status, kind = match_labels(m, tr)
            out.append(
                f"- `{status}` {kind} {md_code(m.rule)}: “{md(m.quote)}” ({md(loc(m.location, tr))}) — {md(m.why)}"
            )
        out.append("")
    out += ["</details>", ""]
    return out


def _report(report: Report, opts: RenderOptions, heading: str = "##") -> list[str]:
    tr = tr_for(report, opts)
    out = _title(report, heading, tr) + _summary_table(report, tr)
    if opts.summary:
        return out
    for s in report.shifts:
        out += _details(report, s, opts, tr)
    if report.recommendations:
        out += [f"**{tr('head.top')}**", ""]
        out += [f"{i}. {md(r)}" for i, r in enumerate(report.recommendations[:3], 1)]
        out.append("")
    return out


def _finish(lines: list[str]) -> str:
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def render_report(report: Report, opts: RenderOptions) -> str:
    return _finish(_report(report, opts))


def portfolio_table(batch: BatchReport, tr: Translator | None = None) -> list[str]:
    """Document x shift levels, a column per criterion present, then the level legend."""
    tr = tr or batch_tr(batch)
    shifts = batch_shifts(batch)
    head = (
        f"| {tr('col.document')} | "
        + "".join(f"{s.id} | " for s in shifts)
        + f"{tr('col.overall')} |"
    )
    sep = "|---|" + "---:|" * (len(shifts) + 1)
    out = [head, sep]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            out.append(
                f"| {md(e.path)} | "
                + "".join("– | " for _ in shifts)
                + f"{tr('label.error')}{tr('sep.colon')}{md(e.kind)} |"
            )
            continue
        by_id = {s.id: s.level for s in e.shifts}
        cells = "".join(f"{by_id[s.id]} | " if s.id in by_id else "– | " for s in shifts)
        out.append(f"| {md(e.document.path)} | {cells}{e.overall.level} |")
    out += ["", md(level_legend(batch_levels(batch), tr)), ""]
    return out


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    n = len(batch.documents)
    tr = batch_tr(batch, opts)
    out = [f"# {tr.n('title.portfolio', n)}", ""]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            out += [
                f"## {md(e.path)}",
                "",
                f"**{tr('label.error_kind', kind=md(e.kind))}{tr('sep.colon').rstrip()}** {md(e.error)}",
                "",
            ]
        else:
            out += _report(e, opts, heading="##")
    out += [f"## {tr('head.portfolio')}", "", *portfolio_table(batch, tr)]
    return _finish(out)
