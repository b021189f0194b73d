"""Layout layer (engine-independent): text lines -> Document blocks.

Rules, in the order they run:

* **Running headers and footers.** A line in the top or bottom 10 % of a page is furniture when
  its text, with every digit run replaced by ``#`` and case folded, appears in that band on at
  least two pages and on at least a quarter of the pages with text; the lowest (highest) line of a
  page, in the bottom (top) 20 %, is furniture on any page when it is only a page number (``7``,
  ``- 7 -``, ``Page 7 of 9``, ``vii``). Furniture is
  kept, as ``HEADER`` / ``FOOTER`` blocks (outside the body: not scored, not counted as words).
* **Reading order.** Per page, a column gutter is an x range in the middle 60 % of the text area
  that no more than ~15 % of the lines cross, at least 8 pt wide, with at least three lines on each
  side, and with lines on the left side that mostly run up to it (prose columns, not a table of
  short labels). Lines crossing the gutter (a title over both columns) split the page into bands;
  in each band the left column is read before the right one. Splitting is applied again inside
  each column (three-column layouts). Inside a column lines are read top to bottom, and lines on
  the same row left to right.
* **Paragraphs.** A line joins an open paragraph whose last line sits directly above it (baseline
  distance at most 1.12 x the document's usual line pitch for that size), overlaps it horizontally
  and has the same size and weight; it starts a new one after a short line ending a sentence, at
  a first-line indent, or at a bullet / list number. Several paragraphs can be open at once, so
  the cells of a table row each collect their own wrapped lines; a row with a line under every
  cell of the row above (three or more cells, or two short ones), or a row of three or more cells
  starting on the same x positions as an earlier such row, starts new cells.
* **Hyphenation.** Lines are joined by the rule shared with the text and Markdown readers
  (:mod:`shiftcheck.readers.hyphenation`): a line-end hyphen inside a word is dropped
  ("transi-" + "tion" -> "transition") unless the document spells the word with the hyphen, or it
  is a common compound ("co-" + "design" -> "co-design"), or uppercase or digits touch it
  ("COVID-" + "19"); the document's word counts are those of its body lines.
* **Headings.** The body size is the most common font size (weighted by characters). A paragraph
  of at most three lines and 200 characters is a heading when its size is at least 1.12 x the body
  size, or when it is bold at body size, at most 120 characters and not ending like a sentence.
  Levels rank the heading styles found (size, then bold before regular): the largest style is
  level 1.
* **Lists.** A paragraph whose first line starts with a bullet glyph (the glyph is dropped) or a
  list number like ``1.`` / ``a)`` (kept) is a list item; its level ranks the marker's indent.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.readers.hyphenation import join_lines, word_counts
from shiftcheck.readers.pdf.lines import BULLETS, PageText, PdfText, TextLine

BAND = 0.10
#: a lone page number is looked for further in (LaTeX on A4 puts it ~16 % up the page) when it is
#: the outermost line of the page
PAGE_NUMBER_BAND = 0.20
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NO = re.compile(
    r"^(?:page|p\.|seite|página|pagina)?\s*[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|de|sur|von)\s*\d{1,4})?$",
    re.IGNORECASE,
)
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


def build_document(pdf: PdfText, display: str) -> Document:
    doc = Document(path=display, format="pdf", pages=pdf.page_count or len(pdf.pages))
    doc.warnings.extend(pdf.warnings)
    for page in pdf.pages:
        # text placed far off any real page (a damaged or hostile text matrix) is invisible and
        # would blow up the layout's arithmetic
        page.lines = [ln for ln in page.lines if _on_some_page(ln)]
    pages = [p for p in pdf.pages if p.lines]
    if not pages:
        doc.title = _plausible_title(pdf.title)
        return doc.renumber()

    furniture = _furniture(pages)
    body_lines = [
        ln for p in pages for ln in p.lines if id(ln) not in furniture and not ln.vertical
    ]
    vocab = word_counts(ln.text for ln in body_lines)
    body_size = _body_size(body_lines)
    pitches = _pitches(pages, furniture)

    paras: list[_Para] = []
    for page in pages:
        top = [
            ln for ln in page.lines if id(ln) in furniture and furniture[id(ln)] == BlockKind.HEADER
        ]
        bottom = [
            ln for ln in page.lines if id(ln) in furniture and furniture[id(ln)] == BlockKind.FOOTER
        ]
        for ln in sorted(top, key=lambda t: (-t.y1, t.x0)):
            paras.append(_Para([ln], ln.x0, kind=BlockKind.HEADER))
        body = [ln for ln in page.lines if id(ln) not in furniture]
        horizontal = [ln for ln in body if not ln.vertical]
        vertical = [ln for ln in body if ln.vertical]
        for region in _columns(horizontal, depth=0):
            paras.extend(_paragraphs(region, pitches, body_size))
        paras.extend(_vertical_paragraphs(vertical))
        for ln in sorted(bottom, key=lambda t: (-t.y1, t.x0)):
            paras.append(_Para([ln], ln.x0, kind=BlockKind.FOOTER))

    paras = _merge_across_pages(paras)
    for p in paras:
        p.text = _join_lines(p.lines, vocab)
    _classify(paras, body_size)

    tracker = HeadingTracker()
    for p in paras:
        if not p.text:
            continue
        block = Block(text=p.text, kind=p.kind, page=p.first.page)
        if p.kind == BlockKind.HEADING:
            block.level = p.level
            block.heading_path = tracker.enter(p.level or 1, p.text)
        elif p.kind in (BlockKind.HEADER, BlockKind.FOOTER):
            block.heading_path = ()
        else:
            block.heading_path = tracker.path
            if p.kind == BlockKind.LIST_ITEM:
                block.list_level = p.level
        doc.blocks.append(block)

    doc.title = _plausible_title(pdf.title) or _first_biggest_heading(doc)
    empty = [p.number for p in pdf.pages if not p.lines]
    if empty and len(empty) < len(pdf.pages):
        shown = ", ".join(str(n) for n in empty[:10]) + (", ..." if len(empty) > 10 else "")
        doc.warnings.append(
            f"{len(empty)} page(s) have no extractable text (scanned or blank): {shown}"
        )
    return doc.renumber()


# ---------------------------------------------------------------------------------------------
# furniture


def _norm(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.casefold())).strip()


def _band(ln: TextLine, band: float = BAND) -> BlockKind | None:
    h = ln.page_height
    if h <= 0:
        return None
    if ln.y0 >= h * (1 - band):
        return BlockKind.HEADER
    if ln.y1 <= h * band:
        return BlockKind.FOOTER
    return None


def _furniture(pages: list[PageText]) -> dict[int, BlockKind]:
    seen: Counter[tuple[BlockKind, str]] = Counter()
    for page in pages:
        keys = set()
        for ln in page.lines:
            band = _band(ln)
            if band is not None:
                keys.add((band, _norm(ln.text)))
        seen.update(keys)
    need = max(2, math.ceil(0.25 * len(pages)))
    out: dict[int, BlockKind] = {}
    for page in pages:
        for ln in page.lines:
            band = _band(ln)
            if band is not None and seen[(band, _norm(ln.text))] >= need:
                out[id(ln)] = band
                continue
            band = _band(ln, PAGE_NUMBER_BAND)
            if (
                band is not None
                and _PAGE_NO.match(ln.text.strip())
                and _outermost(ln, band, page, out)
            ):
                out[id(ln)] = band
    return out


def _outermost(
    ln: TextLine, band: BlockKind, page: PageText, furniture: dict[int, BlockKind]
) -> bool:
    """Nothing but furniture sits below (footer) or above (header) this line."""
    if band == BlockKind.FOOTER:
        return not any(o.y1 < ln.y0 - 1 and id(o) not in furniture for o in page.lines)
    return not any(o.y0 > ln.y1 + 1 and id(o) not in furniture for o in page.lines)


# ---------------------------------------------------------------------------------------------
# sizes and pitch


def _q(size: float) -> float:
    return round(size * 2) / 2


def _body_size(lines: list[TextLine]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[_q(ln.size)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _pitches(pages: list[PageText], furniture: dict[int, BlockKind]) -> dict[float, float]:
    """The usual baseline distance between consecutive lines of each font size."""
    found: dict[float, Counter[float]] = {}
    for page in pages:
        lines = sorted(
            (ln for ln in page.lines if id(ln) not in furniture and not ln.vertical),
            key=lambda t: (round(t.x0 / 20), -t.y0),
        )
        for a, b in itertools.pairwise(lines):
            if _q(a.size) != _q(b.size) or abs(a.x0 - b.x0) > 2 * a.size:
                continue
            d = a.y0 - b.y0
            if 0.9 * a.size <= d <= 3.0 * a.size:
                found.setdefault(_q(a.size), Counter())[round(d * 2) / 2] += 1
    return {size: c.most_common(1)[0][0] for size, c in found.items()}


# ---------------------------------------------------------------------------------------------
# reading order


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


#: coordinates beyond this many points (~35 m) are not on any page
_FAR = 100_000.0


def _on_some_page(ln: TextLine) -> bool:
    return all(math.isfinite(v) and -_FAR < v < _FAR for v in (ln.x0, ln.y0, ln.x1, ln.y1, ln.size))


def _gutter(lines: list[TextLine]) -> tuple[float, float] | None:
    lo = min(ln.x0 for ln in lines)
    hi = max(ln.x1 for ln in lines)
    width = hi - lo
    if width < 100:
        return None
    step = max(2.0, width / 20_000)  # 2-point bins; coarser only for absurdly wide regions
    nbins = int(width / step) + 2
    diff = [0] * (nbins + 1)
    for ln in lines:
        a = int((ln.x0 - lo) / step)
        b = math.ceil((ln.x1 - lo) / step)
        diff[max(0, a)] += 1
        diff[min(nbins, b)] -= 1
    cover = []
    run = 0
    for d in diff[:nbins]:
        run += d
        cover.append(run)
    allowed = max(0, int(0.15 * len(lines)))
    start_bin = int(0.2 * width / step)
    end_bin = int(0.8 * width / step)
    best: tuple[int, int] | None = None
    i = start_bin
    while i < end_bin:
        if cover[i] <= allowed:
            j = i
            while j < end_bin and cover[j] <= allowed:
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        else:
            i += 1
    if best is None or (best[1] - best[0]) * step < 8:
        return None
    # the gutter proper: the widest stretch of that run crossed by the fewest lines
    floor = min(cover[best[0] : best[1]])
    i, tight = best[0], None
    while i < best[1]:
        if cover[i] == floor:
            j = i
            while j < best[1] and cover[j] == floor:
                j += 1
            if tight is None or j - i > tight[1] - tight[0]:
                tight = (i, j)
            i = j
        else:
            i += 1
    assert tight is not None
    if (tight[1] - tight[0]) * step < 6:
        return None
    g0 = lo + tight[0] * step
    g1 = lo + tight[1] * step
    left = [ln for ln in lines if ln.x1 <= g0 + 1]
    right = [ln for ln in lines if ln.x0 >= g1 - 1]
    if len(left) < 3 or len(right) < 3:
        return None
    # prose columns: most left-column lines run up to the gutter (a table of labels does not)
    lw = g0 - min(ln.x0 for ln in left)
    full = sum(1 for ln in left if ln.x1 >= g0 - 0.2 * lw)
    if full < 0.4 * len(left):
        return None
    return g0, g1


# ---------------------------------------------------------------------------------------------
# paragraphs


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
                overlap = min(a.x1, x1) - max(a.x0, x0)
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


def _joins(
    p: _Para,
    a: TextLine,
    b: TextLine,
    pitches: dict[float, float],
    col_right: float,
    col_width: float,
) -> bool:
    if p.kind in (BlockKind.HEADER, BlockKind.FOOTER) or not _same_style(a, b):
        return False
    if min(a.x1, b.x1) - max(a.x0, b.x0) <= 0:
        return False
    d = a.y0 - b.y0
    size = max(a.size, b.size)
    usual = pitches.get(_q(a.size))
    limit = usual * 1.12 + 0.5 if usual else 1.5 * size
    if not (0.3 * size < d <= limit):
        return False
    if p.kind != BlockKind.LIST_ITEM and b.x0 > a.x0 + 0.8 * size:
        # an indented line starts a paragraph, unless the two lines are centred on each other
        if abs((a.x0 + a.x1) - (b.x0 + b.x1)) > 2 * size:
            return False
    if p.kind == BlockKind.LIST_ITEM and b.x0 < p.first.x0 - 0.5 * size:
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


# ---------------------------------------------------------------------------------------------
# text


def _join_lines(lines: list[TextLine], vocab: Counter[str]) -> str:
    if lines[0].vertical:
        return "".join(ln.text.strip() for ln in lines).replace("\xad", "")
    stripped = [ln.text.strip() for ln in lines]
    stripped[0] = stripped[0] or " "  # an empty first line still puts a space before what follows
    text = join_lines(stripped, vocab)
    return _SPACES.sub(" ", text.replace("\xad", "")).strip()


# ---------------------------------------------------------------------------------------------
# kinds and levels


def _is_heading(p: _Para, body_size: float) -> bool:
    if len(p.lines) > 3:
        return False
    if p.kind == BlockKind.LIST_ITEM and _marker(p.text) != "number":
        return False  # a bulleted line is never a heading; "1. Background" may be
    if p.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or p.extra.get("cell"):
        return False
    text = p.text
    if not text or len(text) > 200 or sum(ch.isalpha() for ch in text[:20]) < 2:
        return False
    size = max(ln.size for ln in p.lines)
    if size >= 1.12 * body_size:
        return True
    bold = all(ln.bold for ln in p.lines)
    return (
        bold
        and size >= body_size - 0.5
        and len(text) <= 120
        and not text.endswith((".", ",", ";", ":"))
    )


def _classify(paras: list[_Para], body_size: float) -> None:
    styles: set[tuple[float, bool]] = set()
    heads: list[_Para] = []
    for p in paras:
        if _is_heading(p, body_size):
            p.kind = BlockKind.HEADING
            style = (_q(max(ln.size for ln in p.lines)), all(ln.bold for ln in p.lines))
            p.extra["style"] = style
            styles.add(style)
            heads.append(p)
    rank = {s: i + 1 for i, s in enumerate(sorted(styles, key=lambda s: (-s[0], not s[1])))}
    for p in heads:
        p.level = min(6, rank[p.extra["style"]])  # type: ignore[index]

    offsets = sorted({round(p.marker_offset / 6) for p in paras if p.kind == BlockKind.LIST_ITEM})
    levels: dict[int, int] = {}
    lvl = 0
    prev: int | None = None
    for o in offsets:
        if prev is None or o - prev > 1:
            lvl += 1
        levels[o] = lvl
        prev = o
    for p in paras:
        if p.kind == BlockKind.LIST_ITEM:
            p.level = min(9, levels.get(round(p.marker_offset / 6), 1))
            s = p.text
            if s and s[0] in BULLETS and _marker(s) == "bullet":
                p.text = s[1:].lstrip()


_BAD_TITLE = re.compile(
    r"^\(?(anonymous|untitled)\)?$|^(untitled|microsoft word\b|document\d*$|title$|slide \d+$)|\.(docx?|pdf|odt|rtf|tex|dvi|txt|indd|pptx?)$",
    re.IGNORECASE,
)


def _plausible_title(title: str | None) -> str | None:
    if not title:
        return None
    t = _SPACES.sub(" ", title).strip()
    if not t or len(t) > 250 or _BAD_TITLE.search(t) or not any(ch.isalpha() for ch in t):
        return None
    return t


def _first_biggest_heading(doc: Document) -> str | None:
    heads = [b for b in doc.blocks if b.kind == BlockKind.HEADING]
    if not heads:
        return None
    top = min(b.level or 1 for b in heads)
    return next(b.text for b in heads if (b.level or 1) == top)
