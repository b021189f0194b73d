#!/usr/bin/env python3
"""Agreement between shiftcheck's levels and expert labels.

Usage:
    python bench/agreement.py [FOLDER ...] [--rubric NAME|PATH] [--pdf-engine auto|pdfium|pdfminer]
                              [--details] [--top N] [--json FILE]

Each FOLDER holds a ``labels.yaml`` and the labelled documents beside it. A label entry is
``{file, ratings: {shift: level}}``, optionally with ``raters: {NAME: {shift: level}}`` (``ratings``
is then their median) and ``notes`` (``{NAME: {shift: text}}``, or ``{shift: text}`` for a single
reviewer). ``file`` names a document with its suffix (``x.pdf``: that file only) or without
(``x``: every ``x.md``, ``x.docx``, ``x.pdf`` and ``x.txt`` present, each reviewed and compared
with the same labels). Default folders: the shared calibration set and ``examples/``.

Output, in order:

1. per document, each shift as ``tool/label`` (``2*1``: ``*`` marks a difference);
2. per shift and pooled: n, exact agreement, within-one agreement, quadratic weighted kappa (QWK);
3. the pooled 4x4 confusion matrix: rows are the label (the reviewers' median), columns the tool;
4. each level's share (%) for the tool and for the labels, and the difference (tool - labels)
   in percentage points;
5. the ``--top`` largest disagreements (by |tool - label|, ties in document/shift order): the
   tool's first evidence quote with its location and its rationale (shortened), beside the note
   of a reviewer whose rating equals the label;
6. where labels have ``raters``: pooled n, exact, within-one and QWK for the tool against the
   label and against each rater, and for each pair of raters, in one table (only document/shift
   pairs rated by both sides count).

``--details`` also prints every disagreement with the full rationale while reviewing. ``--json
FILE`` writes every document's per-shift tool, label and rater levels plus all the metrics above.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = [ROOT.parent / "shared" / "calibration", ROOT / "examples"]
SUFFIXES = (".md", ".docx", ".pdf", ".txt")
LEVELS = range(4)


@dataclass
class Pair:
    """One document/shift: the label, the tool's level and what each side said."""

    doc: str
    shift: int
    label: int
    tool: int
    raters: dict[str, int] = field(default_factory=dict)
    quote: str = "no evidence"
    location: str = ""
    rationale: str = ""
    note: str = ""


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


def scores(truth: list[int], pred: list[int]) -> dict[str, float]:
    """n, exact and within-one agreement (fractions) and QWK."""
    n = len(truth)
    pairs = list(zip(truth, pred, strict=True))
    return {
        "n": n,
        "exact": sum(a == b for a, b in pairs) / n if n else math.nan,
        "within_one": sum(abs(a - b) <= 1 for a, b in pairs) / n if n else math.nan,
        "qwk": qwk(truth, pred),
    }


def clip(text: str, width: int) -> str:
    """One line, at most ``width`` characters."""
    text = " ".join(str(text).replace("\u200b", "").split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def shift_map(d: dict | None) -> dict[int, int]:
    return {int(k): int(v) for k, v in (d or {}).items()}


def median_note(entry: dict, sid: int, label: int) -> str:
    """The note of the first rater whose rating equals the label (else any rater's note)."""
    notes = entry.get("notes") or {}
    if notes and all(isinstance(v, str) for v in notes.values()):  # one reviewer: {shift: text}
        return str(notes.get(sid, notes.get(str(sid), "")))
    raters = entry.get("raters") or {}
    names = sorted(notes, key=lambda r: shift_map(raters.get(r)).get(sid) != label)
    for name in names:
        text = (notes[name] or {}).get(sid)
        if text:
            return f"{name}: {text}"
    return ""


def collect(folders: list[Path]) -> list[tuple[Path, dict]]:
    """(document path, its label entry) for every format present of every entry."""
    items = []
    for folder in folders:
        labels = folder / "labels.yaml"
        if not labels.is_file():
            print(f"skip {folder}: no labels.yaml", file=sys.stderr)
            continue
        data = yaml.safe_load(labels.read_text(encoding="utf-8")) or {}
        for entry in data.get("documents", []):
            name = entry["file"]
            if Path(name).suffix.lower() in SUFFIXES and (folder / name).is_file():
                found = [folder / name]
            else:
                found = [
                    folder / f"{name}{s}" for s in SUFFIXES if (folder / f"{name}{s}").is_file()
                ]
            if not found:
                print(f"skip {entry['file']}: no document file", file=sys.stderr)
            items += [(p, entry) for p in found]
    return items


def review_all(items: list[tuple[Path, dict]], args: argparse.Namespace) -> list[Pair]:
    """Review each document; one Pair per labelled shift the tool rated."""
    from shiftcheck import review
    from shiftcheck.errors import ShiftcheckError
    from shiftcheck.rubric import load_rubric

    rubric = load_rubric(args.rubric)
    pairs = []
    for path, entry in items:
        try:
            rep = review(path, rubric, pdf_engine=args.pdf_engine, display=str(path))
        except ShiftcheckError as e:
            print(f"error: {e.line()}", file=sys.stderr)
            continue
        got = {s.id: s for s in rep.shifts}
        raters = {name: shift_map(r) for name, r in (entry.get("raters") or {}).items()}
        for sid, want in sorted(shift_map(entry.get("ratings")).items()):
            if sid not in got:
                continue
            s = got[sid]
            pair = Pair(str(path), sid, want, s.level, rationale=s.rationale)
            pair.raters = {name: r[sid] for name, r in raters.items() if sid in r}
            if s.evidence:
                pair.quote, pair.location = s.evidence[0].quote, s.evidence[0].location.short()
            pair.note = median_note(entry, sid, want)
            pairs.append(pair)
            if args.details and want != s.level:
                print(f"  {path.name} shift {sid}: label {want}, tool {s.level} :: {s.rationale}")
    return pairs


def cell(p: Pair | None) -> str:
    """Tool and label levels as ``1/1`` or ``2*1`` (differs); blank when the shift is not labelled."""
    if p is None:
        return "   "
    return f"{p.tool}{'*' if p.tool != p.label else '/'}{p.label}"


def print_documents(pairs: list[Pair]) -> None:
    shifts = sorted({p.shift for p in pairs})
    by_doc: dict[str, dict[int, Pair]] = defaultdict(dict)
    for p in pairs:
        by_doc[p.doc][p.shift] = p
    name_w = max((len(Path(d).name) for d in by_doc), default=10)
    print(
        f"\n{'document':<{name_w}}  "
        + " ".join(f"s{i:<2}" for i in shifts)
        + " (tool/label, * = differs)"
    )
    for doc, row in by_doc.items():
        cells = [cell(row.get(i)) for i in shifts]
        print(f"{Path(doc).name:<{name_w}}  " + " ".join(cells))


def score_line(name: str, m: dict[str, float]) -> str:
    return f"{name:<14}{m['n']:>4}{m['exact']:>8.0%}{m['within_one']:>9.0%}{m['qwk']:>7.2f}"


def print_scores(metrics: dict) -> None:
    print(f"\n{'shift':<14}{'n':>4}{'exact':>8}{'within1':>9}{'QWK':>7}")
    for sid, m in metrics["per_shift"].items():
        print(score_line(str(sid), m))
    print(score_line("pooled", metrics["pooled"]))


def confusion(truth: list[int], pred: list[int]) -> list[list[int]]:
    m = [[0] * len(LEVELS) for _ in LEVELS]
    for a, b in zip(truth, pred, strict=True):
        m[a][b] += 1
    return m


def print_confusion(m: list[list[int]]) -> None:
    print("\nconfusion (rows: label = reviewers' median, columns: tool)")
    print("label\\tool" + "".join(f"{j:>6}" for j in LEVELS) + f"{'total':>7}")
    for i in LEVELS:
        print(f"{i:<10}" + "".join(f"{m[i][j]:>6}" for j in LEVELS) + f"{sum(m[i]):>7}")
    cols = [sum(m[i][j] for i in LEVELS) for j in LEVELS]
    print(f"{'total':<10}" + "".join(f"{c:>6}" for c in cols) + f"{sum(cols):>7}")


def shares(levels: list[int]) -> list[float]:
    """Percentage of each level 0..3."""
    return [100 * levels.count(v) / len(levels) if levels else math.nan for v in LEVELS]


def print_shares(tool: list[float], label: list[float]) -> None:
    print("\nlevel shares (%)" + "".join(f"{v:>7}" for v in LEVELS))
    print(f"{'tool':<16}" + "".join(f"{x:>7.1f}" for x in tool))
    print(f"{'labels':<16}" + "".join(f"{x:>7.1f}" for x in label))
    print(
        f"{'tool - labels':<16}"
        + "".join(f"{a - b:>+7.1f}" for a, b in zip(tool, label, strict=True))
    )


def print_disagreements(pairs: list[Pair], top: int) -> None:
    differ = [p for p in pairs if p.tool != p.label]
    worst = sorted(differ, key=lambda p: -abs(p.tool - p.label))[:top]  # stable: ties keep order
    print(f"\n{len(worst)} largest disagreements (of {len(differ)})")
    for rank, p in enumerate(worst, 1):
        quote = f'"{clip(p.quote, 160)}" ({p.location})' if p.location else p.quote
        print(f"{rank:>3}. {Path(p.doc).name}  shift {p.shift}: label {p.label}, tool {p.tool}")
        print(f"     tool:     {quote}")
        print(f"               {clip(p.rationale, 200)}")
        print(f"     reviewer: {clip(p.note, 200) or '(no note)'}")


def rater_scores(pairs: list[Pair]) -> dict[str, dict[str, float]]:
    """Pooled scores of the tool vs the label and each rater, and of each pair of raters."""
    rated = [p for p in pairs if p.raters]
    if not rated:
        return {}
    names = sorted({r for p in rated for r in p.raters})
    sides: list[tuple[str, str]] = [("tool", "label")] + [("tool", r) for r in names]
    sides += list(combinations(names, 2))

    def level(p: Pair, side: str) -> int | None:
        return {"label": p.label, "tool": p.tool}.get(side, p.raters.get(side))

    out = {}
    for a, b in sides:
        both = [
            (level(p, a), level(p, b))
            for p in rated
            if level(p, a) is not None and level(p, b) is not None
        ]
        out[f"{a} ~ {b}"] = scores([x for x, _ in both], [y for _, y in both])
    return out


def metrics_of(pairs: list[Pair]) -> dict:
    per_shift: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for p in pairs:
        per_shift[p.shift][0].append(p.label)
        per_shift[p.shift][1].append(p.tool)
    truth, pred = [p.label for p in pairs], [p.tool for p in pairs]
    return {
        "per_shift": {sid: scores(*per_shift[sid]) for sid in sorted(per_shift)},
        "pooled": scores(truth, pred),
        "confusion": confusion(truth, pred),
        "shares": {"tool": shares(pred), "labels": shares(truth)},
        "raters": rater_scores(pairs),
    }


def write_json(path: Path, pairs: list[Pair], metrics: dict) -> None:
    docs: dict[str, dict] = defaultdict(dict)
    for p in pairs:
        docs[p.doc][str(p.shift)] = {"tool": p.tool, "label": p.label, "raters": p.raters}

    def finite(x):  # NaN is not JSON
        if isinstance(x, dict):
            return {str(k): finite(v) for k, v in x.items()}
        if isinstance(x, list):
            return [finite(v) for v in x]
        return None if isinstance(x, float) and math.isnan(x) else x

    data = {
        "documents": [{"file": d, "shifts": s} for d, s in docs.items()],
        "metrics": finite(metrics),
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--rubric", default=None)
    ap.add_argument("--pdf-engine", default="auto")
    ap.add_argument(
        "--details", action="store_true", help="print each disagreement with the rationale"
    )
    ap.add_argument(
        "--top", type=int, default=20, help="how many of the largest disagreements to show"
    )
    ap.add_argument("--json", type=Path, help="write levels and metrics to this JSON file")
    args = ap.parse_args(argv)

    items = collect(args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()])
    pairs = review_all(items, args)
    if not pairs:
        print("no labelled document reviewed", file=sys.stderr)
        return 1
    metrics = metrics_of(pairs)
    print_documents(pairs)
    print_scores(metrics)
    print_confusion(metrics["confusion"])
    print_shares(metrics["shares"]["tool"], metrics["shares"]["labels"])
    print_disagreements(pairs, args.top)
    if metrics["raters"]:
        print(
            f"\n{'pooled':<14}{'n':>4}{'exact':>8}{'within1':>9}{'QWK':>7}   (tool and reviewers)"
        )
        for name, m in metrics["raters"].items():
            print(score_line(name, m))
    if args.json:
        write_json(args.json, pairs, metrics)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
