"""The init, config and diff commands through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from ..clirun import run_main as run
from .helpers import evidence, make_report, shift


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_then_config(here, capsys):
    code, out, _ = run(capsys, "init")
    assert code == 0 and "wrote .shiftcheck.yaml" in out
    assert (here / ".shiftcheck.yaml").read_text().startswith("# shiftcheck configuration")
    code, _, err = run(capsys, "init")
    assert code == 2 and "already exists" in err
    (here / ".shiftcheck.yaml").write_text("fail_under: 2\n")
    code, out, _ = run(capsys, "config")
    assert code == 0
    assert "Configuration file: .shiftcheck.yaml" in out
    assert any(
        line.split()[:3] == ["fail_under", "2", ".shiftcheck.yaml:1"] for line in out.splitlines()
    )
    code, out, _ = run(capsys, "config", "--json")
    data = json.loads(out)
    assert (
        data["values"]["fail_under"] == 2 and data["sources"]["fail_under"] == ".shiftcheck.yaml:1"
    )


def test_config_error_exits_2_with_file_and_line(here, capsys):
    (here / ".shiftcheck.yaml").write_text("fail_under: 2\nfial_level: error\n")
    code, _, err = run(capsys, "config")
    assert code == 2
    assert err.strip() == ".shiftcheck.yaml:2: unknown key 'fial_level'. Did you mean 'fail_level'?"


def test_diff_of_two_json_reports(here, capsys):
    old = make_report(
        "v1.docx", [shift(1, 1), shift(4, 2, ev=[evidence("pooled", "pooled funding")])]
    )
    new = make_report(
        "v2.docx", [shift(1, 2, ev=[evidence("approval", "the ministry approves")]), shift(4, 2)]
    )
    (here / "old.json").write_text(json.dumps(old.to_json_dict()))
    (here / "new.json").write_text(json.dumps(new.to_json_dict()))
    code, out, _ = run(capsys, "diff", "old.json", "new.json")
    assert code == 0 and "▲ +1" in out and "- evidence: pooled" in out
    code, _, _ = run(
        capsys, "diff", "old.json", "new.json", "--format", "markdown", "-o", "diff.md"
    )
    assert (
        code == 0
        and "| 1. Country-led priorities | 1 | 2 | ▲ +1 |" in (here / "diff.md").read_text()
    )
    code, out, _ = run(capsys, "diff", "old.json", "new.json", "-f", "json")
    assert json.loads(out)["shifts"][0]["level_after"] == 2
    code, out, _ = run(
        capsys, "diff", "old.json", "new.json", "-f", "html"
    )  # issue 12: html is a diff format
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    code, _, err = run(capsys, "diff", "old.json", "new.json", "-f", "pdf")
    assert code == 2 and "--format" in err
    code, _, err = run(capsys, "diff", "old.json", "missing.json")
    assert code == 2 and err.startswith("missing.json: ")


# --- a disabled red flag neither shows nor caps the level -------------------------------------

_HANDOVER = """# Plan

## 5. Use of state systems and handover

Each October the TWG checks three readiness benchmarks: a therapeutic food line in the state appropriation law, LGA supervision funds released in three of four quarters, and LGA officers entering data in DHIS2 for eleven of twelve months.

Fifty-eight per cent of the budget is managed by Nigerian organisations or flows through state and LGA accounts; supplies go through the state drug revolving fund.

A project implementation unit inside the implementer office manages all activities.
"""


def _shift2(capsys, *args: str) -> dict:
    code, out, _ = run(capsys, "review", "plan.md", "-f", "json", *args)
    assert code == 0
    return json.loads(out)["shifts"][1]


@pytest.mark.parametrize("how", ["config", "inline", "flag-free"])
def test_disabling_a_capping_red_flag_lifts_its_cap(here, capsys, how):
    (here / "plan.md").write_text(_HANDOVER)
    capped = _shift2(capsys)
    assert capped["level"] == 1 and [f["key"] for f in capped["red_flags"]] == [
        "implementation-unit"
    ]
    assert (
        "Capped at 1 by the red flag 'Project management or implementation unit'"
        in capped["rationale"]
    )
    if how == "config":
        (here / ".shiftcheck.yaml").write_text("disable: [shift-2/implementation-unit]\n")
    elif how == "inline":
        (here / "plan.md").write_text(
            "<!-- shiftcheck: disable implementation-unit -->\n" + _HANDOVER
        )
    else:  # the same text without the PIU sentence: the level the cap was hiding
        (here / "plan.md").write_text(_HANDOVER.rsplit("\n\nA project", 1)[0] + "\n")
    lifted = _shift2(capsys)
    assert lifted["red_flags"] == []
    assert "Capped" not in lifted["rationale"]
    assert lifted["level"] == 3  # handover benchmarks with dates, money through state accounts


def test_docx_limits_come_from_the_config(here, capsys):
    import docx

    d = docx.Document()
    import random

    rng = random.Random(3)
    words = [
        "ministry",
        "district",
        "plan",
        "budget",
        "approves",
        "review",
        "county",
        "team",
        "data",
        "quarter",
    ]
    for _ in range(400):  # ~2 MB of XML that compresses like prose (~5x)
        d.add_paragraph(
            " ".join(rng.choice(words) + str(rng.randint(0, 99999)) for _ in range(300))
        )
    d.save(str(here / "big.docx"))
    code, _, err = run(capsys, "review", "big.docx", "-f", "json")
    assert code == 0, err
    (here / ".shiftcheck.yaml").write_text("limits:\n  max_unzipped_mb: 1\n")
    code, out, err = run(capsys, "review", "big.docx", "-f", "json")
    assert code == 2 and out == ""
    assert err.strip().startswith(
        "big.docx: looks like a zip bomb (it expands to 2 MB, over the 1 MB limit)."
    )
    assert err.strip().endswith("(limits.max_unzipped_mb in the config)")
    (here / ".shiftcheck.yaml").write_text("limits:\n  max_zip_ratio: 2\n")
    code, _, err = run(capsys, "review", "big.docx", "-f", "json")
    assert code == 2 and "over the 2x limit" in err and "limits.max_zip_ratio" in err
    (here / ".shiftcheck.yaml").write_text("limits:\n  max_xml_depth: 300\n")
    code, _, err = run(capsys, "review", "big.docx", "-f", "json")
    assert code == 2 and err.startswith(".shiftcheck.yaml:2: limits.max_xml_depth")
