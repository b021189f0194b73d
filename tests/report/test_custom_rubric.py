"""Reports are driven by the rubric (issue 12, defect 3): a three-criterion custom rubric with ids 3,
7 and 12 renders in every format with its own labels, and criterion 12 reaches the portfolio."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import shiftcheck
from shiftcheck.model import DocumentError
from shiftcheck.report import FORMATS, RenderOptions, render

RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "custom-three.yaml"
IDS = [7, 12, 3]  # in the rubric's order
TITLES = {
    7: "Country-driven priorities and decisions",
    12: "Sovereignty and independence",
    3: "Budget transparency",
}

PROPOSAL = """# District plan

## Governance

The Ministry of Health approves the annual workplan each December. Government buy-in will be
secured through a launch event. A joint annual review looks at both partners' commitments.

## Systems

Salary top-ups are paid by the project. Indicators are reported through the national HMIS.
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("custom")
    a, b = folder / "a.md", folder / "b.md"
    a.write_text(PROPOSAL, encoding="utf-8")
    b.write_text("# Nothing\n\nA short note without any commitment.\n", encoding="utf-8")
    return [
        shiftcheck.review(a, rubric=RUBRIC, guarded=False),
        shiftcheck.review(b, rubric=RUBRIC, guarded=False),
    ]


def test_the_rubric_gives_three_criteria(reports):
    assert [s.id for s in reports[0].shifts] == IDS
    assert {s.id: s.title for s in reports[0].shifts} == TITLES


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_shows_the_three_criteria_by_their_own_labels(reports, fmt):
    out = render(fmt, reports[0], RenderOptions(width=120, threshold=3))
    assert "Trust" not in out and "Country priorities" not in out  # no label from the nine shifts
    if fmt == "json":
        doc = json.loads(out)
        assert [(s["id"], s["title"]) for s in doc["shifts"]] == list(TITLES.items())
    elif fmt == "sarif":
        run = json.loads(out)["runs"][0]
        assert set(run["properties"]["documents"][0]["levels"]) == {"3", "7", "12"}
        rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
        assert {
            "shift-3/below-threshold",
            "shift-7/below-threshold",
            "shift-12/below-threshold",
        } <= set(rules)
        assert "Budget transparency" in rules["shift-3/below-threshold"]["fullDescription"]["text"]
        assert "custom-three --shift 12" in rules["shift-12/below-threshold"]["help"]["markdown"]
        assert all("helpUri" not in r for r in rules.values())
    elif fmt == "github":
        assert "levels by shift: 7: " in out and ", 12: " in out and ", 3: " in out
    else:
        for i in IDS:
            assert TITLES[i] in out or f"{i} {TITLES[i].split()[0]}" in out, (fmt, i)
        if fmt == "terminal":
            assert re.search(r"^3 Budget transparency ", out, re.M)
            assert re.search(r"^12 Sovereignty and ", out, re.M)
        if fmt == "html":
            assert (
                ">3 Budget transparency</text>" in out
                and ">12 Sovereignty and independence</text>" in out
            )
            assert "the three shift levels" in out
        if fmt in ("terminal", "markdown", "html"):
            assert "shiftcheck rubric show custom-three --shift 12" in out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_portfolio_has_a_column_per_criterion_present(reports, fmt):
    entries = [*reports, DocumentError(path="c.pdf", error="c.pdf: is encrypted", kind="encrypted")]
    out = render(fmt, entries, RenderOptions(summary=True))
    assert "Trust" not in out
    levels = [{s.id: s.level for s in r.shifts} for r in reports]
    if fmt == "terminal":
        head = next(line for line in out.splitlines() if line.startswith("Document "))
        assert head.split() == ["Document", "7", "12", "3", "All"]
        row = next(line for line in out.splitlines() if line.endswith("err"))
        assert row.split()[1:] == ["-", "-", "-", "err"]
    elif fmt == "markdown":
        assert "| Document | 7 | 12 | 3 | Overall |" in out
        row = next(
            line
            for line in out.splitlines()
            if line.startswith(f"| {reports[0].document.path.replace('_', chr(92) + '_')} |")
        )
        assert row.split(" | ")[1:4] == [str(levels[0][i]) for i in IDS]
    elif fmt == "html":
        assert re.search(
            r'<th title="Country-driven[^"]*">7</th><th title="Sovereignty[^"]*">12</th>'
            r'<th title="Budget transparency">3</th><th>Overall</th>',
            out,
        )
        assert '<td colspan="4" class="l0">error: encrypted</td>' in out
    elif fmt == "json":
        docs = json.loads(out)["documents"]
        assert [[s["id"] for s in d["shifts"]] for d in docs[:2]] == [IDS, IDS]
    elif fmt == "sarif":
        docs = json.loads(out)["runs"][0]["properties"]["documents"]
        assert [set(d["levels"]) for d in docs] == [{"3", "7", "12"}] * 2
    elif fmt == "github":
        assert out.count("levels by shift: 7: ") == 2


def test_a_short_title_labels_the_criterion(reports):
    r = reports[0]
    shifts = [
        s.model_copy(update={"short_title": "Own systems"}) if s.id == 12 else s for s in r.shifts
    ]
    r = r.model_copy(update={"shifts": shifts})
    assert re.search(r"^12 Own systems ", render("terminal", r, RenderOptions(width=120)), re.M)
    assert ">12 Own systems</text>" in render("html", r)


def test_a_docs_url_from_the_rubric_is_the_link(reports):
    r = reports[0]
    url = "https://example.org/rubric#budget"
    shifts = [s.model_copy(update={"docs_url": url}) if s.id == 3 else s for s in r.shifts]
    r = r.model_copy(update={"shifts": shifts})
    assert f"[about this shift](<{url}>)" in render("markdown", r)
    assert f'<a href="{url}">about this shift</a>' in render("html", r)
    assert f"About this shift: {url}" in render("terminal", r, RenderOptions(width=200))
    rules = json.loads(render("sarif", r, RenderOptions(threshold=3)))["runs"][0]["tool"]["driver"][
        "rules"
    ]
    assert {x["id"]: x.get("helpUri") for x in rules}["shift-3/below-threshold"] == url
