"""Markdown reader (CommonMark plus pipe tables, via markdown-it-py).

What becomes a block:

* ATX and setext headings -> ``heading`` with ``level``; paragraphs -> ``paragraph``;
* every paragraph inside a list item -> ``list_item`` with ``list_level`` (1 = top-level list);
* table cells -> ``table_cell`` with ``table``/``row``/``col`` (1-based; the header row is row 1);
  empty cells produce no block but still count for ``col``;
* block quotes are transparent: their paragraphs are ordinary paragraphs (or list items);
* indented code blocks are kept as paragraphs: in proposals they are nearly always prose that was
  indented by accident. Fenced code blocks (```` ``` ````, ``~~~``) are deliberate code, not prose,
  and are skipped (a warning counts them);
* HTML comments (e.g. ``<!-- shiftcheck: disable RULE -->``) are not body text and are skipped;
  other raw HTML blocks keep their text with the tags removed;
* footnotes (``text[^1]`` ... ``[^1]: note``, as in pandoc and GitHub) -> ``footnote`` blocks after
  the body, with the ``[^1]`` markers removed from the text;
* inline markup is reduced to plain text: emphasis and inline code keep their text, links keep
  their link text, images their alt text, inline HTML tags are dropped.

Every block has ``line``: the 1-based source line where it starts. A YAML front matter block
(``---`` ... ``---`` at the very top) is skipped (:mod:`shiftcheck.readers.frontmatter`); its
``title:`` is the document title, otherwise the first level-1 heading is.

The lines of a paragraph are joined by the rule the PDF reader uses
(:mod:`shiftcheck.readers.hyphenation`): "tran-" / "sition plan" reads "transition plan", real
compounds keep their hyphen ("co-" / "design" -> "co-design").

Nothing is dropped, at any depth: markdown-it stops reading at its nesting limit (everything
after a list nested 10 levels deep was lost); here blocks nested deeper than
:data:`MAX_BLOCK_NESTING` (a list level counts two: the list and its item) are read as plain
paragraphs, one per line that starts an item (its list and quote markers removed), and the
Document carries a warning. Work is linear in the input times that bounded depth; the read stops
with a one-line :class:`~shiftcheck.errors.LimitExceeded` once ``limits.timeout`` has passed
(markdown-it itself is checked at every block and every inline rule it tries).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.limits import Limits
from shiftcheck.readers import Deadline
from shiftcheck.readers.frontmatter import FRONT_MATTER_MAX_BYTES as FRONT_MATTER_MAX_BYTES
from shiftcheck.readers.frontmatter import FRONT_MATTER_MAX_NODES as FRONT_MATTER_MAX_NODES
from shiftcheck.readers.frontmatter import MAX_FRONT_MATTER_LINES as MAX_FRONT_MATTER_LINES
from shiftcheck.readers.frontmatter import split_front_matter
from shiftcheck.readers.hyphenation import LazyWordCounts, Vocab, join_lines
from shiftcheck.readers.textdecode import decode_bytes

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

_SPACES = re.compile(r"\t[ \t]*| [ \t]+")  # runs of blanks other than a single space
_TAG = re.compile(r"<[^<>]*>")  # not [^>]*: "<<<<..." without a ">" would be quadratic
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FOOTDEF = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]*(?P<text>.*)$")
_FOOTREF = re.compile(r"[ \t]*\[\^(?P<label>[^\]\s]+)\]")
#: block nesting markdown-it parses as such (a list level counts 2, a block quote 1): 50 list
#: levels. Deeper content is read as plain paragraphs (see the module docstring). Each level costs
#: a few Python frames and a pass over the lines it holds, so the bound keeps both in check.
MAX_BLOCK_NESTING = 100
#: block quotes nested in each other markdown-it parses as such: each level rescans every line the
#: quote holds (lazy continuation lines too), running its terminator rules on each, so quotes get
#: a much smaller bound than lists (proposals quote a quote at most)
MAX_QUOTE_NESTING = 5
#: markdown-it's inline nesting limit (commonmark preset); beyond it markup is read as text, which
#: loses nothing, and a higher limit only makes runs of brackets slower
INLINE_NESTING = 20
#: list and block-quote markers at the start of a line read as plain text past MAX_BLOCK_NESTING
_MARKERS = re.compile(r"^(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)+")
#: what a soft line break becomes in inline_text() until the lines are joined
_SOFT = "\x00"
#: no hyphenated line ends to judge (parseInline() and tests)
_NO_VOCAB: Vocab = LazyWordCounts(lambda: ())
WARN_FLATTENED = (
    "block(s) nested deeper than {lists} lists or {quotes} quotes read as plain paragraphs"
)


def read(path: Path, display: str, limits: Limits, **_options: object) -> Document:
    deadline = Deadline(limits, display)
    decoded = decode_bytes(path.read_bytes())
    doc = Document(path=display, format="markdown")
    if decoded.warning:
        doc.warnings.append(decoded.warning)
    text, front_title = split_front_matter(decoded.text, doc.warnings)
    env: dict = {}
    blocks, skipped_code = parse_markdown(text, deadline=deadline, env=env)
    doc.blocks = blocks
    if skipped_code:
        doc.warnings.append(f"{skipped_code} fenced code block(s) skipped (not prose)")
    if env.get("flattened"):
        doc.warnings.append(
            f"{env['flattened']} "
            + WARN_FLATTENED.format(lists=MAX_BLOCK_NESTING // 2, quotes=MAX_QUOTE_NESTING)
        )
    first_h1 = next((b.text for b in blocks if b.kind == BlockKind.HEADING and b.level == 1), None)
    doc.title = front_title or first_h1
    return doc.renumber()


def _parser(deadline: Deadline | None = None) -> MarkdownIt:
    """CommonMark plus tables, reading every block at any depth, checking ``deadline``."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    # the block phase runs under our own depth bound (_tokenize); the inline phase keeps the
    # preset's limit
    md.options["maxNesting"] = MAX_BLOCK_NESTING + 1
    original = md.block.tokenize

    quotes = [0]  # block quotes around the blocks being read

    def tokenize(state: StateBlock, start: int, end: int) -> None:
        quoted = state.parentType == "blockquote"  # called by the block quote rule
        if state.level >= MAX_BLOCK_NESTING or (quoted and quotes[0] >= MAX_QUOTE_NESTING):
            _flatten(state, start, end)
            return
        quotes[0] += quoted
        try:
            original(state, start, end)
        finally:
            quotes[0] -= quoted

    md.block.tokenize = tokenize  # type: ignore[method-assign,assignment]  # nested blocks call it too

    def inline_nesting(state: object) -> None:
        md.options["maxNesting"] = INLINE_NESTING

    md.core.ruler.after("block", "shiftcheck_inline_nesting", inline_nesting)
    if deadline is not None:
        inline_deadline = deadline.every(64)  # inline rules run at every character
        block_deadline = deadline.every(1)  # one block rule call may scan a long line

        def block_check(state: object, start: int, end: int, silent: bool) -> bool:
            block_deadline.check()
            return False

        def inline_check(state: object, silent: bool) -> bool:
            inline_deadline.check()
            return False

        md.block.ruler.before(md.block.ruler.get_all_rules()[0], "shiftcheck_deadline", block_check)
        md.inline.ruler.before(
            md.inline.ruler.get_all_rules()[0], "shiftcheck_deadline", inline_check
        )
    return md


def _flatten(state: StateBlock, start: int, end: int) -> None:
    """Read the lines of a block nested too deep as plain paragraphs: a new one at each line
    starting with a list or quote marker (markers removed), stopping where markdown-it's own loop
    would (a line indented less than the container's content). A block quote's lazy continuation
    lines (``sCount`` -1) belong to it, as markdown-it's paragraph rule takes them: stopping there
    would make every enclosing quote scan the rest of the document again."""
    state.env["flattened"] = state.env.get("flattened", 0) + 1
    line = start
    indent = state.blkIndent
    sCount = state.sCount
    while line < end:
        line = state.skipEmptyLines(line)
        if line >= end or 0 <= sCount[line] < indent:
            break
        first = line
        parts: list[str] = []
        while line < end and not state.isEmpty(line) and not 0 <= sCount[line] < indent:
            raw = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
            text = _MARKERS.sub("", raw)
            if parts and text != raw:  # a new item (or quote) starts: close the paragraph so far
                _push_paragraph(state, first, line, parts)
                parts, first = [], line
            parts.append(text)
            line += 1
        _push_paragraph(state, first, line, parts)
    state.line = line


def _push_paragraph(state: StateBlock, first: int, last: int, parts: list[str]) -> None:
    content = "\n".join(p for p in parts if p.strip())
    if not content:
        return
    state.push("paragraph_open", "p", 1).map = [first, last]
    inline = state.push("inline", "", 0)
    inline.content = content
    inline.map = [first, last]
    inline.children = []
    state.push("paragraph_close", "p", -1)


def inline_text(token: Token, vocab: Vocab = _NO_VOCAB) -> str:
    """Plain text of an inline token: markup removed, link text and image alt text kept; its
    lines joined by the shared hyphenation rule (``vocab``: the document's word counts)."""
    parts: list[str] = []
    _collect(token.children or [], parts)
    text = "".join(parts)
    lines = []
    for hard in text.split("\n"):
        if _SOFT in hard:
            hard = join_lines([s.strip(" \t") for s in hard.split(_SOFT)], vocab)
        s = (_SPACES.sub(" ", hard) if "  " in hard or "\t" in hard else hard).strip()
        if s:
            lines.append(s)
    return "\n".join(lines)


def _collect(children: list[Token], parts: list[str]) -> None:
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(_SOFT)
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            if child.children:
                _collect(child.children, parts)
            else:
                parts.append(child.content)
        elif kind == "html_inline":
            if child.content.lower().startswith("<br"):
                parts.append(" ")
        elif child.children:
            _collect(child.children, parts)


def _html_text(raw: str) -> str:
    raw = _COMMENT.sub(" ", raw)
    raw = _SCRIPT.sub(" ", raw)
    text = html.unescape(_TAG.sub(" ", raw))
    return _SPACES.sub(" ", " ".join(text.split())).strip()


def split_footnotes(text: str) -> tuple[str, list[tuple[str, str, int]]]:
    """Take out pandoc/GFM footnote definitions (``[^label]: text`` plus indented continuation lines).

    Their lines are blanked (line numbers stay exact); returns the text and ``(label, source, line)``
    per definition. Lines inside fenced code are left alone.
    """
    if "[^" not in text:
        return text, []
    lines = text.split("\n")
    notes: list[tuple[str, str, int]] = []
    sources: list[list[str]] = []  # the lines of each note (joined once at the end)
    fence: str | None = None
    current: list[str] | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)[0] * 3
            fence = mark if fence is None else (None if fence == mark else fence)
            current = None
            continue
        if fence:
            continue
        d = _FOOTDEF.match(line)
        if d:
            current = [d.group("text")]
            notes.append((d.group("label"), "", i + 1))
            lines[i] = ""
        elif current is not None and (line.startswith(("    ", "\t")) or not line.strip()):
            if line.strip():
                current.append(line.strip())
            lines[i] = ""
            if (
                not line.strip()
                and i + 1 < len(lines)
                and not lines[i + 1].startswith(("    ", "\t"))
            ):
                current = None
        else:
            current = None
        if d:
            sources.append(current or [])
    return "\n".join(lines), [
        (label, "\n".join(src), line) for (label, _, line), src in zip(notes, sources, strict=True)
    ]


def parse_markdown(
    text: str, *, deadline: Deadline | None = None, env: dict | None = None
) -> tuple[list[Block], int]:
    """Blocks of a Markdown document (not renumbered) and the number of fenced code blocks skipped.

    Footnote definitions become ``footnote`` blocks after the body (in definition order) and their
    ``[^label]`` markers are removed from the text. ``deadline`` is checked throughout; ``env``
    receives ``flattened``: how many blocks were nested too deep for markdown-it (read as plain
    paragraphs).
    """
    vocab = LazyWordCounts(lambda: (text,))  # for line-end hyphens: the document's own spellings
    text, notes = split_footnotes(text)
    md = _parser(deadline)
    tokens = md.parse(text, env if env is not None else {})
    builder = _BlockBuilder(tokens, vocab)
    for i, tok in enumerate(tokens):
        if deadline is not None:
            deadline.check()
        handler = _HANDLERS.get(tok.type)
        if handler is not None:
            handler(builder, i, tok, tok.map[0] + 1 if tok.map else None)
    blocks = builder.blocks
    if notes:
        _drop_footnote_markers(blocks, {label for label, _, _ in notes})
        blocks.extend(_footnote_blocks(md, notes, vocab))
    return blocks, builder.skipped_code


class _BlockBuilder:
    """markdown-it's token stream -> Blocks: one handler per token type (:data:`_HANDLERS`), each
    given the token's index, the token and its 1-based source line."""

    def __init__(self, tokens: list[Token], vocab: Vocab) -> None:
        self.tokens = tokens
        self.vocab = vocab
        self.tracker = HeadingTracker()
        self.blocks: list[Block] = []
        self.list_depth = 0
        self.item_depth = 0
        self.table_no = self.row = self.col = 0
        self.row_line: int | None = None
        self.skipped_code = 0

    def _inline_after(self, i: int) -> Token | None:
        tokens = self.tokens
        return tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None

    def list_open(self, i: int, tok: Token, line: int | None) -> None:
        self.list_depth += 1

    def list_close(self, i: int, tok: Token, line: int | None) -> None:
        self.list_depth -= 1

    def item_open(self, i: int, tok: Token, line: int | None) -> None:
        self.item_depth += 1

    def item_close(self, i: int, tok: Token, line: int | None) -> None:
        self.item_depth -= 1

    def heading(self, i: int, tok: Token, line: int | None) -> None:
        level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        inline = self._inline_after(i)
        title = inline_text(inline, self.vocab).replace("\n", " ") if inline else ""
        if title:
            parents = self.tracker.enter(level, title)
            self.blocks.append(
                Block(title, BlockKind.HEADING, heading_path=parents, level=level, line=line)
            )

    def _prose(self, content: str, line: int | None) -> None:
        """A paragraph, or a list item inside a list item."""
        if self.item_depth:
            self.blocks.append(
                Block(
                    content,
                    BlockKind.LIST_ITEM,
                    heading_path=self.tracker.path,
                    line=line,
                    list_level=self.list_depth,
                )
            )
        else:
            self.blocks.append(
                Block(content, BlockKind.PARAGRAPH, heading_path=self.tracker.path, line=line)
            )

    def paragraph(self, i: int, tok: Token, line: int | None) -> None:
        inline = self._inline_after(i)
        content = inline_text(inline, self.vocab) if inline else ""
        if content:
            self._prose(content, line)

    def table_open(self, i: int, tok: Token, line: int | None) -> None:
        self.table_no += 1
        self.row = 0

    def row_open(self, i: int, tok: Token, line: int | None) -> None:
        self.row += 1
        self.col = 0
        self.row_line = line

    def cell(self, i: int, tok: Token, line: int | None) -> None:
        self.col += 1
        inline = self._inline_after(i)
        content = inline_text(inline) if inline else ""
        if content:
            cell_line = inline.map[0] + 1 if inline is not None and inline.map else self.row_line
            self.blocks.append(
                Block(
                    content,
                    BlockKind.TABLE_CELL,
                    heading_path=self.tracker.path,
                    line=cell_line,
                    table=self.table_no,
                    row=self.row,
                    col=self.col,
                )
            )

    def code_block(self, i: int, tok: Token, line: int | None) -> None:
        content = " ".join(
            join_lines([s.strip() for s in tok.content.split("\n")], self.vocab).split()
        )
        if content:
            self._prose(content, line)

    def fence(self, i: int, tok: Token, line: int | None) -> None:
        self.skipped_code += 1

    def html_block(self, i: int, tok: Token, line: int | None) -> None:
        content = _html_text(tok.content)
        if content:
            self.blocks.append(
                Block(content, BlockKind.PARAGRAPH, heading_path=self.tracker.path, line=line)
            )


_HANDLERS: dict[str, Callable[[_BlockBuilder, int, Token, int | None], None]] = {
    "bullet_list_open": _BlockBuilder.list_open,
    "ordered_list_open": _BlockBuilder.list_open,
    "bullet_list_close": _BlockBuilder.list_close,
    "ordered_list_close": _BlockBuilder.list_close,
    "list_item_open": _BlockBuilder.item_open,
    "list_item_close": _BlockBuilder.item_close,
    "heading_open": _BlockBuilder.heading,
    "paragraph_open": _BlockBuilder.paragraph,
    "table_open": _BlockBuilder.table_open,
    "tr_open": _BlockBuilder.row_open,
    "th_open": _BlockBuilder.cell,
    "td_open": _BlockBuilder.cell,
    "code_block": _BlockBuilder.code_block,
    "fence": _BlockBuilder.fence,
    "html_block": _BlockBuilder.html_block,
}


def _drop_footnote_markers(blocks: list[Block], labels: set[str]) -> None:
    """Remove the ``[^label]`` markers of the defined footnotes from the blocks' text."""

    def _drop(m: re.Match[str]) -> str:
        return "" if m.group("label") in labels else m.group(0)

    for b in blocks:
        if "[^" in b.text:
            b.text = _FOOTREF.sub(_drop, b.text)


def _footnote_blocks(
    md: MarkdownIt, notes: list[tuple[str, str, int]], vocab: Vocab
) -> list[Block]:
    """One ``footnote`` block per definition with text, in definition order."""
    out: list[Block] = []
    for _label, source, line in notes:
        inline = next((t for t in md.parseInline(source) if t.type == "inline"), None)
        content = (
            inline_text(inline, vocab).replace("\n", " ") if inline is not None else source.strip()
        )
        if content:
            out.append(Block(content, BlockKind.FOOTNOTE, line=line))
    return out
