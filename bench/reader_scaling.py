#!/usr/bin/env python3
"""Does a review of a big plain-text file scale linearly? Time and peak RSS of
``shiftcheck review FILE`` for 1, 2, 4 and 8 MB of text, once as a single line and once as
paragraphs, with the ratio to the previous size (linear: ~2.0 each time). One run per size.

Usage: python bench/reader_scaling.py [--sizes 1 2 4 8] [--timeout 600] [--read-only]

``--read-only`` times the reader alone (``shiftcheck.readers.read`` in a child process) instead of
the whole review: the reader and the engine scale differently, and this tells them apart. The text
is capitalised sentences of proposal words (seeded, so every run reads the same bytes). Run with
another checkout's code via ``PYTHONPATH=/other/src python bench/reader_scaling.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "the",
    "ministry",
    "will",
    "take",
    "over",
    "the",
    "transition",
    "plan",
    "budget",
    "district",
    "health",
    "office",
    "local",
    "partners",
    "co-financing",
    "steering",
    "committee",
    "governance",
    "workplans",
    "sustainability",
    "training",
    "community",
    "health",
    "workers",
    "supervision",
    "year",
    "data",
    "system",
    "hosting",
    "costs",
    "by",
    "2027",
    "and",
    "of",
    "in",
    "approve",
    "chaired",
    "project",
    "government",
    "agreement",
    "signed",
    "share",
    "percent",
]


def sentence(rng: random.Random) -> str:
    s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return s[0].upper() + s[1:] + "."


def make_text(kind: str, mb: float) -> str:
    rng = random.Random(1)
    target = int(mb * 1048576)
    out: list[str] = []
    n = 0
    while n < target:
        if kind == "single-line":
            s = sentence(rng) + " "
        else:
            s = " ".join(sentence(rng) for _ in range(rng.randint(2, 6))) + "\n\n"
        out.append(s)
        n += len(s)
    text = "".join(out)
    return text[:target].rstrip() + "\n" if kind == "single-line" else text


def run(cmd: list[str], timeout: float) -> tuple[float, float, int | str]:
    """(wall seconds, peak RSS MB of the child and its children, exit code or 'timeout')."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return time.perf_counter() - t, usage.ru_maxrss / 1024, "timeout"
        time.sleep(0.02)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8], help="sizes in MB")
    ap.add_argument(
        "--timeout", type=float, default=600, help="seconds per run before it is stopped"
    )
    ap.add_argument(
        "--read-only", action="store_true", help="time the reader alone, not the review"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"{'input':<12} {'MB':>4} {'seconds':>9} {'x prev':>7} {'peak MB':>8} {'x prev':>7}  exit"
        )
        for kind in ("single-line", "paragraphs"):
            prev: tuple[float, float] | None = None
            for mb in args.sizes:
                f = Path(tmp) / f"{kind}-{mb:g}.txt"
                f.write_text(make_text(kind, mb), encoding="utf-8")
                if args.read_only:
                    code = "import sys; from shiftcheck.readers import read; read(sys.argv[1])"
                    cmd = [sys.executable, "-c", code, str(f)]
                else:  # --timeout 0: the bench measures the work, not the limit
                    cmd = [
                        sys.executable,
                        "-m",
                        "shiftcheck",
                        "review",
                        str(f),
                        "--format",
                        "json",
                        "--timeout",
                        "0",
                    ]
                secs, rss, status = run(cmd, args.timeout)
                r_t = f"{secs / prev[0]:.2f}" if prev else "-"
                r_m = f"{rss / prev[1]:.2f}" if prev else "-"
                print(
                    f"{kind:<12} {mb:>4g} {secs:>9.2f} {r_t:>7} {rss:>8.0f} {r_m:>7}  {status}",
                    flush=True,
                )
                prev = (secs, rss)
                f.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
