"""The engine's steps, in order: units (sentences, table rows) -> acronyms -> matching (trie,
regexes, frames) -> context (negation, contrast, mood...) -> mechanisms (per sentence, counted
across a window) -> capping (each hit's status and strength). :mod:`shiftcheck.scoring` turns the
matches into levels.

Statuses, strengths and caps: :mod:`shiftcheck.engine.types`.
"""

from __future__ import annotations

import gc
import marshal
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from shiftcheck.document import Document
from shiftcheck.engine.acronyms import define_acronyms, define_names
from shiftcheck.engine.capping import UnitFacts, cap_buzzword_runs, indicator_match, red_flag_match
from shiftcheck.engine.context import UnitContext
from shiftcheck.engine.frames import match_frame
from shiftcheck.engine.mechanisms import counted_kinds, detect_mechanisms, window_kinds
from shiftcheck.engine.normalize import stemmer_for
from shiftcheck.engine.patterns import CompiledLanguage, Hit, Owner, compile_language, compile_terms
from shiftcheck.engine.sections import section_roles
from shiftcheck.engine.types import RANK, STRENGTHS, Match, Status
from shiftcheck.engine.units import Unit, build_units

__all__ = ["RANK", "STRENGTHS", "Analysis", "Match", "Status", "analyze", "compiled_for"]


#: the layout of a compiled language in the rubric cache: part of the entry's key
TRIE_FORMAT = 3


def _compile_cached(rubric, lang: str) -> CompiledLanguage:
    """compile_language through the rubric cache when the rubric came from a file (it has a
    digest): compiling the shipped rubric costs ~0.2 s, loading it ~0.01 s. The entry is
    :meth:`CompiledLanguage.to_data` as ``marshal`` bytes (plain lists, dicts, strings and
    numbers) under a sha256 that :meth:`RubricStore.get_bytes` checks, so it is rebuilt without
    walking it; the key names the format and the Python version (marshal's bytes are
    version-specific)."""
    digest = getattr(rubric, "digest", None)
    if not digest:
        return compile_language(rubric, lang)
    from shiftcheck.cache import RubricStore, rubric_cache_enabled

    if not rubric_cache_enabled():
        return compile_language(rubric, lang)

    store = RubricStore()
    py = f"py{sys.version_info[0]}{sys.version_info[1]}m{marshal.version}"
    name = f"{digest}.{lang}.{stemmer_for(lang).backend}.trie{TRIE_FORMAT}-{py}"
    where = rubric.source or rubric.id
    blob = store.get_bytes(name)
    if blob is not None:
        try:
            return CompiledLanguage.from_data(lang, marshal.loads(blob), where)
        except Exception:
            store.drop_bytes(name)
    comp = compile_language(rubric, lang)
    store.put_bytes(name, marshal.dumps(comp.to_data()))
    return comp


@dataclass
class Analysis:
    language: str
    units: list[Unit]
    matches: list[Match]
    mechanisms_by_unit: dict[int, dict[str, list[Hit]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


_COMPILED: dict[tuple[int, str], tuple[object, CompiledLanguage]] = {}


def compiled_for(rubric, lang: str) -> CompiledLanguage:
    key = (id(rubric), lang)
    got = _COMPILED.get(key)
    if got is None or got[0] is not rubric:
        comp = _compile_cached(rubric, lang)
        _COMPILED[key] = (rubric, comp)
        return comp
    comp = got[1]
    comp.disabled.clear()
    comp.warnings.clear()
    return comp


def _hint_matches(unit: Unit, hints: list[list[str]]) -> bool:
    for heading in unit.heading_stems:
        for hint in hints:
            n = len(hint)
            if any(list(heading[i : i + n]) == hint for i in range(len(heading) - n + 1)):
                return True
    return False


@dataclass
class _Prepared:
    """The rubric's lookups for one analysis."""

    indicators: dict
    red_flags: dict
    frames: list
    hints: dict
    srules: dict
    #: (indicator, id of a unit's heading stems) -> do its headings hold one of its hints
    hints_ok: dict = field(default_factory=dict)


def _prepare(rubric, lang: str) -> _Prepared:
    indicators = {(c.id, i.key): i for c in rubric.criteria for i in c.indicators}
    red_flags = {(c.id, r.key): r for c in rubric.criteria for r in c.red_flags}
    frames = [
        (Owner("indicator", cid, key, "frame"), i.frame)
        for (cid, key), i in indicators.items()
        if i.frame
    ]
    hints = {
        k: compile_terms(i.sections, lang) if i.sections else [] for k, i in indicators.items()
    }
    crit_rules = {c.id: c.level_rule for c in rubric.criteria}
    srules = {}
    for (cid, key), ind in indicators.items():
        crule = crit_rules.get(cid)
        srules[(cid, key)] = ind.strength or (
            crule.strength if crule and crule.strength else rubric.level_rule.strength
        )
    return _Prepared(indicators, red_flags, frames, hints, srules)


def _match_units(units: list[Unit], comp: CompiledLanguage) -> tuple[list[list[Hit]], list[int]]:
    """Step: every trie and regex hit of every unit, and for each unit the first unit with the
    same normalized text and stems. The regexes read the normalized text, the trie the stems:
    each distinct text, each distinct stem list is matched once (a long document repeats many
    sentences and table rows). Hits are never changed, so repeats share them."""
    norm_index: dict[str, int] = {}
    norms: list[str] = []
    first_of: list[int] = []  # the first unit of each distinct text
    which: list[int] = []  # each unit's distinct text
    for i, u in enumerate(units):
        k = norm_index.setdefault(u.norm, len(norms))
        if k == len(norms):
            norms.append(u.norm)
            first_of.append(i)
        which.append(k)
    regex_hits = comp.match_regex_all(norms, lambda k: [a for a, _ in units[first_of[k]].spans])
    trie: dict[tuple[str, ...], list[Hit]] = {}
    seen: dict[tuple[int, tuple[str, ...]], int] = {}
    out = []
    same = []
    for i, (u, k) in enumerate(zip(units, which, strict=True)):
        key = tuple(u.stems)
        hits = trie.get(key)
        if hits is None:
            hits = trie[key] = comp.match(u.stems)
        out.append(hits + regex_hits[k])
        same.append(seen.setdefault((k, key), i))
    return out, same


def _contexts(
    units, raw, same: list[int], rubric, prep: _Prepared
) -> tuple[list[UnitContext], dict[int, dict[str, list[Hit]]]]:
    """Step: each unit's context triggers, frame hits and mechanisms. They depend only on the
    unit's normalized text, stems and hits: a repeated unit (``same[i]``, the first unit like
    unit i) reuses the first one's (frame hits are appended to ``raw``)."""
    contexts: list[UnitContext] = []
    mech_by_unit: dict[int, dict[str, list[Hit]]] = {}
    for i, (u, first) in enumerate(zip(units, same, strict=True)):
        if first != i:
            done = contexts[first]
            raw[i] = list(raw[first])
            ctx = UnitContext(
                u, done.vocab, done.term_starts, done.pseudo, object_marker=done.object_marker
            )
            ctx.mechanisms = done.mechanisms
        else:
            ctx = _unit_context(u, raw[i], rubric, prep)
        mech_by_unit[u.number] = ctx.mechanisms
        contexts.append(ctx)
    return contexts, mech_by_unit


def _unit_context(u: Unit, hits: list[Hit], rubric, prep: _Prepared) -> UnitContext:
    ctxdef = rubric.context
    vocab: dict[str, list[Hit]] = defaultdict(list)
    mech_phrases: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        o = h.owner
        if o.kind == "vocab":
            vocab[o.key].append(h)
        elif o.kind == "mechanism":
            mech_phrases[o.key].append(h)
    term_starts = {h.start for h in vocab.get(ctxdef.terminators, [])}
    ctx = UnitContext(
        u,
        vocab,
        term_starts,
        vocab.get(ctxdef.pseudo_negation, []),
        object_marker=ctxdef.object_marker,
    )
    if vocab:
        for owner, frame in prep.frames:
            fh = match_frame(ctx, frame, owner, ctxdef.implementer)
            if fh is not None:
                hits.append(fh)
    detect_mechanisms(ctx, rubric, ctxdef.implementer, mech_phrases)
    return ctx


def analyze(
    doc: Document, rubric, lang: str, disabled: frozenset[tuple[int, str]] = frozenset()
) -> Analysis:
    """``disabled``: (criterion id, red-flag key) pairs switched off by config or inline comments.
    Such a flag never fires (so it neither shows nor caps a level, and indicator hits inside it
    count); a document's explicit rejection of the practice still counts as evidence."""
    # the analysis makes many small objects and almost no reference cycles: the cyclic
    # collector's passes over them cost a quarter of its time on a long document
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(doc, rubric, lang, disabled)
    finally:
        if enabled:
            _age_young_objects()
            gc.enable()


#: young objects (allocations since the collector last ran) above which they are aged at once
_MANY_YOUNG = 20_000


def _age_young_objects() -> None:
    """Move the objects the analysis made out of the collector's young generation without a pass
    over them. Paused, the collector only defers its work: its first young-generation pass after
    the analysis would walk all of them (~0.15 s on a 500-page document) and find nothing, as a
    review makes no reference cycles. ``gc.freeze`` moves every tracked object to the permanent
    generation in constant time; ``gc.unfreeze`` moves them all to the oldest generation. When
    something else froze objects (the sandbox freezes the parent's heap before it forks), those
    must stay frozen: the new objects then stay frozen with them (refcounting still frees them)."""
    if gc.get_count()[0] < _MANY_YOUNG:
        return
    already = gc.get_freeze_count()  # counts the frozen objects: only worth it for many young ones
    gc.freeze()
    if not already:
        gc.unfreeze()


def _analyze(doc: Document, rubric, lang: str, disabled: frozenset[tuple[int, str]]) -> Analysis:
    t0 = time.perf_counter()
    comp = compiled_for(rubric, lang)
    ctxdef = rubric.context
    role_of, own_kind = section_roles(doc, rubric)
    quoted_roles = frozenset(rubric.sections.quoted)
    if own_kind and rubric.sections.own_kind_quoted is not None:
        quoted_roles = frozenset(rubric.sections.own_kind_quoted)
    units = build_units(doc, comp.stemmer, role_of, frozenset(rubric.sections.skipped))
    define_names(units, comp, ctxdef.implementer_label, ctxdef.implementer)
    define_acronyms(units, comp, ctxdef.acronym_classes)
    prep = _prepare(rubric, lang)
    t1 = time.perf_counter()

    raw, same = _match_units(units, comp)
    contexts, mech_by_unit = _contexts(units, raw, same, rubric, prep)
    deferred = frozenset(
        u.number
        for u, c in zip(units, contexts, strict=True)
        if not own_kind and c.triggers(ctxdef.deferral)
    )
    t2 = time.perf_counter()

    matches: list[Match] = []
    topics_of: dict[frozenset[str], frozenset[int]] = {}
    for idx, (u, ctx, hits) in enumerate(zip(units, contexts, raw, strict=True)):
        # only a sentence with a rule's hit can give a match: the others need no context checks
        if (
            u.repeat
            or not any(h.owner.kind in _RULE_KINDS for h in hits)
            or ctx.triggers(ctxdef.boilerplate)
        ):
            continue
        topics = topics_of.get(u.roles)
        if topics is None:
            topics = topics_of[u.roles] = frozenset(
                int(r[6:]) for r in u.roles if r.startswith("topic:")
            )
        facts = UnitFacts(u, ctx, bool(u.roles & quoted_roles), topics, {}, bool(own_kind))
        matches += _unit_matches(
            facts,
            hits,
            prep,
            rubric,
            disabled,
            lambda srule, i=idx: window_kinds(units, i, mech_by_unit, srule, deferred),
        )
    t3 = time.perf_counter()
    return Analysis(
        language=lang,
        units=units,
        matches=matches,
        mechanisms_by_unit=mech_by_unit,
        warnings=list(comp.warnings),
        timings={"normalize": t1 - t0, "match": t2 - t1, "context": t3 - t2},
    )


#: the owners whose hits become matches
_RULE_KINDS = frozenset(["indicator", "red_flag"])


def _unit_matches(
    facts: UnitFacts,
    hits: list[Hit],
    prep: _Prepared,
    rubric,
    disabled: frozenset[tuple[int, str]],
    kinds_of,
) -> list[Match]:
    """Step: one unit's red-flag and indicator matches. ``kinds_of(srule)`` gives the mechanism
    kinds in the rule's window around the unit."""
    ctxdef = rubric.context
    u, ctx = facts.unit, facts.ctx
    out: list[Match] = []
    # red flags first: a fired flag silences overlapping indicator hits
    for h in _dedupe(h for h in hits if h.owner.kind == "red_flag"):
        key = (h.owner.criterion, h.owner.key)
        rf = prep.red_flags.get(key)
        if rf is not None:
            m = red_flag_match(facts, h, rf, ctxdef, key in disabled)
            if m is not None:
                out.append(m)
    fired = [(m.start, m.end) for m in out if m.status == Status.FIRED]
    names = [(t.start, t.end) for t in ctx.triggers(ctxdef.names)] if ctxdef.names else []
    for h in _dedupe(h for h in hits if h.owner.kind == "indicator"):
        key = (h.owner.criterion, h.owner.key)
        ind = prep.indicators.get(key)
        if ind is None:
            continue
        srule = prep.srules[key]
        if id(srule) not in facts.window_kinds:
            facts.window_kinds[id(srule)] = kinds_of(srule)
        hint_key = (key, id(u.heading_stems))  # the units (and so their headings) outlive prep
        hints_ok = prep.hints_ok.get(hint_key)
        if hints_ok is None:
            hints_ok = prep.hints_ok[hint_key] = _hint_matches(u, prep.hints[key])
        m = indicator_match(facts, h, ind, srule, fired, ctxdef, hints_ok, names)
        if m is not None:
            out.append(m)
    cap_buzzword_runs(
        out,
        counted_kinds(ctx.mechanisms, rubric.level_rule.strength.counted),
        rubric.level_rule.buzzword_criteria,
    )
    return out


def _dedupe(hits) -> list[Hit]:
    """One hit per rule per sentence: the earliest, longest."""
    best: dict[tuple[int, str], Hit] = {}
    for h in hits:
        k = (h.owner.criterion, h.owner.key)
        cur = best.get(k)
        if cur is None or (h.start, -(h.end - h.start)) < (cur.start, -(cur.end - cur.start)):
            best[k] = h
    return list(best.values())
