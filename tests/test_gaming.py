"""Gaming documents and a real-wording strong proposal (issue 11, acceptance).

Fixtures live in ``tests/fixtures/gaming/`` (see its README): each document in English and French.

- No shift of a gaming document (buzzword list, hypotheticals, pasted "Add next" advice,
  implementer-as-agent text, a realistic weak proposal) goes above level 1.
- A bare buzzword list never scores above the realistic weak proposal in the same language.
- The strong proposal, written in World-Bank-style wording, reaches level 2 or more on at least
  four shifts.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import pytest

from shiftcheck import review
from shiftcheck.rubric import load_rubric

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gaming"
LANGS = ("en", "fr")
GAMING = ("buzzwords", "hypotheticals", "add-next", "agency", "weak-proposal")
STRONG = "strong-proposal"
MAX_GAMING_LEVEL = 1
MIN_STRONG_SHIFTS = 4


@lru_cache(maxsize=1)
def _rubric():
    return load_rubric(None)


@cache
def _report(name: str, lang: str):
    path = FIXTURES / f"{name}.{lang}.md"
    assert path.is_file(), f"missing fixture {path}"
    return review(path, _rubric(), display=f"{name}.{lang}.md")


def _levels(rep) -> str:
    return " ".join(f"s{s.id}={s.level}" for s in rep.shifts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", (*GAMING, STRONG))
def test_fixture_language_is_detected(name: str, lang: str) -> None:
    # otherwise the French cases would silently be scored with the English vocabulary
    assert _report(name, lang).document.language == lang


def _gaming_params():
    for name in GAMING:
        for lang in LANGS:
            yield pytest.param(name, lang, id=f"{name}-{lang}")


@pytest.mark.parametrize(("name", "lang"), list(_gaming_params()))
def test_gaming_document_scores_no_shift_above_1(name: str, lang: str) -> None:
    rep = _report(name, lang)
    over = [s for s in rep.shifts if s.level > MAX_GAMING_LEVEL]
    detail = "\n".join(
        f"  shift {s.id} ({s.key}) at {s.level}: {s.rationale}"
        + "".join(f"\n      [{e.strength}] {e.quote[:140]}" for e in s.evidence[:3])
        for s in over
    )
    assert not over, f"{name}.{lang}.md: {_levels(rep)}\n{detail}"


@pytest.mark.parametrize("lang", LANGS)
def test_buzzwords_never_outscore_the_weak_proposal(lang: str) -> None:
    buzz = _report("buzzwords", lang)
    weak = _report("weak-proposal", lang)
    assert buzz.overall.level <= weak.overall.level, (
        f"buzzwords.{lang} overall level {buzz.overall.level} > weak-proposal.{lang} {weak.overall.level}"
    )
    assert buzz.overall.score <= weak.overall.score, (
        f"buzzwords.{lang} overall {buzz.overall.score:.2f} ({_levels(buzz)}) > "
        f"weak-proposal.{lang} {weak.overall.score:.2f} ({_levels(weak)})"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_strong_proposal_reaches_level_2_on_four_shifts(lang: str) -> None:
    rep = _report(STRONG, lang)
    high = [s.id for s in rep.shifts if s.level >= 2]
    assert len(high) >= MIN_STRONG_SHIFTS, (
        f"{STRONG}.{lang}.md: {_levels(rep)} (level >= 2 on {high})"
    )
