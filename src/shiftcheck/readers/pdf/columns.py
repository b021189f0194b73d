"""Reading order of one page (or one column of it): column gutters, bands split by lines that
cross a gutter, and rows read top to bottom, left to right (see :mod:`.layout` for the rules)."""

from __future__ import annotations

import itertools
import math

from shiftcheck.readers.pdf.lines import TextLine


def _rows(lines: list[TextLine]) -> list[TextLine]:
    """Top to bottom; lines on the same row left to right."""
    ordered = sorted(lines, key=lambda t: -t.y1)
    out: list[TextLine] = []
    i = 0
    while i < len(ordered):
        first = ordered[i]
        middle = (first.y0 + first.y1) / 2
        j = i + 1
        while j < len(ordered) and ordered[j].y1 > middle:
            j += 1
        row = ordered[i:j]
        if len(row) > 1:
            row.sort(key=lambda t: t.x0)
        out.extend(row)
        i = j
    return out


def _columns(lines: list[TextLine], depth: int) -> list[list[TextLine]]:
    """Split a page (or a column) into regions read one after another."""
    if len(lines) < 6 or depth > 3:
        return [_rows(lines)] if lines else []
    gutter = _gutter(lines)
    if gutter is None:
        return [_rows(lines)]
    g0, g1 = gutter
    out: list[list[TextLine]] = []
    left: list[TextLine] = []
    right: list[TextLine] = []

    def flush() -> None:
        if left:
            out.extend(_columns(left, depth + 1))
        if right:
            out.extend(_columns(right, depth + 1))
        left.clear()
        right.clear()

    for ln in _rows(lines):
        if ln.x1 <= g0 + 1:
            left.append(ln)
        elif ln.x0 >= g1 - 1:
            right.append(ln)
        else:
            flush()
            out.append([ln])
    flush()
    return out


def _gutter(lines: list[TextLine]) -> tuple[float, float] | None:
    """The column gutter of a region as an x range, or None (see the module docstring of
    :mod:`.layout` for what counts)."""
    lo = min(ln.x0 for ln in lines)
    hi = max(ln.x1 for ln in lines)
    width = hi - lo
    if width < 100:
        return None
    step = max(2.0, width / 20_000)  # 2-point bins; coarser only for absurdly wide regions
    cover = _coverage(lines, lo, width, step)
    allowed = max(0, int(0.15 * len(lines)))
    best = _widest_run(cover, int(0.2 * width / step), int(0.8 * width / step), allowed)
    if best is None or (best[1] - best[0]) * step < 8:
        return None
    # the gutter proper: the widest stretch of that run crossed by the fewest lines
    floor = min(cover[best[0] : best[1]])
    tight = _widest_run(cover, best[0], best[1], floor)
    assert tight is not None
    if (tight[1] - tight[0]) * step < 6:
        return None
    g0 = lo + tight[0] * step
    g1 = lo + tight[1] * step
    return (g0, g1) if _prose_columns(lines, g0, g1) else None


def _coverage(lines: list[TextLine], lo: float, width: float, step: float) -> list[int]:
    """How many lines cross each ``step``-wide bin from ``lo`` (a difference array, one pass)."""
    nbins = int(width / step) + 2
    diff = [0] * (nbins + 1)
    ceil = math.ceil
    for ln in lines:
        a = int((ln.x0 - lo) / step)
        b = ceil((ln.x1 - lo) / step)
        diff[a if a > 0 else 0] += 1  # max(0, a)
        diff[b if b < nbins else nbins] -= 1  # min(nbins, b)
    return list(itertools.accumulate(diff[:nbins]))  # the running sums


def _widest_run(cover: list[int], start: int, end: int, limit: int) -> tuple[int, int] | None:
    """The widest run of bins in ``[start, end)`` crossed by at most ``limit`` lines (the first
    one on a tie), as ``(first bin, bin after the last)``."""
    best: tuple[int, int] | None = None
    i = start
    while i < end:
        if cover[i] <= limit:
            j = i
            while j < end and cover[j] <= limit:
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        else:
            i += 1
    return best


def _prose_columns(lines: list[TextLine], g0: float, g1: float) -> bool:
    """At least three lines on each side of the gutter, and most left-column lines run up to it
    (prose columns; a table of labels does not)."""
    left = [ln for ln in lines if ln.x1 <= g0 + 1]
    right = [ln for ln in lines if ln.x0 >= g1 - 1]
    if len(left) < 3 or len(right) < 3:
        return False
    lw = g0 - min(ln.x0 for ln in left)
    full = sum(1 for ln in left if ln.x1 >= g0 - 0.2 * lw)
    return full >= 0.4 * len(left)
