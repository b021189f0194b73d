"""GitHub-flavoured Markdown, ready to paste as a pull-request comment.

A title line, a facts line, the summary table (shift | level | strongest evidence | red flags), then
one collapsible ``<details>`` block per shift. Text from the document is escaped: Markdown
punctuation gets a backslash (so ``|`` cannot break a table cell), and text inside the HTML
``<summary>`` is HTML-escaped.
"""

from __future__ import annotations

import html
import re

from shiftcheck.model import BatchReport, DocumentError, Report, ShiftResult
from shiftcheck.report import RenderOptions
from shiftcheck.report._common import (
    docs_url,
    flag_count,
    flag_state,
    header_facts,
    level_name,
    one_line,
    pips,
    shorten,
    strongest,
)

#: characters that change inline rendering anywhere in a line (links and images need ``[``, so
#: ``(``, ``)`` and ``!`` are harmless once brackets are escaped; ``$`` starts math on GitHub)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
#: what makes a line start a heading, list, quote, rule or table
_MD_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Escape ``text`` for inline Markdown (one line; significant characters backslashed)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_block(text: str) -> str:
    """Like :func:`md` for text that starts a line (a paragraph or a blockquote line)."""
    t = md(text)
    m = _MD_LINE_START.match(t)
    if not m:
        return t
    lead = m.group(2)
    if lead.isdigit():  # "1. text" would become a list: escape the dot or parenthesis
        end = m.end()
        return t[:end] + "\\" + t[end:]
    return t[: m.start(2)] + "\\" + t[m.start(2):]


def code(text: str) -> str:
    """Inline code span (outside tables) that survives backticks in ``text``."""
    t = one_line(text)
    return f"`` {t} ``" if "`" in t else f"`{t}`"


def _level(report: Report, s: ShiftResult) -> str:
    return f"{pips(s.level)} {md(level_name(report, s))}"


def _title(report: Report, heading: str) -> list[str]:
    d = report.document
    out = [f"{heading} shiftcheck review: {md(d.path)}", ""]
    if d.title:
        out += [f"**{md(d.title)}**", ""]
    out += [" · ".join(f"{k}: {md(v) if k != 'overall' else v}" for k, v in header_facts(report)), ""]
    return out


def _summary_table(report: Report) -> list[str]:
    out = ["| # | Shift | Level | Strongest evidence | Red flags |", "|---:|---|---|---|---:|"]
    for s in report.shifts:
        ev = strongest(s)
        evidence = "*no evidence*" if ev is None else f"“{md(shorten(ev.quote, 90))}” ({md(ev.location.short())})"
        out.append(f"| {s.id} | {md(s.title)} | {_level(report, s)} | {evidence} | {flag_count(s)} |")
    out.append("")
    return out


def _details(report: Report, s: ShiftResult, opts: RenderOptions) -> list[str]:
    n = len(s.red_flags)
    flags = f" · {n} red flag{'s' if n != 1 else ''}" if n else ""
    summary = f"<b>{s.id}. {html.escape(one_line(s.title))}</b> · {pips(s.level)} {html.escape(level_name(report, s))}{flags}"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if s.from_ or s.to:
        out += [f"*{md(s.from_)} → {md(s.to)}* ([about this shift]({docs_url(s.id)}))", ""]
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
            out.append(f"- `{m.status}` {m.kind} {code(m.rule)}: “{md(m.quote)}” ({md(m.location.short())}) — {md(m.why)}")
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
    head = "| Document | " + " | ".join(str(i) for i in range(1, 10)) + " | Overall |"
    sep = "|---|" + "---:|" * 10
    out = [head, sep]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            out.append(f"| {md(e.path)} | " + " | ".join(["–"] * 9) + f" | error: {md(e.kind)} |")
            continue
        by_id = {s.id: s.level for s in e.shifts}
        cells = [str(by_id[i]) if i in by_id else "–" for i in range(1, 10)]
        out.append(f"| {md(e.document.path)} | " + " | ".join(cells) + f" | {e.overall.level} |")
    out += ["", "Levels: 0 absent, 1 mentioned, 2 described, 3 operationalised.", ""]
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
