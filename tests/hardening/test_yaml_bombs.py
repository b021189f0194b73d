"""Hostile YAML through every entry point that reads YAML, and misspelled rule ids in the config.

An alias bomb ("billion laughs" with anchors) used to take gigabytes and minutes wherever YAML is
read; now each entry point stops at the first alias past the budget: exit 2, one stderr line
naming the file and the alias's line (shiftcheck.yamlsafe). A rule id in ``severity``, ``disable``,
``overrides`` or a waiver that names no red flag of the rubric is exit 2 with "did you mean".
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from shiftcheck.errors import RubricError

from ..clirun import run_cli

PLAN = "# Plan\n\nThe Ministry of Health chairs the steering committee and approves the annual workplan.\n"


def bomb(levels: int = 9, indent: str = "") -> str:
    """Nine levels of nine aliases each: 9**9 (387 million) strings once expanded."""
    names = "abcdefghijklmnop"[:levels]
    out = [f"{indent}lol: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, cur in itertools.pairwise(names):
        out.append(f"{indent}{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(out) + "\n"


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # timeout: the process must finish (before the loader was bounded it ran for minutes)
    return run_cli(args, cwd, {"COLUMNS": "200", **(env or {})}, timeout=20)


def one_error_line(proc: subprocess.CompletedProcess[str], file: Path, display: str) -> str:
    """Exit 2 and exactly one stderr line ``DISPLAY:LINE: ...`` whose LINE holds an alias."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip("\n").splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    m = re.match(rf"{re.escape(display)}:(\d+): (.*)$", lines[0])
    assert m, lines[0]
    source = file.read_text(encoding="utf-8").splitlines()
    assert "*" in source[int(m.group(1)) - 1], (lines[0], source[int(m.group(1)) - 1])
    assert "alias" in m.group(2).lower()
    return lines[0]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "plan.md").write_text(PLAN, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------------------------
# an alias bomb per entry point


def test_bomb_as_rubric(work):
    f = work / "bomb.yaml"
    f.write_text("id: bomb\nversion: '1'\n" + bomb(), encoding="utf-8")
    one_error_line(run(["review", "plan.md", "--rubric", "bomb.yaml"], work), f, "bomb.yaml")


def test_bomb_in_rubric_validate(work):
    f = work / "bomb.yaml"
    f.write_text("id: bomb\n" + bomb(), encoding="utf-8")
    one_error_line(run(["rubric", "validate", "bomb.yaml"], work), f, "bomb.yaml")


def test_bomb_as_config(work):
    f = work / "bomb-config.yaml"
    f.write_text("fail_under: 1\n" + bomb(), encoding="utf-8")
    one_error_line(
        run(["review", "plan.md", "--config", "bomb-config.yaml"], work), f, "bomb-config.yaml"
    )


def test_bomb_in_config_command(work):
    f = work / "bomb-config.yaml"
    f.write_text(bomb(), encoding="utf-8")
    one_error_line(run(["config", "--config", "bomb-config.yaml"], work), f, "bomb-config.yaml")


def test_bomb_as_config_from_the_environment(work):
    f = work / "env.yaml"
    f.write_text(bomb(), encoding="utf-8")
    one_error_line(
        run(["review", "plan.md"], work, env={"SHIFTCHECK_CONFIG": str(f)}), f, "env.yaml"
    )


def test_bomb_as_implicit_config_in_a_parent_folder(work):
    f = work / ".shiftcheck.yaml"
    f.write_text("# found walking up\n" + bomb(), encoding="utf-8")
    sub = work / "docs" / "drafts"
    sub.mkdir(parents=True)
    one_error_line(run(["review", "../../plan.md"], sub), f, "../../.shiftcheck.yaml")


def test_bomb_as_waivers_file(work):
    f = work / ".shiftcheck-waivers.yaml"
    f.write_text(
        "waivers:\n  - rule: sovereignty/parallel-system\n    document: '*'\n    reason: r\n    approved_by: a\n"
        "    quote:\n" + bomb(indent="      "),
        encoding="utf-8",
    )
    (work / ".shiftcheck.yaml").write_text("fail_under: 0\n", encoding="utf-8")
    one_error_line(run(["review", "plan.md"], work), f, ".shiftcheck-waivers.yaml")


def test_bomb_as_baseline_named_in_the_config(work):
    """A baseline is a waivers file (written by --write-baseline, named by 'waivers:')."""
    f = work / "baseline.yaml"
    f.write_text(bomb(), encoding="utf-8")
    (work / ".shiftcheck.yaml").write_text("waivers: baseline.yaml\n", encoding="utf-8")
    one_error_line(run(["review", "plan.md"], work), f, "baseline.yaml")


# --------------------------------------------------------------------------------------------
# the loader itself


def test_small_anchors_and_merge_keys_still_load():
    from shiftcheck.yamlsafe import load_yaml

    data, lines = load_yaml(
        "base: &b {x: 1, y: [a, b]}\nother:\n  <<: *b\n  z: 2\nlist: [*b, *b]\n", "ok.yaml"
    )
    assert data["other"] == {"x": 1, "y": ["a", "b"], "z": 2}
    assert data["list"] == [data["base"], data["base"]]
    assert lines.line_for(("other", "z")) == 4


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("a: &a [x]\nb: &b [*b]\n", 2, "cycle"),  # an alias inside its own anchor
        ("a: " + "[" * 200 + "]" * 200 + "\n", 1, "nested"),
        ("? [a, [b]]\n: 1\n", 1, "key"),  # a list as a key (unhashable)
        ("x: 1\ny: !!int abc\n", 2, "!!int"),
        ("x: !!timestamp 2020-13-45\n", 1, "!!timestamp"),
        ("\n\nx: !!python/object/apply:os.system [true]\n", 3, "unsafe"),
        ("x: y\n---\nz: 1\n", 2, "single document"),
        (
            "a: 1\nb: 2\nc: x\x07y\n",
            3,
            "control characters",
        ),  # no mark: the line comes from the position
    ],
)
def test_hostile_yaml_is_one_line_with_its_line(text, line, needle):
    from shiftcheck.yamlsafe import load_yaml

    with pytest.raises(RubricError) as e:
        load_yaml(text, "h.yaml")
    msg = e.value.line()
    assert "\n" not in msg
    assert msg.startswith(f"h.yaml:{line}: "), msg
    assert needle.lower() in msg.lower(), msg


def test_size_and_node_limits():
    from shiftcheck.yamlsafe import MAX_YAML_BYTES, load_yaml

    with pytest.raises(RubricError, match="MB limit"):
        load_yaml("x: '" + "a" * MAX_YAML_BYTES + "'\n", "big.yaml")
    with pytest.raises(RubricError, match=r"big\.yaml:\d+: more than 1,000 YAML values"):
        load_yaml("[" + ", ".join(["1"] * 2000) + "]", "big.yaml", max_nodes=1000)


def test_first_line_offsets_lines_for_front_matter():
    from shiftcheck.yamlsafe import load_yaml

    with pytest.raises(RubricError, match=r"^doc\.md:3: "):
        load_yaml("title: x\nbad: !!int abc\n", "doc.md", first_line=2)


# --------------------------------------------------------------------------------------------
# misspelled rule ids: exit 2 with "did you mean"


def _rule_error(proc: subprocess.CompletedProcess[str], display: str, guess: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    lines = proc.stderr.strip("\n").splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.match(rf"{re.escape(display)}:\d+: ", lines[0]), lines[0]
    assert f"Did you mean '{guess}'?" in lines[0], lines[0]
    return lines[0]


def test_misspelled_rule_in_severity_then_every_valid_form(work):
    (work / ".shiftcheck.yaml").write_text(
        "fail_level: error\nseverity:\n  sovereignty/paralel-system: error\n", encoding="utf-8"
    )
    line = _rule_error(
        run(["review", "plan.md"], work), ".shiftcheck.yaml", "sovereignty/parallel-system"
    )
    assert line.startswith(".shiftcheck.yaml:3: ")
    # every form a rule id may take is still accepted: shift key or number, bare key, any case, globs
    (work / ".shiftcheck.yaml").write_text(
        "severity:\n  sovereignty/parallel-system: error\n  shift-2/implementation-unit: info\n  Parallel-System: warning\n"
        "disable: ['shift-9/*', 'country-driven/*', buy-in]\n"
        "overrides:\n  - paths: ['*.md']\n    disable: ['*/own-data-system']\n",
        encoding="utf-8",
    )
    (work / ".shiftcheck-waivers.yaml").write_text(
        "waivers:\n  - rule: '*/off-budget'\n    document: plan.md\n    reason: r\n    approved_by: a\n",
        encoding="utf-8",
    )
    proc = run(["review", "plan.md", "-f", "json"], work)
    assert proc.returncode == 0, proc.stderr


def test_misspelled_rule_in_disable(work):
    (work / ".shiftcheck.yaml").write_text(
        "disable:\n  - implementer-chaired\n  - project-steering-comittee\n", encoding="utf-8"
    )
    line = _rule_error(
        run(["review", "plan.md"], work), ".shiftcheck.yaml", "project-steering-committee"
    )
    assert line.startswith(".shiftcheck.yaml:3: ")


def test_misspelled_shift_in_a_disable_glob(work):
    (work / ".shiftcheck.yaml").write_text("disable: ['sovreignty/*']\n", encoding="utf-8")
    _rule_error(run(["review", "plan.md"], work), ".shiftcheck.yaml", "sovereignty/*")


def test_misspelled_rule_in_overrides(work):
    (work / ".shiftcheck.yaml").write_text(
        "overrides:\n  - paths: ['*.md']\n    severity: {shift-2/parallel-system: info}\n    disable: [shift-1/implementer-chiared]\n",
        encoding="utf-8",
    )
    line = _rule_error(
        run(["review", "plan.md"], work), ".shiftcheck.yaml", "shift-1/implementer-chaired"
    )
    assert line.startswith(".shiftcheck.yaml:4: ") and "overrides[0].disable" in line


def test_misspelled_rule_in_a_waiver(work):
    (work / ".shiftcheck-waivers.yaml").write_text(
        "waivers:\n  - document: plan.md\n    rule: country-driven/implementer-chairs\n    reason: r\n    approved_by: a\n",
        encoding="utf-8",
    )
    line = _rule_error(
        run(["review", "plan.md"], work),
        ".shiftcheck-waivers.yaml",
        "country-driven/implementer-chaired",
    )
    assert line.startswith(".shiftcheck-waivers.yaml:3: ")


def test_rule_aliases_and_indicators():
    """Aliases (bare or after the shift) are accepted; an indicator key is named as such."""
    from shiftcheck.config import Config, ConfigError, EffectiveConfig
    from shiftcheck.rubric.loader import load_rubric_text
    from shiftcheck.rulecheck import check_rule_ids

    mini = Path(__file__).resolve().parents[1] / "rubrics" / "mini.yaml"
    text = mini.read_text(encoding="utf-8").replace(
        "      - key: parallel-system\n",
        "      - key: parallel-system\n        aliases: [shadow-system]\n",
        1,
    )
    rubric = load_rubric_text(text, "mini.yaml")
    shift = next(c for c in rubric.criteria if any(f.key == "parallel-system" for f in c.red_flags))
    refs = [
        ("shadow-system", "disable", "c.yaml:1"),
        (f"{shift.key}/shadow-system", "severity", "c.yaml:2"),
    ]
    check_rule_ids(EffectiveConfig(Config(), {}, None, refs), [rubric])
    indicator = shift.indicators[0].key
    with pytest.raises(ConfigError) as e:
        check_rule_ids(
            EffectiveConfig(Config(), {}, None, [(indicator, "disable", "c.yaml:3")]), [rubric]
        )
    assert (
        e.value.line().startswith("c.yaml:3: ")
        and "is an indicator, not a red flag" in e.value.line()
    )


# --------------------------------------------------------------------------------------------
# a short run of bench/fuzz.py's YAML targets (the long run: python bench/fuzz.py --targets yaml)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["rubric", "config", "waivers"])
def test_mutated_yaml_loads_or_is_one_documented_error(tmp_path, monkeypatch, target):
    import random

    from bench import fuzz
    from shiftcheck.rubric import load_rubric

    monkeypatch.setattr(fuzz, "_YAML_RUBRIC", load_rubric("critical-shifts"))
    monkeypatch.chdir(tmp_path)
    seeds = fuzz.yaml_seeds()[target]
    rng = random.Random(14)
    for _ in range(25 if target == "rubric" else 60):
        name, text = rng.choice(seeds)
        op = rng.choice(sorted(fuzz.YAML_MUTATORS))
        case_seed = rng.randrange(1 << 31)
        outcome, detail = fuzz.yaml_classify(
            target, fuzz.yaml_mutate(op, text, case_seed), tmp_path
        )
        assert outcome in ("ok", "error"), f"{target}:{name}:{op}:{case_seed}: {detail}"
