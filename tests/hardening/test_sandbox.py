"""shiftcheck.sandbox.read_guarded: same results as read(), plus time/memory limits and crash
isolation. Failure modes are forced by patching the reader module: the forked child inherits it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

import shiftcheck.readers.docx as docx_reader
from shiftcheck import sandbox, sandbox_messages
from shiftcheck.errors import (
    CorruptDocument,
    EncryptedDocument,
    InputError,
    LimitExceeded,
    NoTextError,
)
from shiftcheck.limits import Limits
from shiftcheck.readers import read
from shiftcheck.sandbox import read_guarded

from ..readers.docx_fixtures import make_docx, p
from ..readers.pdfgen import PdfBuilder
from .hardening_util import one_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def small_docx(tmp_path):
    return make_docx(
        tmp_path / "s.docx", p("Heading", "Heading1") + p("The Ministry approves the plan.")
    )


def test_same_document_as_read_for_every_example():
    for f in sorted(EXAMPLES.glob("0*")):
        assert read_guarded(f, display=f.name) == read(f, display=f.name), f.name


def test_pdf_engines_round_trip(tmp_path):
    pdf = PdfBuilder(title="T")
    pdf.page().lines(72, 700, ["1 Introduction", "The county leads the review."])
    f = tmp_path / "a.pdf"
    f.write_bytes(pdf.bytes())
    for engine in ("auto", "pdfium", "pdfminer"):
        assert read_guarded(f, pdf_engine=engine) == read(f, pdf_engine=engine)


def test_errors_pass_through_with_class_and_fields(tmp_path):
    f = tmp_path / "scan.pdf"
    pdf = PdfBuilder()
    pdf.page().image_only()
    f.write_bytes(pdf.bytes())
    with pytest.raises(NoTextError) as e:
        read_guarded(f, display="shown.pdf")
    assert e.value.path == "shown.pdf" and one_line(e.value).startswith("shown.pdf: ")
    with pytest.raises(InputError, match="no such file"):
        read_guarded(tmp_path / "missing.docx")


def test_reader_error_classes_are_rebuilt(small_docx, monkeypatch):
    def refuse(path, display, limits, **kw):
        raise EncryptedDocument(display, "is password-protected", "Remove the password")

    monkeypatch.setattr(docx_reader, "read", refuse)
    with pytest.raises(EncryptedDocument) as e:
        read_guarded(small_docx, display="x.docx")
    assert (e.value.path, e.value.problem, e.value.hint) == (
        "x.docx",
        "is password-protected",
        "Remove the password",
    )


def test_timeout_kills_the_reader(small_docx, monkeypatch):
    def slow(path, display, limits, **kw):
        time.sleep(60)

    monkeypatch.setattr(docx_reader, "read", slow)
    t = time.perf_counter()
    with pytest.raises(LimitExceeded) as e:
        read_guarded(small_docx, display="slow.docx", timeout=1)
    assert time.perf_counter() - t < 5
    assert (
        one_line(e.value)
        == "slow.docx: took longer than 1 s to read. Raise --timeout or split the document"
    )


def test_memory_cap(small_docx, monkeypatch):
    def greedy(path, display, limits, **kw):
        hog = []
        for _ in range(64):
            hog.append(bytearray(64 * 1024 * 1024))  # 4 GB in all
        return None

    monkeypatch.setattr(docx_reader, "read", greedy)
    t = time.perf_counter()
    with pytest.raises(LimitExceeded) as e:
        read_guarded(small_docx, Limits(max_memory_mb=256), display="big.docx")
    assert time.perf_counter() - t < 10
    assert "memory" in one_line(e.value) and "--max-memory" in e.value.line()


@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE])
def test_a_crash_is_one_line(small_docx, monkeypatch, sig):
    def crash(path, display, limits, **kw):
        os.kill(os.getpid(), sig)
        time.sleep(5)

    monkeypatch.setattr(docx_reader, "read", crash)
    with pytest.raises(CorruptDocument) as e:
        read_guarded(small_docx, display="crash.docx")
    assert f"crashed the DOCX reader ({sig.name})" in one_line(e.value)


def test_abrupt_exit_and_bug_are_one_line(small_docx, monkeypatch):
    monkeypatch.setattr(docx_reader, "read", lambda *a, **k: os._exit(3))
    with pytest.raises(CorruptDocument, match="exit code 3"):
        read_guarded(small_docx)
    monkeypatch.setattr(docx_reader, "read", lambda *a, **k: 1 / 0)
    with pytest.raises(CorruptDocument) as e:  # read() itself turns a bug into CorruptDocument
        read_guarded(small_docx)
    assert "ZeroDivisionError" in one_line(e.value)


def test_text_is_read_in_process_unless_big(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_text("# Title\n\nThe Ministry approves the plan.\n", encoding="utf-8")
    forks = []
    real = sandbox._run_forked
    monkeypatch.setattr(sandbox, "_run_forked", lambda *a: forks.append(1) or real(*a))
    assert read_guarded(f) == read(f)
    assert not forks
    assert read_guarded(f, isolate=True) == read(f)
    assert forks


def test_fresh_interpreter_when_threads_are_running(small_docx, tmp_path):
    """With other threads alive fork() is unsafe: ``python -m shiftcheck._worker`` is used."""
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=True)
    t.start()
    try:
        assert read_guarded(small_docx) == read(small_docx)
        bad = tmp_path / "bad.docx"
        bad.write_bytes(small_docx.read_bytes()[:300])
        with pytest.raises(CorruptDocument):
            read_guarded(bad)
        scan = tmp_path / "scan.pdf"
        pdf = PdfBuilder()
        pdf.page().image_only()
        scan.write_bytes(pdf.bytes())
        with pytest.raises(NoTextError):
            read_guarded(scan, display="s.pdf")
    finally:
        stop.set()
        t.join()


def test_damaged_message_from_child_is_one_line():
    with pytest.raises(CorruptDocument):
        sandbox_messages.document_outcome(b"D{not json", 0, "f.pdf", "pdf", Limits())
    with pytest.raises(CorruptDocument):
        sandbox_messages.document_outcome(
            b'E["os.system", null, "x", "y"]', 0, "f.pdf", "pdf", Limits()
        )


def test_fresh_interpreter_timeout_and_crash(small_docx, monkeypatch):
    import subprocess

    real = subprocess.Popen

    def sleeper(cmd, **kw):  # a worker that never answers
        return real([cmd[0], "-c", "import time; time.sleep(60)"], **kw)

    monkeypatch.setattr(subprocess, "Popen", sleeper)
    t = time.perf_counter()
    with pytest.raises(LimitExceeded, match="took longer than 1 s"):
        sandbox._run_subprocess((str(small_docx), {}, "auto", "x"), 1, "x")
    assert time.perf_counter() - t < 5

    def segv(cmd, **kw):
        return real([cmd[0], "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"], **kw)

    monkeypatch.setattr(subprocess, "Popen", segv)
    raw, status = sandbox._run_subprocess((str(small_docx), {}, "auto", "x"), 10, "x")
    with pytest.raises(CorruptDocument, match="SIGSEGV"):
        sandbox_messages.document_outcome(raw, status, "x", "docx", Limits())
