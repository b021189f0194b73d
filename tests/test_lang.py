"""English/French detection from function words, elisions and accents."""

from __future__ import annotations

import time

import pytest

from shiftcheck.lang import SAMPLE_WORDS, detect_language

EN = (
    "The ministry will chair the steering committee and approve the annual workplan. "
    "By the end of the second year, the national programme staff will run the training "
    "without external support, and the budget for these posts is transferred to the government."
)
FR = (
    "Le ministère présidera le comité de pilotage et approuvera le plan de travail annuel. "
    "À la fin de la deuxième année, le personnel du programme national assurera la formation "
    "sans appui extérieur, et le budget de ces postes sera transféré au gouvernement."
)


def test_english() -> None:
    assert detect_language(EN) == "en"


def test_french() -> None:
    assert detect_language(FR) == "fr"


def test_french_without_accents_still_french() -> None:
    # text typed without accents (common in e-mails and old systems)
    plain = "Le ministere presidera le comite de pilotage et approuvera le plan de travail annuel avec les partenaires."
    assert detect_language(plain) == "fr"


def test_english_with_french_loanwords_stays_english() -> None:
    text = "The café and the résumé are part of the décor, and the naïve fiancé will attend the soirée with us."
    assert detect_language(text) == "en"


def test_english_contractions_do_not_look_like_french_elisions() -> None:
    text = "It's the teachers' job and we don't think it'll be the ministry's role; they'd agree with that."
    assert detect_language(text) == "en"


def test_french_elisions_count() -> None:
    assert (
        detect_language("L'équipe d'appui s'engage jusqu'à l'évaluation qu'elle conduit.") == "fr"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EN * 3 + " " + FR, "en"),
        (FR * 3 + " " + EN, "fr"),
        # a French proposal quoting an English title stays French
        (FR + ' Voir le rapport "Building the capacity of the health system".', "fr"),
    ],
)
def test_mixed_text_gives_the_majority(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Hello",
        "Hello world",
        "Budget 2026: 1 200 000 USD",
        "12 34 56 78 90",
        "Projet santé",
    ],
)
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_no_function_words_gives_none() -> None:
    assert detect_language("Alpha Beta Gamma Delta Epsilon Zeta Eta Theta") is None


def test_long_text_is_fast_and_sampled() -> None:
    big = (EN + " ") * 3000  # about 100k words
    assert len(big.split()) > 100_000
    start = time.perf_counter()
    assert detect_language(big) == "en"
    assert time.perf_counter() - start < 1.0
    # only the start is sampled: a French tail after the sample does not change the answer
    assert detect_language(EN * (SAMPLE_WORDS // 20) + FR * 2000) == "en"
