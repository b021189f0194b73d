from __future__ import annotations

import json

import pytest

from shiftcheck.diff import diff_reports, load_report, render_diff_markdown, render_diff_terminal
from shiftcheck.errors import InputError

from .helpers import evidence, flag, make_report, shift


def before_after():
    old = make_report(
        "v1.docx",
        [
            shift(1, 1, ev=[evidence("country-priorities", "The ministry sets priorities.")]),
            shift(2, 1, flags=[flag("parallel-system", "a dedicated PIU will manage funds")]),
            shift(
                4,
                2,
                ev=[
                    evidence("multi-year", "A five-year plan"),
                    evidence("pooled", "pooled funding"),
                ],
            ),
        ],
    )
    new = make_report(
        "v2.docx",
        [
            shift(
                1,
                2,
                ev=[
                    evidence("country-priorities", "The  Ministry sets priorities.", page=9),
                    evidence("ministry-approval", "The ministry approves the workplan each year."),
                ],
            ),
            shift(
                2,
                1,
                flags=[
                    flag("parallel-system", "a dedicated PIU will manage funds", page=4),
                    flag("donor-reporting", "separate donor reports"),
                ],
            ),
            shift(4, 1, ev=[evidence("multi-year", "A five-year plan")]),
        ],
    )
    return old, new


def test_diff_gained_and_lost():
    old, new = before_after()
    d = diff_reports(old, new)
    s1, s2, s4 = d.shifts
    assert (s1.level_before, s1.level_after, s1.delta) == (1, 2, 1)
    # same indicator + same normalized quote is the same evidence, wherever it moved
    assert [e.indicator for e in s1.evidence_gained] == ["ministry-approval"]
    assert s1.evidence_lost == []
    assert [h.key for h in s2.flags_added] == ["donor-reporting"]
    assert s2.flags_removed == [] and s2.level_before == s2.level_after
    assert s2.changed
    assert [e.indicator for e in s4.evidence_lost] == ["pooled"]
    assert s4.delta == -1
    assert d.changed


def test_identical_reports_have_no_changes():
    old, _ = before_after()
    d = diff_reports(old, old.model_copy(deep=True))
    assert not d.changed
    assert "No changes" in render_diff_markdown(d)


def test_shift_only_in_one_report():
    old = make_report("a", [shift(1, 1), shift(3, 2)])
    new = make_report("b", [shift(1, 1), shift(5, 1)])
    d = diff_reports(old, new)
    assert [(s.id, s.level_before, s.level_after) for s in d.shifts] == [
        (1, 1, 1),
        (5, None, 1),
        (3, 2, None),
    ]


def test_render_terminal_plain():
    d = diff_reports(*before_after())
    out = render_diff_terminal(d, width=120, color=False)
    assert "\x1b[" not in out
    assert "v1.docx → v2.docx" in out
    assert "▲ +1" in out and "▼ -1" in out
    assert "+ evidence: ministry-approval" in out
    assert "- evidence: pooled" in out
    assert "+ red flag: shift-2/donor-reporting (warning)" in out
    assert "\x1b[" in render_diff_terminal(d, width=120, color=True)


def test_render_markdown():
    md = render_diff_markdown(diff_reports(*before_after()))
    assert "| Shift | Before | After | Change |" in md
    assert "| 1. Country-led priorities | 1 | 2 | ▲ +1 |" in md
    assert "### Shift 4: Strategic, coordinated, long-term investment (2 → 1)" in md
    assert "- **Evidence lost**: pooled" in md
    assert "- **Red flag added**: shift-2/donor-reporting" in md


def test_load_report_json_and_review_fn(tmp_path):
    old, _ = before_after()
    f = tmp_path / "old.json"
    f.write_text(json.dumps(old.to_json_dict()))
    assert load_report(f) == old
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(InputError):
        load_report(bad)
    assert load_report("x.docx", review_fn=lambda p: make_report(p)).document.path == "x.docx"
