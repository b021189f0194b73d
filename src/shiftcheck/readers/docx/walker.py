"""Walking the XML of one part: block content (paragraphs, tables, wrappers) and inline content
(runs, text, breaks, symbols, text boxes), turned into Blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from shiftcheck.document import Block, BlockKind, HeadingTracker
from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers.docx.ooxml import (
    _HEADING_RE,
    _MATH_T,
    _MC_ALT,
    _PROPS,
    _SKIP_BLOCK,
    _SKIP_INLINE,
    _TITLE_RE,
    _attr,
    _children,
    _clean,
    _int,
    _mc_branch,
    _symbol,
    _text_of,
    _wchild,
    _wtag,
)
from shiftcheck.readers.docx.styles import _ParaStyle, _read_ppr_numbering, _Style, _Styles


@dataclass(slots=True)
class _Cell:
    """Collects the text of one table cell (and the blocks nested in it)."""

    lines: list[str] = field(default_factory=list)
    nested: list[Block] = field(default_factory=list)
    #: the w:p elements behind ``lines`` (only when the walker records sources)
    sources: list[etree._Element] = field(default_factory=list)


class _Walker:
    def __init__(self, styles: _Styles, limits: Limits, display: str) -> None:
        self.styles = styles
        self.max_depth = limits.max_xml_depth or 10**9
        self.display = display
        self.tables = 0
        self.tracker = HeadingTracker()
        self.note_paths: dict[tuple[str, str], tuple[str, ...]] = {}
        self.first_title: str | None = None
        self.first_h1: str | None = None
        # context of the part being walked
        self.kind: BlockKind | None = None  # None = body
        self.in_body = True
        #: when a list: (block, its w:p elements) for every block emitted, in order (the DOCX
        #: comments format anchors its comments with it; see :func:`read_with_sources`)
        self.sources: list[tuple[Block, list[etree._Element]]] | None = None

    # -- limits ------------------------------------------------------------------------------
    def _too_deep(self) -> LimitExceeded:
        return LimitExceeded(
            self.display,
            f"nests XML elements more than {self.max_depth} levels deep (corrupt or hostile file)",
            "Open it in Word and save a clean copy",
        )

    # -- block level -------------------------------------------------------------------------
    def blocks(
        self, container: etree._Element, out: list[Block], cell: _Cell | None, depth: int
    ) -> None:
        if depth > self.max_depth:
            raise self._too_deep()
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = _wtag(tag)
            if local == "p":
                self.paragraph(child, out, cell, depth + 1)
            elif local == "tbl":
                self.table(child, cell.nested if cell is not None else out, depth + 1)
            elif local in _SKIP_BLOCK or (local is not None and local.endswith(_PROPS)):
                continue
            elif tag == _MC_ALT:
                branch = _mc_branch(child)
                if branch is not None:
                    self.blocks(branch, out, cell, depth + 2)
            elif local is None and len(child) == 0:
                continue
            else:  # sdt, sdtContent, customXml, ins, moveTo, smartTag and unknown wrappers
                self.blocks(child, out, cell, depth + 1)

    def paragraph(
        self, p: etree._Element, out: list[Block], cell: _Cell | None, depth: int
    ) -> None:
        style_id: str | None = None
        direct = _Style()
        ppr = None
        for child in p:
            if isinstance(child.tag, str) and _wtag(child.tag) == "pPr":
                ppr = child
                break
        if ppr is not None:
            for child in ppr:
                if isinstance(child.tag, str) and _wtag(child.tag) == "pStyle":
                    style_id = _attr(child, "val")
            _read_ppr_numbering(ppr, direct)
        parts: list[str] = []
        deferred: list[etree._Element] = []
        self.inline(p, parts, deferred, depth + 1)
        text = _clean("".join(parts))
        if text:
            self._emit(text, style_id, direct, out, cell)
            if self.sources is not None:
                if cell is None:  # _emit appended exactly one block
                    self.sources.append((out[-1], [p]))
                else:
                    cell.sources.append(p)
        # text boxes (and stray block content) anchored in this paragraph follow it
        target = out if cell is None else cell.nested
        for el in deferred:
            local = _wtag(el.tag)
            if local == "p":
                self.paragraph(el, target, None, depth + 1)
            elif local == "tbl":
                self.table(el, target, depth + 1)
            else:
                self.blocks(el, target, None, depth + 1)

    def _emit(
        self, text: str, style_id: str | None, direct: _Style, out: list[Block], cell: _Cell | None
    ) -> None:
        if cell is not None:
            cell.lines.append(text)
            return
        if self.kind is not None:  # header, footer, footnote, endnote
            out.append(Block(text, self.kind, heading_path=self._note_path))
            return
        st = self.styles.resolve(style_id)
        if style_id is not None and style_id not in self.styles.styles and st.heading is None:
            m = _HEADING_RE.match(style_id)  # unknown style id such as "Heading2" (no styles part)
            if m:
                st = _ParaStyle(heading=int(m.group(1)))
            elif _TITLE_RE.match(style_id):
                st = _ParaStyle(heading=1, title=True)
        level = st.heading
        if direct.outline is not None:
            level = direct.outline + 1 if 0 <= direct.outline <= 8 else None
        if level is not None:
            flat = text.replace("\n", " ")
            parents = self.tracker.enter(level, flat)
            out.append(Block(flat, BlockKind.HEADING, heading_path=parents, level=level))
            if st.title and self.first_title is None:
                self.first_title = flat
            if level == 1 and self.first_h1 is None:
                self.first_h1 = flat
            return
        path = self.tracker.path
        if st.caption:
            out.append(Block(text, BlockKind.CAPTION, heading_path=path))
            return
        list_level = st.list_level
        if direct.num_id is not None:
            list_level = (
                None
                if direct.num_id == "0"
                else (direct.ilvl if direct.ilvl is not None else (st.list_level or 0))
            )
        elif direct.ilvl is not None and list_level is not None:
            list_level = direct.ilvl
        if list_level is not None:
            out.append(
                Block(text, BlockKind.LIST_ITEM, heading_path=path, list_level=list_level + 1)
            )
            return
        out.append(Block(text, BlockKind.PARAGRAPH, heading_path=path))

    _note_path: tuple[str, ...] = ()

    def inline(
        self, el: etree._Element, parts: list[str], deferred: list[etree._Element], depth: int
    ) -> None:
        if depth > self.max_depth:
            raise self._too_deep()
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = _wtag(tag)
            if local is not None:
                if local == "t":
                    parts.append(_text_of(child))
                elif local == "r":
                    self.inline(child, parts, deferred, depth + 1)
                elif local in _SKIP_INLINE or local.endswith(_PROPS):
                    if local in ("footnoteReference", "endnoteReference") and self.kind is None:
                        note = "footnote" if local == "footnoteReference" else "endnote"
                        key = (note, _attr(child, "id") or "")
                        self.note_paths.setdefault(key, self.tracker.path)
                    continue
                elif local in ("tab", "ptab"):
                    parts.append(" ")
                elif local in ("br", "cr"):
                    kind = _attr(child, "type")
                    parts.append(" " if kind in ("page", "column") else "\n")
                elif local == "noBreakHyphen":
                    parts.append("-")
                elif local == "softHyphen":
                    continue
                elif local == "sym":
                    parts.append(_symbol(child))
                elif local in ("txbxContent", "p", "tbl"):
                    # a text box, or block content nested where runs were expected: read after
                    # the paragraph that anchors it
                    deferred.append(child)
                else:  # hyperlink, smartTag, fldSimple, ins, moveTo, sdt, sdtContent, customXml...
                    self.inline(child, parts, deferred, depth + 1)
            elif tag == _MC_ALT:
                branch = _mc_branch(child)
                if branch is not None:
                    self.inline(branch, parts, deferred, depth + 2)
            elif tag in _MATH_T:
                parts.append(child.text or "")
            elif len(child):
                self.inline(child, parts, deferred, depth + 1)  # drawing, pict, math, shapes...

    # -- tables ------------------------------------------------------------------------------
    def table(self, tbl: etree._Element, out: list[Block], depth: int) -> None:
        if depth > self.max_depth:
            raise self._too_deep()
        self.tables += 1
        number = self.tables
        path = self.tracker.path if self.kind is None else ()
        kind = BlockKind.TABLE_CELL if self.kind is None else self.kind
        for row_no, tr in enumerate(_children(tbl, "tr", depth), start=1):
            col = 1
            trpr = _wchild(tr, "trPr")
            if trpr is not None:
                before = _wchild(trpr, "gridBefore")
                if before is not None:
                    col += max(0, _int(_attr(before, "val")) or 0)
            for tc in _children(tr, "tc", depth + 1):
                span = 1
                tcpr = _wchild(tc, "tcPr")
                if tcpr is not None:
                    gs = _wchild(tcpr, "gridSpan")
                    if gs is not None:
                        span = max(1, _int(_attr(gs, "val")) or 1)
                cell = _Cell()
                self.blocks(tc, out, cell, depth + 2)
                text = "\n".join(cell.lines)
                # a continued merge cell is normally empty (its text lives in the first cell of the
                # merge); if a producer left text in it anyway, keep it rather than lose it
                if text:
                    if kind == BlockKind.TABLE_CELL:
                        out.append(
                            Block(text, kind, heading_path=path, table=number, row=row_no, col=col)
                        )
                    else:
                        out.append(Block(text, kind, heading_path=self._note_path))
                    if self.sources is not None:
                        self.sources.append((out[-1], cell.sources))
                out.extend(cell.nested)
                col += span
