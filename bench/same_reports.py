#!/usr/bin/env python3
"""Do two checkouts give byte-identical reports? The check behind "levels, evidence and golden
files unchanged" when the code is only made faster.

Usage: python bench/same_reports.py --against OTHER_CHECKOUT/src [DOC ...] [--formats json terminal]

Each document is reviewed by this checkout's package and by the one in OTHER_CHECKOUT/src (each a
whole ``python -m shiftcheck review DOC --format F`` process, with ``--cache`` off), and the
standard outputs and exit codes are compared byte for byte; a run with no report at all (a usage
error, an unreadable file) counts as a difference, so the check cannot pass by failing twice. Without DOC arguments the documents
are the labelled sets in ../shared/calibration (synthetic and real), the files of
../shared/corpus/synthetic and bench/out's generated proposals, whichever exist. Prints one line
per difference and a summary; exit code 1 when anything differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SUFFIXES = (".md", ".txt", ".docx", ".pdf")


def default_documents() -> list[Path]:
    folders = [
        SHARED / "calibration",
        SHARED / "calibration" / "real",
        SHARED / "corpus" / "synthetic",
        ROOT / "bench" / "out",
    ]
    docs: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            docs += sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
    return docs


def run(src: Path, doc: Path, fmt: str) -> tuple[int, bytes]:
    env = dict(os.environ, PYTHONPATH=str(src), NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)  # the github format would be chosen otherwise
    proc = subprocess.run(
        [sys.executable, "-m", "shiftcheck", "review", str(doc), "--format", fmt],
        env=env,
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    return proc.returncode, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="*", type=Path)
    ap.add_argument("--against", type=Path, required=True, help="another checkout's src/")
    ap.add_argument("--formats", nargs="+", default=["json", "terminal"])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    docs = args.docs or default_documents()
    if not docs:
        print("no documents: pass some, or make ../shared or bench/out available", file=sys.stderr)
        return 2
    here = ROOT / "src"
    cases = [(doc, fmt) for doc in docs for fmt in args.formats]

    def compare(case: tuple[Path, str]) -> str | None:
        doc, fmt = case
        ours, theirs = run(here, doc, fmt), run(args.against, doc, fmt)
        if not ours[1]:  # nothing to compare: a usage error or an unreadable document
            return f"{doc}: --format {fmt}: no report here (exit code {ours[0]})"
        if ours == theirs:
            return None
        if ours[0] != theirs[0]:
            return f"{doc}: --format {fmt}: exit code {ours[0]} here, {theirs[0]} there"
        return f"{doc}: --format {fmt}: the reports differ"

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        problems = [p for p in pool.map(compare, cases) if p]
    for p in problems:
        print(p)
    print(
        f"{len(cases) - len(problems)} of {len(cases)} reports identical "
        f"({len(docs)} documents x {len(args.formats)} formats) against {args.against}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
