"""DOCX reader: an OOXML word-processing package -> :class:`~shiftcheck.document.Document`.

Design choice: the package is read with :mod:`zipfile` and every XML part is walked with lxml by
this module; python-docx is not used at all. ``Paragraph.text`` in python-docx drops tracked
insertions, content controls, text boxes, simple fields and hyperlinks in some versions, it has no
footnote API, sees only the first ``w:body`` and refuses Strict OOXML and renamed main parts. Reading
the XML ourselves avoids all of that, is faster to import and lets every resource limit be enforced
before a byte is parsed.

What is read, in this order:

1. the body (every ``w:body``, in file order): headings, paragraphs, list items, captions, table
   cells (one block per cell; nested tables get their own table number and follow the cell that
   holds them; the text of a merged cell appears once, at its first row/column), text boxes (one
   branch of ``mc:AlternateContent`` only; their paragraphs follow the anchoring paragraph);
2. footnotes, then endnotes (separator notes skipped; each note carries the heading path of the
   place that refers to it);
3. headers, then footers (in section order, each part once).

Tracked changes: inserted (``w:ins``) and moved-to (``w:moveTo``) text counts; deleted
(``w:del``/``w:delText``) and moved-from (``w:moveFrom``) text never appears. Comments, field
instructions (``w:instrText``) and ruby phonetic guides (``w:rt``) never appear.

Headings: the paragraph's ``w:outlineLvl`` (0-8), else its style chain (``w:basedOn``) by style
name or id ("heading 1", "Heading1", localized names such as "Titre 1" / "Überschrift 1", and a
style's own ``w:outlineLvl``). A style named Title is a level-1 heading (a sibling of the chapters,
not their parent). ``outlineLvl`` 9 means body text. ``list_level`` is 1-based (``w:ilvl`` + 1).

Security: the zip's central directory is checked before anything is decompressed (total
uncompressed size, per-member compression ratio for members of 1 MiB or more); members are
decompressed with a hard cap. XML is parsed with ``resolve_entities=False, no_network=True,
load_dtd=False, huge_tree=False``: a DOCTYPE with entity declarations (Word never writes one) is
tolerated but no entity is ever expanded or fetched: entity references are dropped from the text and
a warning is added. When libxml2 detects entity amplification ("billion laughs") the file is rejected
with :class:`LimitExceeded`. Element nesting deeper than ``limits.max_xml_depth`` in the walked content raises
:class:`LimitExceeded` (libxml2 itself refuses nesting over 256 without ``huge_tree``).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from shiftcheck.document import Block, BlockKind, Document, HeadingTracker
from shiftcheck.errors import CorruptDocument, LimitExceeded
from shiftcheck.limits import Limits

# ---------------------------------------------------------------------------------------------
# namespaces and tags

W_NS = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict OOXML
)
R_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/math",
)
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"

#: Clark tag -> local name, for the WordprocessingML namespaces (transitional and strict)
_W: dict[str, str] = {}


def _wtag(tag: str) -> str | None:
    """Local name of a WordprocessingML tag, or None for other namespaces (cached both ways)."""
    local = _W.get(tag)
    if local is None:
        local = ""
        if tag.startswith("{"):
            ns, _, name = tag[1:].partition("}")
            if ns in W_NS:
                local = name
        _W[tag] = local
    return local or None


#: property elements (rPr, pPr, tcPr, trPr, sdtPr, rPrChange, tblPrEx...) never hold body text
_PROPS = ("Pr", "PrEx", "PrChange")


def _attr(el: etree._Element, name: str) -> str | None:
    """A w:-namespaced attribute (either namespace), falling back to an unqualified one."""
    for ns in W_NS:
        v = el.get(f"{{{ns}}}{name}")
        if v is not None:
            return v
    return el.get(name)


def _rid(el: etree._Element) -> str | None:
    for ns in R_NS:
        v = el.get(f"{{{ns}}}id")
        if v is not None:
            return v
    return None


def _wchild(el: etree._Element, name: str) -> etree._Element | None:
    for child in el:
        if isinstance(child.tag, str) and _wtag(child.tag) == name:
            return child
    return None


_MC_ALT = f"{{{MC_NS}}}AlternateContent"
_MC_CHOICE = f"{{{MC_NS}}}Choice"
_MC_FALLBACK = f"{{{MC_NS}}}Fallback"
_MATH_T = {f"{{{ns}}}t" for ns in M_NS}

#: inline elements whose whole subtree is never text (properties, deletions, instructions...)
_SKIP_INLINE = frozenset(
    {
        "rPr", "pPr", "sdtPr", "sdtEndPr", "del", "moveFrom", "delText", "delInstrText",
        "instrText", "rt", "fldChar", "footnoteRef", "endnoteRef", "annotationRef",
        "commentReference", "footnoteReference", "endnoteReference", "separator",
        "continuationSeparator", "tblPr", "trPr", "tcPr", "tblGrid", "sectPr", "pgNum",
        "commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd",
        "proofErr", "permStart", "permEnd", "lastRenderedPageBreak",
    }
)  # fmt: skip
_SKIP_BLOCK = frozenset({"sectPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "tblPr", "tblGrid"})

_HEADING_WORDS = (
    "heading|titre|überschrift|uberschrift|berschrift|título|titulo|ttulo|titolo|kop|rubrik"
    "|overskrift|otsikko|nagłówek|naglowek|nagwek|заголовок|nadpis|címsor|cmsor|kopregel"
)
_HEADING_RE = re.compile(rf"^\s*(?:{_HEADING_WORDS})\s*([1-9])\s*$", re.IGNORECASE)
_TITLE_RE = re.compile(
    r"^\s*(?:title|titre|titel|título|titulo|ttulo|titolo|tytuł|название)\s*$", re.I
)
_CAPTION_RE = re.compile(
    r"^\s*(?:caption|légende|lgende|legende|beschriftung|didascalia|epígrafe|bijschrift)\s*$", re.I
)
_LIST_STYLE_RE = re.compile(r"^\s*list (?:bullet|number)(?: \d)?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")

#: Symbol font (code points F020-F0FF or 20-FF) -> Unicode, for the characters people type
_SYMBOL = dict(
    zip(
        range(0x41, 0x5B),
        "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ",
        strict=True,
    )
)
_SYMBOL.update(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True))
_SYMBOL.update(
    {
        0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴", 0x5E: "⊥",
        0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓",
        0xB0: "°", 0xB1: "±", 0xB3: "≥", 0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷",
        0xB9: "≠", 0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩", 0xC8: "∪",
        0xCE: "∈", 0xD1: "∇", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xD5: "∏", 0xD6: "√", 0xD7: "⋅",
        0xD8: "¬", 0xD9: "∧", 0xDA: "∨", 0xDB: "⇔", 0xDE: "⇒", 0xE5: "∑", 0xF2: "∫",
    }
)  # fmt: skip
_DINGBAT_FONTS = ("wingdings", "webdings", "zapf", "marlett", "mt extra")

_MAIN_TYPES = (
    "wordprocessingml.document.main",
    "wordprocessingml.template.main",
    "ms-word.document.macroEnabled.main",
    "ms-word.template.macroEnabledTemplate.main",
)
ZIP_HINT = "Open it in Word and save it again"
BOMB_HINT = "Open it in Word and save a clean copy, or raise the limit if the file is genuine"


# ---------------------------------------------------------------------------------------------
# styles and numbering


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


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# the package


def _key(name: str) -> str:
    """Zip member lookup key: case-insensitive, forward slashes, no leading slash."""
    return name.replace("\\", "/").lstrip("/").lower()


class _Package:
    """The zip, its relationships and a safe XML parser. Every limit is enforced here."""

    def __init__(self, path: Path, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.warnings: list[str] = []
        self.entity_parts: list[str] = []
        try:
            self.zf = zipfile.ZipFile(path)
            infos = self.zf.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            OSError,
            EOFError,
            ValueError,
            KeyError,
        ):
            raise CorruptDocument(
                display, "is not a valid DOCX (damaged or truncated zip)", ZIP_HINT
            ) from None
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size >= 1024 * 1024 and limits.max_zip_ratio:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_zip_ratio:
                    self.close()
                    raise LimitExceeded(
                        display,
                        f"looks like a zip bomb ({info.filename} expands {ratio:.0f}x, over the {limits.max_zip_ratio:.0f}x limit)",
                        f"{BOMB_HINT} (limits.max_zip_ratio in the config)",
                    )
        if limits.max_unzipped_bytes and total > limits.max_unzipped_bytes:
            self.close()
            raise LimitExceeded(
                display,
                f"looks like a zip bomb (it expands to {total / 1048576:.0f} MB, over the {limits.max_unzipped_bytes / 1048576:.0f} MB limit)",
                f"{BOMB_HINT} (limits.max_unzipped_mb in the config)",
            )
        self.budget = limits.max_unzipped_bytes or None
        self.names: dict[str, str] = {}
        for info in infos:
            if not info.is_dir():
                self.names.setdefault(_key(info.filename), info.filename)
        self.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.zf.close()

    def has(self, name: str) -> bool:
        return self._real(name) is not None

    def _real(self, name: str) -> str | None:
        real = self.names.get(_key(name))
        if real is None and "%" in name:
            real = self.names.get(_key(unquote(name)))
        return real

    def read_bytes(self, name: str) -> bytes | None:
        real = self._real(name)
        if real is None:
            return None
        info = self.zf.getinfo(real)
        cap = info.file_size
        if self.budget is not None and cap > self.budget:
            raise LimitExceeded(
                self.display,
                "looks like a zip bomb (its parts expand past the size limit)",
                BOMB_HINT,
            )
        try:
            with self.zf.open(info) as fh:
                data = fh.read(cap + 1)
        except NotImplementedError:  # an unusual compression method
            raise CorruptDocument(
                self.display, f"has a part compressed in an unsupported way ({real})", ZIP_HINT
            ) from None
        except RuntimeError:  # zip-level password on a member
            raise CorruptDocument(
                self.display, f"has a password-protected zip part ({real})", ZIP_HINT
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise CorruptDocument(
                self.display, "is not a valid DOCX (damaged or truncated zip)", ZIP_HINT
            ) from None
        if len(data) > cap:
            raise LimitExceeded(
                self.display, "looks like a zip bomb (a part is larger than declared)", BOMB_HINT
            )
        if self.budget is not None:
            self.budget -= len(data)
        return data

    def xml(self, name: str, *, required: bool = False) -> etree._Element | None:
        """Parse one part safely. Optional parts that are broken are skipped with a warning."""
        data = self.read_bytes(name)
        if data is None:
            return None
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as e:
            msg = str(e)
            if "depth" in msg.lower():
                raise LimitExceeded(
                    self.display,
                    f"nests XML elements too deeply in {name} (over {min(self.limits.max_xml_depth, 256)} levels)",
                    "Open it in Word and save a clean copy",
                ) from None
            if "amplification" in msg.lower() or "entity reference loop" in msg.lower():
                raise LimitExceeded(
                    self.display,
                    f"looks like an XML entity bomb ('billion laughs' declarations in {name})",
                    "Do not open it; ask the sender for a clean copy",
                ) from None
            root = self._recover(data)
            if root is None:
                if required:
                    raise CorruptDocument(
                        self.display,
                        f"has a damaged main document part ({name}: {msg[:80]})",
                        ZIP_HINT,
                    ) from None
                self.warnings.append(f"{name} is damaged and was skipped")
                return None
            self.warnings.append(
                f"{name} is malformed XML; its text was recovered as far as possible"
            )
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            self.entity_parts.append(name)
        return root

    def _recover(self, data: bytes) -> etree._Element | None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            recover=True,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            return None

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part name) for a part's internal relationships."""
        folder, base = posixpath.split(part.lstrip("/"))
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        try:
            root = self.xml(rels_name)
        except LimitExceeded:
            raise
        except CorruptDocument:
            root = None
        out: list[tuple[str, str, str]] = []
        if root is None:
            return out
        for el in root:
            if not isinstance(el.tag, str) or not el.tag.endswith("Relationship"):
                continue
            try:  # a recovered parse of a damaged part can hold undecodable attribute bytes
                mode, target = el.get("TargetMode") or "", el.get("Target") or ""
                rid, rtype = el.get("Id") or "", el.get("Type") or ""
            except (UnicodeDecodeError, ValueError):
                continue
            if mode.lower() == "external":
                continue
            if not target:
                continue
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.append((rid, rtype, name))
        return out

    def main_part(self) -> str:
        for _, rtype, target in self.rels(""):
            if rtype.endswith("/officeDocument") and self.has(target):
                return target
        ct = None
        try:
            ct = self.xml("[Content_Types].xml")
        except CorruptDocument:
            ct = None
        if ct is not None:
            for el in ct:
                ctype = el.get("ContentType") or ""
                part = el.get("PartName") or ""
                if part and any(k in ctype for k in _MAIN_TYPES) and self.has(part):
                    return part.lstrip("/")
        for guess in ("word/document.xml", "word/document2.xml"):
            if self.has(guess):
                return guess
        raise CorruptDocument(
            self.display, "is not a valid DOCX (it has no main document part)", ZIP_HINT
        )


# ---------------------------------------------------------------------------------------------
# walking the XML


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


def _children(el: etree._Element, name: str, depth: int) -> Iterator[etree._Element]:
    """Child elements called ``name``, looking through sdt/customXml/ins wrappers."""
    if depth > 400:
        return
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        local = _wtag(tag)
        if local == name:
            yield child
        elif local in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"):
            yield from _children(child, name, depth + 1)
        elif tag == _MC_ALT:
            branch = _mc_branch(child)
            if branch is not None:
                yield from _children(branch, name, depth + 1)


def _mc_branch(alt: etree._Element) -> etree._Element | None:
    """The one branch of mc:AlternateContent to read: the first Choice, else the Fallback."""
    fallback = None
    for child in alt:
        if child.tag == _MC_CHOICE:
            return child
        if child.tag == _MC_FALLBACK and fallback is None:
            fallback = child
    return fallback


def _text_of(t: etree._Element) -> str:
    """Text of a w:t without expanding entity references (their tails are kept)."""
    if len(t) == 0:
        return t.text or ""
    pieces = [t.text or ""]
    for child in t:
        pieces.append(child.tail or "")
    return "".join(pieces)


def _symbol(sym: etree._Element) -> str:
    raw = _attr(sym, "char") or ""
    try:
        code = int(raw, 16)
    except ValueError:
        return ""
    font = (_attr(sym, "font") or "").lower()
    if code >= 0xF000:
        code -= 0xF000
    if font.startswith("symbol"):
        return _SYMBOL.get(code, chr(code) if 0x20 <= code < 0x7F else "")
    if any(font.startswith(d) for d in _DINGBAT_FONTS):
        return ""  # pictographs with no faithful Unicode equivalent
    if code < 0x20 or 0xD800 <= code < 0xE000:
        return ""
    return chr(code)


def _clean(text: str) -> str:
    if not text:
        return ""
    text = text.replace("\u00ad", "").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _note_kind(local: str) -> BlockKind:
    return BlockKind.FOOTNOTE if local == "footnote" else BlockKind.ENDNOTE


# ---------------------------------------------------------------------------------------------
# entry point


def read(path: Path, display: str, limits: Limits, **_options: object) -> Document:
    pkg = _Package(Path(path), display, limits)
    try:
        return _read(pkg, display, limits)
    except UnicodeError:
        # lxml's recovering parser keeps an element whose name or namespace holds bytes that are
        # not UTF-8; touching its tag raises this
        raise CorruptDocument(
            display, "is not a valid DOCX (its XML holds names that are not UTF-8)", ZIP_HINT
        ) from None
    finally:
        pkg.close()


def read_with_sources(
    path: Path, display: str, limits: Limits, parser: etree.XMLParser | None = None
) -> tuple[Document, dict[int, list[etree._Element]], dict[str, etree._Element]]:
    """Read like :func:`read`, and also return where each block came from: block index -> the
    ``w:p`` elements behind its text (a table cell's paragraphs in order), and part name -> the
    parsed root of every XML part read. ``parser`` replaces the reader's (the DOCX comments format
    passes one that keeps XML comments, so the parts it edits can be written back whole)."""
    pkg = _Package(Path(path), display, limits)
    roots: dict[str, etree._Element] = {}
    if parser is not None:
        pkg.parser = parser
    plain_xml = pkg.xml

    def keep(name: str, *, required: bool = False) -> etree._Element | None:
        root = plain_xml(name, required=required)
        if root is not None:
            roots.setdefault(posixpath.normpath(name.lstrip("/")), root)
        return root

    pkg.xml = keep  # type: ignore[method-assign]
    sources: list[tuple[Block, list[etree._Element]]] = []
    try:
        doc = _read(pkg, display, limits, sources)
    except UnicodeError:
        raise CorruptDocument(
            display, "is not a valid DOCX (its XML holds names that are not UTF-8)", ZIP_HINT
        ) from None
    finally:
        pkg.close()
    return doc, {b.index: ps for b, ps in sources}, roots


def _read(
    pkg: _Package,
    display: str,
    limits: Limits,
    sources: list[tuple[Block, list[etree._Element]]] | None = None,
) -> Document:
    main = pkg.main_part()
    root = pkg.xml(main, required=True)
    if root is None:
        raise CorruptDocument(
            display, "is not a valid DOCX (it has no main document part)", ZIP_HINT
        )
    if _wtag(root.tag) != "document" and _wtag(root.tag) not in ("body",):
        # some other OOXML main part (a glossary, a workbook...): nothing we can review
        raise CorruptDocument(
            display, f"is not a valid DOCX (its main part {main} is not a Word document)", ZIP_HINT
        )
    rels = pkg.rels(main)
    by_type: dict[str, list[tuple[str, str]]] = {}
    by_id: dict[str, str] = {}
    for rid, rtype, target in rels:
        by_type.setdefault(rtype.rsplit("/", 1)[-1], []).append((rid, target))
        by_id[rid] = target

    styles_root = None
    for _, target in by_type.get("styles", []):
        styles_root = pkg.xml(target)
        if styles_root is not None:
            break
    walker = _Walker(_Styles(styles_root), limits, display)
    walker.sources = sources

    doc = Document(path=display, format="docx", pages=None)
    blocks = doc.blocks
    bodies = [c for c in root if isinstance(c.tag, str) and _wtag(c.tag) == "body"]
    if _wtag(root.tag) == "body":
        bodies = [root]
    for body in bodies:
        walker.blocks(body, blocks, None, 2)

    # footnotes and endnotes
    for rtype, note_tag in (("footnotes", "footnote"), ("endnotes", "endnote")):
        for _, target in by_type.get(rtype, [])[:1]:
            notes = pkg.xml(target)
            if notes is None:
                continue
            walker.kind = _note_kind(note_tag)
            for note in notes:
                if not isinstance(note.tag, str) or _wtag(note.tag) != note_tag:
                    continue
                if (_attr(note, "type") or "normal") != "normal":
                    continue  # separator, continuationSeparator, continuationNotice
                walker._note_path = walker.note_paths.get((note_tag, _attr(note, "id") or ""), ())
                walker.blocks(note, blocks, None, 2)
            walker._note_path = ()

    # headers and footers, in section order, each part once
    refs: dict[str, list[str]] = {"header": [], "footer": []}
    for sect in root.iter(*(f"{{{ns}}}sectPr" for ns in W_NS)):
        for ref in sect:
            if not isinstance(ref.tag, str):
                continue
            local = _wtag(ref.tag)
            if local in ("headerReference", "footerReference"):
                ref_id = _rid(ref)
                ref_part = by_id.get(ref_id or "")
                key = local[:6]
                if ref_part and ref_part not in refs[key]:
                    refs[key].append(ref_part)
    for key in refs:  # parts no section refers to (Word hides them) still come last, once
        for _, target in by_type.get(key, []):
            if target not in refs[key]:
                refs[key].append(target)
    for key, kind in (("header", BlockKind.HEADER), ("footer", BlockKind.FOOTER)):
        for target in refs[key]:
            part = pkg.xml(target)
            if part is None:
                continue
            walker.kind = kind
            walker.blocks(part, blocks, None, 2)
    walker.kind = None

    doc.title = _core_title(pkg) or walker.first_title or walker.first_h1
    if pkg.entity_parts:
        doc.warnings.append(
            f"{', '.join(pkg.entity_parts)} {'declares' if len(pkg.entity_parts) == 1 else 'declare'} XML entities (not written by Word); they were not expanded"
        )
    doc.warnings.extend(pkg.warnings)
    return doc.renumber()


def _core_title(pkg: _Package) -> str | None:
    for _, rtype, target in pkg.rels(""):
        if rtype.endswith("/core-properties"):
            try:
                core = pkg.xml(target)
            except CorruptDocument:
                return None
            if core is None:
                return None
            el = core.find(DC_TITLE)
            if el is not None:
                text = _clean(_text_of(el)).replace("\n", " ")
                return text or None
    return None


__all__ = ["read", "read_with_sources"]
