"""Hostile rubrics (unsafe YAML tags, catastrophic regexes) and output path tricks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from shiftcheck.api import review
from shiftcheck.document import Block, Document
from shiftcheck.errors import RubricError, UsageError
from shiftcheck.output import write_atomic
from shiftcheck.rubric.loader import load_rubric_text

MINI = Path(__file__).resolve().parents[1] / "rubrics" / "mini.yaml"
PHRASES = "phrases: {en: [beneficiaries], fr: [beneficiaires]}"


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
    ],
)
def test_python_yaml_tags_are_refused(tmp_path, tag):
    marker = tmp_path / "pwned"
    text = MINI.read_text(encoding="utf-8")
    evil = text.replace("id: ", f"x_evil: {tag.format(marker=marker)}\nid: ", 1)
    assert evil != text
    with pytest.raises(RubricError) as e:
        load_rubric_text(evil, "evil.yaml")
    assert e.value.line().startswith("evil.yaml")
    assert not marker.exists()


def test_top_level_python_object_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(RubricError):
        load_rubric_text(f"!!python/object/apply:os.system ['touch {marker}']\n", "evil.yaml")
    assert not marker.exists()


def test_catastrophic_regex_cannot_hang_a_review():
    text = MINI.read_text(encoding="utf-8")
    assert PHRASES in text
    evil = text.replace(PHRASES, 'phrases: {en: [beneficiaries, "re:(a+)+$"], fr: [beneficiaires]}')
    rubric = load_rubric_text(evil, "evil.yaml")
    hostile = "a" * 30_000 + "b"
    doc = Document(
        path="evil.txt", format="text", blocks=[Block(text=hostile, index=i) for i in range(1, 21)]
    )
    t = time.perf_counter()
    report = review(doc, rubric, lang="en")
    assert time.perf_counter() - t < 10
    assert report.shifts


def test_output_never_replaces_an_input(tmp_path):
    src = tmp_path / "proposal.md"
    src.write_text("precious", encoding="utf-8")
    with pytest.raises(UsageError, match="input"):
        write_atomic(src, "report", inputs=[src])
    link = tmp_path / "link.md"
    os.symlink(src, link)
    with pytest.raises(UsageError):
        write_atomic(link, "report", inputs=[src])
    hard = tmp_path / "hard.md"
    os.link(src, hard)
    with pytest.raises(UsageError):
        write_atomic(hard, "report", inputs=[src])
    assert src.read_text(encoding="utf-8") == "precious"


def test_output_through_a_folder_created_by_mkdir_never_replaces_an_input(tmp_path):
    src = tmp_path / "proposal.md"
    src.write_text("precious", encoding="utf-8")
    with pytest.raises(UsageError):
        write_atomic(
            tmp_path / "sub" / ".." / "proposal.md", "report", inputs=[src], make_parents=True
        )
    assert src.read_text(encoding="utf-8") == "precious"


def test_output_needs_an_existing_folder_unless_asked(tmp_path):
    target = tmp_path / "missing" / "deeper" / "report.json"
    with pytest.raises(UsageError) as e:
        write_atomic(target, "{}")
    assert "does not exist" in e.value.line() and "\n" not in e.value.line()
    assert not target.parent.exists()
    write_atomic(target, "{}", make_parents=True)
    assert target.read_text(encoding="utf-8") == "{}"


def test_output_to_a_folder_is_refused_and_nothing_is_left_behind(tmp_path):
    with pytest.raises(UsageError, match="folder"):
        write_atomic(tmp_path, "x")
    out = tmp_path / "r.txt"
    write_atomic(out, "one")
    write_atomic(out, "two")
    assert out.read_text(encoding="utf-8") == "two"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.txt"]


def test_output_to_a_fifo_writes_into_it(tmp_path):
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so that a writer never blocks
    try:
        write_atomic(fifo, "report")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(fd, 100) == b"report"
    finally:
        os.close(fd)


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
def test_report_files_get_ordinary_permissions_not_private_temp_ones(tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "report.md"
        write_atomic(out, "# report\n")
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)  # a replaced file keeps its own mode
        write_atomic(out, "# report v2\n")
        assert out.stat().st_mode & 0o777 == 0o640 and out.read_text() == "# report v2\n"
    finally:
        os.umask(old)
