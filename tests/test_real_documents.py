"""Real documents (../shared/calibration/real): nothing quoted from administrative text, and the
English and French versions of one call reviewed alike. Skipped where ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftcheck import review

REAL = Path(__file__).resolve().parents[2] / "shared" / "calibration" / "real"
DOCS = (
    sorted(p for p in REAL.glob("*") if p.suffix in (".pdf", ".md", ".docx", ".txt"))
    if REAL.is_dir()
    else []
)
#: heading words of administrative sections (eligibility, submission, certifications...)
ADMIN = (
    "eligib",
    "submission",
    "certification",
    "indirect cost",
    "standard provision",
    "how to apply",
    "terms and condition",
    "cost application",
    "cost proposal",
    "soumission",
    "éligibilit",
)


@pytest.mark.skipif(not DOCS, reason="../shared/calibration/real is not here")
@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name[:60])
def test_no_evidence_or_red_flag_from_an_administrative_section(path: Path) -> None:
    rep = review(path, guarded=False)
    quoted = []
    for s in rep.shifts:
        for item in [*s.evidence, *s.red_flags]:
            section = (item.location.section or "").lower()
            if any(a in section for a in ADMIN):
                quoted.append(f"shift {s.id}: {section!r}: {item.quote[:80]}")
            assert "negotiated indirect cost rate" not in item.quote.lower(), item.quote
    assert not quoted, quoted


#: the same call published in English and in French (two pairs in the real set)
PAIRS = [
    (
        "PATH-DigitalSquare_RFA-2021-055_Notice-F0-ANC-DAK-Reference-Implementation_EN.pdf",
        "PATH-DigitalSquare_RFA-2021-055_Avis-F0-Kit-Adaptation-Numerique-CPN_FR.pdf",
    ),
    (
        "PATH-DigitalSquare_RFA-2021-056_Notice-F1-DDCC-COVID-Certificates_EN.pdf",
        "PATH-DigitalSquare_RFA-2021-056_Avis-F1-Certificats-COVID-DDCC_FR.pdf",
    ),
]


@pytest.mark.parametrize("en, fr", PAIRS, ids=["F0", "F1"])
def test_english_and_french_versions_of_one_call_get_the_same_levels(en: str, fr: str) -> None:
    if not (REAL / en).is_file() or not (REAL / fr).is_file():
        pytest.skip("the English/French pair is not in ../shared/calibration/real")
    rep_en, rep_fr = review(REAL / en), review(REAL / fr)
    assert rep_en.document.language == "en" and rep_fr.document.language == "fr"
    assert [s.level for s in rep_en.shifts] == [s.level for s in rep_fr.shifts]
