"""Mechanisms: the concrete arrangements around a match (a country actor with a decision right,
money, time, a metric, an instrument), found per sentence and counted across the rubric's window
(the same paragraph or section, a few sentences either side; a table row is one unit)."""

from __future__ import annotations

from collections.abc import Sequence

from shiftcheck.engine.context import UnitContext
from shiftcheck.engine.patterns import Hit
from shiftcheck.engine.units import Unit


def detect_mechanisms(
    ctx: UnitContext, rubric, implementer: str, phrase_hits: dict[str, list[Hit]]
) -> None:
    """Fill ``ctx.mechanisms``: kind -> hits that count as that kind in this unit."""
    if not ctx.vocab and not phrase_hits:
        return
    vocab = ctx.vocab
    for m in rubric.mechanisms:
        hits: list[Hit] = []
        for v in m.vocab:
            got = vocab.get(v)
            if got:
                hits += got
        got = phrase_hits.get(m.key)
        if got:
            hits += got
        if not hits:
            continue
        if m.near:
            kept = []
            for h in hits:
                if has_subject(ctx, h, m.near.vocab, m.near.within, implementer, m.near.side):
                    kept.append(h)
            hits = kept
        if hits:
            ctx.mechanisms[m.key] = hits


def has_subject(
    ctx: UnitContext,
    h: Hit,
    actors: list[str],
    within: int,
    implementer: str,
    side: str,
    verbs: Sequence[Hit] = (),
) -> bool:
    """Does a country actor (not the implementer) stand with this verb? The nearest actor-like term
    before the verb in the same clause, not in object position, is its subject; failing that, an
    actor just after it ("approved by the Ministry")."""
    if side in ("any", "before"):
        who = ctx.subject(h, actors, implementer, within, verbs)
        if who is not None:
            return who[0] == "actor"
    if side in ("any", "after"):
        return ctx.after(h, actors, within) is not None
    return False


def counted_kinds(mechs: dict[str, list[Hit]], counted: list[str] | None) -> set[str]:
    return {k for k in mechs if counted is None or k in counted}


def window_kinds(
    units: list[Unit],
    idx: int,
    mech_by_unit: dict[int, dict[str, list[Hit]]],
    srule,
    deferred: frozenset[int] = frozenset(),
) -> set[str]:
    """Counted mechanism kinds in this unit and, with ``srule.window``, its neighbours: in the same
    block (``paragraph`` scope) or under the same headings (``section`` scope). A neighbour that
    defers its own content ("a plan will be developed in Year 2") lends nothing."""
    kinds = counted_kinds(mech_by_unit[units[idx].number], srule.counted)
    if not srule.window:
        return kinds
    here = units[idx]
    same_block = srule.window_scope == "paragraph"
    for j in range(max(0, idx - srule.window), min(len(units), idx + srule.window + 1)):
        other = units[j]
        if same_block:
            if other.block is not here.block:
                continue
        elif other.block.heading_path != here.block.heading_path:
            continue
        if j != idx and other.number in deferred:
            continue
        kinds |= counted_kinds(mech_by_unit[other.number], srule.counted)
    return kinds
