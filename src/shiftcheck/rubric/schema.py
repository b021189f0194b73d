"""The rubric schema (pydantic v2, unknown keys are errors).

A rubric is data: criteria (for the default rubric, the nine shifts), their indicators and red
flags, the shared vocabularies they reference, the context triggers the engine uses for negation,
contrast, deferral and hedging, and the level rule that turns evidence into levels 0-3.

Phrase syntax (used in ``phrases``, vocabularies and triggers):

* words separated by spaces must stand next to each other in the sentence; case, accents, quotes,
  dashes and inflections are ignored (words are stemmed with the document language's Snowball
  stemmer, and British/American spellings are folded), so ``approves workplan`` matches
  "approved workplans" and "approving workplans".
* ``...`` stands for a gap of up to 4 words (``workplan ... approved by``).
* ``{name}`` stands for any term of the vocabulary ``name`` (``{country_actor} ... chair``).
* a hyphenated word also matches its joined and spaced forms (``co-design`` = codesign, co design).
* ``re:PATTERN`` is a regular expression over the normalized sentence (lower case, no accents);
  it runs under a time budget, so a catastrophic pattern cannot hang a review.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Severity = Literal["info", "warning", "error"]
StrengthName = Literal["mentioned", "described", "operational"]

_KEY = r"^[a-z0-9][a-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


#: phrases per language code ("en", "fr", ...)
LangPhrases = dict[str, list[str]]

#: the item's texts in other languages, beside the English: ``{fr: {title: ..., message: ...}}``.
#: Reports in that language show them; a text left out is shown in English (one warning says how
#: many). Only the item's own text fields may be given (see each class's ``TRANSLATABLE``).
Translations = dict[str, dict[str, str]]


def _check_translations(v: Translations, allowed: tuple[str, ...]) -> Translations:
    for lang, texts in v.items():
        if not isinstance(texts, dict):
            raise ValueError(f"translations.{lang} must map text fields to strings")
        bad = [k for k in texts if k not in allowed]
        if bad:
            raise ValueError(
                f"translations.{lang}: unknown text field(s) {', '.join(map(repr, bad))}; allowed: {', '.join(allowed)}"
            )
    return v


class LevelDef(_Strict):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "description")

    level: int = Field(ge=0, le=3)
    name: str
    description: str
    translations: Translations = Field(default_factory=dict)

    @field_validator("translations")
    @classmethod
    def _tr(cls, v: Translations) -> Translations:
        return _check_translations(v, cls.TRANSLATABLE)


class Near(_Strict):
    """Proximity constraint: a term of one of ``vocab`` within ``within`` words of the match."""

    vocab: list[str]
    within: int = Field(default=8, ge=1, le=40)
    #: where the term must stand relative to the match
    side: Literal["any", "before", "after"] = "any"


class RuleTests(_Strict):
    """Small inputs a rule must fire on and must stay silent on (run by ``shiftcheck rubric test``)."""

    fires: list[str] = Field(default_factory=list)
    silent: list[str] = Field(default_factory=list)
    #: language of the examples when not English
    lang: str = "en"


class StrengthRule(_Strict):
    """How one match's strength follows from the mechanisms around it."""

    #: mechanism kinds in the sentence needed for "described"
    described: int = Field(default=1, ge=0)
    #: mechanism kinds needed for "operational"
    operational: int = Field(default=2, ge=0)
    #: mechanism kinds that count toward the two numbers above (others are shown but not counted)
    counted: list[str] | None = None
    #: kinds that also count toward "described" only (e.g. a named actor or a concrete count:
    #: who and what, without the money/time/metric/instrument that make a commitment operational)
    described_also: list[str] = Field(default_factory=list)
    #: also look at this many sentences before and after for mechanisms
    window: int = Field(default=0, ge=0, le=3)
    #: where the window may reach: ``paragraph`` (same block; a table row is one unit) or
    #: ``section`` (same heading path)
    window_scope: Literal["paragraph", "section"] = "section"


class Frame(_Strict):
    """A frame rule: an actor, an action and optionally an object, each a list of vocabularies,
    standing in one clause in any order within ``within`` words of the action. With ``agent`` the
    actor must be the action's grammatical agent: the nearest actor-like term before the action in
    its clause (the implementer standing there instead blocks the frame), or an actor after a
    passive "by"."""

    actor: list[str]
    action: list[str]
    object: list[str] = Field(default_factory=list)
    within: int = Field(default=10, ge=1, le=40)
    agent: bool = True
    #: where the actor may stand: ``before`` the action (its subject, or "by" + actor after a
    #: passive verb is then not enough), or ``any`` ("supervision passes to the district")
    side: Literal["any", "before"] = "any"


class Indicator(_Strict):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "recommendation")

    key: str = Field(pattern=_KEY)
    title: str
    phrases: LangPhrases = Field(default_factory=dict)
    #: an actor x action (x object) frame that also counts as a hit of this indicator
    frame: Frame | None = None
    #: text about the call's own application process (concept notes, peer review of proposals,
    #: comment periods) counts as evidence of this indicator; for others it is only "mentioned"
    allow_process: bool = False
    #: the evidence is the country's or community's own only when the implementer is not the one
    #: acting: "our mentors will supervise the district pharmacists" is "mentioned" at most
    country_agent: bool = False
    #: how this indicator's strength follows from the mechanisms around it (default: the level
    #: rule's); e.g. a family of real-world wording that a named actor or the design's own voice
    #: makes "described"
    strength: StrengthRule | None = None
    near: Near | None = None
    #: words of section headings where this indicator's evidence is expected; evidence under such
    #: a heading counts even when the section is background or lessons learned
    sections: list[str] = Field(default_factory=list)
    weight: float = Field(default=1.0, gt=0, le=10)
    recommendation: str
    aliases: list[str] = Field(default_factory=list)
    tests: RuleTests | None = None
    #: the strongest level of evidence this indicator alone can give (value words: "mentioned")
    max_strength: StrengthName = "operational"
    translations: Translations = Field(default_factory=dict)

    @field_validator("translations")
    @classmethod
    def _tr(cls, v: Translations) -> Translations:
        return _check_translations(v, cls.TRANSLATABLE)


class Effect(_Strict):
    """What an unmitigated red flag does to the shift's level."""

    cap: int | None = Field(default=None, ge=0, le=3)


class RedFlag(_Strict):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "message", "suggestion")

    key: str = Field(pattern=_KEY)
    title: str = ""
    phrases: LangPhrases
    near: Near | None = None
    #: the flag stays silent when a term of these vocabularies stands this close (a Vale-style
    #: conditional: e.g. donor-strategy alignment is fine when a national plan is cited too)
    unless: Near | None = None
    message: str
    suggestion: str
    severity: Severity = "warning"
    effect: Effect = Field(default_factory=Effect)
    #: indicators whose described (or stronger) evidence anywhere in the document carries the
    #: mitigation this flag asks for: the flag is then shown as mitigated and caps nothing
    lifted_by: list[str] = Field(default_factory=list)
    #: when the From-side practice is negated or rejected ("we will not create a parallel
    #: system"), count it as evidence of this strength for the shift (None: count nothing)
    rejected_counts_as: StrengthName | None = "mentioned"
    aliases: list[str] = Field(default_factory=list)
    tests: RuleTests | None = None
    translations: Translations = Field(default_factory=dict)

    @field_validator("translations")
    @classmethod
    def _tr(cls, v: Translations) -> Translations:
        return _check_translations(v, cls.TRANSLATABLE)


class LevelRequirement(_Strict):
    """What a shift needs to reach one level."""

    #: distinct indicators with evidence of at least ``min_strength``
    min_indicators: int = Field(default=1, ge=0)
    min_strength: StrengthName = "mentioned"
    #: of those, how many must be operational
    min_operational: int = Field(default=0, ge=0)
    #: distinct mechanism kinds across the shift's counted evidence
    min_mechanism_kinds: int = Field(default=0, ge=0)
    #: mechanism kinds that must be among them (e.g. ["decision"])
    require_mechanisms: list[str] = Field(default_factory=list)
    #: sum of the weights of the counted indicators
    min_weight: float = Field(default=0.0, ge=0)
    #: distinct sentences (units) carrying evidence of at least ``min_strength``
    min_sentences: int = Field(default=0, ge=0)


class LevelRule(_Strict):
    strength: StrengthRule = Field(default_factory=StrengthRule)
    #: levels 3, 2, 1: the first whose requirement holds is the level; else 0. A level may list
    #: several requirements: any one of them holding is enough
    levels: dict[int, LevelRequirement | list[LevelRequirement]]
    #: a sentence with indicator hits from this many criteria and no mechanism is a buzzword run
    buzzword_criteria: int = Field(default=3, ge=2)

    @field_validator("levels")
    @classmethod
    def _levels(
        cls, v: dict[int, LevelRequirement | list[LevelRequirement]]
    ) -> dict[int, LevelRequirement | list[LevelRequirement]]:
        bad = [k for k in v if k not in (1, 2, 3)]
        if bad:
            raise ValueError(f"level rule keys must be 1, 2 or 3, not {bad}")
        return v


class LevelRuleOverride(_Strict):
    strength: StrengthRule | None = None
    levels: dict[int, LevelRequirement | list[LevelRequirement]] | None = None


class Criterion(_Strict):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title", "short_title", "from", "to", "summary")

    id: int = Field(ge=1)
    key: str = Field(pattern=_KEY)
    title: str
    from_: str = Field(alias="from")
    to: str
    summary: str
    #: a few words for tables and portfolio columns ("Country priorities"); the title when absent
    short_title: str | None = None
    docs_url: str | None = None
    #: heading words naming this shift's topic (Sustainability, Gender, Grievance redress...):
    #: evidence under such a heading counts even in background text, and reaches "described"
    #: with the design's own voice
    section_topics: LangPhrases = Field(default_factory=dict)
    indicators: list[Indicator] = Field(min_length=1)
    red_flags: list[RedFlag] = Field(default_factory=list)
    level_rule: LevelRuleOverride | None = None
    translations: Translations = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    def rules(self) -> list[Indicator | RedFlag]:
        """The indicators, then the red flags."""
        return [*self.indicators, *self.red_flags]

    @field_validator("translations")
    @classmethod
    def _tr(cls, v: Translations) -> Translations:
        return _check_translations(v, cls.TRANSLATABLE)


class MechanismDef(_Strict):
    """A kind of concrete detail (actor with a decision right, money, time, metric, instrument)."""

    key: str = Field(pattern=_KEY)
    title: str
    #: vocabularies whose terms mark this mechanism
    vocab: list[str] = Field(default_factory=list)
    #: extra phrases per language
    phrases: LangPhrases = Field(default_factory=dict)
    #: the term counts only with a term of these vocabularies nearby (e.g. decision verb near actor)
    near: Near | None = None
    translations: Translations = Field(default_factory=dict)

    @field_validator("translations")
    @classmethod
    def _tr(cls, v: Translations) -> Translations:
        return _check_translations(v, ("title",))


class Context(_Strict):
    """Vocabulary names for the engine's context roles (NegEx-style trigger lists and more)."""

    negation_before: str = "negation_before"
    negation_after: str = "negation_after"
    pseudo_negation: str = "pseudo_negation"
    contrast: str = "contrast"
    contrast_sentence: str = "contrast_sentence"
    terminators: str = "terminators"
    deferral: str = "deferral"
    hedge: str = "hedge"
    meta_language: str = "meta_language"
    mitigation: str = "mitigation"
    implementer: str = "implementer"
    #: mood and attribution: a match in such a clause is not the design's own commitment and
    #: counts as "mentioned" at most. Wishes and hypotheticals ("ideally", "would"), advice
    #: addressed to the reader (a sentence opening with one of ``imperative`` terms), and
    #: statements about other actors or places ("in other countries", "according to")
    irrealis: str = "irrealis"
    imperative: str = "imperative"
    attribution: str = "attribution"
    #: a question needs one of these terms opening the sentence (or, for a regex term, anywhere)
    interrogative: str = "interrogative"
    #: action imperatives opening a sentence ("Map each objective to ..."): advice to the reader
    #: in a proposal, the scope of work in a call for proposals (documents of an ``own_kind``)
    advice: str = "advice"
    #: verbs (or their nouns) that open a call's deliverables ("Develop ...", "Strengthen ...",
    #: "Development of ..."): in a call, such a sentence is the design's own voice
    scope: str = "scope_of_work"
    #: the call's own application process (concept notes, comment periods, peer review of
    #: proposals): the programme's design is elsewhere, so evidence here is "mentioned" at most
    process: str = "application_process"
    #: pronouns and auxiliaries that make a short line a sentence rather than a bare phrase
    clause: str = "clause_marker"
    #: a gap stated just before a hit ("lack of trained staff", "insufficient training") is the
    #: problem, not the design: the hit does not count
    deficit: str = "deficit"
    #: standard clauses (indirect-cost rate agreements, federal data rights, certifications,
    #: page limits): a sentence holding one is never evidence and never a red flag
    boilerplate: str = "boilerplate"
    #: prepositions that put the noun after them in object position ("support to the ministry",
    #: "pour le compte du ministère"): such a noun is not the subject of the verb that follows
    object_marker: str | None = None
    #: labels of a field line that names the implementer ("Applicant: Meridian Health"): the
    #: name's first word is then the implementer for that document
    implementer_label: str | None = None
    #: words that make an action joint ("with the district health team", "conjointement avec le
    #: ministère"): the implementer acting jointly with a country actor is not acting alone
    joint_marker: str | None = None
    #: proper names that contain a shift's words ("Sustainable Development Goals", "Ministry of
    #: Health, Social Welfare, Elderly, Gender and Children"): an indicator hit inside one is a
    #: name, not the design's content
    names: str | None = None
    #: vocabularies of the actors whose own action an indicator with ``country_agent`` needs
    agent_actors: list[str] = Field(default_factory=lambda: ["country_actor"])
    #: vocabularies whose members a document may define by acronym ("Ministère de la Santé
    #: Publique (MSP)"): the acronym then counts as a member for that document
    acronym_classes: list[str] = Field(default_factory=list)
    #: how many words after (before) a negation trigger it reaches
    negation_window: int = Field(default=6, ge=1, le=20)
    contrast_window: int = Field(default=12, ge=1, le=40)


class SectionRoles(_Strict):
    """Heading words that give a section a role. Matches in ``quoted`` roles describe others'
    practice (background, lessons, risks, references, RFP text): red flags there do not count and
    indicator evidence is capped at "mentioned" unless the indicator lists the section."""

    roles: dict[str, LangPhrases] = Field(default_factory=dict)
    quoted: list[str] = Field(default_factory=list)
    #: roles whose blocks are skipped entirely (tables of contents, administrative sections:
    #: eligibility, certifications, submission instructions, standard provisions)
    skipped: list[str] = Field(default_factory=list)
    #: roles that are the design itself when the document is of that kind: a call for proposals
    #: states what applicants must do, so its "RFP" sections are not quoted text
    own_kind: list[str] = Field(default_factory=list)
    #: the quoted roles in a document of an ``own_kind`` (a call's background describes the
    #: programme it funds, not others' practice)
    own_kind_quoted: list[str] | None = None


class Rubric(_Strict):
    id: str = Field(pattern=_KEY)
    version: str
    title: str
    description: str = ""
    languages: list[str] = Field(min_length=1)
    levels: list[LevelDef]
    vocabularies: dict[str, LangPhrases] = Field(default_factory=dict)
    context: Context = Field(default_factory=Context)
    sections: SectionRoles = Field(default_factory=SectionRoles)
    mechanisms: list[MechanismDef] = Field(default_factory=list)
    level_rule: LevelRule
    criteria: list[Criterion] = Field(min_length=1)
    #: where the rubric was loaded from (set by the loader)
    source: str | None = Field(default=None, exclude=True)
    #: sha256 of the rubric text and of the code that reads it (set by the loader; keys the cache)
    digest: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _check_references(self) -> Rubric:
        problems: list[str] = []
        levels = sorted(d.level for d in self.levels)
        if levels != [0, 1, 2, 3]:
            problems.append(f"levels must define 0, 1, 2 and 3 once each, found {levels}")
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            problems.append("criterion ids must be unique")
        seen: dict[str, str] = {}
        for c in self.criteria:
            for rule in c.rules():
                for name in [rule.key, *rule.aliases]:
                    full = f"{c.key}/{name}"
                    if name in seen and seen[name] != c.key:
                        pass  # keys are scoped by criterion
                    if full in seen:
                        problems.append(f"criterion {c.id}: rule id '{name}' is used twice")
                    seen[full] = c.key
                for lang in rule.phrases:
                    if lang not in self.languages:
                        problems.append(
                            f"criterion {c.id}, rule {rule.key}: language '{lang}' is not in languages"
                        )
                for cond in (rule.near, getattr(rule, "unless", None)):
                    if cond:
                        problems += self._missing_vocab(
                            cond.vocab, f"criterion {c.id}, rule {rule.key}"
                        )
                frame = getattr(rule, "frame", None)
                if frame:
                    problems += self._missing_vocab(
                        [*frame.actor, *frame.action, *frame.object],
                        f"criterion {c.id}, rule {rule.key} frame",
                    )
                elif not rule.phrases:
                    problems.append(f"criterion {c.id}, rule {rule.key}: needs phrases or a frame")
            keys = {i.key for i in c.indicators}
            for rf in c.red_flags:
                problems += [
                    f"criterion {c.id}, red flag {rf.key}: lifted_by names unknown indicator '{k}'"
                    for k in rf.lifted_by
                    if k not in keys
                ]
        for m in self.mechanisms:
            problems += self._missing_vocab(m.vocab, f"mechanism {m.key}")
            if m.near:
                problems += self._missing_vocab(m.near.vocab, f"mechanism {m.key}")
        kinds = {m.key for m in self.mechanisms}
        for lvl, reqs in self.level_rule.levels.items():
            for req in reqs if isinstance(reqs, list) else [reqs]:
                for k in req.require_mechanisms:
                    if k not in kinds:
                        problems.append(f"level_rule level {lvl}: unknown mechanism '{k}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _missing_vocab(self, names: list[str], where: str) -> list[str]:
        return [f"{where}: unknown vocabulary '{n}'" for n in names if n not in self.vocabularies]

    # convenience -----------------------------------------------------------------------------
    def level_name(self, level: int) -> str:
        for d in self.levels:
            if d.level == level:
                return d.name
        return str(level)

    def criterion(self, ref: int | str) -> Criterion:
        for c in self.criteria:
            if c.id == ref or c.key == ref or str(c.id) == str(ref):
                return c
        raise KeyError(ref)

    def rule_ids(self) -> dict[str, tuple[Criterion, Indicator | RedFlag]]:
        """Every rule id (``shift-key/rule-key``, plus bare keys and aliases) -> (criterion, rule)."""
        out: dict[str, tuple[Criterion, Indicator | RedFlag]] = {}
        for c in self.criteria:
            for rule in c.rules():
                for name in [rule.key, *rule.aliases]:
                    out[f"{c.key}/{name}"] = (c, rule)
                    out.setdefault(name, (c, rule))
        return out
