"""Render a rubric for people who never read YAML: levels, then one panel per criterion."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from shiftcheck.rubric.schema import Criterion, Rubric
from shiftcheck.ruleids import canonical_id


def _pretty(phrase: str) -> str:
    """``aligned with ... {national_plan}`` -> ``aligned with … <national plan>``."""
    phrase = re.sub(r"\{(\w+)\}", lambda m: "<" + m.group(1).replace("_", " ") + ">", phrase)
    return phrase.replace(" ... ", " … ").replace("...", "…")


def _phrases(phrases: dict[str, list[str]], n: int = 4) -> str:
    out = []
    for lang, items in phrases.items():
        plain = [_pretty(p) for p in items if not p.startswith("re:")]
        shown = ", ".join(f'"{p}"' for p in plain[:n])
        more = f" (+{len(plain) - n} more)" if len(plain) > n else ""
        out.append(f"{lang}: {shown}{more}")
    return "\n".join(out)


def render_rubric(r: Rubric, shift: int | None = None) -> Group:
    """The whole rubric, or with ``shift`` only that criterion (what a report's "about this shift"
    points to: ``shiftcheck rubric show <rubric> --shift N``). An unknown ``shift`` is a
    :class:`~shiftcheck.errors.UsageError`."""
    head = Text(
        f"{r.title}  ({r.id} {r.version}; languages: {', '.join(r.languages)})", style="bold"
    )
    if shift is not None:
        chosen = [c for c in r.criteria if c.id == shift]
        if not chosen:
            from shiftcheck.errors import UsageError

            ids = ", ".join(str(c.id) for c in r.criteria)
            raise UsageError(
                None, f"--shift: rubric '{r.id}' has no shift {shift}", f"Its shifts are {ids}"
            )
        return Group(head, _levels_table(r), _criterion_panel(r, chosen[0]))
    parts: list[RenderableType] = [head]
    if r.description:
        parts.append(Text(r.description))
    parts.append(_levels_table(r))
    parts.append(_level_rule(r))
    parts += [_criterion_panel(r, c) for c in r.criteria]
    return Group(*parts)


def _levels_table(r: Rubric) -> Table:
    lv = Table(title="Levels", show_lines=False, expand=True)
    lv.add_column("Level", justify="center", no_wrap=True)
    lv.add_column("Name", no_wrap=True)
    lv.add_column("What it means")
    for d in sorted(r.levels, key=lambda d: d.level):
        lv.add_row(str(d.level), d.name, d.description)
    return lv


def _level_rule(r: Rubric) -> Text:
    rule = []
    for lvl in (3, 2, 1):
        reqs = r.level_rule.levels.get(lvl)
        if reqs is None:
            continue
        ways = [_requirement_words(req) for req in (reqs if isinstance(reqs, list) else [reqs])]
        rule.append(f"Level {lvl} ({r.level_name(lvl)}) needs " + "; or ".join(ways) + ".")
    mech = "; ".join(m.title for m in r.mechanisms if m.key != "actor")
    rule.append(
        f"Evidence is 'described' when its sentence also names a concrete mechanism ({mech}), 'operational' "
        "with two; plans to be made later, hedges, background sections and buzzword runs stay 'mentioned'. "
        "An unmitigated red flag can cap the level."
    )
    return Text("How levels are decided\n", style="bold") + Text("\n".join(rule))


def _criterion_panel(r: Rubric, c: Criterion) -> Panel:
    head = Text.assemble(
        (f"Shift {c.id}: {c.title}", "bold"), f"\nFrom: {c.from_}\nTo:   {c.to}\n\n{c.summary}"
    )
    if c.docs_url:
        head.append(f"\n\nMore: {c.docs_url}")
    ind = Table(title="What counts as evidence", expand=True, show_lines=True)
    ind.add_column("Indicator")
    ind.add_column("Examples of wording")
    ind.add_column("If missing, suggest")
    for i in c.indicators:
        ind.add_row(
            i.title
            + ("\n(value words: at most 'mentioned')" if i.max_strength == "mentioned" else ""),
            _phrases(i.phrases),
            i.recommendation,
        )
    rf = Table(
        title="Red flags (From-side practices; rule id, then aliases)", expand=True, show_lines=True
    )
    rf.add_column("Red flag")
    rf.add_column("Why it matters")
    rf.add_column("Suggested rewrite")
    for f in c.red_flags:
        cap = f"\ncaps the level at {f.effect.cap}" if f.effect.cap is not None else ""
        aliases = ", ".join([f"shift-{c.id}/{f.key}", *f.aliases])
        name = f"{f.title or f.key}\n{canonical_id(c.key, f.key)}\n(also: {aliases})\n{_phrases(f.phrases, 3)}"
        rf.add_row(name, f"{f.message}{cap}\n[{f.severity}]", f.suggestion)
    return Panel(Group(head, ind, rf), title=f"{c.id}. {c.key}", title_align="left")


def _requirement_words(req) -> str:
    bits = [f"{req.min_indicators} indicator(s) with at least '{req.min_strength}' evidence"]
    if req.min_weight:
        bits.append(f"weighing {req.min_weight:g} together (broad wording families weigh less)")
    if req.min_sentences:
        bits.append(f"in {req.min_sentences} different sentences")
    if req.min_operational:
        bits.append(f"{req.min_operational} of them operational")
    if req.min_mechanism_kinds:
        bits.append(f"{req.min_mechanism_kinds} kinds of mechanism")
    if req.require_mechanisms:
        bits.append("including " + ", ".join(req.require_mechanisms))
    return ", ".join(bits)
