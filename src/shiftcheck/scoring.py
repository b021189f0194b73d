"""Matches -> per-criterion ShiftResult (level 0-3, score, rationale, evidence, red flags,
recommendations), following the level rule declared in the rubric."""

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
    return Location(
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
    ind_by_key = {i.key: i for i in c.indicators}
    rf_by_key = {r.key: r for r in c.red_flags}
    weights = {i.key: i.weight for i in c.indicators}
    mine = [m for m in matches if m.criterion == c.id]

    # best evidence per indicator (red flags rejected by the design count as weak evidence)
    best: dict[str, Match] = {}
    hits: dict[str, list[Match]] = {}
    for m in mine:
        counts = (m.kind == "indicator" and m.status == "counted") or (
            m.kind == "red_flag" and m.status == "rejected" and m.strength
        )
        if not counts:
            continue
        hits.setdefault(m.key, []).append(m)
        cur = best.get(m.key)
        if cur is None or (RANK[strength_of(m)], len(m.mechanisms)) > (
            RANK[strength_of(cur)],
            len(cur.mechanisms),
        ):
            best[m.key] = m

    levels = _levels_for(rubric, c)
    level = 0
    for lvl in (3, 2, 1):
        if lvl in levels and any(_holds(req, best, weights, hits) for req in levels[lvl]):
            level = lvl
            break
    uncapped = level

    fired = [m for m in mine if m.kind == "red_flag" and m.status == "fired"]
    excluded = [
        m for m in mine if m.kind == "indicator" and m.status == "excluded" and m.key not in best
    ]
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
            m.mitigated = True  # the document carries the mitigation the flag asks for
        if rf.effect.cap is not None and not m.mitigated and rf.effect.cap < level:
            caps.append((rf.effect.cap, m))
    cap_reason = None
    if caps:
        cap, m = min(caps, key=lambda x: x[0])
        level = cap
        cap_reason = {"level": cap, "flag": m.key, "loc": location_of(m)}

    # score: weighted strength of the indicators met, bounded by the level
    total_w = sum(weights.values()) or 1.0
    raw = sum(
        weights.get(k, 1.0) * STRENGTH_VALUE[strength_of(m)]
        for k, m in best.items()
        if k in weights
    )
    raw += sum(0.5 * STRENGTH_VALUE[strength_of(m)] for k, m in best.items() if k not in weights)
    score = min(1.0, raw / total_w)
    score = round(min(max(score, level / 4), (level + 1) / 4), 3)

    # one evidence entry per sentence: a sentence that meets several indicators lists them all
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
        ev = Evidence(
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
    evidence = evidence[:MAX_EVIDENCE]

    flags: list[RedFlagHit] = []
    seen_flags: set[tuple[str, int]] = set()
    for m in fired:
        k = (m.key, m.unit.number)
        if k in seen_flags:
            continue
        seen_flags.add(k)
        rf = rf_by_key[m.key]
        flags.append(
            RedFlagHit(
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
    for m in excluded:
        ind = ind_by_key[m.key]
        flags.append(
            RedFlagHit(
                key=f"{m.key}.excluded",
                quote=m.quote,
                location=location_of(m),
                message=f"The design rules out: {ind.title.lower()}.",
                suggestion=ind.recommendation,
                severity="warning",
            )
        )

    met = [i.key for i in c.indicators if i.key in best]
    missing_inds = [
        i for i in c.indicators if i.key not in best or best[i.key].strength == "mentioned"
    ]
    missing_inds.sort(key=lambda i: (i.key in best, -i.weight))
    recommendations = [i.recommendation for i in missing_inds][:3]

    reasons = _reasons(level, uncapped, best, levels, hits, weights)
    reasons["cap"] = cap_reason
    if excluded and not best:
        reasons["excluded"] = {"key": excluded[0].key, "loc": location_of(excluded[0])}
    from shiftcheck.report.wording import rationale_text

    rationale = rationale_text(reasons, rubric, c)

    details = []
    if verbose:
        for m in mine:
            details.append(
                MatchDetail(
                    rule=m.key,
                    kind=m.kind,
                    quote=m.quote,
                    location=location_of(m),
                    status=m.status,
                    why=m.why(),
                )
            )
    result = ShiftResult(
        id=c.id,
        key=c.key,
        title=c.title,
        short_title=c.short_title,
        docs_url=c.docs_url,
        **{"from": c.from_},
        to=c.to,
        level=level,
        level_name=rubric.level_name(level),
        score=score,
        rationale=rationale.strip(),
        indicators_met=met,
        indicators_missing=[i.key for i in c.indicators if i.key not in best],
        evidence=evidence,
        red_flags=flags,
        recommendations=recommendations,
        matches=details,
    )
    result._reasons = reasons
    return result


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
        return Overall(level=0, score=0.0)
    mean_level = sum(r.level for r in results) / len(results)
    return Overall(
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
