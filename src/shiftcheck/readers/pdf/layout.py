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

Reading order lives in :mod:`.columns`, paragraphs (and the joins across page breaks) in
:mod:`.paragraphs`; this module runs the steps and keeps furniture, sizes, kinds and titles.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.readers.hyphenation import _WORDS, LazyWordCounts, Vocab, join_lines
from shiftcheck.readers.pdf.columns import _columns
from shiftcheck.readers.pdf.lines import BULLETS, PageText, PdfText, TextLine
from shiftcheck.readers.pdf.paragraphs import (
    _marker,
    _merge_across_pages,
    _Para,
    _paragraphs,
    _q,
    _vertical_paragraphs,
)

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
    vocab = _BodyWords(lambda: [ln.text for ln in body_lines])
    body_size = _body_size(body_lines)
    pitches = _pitches(pages, furniture)
    paras: list[_Para] = []
    for page in pages:
        paras.extend(_page_paragraphs(page, furniture, pitches, body_size))
    paras = _merge_across_pages(paras)
    for p in paras:
        p.text = _join_lines(p.lines, vocab)
    _classify(paras, body_size)
    doc.blocks.extend(_blocks(paras))

    doc.title = _plausible_title(pdf.title) or _first_biggest_heading(doc)
    empty = [p.number for p in pdf.pages if not p.lines]
    if empty and len(empty) < len(pdf.pages):
        shown = ", ".join(str(n) for n in empty[:10]) + (", ..." if len(empty) > 10 else "")
        doc.warnings.append(
            f"{len(empty)} page(s) have no extractable text (scanned or blank): {shown}"
        )
    return doc.renumber()


def _page_paragraphs(
    page: PageText,
    furniture: dict[int, BlockKind],
    pitches: dict[float, float],
    body_size: float,
) -> list[_Para]:
    """One page in reading order: its headers, its body region by region (then any vertical
    writing), its footers."""
    paras: list[_Para] = []
    top: list[TextLine] = []
    bottom: list[TextLine] = []
    horizontal: list[TextLine] = []
    vertical: list[TextLine] = []
    for ln in page.lines:  # one pass, each list in page order
        kind = furniture.get(id(ln))
        if kind is None:
            (vertical if ln.vertical else horizontal).append(ln)
        elif kind == BlockKind.HEADER:
            top.append(ln)
        elif kind == BlockKind.FOOTER:
            bottom.append(ln)
    for ln in sorted(top, key=lambda t: (-t.y1, t.x0)):
        paras.append(_Para([ln], ln.x0, kind=BlockKind.HEADER))
    for region in _columns(horizontal, depth=0):
        paras.extend(_paragraphs(region, pitches, body_size))
    paras.extend(_vertical_paragraphs(vertical))
    for ln in sorted(bottom, key=lambda t: (-t.y1, t.x0)):
        paras.append(_Para([ln], ln.x0, kind=BlockKind.FOOTER))
    return paras


def _blocks(paras: list[_Para]) -> list[Block]:
    """Paragraphs with text -> Blocks, with heading paths (furniture has none)."""
    out: list[Block] = []
    tracker = HeadingTracker()
    path = tracker.path  # the tracker's path changes only when a heading is entered
    append = out.append
    for p in paras:
        text = p.text
        if not text:
            continue
        kind = p.kind
        page = p.lines[0].page
        if kind == BlockKind.HEADING:
            level = p.level
            heading_path = tracker.enter(level or 1, text)
            append(Block(text=text, kind=kind, page=page, level=level, heading_path=heading_path))
            path = tracker.path
        elif kind in _FURNITURE_KINDS:
            append(Block(text=text, kind=kind, page=page, heading_path=()))
        elif kind == BlockKind.LIST_ITEM:
            append(Block(text=text, kind=kind, page=page, heading_path=path, list_level=p.level))
        else:
            append(Block(text=text, kind=kind, page=page, heading_path=path))
    return out


_FURNITURE_KINDS = (BlockKind.HEADER, BlockKind.FOOTER)


#: coordinates beyond this many points (~35 m) are not on any page
_FAR = 100_000.0


def _on_some_page(ln: TextLine) -> bool:
    # a comparison with NaN is false, and infinities are beyond _FAR: every value is finite
    return (
        -_FAR < ln.x0 < _FAR
        and -_FAR < ln.y0 < _FAR
        and -_FAR < ln.x1 < _FAR
        and -_FAR < ln.y1 < _FAR
        and -_FAR < ln.size < _FAR
    )


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
    # each line's (band, normalised text) key, or None outside the bands: found once, used twice
    page_keys: list[list[tuple[BlockKind, str] | None]] = []
    for page in pages:
        line_keys: list[tuple[BlockKind, str] | None] = []
        for ln in page.lines:
            band = _band(ln)
            line_keys.append(None if band is None else (band, _norm(ln.text)))
        page_keys.append(line_keys)
        seen.update({k for k in line_keys if k is not None})
    need = max(2, math.ceil(0.25 * len(pages)))
    out: dict[int, BlockKind] = {}
    for page, line_keys in zip(pages, page_keys, strict=True):
        for ln, key in zip(page.lines, line_keys, strict=True):
            if key is not None and seen[key] >= need:
                out[id(ln)] = key[0]
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


def _body_size(lines: list[TextLine]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)  # _q(ln.size)
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
            size = a.size
            qa = round(size * 2) / 2  # _q, inlined: this runs for every pair of body lines
            if qa != round(b.size * 2) / 2 or abs(a.x0 - b.x0) > 2 * size:
                continue
            d = a.y0 - b.y0
            if 0.9 * size <= d <= 3.0 * size:
                counts = found.get(qa)
                if counts is None:
                    counts = found[qa] = Counter()
                counts[round(d * 2) / 2] += 1
    return {size: c.most_common(1)[0][0] for size, c in found.items()}


# ---------------------------------------------------------------------------------------------
# text


class _BodyWords(LazyWordCounts):
    """The body lines' :func:`~shiftcheck.readers.hyphenation.word_counts`, counted on the first
    lookup by one search over the lines joined by newlines (no word runs across a newline, so the
    counts are those of the lines one by one)."""

    __slots__ = ()

    def __getitem__(self, word: str) -> int:
        if self._counts is None:
            self._counts = Counter(map(str.lower, _WORDS.findall("\n".join(self._source()))))
        return self._counts[word]


#: line ends that :func:`~shiftcheck.readers.hyphenation.join_lines` may join without a space; after
#: any other line end the next line follows one space
_JOIN_ENDS = ("\xad", "–", "—", "/", "-", "\u2010")


def _join_lines(lines: list[TextLine], vocab: Vocab) -> str:
    if lines[0].vertical:
        return "".join(ln.text.strip() for ln in lines).replace("\xad", "")
    stripped = [ln.text.strip() for ln in lines]
    stripped[0] = stripped[0] or " "  # an empty first line still puts a space before what follows
    if len(stripped) == 1:
        text = stripped[0]
    elif any(s.endswith(_JOIN_ENDS) for s in stripped[:-1]):
        text = join_lines(stripped, vocab)
    else:
        text = " ".join([s for s in stripped if s])  # what join_lines gives these lines
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
