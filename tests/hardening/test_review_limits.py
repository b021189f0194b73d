"""--timeout and --max-memory bound the whole review, analysis included (issue 14).

Before, the guard covered the reader only: a 4 MB single-line .txt with ``--timeout 2`` ran 47 s
(the engine's time was never counted) and the engine could take any memory. Now a document read
in the sandbox's child is also analysed there (the Report comes back as JSON, identical), and a
document read in-process is analysed under a timer for what is left of the timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import shiftcheck.engine
from shiftcheck.api import review
from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits

from .hardening_util import one_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DOCX = EXAMPLES / "02-weak-top-down-hiv-ta.docx"
MARKDOWN = EXAMPLES / "01-strong-state-led-nutrition.md"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("0*")), ids=lambda p: p.name)
def test_a_guarded_review_is_the_same_report(path):
    assert review(path, guarded=True) == review(path, guarded=False)


def test_a_text_reviewed_in_the_child_is_the_same_report(tmp_path):
    """A text of 1 MB or more is read and analysed in the child."""
    from shiftcheck import sandbox

    big = tmp_path / "big.md"
    text = MARKDOWN.read_text(encoding="utf-8")
    big.write_text(
        text + "\n" + "Padding words for the threshold. " * ((sandbox.TEXT_THRESHOLD // 33) + 10),
        encoding="utf-8",
    )
    assert big.stat().st_size >= sandbox.TEXT_THRESHOLD
    children = []
    real_fork = os.fork

    def counting_fork():
        children.append(1)
        return real_fork()

    try:
        os.fork = counting_fork
        guarded = review(big, guarded=True)
    finally:
        os.fork = real_fork
    assert children == [1]  # one child for the read and the analysis
    assert guarded == review(big, guarded=False)


def _slow_analysis(monkeypatch):
    real = shiftcheck.engine.analyze

    def slow(*args, **kwargs):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # pure Python work, like the engine's
            sum(range(1000))
        return real(*args, **kwargs)

    monkeypatch.setattr(shiftcheck.engine, "analyze", slow)


@pytest.mark.parametrize("path", [DOCX, MARKDOWN], ids=["in-the-child", "in-process"])
def test_an_analysis_past_the_timeout_is_stopped_with_one_line(monkeypatch, path):
    _slow_analysis(monkeypatch)
    t = time.perf_counter()
    with pytest.raises(LimitExceeded) as e:
        review(path, guarded=True, limits=Limits(timeout=1), display=path.name)
    took = time.perf_counter() - t
    assert (
        one_line(e.value)
        == f"{path.name}: took longer than 1 s to review. Raise --timeout or split the document"
    )
    assert took < 5, took


def test_the_in_process_timer_is_removed_after_the_review():
    import signal

    before = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    review(MARKDOWN, guarded=True, limits=Limits(timeout=5))
    assert (signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)) == before


def test_an_analysis_past_the_memory_cap_is_stopped_with_one_line(monkeypatch):
    def greedy(*args, **kwargs):
        hoard = []
        for _ in range(64):
            hoard.append(bytearray(32 * 1024 * 1024))  # 2 GB in all, unless stopped
        raise AssertionError("the memory cap did not hold")

    monkeypatch.setattr(shiftcheck.engine, "analyze", greedy)
    with pytest.raises(LimitExceeded) as e:
        review(DOCX, guarded=True, limits=Limits(max_memory_mb=300), display="big.docx")
    assert (
        one_line(e.value)
        == "big.docx: needs more than the 300 MB memory limit to review. Raise --max-memory or split the document"
    )


def test_cli_four_megabytes_of_text_stop_at_the_timeout(tmp_path):
    """The issue's row: a 4 MB single-line .txt with --timeout 2 ran 47 s; now ~2 s, exit 2."""
    words = [
        "the",
        "ministry",
        "of",
        "health",
        "chairs",
        "the",
        "steering",
        "committee",
        "and",
        "approves",
        "the",
        "annual",
        "workplan",
    ]
    line = " ".join(words[i % len(words)] for i in range(600_000))[: 4 * 1024 * 1024]
    (tmp_path / "big.txt").write_text(line + "\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "shiftcheck", "review", "big.txt", "--timeout", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    took = time.perf_counter() - t
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("big.txt: took longer than 2 s to ") and "--timeout" in lines[0]
    assert took < 8, took


def test_a_systemerror_at_the_memory_cap_is_the_memory_line(monkeypatch):
    """A 50 MB text ran the engine into the cap inside C code, which said "SystemError: error
    return without exception set": reported as damaged ("could not be read as TEXT"). A failure
    at the cap is the memory line."""

    def greedy(*args, **kwargs):
        hoard = []
        try:
            for _ in range(64):
                hoard.append(bytearray(32 * 1024 * 1024))
        except MemoryError:
            raise SystemError("error return without exception set") from None
        raise AssertionError("the memory cap did not hold")

    monkeypatch.setattr(shiftcheck.engine, "analyze", greedy)
    with pytest.raises(LimitExceeded) as e:
        review(DOCX, guarded=True, limits=Limits(max_memory_mb=300), display="big.docx")
    assert (
        one_line(e.value)
        == "big.docx: needs more than the 300 MB memory limit to review. Raise --max-memory or split the document"
    )


def test_meanwhile_runs_here_while_the_child_reviews():
    """``meanwhile`` (the command line imports the report writer with it) runs once, in this
    process, after the child has started: the report is the one a plain guarded review gives."""
    calls: list[tuple[int, int]] = []
    real_fork = os.fork
    forks: list[int] = []

    def counting_fork():
        forks.append(1)
        return real_fork()

    def meanwhile():
        calls.append((os.getpid(), len(forks)))

    try:
        os.fork = counting_fork
        report = review(DOCX, guarded=True, meanwhile=meanwhile)
    finally:
        os.fork = real_fork
    assert calls == [(os.getpid(), 1)]  # here, once, the child already forked
    assert report == review(DOCX, guarded=True)


def test_meanwhile_is_not_called_without_a_child_and_its_errors_are_dropped():
    calls = []
    review(MARKDOWN, guarded=True, meanwhile=lambda: calls.append(1))
    assert calls == []  # a small Markdown file is reviewed in this process: nothing to overlap

    def broken():
        raise ImportError("no such writer")

    assert review(DOCX, guarded=True, meanwhile=broken) == review(DOCX, guarded=True)


def test_ctrl_c_during_meanwhile_stops_the_child(monkeypatch):
    children: list[int] = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fork", recording_fork)
    with pytest.raises(KeyboardInterrupt):
        review(DOCX, guarded=True, meanwhile=interrupted)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # killed and reaped: no child left behind
        os.waitpid(children[0], os.WNOHANG)
