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
(``---`` ... ``---`` at the very top) is skipped; its ``title:`` is the document title, otherwise
the first level-1 heading is.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.limits import Limits
from shiftcheck.readers.textdecode import decode_bytes

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it.token import Token

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_FRONT_TITLE = re.compile(r"""^title:[ \t]*(?P<v>.*?)[ \t]*$""", re.MULTILINE)
_SPACES = re.compile(r"\t[ \t]*| [ \t]+")  # runs of blanks other than a single space
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_FOOTDEF = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]*(?P<text>.*)$")
_FOOTREF = re.compile(r"[ \t]*\[\^(?P<label>[^\]\s]+)\]")
#: largest front matter looked at (lines); beyond that a leading '---' is a thematic break
MAX_FRONT_MATTER_LINES = 200


def read(path: Path, display: str, limits: Limits, **_options: object) -> Document:
    decoded = decode_bytes(path.read_bytes())
    doc = Document(path=display, format="markdown")
    if decoded.warning:
        doc.warnings.append(decoded.warning)
    text, front_title = split_front_matter(decoded.text)
    blocks, skipped_code = parse_markdown(text)
    doc.blocks = blocks
    if skipped_code:
        doc.warnings.append(f"{skipped_code} fenced code block(s) skipped (not prose)")
    first_h1 = next((b.text for b in blocks if b.kind == BlockKind.HEADING and b.level == 1), None)
    doc.title = front_title or first_h1
    return doc.renumber()


def split_front_matter(text: str) -> tuple[str, str | None]:
    """Blank out a leading YAML front matter block (keeping line numbers); return its title."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text, None
    end = next((i for i in range(1, min(len(lines), MAX_FRONT_MATTER_LINES)) if _FRONT_END.match(lines[i])), None)
    if end is None or end == 1:
        return text, None
    front = "\n".join(lines[1:end])
    if not re.search(r"^[\w-]+[ \t]*:", front, re.MULTILINE):
        return text, None  # '---' text '---' is a setext heading / thematic break, not front matter
    title = _front_title(front)
    return "\n".join([""] * (end + 1) + lines[end + 1 :]), title


def _front_title(front: str) -> str | None:
    try:
        import yaml

        data = yaml.safe_load(front)
    except Exception:
        data = None
    if isinstance(data, dict):
        value = data.get("title")
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
        return None
    m = _FRONT_TITLE.search(front)  # YAML that does not parse: take a plain 'title:' line
    if m and m.group("v"):
        return m.group("v").strip("'\"").strip() or None
    return None


def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def inline_text(token: Token) -> str:
    """Plain text of an inline token: markup removed, link text and image alt text kept."""
    parts: list[str] = []
    _collect(token.children or [], parts)
    text = "".join(parts)
    lines = [(_SPACES.sub(" ", s) if "  " in s or "\t" in s else s).strip() for s in text.split("\n")]
    return "\n".join(s for s in lines if s)


def _collect(children: list[Token], parts: list[str]) -> None:
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
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
            if not line.strip() and i + 1 < len(lines) and not lines[i + 1].startswith(("    ", "\t")):
                current = None
        else:
            current = None
        if current is not None and notes:
            label, _, start = notes[-1]
            notes[-1] = (label, " ".join(current), start)
    return "\n".join(lines), notes


def parse_markdown(text: str) -> tuple[list[Block], int]:
    """Blocks of a Markdown document (not renumbered) and the number of fenced code blocks skipped.

    Footnote definitions become ``footnote`` blocks after the body (in definition order) and their
    ``[^label]`` markers are removed from the text.
    """
    text, notes = split_footnotes(text)
    md = _parser()
    tokens = md.parse(text)
    tracker = HeadingTracker()
    blocks: list[Block] = []
    list_depth = 0
    item_depth = 0
    table_no = row = col = 0
    row_line: int | None = None
    skipped_code = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        line = tok.map[0] + 1 if tok.map else None
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            item_depth += 1
        elif kind == "list_item_close":
            item_depth -= 1
        elif kind == "heading_open":
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
            title = inline_text(inline).replace("\n", " ") if inline else ""
            if title:
                parents = tracker.enter(level, title)
                blocks.append(Block(title, BlockKind.HEADING, heading_path=parents, level=level, line=line))
        elif kind == "paragraph_open":
            inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
            content = inline_text(inline) if inline else ""
            if content:
                if item_depth:
                    blocks.append(Block(content, BlockKind.LIST_ITEM, heading_path=tracker.path, line=line, list_level=list_depth))
                else:
                    blocks.append(Block(content, BlockKind.PARAGRAPH, heading_path=tracker.path, line=line))
        elif kind == "table_open":
            table_no += 1
            row = 0
        elif kind == "tr_open":
            row += 1
            col = 0
            row_line = line
        elif kind in ("th_open", "td_open"):
            col += 1
            inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
            content = inline_text(inline) if inline else ""
            if content:
                cell_line = inline.map[0] + 1 if inline is not None and inline.map else row_line
                blocks.append(
                    Block(content, BlockKind.TABLE_CELL, heading_path=tracker.path, line=cell_line, table=table_no, row=row, col=col)
                )
        elif kind == "code_block":
            content = _SPACES.sub(" ", " ".join(tok.content.split())).strip()
            if content:
                block_kind = BlockKind.LIST_ITEM if item_depth else BlockKind.PARAGRAPH
                blocks.append(
                    Block(content, block_kind, heading_path=tracker.path, line=line, list_level=list_depth if item_depth else None)
                )
        elif kind == "fence":
            skipped_code += 1
        elif kind == "html_block":
            content = _html_text(tok.content)
            if content:
                blocks.append(Block(content, BlockKind.PARAGRAPH, heading_path=tracker.path, line=line))
        i += 1
    if notes:
        labels = {label for label, _, _ in notes}

        def _drop(m: re.Match[str]) -> str:
            return "" if m.group("label") in labels else m.group(0)

        for b in blocks:
            if "[^" in b.text:
                b.text = _FOOTREF.sub(_drop, b.text)
        for _label, source, line in notes:
            inline = next((t for t in md.parseInline(source) if t.type == "inline"), None)
            content = inline_text(inline).replace("\n", " ") if inline is not None else source.strip()
            if content:
                blocks.append(Block(content, BlockKind.FOOTNOTE, line=line))
    return blocks, skipped_code
