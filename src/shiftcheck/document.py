"""The Document model: what a reader produces and everything downstream consumes.

Plain typed data (dataclasses, no pydantic) so that reading stays cheap to import.
Nothing downstream knows which file format a Document came from.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    HEADER = "header"
    FOOTER = "footer"
    CAPTION = "caption"


#: kinds that are not part of the running body text (never scored as design commitments)
FURNITURE = frozenset({BlockKind.HEADER, BlockKind.FOOTER})

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(slots=True)
class Block:
    """One unit of text with its location.

    ``index`` is the 1-based paragraph index in reading order over the whole document (every block
    gets one). ``line`` is the 1-based source line for formats that have lines (Markdown, text).
    ``page`` is 1-based where the format has pages (PDF). ``table``, ``row`` and ``col`` are 1-based
    for table cells (``table`` counts tables in the document).
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    index: int = 0
    heading_path: tuple[str, ...] = ()
    level: int | None = None
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    list_level: int | None = None

    @property
    def section(self) -> str:
        """The enclosing heading path as one string (``"3 Approach > 3.2 Sustainability"``)."""
        return " > ".join(self.heading_path)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind"] = str(self.kind)
        d["heading_path"] = list(self.heading_path)
        return {k: v for k, v in d.items() if v is not None}


@dataclass(slots=True)
class Document:
    path: str
    format: str  # "docx" | "pdf" | "markdown" | "text"
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    language: str | None = None
    pages: int | None = None
    #: non-fatal notes from the reader (e.g. "3 pages had no text")
    warnings: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(_WORD.findall(b.text)) for b in self.blocks if b.kind not in FURNITURE)

    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.kind not in FURNITURE]

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == BlockKind.HEADING]

    def text(self) -> str:
        return "\n\n".join(b.text for b in self.body())

    def renumber(self) -> Document:
        """Give every block its 1-based paragraph index in list order."""
        for i, b in enumerate(self.blocks, start=1):
            b.index = i
        return self


class HeadingTracker:
    """Keeps the heading path while a reader walks the document in order."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, text: str) -> tuple[str, ...]:
        """Register a heading; return the path that encloses it (its parents)."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        parents = tuple(t for _, t in self._stack)
        self._stack.append((level, text))
        return parents

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self._stack)
