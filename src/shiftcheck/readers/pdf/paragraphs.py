"""Lines -> paragraphs: open paragraphs collect the lines that continue them (table cells each
collect their own), list markers start items, vertical writing and paragraphs cut by a page break
are joined (see :mod:`.layout` for the rules)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from shiftcheck.document import BlockKind
from shiftcheck.readers.pdf.lines import BULLETS, TextLine

_NUMBER_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+\S")
_SENTENCE_END = (".", "!", "?", ":", ";", "。", "．")


@dataclass(slots=True)
class _Para:
    lines: list[TextLine]
    col_left: float
    kind: BlockKind = BlockKind.PARAGRAPH
    marker_offset: float = 0.0
    open: bool = True
    text: str = ""
    level: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def first(self) -> TextLine:
        return self.lines[0]

    @property
    def last(self) -> TextLine:
        return self.lines[-1]


def _q(size: float) -> float:
    """A font size rounded to half a point."""
    return round(size * 2) / 2


def _marker(text: str) -> str | None:
    """'bullet' or 'number' when a line starts a list item."""
    s = text.lstrip()
    if not s:
        return None
    if s[0] in BULLETS:
        if s[0] in "-–—*>":  # ASCII-ish bullets only with a space after ("-5 %" is not a list)
            return "bullet" if len(s) > 2 and s[1] == " " else None
        return "bullet"
    if _NUMBER_MARKER.match(s):
        return "number"
    return None


def _same_style(a: TextLine, b: TextLine) -> bool:
    return abs(a.size - b.size) <= 0.1 * max(a.size, b.size) and a.bold == b.bold


def _paragraphs(
    lines: list[TextLine], pitches: dict[float, float], body_size: float
) -> list[_Para]:
    if not lines:
        return []
    col_left = min(ln.x0 for ln in lines)
    col_right = max(ln.x1 for ln in lines)
    col_width = max(col_right - col_left, 1.0)
    out: list[_Para] = []
    open_: list[_Para] = []
    new_rows = _new_table_rows(lines, col_width)
    cells = _row_cells(lines, col_width)
    for ln in lines:
        marker = _marker(ln.text)
        target: _Para | None = None
        if id(ln) in new_rows:
            pass  # a table row below a row with the same cells: every cell starts afresh
        elif marker is None or (marker == "number" and not _may_start_numbered(open_, ln)):
            best = 0.0
            x0, x1, y = ln.x0, ln.x1, ln.y0
            reach = 3.5 * ln.size
            for p in open_:
                a = p.lines[-1]
                if not 0 < a.y0 - y < reach:
                    continue
                ax0, ax1 = a.x0, a.x1
                # min(a.x1, x1) - max(a.x0, x0), without two calls per open paragraph
                overlap = (x1 if x1 < ax1 else ax1) - (x0 if x0 > ax0 else ax0)
                if overlap > best and _joins(p, a, ln, pitches, col_right, col_width):
                    best, target = overlap, p
        if target is not None:
            target.lines.append(ln)
        else:
            p = _Para([ln], col_left)
            if id(ln) in cells:
                p.extra["cell"] = True  # starts beside other cells of a table row: never a heading
            if marker is not None:
                p.kind = BlockKind.LIST_ITEM
                p.marker_offset = ln.x0 - col_left
            out.append(p)
            open_.append(p)
        # forget paragraphs that can no longer continue (well above the current line); a bound
        # keeps huge tables linear
        if len(open_) > 6:
            y = ln.y0
            open_ = [p for p in open_[-_MAX_OPEN:] if p.lines[-1].y0 - y < 3.5 * p.lines[-1].size]
    return out


_MAX_OPEN = 48


def _new_table_rows(lines: list[TextLine], width: float) -> set[int]:
    """Lines that start a new table row rather than continue the cells above.

    A row of three or more side-by-side lines (or two short ones) directly followed by a row with
    a line under each of them is a table grid: its cells do not wrap into the next row. (A row
    where only some cells continue is wrapped text, and joins.)
    """
    rows: list[list[TextLine]] = []
    for ln in lines:
        if rows and ln.y1 > (rows[-1][0].y0 + rows[-1][0].y1) / 2:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: set[int] = set()
    grid: list[float] = []  # cell starts of the last row with three or more cells
    for row in rows:
        if len(row) < 3:
            continue
        starts = [ln.x0 for ln in row]
        if grid and all(any(abs(x - g) <= 3 for g in grid) for x in starts):
            out.update(id(ln) for ln in row)  # a full row on the same grid: a new table row
        grid = starts
    for above, row in itertools.pairwise(rows):
        n = len(above)
        if n < 2 or len(row) != n:
            continue
        if n == 2 and any(ln.width > 0.35 * width for ln in (*above, *row)):
            continue  # two prose columns, not two cells
        if all(min(a.x1, b.x1) - max(a.x0, b.x0) > 0 for a, b in zip(above, row, strict=True)):
            out.update(id(ln) for ln in row)
    return out


def _row_cells(lines: list[TextLine], width: float) -> set[int]:
    """Lines that share their baseline with other side-by-side lines of the same region: three or
    more, or two narrow ones (a table row such as "Cost item | 2026 | 2027"). A bold header cell
    is not a section heading."""
    out: set[int] = set()
    row: list[TextLine] = []

    def close() -> None:
        if len(row) >= 3 or (len(row) == 2 and all(ln.width <= 0.35 * width for ln in row)):
            out.update(id(ln) for ln in row)

    for ln in lines:
        if row and ln.y1 > (row[0].y0 + row[0].y1) / 2 and ln.y0 < (row[0].y0 + row[0].y1) / 2:
            row.append(ln)
        else:
            close()
            row = [ln]
    close()
    return out


def _may_start_numbered(open_: list[_Para], ln: TextLine) -> bool:
    """A wrapped line can start with '12.'; only treat it as a list number after a break."""
    for p in open_:
        a = p.last
        if min(a.x1, ln.x1) - max(a.x0, ln.x0) > 0 and 0 < a.y0 - ln.y0 < 2.5 * a.size:
            return (
                p.kind == BlockKind.LIST_ITEM
                or a.text.rstrip().endswith(_SENTENCE_END)
                or not _same_style(a, ln)
            )
    return True


_FURNITURE = (BlockKind.HEADER, BlockKind.FOOTER)


def _joins(
    p: _Para,
    a: TextLine,
    b: TextLine,
    pitches: dict[float, float],
    col_right: float,
    col_width: float,
) -> bool:
    kind = p.kind
    if kind in _FURNITURE:
        return False
    a_size, b_size = a.size, b.size
    size = b_size if b_size > a_size else a_size  # max(a.size, b.size)
    if not (abs(a_size - b_size) <= 0.1 * size and a.bold == b.bold):  # _same_style, inlined
        return False
    bx0, bx1 = b.x0, b.x1
    if (a.x1 if a.x1 < bx1 else bx1) - (a.x0 if a.x0 > bx0 else bx0) <= 0:  # no overlap
        return False
    d = a.y0 - b.y0
    usual = pitches.get(round(a_size * 2) / 2)  # _q(a.size)
    limit = usual * 1.12 + 0.5 if usual else 1.5 * size
    if not (0.3 * size < d <= limit):
        return False
    if kind != BlockKind.LIST_ITEM and bx0 > a.x0 + 0.8 * size:
        # an indented line starts a paragraph, unless the two lines are centred on each other
        if abs((a.x0 + a.x1) - (bx0 + bx1)) > 2 * size:
            return False
    if kind == BlockKind.LIST_ITEM and bx0 < p.lines[0].x0 - 0.5 * size:
        return False
    # a short line that ends a sentence ends its paragraph
    ends = a.text.rstrip().endswith(_SENTENCE_END)
    return not (ends and a.x1 < col_right - 0.25 * col_width)


def _vertical_paragraphs(lines: list[TextLine]) -> list[_Para]:
    """Vertical writing: columns of text read right to left, top to bottom."""
    out: list[_Para] = []
    for ln in sorted(lines, key=lambda t: (-t.x1, -t.y1)):
        if out:
            a = out[-1].last
            if (
                _same_style(a, ln)
                and 0 <= a.x0 - ln.x1 < 0.9 * a.size
                and abs(a.y1 - ln.y1) < 1.5 * a.size
            ):
                out[-1].lines.append(ln)
                continue
        out.append(_Para([ln], ln.x0))
    return out


def _merge_across_pages(paras: list[_Para]) -> list[_Para]:
    """A paragraph cut by a page break: the first body paragraph of a page continues the last one
    of the previous page when that one does not end a sentence and this one starts lowercase."""
    out: list[_Para] = []
    last_body: _Para | None = None
    for p in paras:
        if p.kind in (BlockKind.HEADER, BlockKind.FOOTER):
            out.append(p)
            continue
        prev = last_body
        if (
            prev is not None
            and p.first.page == prev.last.page + 1
            and p.kind == BlockKind.PARAGRAPH
            and prev.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            and not prev.last.vertical
            and not p.first.vertical
            and _same_style(prev.last, p.first)
            and not prev.last.text.rstrip().endswith(_SENTENCE_END)
            and p.first.text.lstrip()[:1].islower()
        ):
            prev.lines.extend(p.lines)
            continue
        out.append(p)
        last_body = p
    return out
