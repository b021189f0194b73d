"""Mutation fuzzing (hypothesis): damaged DOCX and PDF files give a Document or one one-line
InputError through the sandbox, never another exception. The long run is bench/fuzz.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import fuzz  # bench/fuzz.py: the mutators
from shiftcheck.document import Document
from shiftcheck.errors import InputError
from shiftcheck.limits import Limits
from shiftcheck.sandbox import read_guarded

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
TIMEOUT = 5.0


def _seeds(kind: str) -> list[tuple[str, bytes]]:
    seeds = (
        [("python-docx", fuzz.python_docx_seed())]
        if kind == "docx"
        else list(zip(("pdfgen", "pdfgen-flate"), fuzz.pdfgen_seeds(), strict=True))
    )
    seeds += [(p.name, p.read_bytes()) for p in sorted((ROOT / "examples").glob(f"*.{kind}"))]
    if CORPUS.is_dir():  # small corpus files only: keeps the run short
        small = sorted(
            (p for p in (CORPUS / kind).glob(f"*.{kind}") if 0 < p.stat().st_size <= 40_000),
            key=lambda p: p.name,
        )
        seeds += [(p.name, p.read_bytes()) for p in small[:12]]
    return seeds


DOCX_SEEDS = _seeds("docx")
PDF_SEEDS = _seeds("pdf")


def check(tmp_path: Path, kind: str, data: bytes, engine: str = "auto") -> None:
    f = tmp_path / f"fuzzed.{kind}"
    f.write_bytes(data)
    try:
        doc = read_guarded(
            f,
            Limits(timeout=TIMEOUT, max_memory_mb=1024),
            pdf_engine=engine,
            display="fuzzed",
            timeout=TIMEOUT,
        )
    except InputError as e:
        line = e.line()
        assert "\n" not in line and line.startswith("fuzzed: "), line
        return
    assert isinstance(doc, Document)


#: a fixed seed (derandomize): CI runs the same 45 cases each time; bench/fuzz.py explores
SETTINGS = settings(
    max_examples=45,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)

pytestmark = pytest.mark.slow  # '-m "not slow"' skips them locally; CI runs them


@SETTINGS
@given(
    seed=st.sampled_from(DOCX_SEEDS),
    op=st.sampled_from(sorted(fuzz.DOCX_MUTATORS)),
    rng=st.integers(0, 2**31 - 1),
)
def test_mutated_docx(tmp_path_factory, seed, op, rng):
    check(tmp_path_factory.mktemp("docx"), "docx", fuzz.mutate("docx", op, seed[1], rng))


@SETTINGS
@given(
    seed=st.sampled_from(PDF_SEEDS),
    op=st.sampled_from(sorted(fuzz.PDF_MUTATORS)),
    rng=st.integers(0, 2**31 - 1),
    engine=st.sampled_from(["auto", "pdfminer"]),
)
def test_mutated_pdf(tmp_path_factory, seed, op, rng, engine):
    check(tmp_path_factory.mktemp("pdf"), "pdf", fuzz.mutate("pdf", op, seed[1], rng), engine)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_mutator_changes_its_seed(kind):
    seeds = DOCX_SEEDS if kind == "docx" else PDF_SEEDS
    for op in fuzz.MUTATORS[kind]:
        changed = sum(fuzz.mutate(kind, op, seeds[0][1], r) != seeds[0][1] for r in range(5))
        assert changed >= 3, op


def test_corpus_seeds_are_used_when_present():
    if not CORPUS.is_dir():
        pytest.skip("no ../shared/corpus")
    assert len(DOCX_SEEDS) > 3 and len(PDF_SEEDS) > 4
