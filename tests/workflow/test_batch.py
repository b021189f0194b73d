from __future__ import annotations

import functools
import os

from shiftcheck.batch import expand_inputs, review_one, run_batch
from shiftcheck.errors import EncryptedDocument
from shiftcheck.model import DocumentError, Report

from .helpers import make_report


def fake_review(path: str, marker: str = "") -> Report:
    """Top-level, so worker processes can unpickle it."""
    if "broken" in path:
        raise EncryptedDocument(path, "is encrypted", "Remove the password and save a copy")
    if "crash" in path:
        raise ValueError("boom")
    report = make_report(path)
    report.document.title = f"{marker}{os.getpid()}"
    return report


def touch(root, *names):
    for n in names:
        p = root / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")


def test_expand_files_dirs_globs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    touch(
        tmp_path,
        "docs/b.docx",
        "docs/a.md",
        "docs/sub/c.pdf",
        "docs/~$b.docx",
        "docs/.git/x.md",
        "docs/image.png",
        "docs/notes.markdown",
        "docs/readme.txt",
        "z.md",
        "other/y.MD",
    )
    got = expand_inputs(
        ["z.md", "docs", "missing.docx", "other/*.md", "docs/a.md", "./z.md", "nothing/*.pdf"]
    )
    assert got == [
        "z.md",
        os.path.join("docs", "a.md"),
        os.path.join("docs", "b.docx"),
        os.path.join("docs", "notes.markdown"),
        os.path.join("docs", "sub", "c.pdf"),
        "missing.docx",  # kept: the reader reports it
        "other/*.md",  # globs are case-sensitive: y.MD does not match, so the glob is kept
        "nothing/*.pdf",  # a glob matching nothing is kept too
    ]
    assert expand_inputs(["other/*.MD"]) == ["other/y.MD"]
    assert expand_inputs(["docs/**/*.pdf"]) == ["docs/sub/c.pdf"]


def test_explicit_file_is_kept_whatever_its_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, "~$lock.docx", "image.png")
    assert expand_inputs(["~$lock.docx", "image.png"]) == ["~$lock.docx", "image.png"]


def test_review_one_turns_errors_into_entries():
    err = review_one(fake_review, "broken.pdf")
    assert isinstance(err, DocumentError)
    assert err.kind == "encrypted"
    assert err.error == "broken.pdf: is encrypted. Remove the password and save a copy"
    internal = review_one(fake_review, "crash.md")
    assert internal.kind == "internal" and "ValueError: boom" in internal.error


def test_batch_sequential_order_and_error_in_middle():
    paths = ["a.md", "broken.docx", "c.md"]
    out = run_batch(paths, fake_review, jobs=1)
    assert [type(r).__name__ for r in out] == ["Report", "DocumentError", "Report"]
    assert [r.path if isinstance(r, DocumentError) else r.document.path for r in out] == paths


def test_batch_parallel_keeps_input_order_with_error_in_middle():
    paths = [f"doc{i}.md" for i in range(5)] + ["broken.pdf"] + [f"doc{i}.md" for i in range(5, 9)]
    out = run_batch(paths, functools.partial(fake_review, marker="pid:"), jobs=2)
    assert len(out) == len(paths)
    for p, r in zip(paths, out, strict=True):
        if p == "broken.pdf":
            assert isinstance(r, DocumentError) and r.error.startswith("broken.pdf: is encrypted")
        else:
            assert isinstance(r, Report) and r.document.path == p
    pids = {r.document.title for r in out if isinstance(r, Report)}
    assert all(t.startswith("pid:") for t in pids)
    assert f"pid:{os.getpid()}" not in pids  # really ran in workers


def test_batch_progress_off_when_not_a_tty(capsys):
    out = run_batch(["a.md", "b.md"], fake_review, jobs=1, progress=True)
    assert len(out) == 2
    assert capsys.readouterr().err == ""


def test_empty_batch():
    assert run_batch([], fake_review, jobs=4) == []


def flagged_review(path: str, **options) -> Report:
    """Top-level: a report with one error red flag; 'broken' paths fail to read."""
    from .helpers import flag, shift

    if "broken" in path:
        raise EncryptedDocument(path, "is encrypted", "Remove the password")
    return make_report(
        path,
        [
            shift(1, 2),
            shift(2, 1, flags=[flag("parallel-system", f"a PIU in {path}", severity="error")]),
        ],
    )


def workflow_project(tmp_path, monkeypatch, config: str, waivers: str | None = None):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".shiftcheck.yaml").write_text(config)
    if waivers is not None:
        (tmp_path / ".shiftcheck-waivers.yaml").write_text(waivers)
    touch(tmp_path, "docs/a.md", "docs/b.md")


def test_review_documents_gate_waivers_and_exit_codes(tmp_path, monkeypatch):
    import datetime as dt

    from shiftcheck.config import load_config
    from shiftcheck.service import review_documents

    workflow_project(
        tmp_path,
        monkeypatch,
        "fail_level: error\njobs: 2\n",
        "waivers:\n  - rule: shift-2/parallel-system\n    document: docs/a.md\n    reason: lender rule\n    approved_by: J\n"
        "  - rule: shift-9/inform-only\n    document: docs/*.md\n    reason: r\n    approved_by: J\n    expires: 2020-01-01\n",
    )
    out = review_documents(
        ["docs"], load_config(), today=dt.date(2026, 11, 23), review_fn=flagged_review
    )
    assert [e.document.path for e in out.gated] == ["docs/a.md", "docs/b.md"]
    assert out.exit_code == 1
    assert out.gate[0].passed and not out.gate[1].passed
    msgs = out.messages()
    assert msgs[0].startswith("docs/b.md: red flag shift-2/parallel-system (error)")
    assert any(": expired: waiver for shift-9/inform-only" in m for m in msgs)
    # exit_zero keeps 0 on gate failure, 2 on an input error
    eff = load_config(cli={"exit_zero": True})
    assert review_documents(["docs"], eff, review_fn=flagged_review).exit_code == 0
    out = review_documents(["docs", "broken.pdf"], eff, review_fn=flagged_review)
    assert out.exit_code == 2
    assert out.messages()[0] == "broken.pdf: is encrypted. Remove the password"


def test_reviewer_is_picklable_and_applies_overrides(tmp_path, monkeypatch):
    import pickle

    from shiftcheck.config import load_config
    from shiftcheck.service import Reviewer

    workflow_project(
        tmp_path,
        monkeypatch,
        "rubric: rubrics/main.yaml\nlang: fr\nlimits:\n  timeout: 7\noverrides:\n  - paths: ['docs/b.md']\n    lang: auto\n    rubric: other\n",
    )
    r = pickle.loads(pickle.dumps(Reviewer(load_config(), fn=flagged_review)))
    a = r.options_for("docs/a.md")
    assert (
        a["rubric"] == os.path.join("rubrics", "main.yaml")
        and a["lang"] == "fr"
        and a["limits"].timeout == 7
    )
    b = r.options_for("docs/b.md")
    assert b["rubric"] == "other" and b["lang"] is None and b["display"] == "docs/b.md"
    assert r("docs/a.md").document.path == "docs/a.md"


def test_the_reviewer_the_command_line_builds_crosses_to_batch_workers(tmp_path, monkeypatch):
    """``--jobs`` sends the Reviewer to worker processes: with its ``meanwhile`` (the report
    writer's import) it still pickles, and the copy options the same review."""
    import functools
    import pickle

    from shiftcheck.config import load_config
    from shiftcheck.report import prepare
    from shiftcheck.service import Reviewer

    monkeypatch.chdir(tmp_path)
    reviewer = Reviewer(load_config(), meanwhile=functools.partial(prepare, "markdown"))
    copy = pickle.loads(pickle.dumps(reviewer))
    theirs, ours = copy.options_for("a.docx"), reviewer.options_for("a.docx")
    prep = theirs.pop("meanwhile")
    assert (prep.func, prep.args) == (prepare, ("markdown",))
    ours.pop("meanwhile")
    assert theirs == ours


def test_bad_waivers_file_stops_the_run(tmp_path, monkeypatch):
    import pytest

    from shiftcheck.config import ConfigError, load_config
    from shiftcheck.service import review_documents

    workflow_project(
        tmp_path, monkeypatch, "fail_level: error\n", "waivers:\n  - rule: x\n    document: '*'\n"
    )
    with pytest.raises(ConfigError) as e:
        review_documents(["docs"], load_config(), review_fn=flagged_review)
    assert e.value.line().startswith(".shiftcheck-waivers.yaml:2: waiver 1: missing key 'reason'")


def test_current_folder_paths_have_no_dot_prefix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, "a.md", "sub/b.pdf")
    assert expand_inputs(["."]) == ["a.md", os.path.join("sub", "b.pdf")]


def test_progress_bar_on_a_tty_does_not_disturb_results(monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    for jobs in (1, 2):
        out = run_batch(["a.md", "broken.md", "c.md"], fake_review, jobs=jobs, progress=True)
        assert [type(r).__name__ for r in out] == ["Report", "DocumentError", "Report"]


def test_no_documents_is_a_usage_error(tmp_path, monkeypatch):
    import pytest

    from shiftcheck.config import load_config
    from shiftcheck.errors import UsageError
    from shiftcheck.service import review_documents

    workflow_project(tmp_path, monkeypatch, "")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError) as e:
        review_documents(["empty"], load_config(), review_fn=flagged_review)
    assert (
        e.value.line()
        == "empty: holds no document to review. Pass .docx, .docm, .pdf, .md, .markdown, .mdown, .mkd, .mkdn, .txt, .text files, folders, or quoted globs"
    )
    assert e.value.exit_code == 2
