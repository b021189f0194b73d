from __future__ import annotations

import datetime as dt

from shiftcheck.config import Config, load_config
from shiftcheck.gate import GateResult, apply_config, evaluate, exit_code
from shiftcheck.model import DocumentError
from shiftcheck.waivers import apply_waivers, make_waiver

from .helpers import flag, make_report, shift


def report_with_flags(path: str = "examples/x.md"):
    return make_report(
        path,
        [
            shift(1, 2),
            shift(
                2,
                2,
                flags=[
                    flag("parallel-system", "a dedicated PIU", severity="error"),
                    flag(
                        "parallel-system",
                        "we will not build a parallel system",
                        severity="error",
                        mitigated=True,
                    ),
                ],
            ),
            shift(
                4,
                1,
                flags=[
                    flag(
                        "short-term",
                        "a one-off project",
                        page=5,
                        section="Budget",
                        severity="warning",
                    )
                ],
            ),
        ],
        score=0.41,
    )


def test_no_thresholds_passes():
    r = evaluate(report_with_flags(), Config())
    assert r.passed and r.failures == []


def test_fail_under_lines():
    r = evaluate(report_with_flags(), Config(fail_under=2))
    assert not r.passed
    assert r.failures == [
        "examples/x.md: shift 4 (Strategic, coordinated, long-term investment) is level 1, below --fail-under 2"
    ]


def test_fail_under_overall_line():
    r = evaluate(report_with_flags(), Config(fail_under_overall=0.5))
    assert r.failures == ["examples/x.md: overall score 0.41 is below --fail-under-overall 0.5"]


def test_fail_level_counts_unmitigated_flags_at_or_above():
    r = evaluate(report_with_flags(), Config(fail_level="warning"))
    assert r.failures == [
        "examples/x.md: red flag shift-2/parallel-system (error) at p.3, Sustainability is at or above --fail-level warning",
        "examples/x.md: red flag shift-4/short-term (warning) at p.5, Budget is at or above --fail-level warning",
    ]
    r = evaluate(report_with_flags(), Config(fail_level="error"))
    assert len(r.failures) == 1


def test_waived_flags_never_fail():
    rep = report_with_flags()
    apply_waivers(
        rep,
        [
            make_waiver(
                rule="shift-2/parallel-system",
                document="examples/x.md",
                quote="dedicated PIU",
                reason="lender",
                approved_by="a",
            )
        ],
        dt.date(2026, 1, 1),
    )
    r = evaluate(rep, Config(fail_level="error"))
    assert r.passed
    assert r.report.shifts[1].red_flags[0].waived


def test_disable_removes_flags_before_gating():
    rep = report_with_flags()
    r = evaluate(rep, Config(fail_level="info", disable=["shift-2/*", "short-term"]))
    assert r.passed
    assert all(not s.red_flags for s in r.report.shifts)
    assert len(rep.shifts[1].red_flags) == 2  # the original is untouched


def test_severity_override_applies():
    cfg = Config(
        fail_level="error", severity={"short-term": "error", "shift-2/parallel-system": "info"}
    )
    r = evaluate(report_with_flags(), cfg)
    assert r.failures == [
        "examples/x.md: red flag shift-4/short-term (error) at p.5, Budget is at or above --fail-level error"
    ]
    # the full id beats a glob
    cfg = Config(fail_level="error", severity={"shift-4/short-term": "error", "shift-4/*": "info"})
    assert len(evaluate(report_with_flags(), cfg).failures) == 2


def test_inline_disables_in_markdown(tmp_path):
    md = tmp_path / "doc.md"
    md.write_text("# Doc\n<!-- shiftcheck: disable shift-4/short-term -->\n")
    r = evaluate(report_with_flags(str(md)), Config(fail_level="warning"))
    assert len(r.failures) == 1 and "parallel-system" in r.failures[0]
    assert evaluate(
        report_with_flags(str(md)), Config(fail_level="warning"), inline=False
    ).failures[1]


def test_labels_name_config_source(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".shiftcheck.yaml").write_text(
        "fail_under: 2\noverrides:\n  - paths: ['drafts/**']\n    fail_under: 3\n"
    )
    eff = load_config()
    r = evaluate(report_with_flags(), eff)
    assert r.failures[0].endswith("below --fail-under 2 (.shiftcheck.yaml:1)")
    r = evaluate(report_with_flags("drafts/a.md"), eff)
    assert len(r.failures) == 3
    assert r.failures[0].endswith("below --fail-under 3 (per-path override)")
    eff = load_config(cli={"fail_under": 2})
    assert evaluate(report_with_flags(), eff).failures[0].endswith("below --fail-under 2")


def test_apply_config_is_idempotent():
    cfg = Config(severity={"short-term": "error"}, disable=["shift-2/parallel-system"])
    once = apply_config(report_with_flags(), cfg)
    twice = apply_config(once, cfg)
    assert once == twice


def test_exit_codes():
    ok = GateResult(True)
    bad = GateResult(False, ["x"])
    err = DocumentError(path="missing.docx", error="missing.docx: no such file", kind="input")
    assert exit_code([ok]) == 0
    assert exit_code([ok, bad]) == 1
    assert exit_code([ok, bad], exit_zero=True) == 0
    assert exit_code([ok, err]) == 2
    assert exit_code([bad, err], exit_zero=True) == 2
    assert exit_code([]) == 0


def test_gate_lines_speak_the_report_language(tmp_path, monkeypatch):
    """``report.lang`` (or, under ``auto``, the document's language) words the failure lines; the
    facts behind them stay on the result."""
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".shiftcheck.yaml").write_text(
        "report:\n  lang: fr\nfail_under: 2\noverrides:\n  - paths: ['drafts/**']\n    fail_under: 3\n"
    )
    r = evaluate(report_with_flags("drafts/a.md"), load_config())
    assert r.lang == "fr" and r.kinds == ["shift", "shift", "shift"]
    assert r.failures[0] == (
        "drafts/a.md : le changement 1 (Country-led priorities) est au niveau 2, "
        "sous --fail-under 3 (réglage propre à ce chemin)"
    )
    assert [i.shift_id for i in r.items] == [1, 2, 4] and r.items[0].source == "override"
    assert r.lines("en")[0].endswith("is level 2, below --fail-under 3 (per-path override)")
    french_doc = report_with_flags()
    french_doc.document.language = "fr"
    auto = evaluate(french_doc, Config(fail_under_overall=0.5))
    assert auto.failures == [
        "examples/x.md : le score global 0.41 est sous --fail-under-overall 0.5"
    ]
