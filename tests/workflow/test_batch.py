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
    touch(tmp_path, "docs/b.docx", "docs/a.md", "docs/sub/c.pdf", "docs/~$b.docx", "docs/.git/x.md",
          "docs/image.png", "docs/notes.markdown", "docs/readme.txt", "z.md", "other/y.MD")
    got = expand_inputs(["z.md", "docs", "missing.docx", "other/*.md", "docs/a.md", "./z.md", "nothing/*.pdf"])
    assert got == [
        "z.md",
        os.path.join("docs", "a.md"),
        os.path.join("docs", "b.docx"),
        os.path.join("docs", "notes.markdown"),
        os.path.join("docs", "readme.txt"),
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
