"""Golden files for every report format on shipped examples (Markdown, DOCX and PDF inputs).

Regenerate after an intended change with ``python -m pytest tests/report --update-golden`` and
review the diff; never edit the files by hand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import shiftcheck
from shiftcheck.report import FORMATS, RenderOptions, render

ROOT = Path(__file__).resolve().parents[2]
DOCS = [
    "examples/01-strong-state-led-nutrition.md",
    "examples/02-weak-top-down-hiv-ta.docx",
    "examples/03-mixed-family-planning.pdf",
]
EXT = {
    "terminal": "txt",
    "markdown": "md",
    "json": "json",
    "sarif": "sarif",
    "html": "html",
    "github": "github.txt",
}


def _with_rubric_labels(report):
    """The report with each shift's ``short_title`` and ``docs_url`` from the rubric, as
    ``scoring.score_criterion`` gives them (a no-op once it does)."""
    from shiftcheck.rubric import load_rubric

    by_id = {c.id: c for c in load_rubric(report.rubric.id).criteria}
    shifts = [
        s.model_copy(
            update={
                "short_title": s.short_title or by_id[s.id].short_title,
                "docs_url": s.docs_url or by_id[s.id].docs_url,
            }
        )
        for s in report.shifts
    ]
    return report.model_copy(update={"shifts": shifts})


@pytest.fixture(scope="module")
def reports():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {d: _with_rubric_labels(shiftcheck.review(d)) for d in DOCS}
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("doc", DOCS)
def test_example_golden(reports, golden, fmt, doc):
    text = render(fmt, reports[doc], RenderOptions(width=80, threshold=2))
    golden(f"examples/{Path(doc).stem}.{EXT[fmt]}", text)


def test_batch_golden(reports, golden):
    golden(
        "examples/batch.md", render("markdown", list(reports.values()), RenderOptions(summary=True))
    )


#: one French document in every format: every word of the report in French (auto report language)
FRENCH = "examples/04-mixte-sante-communautaire-guinee.md"


@pytest.fixture(scope="module")
def french_report():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return shiftcheck.review(FRENCH)
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_french_example_golden(french_report, golden, fmt):
    text = render(fmt, french_report, RenderOptions(width=80, threshold=2))
    golden(f"examples/{Path(FRENCH).stem}.{EXT[fmt]}", text)
