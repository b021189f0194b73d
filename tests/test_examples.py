"""The shipped examples get exactly the levels in examples/labels.yaml, in every format; the
calibration proposals get the same levels as DOCX, PDF and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import shiftcheck

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CALIBRATION = ROOT.parent / "shared" / "calibration"
SUFFIXES = (".md", ".docx", ".pdf", ".txt")


def _entries(folder: Path):
    data = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    for entry in data["documents"]:
        for suffix in SUFFIXES:
            p = folder / f"{entry['file']}{suffix}"
            if p.is_file():
                yield p, {int(k): int(v) for k, v in entry["ratings"].items()}


@pytest.mark.parametrize(
    ("path", "ratings"), list(_entries(EXAMPLES)), ids=lambda x: getattr(x, "name", "")
)
def test_example_levels_match_labels(path, ratings):
    report = shiftcheck.review(path, display=str(path.relative_to(ROOT)))
    got = {s.id: s.level for s in report.shifts}
    wrong = {sid: (got[sid], want) for sid, want in ratings.items() if got[sid] != want}
    assert not wrong, "shift: (tool, label) " + "; ".join(
        f"{sid}: {v} - {next(s.rationale for s in report.shifts if s.id == sid)}"
        for sid, v in wrong.items()
    )


def test_every_format_is_represented_and_french_detected():
    paths = [p for p, _ in _entries(EXAMPLES)]
    assert {p.suffix for p in paths} >= {".md", ".docx", ".pdf"}
    fr = shiftcheck.review(EXAMPLES / "04-mixte-sante-communautaire-guinee.md")
    assert fr.document.language == "fr"


@pytest.mark.skipif(not CALIBRATION.is_dir(), reason="shared calibration set absent")
@pytest.mark.parametrize(
    "name", ["c01-strong-mnh-nigeria", "c02-weak-tb-ta-zambia", "c04-mixed-paludisme-rdc"]
)
def test_same_proposal_same_levels_in_docx_pdf_and_markdown(name):
    levels = {}
    for suffix in (".md", ".docx", ".pdf"):
        rep = shiftcheck.review(CALIBRATION / f"{name}{suffix}")
        levels[suffix] = [s.level for s in rep.shifts]
    assert levels[".md"] == levels[".docx"] == levels[".pdf"], levels
    for engine in ("pdfium", "pdfminer"):
        rep = shiftcheck.review(CALIBRATION / f"{name}.pdf", pdf_engine=engine)
        assert [s.level for s in rep.shifts] == levels[".md"], engine


def test_strong_example_quotes_evidence_with_location():
    rep = shiftcheck.review(EXAMPLES / "01-strong-state-led-nutrition.md")
    s1 = rep.shifts[0]
    assert s1.level == 3
    top = s1.evidence[0]
    assert "TWG approves the annual workplan" in top.quote
    assert top.location.line is not None and top.location.section.endswith(
        " > 3. Governance and decision rights"
    )


def test_weak_example_red_flags_carry_suggestions():
    rep = shiftcheck.review(EXAMPLES / "02-weak-top-down-hiv-ta.docx")
    flags = [f for s in rep.shifts for f in s.red_flags]
    assert len(flags) >= 9
    assert all(f.suggestion and f.message for f in flags)
    assert all(f.location.paragraph for f in flags)
