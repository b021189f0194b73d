#!/usr/bin/env python3
"""Engine speed: everything after reading (normalize, match, context, score) on a ~100,000-word
document, against pdfminer.six reading the same kind of text from a PDF.

Usage: python bench/engine_speed.py [PDF] [--words 100000] [--rubric NAME|PATH]

The PDF defaults to ../shared/corpus/synthetic/synthetic-proposal.pdf. Its blocks (read once with
shiftcheck's reader) are repeated, each copy made unique, until the document holds --words words.
pdfminer's ``extract_text`` is timed on the PDF itself and scaled to the same number of words.
Target (issue 3): engine time < 1/10 of pdfminer's time for the same text.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF = ROOT.parent / "shared" / "corpus" / "synthetic" / "synthetic-proposal.pdf"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--rubric", default=None)
    args = ap.parse_args()

    from pdfminer.high_level import extract_text

    from shiftcheck.document import Document
    from shiftcheck.engine import analyze
    from shiftcheck.readers import read
    from shiftcheck.rubric import load_rubric
    from shiftcheck.scoring import score_criterion

    t = time.perf_counter()
    text = extract_text(str(args.pdf))
    pdfminer_s = time.perf_counter() - t
    pdf_words = len(text.split())

    base = read(args.pdf)
    blocks = []
    copy = 0
    words = 0
    while words < args.words:
        copy += 1
        for b in base.blocks:
            nb = replace(b, text=f"{b.text} (copy {copy})" if b.text else b.text)
            blocks.append(nb)
        words = Document(path="x", format="pdf", blocks=blocks).words
    doc = Document(
        path="bench", format="pdf", blocks=blocks, pages=(base.pages or 0) * copy
    ).renumber()
    rubric = load_rubric(args.rubric)

    t = time.perf_counter()
    analysis = analyze(doc, rubric, "en")
    t_an = time.perf_counter() - t
    t = time.perf_counter()
    for c in rubric.criteria:
        score_criterion(rubric, c, analysis.matches)
    t_sc = time.perf_counter() - t
    engine_s = t_an + t_sc
    pdfminer_same = pdfminer_s / pdf_words * doc.words

    print(
        f"rubric: {rubric.id} {rubric.version}; document: {doc.words} words, {len(doc.blocks)} blocks, {len(analysis.units)} sentences"
    )
    print(
        f"pdfminer extract_text: {pdfminer_s:.2f} s for {pdf_words} words -> {pdfminer_same:.2f} s for {doc.words} words"
    )
    for k, v in analysis.timings.items():
        print(f"  engine {k:<10} {v:6.2f} s")
    print(f"  engine score      {t_sc:6.2f} s")
    print(
        f"engine total: {engine_s:.2f} s = {engine_s / pdfminer_same:.3f} x pdfminer (target < 0.100)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
