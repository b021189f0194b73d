from __future__ import annotations

from pathlib import Path

import pytest

from shiftcheck.config import (
    Config,
    ConfigError,
    discover,
    load_config,
    path_matches,
    starter_config,
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a nested working directory and no SHIFTCHECK_CONFIG."""
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    work = tmp_path / "proj" / "docs" / "drafts"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return tmp_path / "proj"


def test_defaults_when_no_file(project):
    eff = load_config()
    assert eff.file is None
    assert eff.config == Config()
    assert eff.sources["fail_under"] == "default"
    assert eff.value_of("limits.timeout") == 120.0


def test_yaml_found_walking_up_with_line_sources(project):
    (project / ".shiftcheck.yaml").write_text(
        "rubric: critical-shifts\n\n\nfail_under: 2\nlimits:\n  timeout: 30\n"
    )
    eff = load_config()
    assert eff.value_of("fail_under") == 2
    assert eff.sources["fail_under"] == "../../.shiftcheck.yaml:4"
    assert eff.sources["limits.timeout"] == "../../.shiftcheck.yaml:6"
    assert eff.sources["limits.max_pages"] == "default"
    assert eff.sources["fail_level"] == "default"


def test_nearest_file_wins_and_yaml_beats_pyproject(project):
    (project / ".shiftcheck.yaml").write_text("fail_under: 1\n")
    (project / "docs" / "pyproject.toml").write_text(
        "[project]\nname='x'\n\n[tool.shiftcheck]\nfail_under = 3\n"
    )
    eff = load_config()
    assert eff.value_of("fail_under") == 3
    assert eff.sources["fail_under"] == "../pyproject.toml [tool.shiftcheck]"
    (project / "docs" / ".shiftcheck.yml").write_text("fail_under: 0\n")
    assert load_config().value_of("fail_under") == 0


def test_pyproject_without_table_is_skipped(project):
    (project / "docs" / "pyproject.toml").write_text("[project]\nname='x'\n")
    (project / ".shiftcheck.yaml").write_text("fail_level: error\n")
    assert discover() == (project / ".shiftcheck.yaml").resolve()
    assert load_config().value_of("fail_level") == "error"


def test_env_beats_discovered_and_config_flag_beats_env(project, tmp_path, monkeypatch):
    (project / ".shiftcheck.yaml").write_text("fail_under: 1\n")
    env_file = tmp_path / "env.yaml"
    env_file.write_text("# comment\n\nfail_under: 2\n")
    monkeypatch.setenv("SHIFTCHECK_CONFIG", str(env_file))
    eff = load_config()
    assert eff.value_of("fail_under") == 2
    assert eff.sources["fail_under"] == f"SHIFTCHECK_CONFIG={env_file}:3"
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("fail_under: 3\n")
    eff = load_config(str(explicit))
    assert eff.value_of("fail_under") == 3
    assert eff.sources["fail_under"].endswith("explicit.yaml:1")


def test_cli_flags_override_everything(project):
    (project / ".shiftcheck.yaml").write_text("fail_under: 1\nlimits:\n  timeout: 5\n")
    eff = load_config(
        cli={"fail_under": 2, "fail_level": None, "limits.timeout": 9, "format": ("json", "--json")}
    )
    assert eff.value_of("fail_under") == 2
    assert eff.sources["fail_under"] == "--fail-under"
    assert eff.value_of("limits.timeout") == 9
    assert eff.sources["limits.timeout"] == "--timeout"
    assert eff.sources["format"] == "--json"
    assert eff.sources["fail_level"] == "default"  # None means the flag was not given


def test_unknown_key_names_file_and_line(project):
    (project / ".shiftcheck.yaml").write_text(
        "rubric: critical-shifts\nfail_under: 2\n\n\n\n\nfial_under: 1\n"
    )
    with pytest.raises(ConfigError) as e:
        load_config()
    assert (
        e.value.line()
        == "../../.shiftcheck.yaml:7: unknown key 'fial_under'. Did you mean 'fail_under'?"
    )
    assert e.value.exit_code == 2


def test_bad_values_name_line_and_key(project):
    (project / ".shiftcheck.yaml").write_text(
        "fail_under: 5\nlimits:\n  max_pages: lots\nformat: pdf\n"
    )
    with pytest.raises(ConfigError) as e:
        load_config()
    lines = e.value.line().splitlines()
    assert lines[0].startswith("../../.shiftcheck.yaml:1: fail_under: ")
    assert any(x.startswith("../../.shiftcheck.yaml:3: limits.max_pages: ") for x in lines)
    assert any(x.startswith("../../.shiftcheck.yaml:4: format: ") for x in lines)


def test_unknown_key_in_pyproject_has_a_line(project):
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.shiftcheck]\nfail_under = 1\nfail_levle = 'error'\n"
    )
    with pytest.raises(ConfigError) as e:
        load_config()
    assert e.value.line().startswith("../../pyproject.toml:6: unknown key 'fail_levle'")


def test_yaml_syntax_error_is_a_config_error(project):
    (project / ".shiftcheck.yaml").write_text("fail_under: [1\n")
    with pytest.raises(ConfigError) as e:
        load_config()
    assert e.value.line().startswith("../../.shiftcheck.yaml:")


def test_bad_cli_value_names_the_flag(project):
    with pytest.raises(ConfigError) as e:
        load_config(cli={"fail_under": 7})
    assert e.value.line().startswith("--fail-under: ")


def test_missing_explicit_config(project):
    with pytest.raises(ConfigError) as e:
        load_config("nope.yaml")
    assert "not found" in e.value.line()


def test_per_path_overrides(project):
    (project / ".shiftcheck.yaml").write_text(
        "fail_under: 2\ndisable: [a/b]\nseverity: {x/y: info}\noverrides:\n"
        "  - paths: ['docs/drafts/**']\n    fail_under: 1\n    disable: [c/d]\n    severity: {x/z: error}\n"
    )
    eff = load_config()
    cfg = eff.for_path("notes.md")  # relative to cwd = docs/drafts
    assert cfg.fail_under == 1
    assert cfg.disable == ["a/b", "c/d"]
    assert cfg.severity == {"x/y": "info", "x/z": "error"}
    other = eff.for_path(str(project / "docs" / "final.md"))
    assert other.fail_under == 2


def test_relative_paths_resolve_against_config_folder(project):
    (project / ".shiftcheck.yaml").write_text("rubric: rubrics/mine.yaml\n")
    eff = load_config()
    assert Path(eff.path_of("rubric")).resolve() == (project / "rubrics" / "mine.yaml").resolve()
    assert (
        Path(eff.path_of("waivers")).resolve() == (project / ".shiftcheck-waivers.yaml").resolve()
    )
    assert load_config(cli={"rubric": "critical-shifts"}).path_of("rubric") == "critical-shifts"


def test_rows_list_every_key_with_source(project):
    (project / ".shiftcheck.yaml").write_text("jobs: 2\n")
    rows = {k: (v, s) for k, v, s in load_config().rows()}
    assert rows["jobs"] == ("2", "../../.shiftcheck.yaml:1")
    assert rows["limits.max_size_mb"][1] == "default"
    assert "rubric" in rows and "pdf_engine" in rows


def test_starter_config_is_valid_and_mentions_every_key(project, tmp_path):
    text = starter_config()
    for key in Config.model_fields:
        assert f"# {key}:" in text, key
    f = tmp_path / "starter.yaml"
    f.write_text(text)
    assert load_config(str(f)).config == Config()
    # uncommenting the example values gives a valid file too
    uncommented = "\n".join(
        line[2:]
        if line.startswith("# ")
        and (line[2:3].islower() or line[2:3] == " ")
        and (": " in line or line.endswith(":"))
        and "." not in line.split(":")[0]
        else line
        for line in text.splitlines()
    )
    f.write_text(uncommented)
    cfg = load_config(str(f)).config
    assert cfg.fail_under == 2


@pytest.mark.parametrize(
    ("pattern", "path", "ok"),
    [
        ("*.docx", "docs/a/b.docx", True),
        ("docs/**/*.md", "docs/x.md", True),
        ("docs/**/*.md", "docs/a/b/x.md", True),
        ("docs/*.md", "docs/a/x.md", False),
        ("**/*.{md,txt}", "a/b.txt", True),
        ("./docs/x.md", "docs/x.md", True),
        ("drafts/**", "docs/drafts/x.md", False),
        # a class that is no valid range is the literal text, not an internal error
        ("[}--]x.md", "[}--]x.md", True),
        ("[}--]x.md", "-x.md", False),
        ("[a-c]x.md", "bx.md", True),
    ],
)
def test_path_matches(pattern, path, ok):
    assert path_matches(pattern, path) is ok


def test_pyproject_overrides_array_of_tables(project):
    (project / "pyproject.toml").write_text(
        "[tool.shiftcheck]\nfail_under = 2\n\n[[tool.shiftcheck.overrides]]\npaths = ['x/**']\nfail_under = 0\nfail_levl = 'x'\n"
    )
    with pytest.raises(ConfigError) as e:
        load_config()
    assert e.value.line().startswith(
        "../../pyproject.toml:7: unknown key 'fail_levl' in overrides[0]. Did you mean 'fail_level'?"
    )
    (project / "pyproject.toml").write_text(
        "[tool.shiftcheck]\nfail_under = 2\n\n[[tool.shiftcheck.overrides]]\npaths = ['x/**']\nfail_under = 0\n"
    )
    eff = load_config()
    assert eff.for_path(str(project / "x" / "a.md")).fail_under == 0
    assert eff.sources["overrides[0]"] == "../../pyproject.toml [tool.shiftcheck]"


def test_render_config_table(project):
    from shiftcheck.config import render_config

    (project / ".shiftcheck.yaml").write_text("fail_under: 2\n")
    out = render_config(load_config(cli={"jobs": 3}), width=120)
    assert "Configuration file: ../../.shiftcheck.yaml" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "../../.shiftcheck.yaml:1" in lines["fail_under"]
    assert "--jobs" in lines["jobs"]
    assert "default" in lines["pdf_engine"]
    assert "\x1b[" not in out


def test_write_starter_refuses_to_overwrite(project):
    from shiftcheck.config import write_starter
    from shiftcheck.errors import UsageError

    p = write_starter()
    assert p.read_text() == starter_config()
    with pytest.raises(UsageError, match="already exists"):
        write_starter()
    write_starter(force=True)


def test_the_unvalidated_defaults_are_the_validated_ones() -> None:
    """A run with no configuration file takes ``default_config()`` (built without a validator):
    it must be exactly ``Config()``, field by field, nested sections included."""
    from shiftcheck.config.schema import Config, default_config

    assert default_config().model_dump() == Config().model_dump()
    assert default_config() == Config()


def _flag_cases() -> list[tuple[str, object]]:
    """Every value a Literal, str or bool config key takes from a flag without validating."""
    from typing import get_args, get_origin

    from shiftcheck.config.schema import Config, ReportConfig

    cases: list[tuple[str, object]] = []
    for prefix, model in (("", Config), ("report.", ReportConfig)):
        for name, field in model.model_fields.items():
            tp = field.annotation
            args = [a for a in get_args(tp) if a is not type(None)]
            if args and get_origin(args[0]) is not None and len(args) == 1:
                tp = args[0]
            if str(get_origin(tp)) == "typing.Literal":
                cases += [(prefix + name, v) for v in get_args(tp)]
            elif tp is bool:
                cases += [(prefix + name, True), (prefix + name, False)]
    cases.append(("rubric", "my-rubric.yaml"))
    return cases


@pytest.mark.parametrize(("key", "value"), _flag_cases())
def test_a_flag_value_taken_as_it_is_gives_the_validated_config(
    key: str, value: object, tmp_path: Path
) -> None:
    """A flag value that needs no validating (``--format json``) is copied onto the config; the
    result is exactly what validating the merged config gives, and the flag is its source."""
    from shiftcheck.config import load_config
    from shiftcheck.config.schema import Config

    eff = load_config(cli={key: value}, cwd=tmp_path, env={})
    head, _, sub = key.partition(".")
    data = Config().model_dump()
    if sub:
        data[head][sub] = value
    else:
        data[head] = value
    assert eff.config == Config.model_validate(data)
    assert eff.source_of(key).startswith("--")


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("format", "pdf", "--format: Input should be 'terminal', 'markdown', 'json'"),
        ("jobs", -1, "--jobs: Input should be greater than or equal to 0"),
        ("report.author", "", "--author: String should have at least 1 character"),
    ],
)
def test_a_flag_value_the_field_does_not_take_is_still_one_error_line(
    key: str, value: object, line: str, tmp_path: Path
) -> None:
    from shiftcheck.config import ConfigError, load_config

    with pytest.raises(ConfigError) as err:
        load_config(cli={key: value}, cwd=tmp_path, env={})
    assert err.value.line().startswith(line), err.value.line()
