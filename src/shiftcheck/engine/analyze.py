"""Find indicator and red-flag matches in a document and decide, per sentence, what each counts for.

Indicator hit statuses:
  counted   evidence, with a strength: mentioned / described / operational
  excluded  negated ("the design does not include a transition plan"): counts against the shift
  ignored   in a contrast scope, a repeated sentence, or overlapping a red flag that fired
Red-flag hit statuses:
  fired     the design adopts the From-side practice (may be ``mitigated``)
  rejected  negated or contrasted ("we will not create parallel systems", "rather than ..."):
            silent, and counts as evidence of ``rejected_counts_as`` strength for the shift
  context   in a background, lessons, risk, references or RFP section: others' practice
  meta      quoted in a sentence about wording ("we avoid the word 'beneficiaries'")
  excused   the rule's ``unless`` condition holds (e.g. a national plan cited beside a donor strategy)
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from shiftcheck.document import Document
from shiftcheck.engine.context import UnitContext, detect_mechanisms
from shiftcheck.engine.normalize import stemmer_for
from shiftcheck.engine.patterns import CompiledLanguage, Hit, compile_language, compile_terms
from shiftcheck.engine.units import Unit, build_units

STRENGTHS = ("mentioned", "described", "operational")
RANK = {s: i for i, s in enumerate(STRENGTHS)}


@dataclass
class Match:
    kind: str  # "indicator" | "red_flag"
    criterion: int
    key: str
    unit: Unit
    start: int
    end: int
    status: str
    strength: str | None = None
    mechanisms: tuple[str, ...] = ()
    caps: tuple[str, ...] = ()  # why the strength was capped: deferred, hedged, quoted, buzzword, value words
    trigger: str | None = None  # the negation/contrast/mitigation words involved
    mitigated: bool = False
    phrase: str = ""
    details: tuple[str, ...] = ()  # kinds that count toward "described" only (named actor, counts)

    @property
    def quote(self) -> str:
        return self.unit.quote(self.start, self.end)

    def why(self) -> str:
        if self.kind == "indicator":
            if self.status == "counted":
                kinds = [*self.mechanisms, *self.details]
                mech = f" with {', '.join(kinds)}" if kinds else " with no concrete mechanism"
                cap = f"; capped: {', '.join(self.caps)}" if self.caps else ""
                return f"{self.strength}{mech}{cap}"
            if self.status == "excluded":
                return f"negated by '{self.trigger}': counts against the shift"
            return f"ignored ({self.trigger or self.status})"
        if self.status == "fired":
            return "red flag" + (f", mitigated ('{self.trigger}' with a timeline)" if self.mitigated else "")
        if self.status == "rejected":
            return f"rejected practice ('{self.trigger}'): not a red flag, weak evidence for the shift"
        if self.status == "context":
            return "in a background/lessons/risk section: describes others' practice"
        if self.status == "meta":
            return "quoted as wording, not adopted"
        if self.status == "excused":
            return f"not a red flag here: '{self.trigger}' stands beside it"
        return self.status


def _compile_cached(rubric, lang: str) -> CompiledLanguage:
    """compile_language through the rubric cache when the rubric came from a file (it has a
    digest): compiling the shipped rubric costs ~0.2 s, loading it ~0.03 s."""
    digest = getattr(rubric, "digest", None)
    if not digest:
        return compile_language(rubric, lang)
    from shiftcheck.cache import RubricStore, rubric_cache_enabled

    if not rubric_cache_enabled():
        return compile_language(rubric, lang)
    from shiftcheck.engine.normalize import stemmer_for

    store = RubricStore()
    name = f"{digest}.{lang}.{stemmer_for(lang).backend}"
    data = store.get(name)
    if data is not None:
        try:
            return CompiledLanguage.from_data(lang, data, rubric.source or rubric.id)
        except Exception:
            store.drop(name)
    comp = compile_language(rubric, lang)
    store.put(name, comp.to_data())
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


def _section_roles(doc: Document, rubric) -> dict[tuple[str, ...], frozenset[str]]:
    """Heading path -> roles, by matching each heading's words against the rubric's section roles."""
    role_terms: dict[str, list[list[str]]] = {}
    for role, phrases in rubric.sections.roles.items():
        terms: list[list[str]] = []
        for lang, plist in phrases.items():
            terms += compile_terms(plist, lang if lang in ("en", "fr") else "en")
        role_terms[role] = terms
    out: dict[tuple[str, ...], frozenset[str]] = {}
    stems_en = stemmer_for("en")
    stems_fr = stemmer_for("fr")
    from shiftcheck.engine.normalize import find_words, normalize_plain

    # each term indexed by its first stem, so a heading is checked word by word
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for role, terms in role_terms.items():
        for term in terms:
            if term:
                by_first.setdefault(term[0], []).append((role, tuple(term)))

    def heading_roles(h: str) -> set[str]:
        words = find_words(normalize_plain(h))
        found = set()
        for form in (stems_en.many(words), stems_fr.many(words)):
            form_t = tuple(form)
            for i, w in enumerate(form):
                for role, term in by_first.get(w, ()):
                    if form_t[i:i + len(term)] == term:
                        found.add(role)
        return found

    cache: dict[str, set[str]] = {}
    for b in doc.blocks:
        path = b.heading_path
        if path in out:
            continue
        roles: set[str] = set()
        for h in path:
            if h not in cache:
                cache[h] = heading_roles(h)
            roles |= cache[h]
        out[path] = frozenset(roles)
    return out


def _hint_matches(unit: Unit, hints: list[list[str]]) -> bool:
    for heading in unit.heading_stems:
        for hint in hints:
            n = len(hint)
            if any(list(heading[i:i + n]) == hint for i in range(len(heading) - n + 1)):
                return True
    return False


def analyze(doc: Document, rubric, lang: str, disabled: frozenset[tuple[int, str]] = frozenset()) -> Analysis:
    """``disabled``: (criterion id, red-flag key) pairs switched off by config or inline comments.
    Such a flag never fires (so it neither shows nor caps a level, and indicator hits inside it
    count); a document's explicit rejection of the practice still counts as evidence."""
    t0 = time.perf_counter()
    comp = compiled_for(rubric, lang)
    ctxdef = rubric.context
    rule = rubric.level_rule
    role_of = _section_roles(doc, rubric)
    quoted_roles = frozenset(rubric.sections.quoted)
    units = build_units(doc, comp.stemmer, role_of, frozenset(rubric.sections.skipped))
    t1 = time.perf_counter()

    indicators = {(c.id, i.key): i for c in rubric.criteria for i in c.indicators}
    red_flags = {(c.id, r.key): r for c in rubric.criteria for r in c.red_flags}
    criteria_rules = {c.id: c.level_rule for c in rubric.criteria}
    hint_cache: dict[tuple[int, str], list[list[str]]] = {}
    for (cid, key), ind in indicators.items():
        hint_cache[(cid, key)] = compile_terms(ind.sections, lang) if ind.sections else []

    matches: list[Match] = []
    mech_by_unit: dict[int, dict[str, list[Hit]]] = {}
    contexts: list[UnitContext] = []
    raw: list[list[Hit]] = []
    regex_hits = comp.match_regex_all([u.norm for u in units], lambda i: [a for a, _ in units[i].spans])
    for u, rx_hits in zip(units, regex_hits, strict=True):
        hits = comp.match(u.stems)
        if rx_hits:
            hits += rx_hits
        vocab: dict[str, list[Hit]] = defaultdict(list)
        mech_phrases: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            if h.owner.kind == "vocab":
                vocab[h.owner.key].append(h)
            elif h.owner.kind == "mechanism":
                mech_phrases[h.owner.key].append(h)
        term_starts = {h.start for h in vocab.get(ctxdef.terminators, [])}
        ctx = UnitContext(u, vocab, term_starts, vocab.get(ctxdef.pseudo_negation, []))
        detect_mechanisms(ctx, rubric, ctxdef.implementer, mech_phrases)
        mech_by_unit[u.number] = ctx.mechanisms
        contexts.append(ctx)
        raw.append(hits)
    t2 = time.perf_counter()

    for idx, (u, ctx, hits) in enumerate(zip(units, contexts, raw, strict=True)):
        if u.repeat:
            continue
        quoted = bool(u.roles & quoted_roles)
        deferred = ctx.triggers(ctxdef.deferral)
        unit_matches: list[Match] = []
        # ---- red flags first: a fired flag silences overlapping indicator hits
        for h in _dedupe(h for h in hits if h.owner.kind == "red_flag"):
            rf = red_flags.get((h.owner.criterion, h.owner.key))
            if rf is None:
                continue
            if rf.near and not ctx.near(h, rf.near.vocab, rf.near.within, rf.near.side):
                continue
            m = Match("red_flag", h.owner.criterion, h.owner.key, u, h.start, h.end, "fired", phrase=h.owner.phrase)
            if rf.unless:
                excuse = ctx.near(h, rf.unless.vocab, rf.unless.within, rf.unless.side)
                if excuse:
                    m.status, m.trigger = "excused", _words(u, excuse)
                    unit_matches.append(m)
                    continue
            neg = ctx.negated(h, ctxdef.negation_before, ctxdef.negation_after, ctxdef.negation_window)
            con = None if neg else ctx.contrasted(h, ctxdef.contrast, ctxdef.contrast_sentence, ctxdef.contrast_window)
            if quoted:
                m.status = "context"
            elif ctx.quoted(h) and ctx.triggers(ctxdef.meta_language):
                m.status = "meta"
            elif neg or con:
                m.status = "rejected"
                m.trigger = _words(u, neg or con)
                m.strength = rf.rejected_counts_as
            else:
                if (h.owner.criterion, h.owner.key) in disabled:
                    continue
                mit = ctx.triggers(ctxdef.mitigation)
                if mit and "time" in ctx.mechanisms:
                    m.mitigated = True
                    m.trigger = _words(u, mit[0])
            unit_matches.append(m)
        fired_spans = [(m.start, m.end) for m in unit_matches if m.status == "fired"]
        # ---- indicators
        counted_kinds = _counted(ctx.mechanisms, rule.strength.counted)
        kinds_by_rule: dict[int, set[str]] = {}  # strength rule -> mechanism kinds around this unit
        for h in _dedupe(h for h in hits if h.owner.kind == "indicator"):
            ind = indicators.get((h.owner.criterion, h.owner.key))
            if ind is None:
                continue
            if ind.near and not ctx.near(h, ind.near.vocab, ind.near.within, ind.near.side):
                continue
            m = Match("indicator", h.owner.criterion, h.owner.key, u, h.start, h.end, "counted", phrase=h.owner.phrase)
            if any(s < h.end and h.start < e for s, e in fired_spans):
                m.status, m.trigger = "ignored", "part of a red flag"
                unit_matches.append(m)
                continue
            neg = ctx.negated(h, ctxdef.negation_before, ctxdef.negation_after, ctxdef.negation_window)
            if neg:
                m.status, m.trigger = "excluded", _words(u, neg)
                unit_matches.append(m)
                continue
            # only a clause-level contrast rejects an indicator: in "shift from X to Y" the Y part
            # is the design's own commitment
            con = ctx.contrasted(h, ctxdef.contrast, None, ctxdef.contrast_window)
            if con:
                m.status, m.trigger = "ignored", f"rejected by '{_words(u, con)}'"
                unit_matches.append(m)
                continue
            crule = criteria_rules.get(h.owner.criterion)
            srule = crule.strength if crule and crule.strength else rule.strength
            if id(srule) not in kinds_by_rule:
                kinds_by_rule[id(srule)] = _window(units, idx, mech_by_unit, srule)
            kinds = kinds_by_rule[id(srule)]
            n = len(kinds)
            n_described = n + len(set(srule.described_also) & set(ctx.mechanisms) - kinds)
            strength = (
                "operational" if n >= srule.operational else "described" if n_described >= srule.described else "mentioned"
            )
            caps: list[str] = []
            if deferred:
                caps.append(f"deferred ('{_words(u, deferred[0])}')")
            hedge = ctx.within(h, ctxdef.hedge, 8)
            if hedge:
                caps.append(f"hedged ('{_words(u, hedge)}')")
            if quoted and not _hint_matches(u, hint_cache[(h.owner.criterion, h.owner.key)]):
                caps.append("background/lessons section")
            if ind.max_strength != "operational" and RANK[strength] > RANK[ind.max_strength]:
                caps.append("value words")
                strength = ind.max_strength
            if caps and strength != "mentioned" and any(not c.startswith("value") for c in caps):
                strength = "mentioned"
            m.strength = strength
            m.mechanisms = tuple(sorted(kinds))
            m.details = tuple(sorted(set(srule.described_also) & set(ctx.mechanisms) - kinds))
            m.caps = tuple(caps)
            unit_matches.append(m)
        # ---- buzzword runs: hits from many shifts, no mechanism
        counted_crit = {m.criterion for m in unit_matches if m.kind == "indicator" and m.status == "counted"}
        if len(counted_crit) >= rule.buzzword_criteria and not counted_kinds:
            for m in unit_matches:
                if m.kind == "indicator" and m.status == "counted":
                    m.strength = "mentioned"
                    m.caps = (*m.caps, "buzzword run")
        matches += unit_matches
    t3 = time.perf_counter()
    return Analysis(
        language=lang,
        units=units,
        matches=matches,
        mechanisms_by_unit=mech_by_unit,
        warnings=list(comp.warnings),
        timings={"normalize": t1 - t0, "match": t2 - t1, "context": t3 - t2},
    )


def _counted(mechs: dict[str, list[Hit]], counted: list[str] | None) -> set[str]:
    return {k for k in mechs if counted is None or k in counted}


def _window(units: list[Unit], idx: int, mech_by_unit, srule) -> set[str]:
    """Counted mechanism kinds in this unit and, with ``srule.window``, its neighbours in the same
    section."""
    kinds = _counted(mech_by_unit[units[idx].number], srule.counted)
    for j in range(max(0, idx - srule.window), min(len(units), idx + srule.window + 1)):
        if units[j].block.heading_path == units[idx].block.heading_path:
            kinds |= _counted(mech_by_unit[units[j].number], srule.counted)
    return kinds


def _dedupe(hits) -> list[Hit]:
    """One hit per rule per sentence: the earliest, longest."""
    best: dict[tuple[int, str], Hit] = {}
    for h in hits:
        k = (h.owner.criterion, h.owner.key)
        cur = best.get(k)
        if cur is None or (h.start, -(h.end - h.start)) < (cur.start, -(cur.end - cur.start)):
            best[k] = h
    return list(best.values())


def _words(u: Unit, h: Hit) -> str:
    return " ".join(u.words[h.start:h.end])
