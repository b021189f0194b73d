"""Plain words for what scoring decides: rationales, locations, mechanism kinds, the shift's
recommendations and the report's top recommendations, in the report's language.

Scoring returns *why* as data (``ShiftResult._reasons``: the strongest sentences, the next
level's gaps as codes, the best strength per rule); this module turns it into one or two sentences
a writer reads once and acts on: ``Level 2 (Described): ... For level 3, add ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from shiftcheck.report.i18n import Translator, translator

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import Location, RedFlagHit, ShiftResult
    from shiftcheck.rubric.schema import Criterion, Rubric

_RANK = {"mentioned": 1, "described": 2, "operational": 3}


class RubricTexts:
    """The rubric's own words (titles, messages, suggestions, recommendations) in ``lang``: the
    ``translations.<lang>`` text beside the English, else the English (counted in ``missing``,
    so the report can say once that some strings stay in English)."""

    def __init__(self, rubric: Rubric, lang: str = "en") -> None:
        self.rubric = rubric
        self.lang = lang
        self.missing: set[tuple[int, str]] = set()

    def get(self, obj: object, field: str) -> str:
        attr = "from_" if field == "from" else field
        en = getattr(obj, attr, None) or ""
        if self.lang == "en" or not en:
            return en
        other = (getattr(obj, "translations", None) or {}).get(self.lang) or {}
        text = other.get(field)
        if text:
            return text
        self.missing.add((id(obj), field))
        return en


def lower_first(text: str) -> str:
    """``A project-owned committee`` -> ``a project-owned committee``; an acronym or a name in
    capitals (``MOH``, ``DHIS2``) keeps its case."""
    if not text or not text[0].isupper():
        return text
    word = text.split(" ", 1)[0]
    if len(word) > 1 and (word[1].isupper() or any(ch.isdigit() for ch in word)):
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def where(loc: Location, tr: Translator | None = None) -> str:
    """``p.7, 4.2 Governance`` / ``ligne 12, Gouvernance`` / ``para 3``: the location in words."""
    tr = tr or translator("en")
    parts: list[str] = []
    if loc.page is not None:
        parts.append(tr("loc.page", n=loc.page))
    elif loc.line is not None:
        parts.append(tr("loc.line", n=loc.line))
    elif loc.paragraph is not None:
        parts.append(tr("loc.para", n=loc.paragraph))
    if loc.section:
        parts.append(loc.section.split(" > ")[-1])
    if loc.table is not None and loc.row is not None:
        parts.append(tr("loc.table_row", table=loc.table, row=loc.row))
    return ", ".join(parts) if parts else tr("loc.unknown")


def mechanism_words(
    kind: str, rubric: Rubric | None, tr: Translator, texts: RubricTexts | None = None
) -> str:
    """A mechanism kind as a writer says it (``decision`` -> ``who decides``)."""
    key = f"mech.{kind}"
    try:
        return tr(key)
    except KeyError:
        pass
    for m in rubric.mechanisms if rubric is not None else []:
        if m.key == kind:
            return lower_first(texts.get(m, "title") if texts else m.title)
    return kind


def _rule_title(c: Criterion, key: str, texts: RubricTexts, tr: Translator) -> str:
    for i in c.indicators:
        if i.key == key:
            return lower_first(texts.get(i, "title") or key)
    for f in c.red_flags:
        if f.key == key:
            return tr("why.rejects", title=lower_first(texts.get(f, "title") or key))
    return key


def _counted_kinds(rubric: Rubric, c: Criterion) -> list[str]:
    rule = (
        c.level_rule.strength if c.level_rule and c.level_rule.strength else None
    ) or rubric.level_rule.strength
    if rule.counted:
        return list(rule.counted)
    return [m.key for m in rubric.mechanisms if m.key not in ("actor", "voice")]


def _example(c: Criterion, reasons: dict, strength: str, texts: RubricTexts) -> str | None:
    """The weightiest practice of the shift that the evidence does not show at ``strength`` yet."""
    best = reasons.get("best") or {}
    need = _RANK.get(strength, 1)
    options = [
        i
        for i in c.indicators
        if _RANK.get(best.get(i.key, ""), 0) < need and _RANK.get(i.max_strength, 3) >= need
    ]
    if not options:
        return None
    options.sort(key=lambda i: -i.weight)
    return lower_first(texts.get(options[0], "title"))


def _gap_words(
    gap: dict, rubric: Rubric, c: Criterion, reasons: dict, texts: RubricTexts, tr: Translator
) -> str:
    code = gap.get("code")
    if code == "practices":
        strength = gap.get("strength", "mentioned")
        n = int(gap.get("n", 1))
        words = tr.n("gap.mentions" if strength == "mentioned" else "gap.practices", n)
        example = _example(c, reasons, strength, texts)
        return tr("gap.example", gap=words, example=example) if example else words
    if code == "operational":
        return tr("gap.operational")
    if code == "require":
        return tr(
            "gap.require",
            kinds=tr.join([mechanism_words(k, rubric, tr, texts) for k in gap.get("kinds", [])]),
        )
    if code == "kinds":
        have = set(gap.get("have", []))
        more = max(1, int(gap.get("need", 0)) - len(have))
        rest = [k for k in _counted_kinds(rubric, c) if k not in have]
        options = tr.join_or([mechanism_words(k, rubric, tr, texts) for k in rest])
        return tr.n("gap.kinds", more, options=options)
    if code == "sentences":
        return tr.n("gap.sentences", int(gap.get("n", 1)))
    if code == "weight":
        return tr("gap.weight")
    return str(code)


def rationale_text(
    reasons: dict,
    rubric: Rubric,
    c: Criterion,
    texts: RubricTexts | None = None,
    tr: Translator | None = None,
) -> str:
    """``Level 2 (Described): <what shows> (<where>, with <details>). For level 3, add <gaps>.``"""
    texts = texts or RubricTexts(rubric, "en")
    tr = tr or translator(texts.lang)
    level = int(reasons["level"])
    names = {d.level: texts.get(d, "name") for d in rubric.levels}
    head = tr("why.level", level=level, name=names.get(level, str(level)))
    if not reasons.get("shown"):
        out = [tr("why.none", level=head)]
    else:
        items = []
        for s in reasons["shown"]:
            mechs = [
                mechanism_words(k, rubric, tr, texts)
                for k in s.get("mechanisms", [])
                if k != "actor"
            ]
            loc = where(s["loc"], tr)
            detail = (
                tr("why.detail", loc=loc, mechanisms=tr.join(mechs))
                if mechs
                else tr("why.no_detail", loc=loc)
            )
            items.append(tr("why.item", title=_rule_title(c, s["key"], texts, tr), where=detail))
        out = [tr("why.shows", level=head, items=tr("sep.semicolon").join(items))]
    cap = reasons.get("cap")
    if cap:
        flag = next((f for f in c.red_flags if f.key == cap["flag"]), None)
        title = (texts.get(flag, "title") if flag else "") or cap["flag"]
        out.append(
            tr(
                "why.cap",
                cap=cap["level"],
                title=title,
                loc=where(cap["loc"], tr),
                uncapped=reasons.get("uncapped", level),
            )
        )
    gaps = reasons.get("gaps") or []
    if reasons.get("next") and gaps:
        words = tr("sep.semicolon").join(_gap_words(g, rubric, c, reasons, texts, tr) for g in gaps)
        out.append(tr("why.next", level=reasons["next"], gaps=words))
    excluded = reasons.get("excluded")
    if excluded:
        out.append(
            tr(
                "why.excluded",
                title=_rule_title(c, excluded["key"], texts, tr),
                loc=where(excluded["loc"], tr),
            )
        )
    return " ".join(out)


# ------------------------------------------------------------------ recommendations


def asks_for_what_is_shown(indicator, c: Criterion, reasons: dict, level: int) -> bool:
    """Whether recommending ``indicator`` would ask for what the evidence already shows: the
    indicator has evidence as strong as it can give (or described or better), a rejected red flag
    that it lifts is quoted as evidence ("there is no separate project committee" answers "govern
    through existing bodies"), or it is a broad claim or topic family while the shift already has
    described evidence (its recommendation asks for what the specific practices show)."""
    best = reasons.get("best") or {}
    got = _RANK.get(best.get(indicator.key, ""), 0)
    if got >= min(_RANK["described"], _RANK.get(indicator.max_strength, 3)):
        return True
    if any(f.key in best and indicator.key in answered_by(f, c) for f in c.red_flags):
        return True
    return indicator.max_strength != "operational" and level >= 2


_STOP = frozenset(
    [
        "with",
        "that",
        "this",
        "them",
        "they",
        "their",
        "there",
        "which",
        "from",
        "into",
        "rather",
        "than",
        "each",
        "when",
        "what",
        "where",
        "while",
        "state",
        "name",
        "named",
        "project",
        "programme",
        "says",
        "will",
        "have",
        "been",
        "more",
        "only",
        "such",
    ]
)
#: a rejected red flag answers the indicator whose words it shares this much of (Jaccard)
ANSWER_OVERLAP = 0.3
_answers: dict[tuple[int, str], frozenset[str]] = {}


def _content(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _STOP}


def answered_by(flag, c: Criterion) -> frozenset[str]:
    """The indicators a red flag's rejection answers ("there is no separate project committee"
    answers "govern through existing bodies"): those in its ``lifted_by``, and the indicator
    whose title and recommendation share most of the flag's words (at least ANSWER_OVERLAP)."""
    key = (id(c), flag.key)
    if key not in _answers:
        found = set(flag.lifted_by)
        words = _content(f"{flag.title} {flag.message} {flag.suggestion}")
        best, best_key = 0.0, None
        for i in c.indicators:
            other = _content(f"{i.title} {i.recommendation}")
            score = len(words & other) / (len(words | other) or 1)
            if score > best:
                best, best_key = score, i.key
        if best_key is not None and best >= ANSWER_OVERLAP:
            found.add(best_key)
        _answers[key] = frozenset(found)
    return _answers[key]


def recommendations_for(
    c: Criterion, reasons: dict, level: int, texts: RubricTexts, limit: int = 3
) -> list[str]:
    """What to add next for one shift: the weightiest practices the evidence does not show yet
    (missing ones before merely mentioned ones), never one the evidence already meets."""
    best = reasons.get("best") or {}
    options = [i for i in c.indicators if not asks_for_what_is_shown(i, c, reasons, level)]
    options.sort(key=lambda i: (i.key in best, -i.weight))
    out: list[str] = []
    for i in options:
        text = texts.get(i, "recommendation")
        if text and text not in out:
            out.append(text)
        if len(out) == limit:
            break
    return out


def top_recommendations(shifts: Iterable[ShiftResult], tr: Translator, n: int = 3) -> list[str]:
    """The additions that move the document most, most first: open error-severity red flags, then
    the red flags that hold a level down, then the first recommendation of the weakest shifts."""
    shifts = sorted(shifts, key=lambda s: (s.level, s.score, s.id))
    out: list[str] = []
    seen: set[tuple[int, str]] = set()

    def add_flag(s: ShiftResult, f: RedFlagHit) -> None:
        if (s.id, f.key) in seen or len(out) >= n:
            return
        seen.add((s.id, f.key))
        text = tr("top.flag", message=f.message.strip(), suggestion=f.suggestion.strip()).strip()
        out.append(tr("top.item", id=s.id, title=s.title, text=text))

    for s in shifts:
        for f in s.red_flags:
            if f.severity == "error" and not (f.mitigated or f.waived):
                add_flag(s, f)
    for s in shifts:
        cap = (s._reasons or {}).get("cap")
        if cap:
            for f in s.red_flags:
                if f.key == cap["flag"] and not (f.mitigated or f.waived):
                    add_flag(s, f)
                    break
    for s in shifts:
        if len(out) >= n:
            break
        if s.recommendations and s.level < 3:
            out.append(tr("top.item", id=s.id, title=s.title, text=s.recommendations[0]))
    return out[:n]


# ------------------------------------------------------------------ placeholders

_PLACEHOLDER = re.compile(r"\{(ministry|district|plan|system|body|government)\}")


def fill_placeholders(text: str, actors: dict[str, str], tr: Translator) -> str:
    """``{ministry}``, ``{district}``, ``{plan}``, ``{system}``, ``{body}``, ``{government}`` in a
    suggestion: the document's own actor when it names one, else a neutral phrase."""
    if "{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: actors.get(m.group(1)) or tr(f"ph.{m.group(1)}"), text)
