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
    docs_command,
    docs_link,
    flag_count,
    flag_state,
    header_facts,
    level_legend,
    level_name,
    pips,
    strongest,
)
from shiftcheck.report.text import md, md_block, md_code, one_line, shorten


def _level(report: Report, s: ShiftResult) -> str:
    return f"{pips(s.level)} {md(level_name(report, s))}"


def _title(report: Report, heading: str) -> list[str]:
    d = report.document
    out = [f"{heading} shiftcheck review: {md(d.path)}", ""]
    if d.title:
        out += [f"**{md(d.title)}**", ""]
    out += [" · ".join(f"{k}: {md(v) if k != 'overall' else v}" for k, v in header_facts(report)), ""]
    if report.warnings:
        out += ["**Warnings**", ""]
        out += [f"- {md(w)}" for w in report.warnings]
        out.append("")
    return out


def _summary_table(report: Report) -> list[str]:
    out = ["| # | Shift | Level | Strongest evidence | Red flags |", "|---:|---|---|---|---:|"]
    for s in report.shifts:
        ev = strongest(s)
        evidence = "*no evidence*" if ev is None else f"“{md(shorten(ev.quote, 90))}” ({md(ev.location.short())})"
        out.append(f"| {s.id} | {md(s.title)} | {_level(report, s)} | {evidence} | {flag_count(s)} |")
    out.append("")
    return out


def _about(report: Report, s: ShiftResult) -> str:
    link = docs_link(s)
    if link:
        return f"[about this shift](<{link}>)"
    return f"about this shift: {md_code(docs_command(report, s))}"


def _details(report: Report, s: ShiftResult, opts: RenderOptions) -> list[str]:
    n = len(s.red_flags)
    flags = f" · {n} red flag{'s' if n != 1 else ''}" if n else ""
    summary = f"<b>{s.id}. {html.escape(one_line(s.title))}</b> · {pips(s.level)} {html.escape(level_name(report, s))}{flags}"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if s.from_ or s.to:
        out += [f"*{md(s.from_)} → {md(s.to)}* ({_about(report, s)})", ""]
    out += [md_block(s.rationale), ""]
    if s.evidence:
        out += ["**Evidence**", ""]
        for ev in s.evidence:
            out.append(f"- “{md(ev.quote)}” — *{md(ev.location.short())}* ({ev.strength})")
        out.append("")
    if s.red_flags:
        out += ["**Red flags**", ""]
        for f in s.red_flags:
            state = flag_state(f)
            mark = f" — *{md(state)}*" if state else ""
            out.append(f"- **{md(f.message)}** ({md(f.location.short())}, {f.severity}){mark}")
            out.append(f"  > {md_block(f.quote)}")
            if f.suggestion:
                out.append("")
                out.append(f"  Suggest: {md(f.suggestion)}")
        out.append("")
    if s.recommendations:
        out += ["**Add next**", ""]
        out += [f"- {md(r)}" for r in s.recommendations]
        out.append("")
    if opts.verbose and s.matches:
        out += ["**Matches**", ""]
        for m in s.matches:
            out.append(f"- `{m.status}` {m.kind} {md_code(m.rule)}: “{md(m.quote)}” ({md(m.location.short())}) — {md(m.why)}")
        out.append("")
    out += ["</details>", ""]
    return out


def _report(report: Report, opts: RenderOptions, heading: str = "##") -> list[str]:
    out = _title(report, heading) + _summary_table(report)
    if opts.summary:
        return out
    for s in report.shifts:
        out += _details(report, s, opts)
    if report.recommendations:
        out += ["**Top recommendations**", ""]
        out += [f"{i}. {md(r)}" for i, r in enumerate(report.recommendations[:3], 1)]
        out.append("")
    return out


def _finish(lines: list[str]) -> str:
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def render_report(report: Report, opts: RenderOptions) -> str:
    return _finish(_report(report, opts))


def portfolio_table(batch: BatchReport) -> list[str]:
    """Document x shift levels, a column per criterion present, then the level legend."""
    shifts = batch_shifts(batch)
    head = "| Document | " + "".join(f"{s.id} | " for s in shifts) + "Overall |"
    sep = "|---|" + "---:|" * (len(shifts) + 1)
    out = [head, sep]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            out.append(f"| {md(e.path)} | " + "".join("– | " for _ in shifts) + f"error: {md(e.kind)} |")
            continue
        by_id = {s.id: s.level for s in e.shifts}
        cells = "".join(f"{by_id[s.id]} | " if s.id in by_id else "– | " for s in shifts)
        out.append(f"| {md(e.document.path)} | {cells}{e.overall.level} |")
    out += ["", md(level_legend(batch_levels(batch))), ""]
    return out


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    n = len(batch.documents)
    out = [f"# shiftcheck portfolio review ({n} document{'s' if n != 1 else ''})", ""]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            out += [f"## {md(e.path)}", "", f"**Error ({md(e.kind)}):** {md(e.error)}", ""]
        else:
            out += _report(e, opts, heading="##")
    out += ["## Portfolio", "", *portfolio_table(batch)]
    return _finish(out)
