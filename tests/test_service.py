"""The one review pipeline (shiftcheck.service) and the commands agreeing with each other.

Each defect of issue 12 that this pipeline fixes has a test here that failed before it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .clirun import run_main as run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "01-strong-state-led-nutrition.md"
GATE_WITH_DRAFTS = "fail_under: 3\noverrides:\n  - paths: ['drafts/**']\n    fail_under: 0\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _doc(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(EXAMPLE, folder / name))


def _below_threshold(sarif: dict) -> list[str]:
    return [
        r["ruleId"] for r in sarif["runs"][0]["results"] if r["ruleId"].endswith("/below-threshold")
    ]


# --------------------------------------------------------------------------------------------
# defect 1: every renderer gets the document's own gate


def test_sarif_of_a_draft_follows_its_per_path_gate(here, capsys):
    (here / ".shiftcheck.yaml").write_text(GATE_WITH_DRAFTS)
    _doc(here / "drafts", "p.md")
    code, _, err = run(capsys, "review", "drafts/p.md", "-o", "draft.sarif")
    assert code == 0, err
    assert _below_threshold(json.loads((here / "draft.sarif").read_text())) == []


def test_sarif_of_a_gated_document_keeps_its_below_threshold_results(here, capsys):
    (here / ".shiftcheck.yaml").write_text(GATE_WITH_DRAFTS)
    _doc(here / "final", "p.md")
    code, _, err = run(capsys, "review", "final/p.md", "-o", "final.sarif")
    failing = [line for line in err.splitlines() if "below --fail-under 3" in line]
    assert code == 1 and failing
    assert len(_below_threshold(json.loads((here / "final.sarif").read_text()))) == len(failing)


def test_outcome_records_each_documents_threshold(here):
    from shiftcheck.config import load_config
    from shiftcheck.service import review_documents

    (here / ".shiftcheck.yaml").write_text(GATE_WITH_DRAFTS)
    _doc(here / "drafts", "a.md")
    _doc(here / "final", "b.md")
    out = review_documents(["drafts", "final"], load_config(), progress=False, guarded=False)
    assert out.thresholds == {"drafts/a.md": 0, "final/b.md": 3}


def test_sarif_of_a_mixed_batch_gives_each_document_its_own_threshold(here, capsys):
    (here / ".shiftcheck.yaml").write_text(GATE_WITH_DRAFTS)
    _doc(here / "drafts", "a.md")
    _doc(here / "final", "b.md")
    code, _, err = run(capsys, "review", "drafts", "final", "-o", "batch.sarif")
    failing = [line for line in err.splitlines() if "below --fail-under 3" in line]
    assert code == 1 and failing and all(line.startswith("final/b.md: ") for line in failing)
    results = json.loads((here / "batch.sarif").read_text())["runs"][0]["results"]
    below = [r for r in results if r["ruleId"].endswith("/below-threshold")]
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"] for r in below for loc in r["locations"]
    }
    assert uris == {"final/b.md"}  # the draft (fail_under 0) has none, the other one per failure
    assert len(below) == len(failing)
    assert {r["properties"]["threshold"] for r in below} == {3}


# --------------------------------------------------------------------------------------------
# defect 2: --cache is an option of the one pipeline


@pytest.mark.parametrize("inputs", [["p.md"], ["docs"]], ids=["file", "folder"])
@pytest.mark.parametrize("cache", [[], ["--cache"]], ids=["plain", "cached"])
def test_broken_rubric_is_one_error_with_or_without_cache(here, capsys, monkeypatch, cache, inputs):
    # before: with --cache a folder's review wrote a JSON report whose documents were rubric errors
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(here / "cache"))
    (here / "bad.yaml").write_text("id: bad\n")
    _doc(here, "p.md")
    _doc(here / "docs", "a.md")
    _doc(here / "docs", "b.md")
    code, out, err = run(capsys, "review", *inputs, "--rubric", "bad.yaml", "-f", "json", *cache)
    assert code == 2 and out == ""
    assert err.splitlines() and all(line.startswith("bad.yaml:") for line in err.splitlines())


def test_cache_is_an_option_of_the_reviewer_and_rubrics_are_checked(here, monkeypatch):
    from shiftcheck.config import load_config
    from shiftcheck.rubric.loader import RubricError
    from shiftcheck.service import Reviewer, review_documents

    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(here / "cache"))
    _doc(here, "p.md")
    reviewer = Reviewer(load_config(), cache=True, guarded=False)
    assert reviewer.options_for("p.md")["cache"] is True
    first = reviewer("p.md")
    assert (here / "cache").exists() and reviewer("p.md") == first
    (here / "bad.yaml").write_text("id: bad\n")
    with pytest.raises(RubricError):
        review_documents(
            ["p.md"], load_config(cli={"rubric": "bad.yaml"}), cache=True, progress=False
        )


@pytest.mark.parametrize("cache", [[], ["--cache"]], ids=["plain", "cached"])
def test_aliases_of_a_rubric_given_by_path_count_with_or_without_cache(
    here, capsys, monkeypatch, cache
):
    # a rubric that can only be found by its path (its id names no shipped rubric), whose red flag
    # has an alias; a waiver names the alias. Before, --cache skipped registering the rubric, so
    # the alias matched nothing: the flag stayed open and the waiver was reported unused. (The id
    # differs per case: rubrics registered by one review in this process must not help the next.)
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(here / "cache"))
    rubric_id = f"local-shifts-{'cached' if cache else 'plain'}"
    shipped = (ROOT / "rubrics" / "critical-shifts.yaml").read_text(encoding="utf-8")
    local = shipped.replace("id: critical-shifts\n", f"id: {rubric_id}\n", 1).replace(
        "      - key: parallel-system\n",
        "      - key: parallel-system\n        aliases: [shadow-system]\n",
        1,
    )
    assert "aliases: [shadow-system]" in local and f"id: {rubric_id}" in local
    (here / "local.yaml").write_text(local, encoding="utf-8")
    (here / "p.md").write_text(
        "# Plan\n\nA parallel reporting platform will be set up in all districts.\n"
    )
    (here / ".shiftcheck-waivers.yaml").write_text(
        "waivers:\n  - rule: shadow-system\n    document: p.md\n"
        "    reason: agreed with the ministry\n    approved_by: J. Doe\n"
    )
    code, out, err = run(
        capsys, "review", "p.md", "-r", "local.yaml", "-f", "json", "--fail-level", "error", *cache
    )
    assert code == 0, err
    flags = [
        f
        for s in json.loads(out)["shifts"]
        for f in s["red_flags"]
        if f["key"] == "parallel-system"
    ]
    assert flags and all(f["waived"] for f in flags)
    assert "unused" not in err


# --------------------------------------------------------------------------------------------
# defect 4: folder walking


def test_folder_walk_skips_whole_housekeeping_names_only(here):
    from shiftcheck.batch import expand_inputs

    for name in (
        "README.md",
        "LICENSE.txt",
        "CODE_OF_CONDUCT.md",
        "security.md",
        "security-food-nutrition-proposal.md",
        "licensed-pharmacies-plan.md",
        "readme-first-proposal.md",
    ):
        (here / "docs").mkdir(exist_ok=True)
        (here / "docs" / name).write_text("# A proposal\n")
    assert expand_inputs(["docs"]) == [
        "docs/licensed-pharmacies-plan.md",
        "docs/readme-first-proposal.md",
        "docs/security-food-nutrition-proposal.md",
    ]


def test_markdown_variants_are_walked_and_their_inline_disables_count(here):
    from shiftcheck.batch import expand_inputs
    from shiftcheck.waivers import document_disables

    (here / "docs").mkdir()
    (here / "docs" / "a.mdown").write_text(
        "# A\n<!-- shiftcheck: disable sovereignty/parallel-system -->\n"
    )
    (here / "docs" / "b.mkd").write_text("# B\n")
    assert expand_inputs(["docs"]) == ["docs/a.mdown", "docs/b.mkd"]
    assert document_disables("docs/a.mdown") == {"sovereignty/parallel-system"}


@pytest.mark.parametrize(
    "fmt,name", [("markdown", "review.md"), ("terminal", "review.txt"), ("markdown", "all.md")]
)
def test_own_reports_in_the_reviewed_folder_are_skipped(here, capsys, fmt, name):
    _doc(here / "docs", "p.md")
    if name == "all.md":
        _doc(here / "docs", "q.md")
    code, _, err = run(capsys, "review", "docs", "-f", fmt, "-o", f"docs/{name}")
    assert code == 0, err
    from shiftcheck.batch import expand_inputs

    assert f"docs/{name}" not in expand_inputs(["docs"])
    assert expand_inputs([f"docs/{name}"]) == [f"docs/{name}"]  # named, it is read


# --------------------------------------------------------------------------------------------
# defect 5: reader and engine notes reach the report


FENCED = "# A proposal\n\nThe ministry leads the work.\n\n```\ncode, not prose\n```\n"


def test_reader_notes_reach_the_report_from_the_library_and_the_command_line(here, capsys):
    import shiftcheck

    (here / "p.md").write_text(FENCED)
    assert any("fenced code block" in w for w in shiftcheck.review("p.md").warnings)
    code, out, err = run(capsys, "review", "p.md", "-f", "json")
    assert code == 0, err
    assert any("fenced code block" in w for w in json.loads(out)["warnings"])


def test_github_format_of_review_shows_the_reader_notes(here, capsys):
    (here / "p.md").write_text(FENCED)
    code, out, err = run(capsys, "review", "p.md", "-f", "github")
    assert code == 0, err
    assert any(
        line.startswith("::warning file=p.md,") and "fenced code block" in line
        for line in out.splitlines()
    )


def test_engine_notes_reach_the_report(here):
    import shiftcheck

    mini = (ROOT / "tests" / "rubrics" / "mini.yaml").read_text(encoding="utf-8")
    evil = mini.replace(
        "phrases: {en: [beneficiaries], fr: [beneficiaires]}",
        'phrases: {en: [beneficiaries, "re:(a|aa)+(b|c)*x$"], fr: [beneficiaires]}',
    )
    assert evil != mini
    (here / "evil.yaml").write_text(evil)
    (here / "p.txt").write_text(("a" * 5000 + " y. y. y.\n\n") * 20)
    report = shiftcheck.review("p.txt", rubric="evil.yaml")
    assert any("took too long" in w for w in report.warnings)


# --------------------------------------------------------------------------------------------
# the library API


def test_library_review_reads_in_process_by_default(monkeypatch):
    import shiftcheck
    import shiftcheck.sandbox

    def refuse(*a, **k):
        raise AssertionError("the library must not start a child process unless asked")

    monkeypatch.setattr(shiftcheck.sandbox, "read_guarded", refuse)
    report = shiftcheck.review(EXAMPLE)
    assert report.document.words > 0
    with pytest.raises(AssertionError):
        shiftcheck.review(EXAMPLE, guarded=True)


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_review_imports_the_report_writer_while_the_child_reviews(here, capsys, monkeypatch, fmt):
    """The command line hands the review a ``meanwhile`` that imports the chosen format's writer:
    for a DOCX (reviewed in a child) the sandbox runs it once, here, before anything is rendered."""
    import shiftcheck.report

    docx = shutil.copy(ROOT / "examples" / "02-weak-top-down-hiv-ta.docx", here / "d.docx")
    calls: list[tuple[str, str]] = []
    real_prepare, real_render = shiftcheck.report.prepare, shiftcheck.report.render

    def prepare(f: str) -> None:
        calls.append(("prepare", f))
        real_prepare(f)

    def render(f: str, *args, **kwargs):
        calls.append(("render", f))
        return real_render(f, *args, **kwargs)

    monkeypatch.setattr(shiftcheck.report, "prepare", prepare)
    monkeypatch.setattr(shiftcheck.report, "render", render)
    code, out, _ = run(capsys, "review", str(docx), "--format", fmt)
    assert code == 0 and out.strip()
    assert calls == [("prepare", fmt), ("render", fmt)]


def test_prepare_imports_a_format_writer_and_ignores_unknown_names():
    import sys

    from shiftcheck.report import prepare

    prepare("sarif")
    assert "shiftcheck.report.sarif" in sys.modules
    prepare("no-such-format")  # left for render to report


def test_readme_library_example_runs(here):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    shutil.copytree(ROOT / "examples", here / "examples")
    exec(compile(code.group(1), "README.md", "exec"), {})


# --------------------------------------------------------------------------------------------
# commands agree


@pytest.mark.parametrize(
    "name,marker",
    [("d.md", "## shiftcheck diff"), ("d.html", "<!DOCTYPE html>"), ("d.json", '"shifts"')],
)
def test_diff_infers_the_format_from_o(here, capsys, name, marker):
    _doc(here, "old.md")
    (here / "new.md").write_text(EXAMPLE.read_text(encoding="utf-8").split("\n## ", 2)[0] + "\n")
    code, _, err = run(capsys, "diff", "old.md", "new.md", "-o", name)
    assert code == 0, err
    assert marker in (here / name).read_text(encoding="utf-8")


def test_diff_accepts_html_format(here, capsys):
    _doc(here, "old.md")
    _doc(here, "new.md")
    code, out, _ = run(capsys, "diff", "old.md", "new.md", "-f", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", [["review", "p.md"], ["diff", "p.md", "p.md"]])
def test_unknown_output_suffix_is_one_line_naming_the_suffixes(here, capsys, command):
    _doc(here, "p.md")
    code, out, err = run(capsys, *command, "-o", "report.pdf")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "'.pdf'" in err and ".md" in err and ".html" in err and ".sarif" in err
    assert not (here / "report.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["inspect"],
        ["inspect", "p.md", "--max-size", "-1"],
        ["review", "p.md", "--jobs", "x"],
        ["revew"],
    ],
)
def test_usage_errors_are_one_line(here, capsys, args):
    _doc(here, "p.md")
    code, _, err = run(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err


def test_init_writes_rule_ids_that_rubric_test_accepts(here, capsys):
    code, _, _ = run(capsys, "init")
    assert code == 0
    ids = set(
        re.findall(r"\b[a-z0-9-]+/parallel-system\b", (here / ".shiftcheck.yaml").read_text())
    )
    assert ids == {"sovereignty/parallel-system"}
    for rule in (*ids, "shift-2/parallel-system"):  # the shift-N form is an alias
        code, out, err = run(capsys, "rubric", "test", rule)
        assert code == 0, err
        assert "0 failed" in out


def test_help_metavars_read_as_words(capsys):
    code, out, _ = run(capsys, "review", "--help")
    assert code == 0
    assert "--max-size MB" in out and "--timeout SECONDS" in out and "FILE..." in out
    assert "<float" not in out and "{files}" not in out
