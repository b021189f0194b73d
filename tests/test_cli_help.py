"""What a person reads in --help, and `rubric show --shift N` that every report points to (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .clirun import run_main as run


@pytest.mark.parametrize(
    "command,usage",
    [
        (["review"], "Usage: shiftcheck review [OPTIONS] FILE..."),
        (["inspect"], "Usage: shiftcheck inspect [OPTIONS] FILE"),
        (["diff"], "Usage: shiftcheck diff [OPTIONS] OLD NEW"),
        (["rubric", "show"], "Usage: shiftcheck rubric show [OPTIONS] [NAME|PATH]"),
        (["init"], "Usage: shiftcheck init [OPTIONS] [FILE]"),
    ],
)
def test_help_names_arguments_as_a_person_reads_them(capsys, monkeypatch, command, usage):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert out.splitlines()[0] == usage
    assert not re.search(r"<[a-z\[\]]+>|\{[A-Z.|]+\}|float range|int range", out), out


def test_review_help_shows_units_for_limits(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = run(capsys, "review", "--help")
    for option in ("--max-size MB", "--max-memory MB", "--timeout SECONDS", "--max-pages N"):
        assert option in out
    assert re.search(r"^  FILE\.\.\.\s+Documents", out, re.M)


def test_rubric_show_one_shift_with_its_rule_ids(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, "rubric", "show", "critical-shifts", "--shift", "2")
    assert code == 0, err
    assert "Shift 2: Sovereignty" in out and "Shift 1:" not in out and "Shift 3:" not in out
    assert "sovereignty/parallel-system" in out  # the rule id, then its aliases
    assert "shift-2/parallel-system" in out


def test_rubric_show_unknown_shift_is_one_line(capsys):
    code, out, err = run(capsys, "rubric", "show", "critical-shifts", "--shift", "12")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "--shift: rubric 'critical-shifts' has no shift 12. Its shifts are 1, 2, 3, 4, 5, 6, 7, 8, 9"
    ]


def test_the_command_reports_point_to_exists(capsys):
    import shiftcheck
    from shiftcheck.report._common import docs_command

    report = shiftcheck.review(
        Path(__file__).resolve().parents[1] / "examples" / "01-strong-state-led-nutrition.md"
    )
    command = docs_command(report, report.shifts[0]).split()
    assert command[:3] == ["shiftcheck", "rubric", "show"]
    code, out, err = run(capsys, *command[1:])
    assert code == 0, err
    assert f"Shift {report.shifts[0].id}:" in out
