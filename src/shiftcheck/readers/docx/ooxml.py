"""WordprocessingML names and the small helpers every part of the DOCX reader shares: namespaces,
tag and attribute lookup in both the transitional and the Strict namespaces, the elements that never
hold text, style-name patterns, Symbol-font characters and text clean-up."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from shiftcheck.document import BlockKind

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


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


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
