#!/usr/bin/env python3
"""Agreement between shiftcheck's levels and expert labels.

Usage:
    python bench/agreement.py [FOLDER ...] [--rubric NAME|PATH] [--pdf-engine auto|pdfium|pdfminer] [--details]

Each FOLDER holds a ``labels.yaml`` (``documents: [{file, ratings: {shift: level}}]``) and the
labelled documents beside it (``FILE.md``, ``FILE.docx``, ``FILE.pdf``, ``FILE.txt``: every format
present is reviewed and compared with the same labels). Prints, per shift and pooled: exact
agreement, within-one agreement and quadratic weighted kappa (QWK). Default folders: the shared
calibration set and ``examples/``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "calibration", ROOT / "examples"]
SUFFIXES = (".md", ".docx", ".pdf", ".txt")


def qwk(truth: list[int], pred: list[int], k: int = 4) -> float:
    """Quadratic weighted kappa on levels 0..k-1 (1.0 = perfect, 0 = chance)."""
    n = len(truth)
    if n == 0:
        return float("nan")
    obs = [[0.0] * k for _ in range(k)]
    for a, b in zip(truth, pred, strict=True):
        obs[a][b] += 1
    hist_t = [sum(obs[i]) for i in range(k)]
    hist_p = [sum(obs[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * obs[i][j]
            den += w * hist_t[i] * hist_p[j] / n
    if den == 0:
        return 1.0 if num == 0 else 0.0
    return 1.0 - num / den


def collect(folders: list[Path]) -> list[tuple[Path, dict[int, int]]]:
    items = []
    for folder in folders:
        labels = folder / "labels.yaml"
        if not labels.is_file():
            print(f"skip {folder}: no labels.yaml", file=sys.stderr)
            continue
        data = yaml.safe_load(labels.read_text(encoding="utf-8")) or {}
        for entry in data.get("documents", []):
            ratings = {int(k): int(v) for k, v in (entry.get("ratings") or {}).items()}
            name = entry["file"]
            if Path(name).suffix.lower() in SUFFIXES and (folder / name).is_file():
                found = [folder / name]
            else:
                found = [folder / f"{name}{s}" for s in SUFFIXES if (folder / f"{name}{s}").is_file()]
            if not found:
                print(f"skip {entry['file']}: no document file", file=sys.stderr)
            items += [(p, ratings) for p in found]
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--rubric", default=None)
    ap.add_argument("--pdf-engine", default="auto")
    ap.add_argument("--details", action="store_true", help="print each disagreement with the rationale")
    args = ap.parse_args(argv)

    from shiftcheck import review
    from shiftcheck.errors import ShiftcheckError
    from shiftcheck.rubric import load_rubric

    rubric = load_rubric(args.rubric)
    items = collect(args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()])
    per_shift: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    rows = []
    for path, ratings in items:
        try:
            rep = review(path, rubric, pdf_engine=args.pdf_engine, display=str(path))
        except ShiftcheckError as e:
            print(f"error: {e.line()}", file=sys.stderr)
            continue
        got = {s.id: s.level for s in rep.shifts}
        row = []
        for sid, want in sorted(ratings.items()):
            if sid not in got:
                continue
            per_shift[sid][0].append(want)
            per_shift[sid][1].append(got[sid])
            row.append((sid, want, got[sid]))
            if args.details and want != got[sid]:
                s = next(x for x in rep.shifts if x.id == sid)
                print(f"  {path.name} shift {sid}: label {want}, tool {got[sid]} :: {s.rationale}")
        rows.append((path, row))

    name_w = max((len(p.name) for p, _ in rows), default=10)
    print(f"\n{'document':<{name_w}}  " + " ".join(f"s{i}" for i in range(1, 10)) + "   (tool/label, * = differs)")
    for path, row in rows:
        cells = []
        for _sid, want, got in row:
            cells.append(f"{got}{'*' if got != want else ' '}{want}")
        print(f"{path.name:<{name_w}}  " + " ".join(cells))

    print(f"\n{'shift':<8}{'n':>4}{'exact':>8}{'within1':>9}{'QWK':>7}")
    all_t: list[int] = []
    all_p: list[int] = []
    for sid in sorted(per_shift):
        t, p = per_shift[sid]
        all_t += t
        all_p += p
        exact = sum(a == b for a, b in zip(t, p, strict=True)) / len(t)
        within = sum(abs(a - b) <= 1 for a, b in zip(t, p, strict=True)) / len(t)
        print(f"{sid:<8}{len(t):>4}{exact:>8.0%}{within:>9.0%}{qwk(t, p):>7.2f}")
    if all_t:
        exact = sum(a == b for a, b in zip(all_t, all_p, strict=True)) / len(all_t)
        within = sum(abs(a - b) <= 1 for a, b in zip(all_t, all_p, strict=True)) / len(all_t)
        print(f"{'pooled':<8}{len(all_t):>4}{exact:>8.0%}{within:>9.0%}{qwk(all_t, all_p):>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
