"""WordprocessingML pieces the comments format writes: namespaces, the marker and comment
elements, and a part parsed and written back with nothing but the edited elements changed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from shiftcheck.readers.docx import _wtag

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = {
    W_TRANSITIONAL: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
    W_STRICT: "http://purl.oclc.org/ooxml/officeDocument/relationships/comments",
}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: containers a run may sit in where comment markers may sit beside it
RUN_CONTAINERS = frozenset(
    {
        "p",
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "sdtContent",
        "fldSimple",
        "customXml",
        "dir",
        "bdo",
    }
)


def local(el: etree._Element | None) -> str | None:
    """The WordprocessingML local name of ``el`` (either namespace), None for anything else."""
    tag = el.tag if el is not None else None
    return _wtag(tag) if isinstance(tag, str) else None


def parser() -> etree.XMLParser:
    """As the reader parses: entity declarations kept, never expanded, nothing fetched."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


_PROLOG = re.compile(rb"<(?![?!])")


def serialize(original: bytes, root: etree._Element) -> bytes:
    """``root`` written back behind the part's own prolog (declaration and all), so nothing but
    the edited elements changes."""
    m = _PROLOG.search(original)
    prolog = original[: m.start()] if m else b""
    declared = re.search(rb"encoding\s*=\s*[\"']([^\"']+)", prolog[:200])
    if declared and declared.group(1).lower().replace(b"-", b"") not in (b"utf8",):
        return etree.tostring(
            root.getroottree(), encoding=declared.group(1).decode("ascii"), xml_declaration=True
        )
    body = etree.tostring(root, encoding="UTF-8")
    if body.startswith(b"<?xml"):
        body = body[body.index(b"?>") + 2 :].lstrip()
    return prolog + body


def splice(data: bytes, close_tag: bytes, insert: bytes) -> bytes | None:
    """``insert`` before the last ``close_tag`` of ``data`` (a part's closing root tag), or None
    when the part is not written the usual way (then it is re-serialized instead)."""
    at = data.rfind(close_tag)
    if at < 0:
        return None
    return data[:at] + insert + data[at:]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def max_annotation_id(roots: Iterable[etree._Element]) -> int:
    """The highest ``w:id`` in use (comments, changes, bookmarks...), -1 when there is none."""
    top = -1
    for root in roots:
        for el in root.iter():
            if isinstance(el.tag, str):
                for k, v in el.attrib.items():
                    if k.endswith("}id") or k == "id":
                        try:
                            top = max(top, int(v))
                        except ValueError:
                            continue
    return top


class Marks:
    """Elements in the namespace ``w`` of the part they go into."""

    def __init__(self, w: str) -> None:
        self.w = w

    def el(self, local: str, **attrs: str) -> etree._Element:
        e = etree.Element(f"{{{self.w}}}{local}")
        for k, v in attrs.items():
            e.set(f"{{{self.w}}}{k}", v)
        return e

    def start(self, cid: int) -> etree._Element:
        return self.el("commentRangeStart", id=str(cid))

    def end(self, cid: int) -> etree._Element:
        return self.el("commentRangeEnd", id=str(cid))

    def reference(self, cid: int) -> etree._Element:
        r = self.el("r")
        r.append(self.el("commentReference", id=str(cid)))
        return r

    def comment(self, cid: int, author: str, paragraphs: list[tuple[str, bool]]) -> etree._Element:
        """A ``w:comment`` of (text, bold) paragraphs, the first carrying the annotation mark."""
        c = self.el("comment", id=str(cid), author=author, initials=initials(author))
        for n, (text, bold) in enumerate(paragraphs):
            p = self.el("p")
            if n == 0:
                r = self.el("r")
                r.append(self.el("annotationRef"))
                p.append(r)
            r = self.el("r")
            if bold:
                rpr = self.el("rPr")
                rpr.append(self.el("b"))
                r.append(rpr)
            t = self.el("t")
            t.text = xml_safe(text)
            t.set(XML_SPACE, "preserve")
            r.append(t)
            p.append(r)
            c.append(p)
        return c


def initials(author: str) -> str:
    words = re.findall(r"\w+", author)
    return "".join(w[0] for w in words[:3]).upper() or "S"
