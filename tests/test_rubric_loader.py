"""Rubric files: validation errors name file and line; unsafe YAML is refused; CLI commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftcheck.errors import RubricError
from shiftcheck.rubric import load_rubric
from shiftcheck.rubric.loader import load_rubric_text

from . import clirun

MINI = Path(__file__).parent / "rubrics" / "mini.yaml"


def run_cli(*args: str, cwd: Path | None = None):
    return clirun.run_cli(list(args), cwd)


def three_mistakes(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8")
    lines = text.splitlines()
    # 1. unknown key inside an indicator, 2. a level out of range, 3. a missing recommendation
    i = next(n for n, line in enumerate(lines) if "key: workplan-approval" in line)
    lines.insert(i + 1, "        term: oops")
    j = next(n for n, line in enumerate(lines) if "{level: 3, name: Operationalised" in line)
    lines[j] = lines[j].replace("level: 3", "level: 7")
    k = next(
        n
        for n, line in enumerate(lines)
        if "recommendation: Add a transition plan with dates." in line
    )
    del lines[k]
    p = tmp_path / "broken.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_three_mistakes_give_three_file_line_errors(tmp_path):
    p = three_mistakes(tmp_path)
    with pytest.raises(RubricError) as err:
        load_rubric(p)
    problems = err.value.problems
    assert len(problems) == 3, problems
    text = p.read_text().splitlines()
    term_line = next(n for n, line in enumerate(text, 1) if "term: oops" in line)
    assert any(
        f":{term_line}: shift 1, indicator workplan-approval: unknown key 'term'" in x
        for x in problems
    )
    assert any(("level" in x and "3" in x) or "less than or equal" in x for x in problems)
    assert any("indicator transition-plan: missing key 'recommendation'" in x for x in problems)
    assert all(
        x.startswith(str(p) + ":") or x.startswith("broken.yaml") or ".yaml:" in x for x in problems
    )


def test_rubric_validate_cli_exit_2_with_one_line_per_error(tmp_path):
    p = three_mistakes(tmp_path)
    out = run_cli("rubric", "validate", str(p))
    assert out.returncode == 2
    err_lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(err_lines) == 3, out.stderr
    assert all(".yaml:" in line for line in err_lines)
    assert "Traceback" not in out.stderr


def test_rubric_validate_cli_ok():
    out = run_cli("rubric", "validate", str(MINI))
    assert out.returncode == 0, out.stderr
    assert "valid rubric 'mini'" in out.stdout


def test_python_object_tags_are_refused():
    evil = "id: !!python/object/apply:os.system ['echo hacked']\nversion: '1'\n"
    with pytest.raises(RubricError) as err:
        load_rubric_text(evil, "evil.yaml")
    assert err.value.problems[0].startswith("evil.yaml:1:")
    assert "only plain YAML" in err.value.problems[0]


def test_yaml_no_as_boolean_is_reported_with_its_line():
    text = MINI.read_text(encoding="utf-8").replace('[not, "no", never', "[not, no, never")
    with pytest.raises(RubricError) as err:
        load_rubric_text(text, "m.yaml")
    assert "vocabularies.negation_before.en" in err.value.problems[0]


def test_unknown_rubric_name():
    with pytest.raises(RubricError) as err:
        load_rubric("no-such-rubric")
    assert "unknown rubric" in err.value.line()


def test_rubric_test_command_runs_rule_examples(tmp_path):
    out = run_cli("rubric", "test", str(MINI))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 failed" in out.stdout
    bad = MINI.read_text(encoding="utf-8").replace(
        'silent: ["We approve our own workplan."]',
        'silent: ["The Ministry approves the workplan each year."]',
    )
    p = tmp_path / "bad.yaml"
    p.write_text(bad, encoding="utf-8")
    out = run_cli("rubric", "test", str(p))
    assert out.returncode == 1
    assert "FAIL country-driven/workplan-approval: should stay silent" in out.stdout


def test_rubric_test_one_rule_by_id():
    out = run_cli("rubric", "test", "sovereignty/parallel-system", "--rubric", str(MINI))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().endswith("failed (mini 0.1)")
    assert "3 examples" in out.stdout


def test_rubric_show_reads_without_yaml_syntax():
    out = run_cli("rubric", "show", "critical-shifts")
    assert out.returncode == 0, out.stderr
    assert "How levels are decided" in out.stdout
    assert "Shift 9:" in out.stdout
    assert "{" not in out.stdout and "re:" not in out.stdout
