"""Reading the parts of a DOCX package in order: the main part's bodies, footnotes and endnotes,
then headers and footers in section order; the title from the core properties."""

from __future__ import annotations

from lxml import etree

from shiftcheck.document import Block, BlockKind, Document
from shiftcheck.errors import CorruptDocument
from shiftcheck.limits import Limits
from shiftcheck.readers.docx.ooxml import (
    DC_TITLE,
    W_NS,
    ZIP_HINT,
    _attr,
    _clean,
    _note_kind,
    _rid,
    _text_of,
    _wtag,
)
from shiftcheck.readers.docx.package import _Package
from shiftcheck.readers.docx.styles import _Styles
from shiftcheck.readers.docx.walker import _Walker

#: a relationship type's last path segment ("styles", "footnotes", "header"...) -> (id, target part)
_ByType = dict[str, list[tuple[str, str]]]


def _read(
    pkg: _Package,
    display: str,
    limits: Limits,
    sources: list[tuple[Block, list[etree._Element]]] | None = None,
) -> Document:
    """Every part of the package, in the order the module docstring gives, as one Document."""
    main, root = _main_root(pkg, display)
    by_type, by_id = _relationships(pkg, main)
    walker = _Walker(_Styles(_styles_root(pkg, by_type)), limits, display)
    walker.sources = sources
    doc = Document(path=display, format="docx", pages=None)
    _read_bodies(walker, root, doc.blocks)
    _read_notes(pkg, walker, by_type, doc.blocks)
    _read_headers_footers(pkg, walker, _header_footer_parts(root, by_type, by_id), doc.blocks)
    doc.title = _core_title(pkg) or walker.first_title or walker.first_h1
    if pkg.entity_parts:
        doc.warnings.append(
            f"{', '.join(pkg.entity_parts)} {'declares' if len(pkg.entity_parts) == 1 else 'declare'} XML entities (not written by Word); they were not expanded"
        )
    doc.warnings.extend(pkg.warnings)
    return doc.renumber()


def _main_root(pkg: _Package, display: str) -> tuple[str, etree._Element]:
    """The main document part's name and parsed root (a ``w:document``, or a bare ``w:body``)."""
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
    return main, root


def _relationships(pkg: _Package, main: str) -> tuple[_ByType, dict[str, str]]:
    """The main part's relationships by type and by id (id -> target part)."""
    by_type: _ByType = {}
    by_id: dict[str, str] = {}
    for rid, rtype, target in pkg.rels(main):
        by_type.setdefault(rtype.rsplit("/", 1)[-1], []).append((rid, target))
        by_id[rid] = target
    return by_type, by_id


def _styles_root(pkg: _Package, by_type: _ByType) -> etree._Element | None:
    """The first styles part that parses, if any."""
    styles_root = None
    for _, target in by_type.get("styles", []):
        styles_root = pkg.xml(target)
        if styles_root is not None:
            break
    return styles_root


def _read_bodies(walker: _Walker, root: etree._Element, blocks: list[Block]) -> None:
    """Every ``w:body`` of the main part, in file order."""
    bodies = [c for c in root if isinstance(c.tag, str) and _wtag(c.tag) == "body"]
    if _wtag(root.tag) == "body":
        bodies = [root]
    for body in bodies:
        walker.blocks(body, blocks, None, 2)


def _read_notes(pkg: _Package, walker: _Walker, by_type: _ByType, blocks: list[Block]) -> None:
    """Footnotes, then endnotes (the first part of each type); separator notes are skipped and
    each note carries the heading path of the place that refers to it."""
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


def _header_footer_parts(
    root: etree._Element, by_type: _ByType, by_id: dict[str, str]
) -> dict[str, list[str]]:
    """Header and footer part names in section order, each part once; parts no section refers
    to (Word hides them) still come last, once."""
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
    for key in refs:
        for _, target in by_type.get(key, []):
            if target not in refs[key]:
                refs[key].append(target)
    return refs


def _read_headers_footers(
    pkg: _Package, walker: _Walker, refs: dict[str, list[str]], blocks: list[Block]
) -> None:
    """Headers, then footers, as :func:`_header_footer_parts` ordered them."""
    for key, kind in (("header", BlockKind.HEADER), ("footer", BlockKind.FOOTER)):
        for target in refs[key]:
            part = pkg.xml(target)
            if part is None:
                continue
            walker.kind = kind
            walker.blocks(part, blocks, None, 2)
    walker.kind = None


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
