"""PDFium's pages read in forked workers (readers/pdf/parallel.py): the same lines, pages,
warnings and Document as the serial loop, and a worker that fails is read serially instead."""

from __future__ import annotations

import io
import os
import signal
import threading
from pathlib import Path

import pytest

from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers.pdf import extract_pdfium, parallel
from shiftcheck.readers.pdf import read as read_pdf
from shiftcheck.readers.pdf.lines import PdfText

from .pdfgen import PdfBuilder

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

PAGES = 14


def _long_pdf() -> PdfBuilder:
    """Pages with a running header, page numbers, headings, paragraphs running over page breaks,
    two-column pages and a list: enough for every layout rule to see all the pages at once."""
    pdf = PdfBuilder(title="Parallel reading test")
    for n in range(1, PAGES + 1):
        p = pdf.page()
        p.text(72, 760, "Project Alpha - confidential draft", size=9)
        p.text(72, 700, f"Section {n}", size=16, bold=True)
        if n % 3 == 0:  # two columns
            for x in (72, 320):
                p.lines(
                    x,
                    670,
                    [
                        f"Column text {x} on page {n} about",
                        "district teams deciding on",
                        "their own.",
                    ]
                    * 4,
                    size=10,
                )
        else:
            y = p.lines(
                72,
                675,
                [
                    f"Body text of page {n} explains what the district teams decide on their own,",
                    "with the ministry deciding which districts take part and when support ends.",
                    "Local partners lead every activity.",
                ],
            )
            p.text(72, y - 10, f"• item {n} of the list", size=11)
            # the last line runs on to the next page (a paragraph across the break)
            p.lines(72, 80, ["This paragraph continues on the following page with more text"])
        p.text(280, 40, f"Page {n} of {PAGES}", size=9)
    return pdf


@pytest.fixture
def long_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "long.pdf"
    path.write_bytes(_long_pdf().bytes())
    return path


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> int:
    """Three workers of at least 3 pages each (14 pages: ranges of 4, 5 and 5 pages)."""
    monkeypatch.setattr(parallel, "PAGES_PER_WORKER", 3)
    monkeypatch.setattr(parallel, "worker_count", lambda: 3)
    # pytest plugins may run threads; the children here only read the file
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    return 3


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PAGES_PER_WORKER", 0)


def _serial_then_parallel(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> PdfText:
    """The serial loop's lines of ``pdf``; from then on, a worker for every 3 pages."""
    _serial(monkeypatch)
    expected = extract_pdfium.extract(pdf, "long.pdf", Limits())
    monkeypatch.setattr(parallel, "PAGES_PER_WORKER", 3)
    return expected


def _mark_workers(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Each forked worker leaves a file in ``folder`` when it opens the PDF."""
    opened = extract_pdfium._open_in_worker

    def marked(path: Path):
        (folder / f"worker-{os.getpid()}").touch()
        return opened(path)

    monkeypatch.setattr(extract_pdfium, "_open_in_worker", marked)


@pytest.mark.parametrize(("runnable", "expected"), [(1, 4), (2, 3), (4, 1), (40, 1)])
def test_workers_only_on_idle_cores(
    monkeypatch: pytest.MonkeyPatch, runnable: int, expected: int
) -> None:
    """/proc/loadavg's runnable tasks include this process: 4 cores, 1 runnable -> 4 workers."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    loadavg = f"2.00 1.50 1.00 {runnable}/300 4242\n".encode()
    monkeypatch.setattr(parallel, "open", lambda *a: io.BytesIO(loadavg), raising=False)
    assert parallel.worker_count() == expected


def test_worker_count_without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object) -> None:
        raise FileNotFoundError("/proc/loadavg")

    monkeypatch.setattr(parallel, "open", missing, raising=False)
    assert 1 <= parallel.worker_count() <= (os.cpu_count() or 1)


def test_split_is_contiguous_and_covers_every_page(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    assert parallel.split(14) == [(0, 4), (4, 9), (9, 14)]
    assert parallel.split(7) == [(0, 3), (3, 7)]  # 2 workers of at least 3 pages
    assert parallel.split(5) == [(0, 5)]  # too short to split
    monkeypatch.setattr(parallel, "worker_count", lambda: 1)
    assert parallel.split(100) == [(0, 100)]


def test_split_is_serial_when_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PAGES_PER_WORKER", 3)
    monkeypatch.setattr(parallel, "worker_count", lambda: 4)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.split(100) == [(0, 100)]
    finally:
        stop.set()
        thread.join()


def test_parallel_pages_and_document_equal_the_serial_ones(
    long_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    _mark_workers(monkeypatch, marks)
    together = extract_pdfium.extract(long_pdf, "long.pdf", Limits())
    doc_together = read_pdf(long_pdf, "long.pdf", Limits(), engine="pdfium")
    assert len(list(marks.iterdir())) == 2 * (workers - 1)  # two reads, each forked two workers
    _serial(monkeypatch)
    alone = extract_pdfium.extract(long_pdf, "long.pdf", Limits())
    doc_alone = read_pdf(long_pdf, "long.pdf", Limits(), engine="pdfium")
    assert len(list(marks.iterdir())) == 2 * (workers - 1)  # no more workers

    assert [p.number for p in together.pages] == list(range(1, PAGES + 1))
    assert together == alone  # every page, line, box, size, weight, title and warning
    assert doc_together == doc_alone  # every block, its kind, page, heading path; the title
    assert any(b.page == PAGES for b in doc_together.body())


@pytest.mark.parametrize("how", ["raises", "killed", "garbage", "wrong pages"])
def test_a_failed_worker_is_read_serially(
    long_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, how: str
) -> None:
    expected = _serial_then_parallel(long_pdf, monkeypatch)
    marks = tmp_path / "marks"
    marks.mkdir()
    encode = extract_pdfium._encode

    def fail(pages, failed) -> bytes:
        (marks / f"worker-{os.getpid()}").touch()
        if how == "raises":
            raise RuntimeError("worker failed")
        if how == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "garbage":
            return b"not a pickle"
        return encode(pages[1:], failed)  # a page missing

    monkeypatch.setattr(extract_pdfium, "_encode", fail)
    got = extract_pdfium.extract(long_pdf, "long.pdf", Limits())
    assert len(list(marks.iterdir())) == workers - 1  # the workers did run, and failed
    assert got == expected


def test_a_worker_that_cannot_open_the_file_is_read_serially(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    expected = _serial_then_parallel(long_pdf, monkeypatch)

    def refuse(path: Path):
        raise OSError("gone")

    monkeypatch.setattr(extract_pdfium, "_open_in_worker", refuse)
    assert extract_pdfium.extract(long_pdf, "long.pdf", Limits()) == expected


def test_a_worker_that_finds_another_file_is_read_serially(
    long_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The file replaced between the parent's open and a worker's: the parent's file wins."""
    expected = _serial_then_parallel(long_pdf, monkeypatch)
    other = tmp_path / "other.pdf"
    shorter = _long_pdf()
    del shorter.pages[-1]
    other.write_bytes(shorter.bytes())
    opened = extract_pdfium._open_in_worker
    monkeypatch.setattr(extract_pdfium, "_open_in_worker", lambda path: opened(other))
    assert extract_pdfium.extract(long_pdf, "long.pdf", Limits()) == expected


def test_a_fork_that_fails_is_read_serially(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    expected = _serial_then_parallel(long_pdf, monkeypatch)

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    assert extract_pdfium.extract(long_pdf, "long.pdf", Limits()) == expected


def test_limits_give_the_serial_errors(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    with pytest.raises(LimitExceeded) as err:
        read_pdf(long_pdf, "long.pdf", Limits(max_pages=PAGES - 1), engine="pdfium")
    assert f"has {PAGES} pages, over the {PAGES - 1}-page limit" in err.value.line()

    clock = iter(range(0, 100000, 10))  # every look at the clock is 10 s later
    monkeypatch.setattr(
        "shiftcheck.readers.pdf.content_size.time.monotonic", lambda: float(next(clock))
    )
    with pytest.raises(LimitExceeded) as err:
        read_pdf(long_pdf, "slow.pdf", Limits(timeout=5), engine="pdfium")
    line = err.value.line()
    assert f"slow.pdf: took more than 5 s to read (stopped at page 1 of {PAGES})" in line, line


def test_a_timeout_in_a_worker_names_a_page_of_its_range(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The parent's own pages are in time, a worker's are not: the worker gives up, its range is
    read here and stops at its first page, with the serial loop's line."""
    import time

    real = time.monotonic
    parent = os.getpid()
    # in the children the read started long ago; in the parent just now
    monkeypatch.setattr(
        "shiftcheck.readers.pdf.content_size.time.monotonic",
        lambda: real() + (0.0 if os.getpid() == parent else 1000.0),
    )
    pages = {"n": 0}
    read_range = extract_pdfium._read_range

    def counted(doc, start, stop, *args):
        if os.getpid() == parent and start > 0:  # the parent reads a failed worker's range
            monkeypatch.setattr(
                "shiftcheck.readers.pdf.content_size.time.monotonic", lambda: real() + 1000.0
            )
            pages["n"] += 1
        return read_range(doc, start, stop, *args)

    monkeypatch.setattr(extract_pdfium, "_read_range", counted)
    with pytest.raises(LimitExceeded) as err:
        read_pdf(long_pdf, "slow.pdf", Limits(timeout=60), engine="pdfium")
    assert pages["n"] == 1
    line = err.value.line()
    assert f"slow.pdf: took more than 60 s to read (stopped at page 5 of {PAGES})" in line, line
