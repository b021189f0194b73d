"""Matches -> per-criterion ShiftResult (level 0-3, score, evidence, red flags, recommendations,
and why the level as data in ``_reasons``), following the level rule declared in the rubric. The
report layer words the reasons into the rationale (:func:`shiftcheck.report.localize.finish`):
scoring imports nothing from it."""

from __future__ import annotations

from shiftcheck.engine.types import RANK, Match, StrengthName
from shiftcheck.model import Evidence, Location, MatchDetail, Overall, RedFlagHit, ShiftResult
from shiftcheck.rubric.schema import Criterion, LevelRequirement, Rubric

STRENGTH_VALUE = {"mentioned": 1 / 3, "described": 2 / 3, "operational": 1.0}


def strength_of(m: Match) -> StrengthName:
    """A counted match's strength (a match without one counts as "mentioned")."""
    return m.strength or "mentioned"


MAX_EVIDENCE = 6


def location_of(m: Match) -> Location:
    b = m.unit.block
    return Location.model_construct(
        page=b.page,
        section=b.section or None,
        paragraph=b.index or None,
        line=m.unit.line,
        table=b.table,
        row=b.row,
    )


def _levels_for(rubric: Rubric, c: Criterion) -> dict[int, list[LevelRequirement]]:
    levels = dict(rubric.level_rule.levels)
    if c.level_rule and c.level_rule.levels:
        levels.update(c.level_rule.levels)
    return {k: v if isinstance(v, list) else [v] for k, v in levels.items()}


def _kinds(req: LevelRequirement, hits: dict[str, list[Match]]) -> set[str]:
    """Mechanism kinds across every hit that reaches the required strength (not only the best
    hit per indicator, so ties between sentences lose nothing)."""
    return {
        k
        for ms in hits.values()
        for m in ms
        if RANK[m.strength or "mentioned"] >= RANK[req.min_strength]
        for k in m.mechanisms
    }


def _holds(
    req: LevelRequirement,
    best: dict[str, Match],
    weights: dict[str, float],
    hits: dict[str, list[Match]],
) -> bool:
    chosen = [m for m in best.values() if RANK[m.strength or "mentioned"] >= RANK[req.min_strength]]
    if len(chosen) < req.min_indicators:
        return False
    if sum(1 for m in chosen if m.strength == "operational") < req.min_operational:
        return False
    kinds = _kinds(req, hits)
    if len(kinds) < req.min_mechanism_kinds:
        return False
    if any(k not in kinds for k in req.require_mechanisms):
        return False
    if req.min_sentences and len(_sentences(req, hits)) < req.min_sentences:
        return False
    return not sum(weights.get(m.key, 1.0) for m in chosen) < req.min_weight


def _sentences(req: LevelRequirement, hits: dict[str, list[Match]]) -> set[int]:
    """Distinct units carrying evidence of at least the required strength."""
    return {
        m.unit.number
        for ms in hits.values()
        for m in ms
        if RANK[m.strength or "mentioned"] >= RANK[req.min_strength]
    }


def _gaps(
    req: LevelRequirement,
    best: dict[str, Match],
    hits: dict[str, list[Match]],
    weights: dict[str, float],
) -> list[dict]:
    """What the evidence lacks for ``req``, as codes the report layer words (shiftcheck.report.wording)."""
    chosen = [m for m in best.values() if RANK[m.strength or "mentioned"] >= RANK[req.min_strength]]
    kinds = _kinds(req, hits)
    gaps: list[dict] = []
    if len(chosen) < req.min_indicators:
        gaps.append(
            {
                "code": "practices",
                "n": req.min_indicators - len(chosen),
                "strength": req.min_strength,
            }
        )
    if sum(1 for m in chosen if m.strength == "operational") < req.min_operational:
        gaps.append({"code": "operational"})
    missing_req = [k for k in req.require_mechanisms if k not in kinds]
    if missing_req:
        gaps.append({"code": "require", "kinds": missing_req})
    if len(kinds) < req.min_mechanism_kinds:
        gaps.append({"code": "kinds", "have": sorted(kinds), "need": req.min_mechanism_kinds})
    if req.min_sentences and len(_sentences(req, hits)) < req.min_sentences:
        gaps.append({"code": "sentences", "n": req.min_sentences - len(_sentences(req, hits))})
    if not gaps and sum(weights.get(m.key, 1.0) for m in chosen) < req.min_weight:
        gaps.append({"code": "weight"})
    return gaps


def score_criterion(
    rubric: Rubric, c: Criterion, matches: list[Match], verbose: bool = False
) -> ShiftResult:
    """One criterion's level, score, evidence, red flags and advice from the engine's matches."""
    ind_by_key = {i.key: i for i in c.indicators}
    rf_by_key = {r.key: r for r in c.red_flags}
    weights = {i.key: i.weight for i in c.indicators}
    mine = [m for m in matches if m.criterion == c.id]
    best, hits = _best_evidence(mine)

    levels = _levels_for(rubric, c)
    uncapped = _uncapped_level(levels, best, weights, hits)
    fired = [m for m in mine if m.kind == "red_flag" and m.status == "fired"]
    excluded = [
        m for m in mine if m.kind == "indicator" and m.status == "excluded" and m.key not in best
    ]
    level, cap_reason = _apply_caps(fired, rf_by_key, best, uncapped)

    reasons = _reasons(level, uncapped, best, levels, hits, weights)
    reasons["cap"] = cap_reason
    if excluded and not best:
        reasons["excluded"] = {"key": excluded[0].key, "loc": location_of(excluded[0])}
    result = ShiftResult.model_construct(
        id=c.id,
        key=c.key,
        title=c.title,
        short_title=c.short_title,
        docs_url=c.docs_url,
        from_=c.from_,
        to=c.to,
        level=level,
        level_name=rubric.level_name(level),
        score=_score(weights, best, level),
        rationale="",  # worded from ``_reasons`` by the report layer (report.localize.finish)
        indicators_met=[i.key for i in c.indicators if i.key in best],
        indicators_missing=[i.key for i in c.indicators if i.key not in best],
        evidence=_evidence(best, ind_by_key, rf_by_key),
        red_flags=_flag_hits(fired, rf_by_key) + _excluded_hits(excluded, ind_by_key),
        recommendations=_recommendations(c, best),
        matches=_details(mine) if verbose else [],
    )
    result._reasons = reasons
    return result


def _counts(m: Match) -> bool:
    """Evidence: a counted indicator match, or a red flag the design rejects (weak evidence)."""
    return (m.kind == "indicator" and m.status == "counted") or bool(
        m.kind == "red_flag" and m.status == "rejected" and m.strength
    )


def _best_evidence(mine: list[Match]) -> tuple[dict[str, Match], dict[str, list[Match]]]:
    """Step: the strongest match per indicator (then the one with most mechanisms), and every
    counted match per indicator."""
    best: dict[str, Match] = {}
    hits: dict[str, list[Match]] = {}
    for m in mine:
        if not _counts(m):
            continue
        hits.setdefault(m.key, []).append(m)
        cur = best.get(m.key)
        if cur is None or (RANK[strength_of(m)], len(m.mechanisms)) > (
            RANK[strength_of(cur)],
            len(cur.mechanisms),
        ):
            best[m.key] = m
    return best, hits


def _uncapped_level(levels, best, weights, hits) -> int:
    """Step: the highest level one of whose requirements holds."""
    for lvl in (3, 2, 1):
        if lvl in levels and any(_holds(req, best, weights, hits) for req in levels[lvl]):
            return lvl
    return 0


def _apply_caps(
    fired: list[Match], rf_by_key: dict, best: dict[str, Match], level: int
) -> tuple[int, dict | None]:
    """Step: red flags cap the level unless the document carries the mitigation they ask for
    (an indicator of ``lifted_by`` met at least as described). Marks lifted flags mitigated."""
    caps: list[tuple[int, Match]] = []
    for m in fired:
        rf = rf_by_key[m.key]
        if (
            rf.lifted_by
            and not m.mitigated
            and any(
                k in best and RANK[best[k].strength or "mentioned"] >= RANK["described"]
                for k in rf.lifted_by
            )
        ):
            m.mitigated = True
        if rf.effect.cap is not None and not m.mitigated and rf.effect.cap < level:
            caps.append((rf.effect.cap, m))
    if not caps:
        return level, None
    cap, m = min(caps, key=lambda x: x[0])
    return cap, {"level": cap, "flag": m.key, "loc": location_of(m)}


def _score(weights: dict[str, float], best: dict[str, Match], level: int) -> float:
    """Step: weighted strength of the indicators met, bounded by the level's quarter."""
    total_w = sum(weights.values()) or 1.0
    raw = sum(
        weights.get(k, 1.0) * STRENGTH_VALUE[strength_of(m)]
        for k, m in best.items()
        if k in weights
    )
    raw += sum(0.5 * STRENGTH_VALUE[strength_of(m)] for k, m in best.items() if k not in weights)
    score = min(1.0, raw / total_w)
    return round(min(max(score, level / 4), (level + 1) / 4), 3)


def _evidence(best: dict[str, Match], ind_by_key: dict, rf_by_key: dict) -> list[Evidence]:
    """Step: one evidence entry per sentence, strongest first; a sentence that meets several
    indicators lists them all."""
    evidence: list[Evidence] = []
    by_unit: dict[int, Evidence] = {}
    for m in sorted(
        best.values(), key=lambda m: (-RANK[strength_of(m)], -len(m.mechanisms), m.unit.number)
    ):
        title = (
            ind_by_key[m.key].title
            if m.key in ind_by_key
            else f"rejects: {rf_by_key[m.key].title or m.key}"
        )
        prev = by_unit.get(m.unit.number)
        if prev is not None:
            prev.indicator_title = f"{prev.indicator_title}; {title}"
            continue
        ev = Evidence.model_construct(
            indicator=m.key,
            indicator_title=title,
            quote=m.quote,
            location=location_of(m),
            strength=strength_of(m),
            mechanisms=list(m.mechanisms),
            reason=m.why(),
        )
        by_unit[m.unit.number] = ev
        evidence.append(ev)
    return evidence[:MAX_EVIDENCE]


def _flag_hits(fired: list[Match], rf_by_key: dict) -> list[RedFlagHit]:
    """Step: one entry per fired red flag and sentence."""
    flags: list[RedFlagHit] = []
    seen: set[tuple[str, int]] = set()
    for m in fired:
        k = (m.key, m.unit.number)
        if k in seen:
            continue
        seen.add(k)
        rf = rf_by_key[m.key]
        flags.append(
            RedFlagHit.model_construct(
                key=m.key,
                quote=m.quote,
                location=location_of(m),
                message=rf.message,
                suggestion=rf.suggestion,
                severity=rf.severity,
                mitigated=m.mitigated,
                mitigation=_mitigation(m, rf) if m.mitigated else None,
            )
        )
    return flags


def _excluded_hits(excluded: list[Match], ind_by_key: dict) -> list[RedFlagHit]:
    """Step: a practice the design rules out is shown as a warning."""
    return [
        RedFlagHit.model_construct(
            key=f"{m.key}.excluded",
            quote=m.quote,
            location=location_of(m),
            message=f"The design rules out: {ind_by_key[m.key].title.lower()}.",
            suggestion=ind_by_key[m.key].recommendation,
            severity="warning",
        )
        for m in excluded
    ]


def _recommendations(c: Criterion, best: dict[str, Match]) -> list[str]:
    """Step: up to three recommendations, unmet indicators first (heaviest first), then those
    only mentioned."""
    missing = [i for i in c.indicators if i.key not in best or best[i.key].strength == "mentioned"]
    missing.sort(key=lambda i: (i.key in best, -i.weight))
    return [i.recommendation for i in missing][:3]


def _details(mine: list[Match]) -> list[MatchDetail]:
    """Step (--verbose): every match of the criterion with its status and reason."""
    return [
        MatchDetail.model_construct(
            rule=m.key,
            kind=m.kind,
            quote=m.quote,
            location=location_of(m),
            status=m.status,
            why=m.why(),
        )
        for m in mine
    ]


def _mitigation(m: Match, rf) -> str:
    if m.trigger:
        return f"mitigated by '{m.trigger}' with a timeline"
    return "mitigated: the document carries what this flag asks for elsewhere"


def _reasons(level, uncapped, best, levels, hits, weights) -> dict:
    """Why the shift has its level, as data: the (at most two) strongest sentences, the next
    level's gaps as codes, the best strength per rule. :mod:`shiftcheck.report.wording` words it
    in the report's language."""
    top: list[Match] = []
    for m in sorted(
        best.values(), key=lambda m: (-RANK[strength_of(m)], -len(m.mechanisms), m.unit.number)
    ):
        if all(t.unit.number != m.unit.number for t in top):
            top.append(m)
        if len(top) == 2:
            break
    nxt = uncapped + 1
    gaps = _gaps(levels[nxt][0], best, hits, weights) if nxt in levels and uncapped < 3 else []
    return {
        "level": level,
        "uncapped": uncapped,
        "shown": [
            {
                "key": m.key,
                "loc": location_of(m),
                "strength": m.strength,
                "mechanisms": list(m.mechanisms),
            }
            for m in top
        ],
        "next": nxt if gaps else None,
        "gaps": gaps,
        "best": {k: m.strength for k, m in best.items()},
        "cap": None,
        "excluded": None,
    }


def overall(results: list[ShiftResult]) -> Overall:
    if not results:
        return Overall.model_construct(level=0, score=0.0)
    mean_level = sum(r.level for r in results) / len(results)
    return Overall.model_construct(
        level=int(mean_level + 0.5), score=round(sum(r.score for r in results) / len(results), 3)
    )


def top_recommendations(results: list[ShiftResult], n: int = 3) -> list[str]:
    """The most valuable additions: first recommendation of the weakest shifts first."""
    out: list[str] = []
    for r in sorted(results, key=lambda r: (r.level, r.score, r.id)):
        if r.recommendations and r.level < 3:
            out.append(f"Shift {r.id} ({r.title}): {r.recommendations[0]}")
        if len(out) >= n:
            break
    return out
