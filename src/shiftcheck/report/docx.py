"""DOCX: the review where writers work, as Word comments in their own file.

For a DOCX input, :func:`annotate` writes a copy of the document with one Word comment on each
quoted sentence (evidence and red flags; findings that quote the same words share one comment),
anchored on exactly those words in the paragraph the reader found them in: body paragraphs, table
cells (a table-row quote spans the row's cells), footnotes and endnotes, text boxes. Each comment
names the shift, its level, the finding and, for a red flag, the suggested rewrite; the first
evidence comment of a shift also carries the shift's rationale and what to add next. A summary
comment on the first paragraph (the title) lists the nine levels and the top recommendations.

What changes in the file: the parts that hold an anchor (``word/document.xml``, and the notes
parts when a quote sits in a note) get ``w:commentRangeStart``/``w:commentRangeEnd`` and a
``w:commentReference`` run, and a run is split in two (same run properties) where a quote begins
or ends inside it; the comments part is created or extended (existing comments kept, new ids
above every id in use), with its relationship and content-type entry spliced into the existing
bytes. Every other part is copied byte for byte; text, tracked changes (``w:ins``/``w:del``),
existing comments and styles are untouched. When the quoted words cannot be found (the file
changed since the review), the comment covers the whole paragraph and says so.

For PDF, Markdown and text inputs, :func:`render_report` writes a fresh DOCX report: title,
facts, the nine-row table, a section per shift (rationale, evidence, red flags, add next) and the
top recommendations.

Design choice: lxml and :mod:`zipfile`, not python-docx. python-docx 1.2 can add comments, but
only to whole runs of the main body (no footnotes, text boxes or runs inside hyperlinks and
tracked insertions), it re-serializes every part it loads and it drops parts it does not know;
here only the parts that receive an anchor are rewritten, which keeps the rest of the package
byte-identical. Paragraphs are located with the DOCX reader itself
(:func:`shiftcheck.readers.docx.read_with_sources`), so a location in the report maps to the
same XML paragraph the quote was read from.

Output is deterministic: comments carry no date, zip entries of a fresh report a fixed time.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from shiftcheck.model import (
    BatchReport,
    DocumentError,
    Evidence,
    Location,
    RedFlagHit,
    Report,
    ShiftResult,
)
from shiftcheck.report._common import (
    flag_count,
    flag_state,
    label,
    level_legend,
    level_name,
    loc,
    overall_name,
    severity_name,
    strength_name,
    strongest,
)
from shiftcheck.report.i18n import translator
from shiftcheck.report.text import ELLIPSIS, one_line, shorten

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.limits import Limits
    from shiftcheck.report import RenderOptions

DEFAULT_AUTHOR = "shiftcheck"

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
_RUN_CONTAINERS = frozenset(
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


# ---------------------------------------------------------------------------------------------
# the words of a comment


#: the words of this format, per language (the other words come from the report catalog,
#: :mod:`shiftcheck.report.i18n`; a test checks both languages have every key)
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "docx.shift": "Shift {id} · {title}: level {level} ({name})",
        "docx.evidence": "Evidence: {indicator} ({strength})",
        "docx.flag": "Red flag ({severity}): {message}",
        "docx.whole_paragraph": "This comment covers the whole paragraph: the quoted words (“{quote}”) were not found exactly in this copy.",
        "docx.summary": "shiftcheck review: overall level {level} ({name}, score {score})",
        "docx.in_footnote": "In footnote {n}: “{quote}”",
        "docx.in_endnote": "In endnote {n}: “{quote}”",
        "docx.unplaced#one": "{n} finding could not be placed in this copy (the file may have changed since the review):",
        "docx.unplaced#other": "{n} findings could not be placed in this copy (the file may have changed since the review):",
    },
    "fr": {
        "docx.shift": "Changement {id} · {title} : niveau {level} ({name})",
        "docx.evidence": "Élément probant : {indicator} ({strength})",
        "docx.flag": "Signal d’alerte ({severity}) : {message}",
        "docx.whole_paragraph": "Ce commentaire couvre tout le paragraphe : les mots cités (« {quote} ») n’ont pas été retrouvés tels quels dans cette copie.",
        "docx.summary": "Revue shiftcheck : niveau global {level} ({name}, score {score})",
        "docx.in_footnote": "Dans la note de bas de page {n} : « {quote} »",
        "docx.in_endnote": "Dans la note de fin {n} : « {quote} »",
        "docx.unplaced#one": "{n} constat n’a pas pu être placé dans cette copie (le fichier a peut-être changé depuis la revue) :",
        "docx.unplaced#other": "{n} constats n’ont pas pu être placés dans cette copie (le fichier a peut-être changé depuis la revue) :",
    },
}


class _Tr:
    """The report catalog's translator, plus this format's own words."""

    def __init__(self, lang: str) -> None:
        self.base = translator(lang)
        self.lang = self.base.lang

    def __call__(self, key: str, **values: object) -> str:
        own = WORDS.get(self.lang, WORDS["en"]).get(key)
        if own is None and key in WORDS["en"]:
            own = WORDS["en"][key]
        if own is None:
            return self.base(key, **values)
        return own.format(**values) if values else own

    def n(self, key: str, count: int, **values: object) -> str:
        if f"{key}#one" in WORDS["en"]:
            one = count == 1 or (self.lang == "fr" and count == 0)
            return self(f"{key}#{'one' if one else 'other'}", n=count, **values)
        return self.base.n(key, count, **values)


def tr_of(report: Report, opts: RenderOptions | None = None) -> _Tr:
    """The words of ``report``: ``opts.lang`` when it names a language, else the language the
    report was worded in, else its document's."""
    from shiftcheck.report.i18n import resolve

    option = getattr(opts, "lang", None)
    if option and option != "auto":
        return _Tr(resolve(option, None))
    try:
        worded = getattr(report, "_lang", None)
    except AttributeError:  # pragma: no cover - a model without the private attribute
        worded = None
    return _Tr(resolve(None, worded or report.document.language))


def _strength_words(report: Report, tr: _Tr, strength: str) -> str:
    return one_line(strength_name(report, strength, tr.base))


def _where(tr: _Tr, location: Location) -> str:
    return loc(location, tr.base)


def _shift_line(report: Report, tr: _Tr, s: ShiftResult) -> str:
    return tr(
        "docx.shift", id=s.id, title=label(s), level=s.level, name=one_line(level_name(report, s))
    )


def _evidence_lines(report: Report, tr: _Tr, ev: Evidence) -> list[str]:
    strength = _strength_words(report, tr, ev.strength)
    return [
        tr(
            "docx.evidence",
            indicator=one_line(ev.indicator_title or ev.indicator),
            strength=strength,
        )
    ]


def _flag_lines(tr: _Tr, f: RedFlagHit) -> list[str]:
    lines = [
        tr("docx.flag", severity=severity_name(f.severity, tr.base), message=one_line(f.message))
    ]
    state = flag_state(f, tr.base)
    if state:
        lines.append(state)
    if f.suggestion:
        lines.append(tr("label.suggest") + tr("sep.colon") + one_line(f.suggestion))
    return lines


def _shift_context(tr: _Tr, s: ShiftResult) -> list[str]:
    """The rationale and what to add next: once per shift, on its first comment."""
    lines = [one_line(s.rationale)] if s.rationale else []
    if s.recommendations:
        lines.append(tr("head.add_next") + tr("sep.colon").rstrip())
        lines += [f"• {one_line(r)}" for r in s.recommendations]
    return lines


@dataclass
class _Finding:
    shift: ShiftResult
    item: Evidence | RedFlagHit


@dataclass
class _Comment:
    """One comment: the findings that quote the same words at the same place."""

    quote: str
    location: Location
    findings: list[_Finding] = field(default_factory=list)
    context_for: set[int] = field(default_factory=set)  # shift ids whose rationale it carries
    whole_paragraph: bool = False
    #: ("footnote" | "endnote", its number) when the comment sits on a note's reference mark
    in_note: tuple[str, int] | None = None

    def paragraphs(self, report: Report, tr: _Tr) -> list[tuple[str, bool]]:
        """(text, bold) per paragraph of the comment."""
        out: list[tuple[str, bool]] = []
        if self.in_note is not None:
            out.append(
                (
                    tr(f"docx.in_{self.in_note[0]}", n=self.in_note[1], quote=one_line(self.quote)),
                    False,
                )
            )
        done: set[int] = set()
        for f in self.findings:
            s = f.shift
            if s.id not in done:
                out.append((_shift_line(report, tr, s), True))
            if isinstance(f.item, RedFlagHit):
                out += [(t, False) for t in _flag_lines(tr, f.item)]
            else:
                out += [(t, False) for t in _evidence_lines(report, tr, f.item)]
            if s.id in self.context_for and s.id not in done:
                out += [(t, False) for t in _shift_context(tr, s)]
            done.add(s.id)
        if self.whole_paragraph:
            out.append((tr("docx.whole_paragraph", quote=shorten(self.quote, 120)), False))
        return out


def _comments_of(report: Report) -> list[_Comment]:
    """Findings grouped by (place, quote), in document order of first appearance per shift."""
    groups: dict[tuple, _Comment] = {}
    for s in report.shifts:
        items: list[Evidence | RedFlagHit] = []
        best = strongest(s)
        if best is not None:
            items.append(best)
        items += [e for e in s.evidence if e is not best]
        items += list(s.red_flags)
        for n, item in enumerate(items):
            loc = item.location
            key = (loc.paragraph, loc.table, loc.row, loc.page, loc.line, one_line(item.quote))
            c = groups.get(key)
            if c is None:
                c = groups[key] = _Comment(item.quote, loc)
            c.findings.append(_Finding(s, item))
            if n == 0:
                c.context_for.add(s.id)
    return list(groups.values())


def _summary_paragraphs(
    report: Report, tr: _Tr, unplaced: list[_Comment]
) -> list[tuple[str, bool]]:
    out = [
        (
            tr(
                "docx.summary",
                level=report.overall.level,
                name=one_line(overall_name(report)),
                score=f"{report.overall.score:.2f}",
            ),
            True,
        )
    ]
    for s in report.shifts:
        n_flags = len(s.red_flags)
        flags = f" · {tr.n('count.flags', n_flags)}" if n_flags else ""
        out.append((f"{_shift_line(report, tr, s)}{flags}", False))
    if report.recommendations:
        out.append((tr("head.top"), True))
        out += [(f"{i}. {one_line(r)}", False) for i, r in enumerate(report.recommendations[:3], 1)]
    if report.warnings:
        out.append((tr.n("head.warnings", len(report.warnings)), True))
        out += [(f"• {one_line(w)}", False) for w in report.warnings]
    if unplaced:
        out.append((tr.n("docx.unplaced", len(unplaced)), True))
        for c in unplaced:
            out.append((f"• “{shorten(c.quote, 160)}” ({_where(tr, c.location)})", False))
            for p, _bold in c.paragraphs(report, tr)[:2]:
                out.append((f"  {p}", False))
    return out


# ---------------------------------------------------------------------------------------------
# the text of a paragraph, character by character


@dataclass(slots=True)
class _Atom:
    """A piece of a paragraph's text: a ``w:t`` (or tab, break, symbol...) in a run that may be
    split, or a whole element (math, a ruby base...) that markers can only go around."""

    text: str
    child: etree._Element
    run: etree._Element | None  # the w:r to split, or None: go around ``host``
    host: etree._Element


def _local(el: etree._Element) -> str | None:
    from shiftcheck.readers.docx import _wtag

    tag = el.tag
    return _wtag(tag) if isinstance(tag, str) else None


def _atoms(p: etree._Element) -> list[_Atom]:
    """The atoms of one paragraph in reading order, walking the XML the way the DOCX reader does
    (deleted text, field instructions and text boxes excluded)."""
    from shiftcheck.readers.docx import (
        _MATH_T,
        _MC_ALT,
        _PROPS,
        _SKIP_INLINE,
        _mc_branch,
        _symbol,
        _text_of,
    )

    out: list[_Atom] = []

    def atom(child: etree._Element, text: str) -> None:
        if not text:
            return
        parent = child.getparent()
        if (
            parent is not None
            and _local(parent) == "r"
            and _local(parent.getparent()) in _RUN_CONTAINERS
            and len(child) == 0
        ):
            out.append(_Atom(text, child, parent, parent))
            return
        host = child
        while (
            host.getparent() is not None
            and host.getparent() is not p
            and _local(host.getparent()) not in _RUN_CONTAINERS
        ):
            host = host.getparent()
        out.append(_Atom(text, child, None, host))

    def walk(el: etree._Element, depth: int) -> None:
        if depth > 200:
            return
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = _local(child)
            if local is not None:
                if local == "t":
                    atom(child, _text_of(child))
                elif local == "r":
                    walk(child, depth + 1)
                elif local in _SKIP_INLINE or local.endswith(_PROPS):
                    continue
                elif local in ("tab", "ptab"):
                    atom(child, " ")
                elif local in ("br", "cr"):
                    atom(child, "\n")
                elif local == "noBreakHyphen":
                    atom(child, "-")
                elif local == "softHyphen":
                    continue
                elif local == "sym":
                    atom(child, _symbol(child))
                elif local in ("txbxContent", "p", "tbl"):
                    continue  # blocks of their own
                else:
                    walk(child, depth + 1)
            elif tag == _MC_ALT:
                branch = _mc_branch(child)
                if branch is not None:
                    walk(branch, depth + 1)
            elif tag in _MATH_T:
                atom(child, child.text or "")
            elif len(child):
                walk(child, depth + 1)

    walk(p, 0)
    return out


_IGNORED = re.compile(r"[\s\u00ad]")


def _squeeze(text: str) -> str:
    return _IGNORED.sub("", text)


def _find(
    atoms_per_par: list[list[list[_Atom]]], quote: str
) -> tuple[tuple[_Atom, int], tuple[_Atom, int]] | None:
    """Where ``quote`` runs in the block: ((first atom, offset), (last atom, offset of its last
    character)). Whitespace is ignored (the report makes it single spaces); a table row's cells
    are joined by ``|`` as the report's row quotes are. None when the words are not there."""
    chars: list[str] = []
    where: list[tuple[_Atom, int] | None] = []
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


class _Marks:
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


def _is_rpr(el: etree._Element) -> bool:
    return _local(el) == "rPr"


def _split(
    run: etree._Element, child: etree._Element, k: int
) -> tuple[etree._Element | None, etree._Element | None]:
    """Split ``run`` before character ``k`` of ``child``; the original run keeps the left part,
    a new run with a copy of the run properties takes the right. -> (left, right), either None
    when the cut falls at that end of the run."""
    content = [x for x in run if not (isinstance(x.tag, str) and _is_rpr(x))]
    i = content.index(child)
    length = len(child.text or "") if _local(child) == "t" else 1
    if 0 < k < length and _local(child) == "t" and len(child) == 0:
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
    while el is not None and _local(el) != "p":
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


def _anchor_exact(
    first: tuple[_Atom, int], last: tuple[_Atom, int], cid: int, marks: _Marks
) -> None:
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


def _note_of(p: etree._Element) -> tuple[str, str] | None:
    """("footnote" | "endnote", its w:id) when ``p`` sits in a note."""
    for anc in p.iterancestors():
        local = _local(anc)
        if local in ("footnote", "endnote"):
            from shiftcheck.readers.docx import _attr

            return local, _attr(anc, "id") or ""
    return None


def _note_reference(
    root: etree._Element, kind: str, note_id: str
) -> tuple[etree._Element, int] | None:
    """The host of the reference mark of note ``note_id`` in the main part, and the note's
    number (its reference's place among the references of that kind)."""
    from shiftcheck.readers.docx import _attr

    n = 0
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el) == f"{kind}Reference":
            n += 1
            if (_attr(el, "id") or "") == note_id:
                host = el.getparent()
                while (
                    host is not None
                    and host.getparent() is not None
                    and _local(host.getparent()) not in _RUN_CONTAINERS
                ):
                    host = host.getparent()
                return (host, n) if host is not None else None
    return None


def _anchor_around(host: etree._Element, cid: int, marks: _Marks) -> None:
    host.addprevious(marks.start(cid))
    end = marks.end(cid)
    host.addnext(end)
    _place_reference(end, marks.reference(cid))


def _anchor_paragraphs(ps: list[etree._Element], cid: int, marks: _Marks) -> None:
    first, last = ps[0], ps[-1]
    start = marks.start(cid)
    ppr = next((c for c in first if isinstance(c.tag, str) and _local(c) == "pPr"), None)
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = marks.end(cid)
    last.append(end)
    last.append(marks.reference(cid))


# ---------------------------------------------------------------------------------------------
# the package


_PROLOG = re.compile(rb"<(?![?!])")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


def _serialize(original: bytes, root: etree._Element) -> bytes:
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


def _max_comment_id(roots: Iterator[etree._Element]) -> int:
    top = -1
    for root in roots:
        for el in root.iter():
            if isinstance(el.tag, str):  # above every annotation id (comments, changes, bookmarks)
                for k, v in el.attrib.items():
                    if k.endswith("}id") or k == "id":
                        try:
                            top = max(top, int(v))
                        except ValueError:
                            continue
    return top


def _initials(author: str) -> str:
    words = re.findall(r"\w+", author)
    return "".join(w[0] for w in words[:3]).upper() or "S"


def _comment_element(
    marks: _Marks, cid: int, author: str, paragraphs: list[tuple[str, bool]]
) -> etree._Element:
    c = marks.el("comment", id=str(cid), author=author, initials=_initials(author))
    for n, (text, bold) in enumerate(paragraphs):
        p = marks.el("p")
        if n == 0:
            r = marks.el("r")
            r.append(marks.el("annotationRef"))
            p.append(r)
        r = marks.el("r")
        if bold:
            rpr = marks.el("rPr")
            rpr.append(marks.el("b"))
            r.append(rpr)
        t = marks.el("t")
        t.text = _xml_safe(text)
        t.set(XML_SPACE, "preserve")
        r.append(t)
        p.append(r)
        c.append(p)
    return c


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _splice(data: bytes, close_tag: bytes, insert: bytes) -> bytes | None:
    """``insert`` before the last ``close_tag`` of ``data`` (a part's closing root tag), or None
    when the part is not written the usual way (then it is re-serialized instead)."""
    at = data.rfind(close_tag)
    if at < 0:
        return None
    return data[:at] + insert + data[at:]


class _Zip:
    """The input package: its members in order, read whole (the reader has checked its sizes)."""

    def __init__(self, path: Path, display: str) -> None:
        from shiftcheck.errors import CorruptDocument

        with zipfile.ZipFile(path) as zf:
            self.infos = [i for i in zf.infolist()]
            self.data = {}
            for info in self.infos:
                try:
                    self.data[info.filename] = zf.read(info)
                except (
                    zipfile.BadZipFile,
                    zlib.error,
                    NotImplementedError,
                    RuntimeError,
                    EOFError,
                    ValueError,
                ):
                    raise CorruptDocument(
                        display,
                        f"has a damaged part ({info.filename}), so no reviewed copy can be written",
                        "Open it in Word and save it again, or use another --format",
                    ) from None
        self.by_key = {
            i.filename.replace("\\", "/").lstrip("/").lower(): i.filename for i in self.infos
        }

    def name(self, part: str) -> str | None:
        return self.by_key.get(part.replace("\\", "/").lstrip("/").lower())

    def write(self, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                data = replaced.get(info.filename, self.data[info.filename])
                clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                clone.compress_type = (
                    info.compress_type
                    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                    else zipfile.ZIP_DEFLATED
                )
                clone.external_attr = info.external_attr
                clone.create_system = info.create_system
                out.writestr(clone, data)
            for name, data in added.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data)
        return buf.getvalue()


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def annotate(
    report: Report,
    source: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    limits: Limits | None = None,
    summary_only: bool = False,
    opts: RenderOptions | None = None,
) -> bytes:
    """The DOCX at ``source`` with the review of ``report`` as Word comments (see the module doc).
    Raises the reader's :class:`~shiftcheck.errors.InputError` when the file cannot be read."""
    from shiftcheck.limits import DEFAULT_LIMITS
    from shiftcheck.readers.docx import read_with_sources

    tr = tr_of(report, opts)
    path = Path(source)
    doc, sources, roots = read_with_sources(
        path, str(source), limits or DEFAULT_LIMITS, parser=_parser()
    )
    pkg = _Zip(path, str(source))
    main = next(
        (
            n
            for n, r in roots.items()
            if _local(r) in ("document", "body")
            and any(ps and ps[0].getroottree().getroot() is r for ps in sources.values())
        ),
        None,
    )
    if main is None:
        main = next((n for n, r in roots.items() if _local(r) == "document"), "word/document.xml")
    main_root = roots.get(main)
    w = main_root.nsmap.get("w") if main_root is not None else None
    if w not in (W_TRANSITIONAL, W_STRICT):
        w = (
            W_STRICT
            if main_root is not None and main_root.tag.startswith(f"{{{W_STRICT}}}")
            else W_TRANSITIONAL
        )
    marks = _Marks(w)

    # the existing comments part, if any
    rels_part = _rels_name(main)
    rels_member = pkg.name(rels_part)
    comments_part = None
    if rels_member is not None:
        rels_root = etree.fromstring(pkg.data[rels_member], _parser())
        for rel in rels_root:
            if (
                isinstance(rel.tag, str)
                and (rel.get("Type") or "").endswith("/comments")
                and (rel.get("TargetMode") or "").lower() != "external"
            ):
                target = rel.get("Target") or ""
                name = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(posixpath.dirname(main), target))
                )
                if pkg.name(name) is not None:
                    comments_part = pkg.name(name)
                    break
    comments_root = etree.fromstring(pkg.data[comments_part], _parser()) if comments_part else None

    next_id = (
        _max_comment_id(
            iter([*roots.values(), *([comments_root] if comments_root is not None else [])])
        )
        + 1
    )
    blocks = {b.index: b for b in doc.blocks}
    changed: set[str] = set()
    part_of = {id(r): n for n, r in roots.items()}
    placed: list[tuple[int, list[tuple[str, bool]]]] = []
    unplaced: list[_Comment] = []

    def parts_for(index: int | None, loc) -> list[list[etree._Element]]:
        """The paragraphs of the block at ``index``, one list per table cell of its row."""
        if index is None or index not in sources:
            return []
        b = blocks.get(index)
        cells = [sources[index]]
        if b is not None and b.table is not None and b.row is not None and loc.row is not None:
            n = index + 1
            while (
                n in blocks
                and blocks[n].kind == b.kind
                and blocks[n].table == b.table
                and blocks[n].row == b.row
            ):
                cells.append(sources.get(n, []))
                n += 1
        return [c for c in cells if c]

    comments = [] if summary_only else _comments_of(report)
    for c in comments:
        cells = parts_for(c.location.paragraph, c.location)
        if not cells:
            unplaced.append(c)
            continue
        note = _note_of(cells[0][0])
        if note is not None:
            # a quote in a footnote or endnote: on the note's reference mark in the text (Word
            # and LibreOffice both show it; LibreOffice cannot open a comment inside a note)
            mark = _note_reference(main_root, *note) if main_root is not None else None
            if mark is None:
                unplaced.append(c)
                continue
            cid, next_id = next_id, next_id + 1
            c.in_note = (note[0], mark[1])
            _anchor_around(mark[0], cid, marks)
            changed.add(main)
            placed.append((cid, c.paragraphs(report, tr)))
            continue
        cid, next_id = next_id, next_id + 1
        hit = _find([[_atoms(p) for p in cell] for cell in cells], c.quote)
        if hit is not None:
            _anchor_exact(hit[0], hit[1], cid, marks)
        else:
            c.whole_paragraph = True
            _anchor_paragraphs([p for cell in cells for p in cell], cid, marks)
        changed.add(part_of.get(id(cells[0][0].getroottree().getroot()), main))
        placed.append((cid, c.paragraphs(report, tr)))

    # the summary on the title: the first body paragraph with text
    title_ps = next(
        (
            sources[b.index]
            for b in doc.blocks
            if b.index in sources
            and b.kind.value not in ("footnote", "endnote", "header", "footer")
        ),
        None,
    )
    summary = _summary_paragraphs(report, tr, unplaced)
    if title_ps:
        cid, next_id = next_id, next_id + 1
        _anchor_paragraphs(title_ps[:1], cid, marks)
        changed.add(part_of.get(id(title_ps[0].getroottree().getroot()), main))
        placed.insert(0, (cid, summary))

    # the comments part
    replaced: dict[str, bytes] = {}
    added: dict[str, bytes] = {}
    new_comments = [_comment_element(marks, cid, author, paras) for cid, paras in placed]
    if comments_root is not None and comments_part is not None:
        cw = comments_root.tag[1:].split("}")[0] if comments_root.tag.startswith("{") else w
        cm = _Marks(cw)
        for cid, paras in placed:
            comments_root.append(_comment_element(cm, cid, author, paras))
        replaced[comments_part] = _serialize(pkg.data[comments_part], comments_root)
    elif new_comments:
        folder = posixpath.dirname(main)
        name = posixpath.join(folder, "comments.xml")
        n = 1
        while pkg.name(name) is not None:
            name = posixpath.join(folder, f"comments{n}.xml")
            n += 1
        root = etree.Element(f"{{{w}}}comments", nsmap={"w": w})
        for el in new_comments:
            root.append(el)
        added[name] = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
        target = posixpath.relpath(name, folder or ".")
        replaced.update(
            _link_comments(pkg, main, rels_part, rels_member, name, target, COMMENTS_REL[w], added)
        )

    for part in changed:
        member = pkg.name(part)
        if member is not None:
            replaced[member] = _serialize(pkg.data[member], roots[part])
    return pkg.write(replaced, added)


def _link_comments(
    pkg: _Zip,
    main: str,
    rels_part: str,
    rels_member: str | None,
    name: str,
    target: str,
    rel_type: str,
    added: dict[str, bytes],
) -> dict[str, bytes]:
    """The relationship from the main part to the new comments part and its content-type entry,
    spliced into the existing bytes (re-serialized only when a part is written unusually)."""
    out: dict[str, bytes] = {}
    if rels_member is not None:
        data = pkg.data[rels_member]
        root = etree.fromstring(data, _parser())
        used = {rel.get("Id") for rel in root if isinstance(rel.tag, str)}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        rel = f'<Relationship Id="rId{n}" Type={quoteattr(rel_type)} Target={quoteattr(target)}/>'.encode()
        spliced = (
            _splice(data, b"</Relationships>", rel)
            if root.prefix is None and root.tag == f"{{{REL_NS}}}Relationships"
            else None
        )
        if spliced is None:
            el = etree.SubElement(
                root, f"{{{REL_NS}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=target
            )
            del el
            spliced = _serialize(data, root)
        out[rels_member] = spliced
    else:
        added[rels_part] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type={quoteattr(rel_type)} Target={quoteattr(target)}/></Relationships>'
        ).encode()
    ct_member = pkg.name("[Content_Types].xml")
    if ct_member is not None:
        data = pkg.data[ct_member]
        root = etree.fromstring(data, _parser())
        entry = (
            f'<Override PartName={quoteattr("/" + name)} ContentType="{COMMENTS_TYPE}"/>'.encode()
        )
        spliced = (
            _splice(data, b"</Types>", entry)
            if root.prefix is None and root.tag == f"{{{CT_NS}}}Types"
            else None
        )
        if spliced is None:
            etree.SubElement(
                root, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=COMMENTS_TYPE
            )
            spliced = _serialize(data, root)
        out[ct_member] = spliced
    return out


# ---------------------------------------------------------------------------------------------
# a fresh DOCX report (PDF, Markdown and text inputs)

_W = W_TRANSITIONAL
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="200"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders></w:tblPr></w:style>
</w:styles>
"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
"""


class _Body:
    """WordprocessingML paragraphs and tables, as text."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    @staticmethod
    def _runs(pieces: list[tuple[str, str]]) -> str:
        out = []
        for text, look in pieces:
            if not text:
                continue
            rpr = "".join({"b": "<w:b/>", "i": "<w:i/>"}[c] for c in look if c in "bi")
            rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(_xml_safe(text))}</w:t></w:r>')
        return "".join(out)

    def para(self, *pieces: tuple[str, str] | str, style: str | None = None) -> None:
        runs = self._runs([(p, "") if isinstance(p, str) else p for p in pieces])
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        self.parts.append(f"<w:p>{ppr}{runs}</w:p>")

    def heading(self, text: str, level: int) -> None:
        self.para(text, style="Title" if level == 0 else f"Heading{level}")

    def bullet(self, *pieces: tuple[str, str] | str) -> None:
        self.para("• ", *pieces, style="ListParagraph")

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for n, row in enumerate([header, *rows]):
            trpr = "<w:trPr><w:tblHeader/></w:trPr>" if n == 0 else ""
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>{self._runs([(text, "b" if n == 0 else "")])}</w:p></w:tc>'
                for text, w in zip(row, widths, strict=False)
            )
            out.append(f"<w:tr>{trpr}{cells}</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def xml(self) -> str:
        sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>'
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>{"".join(self.parts)}{sect}</w:body></w:document>\n'


def _report_body(body: _Body, report: Report, tr: _Tr, summary: bool, level: int = 0) -> None:
    d = report.document
    body.heading(tr("title.review", path=d.path), level)
    if d.title:
        body.para((one_line(d.title), "b"))
    facts = [f"{tr('fact.format')}: {d.format}"]
    if d.pages is not None:
        facts.append(f"{tr('fact.pages')}: {d.pages}")
    facts.append(f"{tr('fact.words')}: {d.words}")
    if d.language:
        facts.append(f"{tr('fact.language')}: {d.language}")
    facts.append(f"{tr('fact.rubric')}: {report.rubric.id} {report.rubric.version}")
    facts.append(
        f"{tr('fact.overall')}: {report.overall.level} {one_line(overall_name(report))} ({report.overall.score:.2f})"
    )
    body.para(" · ".join(facts))
    if report.warnings:
        body.heading(tr.n("head.warnings", len(report.warnings)), level + 1)
        for wtext in report.warnings:
            body.bullet(one_line(wtext))
    body.heading(tr("head.summary"), level + 1)
    rows = []
    for s in report.shifts:
        ev = strongest(s)
        evidence = (
            tr("none.evidence")
            if ev is None
            else f"“{shorten(ev.quote, 110)}” ({_where(tr, ev.location)})"
        )
        rows.append(
            [
                str(s.id),
                label(s),
                f"{s.level} {one_line(level_name(report, s))}",
                evidence,
                flag_count(s, tr=tr.base),
            ]
        )
    body.table(
        [tr("col.num"), tr("col.shift"), tr("col.level"), tr("col.evidence"), tr("col.red_flags")],
        rows,
        [500, 2300, 1700, 4100, 1000],
    )
    body.para(level_legend(report.levels, tr.base))
    if summary:
        return
    body.heading(tr("head.details"), level + 1)
    for s in report.shifts:
        body.heading(
            f"{s.id}. {one_line(s.title)}: {tr('why.level', level=s.level, name=one_line(level_name(report, s)))}",
            level + 2,
        )
        if s.from_ or s.to:
            body.para((f"{one_line(s.from_)} → {one_line(s.to)}", "i"))
        if s.rationale:
            body.para(one_line(s.rationale))
        if s.evidence:
            body.para((tr("head.evidence"), "b"))
            for ev in s.evidence:
                strength = _strength_words(report, tr, ev.strength)
                body.bullet(
                    f"“{one_line(ev.quote)}” ",
                    (
                        f"({_where(tr, ev.location)}; {one_line(ev.indicator_title or ev.indicator)}, {strength})",
                        "i",
                    ),
                )
        if s.red_flags:
            body.para((tr("head.red_flags"), "b"))
            for f in s.red_flags:
                lines = _flag_lines(tr, f)
                body.bullet((lines[0], "b"), f" ({_where(tr, f.location)})")
                body.para(f"“{one_line(f.quote)}”", style="Quote")
                for extra in lines[1:]:
                    body.para(extra, style="Quote")
        if s.recommendations:
            body.para((tr("head.add_next"), "b"))
            for r in s.recommendations:
                body.bullet(one_line(r))
    if report.recommendations:
        body.heading(tr("head.top"), level + 1)
        for i, r in enumerate(report.recommendations[:3], 1):
            body.para(f"{i}. {one_line(r)}")


def _package(body: _Body, title: str) -> bytes:
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>'
        f"{escape(_xml_safe(title))}</dc:title><dc:creator>shiftcheck</dc:creator></cp:coreProperties>\n"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("word/document.xml", body.xml()),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/styles.xml", _STYLES),
            ("docProps/core.xml", core),
        ):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def fresh_report(report: Report, summary: bool = False, opts: RenderOptions | None = None) -> bytes:
    """A new DOCX holding the review of ``report`` (any input format)."""
    tr = tr_of(report, opts)
    body = _Body()
    _report_body(body, report, tr, summary)
    return _package(body, tr("title.review", path=report.document.path))


# ---------------------------------------------------------------------------------------------
# the format interface


def _author(opts: RenderOptions | None) -> str:
    author = one_line(getattr(opts, "author", None) or "") if opts is not None else ""
    return author or DEFAULT_AUTHOR


def is_annotatable(report: Report) -> bool:
    """A review of a DOCX whose file is still there gets the commented copy; others a report."""
    return report.document.format == "docx" and Path(report.document.path).is_file()


def render_report(
    report: Report,
    opts: RenderOptions,
    *,
    source: str | Path | None = None,
    limits: Limits | None = None,
) -> bytes:
    """The commented copy of a DOCX input (``source``, default the report's own path), else a
    fresh DOCX report."""
    if source is not None or is_annotatable(report):
        return annotate(
            report,
            source or report.document.path,
            author=_author(opts),
            limits=limits,
            summary_only=opts.summary,
            opts=opts,
        )
    return fresh_report(report, summary=opts.summary, opts=opts)


def render_batch(batch: BatchReport, opts: RenderOptions) -> bytes:
    """One DOCX report of every document, then the portfolio table (the command line writes one
    file per document instead; see :func:`output_name`)."""
    from shiftcheck.report._common import batch_levels, batch_shifts

    body = _Body()
    reports = [e for e in batch.documents if isinstance(e, Report)]
    langs = {tr_of(e, opts).lang for e in reports}
    tr = _Tr(langs.pop() if len(langs) == 1 else "en")
    n = len(batch.documents)
    body.heading(tr.n("title.portfolio", n), 0)
    for e in batch.documents:
        if isinstance(e, DocumentError):
            body.heading(e.path, 1)
            body.para((tr("label.error_kind", kind=e.kind) + ": ", "b"), one_line(e.error))
        else:
            _report_body(body, e, tr_of(e, opts), opts.summary, level=1)
    body.heading(tr("head.portfolio"), 1)
    shifts = batch_shifts(batch)
    rows = []
    for e in batch.documents:
        if isinstance(e, DocumentError):
            rows.append([e.path, *("–" for _ in shifts), f"{tr('label.error')}: {e.kind}"])
        else:
            by_id = {s.id: s.level for s in e.shifts}
            rows.append(
                [
                    e.document.path,
                    *(str(by_id[s.id]) if s.id in by_id else "–" for s in shifts),
                    str(e.overall.level),
                ]
            )
    header = [tr("col.document"), *(str(s.id) for s in shifts), tr("col.overall")]
    body.table(header, rows, [3000, *(500 for _ in shifts), 1200])
    body.para(level_legend(batch_levels(batch), tr.base))
    return _package(body, tr.n("title.portfolio", n))


def output_name(document_path: str, fmt: str) -> str:
    """The file name of one document's DOCX in a batch's ``-o`` folder: a DOCX keeps its name
    (``proposal.docx``, a ``.docm`` stays ``.docm``), another input gets ``.docx`` added
    (``concept.pdf.docx``), so no two inputs of one folder share an output."""
    name = Path(document_path).name
    if fmt == "docx" and name.lower().endswith((".docx", ".docm")):
        return name
    return name + ".docx"


__all__ = [
    "DEFAULT_AUTHOR",
    "annotate",
    "fresh_report",
    "output_name",
    "render_batch",
    "render_report",
]
