"""Capping: decide what one hit counts for, given its sentence's context.

A red-flag hit is fired, rejected (negated or contrasted), context (others' practice: a background
section, other actors or places, a hypothetical), meta (quoted as wording) or excused. An
indicator hit is counted with a strength (mentioned / described / operational, from the
mechanisms around it) unless negated or contrasted, and its strength is capped at "mentioned" by
deferral, hedges, a background section, value words, mood or attribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from shiftcheck.document import BlockKind
from shiftcheck.engine.context import UnitContext
from shiftcheck.engine.patterns import Hit
from shiftcheck.engine.types import RANK, Cap, Match, Status, StrengthName
from shiftcheck.engine.units import Unit, split_sentences

#: a sentence this short that is not a table row is a bare phrase ("Co-financing.", "Learning
#: agenda."), and so is a list of such phrases: a label, not a statement of the design, so it is
#: no evidence. A short sentence with a subject or a verb of the rubric's ``clause`` vocabulary
#: ("Responses are local.") is not
FRAGMENT_WORDS = 4
#: the same for a phrase with no mechanism in it, in a paragraph of at least ``SLOGAN_RUN`` such
#: phrases (articles make French phrases longer: "Alignement sur les priorités nationales.")
FRAGMENT_WORDS_VAGUE = 6
SLOGAN_RUN = 3
#: a buzzword run naming this many more shifts than the run threshold is no evidence at all
BUZZWORD_LIST_EXTRA = 2
#: how many words before a hit a stated gap reaches ("lack of trained and dedicated staff")
DEFICIT_WINDOW = 3


@dataclass
class UnitFacts:
    """What the capping step needs to know about one unit besides its hits."""

    unit: Unit
    ctx: UnitContext
    quoted: bool  # in a background / lessons / risk / references section
    topics: frozenset[int]  # criteria whose topic the section's headings name
    window_kinds: dict[int, set[str]]  # id(strength rule) -> counted mechanism kinds around
    own_kind: bool = False  # the document is itself of an ``own_kind`` (a call for proposals)
    fragment: bool | None = None  # is_fragment of the unit, once asked


def is_fragment(u: Unit, concrete: bool) -> bool:
    """A bare phrase ("Co-financing."; with nothing concrete in it, up to ``FRAGMENT_WORDS_VAGUE``
    words: "Alignement sur les priorités nationales."), or a list of bare phrases ("One plan, one
    budget, one report."): every comma-separated piece is at most ``FRAGMENT_WORDS`` words long."""
    if len(u.words) <= FRAGMENT_WORDS:
        return True
    first = u.text.lstrip(" \t\n-•*\"'“‘«(")[:1]
    if not first.isupper():
        # a piece of a longer sentence (a line cut from its start by the layout), not a slogan
        return False
    if not concrete and len(u.words) <= FRAGMENT_WORDS_VAGUE and _slogan_block(u):
        return True
    cuts = sorted({0, *u.commas, *u.breaks, len(u.words)})
    return all(b - a <= FRAGMENT_WORDS for a, b in pairwise(cuts))


def _slogan_block(u: Unit) -> bool:
    """Is the unit's paragraph a run of slogans: at least ``SLOGAN_RUN`` sentences, none longer
    than ``FRAGMENT_WORDS_VAGUE`` words ("Country-led. Locally owned. Co-created.")?"""
    sentences = split_sentences(u.block.text)
    return len(sentences) >= SLOGAN_RUN and all(
        len(t.split()) <= FRAGMENT_WORDS_VAGUE for _o, t in sentences
    )


def words(u: Unit, h: Hit) -> str:
    return " ".join(u.words[h.start : h.end])


def red_flag_match(f: UnitFacts, h: Hit, rf, ctxdef, disabled: bool) -> Match | None:
    """The status of one red-flag hit, or None when the rule does not apply here."""
    u, ctx = f.unit, f.ctx
    if rf.near and not ctx.near(h, rf.near.vocab, rf.near.within, rf.near.side):
        return None
    m = Match(
        "red_flag",
        h.owner.criterion,
        h.owner.key,
        u,
        h.start,
        h.end,
        Status.FIRED,
        phrase=h.owner.phrase,
    )
    if rf.unless:
        excuse = ctx.near(h, rf.unless.vocab, rf.unless.within, rf.unless.side)
        if excuse:
            m.status, m.trigger = Status.EXCUSED, words(u, excuse)
            return m
    neg = ctx.negated(h, ctxdef.negation_before, ctxdef.negation_after, ctxdef.negation_window)
    con = (
        None
        if neg
        else ctx.contrasted(h, ctxdef.contrast, ctxdef.contrast_sentence, ctxdef.contrast_window)
    )
    mood = None if (neg or con) else ctx.mood(h, ctxdef, advice=not f.own_kind)
    if f.quoted:
        m.status = Status.CONTEXT
    elif ctx.quoted(h) and ctx.triggers(ctxdef.meta_language):
        m.status = Status.META
    elif neg is not None or con is not None:
        m.status = Status.REJECTED
        rejecting = neg if neg is not None else con
        assert rejecting is not None
        m.trigger = words(u, rejecting)
        m.strength = rf.rejected_counts_as
    elif mood is not None:
        m.status, m.trigger = Status.CONTEXT, f"{mood[0]}: '{mood[1]}'"
    else:
        if disabled:
            return None
        mit = ctx.triggers(ctxdef.mitigation)
        if mit and "time" in ctx.mechanisms:
            m.mitigated = True
            m.trigger = words(u, mit[0])
    return m


def indicator_match(
    f: UnitFacts,
    h: Hit,
    ind,
    srule,
    fired_spans,
    ctxdef,
    hints_ok: bool,
    name_spans: Sequence[tuple[int, int]] = (),
) -> Match | None:
    """The status and strength of one indicator hit, or None when the rule does not apply.
    ``name_spans``: token spans of proper names (the rubric's ``names`` vocabulary); a hit inside
    one is part of a name."""
    u, ctx = f.unit, f.ctx
    if ind.near and not ctx.near(h, ind.near.vocab, ind.near.within, ind.near.side):
        return None
    m = Match(
        "indicator",
        h.owner.criterion,
        h.owner.key,
        u,
        h.start,
        h.end,
        Status.COUNTED,
        phrase=h.owner.phrase,
    )
    rejected = _rejection(f, h, fired_spans, ctxdef, name_spans)
    if rejected is not None:
        m.status, m.trigger = rejected
        return m
    kinds = f.window_kinds[id(srule)]
    topic = h.owner.criterion in f.topics
    strength, details = _strength(f, srule, kinds, topic, ctxdef)
    caps = _caps(f, h, ind, ctxdef, topic, hints_ok)
    if ind.max_strength != "operational" and RANK[strength] > RANK[ind.max_strength]:
        caps.append(Cap.VALUE.value)
        strength = ind.max_strength
    if caps and strength != "mentioned" and any(not c.startswith(Cap.VALUE) for c in caps):
        strength = "mentioned"
    m.strength = strength
    m.mechanisms = tuple(sorted(kinds))
    m.details = tuple(sorted(details))
    m.caps = tuple(caps)
    return m


def _rejection(
    f: UnitFacts, h: Hit, fired_spans, ctxdef, name_spans: Sequence[tuple[int, int]] = ()
) -> tuple[Status, str] | None:
    """Step: why the hit is not evidence at all (inside a red flag or a proper name, negated, a
    fragment, a gap stated, rejected by a contrast), or None."""
    u, ctx = f.unit, f.ctx
    if any(s < h.end and h.start < e for s, e in fired_spans):
        return Status.IGNORED, "part of a red flag"
    for s, e in name_spans:
        if s <= h.start and h.end <= e:
            return Status.IGNORED, f"part of a name ('{' '.join(u.words[s:e])}')"
    neg = ctx.negated(h, ctxdef.negation_before, ctxdef.negation_after, ctxdef.negation_window)
    if neg:
        return Status.EXCLUDED, words(u, neg)
    if f.fragment is None:
        f.fragment = is_fragment(u, bool(ctx.mechanisms))
    if f.fragment and u.block.kind != BlockKind.TABLE_CELL and not ctx.triggers(ctxdef.clause):
        return Status.IGNORED, Cap.FRAGMENT.value
    gap = ctx.before(h, ctxdef.deficit, DEFICIT_WINDOW)
    if gap:
        return Status.IGNORED, f"a gap stated ('{words(u, gap)}'), not the design"
    # only a clause-level contrast rejects an indicator: in "shift from X to Y" the Y part is the
    # design's own commitment
    con = ctx.contrasted(h, ctxdef.contrast, None, ctxdef.contrast_window)
    if con:
        return Status.IGNORED, f"rejected by '{words(u, con)}'"
    return None


def _strength(
    f: UnitFacts, srule, kinds: set[str], topic: bool, ctxdef
) -> tuple[StrengthName, set[str]]:
    """Step: the strength the mechanisms in the window earn, and the extra details (the rule's
    ``described_also`` kinds present in the sentence, a section naming the shift's topic)."""
    ctx = f.ctx
    present = set(ctx.mechanisms)
    if f.own_kind and any(
        t.start == 0 for n in (ctxdef.advice, ctxdef.scope) for t in ctx.triggers(n)
    ):
        # a call's scope of work is written as imperatives ("Strengthen capacity of the MOH ICT
        # team"): that is the design's own voice
        present.add("voice")
    details = set(srule.described_also) & present - kinds
    if topic:
        details.add("section topic")
    n = len(kinds)
    strength: StrengthName = (
        "operational"
        if n >= srule.operational
        else "described"
        if n + len(details) >= srule.described
        else "mentioned"
    )
    return strength, details


def _caps(f: UnitFacts, h: Hit, ind, ctxdef, topic: bool, hints_ok: bool) -> list[str]:
    """Step: what keeps the hit at "mentioned": deferral, hedge, mood, the implementer acting
    where a country actor should, process words, background quoted from elsewhere."""
    u, ctx = f.unit, f.ctx
    caps: list[str] = []
    # in a call, "the applicant will develop a sustainability plan" is the deliverable asked for,
    # not a plan postponed
    deferred = [] if f.own_kind else ctx.triggers(ctxdef.deferral)
    if deferred:
        caps.append(f"{Cap.DEFERRED} ('{words(u, deferred[0])}')")
    hedge = ctx.within(h, ctxdef.hedge, 8)
    if hedge:
        caps.append(f"{Cap.HEDGED} ('{words(u, hedge)}')")
    mood = ctx.mood(h, ctxdef, advice=not f.own_kind)
    if mood:
        caps.append(f"{mood[0]} ('{mood[1]}')")
    if ind.country_agent:
        who = ctx.subject(h, ctxdef.agent_actors, ctxdef.implementer)
        if (
            who is not None
            and who[0] == "implementer"
            and not ctx.joint(ctxdef.joint_marker, ctxdef.agent_actors)
        ):
            caps.append(f"{Cap.IMPLEMENTER} ('{words(u, who[1])}')")
    process = ctx.triggers(ctxdef.process)
    if process and not ind.allow_process:
        caps.append(f"{Cap.PROCESS} ('{words(u, process[0])}')")
    if f.quoted and not topic and not hints_ok:
        caps.append(Cap.BACKGROUND.value)
    return caps


def cap_buzzword_runs(
    unit_matches: list[Match], counted_kinds: set[str], min_criteria: int
) -> None:
    """A sentence naming many shifts with nothing concrete around it is a list of buzzwords."""
    counted = [m for m in unit_matches if m.kind == "indicator" and m.status == Status.COUNTED]
    named = len({m.criterion for m in counted})
    if named >= min_criteria and not counted_kinds:
        for m in counted:
            if named >= min_criteria + BUZZWORD_LIST_EXTRA:
                # a list of nearly every shift's slogans is no evidence of any of them
                m.status, m.trigger = Status.IGNORED, Cap.BUZZWORD.value
            else:
                m.strength = "mentioned"
                m.caps = (*m.caps, Cap.BUZZWORD.value)
