"""`shiftcheck review` end to end, as CI uses it: gate, batches, SARIF, waivers, formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .clirun import run_cli

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
DOCS = [
    "01-strong-state-led-nutrition.md",
    "02-weak-top-down-hiv-ta.docx",
    "03-mixed-family-planning.pdf",
]


def run(args, cwd, env=None):
    return run_cli(args, cwd, env)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "docs").mkdir()
    for d in DOCS:
        shutil.copy(ROOT / "examples" / d, tmp_path / "docs" / d)
    return tmp_path


def test_gate_fails_with_one_line_per_failing_shift_and_writes_valid_sarif(work):
    out = run(
        ["review", "docs/", "--fail-under", "2", "--format", "sarif", "-o", "out.sarif"], work
    )
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines and all("below --fail-under 2" in line for line in lines)
    assert (
        "docs/02-weak-top-down-hiv-ta.docx: shift 2 (Sovereignty and independence) is level 0, below --fail-under 2"
        in lines
    )
    assert len(lines) == len(set(lines))
    sarif = json.loads((work / "out.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"].endswith("/below-threshold") for r in results)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} >= {
        "docs/02-weak-top-down-hiv-ta.docx"
    }
    if SARIF_SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_missing_file_exits_2_after_the_others_are_reviewed(work):
    out = run(["review", "docs/", "missing.docx", "-f", "json", "-o", "out.json"], work)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "missing.docx: no such file. Check the path and try again"
    ]
    batch = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert len(batch["documents"]) == 4
    assert [d.get("kind") for d in batch["documents"]][-1] == "input"
    assert all("shifts" in d for d in batch["documents"][:3])


def test_exit_zero_reports_without_gating(work):
    out = run(["review", "docs/", "--fail-under", "3", "--exit-zero", "--summary"], work)
    assert out.returncode == 0
    assert "below --fail-under 3" in out.stderr
    assert "Portfolio" in out.stdout or "portfolio" in out.stdout.lower()


def test_fail_level_and_a_waiver_that_silences_exactly_its_flag(work):
    out = run(["review", "docs/02-weak-top-down-hiv-ta.docx", "--fail-level", "error"], work)
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if "is at or above" in line]
    assert errors
    target = errors[0].split("red flag ", 1)[1].split(" ", 1)[0]  # shift-key/flag-key
    (work / ".shiftcheck-waivers.yaml").write_text(
        "waivers:\n"
        f"  - rule: {target}\n"
        "    document: docs/02-*.docx\n"
        "    reason: agreed with the Ministry as a temporary measure\n"
        "    approved_by: programme director\n"
        "    expires: 2099-12-31\n"
        "  - rule: sovereignty/parallel-system\n"
        "    document: docs/nothing-*.docx\n"
        "    reason: old\n"
        "    approved_by: someone\n"
        "    expires: 2000-01-01\n",
        encoding="utf-8",
    )
    out2 = run(["review", "docs/02-weak-top-down-hiv-ta.docx", "--fail-level", "error"], work)
    after = [line for line in out2.stderr.splitlines() if "is at or above" in line]
    assert not any(f"red flag {target} " in line for line in after)
    assert len(after) == len([e for e in errors if f"red flag {target} " not in e])
    assert "expired" in out2.stderr


def test_format_from_output_suffix_and_markdown_details(work):
    out = run(["review", "docs/01-strong-state-led-nutrition.md", "-o", "r.md"], work)
    assert out.returncode == 0, out.stderr
    text = (work / "r.md").read_text(encoding="utf-8")
    assert text.count("<details>") == 9


def test_github_format_prints_annotations_and_appends_summary(work):
    summary = work / "summary.md"
    out = run(
        ["review", "docs/02-weak-top-down-hiv-ta.docx"],
        work,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("::")
    assert "file=docs/02-weak-top-down-hiv-ta.docx" in out.stdout
    assert "shiftcheck review" in summary.read_text(encoding="utf-8")


def test_output_never_overwrites_an_input(work):
    out = run(
        [
            "review",
            "docs/01-strong-state-led-nutrition.md",
            "-f",
            "markdown",
            "-o",
            "docs/01-strong-state-led-nutrition.md",
        ],
        work,
    )
    assert out.returncode == 2
    assert "refusing to overwrite" in out.stderr
    assert (work / "docs" / "01-strong-state-led-nutrition.md").read_bytes() == (
        ROOT / "examples" / DOCS[0]
    ).read_bytes()
