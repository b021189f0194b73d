"""The engine's small vocabulary: what a match is, its status, its strength and why it was capped.

Every step of the engine (matching, context, mechanisms, capping) and scoring speaks in these
terms; they are string enums, so reports and JSON keep the plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from shiftcheck.engine.units import Unit


class Strength(StrEnum):
    """How much one piece of evidence says: a value or intention, a specific approach, or a
    commitment backed by concrete arrangements."""

    MENTIONED = "mentioned"
    DESCRIBED = "described"
    OPERATIONAL = "operational"

    @property
    def rank(self) -> int:
        return RANK[self.value]


STRENGTHS = tuple(s.value for s in Strength)
RANK = {s: i for i, s in enumerate(STRENGTHS)}


class Status(StrEnum):
    """What a hit counts for.

    Indicators: ``counted`` (evidence, with a strength), ``excluded`` (negated: counts against the
    shift), ``ignored`` (contrast scope, repeat, or inside a red flag that fired).
    Red flags: ``fired`` (the design adopts the From-side practice; may be mitigated),
    ``rejected`` (negated or contrasted: weak evidence for the shift), ``context`` (others'
    practice: background sections, other actors or places, hypotheticals), ``meta`` (quoted as
    wording), ``excused`` (the rule's ``unless`` condition holds)."""

    COUNTED = "counted"
    EXCLUDED = "excluded"
    IGNORED = "ignored"
    FIRED = "fired"
    REJECTED = "rejected"
    CONTEXT = "context"
    META = "meta"
    EXCUSED = "excused"


class Cap(StrEnum):
    """Why a match's strength was held at "mentioned"."""

    DEFERRED = "deferred"  # "will be developed", "to be determined"
    HEDGED = "hedged"  # "where possible", "may"
    BACKGROUND = "background/lessons section"
    VALUE = "value words"  # the indicator itself is a value statement
    BUZZWORD = "buzzword run"  # many shifts named in one sentence, nothing concrete
    IRREALIS = "hypothetical or wish"  # "ideally ... would", "it would be good if"
    QUESTION = "question"
    IMPERATIVE = "advice to the reader"  # "Map each objective to ..."
    ATTRIBUTED = "about other actors or places"  # "in other countries", "according to"
    PROCESS = "about the application process"  # concept notes, comment periods, proposal review
    IMPLEMENTER = "done by the implementer"  # "our advisers will take over ordering"
    FRAGMENT = "a bare phrase"  # "Co-financing." on its own line, or a run of slogans


#: the strength of one piece of evidence
StrengthName = Literal["mentioned", "described", "operational"]


@dataclass
class Match:
    kind: Literal["indicator", "red_flag"]
    criterion: int
    key: str
    unit: Unit
    start: int
    end: int
    status: str
    strength: StrengthName | None = None
    mechanisms: tuple[str, ...] = ()
    caps: tuple[str, ...] = ()  # Cap values, each with its trigger words in brackets
    trigger: str | None = None  # the negation/contrast/mitigation words involved
    mitigated: bool = False
    phrase: str = ""
    details: tuple[str, ...] = ()  # kinds that count toward "described" only (named actor, voice)

    @property
    def quote(self) -> str:
        return self.unit.quote(self.start, self.end)

    def why(self) -> str:
        if self.kind == "indicator":
            if self.status == Status.COUNTED:
                kinds = [*self.mechanisms, *self.details]
                mech = f" with {', '.join(kinds)}" if kinds else " with no concrete mechanism"
                cap = f"; capped: {', '.join(self.caps)}" if self.caps else ""
                return f"{self.strength}{mech}{cap}"
            if self.status == Status.EXCLUDED:
                return f"negated by '{self.trigger}': counts against the shift"
            return f"ignored ({self.trigger or self.status})"
        if self.status == Status.FIRED:
            if self.mitigated:
                how = (
                    f"'{self.trigger}' with a timeline"
                    if self.trigger
                    else "the document's own mitigation"
                )
                return f"red flag, mitigated ({how})"
            return "red flag"
        if self.status == Status.REJECTED:
            return (
                f"rejected practice ('{self.trigger}'): not a red flag, weak evidence for the shift"
            )
        if self.status == Status.CONTEXT:
            if self.trigger:
                return f"describes others' practice ({self.trigger})"
            return "in a background/lessons/risk section: describes others' practice"
        if self.status == Status.META:
            return "quoted as wording, not adopted"
        if self.status == Status.EXCUSED:
            return f"not a red flag here: '{self.trigger}' stands beside it"
        return self.status
