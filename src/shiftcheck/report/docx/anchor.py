"""Where a quote runs in a paragraph's XML, and the comment markers put around exactly it.

A paragraph's text is walked the way the DOCX reader walks it (deleted text, field instructions
and text boxes excluded), as :class:`Atom` pieces: a ``w:t`` (or a tab, break, symbol...) in a run
that may be split, or a whole element (math, a ruby base...) that markers can only go around.
A run is split only where a quote begins or ends inside it; the right half gets a copy of the
run properties.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

from shiftcheck.readers.docx import (
    _MATH_T,
    _MC_ALT,
    _PROPS,
    _SKIP_INLINE,
    _attr,
    _mc_branch,
    _symbol,
    _text_of,
)
from shiftcheck.report.docx.ooxml import RUN_CONTAINERS, XML_SPACE, Marks, local
from shiftcheck.report.text import ELLIPSIS

# ---------------------------------------------------------------------------------------------
# the text of a paragraph, character by character


@dataclass(slots=True)
class Atom:
    """A piece of a paragraph's text and the element it comes from."""

    text: str
    child: etree._Element
    run: etree._Element | None  # the w:r to split, or None: go around ``host``
    host: etree._Element


#: elements that stand for one character of the text
_CHARACTERS = {"tab": " ", "ptab": " ", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
#: elements without text of this paragraph (a soft hyphen; blocks of their own)
_NO_TEXT = frozenset({"softHyphen", "txbxContent", "p", "tbl"})
_MAX_DEPTH = 200


class _Walk:
    """The atoms of one paragraph ``p`` in reading order."""

    def __init__(self, p: etree._Element) -> None:
        self.p = p
        self.out: list[Atom] = []

    def atom(self, child: etree._Element, text: str) -> None:
        if not text:
            return
        parent = child.getparent()
        if (
            parent is not None
            and local(parent) == "r"
            and local(parent.getparent()) in RUN_CONTAINERS
            and len(child) == 0
        ):
            self.out.append(Atom(text, child, parent, parent))
            return
        host = child
        while (
            host.getparent() is not None
            and host.getparent() is not self.p
            and local(host.getparent()) not in RUN_CONTAINERS
        ):
            host = host.getparent()
        self.out.append(Atom(text, child, None, host))

    def walk(self, el: etree._Element, depth: int = 0) -> list[Atom]:
        if depth > _MAX_DEPTH:
            return self.out
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            if name is not None:
                self.w_element(child, name, depth)
            elif child.tag == _MC_ALT:
                branch = _mc_branch(child)
                if branch is not None:
                    self.walk(branch, depth + 1)
            elif child.tag in _MATH_T:
                self.atom(child, child.text or "")
            elif len(child):
                self.walk(child, depth + 1)
        return self.out

    def w_element(self, child: etree._Element, name: str, depth: int) -> None:
        if name == "t":
            self.atom(child, _text_of(child))
        elif name == "r":
            self.walk(child, depth + 1)
        elif name in _SKIP_INLINE or name.endswith(_PROPS):
            return
        elif name in _CHARACTERS:
            self.atom(child, _CHARACTERS[name])
        elif name == "sym":
            self.atom(child, _symbol(child))
        elif name not in _NO_TEXT:
            self.walk(child, depth + 1)


def atoms(p: etree._Element) -> list[Atom]:
    """The atoms of one paragraph in reading order."""
    return _Walk(p).walk(p)


_IGNORED = re.compile(r"[\s\u00ad]")


def _squeeze(text: str) -> str:
    return _IGNORED.sub("", text)


def find(
    atoms_per_par: list[list[list[Atom]]], quote: str
) -> tuple[tuple[Atom, int], tuple[Atom, int]] | None:
    """Where ``quote`` runs in the block: ((first atom, offset), (last atom, offset of its last
    character)). Whitespace is ignored (the report makes it single spaces); a table row's cells
    are joined by ``|`` as the report's row quotes are. None when the words are not there."""
    chars: list[str] = []
    where: list[tuple[Atom, int] | None] = []
    for c, cell in enumerate(atoms_per_par):
        if c:
            chars.append("|")
            where.append(None)
        for par in cell:
            for a in par:
                for i, ch in enumerate(a.text):
                    if not _IGNORED.match(ch):
                        chars.append(ch)
                        where.append((a, i))
    hay = "".join(chars)
    needle = _squeeze(quote.strip().strip(ELLIPSIS).strip())
    if not needle:
        return None
    at = hay.find(needle)
    if at < 0:
        at = hay.casefold().find(needle.casefold()) if len(hay.casefold()) == len(hay) else -1
    if at < 0:
        return None
    end = at + len(needle) - 1
    while at <= end and where[at] is None:
        at += 1
    while end >= at and where[end] is None:
        end -= 1
    if at > end:
        return None
    return where[at], where[end]  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# markers in the XML


def _is_rpr(el: etree._Element) -> bool:
    return local(el) == "rPr"


def _split(
    run: etree._Element, child: etree._Element, k: int
) -> tuple[etree._Element | None, etree._Element | None]:
    """Split ``run`` before character ``k`` of ``child``; the original run keeps the left part,
    a new run with a copy of the run properties takes the right. -> (left, right), either None
    when the cut falls at that end of the run."""
    content = [x for x in run if not (isinstance(x.tag, str) and _is_rpr(x))]
    i = content.index(child)
    length = len(child.text or "") if local(child) == "t" else 1
    if 0 < k < length and local(child) == "t" and len(child) == 0:
        text = child.text or ""
        rest = etree.Element(child.tag, attrib=dict(child.attrib))
        child.text, rest.text = text[:k], text[k:]
        child.set(XML_SPACE, "preserve")
        rest.set(XML_SPACE, "preserve")
        child.addnext(rest)
        left, right = content[: i + 1], [rest, *content[i + 1 :]]
    elif k <= 0:
        left, right = content[:i], content[i:]
    else:
        left, right = content[: i + 1], content[i + 1 :]
    if not right:
        return run, None
    if not left:
        return None, run
    new = etree.Element(run.tag, attrib=dict(run.attrib))
    for x in run:
        if isinstance(x.tag, str) and _is_rpr(x):
            new.append(copy.deepcopy(x))
            break
    run.addnext(new)
    for x in right:
        new.append(x)
    return run, new


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    while el is not None and local(el) != "p":
        el = el.getparent()
    return el


def _place_reference(end: etree._Element, ref: etree._Element) -> None:
    """The reference run goes right after the range end, outside hyperlinks, insertions and
    content controls (a run of the paragraph itself)."""
    p = _paragraph_of(end)
    at = end
    while at.getparent() is not None and at.getparent() is not p:
        at = at.getparent()
    at.addnext(ref)


def anchor_exact(first: tuple[Atom, int], last: tuple[Atom, int], cid: int, marks: Marks) -> None:
    """Comment ``cid`` on exactly the characters from ``first`` to ``last``."""
    end_atom, end_off = last
    start_atom, start_off = first
    # the end first: the original run keeps the text on the left, so the start position holds
    end = marks.end(cid)
    if end_atom.run is not None:
        left, right = _split(end_atom.run, end_atom.child, end_off + 1)
        if left is not None:
            left.addnext(end)
        else:  # pragma: no cover - a cut after a character always leaves it on the left
            right.addprevious(end)  # type: ignore[union-attr]
    else:
        end_atom.host.addnext(end)
    start = marks.start(cid)
    if start_atom.run is not None:
        left, right = _split(start_atom.run, start_atom.child, start_off)
        if right is not None:
            right.addprevious(start)
        else:  # pragma: no cover - the start character is always on the right
            left.addnext(start)  # type: ignore[union-attr]
    else:
        start_atom.host.addprevious(start)
    _place_reference(end, marks.reference(cid))


def note_of(p: etree._Element) -> tuple[str, str] | None:
    """("footnote" | "endnote", its w:id) when ``p`` sits in a note."""
    for anc in p.iterancestors():
        kind = local(anc)
        if kind in ("footnote", "endnote"):
            return kind, _attr(anc, "id") or ""
    return None


def note_reference(
    root: etree._Element, kind: str, note_id: str
) -> tuple[etree._Element, int] | None:
    """The host of the reference mark of note ``note_id`` in the main part, and the note's
    number (its reference's place among the references of that kind)."""
    n = 0
    for el in root.iter():
        if isinstance(el.tag, str) and local(el) == f"{kind}Reference":
            n += 1
            if (_attr(el, "id") or "") == note_id:
                host = el.getparent()
                while (
                    host is not None
                    and host.getparent() is not None
                    and local(host.getparent()) not in RUN_CONTAINERS
                ):
                    host = host.getparent()
                return (host, n) if host is not None else None
    return None


def anchor_around(host: etree._Element, cid: int, marks: Marks) -> None:
    """Comment ``cid`` on the whole element ``host`` (a note's reference mark)."""
    host.addprevious(marks.start(cid))
    end = marks.end(cid)
    host.addnext(end)
    _place_reference(end, marks.reference(cid))


def anchor_paragraphs(ps: list[etree._Element], cid: int, marks: Marks) -> None:
    """Comment ``cid`` on whole paragraphs (the title; a quote no longer in the file)."""
    first, last = ps[0], ps[-1]
    start = marks.start(cid)
    ppr = next((c for c in first if isinstance(c.tag, str) and local(c) == "pPr"), None)
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = marks.end(cid)
    last.append(end)
    last.append(marks.reference(cid))
