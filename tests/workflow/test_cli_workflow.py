"""The init, config and diff commands through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from shiftcheck.cli import main

from .helpers import evidence, make_report, shift


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out, err = capsys.readouterr()
    return int(e.value.code or 0), out, err


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
    assert any(line.split()[:3] == ["fail_under", "2", ".shiftcheck.yaml:1"] for line in out.splitlines())
    code, out, _ = run(capsys, "config", "--json")
    data = json.loads(out)
    assert data["values"]["fail_under"] == 2 and data["sources"]["fail_under"] == ".shiftcheck.yaml:1"


def test_config_error_exits_2_with_file_and_line(here, capsys):
    (here / ".shiftcheck.yaml").write_text("fail_under: 2\nfial_level: error\n")
    code, _, err = run(capsys, "config")
    assert code == 2
    assert err.strip() == ".shiftcheck.yaml:2: unknown key 'fial_level'. Did you mean 'fail_level'?"


def test_diff_of_two_json_reports(here, capsys):
    old = make_report("v1.docx", [shift(1, 1), shift(4, 2, ev=[evidence("pooled", "pooled funding")])])
    new = make_report("v2.docx", [shift(1, 2, ev=[evidence("approval", "the ministry approves")]), shift(4, 2)])
    (here / "old.json").write_text(json.dumps(old.to_json_dict()))
    (here / "new.json").write_text(json.dumps(new.to_json_dict()))
    code, out, _ = run(capsys, "diff", "old.json", "new.json")
    assert code == 0 and "▲ +1" in out and "- evidence: pooled" in out
    code, _, _ = run(capsys, "diff", "old.json", "new.json", "--format", "markdown", "-o", "diff.md")
    assert code == 0 and "| 1. Country-led priorities | 1 | 2 | ▲ +1 |" in (here / "diff.md").read_text()
    code, out, _ = run(capsys, "diff", "old.json", "new.json", "-f", "json")
    assert json.loads(out)["shifts"][0]["level_after"] == 2
    code, _, err = run(capsys, "diff", "old.json", "new.json", "-f", "html")
    assert code == 2 and "--format" in err
    code, _, err = run(capsys, "diff", "old.json", "missing.json")
    assert code == 2 and err.startswith("missing.json: ")
