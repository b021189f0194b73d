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
