"""One self-contained HTML file: no JavaScript, no external resources, inline CSS.

Header, a radar chart with an axis per criterion (inline SVG), the summary table and the details per shift; a batch
adds one section per document and the portfolio table. Prints on A4 (``@page``), a shift block is
never split across pages. Every piece of text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import math
from html import escape

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
    label,
    level_legend,
    level_name,
    loc,
    match_labels,
    open_flags,
    pips,
    severity_name,
    strength_name,
    strongest,
    tr_for,
)
from shiftcheck.report.i18n import Translator, translator
from shiftcheck.report.text import one_line, shorten

CSS = """
@page { size: A4; margin: 15mm; }
:root { --l0: #b3261e; --l1: #c25e00; --l2: #1f5fb8; --l3: #2a7a32; --muted: #5f6368; --line: #d9dce1; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
       "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.45; color: #1b1b1f;
       background: #fff; max-width: 1000px; margin: 0 auto; padding: 24px 28px; }
h1 { font-size: 1.6em; margin: 0 0 .2em; overflow-wrap: anywhere; }
h2 { font-size: 1.3em; margin: 1.4em 0 .5em; border-bottom: 2px solid var(--line); padding-bottom: .2em; }
h3 { font-size: 1.1em; margin: 0 0 .3em; }
h4 { font-size: .95em; margin: .8em 0 .2em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
p { margin: .3em 0; }
.subtitle { font-size: 1.1em; color: var(--muted); margin: 0 0 .4em; }
.facts { display: flex; flex-wrap: wrap; gap: .3em 1.4em; margin: .4em 0 0; padding: 0; list-style: none; }
.facts b { color: var(--muted); font-weight: 600; }
.overview { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; margin-top: 12px; }
.radar { flex: 0 0 auto; width: 560px; max-width: 100%; height: auto; }
.recs { flex: 1 1 260px; min-width: 240px; }
.recs ol { padding-left: 1.3em; margin: .3em 0; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: .85em; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); border-bottom: 2px solid var(--line); }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.lvl { white-space: nowrap; }
.loc { color: var(--muted); font-size: .9em; white-space: nowrap; }
.none { color: var(--muted); font-style: italic; }
.badge { display: inline-block; white-space: nowrap; font-weight: 600; padding: 0 .45em; border-radius: 4px;
         border: 1px solid currentColor; font-size: .9em; }
.l0 { color: var(--l0); } .l1 { color: var(--l1); } .l2 { color: var(--l2); } .l3 { color: var(--l3); }
.flags-open { color: var(--l0); font-weight: 700; }
.shift { break-inside: avoid; page-break-inside: avoid; border: 1px solid var(--line); border-left: 6px solid var(--line);
         border-radius: 4px; padding: 10px 14px; margin: 0 0 12px; }
.shift.b0 { border-left-color: var(--l0); } .shift.b1 { border-left-color: var(--l1); }
.shift.b2 { border-left-color: var(--l2); } .shift.b3 { border-left-color: var(--l3); }
.fromto { color: var(--muted); font-size: .92em; }
ul { margin: .2em 0; padding-left: 1.2em; }
li { margin: .25em 0; }
q { quotes: "\\201C" "\\201D"; font-style: italic; }
.flag { list-style: none; margin-left: -1.2em; padding: 6px 10px; border-radius: 4px; background: #fdf3f2; }
.flag.closed { background: #f3f5f4; color: #3c4043; }
.state { font-weight: 600; color: var(--l3); }
.suggest { margin-top: .2em; }
.suggest b { color: var(--l3); }
.matches td { font-size: .88em; }
.error { border: 1px solid var(--l0); border-left: 6px solid var(--l0); border-radius: 4px; padding: 10px 14px; }
.portfolio td, .portfolio th { text-align: center; }
.portfolio td:first-child, .portfolio th:first-child { text-align: left; overflow-wrap: anywhere; }
.cell { display: inline-block; min-width: 1.8em; font-weight: 700; border-radius: 3px; color: #fff; }
.c0 { background: var(--l0); } .c1 { background: var(--l1); } .c2 { background: var(--l2); } .c3 { background: var(--l3); }
.radar text { font-family: inherit; }
footer { margin-top: 2em; color: var(--muted); font-size: .85em; }
a { color: var(--l2); }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .doc + .doc, .portfolio-block { break-before: page; page-break-before: always; }
  .radar { width: 120mm; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
}
"""

LEVEL_COLORS = {0: "#b3261e", 1: "#c25e00", 2: "#1f5fb8", 3: "#2a7a32"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(report: Report, s: ShiftResult) -> str:
    return f'<span class="badge l{s.level}">{pips(s.level)} {_e(level_name(report, s))}</span>'


def _count_words(n: int, tr: Translator) -> str:
    words = tr("numbers").split()
    return words[n] if n < len(words) else str(n)


def _fmt(x: float) -> str:
    return f"{x:.1f}"


class _Radar:
    """The geometry of the radar chart: ``n`` axes around a centre, level rings 0-3."""

    w, h = 720, 430
    cx, cy, big_r = 360.0, 212.0, 150.0

    def __init__(self, n: int) -> None:
        self.n = n

    def radius(self, level: float) -> float:
        return self.big_r * (level + 1) / 4

    def point(self, i: int, r: float) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / self.n
        return self.cx + r * math.cos(a), self.cy + r * math.sin(a)

    def polygon(self, radii: list[float]) -> str:
        """The ``points`` of a polygon with radius ``radii[i]`` on axis ``i``."""
        return " ".join(
            f"{_fmt(x)},{_fmt(y)}" for x, y in (self.point(i, r) for i, r in enumerate(radii))
        )

    def rings(self) -> list[str]:
        """The polygons of levels 0-3, each labelled on the first axis."""
        parts = []
        for lvl in range(4):
            pts = self.polygon([self.radius(lvl)] * self.n)
            stroke = "#9aa0a6" if lvl == 3 else "#d0d4da"
            parts.append(
                f'<polygon class="ring" points="{pts}" fill="none" stroke="{stroke}" stroke-width="1"/>'
            )
            lx, ly = self.point(0, self.radius(lvl))
            parts.append(
                f'<text class="ring-label" x="{_fmt(lx + 5)}" y="{_fmt(ly + 12)}" font-size="11" fill="#80868b">{lvl}</text>'
            )
        return parts

    def axes(self, shifts: list[ShiftResult]) -> list[str]:
        """A line and a label per shift."""
        parts = []
        cx, cy, big_r = self.cx, self.cy, self.big_r
        for i, s in enumerate(shifts):
            x, y = self.point(i, big_r)
            parts.append(
                f'<line class="axis" x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" stroke="#d0d4da" stroke-width="1"/>'
            )
            lx, ly = self.point(i, big_r + 16)
            dx = lx - cx
            anchor = "start" if dx > 8 else "end" if dx < -8 else "middle"
            dy = ly - cy
            baseline = -4 if dy < -big_r * 0.9 else (12 if dy > big_r * 0.5 else 4)
            parts.append(
                f'<text class="axis-label" x="{_fmt(lx)}" y="{_fmt(ly + baseline)}" text-anchor="{anchor}" '
                f'font-size="14" fill="#1b1b1f">{_e(f"{s.id} {label(s)}")}</text>'
            )
        return parts

    def shape(self, report: Report, shifts: list[ShiftResult], tr: Translator) -> list[str]:
        """The document's polygon and a point per shift, coloured by its level."""
        pts = self.polygon([self.radius(s.level) for s in shifts])
        parts = [
            f'<polygon class="doc-shape" points="{pts}" fill="#1f5fb8" fill-opacity="0.22" stroke="#1f5fb8" stroke-width="2.5" stroke-linejoin="round"/>'
        ]
        for i, s in enumerate(shifts):
            x, y = self.point(i, self.radius(s.level))
            color = LEVEL_COLORS.get(s.level, "#1f5fb8")
            point = tr(
                "radar.point", id=s.id, title=s.title, level=s.level, name=level_name(report, s)
            )
            parts.append(
                f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="5" fill="{color}" stroke="#fff" stroke-width="1.5">'
                f"<title>{_e(point)}</title></circle>"
            )
        return parts


def radar_svg(report: Report, tr: Translator | None = None) -> str:
    """A radar chart: rings for levels 0-3, one axis per shift, the document's polygon."""
    shifts = sorted(report.shifts, key=lambda s: s.id)
    radar = _Radar(len(shifts) or 1)
    tr = tr or tr_for(report)
    title = tr("radar.title", n=_count_words(radar.n, tr), path=report.document.path)
    parts = [
        f'<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {radar.w} {radar.h}" width="{radar.w}" height="{radar.h}" overflow="visible" '
        f'role="img" aria-labelledby="radar-title">',
        f'<title id="radar-title">{_e(title)}</title>',
        *radar.rings(),
        *radar.axes(shifts),
        *radar.shape(report, shifts, tr),
        "</svg>",
    ]
    return "\n".join(parts)


def _header(report: Report, tr: Translator, level: int = 1) -> str:
    d = report.document
    facts = "".join(f"<li><b>{_e(k)}</b> {_e(v)}</li>" for k, v in header_facts(report, tr))
    sub = f'<p class="subtitle">{_e(one_line(d.title))}</p>' if d.title else ""
    warn = ""
    if report.warnings:
        items = "".join(f"<li>{_e(one_line(w))}</li>" for w in report.warnings)
        warn = f'<div class="warnings"><h4>{_e(tr.n("head.warnings", len(report.warnings)))}</h4><ul>{items}</ul></div>'
    return f'<header><h{level}>{_e(d.path)}</h{level}>{sub}<ul class="facts">{facts}</ul>{warn}</header>'


def _summary_table(report: Report, tr: Translator) -> str:
    rows = []
    for s in report.shifts:
        ev = strongest(s)
        if ev is None:
            evidence = f'<span class="none">{_e(tr("none.evidence"))}</span>'
        else:
            evidence = f'<q>{_e(shorten(ev.quote, 140))}</q> <span class="loc">{_e(loc(ev.location, tr))}</span>'
        n_open = open_flags(s)
        cls = ' class="num flags-open"' if n_open else ' class="num"'
        rows.append(
            f'<tr><td class="num">{s.id}</td><td><a href="#{_anchor(report, s)}">{_e(s.title)}</a></td>'
            f'<td class="lvl">{_badge(report, s)}</td><td>{evidence}</td><td{cls}>{_e(flag_count(s, tr=tr))}</td></tr>'
        )
    return (
        f'<table class="summary"><thead><tr><th class="num">{_e(tr("col.num"))}</th><th>{_e(tr("col.shift"))}</th><th>{_e(tr("col.level"))}</th>'
        f'<th>{_e(tr("col.evidence"))}</th><th class="num">{_e(tr("col.red_flags"))}</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _anchor(report: Report, s: ShiftResult) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in report.document.path).strip("-").lower()
    return f"{slug}-shift-{s.id}"


def _about(report: Report, s: ShiftResult, tr: Translator) -> str:
    link = docs_link(s)
    if link:
        return f'<a href="{_e(link)}">{_e(tr("about.link"))}</a>'
    return f"{_e(tr('about.link'))}{_e(tr('sep.colon'))}<code>{_e(docs_command(report, s))}</code>"


def _shift_block(report: Report, s: ShiftResult, opts: RenderOptions, tr: Translator) -> str:
    out = [f'<section class="shift b{s.level}" id="{_e(_anchor(report, s))}">']
    out.append(f"<h3>{s.id}. {_e(s.title)} {_badge(report, s)}</h3>")
    if s.from_ or s.to:
        out.append(
            f'<p class="fromto">{_e(one_line(s.from_))} → {_e(one_line(s.to))} · {_about(report, s, tr)}</p>'
        )
    out.append(f"<p>{_e(one_line(s.rationale))}</p>")
    if s.evidence:
        out.append(f"<h4>{_e(tr('head.evidence'))}</h4><ul>")
        for ev in s.evidence:
            out.append(
                f'<li><q>{_e(one_line(ev.quote))}</q> <span class="loc">{_e(loc(ev.location, tr))} · {_e(strength_name(report, ev.strength, tr))}</span></li>'
            )
        out.append("</ul>")
    if s.red_flags:
        out.append(f"<h4>{_e(tr('head.red_flags'))}</h4><ul>")
        for f in s.red_flags:
            state = flag_state(f, tr)
            cls = "flag closed" if state else "flag"
            st = f' <span class="state">[{_e(state)}]</span>' if state else ""
            sug = (
                f'<div class="suggest"><b>{_e(tr("label.suggest") + tr("sep.colon").rstrip())}</b> {_e(one_line(f.suggestion))}</div>'
                if f.suggestion
                else ""
            )
            out.append(
                f'<li class="{cls}"><b>⚑ {_e(one_line(f.message))}</b> <span class="loc">{_e(loc(f.location, tr))} · {_e(severity_name(f.severity, tr))}</span>{st}'
                f"<div><q>{_e(one_line(f.quote))}</q></div>{sug}</li>"
            )
        out.append("</ul>")
    if s.recommendations:
        out.append(f"<h4>{_e(tr('head.add_next'))}</h4><ul>")
        out += [f"<li>{_e(one_line(r))}</li>" for r in s.recommendations]
        out.append("</ul>")
    if opts.verbose and s.matches:
        out.append(
            f'<h4>{_e(tr("head.matches"))}</h4><table class="matches"><thead><tr><th>{_e(tr("col.status"))}</th><th>{_e(tr("col.rule"))}</th>'
            f"<th>{_e(tr('col.quote'))}</th><th>{_e(tr('col.why'))}</th></tr></thead><tbody>"
        )
        for m in s.matches:
            status, kind = match_labels(m, tr)
            out.append(
                f"<tr><td>{_e(status)}</td><td>{_e(kind)} {_e(m.rule)}</td>"
                f'<td><q>{_e(one_line(m.quote))}</q> <span class="loc">{_e(loc(m.location, tr))}</span></td><td>{_e(one_line(m.why))}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _report_body(report: Report, opts: RenderOptions, level: int = 1) -> str:
    tr = tr_for(report, opts)
    parts = [_header(report, tr, level)]
    recs = ""
    if report.recommendations:
        items = "".join(f"<li>{_e(one_line(r))}</li>" for r in report.recommendations[:3])
        recs = f'<div class="recs"><h4>{_e(tr("head.top"))}</h4><ol>{items}</ol></div>'
    parts.append(f'<div class="overview">{radar_svg(report, tr)}{recs}</div>')
    parts.append(f"<h{level + 1}>{_e(tr('head.summary'))}</h{level + 1}>")
    parts.append(_summary_table(report, tr))
    if not opts.summary:
        parts.append(f"<h{level + 1}>{_e(tr('head.details'))}</h{level + 1}>")
        parts += [_shift_block(report, s, opts, tr) for s in report.shifts]
    return "\n".join(parts)


def _page(
    title: str, body: str, tool: str, levels: dict[int, str], tr: Translator | None = None
) -> str:
    tr = tr or translator("en")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{tr.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{_e(tool)}">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n<footer>{_e(tr('footer', tool=tool))} {_e(level_legend(levels, tr))}</footer>\n"
        "</body>\n</html>\n"
    )


def render_report(report: Report, opts: RenderOptions) -> str:
    body = f'<main class="doc">\n{_report_body(report, opts)}\n</main>'
    tool = f"{report.tool.name} {report.tool.version}"
    tr = tr_for(report, opts)
    return _page(tr("title.review", path=report.document.path), body, tool, report.levels, tr)


def portfolio_table(batch: BatchReport, tr: Translator | None = None) -> str:
    """Document x shift levels, a column per criterion present (its title in the header's tooltip)."""
    tr = tr or batch_tr(batch)
    shifts = batch_shifts(batch)
    head = "".join(f'<th title="{_e(one_line(s.title))}">{s.id}</th>' for s in shifts)
    rows = []
    for e in batch.documents:
        if isinstance(e, DocumentError):
            rows.append(
                f'<tr><td>{_e(e.path)}</td><td colspan="{len(shifts) + 1}" class="l0">{_e(tr("label.error") + tr("sep.colon") + e.kind)}</td></tr>'
            )
            continue
        by_id = {s.id: s for s in e.shifts}
        cells = []
        for col in shifts:
            s = by_id.get(col.id)
            if s is None:
                cells.append('<td class="none">–</td>')
            else:
                cells.append(
                    f'<td><span class="cell c{s.level}" title="{_e(level_name(e, s))}">{s.level}</span></td>'
                )
        ov = e.overall.level
        cells.append(f'<td><span class="cell c{ov}">{ov}</span></td>')
        rows.append(f"<tr><td>{_e(e.document.path)}</td>{''.join(cells)}</tr>")
    return (
        f'<table class="portfolio"><thead><tr><th>{_e(tr("col.document"))}</th>{head}<th>{_e(tr("col.overall"))}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    n = len(batch.documents)
    tr = batch_tr(batch, opts)
    parts = [
        f'<header><h1>{_e(tr("title.portfolio_plain"))}</h1><p class="subtitle">{_e(tr.n("count.documents", n))}</p></header>'
    ]
    for e in batch.documents:
        if isinstance(e, DocumentError):
            parts.append(
                f'<section class="doc"><h2>{_e(e.path)}</h2><div class="error"><b>{_e(tr("label.error_kind", kind=e.kind) + tr("sep.colon").rstrip())}</b> '
                f"{_e(one_line(e.error))}</div></section>"
            )
        else:
            parts.append(f'<section class="doc">\n{_report_body(e, opts, level=2)}\n</section>')
    levels = batch_levels(batch)
    parts.append(
        f'<section class="portfolio-block"><h2>{_e(tr("head.portfolio"))}</h2>{portfolio_table(batch, tr)}'
        f"<p>{_e(level_legend(levels, tr))}</p></section>"
    )
    tool = f"{batch.tool.name} {batch.tool.version}"
    return _page(tr("title.portfolio_plain"), "\n".join(parts), tool, levels, tr)
