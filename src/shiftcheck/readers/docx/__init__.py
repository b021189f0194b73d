"""DOCX reader: an OOXML word-processing package -> :class:`~shiftcheck.document.Document`.

Design choice: the package is read with :mod:`zipfile` and every XML part is walked with lxml by
this reader; python-docx is not used at all. ``Paragraph.text`` in python-docx drops tracked
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

Modules: :mod:`.ooxml` (names, tags and shared helpers), :mod:`.package` (the zip and the safe XML
parser: every limit), :mod:`.styles` (style chains and numbering), :mod:`.walker` (block and
inline content -> Blocks), :mod:`.parts` (the parts, read in the order above).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from lxml import etree

from shiftcheck.document import Block, Document
from shiftcheck.errors import CorruptDocument
from shiftcheck.limits import Limits

# the names the DOCX comments format (shiftcheck.report.docx) walks the XML with, as the reader does
from shiftcheck.readers.docx.ooxml import _MATH_T as _MATH_T
from shiftcheck.readers.docx.ooxml import _MC_ALT as _MC_ALT
from shiftcheck.readers.docx.ooxml import _PROPS as _PROPS
from shiftcheck.readers.docx.ooxml import _SKIP_INLINE as _SKIP_INLINE
from shiftcheck.readers.docx.ooxml import ZIP_HINT
from shiftcheck.readers.docx.ooxml import _attr as _attr
from shiftcheck.readers.docx.ooxml import _mc_branch as _mc_branch
from shiftcheck.readers.docx.ooxml import _symbol as _symbol
from shiftcheck.readers.docx.ooxml import _text_of as _text_of
from shiftcheck.readers.docx.ooxml import _wtag as _wtag
from shiftcheck.readers.docx.package import _Package
from shiftcheck.readers.docx.parts import _read


def read(path: Path, display: str, limits: Limits, **_options: object) -> Document:
    return _read_closing(_Package(Path(path), display, limits), display, limits)


def _read_closing(
    pkg: _Package,
    display: str,
    limits: Limits,
    sources: list[tuple[Block, list[etree._Element]]] | None = None,
) -> Document:
    """Read the package, then close it whatever happens."""
    try:
        return _read(pkg, display, limits, sources)
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
    doc = _read_closing(pkg, display, limits, sources)
    return doc, {b.index: ps for b, ps in sources}, roots


__all__ = ["read", "read_with_sources"]
