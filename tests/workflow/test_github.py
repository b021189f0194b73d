from __future__ import annotations

from shiftcheck.config import Config
from shiftcheck.gate import evaluate
from shiftcheck.github import annotation, append_step_summary, in_github_actions, render_github
from shiftcheck.model import DocumentError

from .helpers import flag, make_report, shift


def sample():
    hits = [
        flag("parallel-system", "a PIU, managed by us", line=12, page=None, section="Budget"),
        flag("short-term", "one-off", severity="error"),
        flag("mitigated-one", "x", mitigated=True),
    ]
    hits[0].suggestion = "Use the ministry's systems."
    waived = flag("waived-one", "y")
    waived.waived = True
    return make_report("docs/p.md", [shift(2, 1, flags=[*hits, waived]), shift(4, 1)], score=0.3)


def test_annotations_for_flags_errors_and_summary():
    err = DocumentError(
        path="bad.pdf", error="bad.pdf: is encrypted. Remove the password", kind="encrypted"
    )
    out = render_github([sample(), err]).splitlines()
    assert out[0] == (
        "::warning file=docs/p.md,line=12,title=shift-2/parallel-system::parallel-system found "
        "“a PIU, managed by us” (line 12, Budget) Suggestion: Use the ministry's systems."
    )
    assert out[1].startswith(
        "::error file=docs/p.md,title=shift-2/short-term::short-term found “one-off” (p.3, Sustainability)"
    )
    assert (
        out[2]
        == "::notice file=docs/p.md,title=shiftcheck summary::overall level 0 (score 0.30); levels by shift: 2: 1, 4: 1"
    )
    assert (
        out[3]
        == "::error file=bad.pdf,title=shiftcheck%3A encrypted error::bad.pdf: is encrypted. Remove the password"
    )
    assert len(out) == 4  # mitigated and waived flags are not annotated


def test_gate_failures_are_annotated_once():
    report = sample()
    result = evaluate(report, Config(fail_under=2, fail_level="error"))
    out = render_github([result.report], [result]).splitlines()
    gate_lines = [x for x in out if "title=shiftcheck gate" in x]
    assert len(gate_lines) == 2  # two shifts below 2; the red flag is annotated only as a flag
    assert gate_lines[0].startswith(
        "::error file=docs/p.md,title=shiftcheck gate::docs/p.md: shift 2"
    )


def test_escaping():
    line = annotation("warning", "50% done\nnext", file="a,b:c.md", title="t")
    assert line == "::warning file=a%2Cb%3Ac.md,title=t::50%25 done%0Anext"


def test_step_summary(tmp_path):
    target = tmp_path / "summary.md"
    assert append_step_summary("# hi", env={}) is False
    assert append_step_summary("# hi", env={"GITHUB_STEP_SUMMARY": str(target)}) is True
    append_step_summary("more\n", env={"GITHUB_STEP_SUMMARY": str(target)})
    assert target.read_text() == "# hi\nmore\n"
    assert in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not in_github_actions({})
