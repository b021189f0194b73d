"""Plain-text reader.

Blocks are runs of non-blank lines separated by blank lines; the lines of a run are joined with a
space (hard-wrapped text becomes one paragraph). ``line`` is the 1-based line of the run's start.

Conservative structure:

* bullet lines (``-``, ``*``, ``+``, ``•``, ``–``) start list items (the bullet is dropped); in a run
  with two or more numbered lines (``1.``, ``2)``, ``a)``, ``(iv)``) those start list items too
  (keeping their number). Lines before the first item form a paragraph; lines after an item's first
  line continue it. Indentation gives ``list_level`` (every 2 columns, a tab counting 4, is one
  level deeper). A lone numbered run (``3. The ministry will...``) stays a numbered paragraph.
* a run of one short line is a heading when it is ALL CAPS (``BACKGROUND``), or numbered
  (``1. Background``, ``2.3 Sustainability``: the level is the count of numbers) and followed by body
  text or a deeper numbered heading, and not preceded by a one-line numbered run of its depth (so that
  a list of short numbered lines separated by blank lines stays paragraphs). No line ending with ``.``, ``;``, ``,`` or ``:`` is ever a heading, nor the
  last run of the file.
* a two-line run whose second line is ``====`` or ``----`` is a level-1 or level-2 heading.

Markdown syntax is not interpreted in ``.txt`` files (``# Title`` stays a paragraph as written).

The lines of a block are joined by the rule the PDF reader uses (:mod:`shiftcheck.readers.hyphenation`):
a line-end hyphen inside a word is dropped ("tran-" / "sition plan" -> "transition plan"), real
compounds keep theirs ("co-" / "design" -> "co-design").

Linear in the input at any line length, every line is read (there is no truncation); the read
stops with a one-line :class:`~shiftcheck.errors.LimitExceeded` once ``limits.timeout`` has passed.
"""

from __future__ import annotations

import re
from pathlib import Path

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.limits import Limits
from shiftcheck.readers import Deadline
from shiftcheck.readers.hyphenation import LazyWordCounts, Vocab, join_lines
from shiftcheck.readers.textdecode import decode_bytes

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*+•–◦▪](?:[ \t]+)(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?[ \t]+(?P<title>\S.*)$")
_NUM_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:\d{1,2}[.)]|\(\d{1,2}\)|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])[ \t]+\S"
)
_UNDERLINE = re.compile(r"^[ \t]*(=+|-+)[ \t]*$")
_SPACES = re.compile(r"\t[ \t]*| [ \t]+")  # runs of blanks other than a single space

MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12


def read(path: Path, display: str, limits: Limits, **_options: object) -> Document:
    deadline = Deadline(limits, display)
    decoded = decode_bytes(path.read_bytes())
    doc = Document(path=display, format="text")
    if decoded.warning:
        doc.warnings.append(decoded.warning)
    doc.blocks = parse_text(decoded.text, deadline=deadline)
    doc.title = next(
        (b.text for b in doc.blocks if b.kind == BlockKind.HEADING and b.level == 1), None
    )
    return doc.renumber()


def _runs(text: str, deadline: Deadline | None = None) -> list[tuple[int, list[str]]]:
    """Split into (first line number, lines) runs separated by blank lines."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        if deadline is not None:
            deadline.check()
        line = raw.rstrip()
        if not line.strip():
            if current:
                runs.append((start, current))
                current = []
            continue
        if not current:
            start = no
        current.append(line)
    if current:
        runs.append((start, current))
    return runs


#: no hyphenated line ends to judge: headings and one-line blocks
_NO_VOCAB: Vocab = LazyWordCounts(lambda: ())


def _join(lines: list[str], vocab: Vocab = _NO_VOCAB) -> str:
    text = (
        join_lines([s.strip() for s in lines], vocab)
        if len(lines) > 1
        else lines[0].strip()
        if lines
        else ""
    )
    return _SPACES.sub(" ", text) if "  " in text or "\t" in text else text


def _indent_width(indent: str) -> int:
    return sum(4 if ch == "\t" else 1 for ch in indent)


def _numbered_depth(run: list[str] | None) -> int:
    """1 for a one-line run ``3. Xxx``, 2 for ``3.1 Xxx``...; 0 when the run is not like that."""
    if not run or len(run) != 1:
        return 0
    m = _NUMBERED.match(run[0].strip())
    return m.group("num").count(".") + 1 if m else 0


def _heading(
    lines: list[str], prev_run: list[str] | None, next_run: list[str] | None
) -> tuple[int, str] | None:
    """Return (level, text) when a run looks like a heading, else None."""
    if len(lines) == 2 and _UNDERLINE.match(lines[1]) and not _BULLET.match(lines[0]):
        title = _join(lines[:1])
        if 0 < len(title) <= MAX_HEADING_CHARS and not title.endswith((".", ";", ",")):
            return (1 if "=" in lines[1] else 2), title
        return None
    if len(lines) != 1 or next_run is None:
        return None
    text = _join(lines)
    if len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return None
    if text.endswith((".", ";", ",", ":")):
        return None
    m = _NUMBERED.match(text)
    if m:
        title = m.group("title")
        if not title[:1].isupper():
            return None
        level = m.group("num").count(".") + 1
        if _numbered_depth(next_run) in range(1, level + 1) or _numbered_depth(prev_run) == level:
            return None  # one of a list of short numbered lines, not a section heading
        return level, text
    letters = [ch for ch in text if ch.isalpha()]
    if (
        len(letters) >= 3
        and all(ch.isupper() for ch in letters)
        and any(ch.isupper() for ch in letters)
    ):
        return 1, text
    return None


def _item_starts(lines: list[str]) -> dict[int, tuple[int, str]]:
    """Lines of a run that start a list item: {offset: (indent width, item text)}.

    Bullet lines always do (the bullet is dropped). Numbered lines (``1.``, ``2)``, ``a)``, ``(iv)``)
    do only when the run has at least two of them (a compact numbered list); they keep their number,
    which is how the author refers to them. A lone numbered line is an ordinary numbered paragraph.
    """
    starts: dict[int, tuple[int, str]] = {}
    numbered: dict[int, tuple[int, str]] = {}
    for offset, line in enumerate(lines):
        m = _BULLET.match(line)
        if m:
            starts[offset] = (_indent_width(m.group("indent")), m.group("text"))
            continue
        m = _NUM_ITEM.match(line)
        if m:
            numbered[offset] = (_indent_width(m.group("indent")), line.strip())
    if len(numbered) >= 2:
        starts.update(numbered)
    return starts


def parse_text(text: str, *, deadline: Deadline | None = None) -> list[Block]:
    """Blocks of a plain-text document (not renumbered). ``deadline`` is checked per line."""
    runs = _runs(text, deadline)
    vocab = LazyWordCounts(lambda: (text,))  # for line-end hyphens: the document's own spellings
    tracker = HeadingTracker()
    blocks: list[Block] = []
    for i, (start, lines) in enumerate(runs):
        if deadline is not None:
            deadline.check()
        prev_run = runs[i - 1][1] if i else None
        next_run = runs[i + 1][1] if i + 1 < len(runs) else None
        head = _heading(lines, prev_run, next_run)
        if head:
            level, title = head
            parents = tracker.enter(level, title)
            blocks.append(
                Block(title, BlockKind.HEADING, heading_path=parents, level=level, line=start)
            )
            continue
        blocks.extend(_run_blocks(start, lines, tracker.path, vocab))
    return blocks


def _run_blocks(start: int, lines: list[str], path: tuple[str, ...], vocab: Vocab) -> list[Block]:
    """A run that is not a heading: a paragraph (the lines before its first list item, if any),
    then one list item per item start, each with the lines that continue it."""
    out: list[Block] = []
    starts = _item_starts(lines)
    if 0 not in starts:
        first = min(starts, default=len(lines))
        out.append(
            Block(_join(lines[:first], vocab), BlockKind.PARAGRAPH, heading_path=path, line=start)
        )
    item: list[str] = []
    item_line = start
    item_level = 1
    base_indent: int | None = None

    def close_item() -> None:
        if item:
            out.append(
                Block(
                    _join(item, vocab),
                    BlockKind.LIST_ITEM,
                    heading_path=path,
                    line=item_line,
                    list_level=item_level,
                )
            )

    for offset, line in enumerate(lines):
        if offset in starts:
            close_item()
            indent, body = starts[offset]
            if base_indent is None:
                base_indent = indent
            item_level = 1 + max(0, indent - base_indent) // 2
            item = [body]
            item_line = start + offset
        elif item:
            item.append(line)
    close_item()
    return out
