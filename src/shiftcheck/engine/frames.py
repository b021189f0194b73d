"""Frame rules: an actor, an action and optionally an object in one clause, in any order.

"supervision passes to the district health office from Year 3", "the regional health bureau takes
over the helpline's running costs", "la DPS prend en charge les coûts récurrents": no fixed phrase
lists every such sentence, but each is an actor class, an action class and an object class
standing together. Each class is a list of rubric vocabularies (stemmed words and phrases).

With ``agent`` the actor must be the one acting: the nearest actor-like term before the action in
its clause is a country actor, not the implementer ("Our advisers will take over ordering" is the
implementer acting), or the actor follows the action (passive "... is taken over by the
district", "passes to the district").
"""

from __future__ import annotations

from shiftcheck.engine.context import UnitContext
from shiftcheck.engine.mechanisms import has_subject
from shiftcheck.engine.patterns import Hit, Owner


def _hits(ctx: UnitContext, names: list[str]) -> list[Hit]:
    return [h for n in names for h in ctx.vocab.get(n, [])]


def _same_clause(ctx: UnitContext, a: Hit, b: Hit) -> bool:
    first, second = (a, b) if a.start <= b.start else (b, a)
    return not ctx._blocked(first.end - 1, second.start)


def match_frame(ctx: UnitContext, frame, owner: Owner, implementer: str) -> Hit | None:
    """The first place in this unit where the frame holds, as one hit from its first to its last
    word; None when it does not."""
    actions = _hits(ctx, frame.action)
    if not actions:
        return None
    if not any(ctx.vocab.get(n) for n in frame.actor):
        return None

    def around(names: list[str], act: Hit) -> list[Hit]:
        # the hits ending up to ``within`` words before the action or starting up to ``within``
        # words after it (index lookups: linear on a long sentence)
        got = {id(h): h for h in ctx.ending(names, act.start - frame.within, act.end)}
        got.update((id(h), h) for h in ctx.starting(names, act.start, act.end + frame.within))
        # in the order of the vocabularies, then of the text, as the whole lists would be
        return sorted(
            got.values(),
            key=lambda h: (names.index(h.owner.key) if h.owner.key in names else 0, h.start, h.end),
        )

    for act in sorted(actions, key=lambda h: h.start):
        actors = around(frame.actor, act)
        near_actors = [
            a
            for a in actors
            if not (a.start < act.end and act.start < a.end)
            and min(abs(act.start - a.end), abs(a.start - act.end)) <= frame.within
            and _same_clause(ctx, a, act)
            and (frame.side == "any" or a.end <= act.start)
        ]
        if not near_actors:
            continue
        if frame.agent and not has_subject(
            ctx, act, frame.actor, frame.within, implementer, frame.side, actions
        ):
            continue
        span = [act, near_actors[0]]
        if frame.object:
            objs = [
                o
                for o in around(frame.object, act)
                if not (o.start < act.end and act.start < o.end)
                and min(abs(act.start - o.end), abs(o.start - act.end)) <= frame.within
                and _same_clause(ctx, o, act)
            ]
            if not objs:
                continue
            span.append(objs[0])
        return Hit(owner, min(h.start for h in span), max(h.end for h in span))
    return None
