"""Split a Document into units: sentences of body blocks, with table rows joined into one unit.

Each unit carries its normalized text, tokens and stems, the block(s) it came from and the roles of
its section (background, lessons, risk...). Headers, footers, headings and skipped sections (tables
of contents) produce no units; identical sentences are marked as repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shiftcheck.document import FURNITURE, Block, BlockKind, Document
from shiftcheck.engine.normalize import (
    Stemmer,
    clause_marks,
    find_words,
    normalize,
    word_spans,
)

_ABBREV = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "dr",
        "mr",
        "mrs",
        "ms",
        "no",
        "nos",
        "st",
        "vs",
        "approx",
        "fig",
        "figs",
        "p",
        "pp",
        "cf",
        "al",
        "art",
        "ch",
        "sec",
        "vol",
        "ed",
        "eds",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "dept",
        "govt",
        "min",
        "est",
        "u.s",
        "u.k",
        "av",
        "env",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ•\-])")
_TOC_LINE = re.compile(r"(?:(?:\.{4,}+|…{2,}+)\s*+|\s{3,}+)\d{1,4}\s*+$")
TOC_TAIL = 80


@dataclass(slots=True)
class Unit:
    text: str  # original text of the sentence (or joined table row)
    norm: str
    offsets: list[int]
    words: list[str]  # normalized word tokens
    stems: list[str]
    block: Block
    line: int | None
    roles: frozenset[str] = frozenset()
    repeat: bool = False  # the same sentence appeared earlier
    heading_stems: tuple[tuple[str, ...], ...] = ()
    number: int = 0
    extra: dict = field(default_factory=dict)
    _spans: list[tuple[int, int]] | None = None
    _breaks: tuple[frozenset[int], frozenset[int]] | None = None

    # Spans and clause breaks are built on first use: most sentences match nothing and never need
    # them.
    @property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of each word in ``norm``."""
        if self._spans is None:
            self._spans = word_spans(self.norm)
        return self._spans

    def _marks(self) -> tuple[frozenset[int], frozenset[int]]:
        if self._breaks is None:
            self._breaks = clause_marks(self.norm, self.spans)
        return self._breaks

    @property
    def breaks(self) -> frozenset[int]:
        """Indexes of the words that a clause break (; : parentheses, a spaced dash) precedes."""
        return self._marks()[0]

    @property
    def commas(self) -> frozenset[int]:
        """Indexes of the words that a comma precedes."""
        return self._marks()[1]

    def quote(
        self, start_tok: int | None = None, end_tok: int | None = None, limit: int = 300
    ) -> str:
        text = " ".join(self.text.split())
        if len(text) <= limit:
            return text
        if start_tok is None or not self.words:
            return text[: limit - 1].rstrip() + "…"
        # centre the window on the match
        s_norm = self.spans[start_tok][0]
        s = self.offsets[s_norm] if s_norm < len(self.offsets) else 0
        begin = max(0, s - limit // 3)
        end = min(len(self.text), begin + limit)
        # cut at word boundaries: never start or end a quote inside a word
        if begin and not self.text[begin - 1].isspace():
            space = self.text.find(" ", begin, s + 1)
            begin = space + 1 if space != -1 else begin
        if end < len(self.text) and not self.text[end].isspace():
            space = self.text.rfind(" ", begin, end)
            end = space if space > begin else end
        piece = " ".join(self.text[begin:end].split())
        return ("…" if begin else "") + piece + ("…" if end < len(self.text) else "")


def _toc_line(tail: str) -> bool:
    """Does this end of a sentence look like a contents line (a leader, then a page number)? The
    pattern ends in a digit and white space only (``\\d`` is ``isdecimal``, ``\\s`` is
    ``isspace``): most sentences fail that test before any search."""
    end = tail.rstrip()
    return bool(end) and end[-1].isdecimal() and _TOC_LINE.search(tail) is not None


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; abbreviations and initials do not end a sentence."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()].rstrip()
        last = before.rsplit(None, 1)[-1] if before else ""
        word = last.rstrip(".!?…\"'”’»)]").lower()
        if last.endswith(".") and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
            continue
        piece = text[start : m.start()]
        if piece.strip():
            out.append((start, piece))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        out.append((start, tail))
    return out


def build_units(
    doc: Document,
    stem: Stemmer,
    role_of: dict[tuple[str, ...], frozenset[str]],
    skipped_roles: frozenset[str],
) -> list[Unit]:
    """The document's units: each sentence of a text block, each table row as one unit (its
    cells joined by " | "), minus headings, page furniture, skipped sections and contents lines."""
    builder = _UnitBuilder(stem, role_of, skipped_roles)
    blocks = [b for b in doc.blocks if b.kind not in FURNITURE and b.kind != BlockKind.HEADING]
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == BlockKind.TABLE_CELL and b.table is not None:
            j = i + 1
            while j < len(blocks) and _same_row(blocks[j], b):
                j += 1
            text = " | ".join(" ".join(c.text.split()) for c in blocks[i:j] if c.text.strip())
            if text:
                builder.emit(text, b, b.line)
            i = j
            continue
        # a running count of line breaks: counting from the block's start for every sentence
        # would be quadratic on a long block
        seen_off, seen_lines = 0, 0
        for off, sent in split_sentences(b.text):
            seen_lines += b.text.count("\n", seen_off, off)
            seen_off = off
            builder.emit(sent.strip(), b, b.line + seen_lines if b.line is not None else None)
        i += 1
    return builder.units


def _same_row(cell: Block, first: Block) -> bool:
    return cell.kind == BlockKind.TABLE_CELL and cell.table == first.table and cell.row == first.row


class _UnitBuilder:
    """Turns texts into numbered units; repeats of a sentence seen before are marked."""

    def __init__(
        self,
        stem: Stemmer,
        role_of: dict[tuple[str, ...], frozenset[str]],
        skipped_roles: frozenset[str],
    ) -> None:
        self.stem = stem
        self.role_of = role_of
        self.skipped_roles = skipped_roles
        self.units: list[Unit] = []
        self.seen: set[str] = set()
        self.heading_cache: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        #: text -> (normalized text, offsets, words, stems, repeat key): a repeated sentence is
        #: normalized and stemmed once (units share these lists; none is changed in place)
        self.done: dict[str, tuple[str, list[int], list[str], list[str], str]] = {}

    def heading_stems(self, path: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        got = self.heading_cache.get(path)
        if got is None:
            got = tuple(tuple(self.stem.many(find_words(normalize(h)[0]))) for h in path)
            self.heading_cache[path] = got
        return got

    def emit(self, text: str, block: Block, line: int | None) -> None:
        roles = self.role_of.get(block.heading_path, frozenset())
        if roles & self.skipped_roles:
            return
        # a table-of-contents line ends with its leader and page number: look at the tail only
        # (a long run of spaces in a huge sentence would make the search quadratic)
        if _toc_line(text[-TOC_TAIL:]):
            return
        got = self.done.get(text)
        if got is None:
            norm, offsets = normalize(text)
            words = find_words(norm)
            stems = self.stem.many(words)
            got = self.done[text] = (norm, offsets, words, stems, " ".join(words))
        norm, offsets, words, stems, key = got
        if not words:
            return
        self.units.append(
            Unit(
                text=text,
                norm=norm,
                offsets=offsets,
                words=words,
                stems=stems,
                block=block,
                line=line,
                roles=roles,
                repeat=len(words) > 3 and key in self.seen,
                heading_stems=self.heading_stems(block.heading_path),
                number=len(self.units),
            )
        )
        self.seen.add(key)
