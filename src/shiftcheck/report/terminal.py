"""Terminal report (Rich): header, summary table (a row per criterion), details per shift.

Rendered into a string with a Console of the width the caller passes (80 when None), never the real
terminal's. With ``color=False`` the text has no ANSI escape code at all.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

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
from shiftcheck.report.i18n import Translator
from shiftcheck.report.text import console_text, one_line, shorten, string_console

LEVEL_STYLES = {0: "bold red", 1: "dark_orange", 2: "cyan", 3: "bold green"}
DIM = "dim"


def _console(opts: RenderOptions) -> Console:
    return string_console(opts.width, opts.color)


def _finish(console: Console, opts: RenderOptions) -> str:
    return console_text(console, opts.color)


def _level_text(report: Report, shift: ShiftResult) -> Text:
    return Text(
        f"{pips(shift.level)} {level_name(report, shift)}", style=LEVEL_STYLES.get(shift.level, "")
    )


def _header(report: Report, width: int, tr: Translator) -> RenderableType:
    """Path and title, then the facts packed into lines without breaking a fact in two."""
    d = report.document
    lines: list[Text] = [Text(d.path, style="bold")]
    if d.title:
        lines.append(Text(one_line(d.title), style="italic"))
    line = Text()
    facts = header_facts(report, tr)
    for i, (k, v) in enumerate(facts):
        fact = Text()
        fact.append(f"{k}{tr('sep.colon')}", style=DIM)
        fact.append(
            v, style=LEVEL_STYLES.get(report.overall.level, "") if i == len(facts) - 1 else ""
        )
        if line.plain and line.cell_len + 2 + fact.cell_len > width:
            lines.append(line)
            line = Text()
        if line.plain:
            line.append("  ")
        line.append_text(fact)
    if line.plain:
        lines.append(line)
    return Group(*lines)


def _table(report: Report, width: int, tr: Translator) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold"
    )
    labels = [f"{s.id} {label(s)}" for s in report.shifts]
    shift_w = min(max((len(lbl) for lbl in labels), default=5), max(10, width // 4))
    table.add_column(tr("col.shift"), width=shift_w, overflow="fold")
    table.add_column(tr("col.level"), no_wrap=True)
    table.add_column(tr("col.evidence"), ratio=4, overflow="fold")
    table.add_column(tr("col.flags"), justify="right", no_wrap=True)
    quote_limit = max(40, (width - 50) * 3 // 2)
    for s in report.shifts:
        ev = strongest(s)
        if ev is None:
            evidence = Text(tr("none.evidence"), style=DIM)
        else:
            evidence = Text(f"“{shorten(ev.quote, quote_limit)}” ")
            evidence.append(f"({loc(ev.location, tr)})", style=DIM)
        n = open_flags(s)
        flags = Text(flag_count(s, compact=True), style="bold red" if n else DIM)
        level = (
            _level_text(report, s)
            if width >= 70
            else Text(pips(s.level), style=LEVEL_STYLES.get(s.level, ""))
        )
        table.add_row(Text(f"{s.id} {label(s)}"), level, evidence, flags)
    if any(len(s.red_flags) > open_flags(s) for s in report.shifts):
        table.caption = tr("caption.flags")
        table.caption_justify = "left"
        table.caption_style = DIM
    return table


def _bullets(items: list[Text], indent: int = 2) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for it in items:
        grid.add_row("-", it)
    return Padding(grid, (0, 0, 0, indent))


def _shift_details(
    report: Report, s: ShiftResult, opts: RenderOptions, tr: Translator
) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text()
    head.append(f"{s.id}. {s.title}  ", style="bold")
    head.append_text(_level_text(report, s))
    parts.append(Rule(head, align="left", style=DIM))
    if s.from_ or s.to:
        parts.append(Text(f"{one_line(s.from_)} -> {one_line(s.to)}", style=DIM))
    parts.append(Text(one_line(s.rationale)))
    about = Text(f"{tr('about.label')}{tr('sep.colon')}", style=DIM)
    about.append(docs_link(s) or docs_command(report, s))
    parts.append(about)
    if s.evidence:
        parts.append(Text(tr("head.evidence") + tr("sep.colon").rstrip(), style="bold"))
        items = []
        for ev in s.evidence:
            t = Text(f"“{one_line(ev.quote)}” ")
            t.append(
                f"({loc(ev.location, tr)}; {strength_name(report, ev.strength, tr)})", style=DIM
            )
            items.append(t)
        parts.append(_bullets(items))
    if s.red_flags:
        parts.append(Text(tr("head.red_flags") + tr("sep.colon").rstrip(), style="bold"))
        items = []
        for f in s.red_flags:
            state = flag_state(f, tr)
            t = Text()
            t.append(one_line(f.message), style=DIM if state else "bold red")
            t.append(f" ({loc(f.location, tr)}; {severity_name(f.severity, tr)})", style=DIM)
            if state:
                t.append(f" [{state}]", style="green")
            t.append(f"\n“{one_line(f.quote)}”")
            if f.suggestion:
                t.append(f"\n{tr('label.suggest')}{tr('sep.colon')}", style="bold")
                t.append(one_line(f.suggestion))
            items.append(t)
        parts.append(_bullets(items))
    if s.recommendations:
        parts.append(Text(tr("head.add_next") + tr("sep.colon").rstrip(), style="bold"))
        parts.append(_bullets([Text(one_line(r)) for r in s.recommendations]))
    if opts.verbose and s.matches:
        parts.append(Text(tr("head.matches") + tr("sep.colon").rstrip(), style="bold"))
        items = []
        for m in s.matches:
            status, kind = match_labels(m, tr)
            t = Text()
            t.append(f"[{status}] ", style="bold")
            t.append(f"{kind} {m.rule}: “{one_line(m.quote)}” ")
            t.append(f"({loc(m.location, tr)})", style=DIM)
            t.append(f"\n{tr('label.why')}{tr('sep.colon')}{one_line(m.why)}", style=DIM)
            items.append(t)
        parts.append(_bullets(items))
    parts.append(Text(""))
    return Group(*parts)


def _warnings(report: Report, tr: Translator) -> RenderableType:
    n = len(report.warnings)
    head = Text(tr.n("head.warnings", n) + tr("sep.colon").rstrip(), style="bold yellow")
    return Group(head, _bullets([Text(one_line(w)) for w in report.warnings]))


def _report(console: Console, report: Report, opts: RenderOptions) -> None:
    width = console.width
    tr = tr_for(report, opts)
    console.print(_header(report, width, tr))
    console.print()
    if report.warnings:
        console.print(_warnings(report, tr))
        console.print()
    console.print(_table(report, width, tr))
    if opts.summary:
        return
    console.print()
    for s in report.shifts:
        console.print(_shift_details(report, s, opts, tr))
    if report.recommendations:
        console.print(Text(tr("head.top"), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for i, r in enumerate(report.recommendations[:3], 1):
            grid.add_row(f"{i}.", Text(one_line(r)))
        console.print(Padding(grid, (0, 0, 0, 2)))


def render_report(report: Report, opts: RenderOptions) -> str:
    console = _console(opts)
    _report(console, report, opts)
    return _finish(console, opts)


def _error(console: Console, err: DocumentError, tr: Translator) -> None:
    t = Text(err.path, style="bold")
    t.append(f"  {tr('label.error')} ({err.kind})", style="bold red")
    console.print(t)
    console.print(Text(one_line(err.error)))


def portfolio_table(batch: BatchReport, tr: Translator | None = None) -> Table:
    """Document x shift levels, a column per criterion present; errors get one row with the error kind."""
    tr = tr or batch_tr(batch)
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        title=tr("head.portfolio"),
        title_justify="left",
        title_style="bold",
    )
    shifts = batch_shifts(batch)
    table.add_column(tr("col.document"), overflow="fold", ratio=1)
    for s in shifts:
        table.add_column(str(s.id), justify="center", no_wrap=True, width=len(str(s.id)))
    table.add_column(tr("col.all"), justify="center", no_wrap=True)
    for e in batch.documents:
        if isinstance(e, DocumentError):
            table.add_row(
                Text(e.path),
                *[Text("-", style=DIM)] * len(shifts),
                Text(tr("cell.error"), style="bold red"),
            )
            continue
        by_id = {s.id: s.level for s in e.shifts}
        cells = []
        for s in shifts:
            lvl = by_id.get(s.id)
            cells.append(
                Text("-", style=DIM)
                if lvl is None
                else Text(str(lvl), style=LEVEL_STYLES.get(lvl, ""))
            )
        table.add_row(
            Text(e.document.path),
            *cells,
            Text(str(e.overall.level), style=LEVEL_STYLES.get(e.overall.level, "")),
        )
    table.caption = level_legend(batch_levels(batch), tr)
    table.caption_justify = "left"
    return table


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    console = _console(opts)
    tr = batch_tr(batch, opts)
    for i, e in enumerate(batch.documents):
        if i:
            console.print(Rule(style=DIM))
        if isinstance(e, DocumentError):
            _error(console, e, tr)
        else:
            _report(console, e, opts)
        console.print()
    console.print(Rule(style=DIM))
    console.print(portfolio_table(batch, tr))
    return _finish(console, opts)
