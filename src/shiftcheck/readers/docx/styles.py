"""Paragraph styles and numbering: what a style id means for a paragraph (heading level, title,
caption, list level), resolved through its ``w:basedOn`` chain."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from shiftcheck.readers.docx.ooxml import (
    _CAPTION_RE,
    _HEADING_RE,
    _LIST_STYLE_RE,
    _TITLE_RE,
    _attr,
    _int,
    _wtag,
)


@dataclass(slots=True)
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None  # 0-9 as written
    num_id: str | None = None
    ilvl: int | None = None


@dataclass(slots=True)
class _ParaStyle:
    heading: int | None = None  # 1-9
    title: bool = False
    caption: bool = False
    list_level: int | None = None  # 0-based ilvl when the style numbers its paragraphs


class _Styles:
    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        self._cache: dict[str | None, _ParaStyle] = {}
        if root is None:
            return
        for el in root:
            if not isinstance(el.tag, str) or _wtag(el.tag) != "style":
                continue
            if (_attr(el, "type") or "paragraph") != "paragraph":
                continue
            sid = _attr(el, "styleId")
            if sid is None:
                continue
            st = _Style()
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                local = _wtag(child.tag)
                if local == "name":
                    st.name = _attr(child, "val") or ""
                elif local == "basedOn":
                    st.based_on = _attr(child, "val")
                elif local == "pPr":
                    _read_ppr_numbering(child, st)
            self.styles[sid] = st
            if _attr(el, "default") in ("1", "true", "on"):
                self.default = sid

    def resolve(self, sid: str | None) -> _ParaStyle:
        if sid is None:
            sid = self.default
        hit = self._cache.get(sid)
        if hit is None:
            hit = self._cache[sid] = self._resolve(sid)
        return hit

    def _resolve(self, sid: str | None) -> _ParaStyle:
        out = _ParaStyle()
        heading_done = list_done = False
        seen: set[str] = set()
        first = True
        while sid is not None and sid not in seen and len(seen) < 64:
            seen.add(sid)
            st = self.styles.get(sid)
            names = (st.name, sid) if st is not None else (sid,)
            if first:
                # title and caption are not inherited: a style based on Caption is its own thing
                out.title = any(_TITLE_RE.match(n) for n in names if n)
                out.caption = any(_CAPTION_RE.match(n) for n in names if n)
                if out.title:
                    out.heading, heading_done = 1, True
            first = False
            if not heading_done:
                for n in names:
                    m = _HEADING_RE.match(n) if n else None
                    if m:
                        out.heading, heading_done = int(m.group(1)), True
                        break
            if not heading_done and st is not None and st.outline is not None:
                out.heading = st.outline + 1 if 0 <= st.outline <= 8 else None
                heading_done = True
            if not list_done and st is not None and st.num_id is not None:
                list_done = True
                if st.num_id != "0":
                    out.list_level = st.ilvl or 0
            if not list_done and any(_LIST_STYLE_RE.match(n) for n in names if n):
                list_done = True
                out.list_level = 0
            if heading_done and list_done:
                break
            sid = st.based_on if st is not None else None
        return out


def _read_ppr_numbering(ppr: etree._Element, target: _Style) -> None:
    for child in ppr:
        if not isinstance(child.tag, str):
            continue
        local = _wtag(child.tag)
        if local == "outlineLvl":
            target.outline = _int(_attr(child, "val"))
        elif local == "numPr":
            for sub in child:
                if not isinstance(sub.tag, str):
                    continue
                sl = _wtag(sub.tag)
                if sl == "numId":
                    target.num_id = _attr(sub, "val") or "0"
                elif sl == "ilvl":
                    target.ilvl = _int(_attr(sub, "val"))
