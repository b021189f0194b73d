#!/usr/bin/env python3
"""Write docs/shifts.md from the default rubric (the page SARIF and HTML reports link to).

Usage: python scripts/gen_shift_docs.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "shifts.md"


def build() -> str:
    from shiftcheck.rubric import load_rubric

    r = load_rubric(ROOT / "rubrics" / "critical-shifts.yaml")
    out = [
        f"# The nine critical shifts ({r.id} {r.version})",
        "",
        "Generated from `rubrics/critical-shifts.yaml` by `scripts/gen_shift_docs.py`; do not edit by hand.",
        "",
    ]
    out += ["## Levels", "", "| Level | Name | Meaning |", "|---|---|---|"]
    out += [
        f"| {d.level} | {d.name} | {d.description} |"
        for d in sorted(r.levels, key=lambda d: d.level)
    ]
    for c in r.criteria:
        out += [
            "",
            f'<a id="shift-{c.id}"></a>',
            f"## Shift {c.id}: {c.title}",
            "",
            f"**From:** {c.from_}  ",
            f"**To:** {c.to}",
            "",
            c.summary.strip(),
            "",
        ]
        out += ["### What counts as evidence", "", "| Indicator | If missing |", "|---|---|"]
        out += [f"| {i.title} (`{c.key}/{i.key}`) | {i.recommendation} |" for i in c.indicators]
        out += ["", "### Red flags", "", "| Red flag | Why | Suggested rewrite |", "|---|---|---|"]
        out += [
            f"| {f.title or f.key} (`{c.key}/{f.key}`, {f.severity}) | {f.message} | {f.suggestion} |"
            for f in c.red_flags
        ]
    return "\n".join(x.replace("\n", " ") if x.startswith("|") else x for x in out) + "\n"


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        ok = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        print(
            "docs/shifts.md is up to date"
            if ok
            else "docs/shifts.md is stale: run scripts/gen_shift_docs.py"
        )
        return 0 if ok else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
