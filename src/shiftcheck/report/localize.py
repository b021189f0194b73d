"""Finish a report in its language: the rubric's words (``translations.<lang>`` beside the
English), the rationale and recommendations worded from scoring's reasons, suggestions filled
with the document's own actors, and the top recommendations.

``review`` calls :func:`finish` once per report, so every format (and the JSON) carries the same
words. The report language is ``--report-lang`` (config ``report.lang``): ``auto`` follows the
document's language when shiftcheck speaks it, else English.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable
from typing import TYPE_CHECKING

from shiftcheck.engine.types import Cap
from shiftcheck.report.i18n import catalog, resolve, translator
from shiftcheck.report.wording import (
    RubricTexts,
    fill_placeholders,
    lower_first,
    mechanism_words,
    rationale_text,
    recommendations_for,
    top_recommendations,
)

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import Report
    from shiftcheck.rubric.schema import Criterion, Rubric

_MITIGATED_BY = re.compile(r"^mitigated by '(?P<trigger>.*)' with a timeline$")


def finish(
    report: Report, rubric: Rubric, option: str | None = None, texts: Iterable[str] = ()
) -> Report:
    """Word ``report`` (in place) in the language ``option`` resolves to; ``texts`` is the
    document's text (its own actors fill the suggestions' placeholders). Returns ``report``."""
    lang = resolve(option, report.document.language)
    tr = translator(lang)
    rt = RubricTexts(rubric, lang)
    actors = document_actors(texts, lang)
    report.levels = {d.level: rt.get(d, "name") for d in rubric.levels}
    by_id = {c.id: c for c in rubric.criteria}
    for s in report.shifts:
        c = by_id.get(s.id)
        if c is None:
            continue
        s.title = rt.get(c, "title")
        s.short_title = rt.get(c, "short_title") or None
        s.from_ = rt.get(c, "from")
        s.to = rt.get(c, "to")
        s.level_name = report.levels.get(s.level, s.level_name)
        reasons = s._reasons
        if reasons is not None:
            s.rationale = rationale_text(reasons, rubric, c, rt, tr)
            shown = {**reasons, "best": _shown_strengths(s, c, reasons.get("best") or {})}
            s.recommendations = [
                fill_placeholders(r, actors, tr) for r in recommendations_for(c, shown, s.level, rt)
            ]
        for ev in s.evidence:
            ev.indicator_title = _evidence_title(ev.indicator_title, c, rt, tr)
            ev.reason = why_words(ev.reason, rubric, report.levels, tr, rt)
        for m in s.matches:
            m.why = why_words(m.why, rubric, report.levels, tr, rt)
        for f in s.red_flags:
            _word_flag(f, c, rt, tr, actors)
    report.recommendations = top_recommendations(report.shifts, tr)
    for s in report.shifts:
        s._reasons = None  # worded now; a report read back from JSON compares equal
    if rt.missing:
        report.warnings.append(
            tr.n(
                "warning.rubric_fallback",
                len(rt.missing),
                rubric=rubric.id,
                language=tr(f"lang.{lang}"),
            )
        )
    return report


_RANK = {"mentioned": 1, "described": 2, "operational": 3}


def _shown_strengths(s, c: Criterion, best: dict[str, str]) -> dict[str, str]:
    """The best strength per rule as the reader sees it: a quoted sentence that meets several
    indicators shows each of them at the sentence's strength."""
    out = dict(best)
    keys = {i.title: i.key for i in c.indicators}
    for ev in s.evidence:
        for part in ev.indicator_title.split("; "):
            key = keys.get(part)
            if key and _RANK.get(ev.strength, 0) > _RANK.get(out.get(key, ""), 0):
                out[key] = ev.strength
    return out


def _evidence_title(title: str, c: Criterion, rt: RubricTexts, tr) -> str:
    """Scoring's ``Title; rejects: Flag title`` in the report's words."""
    inds = {i.title: i for i in c.indicators}
    flags = {(f.title or f.key): f for f in c.red_flags}
    out = []
    for part in title.split("; "):
        if part in inds:
            out.append(rt.get(inds[part], "title"))
        elif part.startswith("rejects: ") and part[9:] in flags:
            f = flags[part[9:]]
            out.append(tr("why.rejects", title=lower_first(rt.get(f, "title") or f.key)))
        else:
            out.append(part)
    return "; ".join(out)


def _word_flag(f, c: Criterion, rt: RubricTexts, tr, actors: dict[str, str]) -> None:
    if f.key.endswith(".excluded"):
        ind = next((i for i in c.indicators if i.key == f.key[: -len(".excluded")]), None)
        if ind is not None:
            f.message = tr("flag.excluded", title=lower_first(rt.get(ind, "title")))
            f.suggestion = fill_placeholders(rt.get(ind, "recommendation"), actors, tr)
    else:
        rf = next((r for r in c.red_flags if r.key == f.key), None)
        if rf is not None:
            f.message = rt.get(rf, "message")
            f.suggestion = fill_placeholders(rt.get(rf, "suggestion"), actors, tr)
    if f.mitigation:
        m = _MITIGATED_BY.match(f.mitigation)
        if m:
            f.mitigation = tr("mitigation.trigger", trigger=m.group("trigger"))
        elif f.mitigation.startswith("mitigated: the document carries"):
            f.mitigation = tr("mitigation.elsewhere")


_COUNTED = re.compile(
    r"^(?P<strength>mentioned|described|operational) with (?P<mechs>.*?)(?:; capped: (?P<caps>.*))?$"
)
_STRENGTH_LEVEL = {"mentioned": 1, "described": 2, "operational": 3}
#: the engine's other explanations, word for word
_WHY = {
    "red flag": "why.red_flag",
    "quoted as wording, not adopted": "why.meta",
    "in a background/lessons/risk section: describes others' practice": "why.context",
}
#: explanations with a part taken from the document: the English catalog's template is the engine's
#: wording (``Match.why``), so each is read back with its template and worded again in the
#: report's language
_WHY_FORMS = (
    "why.rejected",
    "why.negated",
    "why.ignored",
    "why.mitigated_by",
    "why.mitigated_own",
    "why.others",
    "why.excused",
)
#: the engine's reasons for ignoring a match or for reading it as others' practice
_REASON_FORMS = ("reason.red_flag_part", "reason.name_part", "reason.gap", "reason.rejected_by")
#: what held a match at "mentioned" (the engine's Cap values) -> catalog keys
_CAP_KEYS = {c.value: f"cap.{c.name.lower()}" for c in Cap}
#: a cap reason at the start of one of the comma-separated reasons, before its quoted trigger
_CAP = re.compile(
    r"(?:^|(?<=, ))("
    + "|".join(re.escape(v) for v in sorted(_CAP_KEYS, key=len, reverse=True))
    + r")(?=$|, | \('|: ')"
)


def _template_regex(template: str) -> re.Pattern[str]:
    """A catalog template as a pattern: its literal text exactly, each ``{name}`` a group."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.*)")
    return re.compile("^" + "".join(parts) + "$")


@functools.cache
def _forms(keys: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    english = catalog("en")
    return [(key, _template_regex(english[key])) for key in keys]


def _caps_words(caps: str, tr) -> str:
    """``hedged ('may'), about the application process ('comment')`` in the report's words."""
    return _CAP.sub(lambda m: tr(_CAP_KEYS[m.group(1)]), caps)


def _reason_words(reason: str, tr) -> str:
    """Why a match was ignored or read as others' practice (``part of a red flag``, ``a bare
    phrase``, ``hypothetical or wish: 'would'``) in the report's words."""
    if reason in _CAP_KEYS:
        return tr(_CAP_KEYS[reason])
    for key, form in _forms(_REASON_FORMS):
        m = form.match(reason)
        if m:
            return tr(key, **m.groupdict())
    return _caps_words(reason, tr)


def why_words(text: str, rubric: Rubric, levels: dict[int, str], tr, rt: RubricTexts) -> str:
    """The engine's explanation of a match (``described with money, time``) in the report's words;
    English stays as the engine wrote it."""
    if tr.lang == "en" or not text:
        return text
    m = _COUNTED.match(text)
    if m:
        name = levels.get(_STRENGTH_LEVEL[m.group("strength")], m.group("strength"))
        mechs = m.group("mechs")
        if mechs == "no concrete mechanism":
            out = tr("why.strength_bare", strength=name)
        else:
            words = [mechanism_words(k.strip(), rubric, tr, rt) for k in mechs.split(",")]
            out = tr("why.strength_with", strength=name, mechanisms=tr.join(words))
        if m.group("caps"):
            out += tr("why.capped", caps=_caps_words(m.group("caps"), tr))
        return out
    key = _WHY.get(text)
    if key:
        return tr(key)
    for key, form in _forms(_WHY_FORMS):
        m = form.match(text)
        if m:
            values = m.groupdict()
            if "reason" in values:
                values["reason"] = _reason_words(values["reason"], tr)
            return tr(key, **values)
    return text


# ------------------------------------------------------------------ the document's own actors

#: "Long Name (ABBR)": an acronym the document defines
_DEFINED = re.compile(r"\(\s*([A-Z][A-Za-z&]{0,3}[A-Z0-9][A-Za-z0-9&]{0,6})\s*\)")
_WORD = re.compile(r"[\w’'-]+")
_CONNECT = frozenset(
    ["of", "the", "and", "for", "de", "du", "des", "la", "le", "l", "d", "et", "pour", "en", "à"]
)
#: placeholder -> words of a long name that make the acronym that kind of actor
_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("ministry", ("ministry", "ministère", "department of health", "ministere")),
    (
        "body",
        (
            "working group",
            "committee",
            "comité",
            "groupe de travail",
            "task force",
            "coordination",
            "council",
            "conseil",
        ),
    ),
    (
        "district",
        (
            "district",
            "county",
            "province",
            "provincial",
            "local government",
            "region",
            "régional",
            "zone de santé",
            "health management team",
            "équipe cadre",
            "agency",
            "agence",
            "direction",
        ),
    ),
    ("plan", ("plan", "strategy", "stratégie", "strategic", "programme national", "roadmap")),
]
_SYSTEMS = ("DHIS2", "DHIS 2", "DHIS-2", "SNIS", "HMIS", "SIGL", "eLMIS", "IFMIS")
#: French head nouns that are feminine (the article of "la DPS")
_FEMININE = frozenset(
    [
        "direction",
        "division",
        "délégation",
        "equipe",
        "équipe",
        "zone",
        "cellule",
        "commission",
        "agence",
        "stratégie",
        "politique",
        "inspection",
        "administration",
        "coordination",
        "unité",
    ]
)
SCAN_CHARS = 200_000


def document_actors(texts: Iterable[str], lang: str) -> dict[str, str]:
    """Placeholder -> the document's own name for it (``{"ministry": "the SMOH"}``), from the
    acronyms it defines ("State Ministry of Health (SMOH)") and the information systems it names."""
    found: dict[str, str] = {}
    seen = 0
    for text in texts:
        seen += len(text)
        if "(" in text:
            for m in _DEFINED.finditer(text):
                abbr = m.group(1)
                long_words = _long_name(text[: m.start()])
                if not long_words:
                    continue
                name = " ".join(long_words).lower()
                for kind, words in _KINDS:
                    if (
                        kind not in found
                        and any(w in name for w in words)
                        and "project" not in name
                        and "projet" not in name
                    ):
                        found[kind] = _with_article(abbr, long_words[0], lang)
                        break
        if "system" not in found:
            for sysname in _SYSTEMS:
                if sysname in text:
                    found["system"] = sysname.replace(" ", "").replace("-", "")
                    break
        if seen > SCAN_CHARS or len(found) == 5:
            break
    if "ministry" in found and "government" not in found:
        found["government"] = found["ministry"]
    return found


def _long_name(before: str) -> list[str]:
    """The capitalised run of words (with connectors) that ends just before a bracket."""
    words = _WORD.findall(before[-160:])[-10:]
    run: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() or w.lower() in _CONNECT:
            run.append(w)
        else:
            break
    run.reverse()
    while run and run[0].lower() in _CONNECT:
        run.pop(0)
    return run


def _with_article(abbr: str, head: str, lang: str) -> str:
    if lang != "fr":
        return f"the {abbr}"
    h = head.lower()
    if h[:1] in "aeéèêiouyh":
        return f"l’{abbr}"
    return f"{'la' if h in _FEMININE else 'le'} {abbr}"
